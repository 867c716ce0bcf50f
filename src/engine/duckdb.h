#pragma once
/// A small RAII layer over the DuckDB C API. A failed duckdb_state and DuckDB's message
/// become a Status right here; nothing else in the engine touches raw DuckDB handles
/// except through these classes.

#include <duckdb.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace dm::engine {

/// DuckDB settings applied when a database opens, e.g. {"memory_limit","2GB"},
/// {"threads","4"}, {"temp_directory","/tmp/x"}, {"enable_external_access","false"},
/// {"autoload_known_extensions","false"}, {"lock_configuration","true"}.
/// "allowed_paths" / "allowed_directories" take a comma-free list joined with '\n' and are
/// applied with SET after opening (DuckDB does not accept lists in the C config).
using DatabaseConfig = std::map<std::string, std::string>;

/// An open DuckDB database (in-memory or file). Move-only.
class Database {
 public:
  /// Opens `path` ("" or ":memory:" for in-memory) with `config`.
  static Result<Database> Open(const std::string& path, const DatabaseConfig& config = {});

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  /// The raw handle; owned by this object.
  duckdb_database handle() const { return db_; }

 private:
  Database() = default;
  duckdb_database db_ = nullptr;
};

/// The column metadata and (some or all of) the rows of a query result. Values are read
/// with DuckDB's data chunk API and converted to typed JSON:
/// integers as numbers (HUGEINT/UHUGEINT outside the int64/uint64 range as decimal strings),
/// FLOAT/DOUBLE as numbers (NaN/Infinity as the strings "NaN"/"Infinity"/"-Infinity"),
/// DECIMAL of width <= 15 as numbers and wider as exact decimal strings, BOOLEAN as bool,
/// DATE "YYYY-MM-DD", TIME "HH:MM:SS[.ffffff]", TIMESTAMP "YYYY-MM-DDTHH:MM:SS[.ffffff]"
/// (TIMESTAMPTZ with a trailing "Z", stored in UTC), UUID/ENUM/VARCHAR as strings, BLOB as a
/// string with non-printable bytes escaped "\xHH", LIST/ARRAY as arrays, STRUCT/MAP as
/// objects, INTERVAL as an ISO-8601 duration, NULL as null. Move-only.
class QueryResult {
 public:
  QueryResult() = default;
  QueryResult(QueryResult&&) noexcept = default;
  QueryResult& operator=(QueryResult&&) noexcept = default;
  QueryResult(const QueryResult&) = delete;
  QueryResult& operator=(const QueryResult&) = delete;
  ~QueryResult() = default;

  std::size_t ColumnCount() const { return names_.size(); }
  const std::vector<std::string>& ColumnNames() const { return names_; }
  const std::string& ColumnName(std::size_t col) const { return names_[col]; }
  /// DuckDB's type id of a column.
  duckdb_type ColumnType(std::size_t col) const { return type_ids_[col]; }
  /// DuckDB's SQL spelling of a column's type, e.g. "DECIMAL(18,3)", "VARCHAR[]".
  const std::string& ColumnTypeName(std::size_t col) const { return type_names_[col]; }
  /// DuckDB's logical type of a column; owned by this object.
  duckdb_logical_type ColumnLogicalType(std::size_t col) const { return types_[col].get(); }
  /// Rows held by this object.
  std::int64_t RowCount() const { return row_count_; }
  /// One cell as typed JSON (see the class comment). `row` < RowCount(), `col` < ColumnCount().
  nlohmann::json Cell(std::int64_t row, std::size_t col) const;
  /// One row as a JSON array.
  nlohmann::json Row(std::int64_t row) const;
  /// All held rows as an array of arrays.
  nlohmann::json Rows() const;
  /// A cell as text (null => empty optional-like ""), convenient for metadata queries.
  std::string CellString(std::int64_t row, std::size_t col) const;
  /// True when the cell is NULL.
  bool IsNull(std::int64_t row, std::size_t col) const;

 private:
  friend class Connection;
  struct LogicalTypeDeleter {
    void operator()(duckdb_logical_type type) const { duckdb_destroy_logical_type(&type); }
  };
  struct ChunkDeleter {
    void operator()(duckdb_data_chunk chunk) const { duckdb_destroy_data_chunk(&chunk); }
  };
  using LogicalTypePtr = std::unique_ptr<std::remove_pointer_t<duckdb_logical_type>, LogicalTypeDeleter>;
  using ChunkPtr = std::unique_ptr<std::remove_pointer_t<duckdb_data_chunk>, ChunkDeleter>;

  void InitColumns(duckdb_result& result);
  void AddChunk(duckdb_data_chunk chunk);
  void ClearRows();
  /// The chunk and row-within-chunk holding `row`.
  std::pair<duckdb_data_chunk, idx_t> Locate(std::int64_t row) const;

  std::vector<std::string> names_;
  std::vector<duckdb_type> type_ids_;
  std::vector<std::string> type_names_;
  std::vector<LogicalTypePtr> types_;
  std::vector<ChunkPtr> chunks_;
  std::vector<std::int64_t> chunk_starts_;
  std::int64_t row_count_ = 0;
};

/// A connection to a Database. Not thread-safe except Interrupt() and Progress(), which may be
/// called from another thread while a query runs. Move-only.
class Connection {
 public:
  /// Connects to `database`, which must outlive the connection.
  static Result<Connection> Open(Database& database);

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// Runs `sql` (one or more statements) and materializes the last statement's result.
  Result<QueryResult> Query(std::string_view sql);
  /// Runs `sql` (one or more statements) and discards the result.
  Status Execute(std::string_view sql);
  /// Runs one statement and hands its result to `on_batch` one data chunk at a time (the
  /// QueryResult passed holds only the current batch; an empty result is delivered once with no
  /// rows, so the columns are always seen). Return false to stop early.
  Status Stream(std::string_view sql, const std::function<bool(const QueryResult& batch)>& on_batch);
  /// Like Stream(), for untrusted SQL: `sql` must hold exactly one statement, which is
  /// prepared and handed to `check` (e.g. to allow only read-only statement types) before it
  /// runs. Errors: VALIDATION_ERROR for parse errors, several statements or a refused check.
  Status StreamSingleStatement(std::string_view sql,
                               const std::function<Status(duckdb_prepared_statement)>& check,
                               const std::function<bool(const QueryResult& batch)>& on_batch);
  /// Asks the running query to stop; it then fails with ErrorCode::CANCELED.
  void Interrupt();
  /// The running query's progress in [0,1], or a negative value when unknown.
  double Progress();

  /// The raw handle; owned by this object.
  duckdb_connection handle() const { return conn_; }

 private:
  Connection() = default;
  /// Runs a prepared statement as a streaming query; takes ownership of `prepared`.
  Status StreamPrepared(duckdb_prepared_statement prepared,
                        const std::function<bool(const QueryResult& batch)>& on_batch);
  duckdb_connection conn_ = nullptr;
};

/// Appends rows to a table with DuckDB's appender. Call the Append* functions once per
/// column, then EndRow(); Close() (or the destructor) flushes. Move-only.
class Appender {
 public:
  /// An appender on `table` (in the main schema) of `connection`, which must outlive it.
  static Result<Appender> Create(Connection& connection, const std::string& table);

  Appender(Appender&& other) noexcept;
  Appender& operator=(Appender&& other) noexcept;
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;
  ~Appender();

  Status AppendNull();
  Status AppendBool(bool value);
  Status AppendInt64(std::int64_t value);
  Status AppendDouble(double value);
  Status AppendVarchar(std::string_view value);
  /// A DATE from its parts.
  Status AppendDate(int year, int month, int day);
  /// A TIMESTAMP from its parts.
  Status AppendTimestamp(int year, int month, int day, int hour, int minute, int second, int micros);
  Status EndRow();
  Status Flush();
  Status Close();

 private:
  Appender() = default;
  Status Check(duckdb_state state);
  duckdb_appender appender_ = nullptr;
};

/// Options for the process-wide engine database.
struct EngineOptions {
  std::string temp_dir;  ///< DuckDB spill directory ("" = DuckDB's default)
  std::string memory_limit = "2GB";
  int threads = 0;  ///< 0 = DuckDB default
};

/// One process-wide in-memory DuckDB database used for ingest, export and row reads.
/// Thread-safe: each caller takes its own Connection.
class Engine {
 public:
  /// Opens the database; a failure is kept and returned by status() and Connect().
  explicit Engine(EngineOptions options = {});
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine();

  /// Whether the database opened.
  const Status& status() const { return status_; }
  /// A new connection to the engine database.
  Result<Connection> Connect();
  const EngineOptions& options() const { return options_; }
  /// A separate, short-lived database with the engine's settings plus `extra`, for work that
  /// needs a setting the shared database must not have (the profiler's Parquet footer cache,
  /// which DuckDB never evicts; extension settings like that one are SET after opening). Its memory limit is
  /// counted apart from the engine's.
  Result<Database> OpenScratch(const DatabaseConfig& extra) const;

 private:
  DatabaseConfig Config() const;
  EngineOptions options_;
  Status status_;
  std::unique_ptr<Database> database_;
};

/// DuckDB's SQL spelling of a logical type, e.g. "DECIMAL(18,3)", "STRUCT(a INTEGER)".
std::string LogicalTypeName(duckdb_logical_type type);

/// Runs `sql` on `conn` in a helper thread while polling DuckDB's progress every 200 ms on
/// the calling thread, reporting `base + span * fraction` with `message`. When `progress`
/// returns false the query is interrupted and CANCELED with `canceled_message` is returned.
/// Without `progress`, just runs `sql` (DuckDB's progress tracking stays off: it costs CPU).
Result<QueryResult> RunWithProgress(Connection& conn, const std::string& sql,
                                    const std::function<bool(double, const std::string&)>& progress,
                                    double base, double span, const std::string& message,
                                    const std::string& canceled_message);

}  // namespace dm::engine
