#pragma once
/// Reading, exporting and querying a dataset version's Parquet file.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "engine/duckdb.h"
#include "engine/ingest.h"

namespace dm::engine {

/// The options of every Parquet file the engine writes (`COPY ... TO 'file' <options>`): zstd,
/// and row groups of at most about 8 million cells. DuckDB's default row group (122,880 rows)
/// suits narrow tables, but its writer holds a whole row group in memory: at 1,000 columns that
/// is over 2 GB, which spills under our memory limits (converting a 1,000 x 100,000 CSV took
/// 200 s instead of 18 s), and a table smaller than one row group is scanned by one thread.
std::string ParquetWriteOptions(std::size_t column_count);

/// The columns of a Parquet file.
Result<std::vector<ColumnSchema>> ReadSchema(Engine& engine, const std::string& parquet_path);

/// A page of rows: {"columns":[names],"rows":[[...]],"total":N,"offset":..,"limit":..}.
/// Values are typed JSON (see QueryResult). `sort` is a list of (column, descending); nulls
/// sort last. Errors: VALIDATION_ERROR for a negative offset/limit or an unknown sort column.
Result<nlohmann::json> ReadRows(Engine& engine, const std::string& parquet_path, std::int64_t offset,
                                std::int64_t limit, const std::vector<std::pair<std::string, bool>>& sort);

/// Writes the Parquet file as `format` (csv with a header row, json = one array of records,
/// ndjson = one record per line, parquet (zstd), xlsx = one sheet "data", streamed with
/// libxlsxwriter's constant-memory mode) to `out_path`.
/// Errors: VALIDATION_ERROR for an unknown format or a table too large for xlsx.
Status ExportFile(Engine& engine, const std::string& parquet_path, const std::string& format,
                  const std::string& out_path);

/// Limits for a user query.
struct QueryLimits {
  int timeout_ms = 10000;
  std::string memory_limit = "512MB";
  std::int64_t max_rows = 10000;
};

/// Runs untrusted read-only SQL over the Parquet file, visible as the view `data`, in a
/// sandbox: a fresh in-memory DuckDB per call with external access disabled except for this
/// one file, extension loading off, configuration locked, one thread, a memory limit and a
/// time limit (interrupt). Exactly one SELECT-like statement (SELECT, WITH, VALUES, FROM,
/// TABLE, DESCRIBE, SHOW, SUMMARIZE, PIVOT, UNPIVOT) or a plain EXPLAIN is allowed.
/// Returns {"columns":[...],"column_types":[...],"rows":[[...]],"row_count":N,"truncated":bool}.
/// Errors: VALIDATION_ERROR (refused or failing SQL, limits exceeded) with a clear message.
Result<nlohmann::json> RunSandboxedQuery(const std::string& parquet_path, const std::string& sql,
                                         const QueryLimits& limits);

}  // namespace dm::engine
