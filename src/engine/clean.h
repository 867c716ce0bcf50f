#pragma once
/// Cleaning operations: validation, compilation to DuckDB SQL by one builder, apply (Parquet
/// in -> Parquet out), and preview (before/after of changed rows, counted on the full data).
///
/// An operation is JSON {"type": ..., params} (the list is in docs/cleaning.md). A list of
/// operations compiles to one SELECT: a chain of CTEs, one per operation, over the input
/// Parquet file read with a stable row ordinal, so "first"/"last", ffill/bfill and the
/// before/after diff are defined by the file's row order. Every identifier and literal goes
/// through engine/sql.h's QuoteIdent/QuoteLiteral; derive_column formulas are parsed by our
/// own small grammar into SQL (never passed through as SQL).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "engine/duckdb.h"
#include "engine/ingest.h"

namespace dm::engine::clean {

/// The operations compiled against a schema.
struct Plan {
  /// One SELECT statement producing the cleaned table in row order (no ordinal column).
  std::string sql;
  /// The same chain, but keeping the row ordinal column kOrdinal (BIGINT, the input row's
  /// 0-based position) so that before/after rows can be matched.
  std::string sql_with_ordinal;
  /// The schema after the last operation (API types filled in).
  std::vector<ColumnSchema> output_schema;
};

/// Name of the row ordinal column in Plan::sql_with_ordinal.
inline constexpr const char* kOrdinal = "__dm_row";

/// Validates `operations` (a JSON array) against `schema` and compiles them for
/// `parquet_path` (the path is embedded in the SQL as a literal). Each operation is checked
/// against the schema as it stands after the operations before it (a renamed column is
/// known by its new name).
/// Errors: VALIDATION_ERROR with details {"index": i, "field": "column"} naming the failing
/// operation and parameter, and a message such as "operation 2 (cast): unknown column 'x'".
Result<Plan> Compile(const nlohmann::json& operations, const std::vector<ColumnSchema>& schema,
                     const std::string& parquet_path);

/// Like Compile, but data-dependent values (fill_missing's mean/median/mode, outlier bounds,
/// the date formats standardize_dates finds, parse_numbers' decimal separator) are computed
/// on `parquet_path` and inlined as typed literals, patterns and formats are checked by
/// DuckDB, and output_schema holds DuckDB's exact types. This is the SQL that Apply and
/// MakePreview run (and that `datamorph clean --print-sql` prints).
/// Errors: as Compile, plus whatever reading the file reports.
Result<Plan> CompileForData(Engine& engine, const nlohmann::json& operations,
                            const std::string& parquet_path);

/// Per-operation outcome of an apply.
struct OperationStats {
  std::string type;
  std::int64_t rows_before = 0;
  std::int64_t rows_after = 0;
  /// Rows whose values this operation changed or removed.
  std::int64_t affected_rows = 0;
};

struct ApplyResult {
  std::int64_t rows_before = 0;
  std::int64_t rows_after = 0;
  std::vector<ColumnSchema> output_schema;
  std::vector<OperationStats> operations;
};

/// Compiles and runs the operations over `in_parquet`, writing `out_parquet` (zstd).
/// `on_progress(fraction 0..1, message)` is called between stages; returning false cancels
/// (CANCELLED). A cast with on_error:"fail" that meets a bad value fails with
/// VALIDATION_ERROR naming the column and the value.
Result<ApplyResult> Apply(Engine& engine, const std::string& in_parquet, const nlohmann::json& operations,
                          const std::string& out_parquet,
                          const std::function<bool(double, const std::string&)>& on_progress = {});

/// The preview of operations on the full data (no file is written).
struct Preview {
  /// {"columns":[names], "rows":[[...]]}: up to `limit` changed input rows (removed rows
  /// included) in row order, and the same rows after the operations (a removed row is
  /// JSON null in after.rows).
  nlohmann::json before;
  nlohmann::json after;
  /// For each after row, the names of the cells that differ from before (all of a removed
  /// row's columns; new columns count as changed when non-null).
  std::vector<std::vector<std::string>> changed_cells;
  std::int64_t affected_rows = 0;
  std::int64_t row_count_before = 0;
  std::int64_t row_count_after = 0;
};

Result<Preview> MakePreview(Engine& engine, const std::string& in_parquet, const nlohmann::json& operations,
                            int limit = 100);

}  // namespace dm::engine::clean
