#pragma once
/// Turns an uploaded file into one Parquet file per table, written by DuckDB.
/// CSV/TSV, JSON/NDJSON and Parquet are read by DuckDB itself (no per-row C++ work);
/// XLSX/ODS/XLS are streamed through SpreadsheetReader and loaded with the appender.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "engine/duckdb.h"

namespace dm::engine {

/// One column of a table.
struct ColumnSchema {
  std::string name;
  /// API type: integer, float, decimal, boolean, date, timestamp, time, string.
  std::string type;
  /// DuckDB's spelling of the stored type, e.g. "BIGINT", "DECIMAL(18,3)".
  std::string duckdb_type;
  bool nullable = true;
};

/// A source row that could not be read (too many/few fields, bad encoding, bad value).
struct RejectedRow {
  std::int64_t line = 0;  ///< 1-based line number in the (UTF-8) source text
  std::string reason;
};

/// One table found in a file and written to Parquet.
struct TableInfo {
  std::string name;          ///< sheet name, or the file's stem for single-table formats
  std::string parquet_path;  ///< <output_dir>/table_<n>.parquet, n counting from 1
  /// Instead, with IngestOptions::database: the table "<database>"."table_<n>", as SQL.
  std::string table;
  std::int64_t row_count = 0;
  std::vector<ColumnSchema> columns;
  std::int64_t rejected_row_count = 0;
  std::vector<RejectedRow> rejected_rows;  ///< the first 100
  /// How the table was read: e.g. {"delimiter":";","quote":"\"","header":true,
  /// "encoding":"utf-16le","decimal_separator":","} or {"sheet":"Sales","header_row":1}.
  nlohmann::json details = nlohmann::json::object();
};

struct IngestOptions {
  std::string output_dir;  ///< table_<n>.parquet files are written here
  /// When set, tables go to DuckDB tables "<database>"."table_<n>" of the engine's database
  /// (an attached database, or "memory", the engine's own) instead of Parquet files, and
  /// ColumnSchema::nullable stays true. For one-off reads (the CLI's profile) that would only
  /// delete the Parquet file again: DuckDB's own storage is written ~40% faster.
  std::string database;
  /// With `database`: delimited text with more columns than this still goes to Parquet (0: no
  /// bound). DuckDB writes wide tables slower than Parquet (300 text columns: 3.5 s against
  /// 2.2 s for the same 60 MB CSV).
  std::size_t database_max_columns = 0;
  std::string work_dir;  ///< scratch space (transcoded text); must exist
  std::uint64_t max_cell_bytes = 16 << 20;
  int max_columns = 20000;
};

/// Progress callback: fraction in [0,1] and a short message. Return false to cancel.
/// Always called on the thread that called IngestFile.
using ProgressFn = std::function<bool(double fraction, const std::string& message)>;

/// Reads `path` (content already detected as `format`, see DetectFormat) and writes each
/// table to its own Parquet file. Errors: UNSUPPORTED_FORMAT (pdf, image, unknown),
/// VALIDATION_ERROR (empty, unreadable or hostile content, limits exceeded), CANCELED.
/// Messages never contain server paths.
Result<std::vector<TableInfo>> IngestFile(Engine& engine, const std::string& path, const std::string& format,
                                          const IngestOptions& options, const ProgressFn& progress);

/// The API type for a DuckDB type name: TINYINT..HUGEINT/UBIGINT => integer, FLOAT/DOUBLE =>
/// float, DECIMAL => decimal, BOOLEAN, DATE, TIMESTAMP (any precision or zone) => timestamp,
/// TIME => time, everything else => string.
std::string ApiTypeFor(const std::string& duckdb_type);

/// The schema of a Parquet file (names, DuckDB and API types; nullable from the statistics).
Result<std::vector<ColumnSchema>> DescribeParquet(Connection& connection, const std::string& parquet_path);

/// Makes column names usable and unique: trims whitespace, replaces empty names with
/// "column_<i>" (1-based position) and suffixes duplicates "_2", "_3"... (case-insensitive,
/// as DuckDB compares identifiers case-insensitively).
std::vector<std::string> MakeColumnNamesUnique(const std::vector<std::string>& names);

}  // namespace dm::engine
