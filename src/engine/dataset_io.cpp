#include "engine/dataset_io.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

#include "engine/sql.h"

namespace dm::engine {

std::string ParquetWriteOptions(std::size_t column_count) {
  constexpr std::size_t kCellsPerRowGroup = 8'000'000;
  constexpr std::size_t kDuckDbDefaultRows = 122'880;
  constexpr std::size_t kVectorRows = 2'048;  // DuckDB's vector size: row groups are multiples
  std::size_t rows = kDuckDbDefaultRows;
  if (column_count > 0) {
    rows = std::clamp(kCellsPerRowGroup / column_count / kVectorRows * kVectorRows, kVectorRows,
                      kDuckDbDefaultRows);
  }
  return "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE " + std::to_string(rows) + ")";
}
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kXlsxMaxRows = 1048576;
constexpr std::size_t kXlsxMaxColumns = 16384;
constexpr std::size_t kXlsxMaxCellChars = 32767;

std::string ScrubPath(std::string message, const std::vector<std::string>& paths) {
  for (const auto& path : paths) {
    if (path.empty()) continue;
    for (std::size_t pos = message.find(path); pos != std::string::npos; pos = message.find(path, pos)) {
      message.replace(pos, path.size(), "the dataset");
      pos += 11;
    }
  }
  return message;
}

std::string ReadParquet(const std::string& parquet_path) {
  return "read_parquet(" + QuoteLiteral(parquet_path) + ")";
}

Status CheckParquetExists(const std::string& parquet_path) {
  std::error_code ec;
  if (!fs::is_regular_file(parquet_path, ec)) return NotFound("The dataset's data file could not be found.");
  return Status::Ok();
}

// ------------------------------------------------------------------ xlsx export

bool ParseDateTime(const std::string& text, lxw_datetime& out) {
  int y = 0, m = 0, d = 0, hh = 0, mm = 0;
  double ss = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return false;
  if (text.size() > 10 && (text[10] == 'T' || text[10] == ' ')) {
    if (std::sscanf(text.c_str() + 11, "%d:%d:%lf", &hh, &mm, &ss) != 3) return false;
  }
  if (y < 1900 || y > 9999) return false;
  out = lxw_datetime{y, m, d, hh, mm, ss};
  return true;
}

Status ExportXlsx(Connection& conn, const std::string& parquet_path, const std::string& out_path) {
  DM_ASSIGN_OR_RETURN(QueryResult count, conn.Query("SELECT count(*) FROM " + ReadParquet(parquet_path)));
  if (count.Cell(0, 0).get<std::int64_t>() + 1 > kXlsxMaxRows) {
    return Invalid(
        "The dataset has more rows than an XLSX sheet can hold (1,048,575); export it as CSV or "
        "Parquet instead.");
  }
  lxw_workbook_options workbook_options{};
  workbook_options.constant_memory = LXW_TRUE;
  const std::string tmpdir = fs::path(out_path).parent_path().string();
  workbook_options.tmpdir = const_cast<char*>(tmpdir.c_str());
  lxw_workbook* workbook = workbook_new_opt(out_path.c_str(), &workbook_options);
  if (workbook == nullptr) return Internal("The XLSX export file could not be created.");
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "data");
  lxw_format* date_format = workbook_add_format(workbook);
  format_set_num_format(date_format, "yyyy-mm-dd");
  lxw_format* timestamp_format = workbook_add_format(workbook);
  format_set_num_format(timestamp_format, "yyyy-mm-dd hh:mm:ss");
  lxw_format* header_format = workbook_add_format(workbook);
  format_set_bold(header_format);

  lxw_row_t row = 0;
  bool header_written = false;
  Status status = Status::Ok();
  const Status streamed =
      conn.Stream("SELECT * FROM " + ReadParquet(parquet_path), [&](const QueryResult& batch) {
        if (!header_written) {
          if (batch.ColumnCount() > kXlsxMaxColumns) {
            status = Invalid("The dataset has more columns than an XLSX sheet can hold (16,384).");
            return false;
          }
          for (std::size_t col = 0; col < batch.ColumnCount(); ++col) {
            worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(col), batch.ColumnName(col).c_str(),
                                   header_format);
          }
          header_written = true;
          row = 1;
        }
        for (std::int64_t r = 0; r < batch.RowCount(); ++r, ++row) {
          for (std::size_t col = 0; col < batch.ColumnCount(); ++col) {
            const nlohmann::json value = batch.Cell(r, col);
            const auto c = static_cast<lxw_col_t>(col);
            const duckdb_type type = batch.ColumnType(col);
            if (value.is_null()) continue;
            if (value.is_boolean()) {
              worksheet_write_boolean(sheet, row, c, value.get<bool>() ? 1 : 0, nullptr);
            } else if (value.is_number()) {
              worksheet_write_number(sheet, row, c, value.get<double>(), nullptr);
            } else if (value.is_string()) {
              std::string text = value.get<std::string>();
              lxw_datetime dt{};
              if (type == DUCKDB_TYPE_DATE && ParseDateTime(text, dt)) {
                worksheet_write_datetime(sheet, row, c, &dt, date_format);
              } else if ((type == DUCKDB_TYPE_TIMESTAMP || type == DUCKDB_TYPE_TIMESTAMP_TZ ||
                          type == DUCKDB_TYPE_TIMESTAMP_S || type == DUCKDB_TYPE_TIMESTAMP_MS ||
                          type == DUCKDB_TYPE_TIMESTAMP_NS) &&
                         ParseDateTime(text, dt)) {
                worksheet_write_datetime(sheet, row, c, &dt, timestamp_format);
              } else {
                if (text.size() > kXlsxMaxCellChars) text.resize(kXlsxMaxCellChars);
                worksheet_write_string(sheet, row, c, text.c_str(), nullptr);
              }
            } else {
              std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
              if (text.size() > kXlsxMaxCellChars) text.resize(kXlsxMaxCellChars);
              worksheet_write_string(sheet, row, c, text.c_str(), nullptr);
            }
          }
        }
        return true;
      });
  const lxw_error closed = workbook_close(workbook);
  DM_RETURN_IF_ERROR(streamed);
  DM_RETURN_IF_ERROR(status);
  if (closed != LXW_NO_ERROR) {
    return Internal(std::string("The XLSX export could not be written: ") + lxw_strerror(closed));
  }
  return Status::Ok();
}

// ------------------------------------------------------------------ sandbox

std::string FirstKeyword(const std::string& sql) {
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(') {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      const std::size_t end = sql.find('\n', i);
      i = end == std::string::npos ? sql.size() : end + 1;
    } else if (sql.compare(i, 2, "/*") == 0) {
      const std::size_t end = sql.find("*/", i + 2);
      i = end == std::string::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  std::string word;
  while (i < sql.size() && (std::isalpha(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) {
    word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i]))));
    ++i;
  }
  return word;
}

bool ContainsWord(const std::string& sql, const std::string& upper_word) {
  std::string upper;
  upper.reserve(sql.size());
  for (const char c : sql) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  for (std::size_t pos = upper.find(upper_word); pos != std::string::npos;
       pos = upper.find(upper_word, pos + 1)) {
    const bool left = pos == 0 || !std::isalnum(static_cast<unsigned char>(upper[pos - 1]));
    const std::size_t end = pos + upper_word.size();
    const bool right = end >= upper.size() || !std::isalnum(static_cast<unsigned char>(upper[end]));
    if (left && right) return true;
  }
  return false;
}

std::string TimeLimitText(int timeout_ms) {
  if (timeout_ms % 1000 == 0) return std::to_string(timeout_ms / 1000) + " s";
  return std::to_string(timeout_ms) + " ms";
}

}  // namespace

Result<std::vector<ColumnSchema>> ReadSchema(Engine& engine, const std::string& parquet_path) {
  DM_RETURN_IF_ERROR(CheckParquetExists(parquet_path));
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());
  auto schema = DescribeParquet(conn, parquet_path);
  if (!schema.ok()) {
    return Status(schema.status().code(), ScrubPath(schema.status().message(), {parquet_path}));
  }
  return schema;
}

namespace {

/// What a page of rows needs to know about a Parquet file besides the rows: its columns and
/// row count. A dataset version is an immutable file, so these are read once per file (the
/// entry is checked against the file's size and modification time) rather than with two
/// extra queries for every page.
struct ParquetFacts {
  std::uintmax_t size = 0;
  fs::file_time_type modified;
  std::vector<ColumnSchema> columns;
  std::int64_t rows = 0;
  /// The first rows in file order, read once by the first page within them: every visit of
  /// a dataset starts with its first page (the grid's first paint waits for it), and reading
  /// it decodes a whole row group each time (20-70 ms on 2 cores, far more while a browser
  /// loads on the same cores). At most kHeadCells cells and kHeadRows rows, and kept only
  /// when its JSON takes at most kHeadBytes (up to 256 files' facts are kept).
  static constexpr std::int64_t kHeadCells = 20000, kHeadRows = 1000;
  static constexpr std::size_t kHeadBytes = 256 << 10;
  mutable std::mutex head_mutex;
  mutable std::shared_ptr<const nlohmann::json> head;  ///< array of rows, once read
  mutable bool head_too_big = false;                   ///< read once, too big to keep

  std::int64_t HeadRowCount() const {
    const auto width = std::max<std::int64_t>(1, static_cast<std::int64_t>(columns.size()));
    return std::min({rows, kHeadRows, std::max<std::int64_t>(1, kHeadCells / width)});
  }
};

Result<std::shared_ptr<const ParquetFacts>> FactsOf(Connection& conn, const std::string& parquet_path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const ParquetFacts>> cache;
  constexpr std::size_t kMaxEntries = 256;
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(parquet_path, ec);
  if (ec) return NotFound("The dataset's data file could not be found.");
  const fs::file_time_type modified = fs::last_write_time(parquet_path, ec);
  if (ec) return NotFound("The dataset's data file could not be found.");
  {
    std::lock_guard<std::mutex> lock(mutex);
    const auto found = cache.find(parquet_path);
    if (found != cache.end() && found->second->size == size && found->second->modified == modified) {
      return found->second;
    }
  }
  auto facts = std::make_shared<ParquetFacts>();
  facts->size = size;
  facts->modified = modified;
  DM_ASSIGN_OR_RETURN(facts->columns, DescribeParquet(conn, parquet_path));
  DM_ASSIGN_OR_RETURN(QueryResult total, conn.Query("SELECT count(*) FROM " + ReadParquet(parquet_path)));
  facts->rows = total.Cell(0, 0).get<std::int64_t>();
  std::lock_guard<std::mutex> lock(mutex);
  if (cache.size() >= kMaxEntries && cache.find(parquet_path) == cache.end()) cache.erase(cache.begin());
  cache[parquet_path] = facts;
  return std::shared_ptr<const ParquetFacts>(std::move(facts));
}

bool SameIdentifier(const std::string& a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

Result<nlohmann::json> ReadRows(Engine& engine, const std::string& parquet_path, std::int64_t offset,
                                std::int64_t limit, const std::vector<std::pair<std::string, bool>>& sort) {
  if (offset < 0) return Invalid("offset must not be negative.");
  if (limit < 0) return Invalid("limit must not be negative.");
  DM_RETURN_IF_ERROR(CheckParquetExists(parquet_path));
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());
  DM_ASSIGN_OR_RETURN(std::shared_ptr<const ParquetFacts> facts, FactsOf(conn, parquet_path));
  const std::vector<ColumnSchema>& columns = facts->columns;
  std::string order;
  for (const auto& [name, descending] : sort) {
    const auto found =
        std::find_if(columns.begin(), columns.end(), [&](const auto& c) { return c.name == name; });
    if (found == columns.end()) {
      return Invalid("Cannot sort by \"" + name + "\": the dataset has no such column.", {{"column", name}});
    }
    order += (order.empty() ? " ORDER BY " : ", ") + QuoteIdent(name) + (descending ? " DESC" : " ASC") +
             " NULLS LAST";
  }
  nlohmann::json names = nlohmann::json::array();
  for (const auto& column : columns) names.push_back(column.name);
  nlohmann::json rows = nlohmann::json::array();
  const std::int64_t end = limit > facts->rows - offset ? facts->rows : offset + limit;
  // In file order a page is a range of row numbers: filtering on file_row_number lets the
  // Parquet reader skip every row group outside it (LIMIT/OFFSET would decode the row groups
  // of a parallel scan that are then thrown away). Not when a column has that name.
  const bool by_row_number =
      order.empty() && !columns.empty() && std::none_of(columns.begin(), columns.end(), [](const auto& c) {
        return SameIdentifier(c.name, "file_row_number");
      });
  auto range_sql = [&](std::int64_t from, std::int64_t to) {
    std::string select;
    for (const auto& column : columns) select += (select.empty() ? "" : ", ") + QuoteIdent(column.name);
    return "SELECT " + select + " FROM read_parquet(" + QuoteLiteral(parquet_path) +
           ", file_row_number = true) WHERE file_row_number >= " + std::to_string(from) +
           " AND file_row_number < " + std::to_string(to) + " ORDER BY file_row_number";
  };
  std::shared_ptr<const nlohmann::json> head;
  bool use_head = offset < end && by_row_number && end <= facts->HeadRowCount();
  if (use_head) {
    std::lock_guard<std::mutex> lock(facts->head_mutex);
    head = facts->head;
    use_head = !facts->head_too_big;
  }
  if (use_head) {
    if (!head) {
      DM_ASSIGN_OR_RETURN(QueryResult first, conn.Query(range_sql(0, facts->HeadRowCount())));
      head = std::make_shared<const nlohmann::json>(first.Rows());
      const bool too_big = head->dump().size() > ParquetFacts::kHeadBytes;
      std::lock_guard<std::mutex> lock(facts->head_mutex);
      if (too_big) {
        facts->head_too_big = true;  // served this once, read page by page from now on
      } else if (!facts->head) {
        facts->head = head;
      }
    }
    for (std::int64_t i = offset; i < end && i < static_cast<std::int64_t>(head->size()); ++i) {
      rows.push_back((*head)[static_cast<std::size_t>(i)]);
    }
  } else if (offset < end) {
    std::string sql;
    if (by_row_number) {
      sql = range_sql(offset, end);
    } else {
      sql = "SELECT * FROM " + ReadParquet(parquet_path) + order + " LIMIT " + std::to_string(limit) +
            " OFFSET " + std::to_string(offset);
    }
    DM_ASSIGN_OR_RETURN(QueryResult page, conn.Query(sql));
    rows = page.Rows();
  }
  return nlohmann::json{{"columns", std::move(names)},
                        {"rows", std::move(rows)},
                        {"total", facts->rows},
                        {"offset", offset},
                        {"limit", limit}};
}

Status ExportFile(Engine& engine, const std::string& parquet_path, const std::string& format,
                  const std::string& out_path) {
  DM_RETURN_IF_ERROR(CheckParquetExists(parquet_path));
  std::string options;
  if (format == "csv") {
    options = "FORMAT csv, HEADER true";
  } else if (format == "json") {
    options = "FORMAT json, ARRAY true";
  } else if (format == "ndjson") {
    options = "FORMAT json";
  } else if (format == "parquet") {
    // Every stored version is already Parquet written by DuckDB with zstd: copying its bytes
    // gives the same file a COPY would rewrite, without decoding and re-encoding every row.
    std::error_code ec;
    fs::copy_file(parquet_path, out_path, fs::copy_options::overwrite_existing, ec);
    if (ec) return Internal("The export failed: the file could not be written (" + ec.message() + ").");
    return Status::Ok();
  } else if (format != "xlsx") {
    return Invalid("Unknown export format \"" + format + "\"; use csv, json, ndjson, parquet or xlsx.");
  }
  std::string select = "*";
  if (format == "json" || format == "ndjson") {
    // JSON has no NaN or Infinity: non-finite floats are written as null (as pandas does).
    DM_ASSIGN_OR_RETURN(std::vector<ColumnSchema> schema, ReadSchema(engine, parquet_path));
    select.clear();
    for (const ColumnSchema& c : schema) {
      const std::string id = QuoteIdent(c.name);
      if (!select.empty()) select += ", ";
      select += (c.duckdb_type == "DOUBLE" || c.duckdb_type == "FLOAT")
                    ? "CASE WHEN isfinite(" + id + ") THEN " + id + " END AS " + id
                    : id;
    }
    if (select.empty()) select = "*";
  }
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());
  Status status = format == "xlsx"
                      ? ExportXlsx(conn, parquet_path, out_path)
                      : conn.Execute("COPY (SELECT " + select + " FROM " + ReadParquet(parquet_path) +
                                     ") TO " + QuoteLiteral(out_path) + " (" + options + ")");
  if (!status.ok()) {
    return Status(status.code() == ErrorCode::VALIDATION_ERROR ? ErrorCode::INTERNAL : status.code(),
                  "The export failed: " + ScrubPath(status.message(), {parquet_path, out_path}));
  }
  return Status::Ok();
}

Result<nlohmann::json> RunSandboxedQuery(const std::string& parquet_path, const std::string& sql,
                                         const QueryLimits& limits) {
  DM_RETURN_IF_ERROR(CheckParquetExists(parquet_path));
  static const std::vector<std::string> kAllowedFirstWords = {"SELECT", "WITH",     "VALUES", "FROM",
                                                              "TABLE",  "DESCRIBE", "SHOW",   "SUMMARIZE",
                                                              "PIVOT",  "UNPIVOT",  "EXPLAIN"};
  const std::string first = FirstKeyword(sql);
  if (first.empty()) return Invalid("The query is empty.");
  if (std::find(kAllowedFirstWords.begin(), kAllowedFirstWords.end(), first) == kAllowedFirstWords.end()) {
    return Invalid(
        "Only read-only queries are allowed (SELECT, WITH, VALUES, FROM, TABLE, DESCRIBE, SHOW, "
        "SUMMARIZE, PIVOT, UNPIVOT, EXPLAIN); " +
        first + " statements are not.");
  }

  DatabaseConfig config;
  config["threads"] = "1";
  config["memory_limit"] = limits.memory_limit;
  config["autoinstall_known_extensions"] = "false";
  config["autoload_known_extensions"] = "false";
  config["allow_community_extensions"] = "false";
  config["allow_unsigned_extensions"] = "false";
  auto database = Database::Open(":memory:", config);
  if (!database.ok()) return Internal("The query sandbox could not be started.");
  DM_ASSIGN_OR_RETURN(Connection conn, Connection::Open(*database));
  const std::string setup = "SET allowed_paths = [" + QuoteLiteral(parquet_path) +
                            "]; SET enable_external_access = false; CREATE VIEW data AS SELECT * FROM " +
                            ReadParquet(parquet_path) + "; SET lock_configuration = true";
  if (Status s = conn.Execute(setup); !s.ok()) {
    return Internal("The query sandbox could not be prepared: " + ScrubPath(s.message(), {parquet_path}));
  }

  // The time limit: a timer interrupts the connection.
  std::mutex mutex;
  std::condition_variable cv;
  bool finished = false;
  bool timed_out = false;
  std::thread timer([&] {
    std::unique_lock<std::mutex> lock(mutex);
    if (!cv.wait_for(lock, std::chrono::milliseconds(limits.timeout_ms), [&] { return finished; })) {
      timed_out = true;
      conn.Interrupt();
    }
  });

  nlohmann::json columns = nlohmann::json::array();
  nlohmann::json types = nlohmann::json::array();
  nlohmann::json rows = nlohmann::json::array();
  bool truncated = false;
  const Status status = conn.StreamSingleStatement(
      sql,
      [&](duckdb_prepared_statement prepared) -> Status {
        const duckdb_statement_type type = duckdb_prepared_statement_type(prepared);
        if (type == DUCKDB_STATEMENT_TYPE_SELECT) return Status::Ok();
        if (type == DUCKDB_STATEMENT_TYPE_EXPLAIN && !ContainsWord(sql, "ANALYZE") &&
            !ContainsWord(sql, "ANALYSE")) {
          return Status::Ok();
        }
        return Invalid(
            "Only read-only queries are allowed; this statement would change or reach outside the "
            "dataset.");
      },
      [&](const QueryResult& batch) {
        if (columns.empty()) {
          for (std::size_t col = 0; col < batch.ColumnCount(); ++col) {
            columns.push_back(batch.ColumnName(col));
            types.push_back(batch.ColumnTypeName(col));
          }
        }
        for (std::int64_t r = 0; r < batch.RowCount(); ++r) {
          if (static_cast<std::int64_t>(rows.size()) >= limits.max_rows) {
            truncated = true;
            return false;
          }
          rows.push_back(batch.Row(r));
        }
        return true;
      });
  {
    std::lock_guard<std::mutex> lock(mutex);
    finished = true;
  }
  cv.notify_all();
  timer.join();
  if (timed_out) {
    return Invalid("The query exceeded the " + TimeLimitText(limits.timeout_ms) + " time limit.");
  }
  if (!status.ok()) {
    std::string message = ScrubPath(ScrubPath(status.message(), {parquet_path}),
                                    {fs::path(parquet_path).parent_path().string()});
    if (status.code() == ErrorCode::UNAVAILABLE) {
      return Invalid("The query needs more memory than its " + limits.memory_limit + " limit: " + message);
    }
    return Invalid(std::move(message));
  }
  // Catalog functions (duckdb_settings(), duckdb_views()) can echo where the file lives:
  // results never show server paths.
  std::vector<std::string> hidden = {parquet_path, fs::path(parquet_path).parent_path().string()};
  if (const auto blobs = parquet_path.find("/blobs/"); blobs != std::string::npos) {
    hidden.push_back(parquet_path.substr(0, blobs + 7));
    hidden.push_back(parquet_path.substr(0, blobs));
  }
  std::function<void(nlohmann::json&)> scrub = [&](nlohmann::json& v) {
    if (v.is_string()) {
      v = ScrubPath(v.get<std::string>(), hidden);
    } else if (v.is_array() || v.is_object()) {
      for (auto& item : v) scrub(item);
    }
  };
  scrub(rows);
  const auto row_count = static_cast<std::int64_t>(rows.size());
  return nlohmann::json{{"columns", std::move(columns)},
                        {"column_types", std::move(types)},
                        {"rows", std::move(rows)},
                        {"row_count", row_count},
                        {"truncated", truncated}};
}

}  // namespace dm::engine
