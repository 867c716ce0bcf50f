#include "engine/ingest.h"

#include <iconv.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_set>

#include "engine/dataset_io.h"
#include "engine/format_detector.h"
#include "engine/spreadsheet_reader.h"
#include "engine/sql.h"

namespace dm::engine {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxRejectedRowsKept = 100;

std::string ToUpper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string ToLower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n\f\v");
  return std::string(text.substr(first, last - first + 1));
}

/// Replaces every occurrence of the given paths in a DuckDB message with a neutral name,
/// so that messages never reveal where the server keeps its files.
std::string ScrubPaths(std::string message, const std::vector<std::string>& paths) {
  std::vector<std::string> sorted = paths;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& path : sorted) {
    if (path.empty()) continue;
    for (std::size_t pos = message.find(path); pos != std::string::npos; pos = message.find(path, pos)) {
      message.replace(pos, path.size(), "the file");
      pos += 8;
    }
  }
  // Drop DuckDB's long "Possible fixes" advice: it names SQL options the user cannot set.
  if (const auto fixes = message.find("\nThe search space used was"); fixes != std::string::npos) {
    message.erase(fixes);
  } else if (const auto more = message.find("\nPossible fixes"); more != std::string::npos) {
    message.erase(more);
  }
  // DuckDB quotes the offending line whole: keep its start only (a line may be megabytes).
  constexpr std::size_t kQuotedLineChars = 200;
  if (const auto quoted = message.find("Original Line: "); quoted != std::string::npos) {
    const std::size_t from = quoted + 15;
    const std::size_t to = std::min(message.find('\n', from), message.size());
    if (to - from > kQuotedLineChars)
      message.replace(from + kQuotedLineChars, to - from - kQuotedLineChars, "...");
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// ------------------------------------------------------------------ progress / running

const std::string kImportCanceled = "The import was canceled.";

// ------------------------------------------------------------------ schema

/// The statement that writes `select_sql`'s rows to where `table` goes: its Parquet file, or
/// its table when IngestOptions::database is set (replacing it on a second read).
std::string WriteTable(const std::string& select_sql, const TableInfo& table, std::size_t column_count) {
  if (!table.table.empty()) return "CREATE OR REPLACE TABLE " + table.table + " AS " + select_sql;
  return "COPY (" + select_sql + ") TO " + QuoteLiteral(table.parquet_path) + " " +
         ParquetWriteOptions(column_count);
}

std::int64_t CopiedRowCount(const QueryResult& copy_result) {
  if (copy_result.RowCount() == 0 || copy_result.ColumnCount() == 0) return 0;
  const nlohmann::json value = copy_result.Cell(0, 0);
  return value.is_number() ? value.get<std::int64_t>() : 0;
}

/// Sets where the `index`th table of a file goes (see IngestOptions::database).
void SetTarget(TableInfo& table, const IngestOptions& options, std::size_t index) {
  const std::string stem = "table_" + std::to_string(index + 1);
  if (options.database.empty()) {
    table.parquet_path = (fs::path(options.output_dir) / (stem + ".parquet")).string();
  } else {
    table.table = QuoteIdent(options.database) + "." + QuoteIdent(stem);
  }
}

/// The columns a DESCRIBE lists (name, DuckDB type and API type; nullable left true).
std::vector<ColumnSchema> DescribedColumns(const QueryResult& described) {
  std::vector<ColumnSchema> columns;
  for (std::int64_t row = 0; row < described.RowCount(); ++row) {
    ColumnSchema column;
    column.name = described.CellString(row, 0);
    column.duckdb_type = described.CellString(row, 1);
    column.type = ApiTypeFor(column.duckdb_type);
    columns.push_back(std::move(column));
  }
  return columns;
}

/// The columns of a table just written (DescribeParquet for a Parquet file).
Result<std::vector<ColumnSchema>> DescribeWritten(Connection& conn, const TableInfo& table) {
  if (table.table.empty()) return DescribeParquet(conn, table.parquet_path);
  DM_ASSIGN_OR_RETURN(QueryResult described, conn.Query("DESCRIBE " + table.table));
  return DescribedColumns(described);
}

Status CheckColumnCount(std::size_t count, const IngestOptions& options) {
  if (count > static_cast<std::size_t>(options.max_columns)) {
    return Invalid("The table has " + std::to_string(count) + " columns; at most " +
                   std::to_string(options.max_columns) + " are supported.");
  }
  if (count == 0) return Invalid("No columns were found in the file.");
  return Status::Ok();
}

// ------------------------------------------------------------------ transcoding

/// Streams `in_path` in `from` encoding into UTF-8 at `out_path`, dropping a BOM. Bytes that
/// are undefined in Windows-1252 are kept as the Latin-1 code point of the same value.
Status TranscodeToUtf8(const std::string& in_path, const std::string& out_path, const std::string& from) {
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1))
    return Internal("The text converter for " + from + " is not available.");
  std::ifstream in(in_path, std::ios::binary);
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!in || !out) {
    iconv_close(cd);
    return Internal("The scratch space for converting the file's text encoding is not available.");
  }
  std::vector<char> in_buf(1 << 20);
  std::vector<char> out_buf(4 << 20);
  std::size_t carry = 0;
  bool first = true;
  Status status = Status::Ok();
  while (true) {
    in.read(in_buf.data() + carry, static_cast<std::streamsize>(in_buf.size() - carry));
    const std::size_t got = static_cast<std::size_t>(in.gcount());
    std::size_t avail = carry + got;
    const bool eof = got == 0;
    if (avail == 0) break;
    char* src = in_buf.data();
    if (first) {
      first = false;
      if ((from == "UTF-16LE" && avail >= 2 && static_cast<unsigned char>(src[0]) == 0xFF &&
           static_cast<unsigned char>(src[1]) == 0xFE) ||
          (from == "UTF-16BE" && avail >= 2 && static_cast<unsigned char>(src[0]) == 0xFE &&
           static_cast<unsigned char>(src[1]) == 0xFF)) {
        src += 2;
        avail -= 2;
      }
    }
    while (avail > 0) {
      char* dst = out_buf.data();
      std::size_t dst_left = out_buf.size();
      const std::size_t rc = iconv(cd, &src, &avail, &dst, &dst_left);
      out.write(out_buf.data(), static_cast<std::streamsize>(out_buf.size() - dst_left));
      if (rc != static_cast<std::size_t>(-1)) continue;
      if (errno == E2BIG) continue;
      if (errno == EINVAL && !eof) break;  // incomplete sequence at the buffer end: read more
      // Invalid or (at EOF) incomplete input: keep the byte as its Latin-1 code point (for
      // 8-bit encodings) or U+FFFD (UTF-16), and go on.
      const auto byte = static_cast<unsigned char>(*src);
      if (from == "WINDOWS-1252") {
        const char two[2] = {static_cast<char>(0xC0 | (byte >> 6)), static_cast<char>(0x80 | (byte & 0x3F))};
        out.write(two, 2);
        ++src;
        --avail;
      } else {
        out.write("\xEF\xBF\xBD", 3);
        const std::size_t skip = std::min<std::size_t>(2, avail);
        src += skip;
        avail -= skip;
      }
    }
    if (eof) break;
    // Keep an incomplete trailing sequence for the next read.
    carry = avail;
    if (carry > 0) std::memmove(in_buf.data(), src, carry);
  }
  iconv_close(cd);
  if (!out) status = Internal("The scratch space ran out while converting the file's text encoding.");
  return status;
}

// ------------------------------------------------------------------ names and types

std::string ColumnsStructLiteral(const std::vector<std::string>& names,
                                 const std::vector<std::string>& types) {
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += QuoteLiteral(names[i]) + ": " + QuoteLiteral(types[i]);
  }
  return out + "}";
}

// ------------------------------------------------------------------ CSV

struct CsvDialect {
  std::string delimiter = ",";
  std::string quote = "\"";
  std::string escape = "\"";
  std::string comment;
  std::int64_t skip = 0;
  bool header = true;
  bool strict = true;
  std::string decimal_separator = ".";
  std::string date_format;
  std::string timestamp_format;
  std::vector<std::string> names;
  std::vector<std::string> types;
};

std::string SnifferValue(const std::string& value) {
  return value == "(empty)" ? "" : value;
}

/// The line and buffer sizes for DuckDB's CSV reader and sniffer. Raising max_line_size above
/// DuckDB's 2 MB default also makes DuckDB size its buffers at 16 lines, i.e. one 285 MB
/// buffer for our 17 MB lines: a 100 MB file is then one buffer, scanned by one thread, and
/// the sniffer reads the whole file. Naming buffer_size keeps the buffers at DuckDB's default
/// (32 MB), or twice the longest line when that is larger, which it requires (> max_line_size).
/// A row longer than a whole buffer is dropped by DuckDB without a word (even with
/// store_rejects): IngestCsv refuses files with lines over max_line_size (FindLongestLine).
std::string CsvSizeOptions(std::uint64_t max_line_size) {
  constexpr std::uint64_t kDuckDbDefaultBufferSize = 32'000'000;
  const std::uint64_t buffer_size = std::max<std::uint64_t>(kDuckDbDefaultBufferSize, 2 * max_line_size);
  return ", max_line_size=" + std::to_string(max_line_size) + ", buffer_size=" + std::to_string(buffer_size);
}

/// DuckDB's default line size, and buffers twice that: for reading the first rows only
/// (sniffing, the header), where the reader's large buffers cost more than the work itself.
constexpr std::uint64_t kShortLineSize = 2'000'000;

std::string ShortCsvSizeOptions() {
  return ", max_line_size=" + std::to_string(kShortLineSize) +
         ", buffer_size=" + std::to_string(2 * kShortLineSize);
}

/// DuckDB's default line size, and buffers of four lines: for reading a file whose rows are
/// all short (FindLongestLine; DuckDB drops a row longer than its buffer without a word). Measured on the 100
/// MB CSV of bench/profile, these buffers touch ~80 MB less memory than CsvSizeOptions' 34 MB ones, which
/// makes the read ~20% faster on virtual machines where a page fault costs ~12 us. Rows rejected for their
/// length (quoted line breaks can make a row longer than its lines) are read again with CsvSizeOptions.
std::string FirstReadSizeOptions() {
  return ", max_line_size=" + std::to_string(kShortLineSize) +
         ", buffer_size=" + std::to_string(4 * kShortLineSize);
}

/// "17.0 MB": bytes in megabytes (2^20) with one decimal.
std::string Megabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

struct LongestLine {
  std::uint64_t bytes = 0;  ///< without its line break
  std::int64_t number = 0;  ///< 1-based
  /// The longest row, counting line breaks inside double quotes as part of the row (an odd
  /// number of '"' so far keeps the row open): at least `bytes`.
  std::uint64_t row_bytes = 0;
  /// The longest line starting in the first 2 * kShortLineSize bytes, which the sniffer's
  /// short attempt reads (SniffCsvOnce).
  std::uint64_t near_start_bytes = 0;
};

/// The longest line of a text file (ended by \n, \r\n or \r) and the longest row if '"' is
/// its quote, found with memchr: ~40 ms per 100 MB of cached file.
LongestLine FindLongestLine(const std::string& path) {
  LongestLine longest;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return longest;
  std::vector<char> buf(1 << 20);
  std::uint64_t run = 0, row = 0;
  std::uint64_t offset = 0, line_start = 0;  // in the file: of `buf`, of the current line
  std::int64_t line = 1;
  bool quoted = false;
  auto piece = [&](const char* from, const char* to) {
    const auto length = static_cast<std::uint64_t>(to - from);
    run += length;
    row += length;
    if (std::count(from, to, '"') % 2 != 0) quoted = !quoted;
  };
  // `next`: where the line after the break starts, in the file.
  auto line_break = [&](bool counts, std::uint64_t next) {
    if (run > longest.bytes) {
      longest.bytes = run;
      longest.number = line;
    }
    if (line_start < 2 * kShortLineSize) longest.near_start_bytes = std::max(longest.near_start_bytes, run);
    run = 0;
    line_start = next;
    if (quoted) {
      ++row;
    } else {
      longest.row_bytes = std::max(longest.row_bytes, row);
      row = 0;
    }
    if (counts) ++line;
  };
  while (true) {
    const std::size_t got = std::fread(buf.data(), 1, buf.size(), file);
    if (got == 0) break;
    const char* p = buf.data();
    const char* const end = p + got;
    // Stretches whose \r all come right before a \n (Unix and Windows line breaks) go one
    // memchr per line and one per quote, not a count over every line (the 1 GB bench CSV:
    // 0.8 s -> 0.3 s); stretches with a lone \r (old Mac files, or a \r\n split by the buffer
    // end) take the general loop below.
    bool crlf_only = true;
    for (const char* cr = static_cast<const char*>(std::memchr(p, '\r', got)); cr != nullptr;
         cr = static_cast<const char*>(std::memchr(cr + 1, '\r', static_cast<std::size_t>(end - cr - 1)))) {
      if (cr + 1 == end || cr[1] != '\n') {
        crlf_only = false;
        break;
      }
    }
    if (crlf_only) {
      const char* quote = static_cast<const char*>(std::memchr(p, '"', got));
      while (p < end) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        const char* stop = nl != nullptr ? nl : end;
        const char* text_end = stop > p && stop[-1] == '\r' ? stop - 1 : stop;  // before a \r\n's \r
        run += static_cast<std::uint64_t>(text_end - p);
        row += static_cast<std::uint64_t>(text_end - p);
        for (; quote != nullptr && quote < stop;
             quote = static_cast<const char*>(
                 std::memchr(quote + 1, '"', static_cast<std::size_t>(end - quote - 1))))
          quoted = !quoted;
        if (nl == nullptr) break;
        // As the general loop counts a \r\n: a break at the \r that does not count a line.
        if (text_end != stop) line_break(false, offset + static_cast<std::uint64_t>(stop - buf.data()));
        p = nl + 1;
        line_break(true, offset + static_cast<std::uint64_t>(p - buf.data()));
      }
      offset += got;
      continue;
    }
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      const char* stop = nl != nullptr ? nl : end;
      // Lone \r line breaks (old Mac files) inside this stretch; a \r\n pair counts once, below.
      for (const char* cr; (cr = static_cast<const char*>(
                                std::memchr(p, '\r', static_cast<std::size_t>(stop - p)))) != nullptr;) {
        piece(p, cr);
        p = cr + 1;
        line_break(p < stop, offset + static_cast<std::uint64_t>(p - buf.data()));
      }
      piece(p, stop);
      if (nl == nullptr) break;
      p = nl + 1;
      line_break(true, offset + static_cast<std::uint64_t>(p - buf.data()));
    }
    offset += got;
  }
  line_break(false, offset);
  std::fclose(file);
  return longest;
}

/// `size_options`: CsvSizeOptions(...) or ShortCsvSizeOptions().
std::string CommonCsvOptions(const CsvDialect& d, const std::string& size_options) {
  std::string sql = ", delim=" + QuoteLiteral(d.delimiter) + ", quote=" + QuoteLiteral(d.quote) +
                    ", escape=" + QuoteLiteral(d.escape) + ", comment=" + QuoteLiteral(d.comment) +
                    ", skip=" + std::to_string(d.skip) + ", strict_mode=" + (d.strict ? "true" : "false") +
                    size_options;
  if (d.decimal_separator != ".") sql += ", decimal_separator=" + QuoteLiteral(d.decimal_separator);
  return sql;
}

/// `long_line_near_start`: the file has a line longer than kShortLineSize among its first
/// 2 * kShortLineSize bytes (LongestLine::near_start_bytes).
Result<CsvDialect> SniffCsvOnce(Connection& conn, const std::string& src, const std::string& extra,
                                std::uint64_t max_line_size, bool long_line_near_start) {
  auto sniff = [&](const std::string& sizes) {
    return conn.Query(
        "SELECT Delimiter, Quote, Escape, Comment, SkipRows, HasHeader, to_json(Columns)::VARCHAR, "
        "DateFormat, TimestampFormat FROM sniff_csv(" +
        QuoteLiteral(src) + ", ignore_errors=true" + sizes + extra + ")");
  };
  // The sniffer reads only the first rows, but a whole buffer at least: with the reader's
  // 35 MB buffers that costs more than the sniffing itself (0.15 s on a 100 MB file). Small
  // buffers are enough unless a line is longer than DuckDB's default: the sniffer reports
  // those as an error (even with ignore_errors), and is then run again with room for them;
  // a long line near the start (FindLongestLine saw it) skips the small attempt.
  const bool short_first = max_line_size > kShortLineSize && !long_line_near_start;
  auto attempt = short_first ? sniff(ShortCsvSizeOptions()) : sniff(CsvSizeOptions(max_line_size));
  if (short_first && !attempt.ok() &&
      attempt.status().message().find("Maximum line size") != std::string::npos) {
    attempt = sniff(CsvSizeOptions(max_line_size));
  }
  DM_ASSIGN_OR_RETURN(QueryResult sniffed, std::move(attempt));
  if (sniffed.RowCount() != 1) return Invalid("The file's layout could not be detected.");
  CsvDialect d;
  d.delimiter = SnifferValue(sniffed.CellString(0, 0));
  d.quote = SnifferValue(sniffed.CellString(0, 1));
  d.escape = SnifferValue(sniffed.CellString(0, 2));
  d.comment = SnifferValue(sniffed.CellString(0, 3));
  const nlohmann::json skip = sniffed.Cell(0, 4);
  d.skip = skip.is_number() ? skip.get<std::int64_t>() : 0;
  d.header = sniffed.Cell(0, 5) == true;
  // Without a named format DuckDB reads ISO dates and timestamps with its native parser;
  // naming the ISO format the sniffer reports would send every value through strptime
  // instead (about 0.4 s of CPU per million dates). The native parser reads every value
  // that format does, so only other formats are kept.
  d.date_format = SnifferValue(sniffed.CellString(0, 7));
  if (d.date_format == "%Y-%m-%d") d.date_format.clear();
  d.timestamp_format = SnifferValue(sniffed.CellString(0, 8));
  if (d.timestamp_format == "%Y-%m-%d %H:%M:%S" || d.timestamp_format == "%Y-%m-%dT%H:%M:%S") {
    d.timestamp_format.clear();
  }
  nlohmann::json columns =
      nlohmann::json::parse(sniffed.CellString(0, 6), nullptr, /*allow_exceptions=*/false);
  if (!columns.is_array()) return Invalid("The file's columns could not be detected.");
  for (const auto& column : columns) {
    d.names.push_back(column.value("name", ""));
    d.types.push_back(column.value("type", "VARCHAR"));
  }
  return d;
}

int NumericColumnCount(const CsvDialect& d) {
  int n = 0;
  for (const auto& type : d.types) {
    const std::string api = ApiTypeFor(type);
    if (api == "integer" || api == "float" || api == "decimal") ++n;
  }
  return n;
}

/// The delimiter that splits the file's first line into the most fields (",", ";", "|" or
/// tab), with that field count; {"", 1} when none occurs. Reads only as far as the first line
/// break (at most `max_line_size` bytes).
std::pair<std::string, std::size_t> FirstLineDelimiter(const std::string& src, std::uint64_t max_line_size) {
  std::ifstream in(src, std::ios::binary);
  std::string line;
  std::vector<char> buf(64 << 10);
  while (in && line.size() < max_line_size) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    const std::string_view chunk(buf.data(), got);
    const auto eol = chunk.find_first_of("\r\n");
    line.append(chunk.substr(0, eol));
    if (eol != std::string_view::npos || got == 0) break;
  }
  std::pair<std::string, std::size_t> best{"", 1};
  for (const char* d : {",", ";", "|", "\t"}) {
    const auto fields = static_cast<std::size_t>(std::count(line.begin(), line.end(), d[0])) + 1;
    if (fields > best.second) best = {d, fields};
  }
  return best;
}

/// The sniffer's sample for a file whose first line has `fields` fields: DuckDB's default
/// (20,480 rows) up to 50 columns, then about a million cells (at least 1,024 rows). On a
/// 1,000-column file the default sample is 20 million cells, and every candidate dialect
/// scans it: 3.2 s of sniffing before the first row is read. A value the smaller sample did
/// not foresee costs a re-read of its column as text (see IngestCsv), not a lost row.
std::string SampleSizeOption(std::size_t fields) {
  constexpr std::size_t kDefaultSampleColumns = 50, kSampleCells = 1'000'000, kMinSampleRows = 1'024;
  if (fields <= kDefaultSampleColumns) return "";
  return ", sample_size=" + std::to_string(std::max(kMinSampleRows, kSampleCells / fields));
}

Result<CsvDialect> SniffCsvDialect(Connection& conn, const std::string& src, const std::string& format,
                                   std::uint64_t max_line_size, bool long_line_near_start,
                                   const std::string& sample);

/// DuckDB's sniffer gives up on very wide lines (thousands of columns) and reports one
/// column; when the first line plainly splits into more fields, sniff again with that
/// delimiter named.
Result<CsvDialect> SniffCsv(Connection& conn, const std::string& src, const std::string& format,
                            std::uint64_t max_line_size, bool long_line_near_start) {
  const auto [delimiter, fields] = FirstLineDelimiter(src, max_line_size);
  const std::string sample = SampleSizeOption(fields);
  auto dialect = SniffCsvDialect(conn, src, format, max_line_size, long_line_near_start, sample);
  if (!dialect.ok() || dialect->names.size() > 1) return dialect;
  if (fields <= 1) return dialect;
  const std::string named_options = sample + ", strict_mode=false, delim=" + QuoteLiteral(delimiter);
  auto named = SniffCsvOnce(conn, src, named_options, max_line_size, long_line_near_start);
  if (!named.ok() || named->names.size() <= 1) {
    // The sniffer's buffers grow with the column count (over 1 GB for 20,000 columns):
    // sniff once more in a short-lived instance with room for it.
    auto roomy = Database::Open(":memory:", {{"memory_limit", "4GB"},
                                             {"threads", "1"},
                                             {"autoload_known_extensions", "false"},
                                             {"autoinstall_known_extensions", "false"}});
    if (roomy.ok()) {
      auto roomy_conn = Connection::Open(*roomy);
      if (roomy_conn.ok())
        named = SniffCsvOnce(*roomy_conn, src, named_options, max_line_size, long_line_near_start);
    }
  }
  if (named.ok() && named->names.size() > 1) {
    named->strict = false;
    return named;
  }
  // Never narrow a wide file to one column silently.
  return Invalid("The header has " + std::to_string(fields) + " fields separated by '" +
                 (delimiter == "\t" ? std::string("tab") : delimiter) +
                 "', but the rows could not be read with that layout.");
}

Result<CsvDialect> SniffCsvDialect(Connection& conn, const std::string& src, const std::string& format,
                                   std::uint64_t max_line_size, bool long_line_near_start,
                                   const std::string& sample) {
  // DuckDB's sniffer is strict by default; relax step by step for messy files.
  const std::vector<std::pair<std::string, bool>> attempts = {
      {"", true},
      {", strict_mode=false", false},
      {std::string(", strict_mode=false, delim=") + (format == "tsv" ? "'\t'" : "','"), false},
      {", strict_mode=false, delim=';'", false},
      {", strict_mode=false, delim='|'", false},
  };
  Status last = Invalid("The file's layout could not be detected.");
  for (const auto& [extra, strict] : attempts) {
    auto dialect = SniffCsvOnce(conn, src, sample + extra, max_line_size, long_line_near_start);
    if (!dialect.ok()) {
      last = dialect.status();
      continue;
    }
    dialect->strict = strict;
    if (dialect->delimiter == ";") {
      // Semicolon files often use a decimal comma: keep it when it finds more numbers.
      auto comma = SniffCsvOnce(conn, src, sample + extra + ", decimal_separator=','", max_line_size,
                                long_line_near_start);
      if (comma.ok() && NumericColumnCount(*comma) > NumericColumnCount(*dialect)) {
        comma->strict = strict;
        comma->decimal_separator = ",";
        return comma;
      }
    }
    return dialect;
  }
  return last;
}

/// The header cells exactly as written (DuckDB renames empty and duplicate names itself).
std::vector<std::string> RawHeader(Connection& conn, const std::string& src, const CsvDialect& d,
                                   std::uint64_t max_line_size) {
  std::vector<std::string> names, types;
  for (std::size_t i = 0; i < d.names.size(); ++i) {
    names.push_back("c" + std::to_string(i));
    types.push_back("VARCHAR");
  }
  CsvDialect raw = d;
  raw.decimal_separator = ".";
  auto first_row = [&](const std::string& size_options, const std::string& errors) {
    return conn.Query("SELECT * FROM read_csv(" + QuoteLiteral(src) + ", auto_detect=false, header=false" +
                      CommonCsvOptions(raw, size_options) + ", null_padding=true" + errors +
                      ", columns=" + ColumnsStructLiteral(names, types) + ") LIMIT 1");
  };
  // Small buffers first, as for sniffing, but without ignore_errors (which would skip an
  // over-long header line); on any error, with room for long lines and errors ignored.
  auto header = first_row(ShortCsvSizeOptions(), "");
  if (!header.ok()) header = first_row(CsvSizeOptions(max_line_size), ", ignore_errors=true");
  if (!header.ok() || header->RowCount() != 1 || header->ColumnCount() != d.names.size()) return d.names;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < header->ColumnCount(); ++i) out.push_back(header->CellString(0, i));
  return out;
}

Result<std::vector<TableInfo>> IngestCsv(Engine& engine, const std::string& path, const std::string& format,
                                         const IngestOptions& options, const ProgressFn& progress,
                                         const std::string& table_name) {
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());
  TableInfo table;
  table.name = table_name;
  SetTarget(table, options, 0);
  const std::vector<std::string> hidden_paths = {path, options.work_dir, options.output_dir,
                                                 fs::path(path).parent_path().string()};

  // Encoding: transcode anything that is not UTF-8 to a UTF-8 scratch file.
  std::string src = path;
  const std::string encoding = DetectTextEncoding(path);
  table.details["encoding"] = encoding;
  std::string iconv_from;
  if (encoding == "utf-16le") iconv_from = "UTF-16LE";
  if (encoding == "utf-16be") iconv_from = "UTF-16BE";
  if (encoding == "windows-1252") iconv_from = "WINDOWS-1252";
  std::string scratch;
  if (!iconv_from.empty()) {
    if (progress && !progress(0.0, "Converting text encoding")) {
      return Status(ErrorCode::CANCELED, "The import was canceled.");
    }
    scratch = (fs::path(options.work_dir) /
               ("transcoded_" + std::to_string(std::hash<std::string>{}(path)) + ".csv"))
                  .string();
    DM_RETURN_IF_ERROR(TranscodeToUtf8(path, scratch, iconv_from));
    src = scratch;
  }
  struct ScratchRemover {
    std::string file;
    ~ScratchRemover() {
      std::error_code ec;
      if (!file.empty()) fs::remove(file, ec);
    }
  } remover{scratch};

  const std::uint64_t max_line_size = std::max<std::uint64_t>(2 << 20, options.max_cell_bytes + (1 << 20));
  // A line over the limit is refused with its number up front: DuckDB's sniffer cannot get
  // past it (it spends minutes trying), and its reader drops a row longer than its buffer.
  const LongestLine longest = FindLongestLine(src);
  if (longest.bytes > max_line_size) {
    return Invalid("Line " + std::to_string(longest.number) + " is " + Megabytes(longest.bytes) +
                   " long; a line may be at most " + Megabytes(max_line_size) + ".");
  }
  auto sniffed = SniffCsv(conn, src, format, max_line_size, longest.near_start_bytes > kShortLineSize);
  if (!sniffed.ok()) {
    return Invalid("The file could not be read as delimited text: " +
                   ScrubPaths(sniffed.status().message(), hidden_paths));
  }
  CsvDialect dialect = std::move(sniffed).value();
  DM_RETURN_IF_ERROR(CheckColumnCount(dialect.names.size(), options));
  if (!table.table.empty() && options.database_max_columns > 0 &&
      dialect.names.size() > options.database_max_columns) {
    IngestOptions to_parquet = options;
    to_parquet.database.clear();
    table.table.clear();
    SetTarget(table, to_parquet, 0);
  }

  std::vector<std::string> names;
  if (dialect.header) {
    names = MakeColumnNamesUnique(RawHeader(conn, src, dialect, max_line_size));
  } else {
    for (std::size_t i = 0; i < dialect.names.size(); ++i) names.push_back("column_" + std::to_string(i + 1));
  }
  table.details["delimiter"] = dialect.delimiter;
  table.details["quote"] = dialect.quote;
  table.details["escape"] = dialect.escape;
  table.details["header"] = dialect.header;
  if (!dialect.comment.empty()) table.details["comment"] = dialect.comment;
  if (dialect.skip > 0) table.details["skipped_lines"] = dialect.skip;
  table.details["decimal_separator"] = dialect.decimal_separator;

  const std::string rejects_table = "dm_rejects";
  const std::string rejects_scan = "dm_rejects_scan";
  std::string size_options =
      longest.row_bytes < kShortLineSize ? FirstReadSizeOptions() : CsvSizeOptions(max_line_size);
  auto copy_sql = [&](const std::vector<std::string>& types) {
    std::string read = "SELECT * FROM read_csv(" + QuoteLiteral(src) +
                       ", auto_detect=false, header=" + (dialect.header ? "true" : "false") +
                       CommonCsvOptions(dialect, size_options) +
                       ", columns=" + ColumnsStructLiteral(names, types);
    if (!dialect.date_format.empty()) read += ", dateformat=" + QuoteLiteral(dialect.date_format);
    if (!dialect.timestamp_format.empty())
      read += ", timestampformat=" + QuoteLiteral(dialect.timestamp_format);
    read += ", store_rejects=true, rejects_table=" + QuoteLiteral(rejects_table) +
            ", rejects_scan=" + QuoteLiteral(rejects_scan) + ")";
    return WriteTable(read, table, names.size());
  };
  auto drop_rejects = [&] {
    return conn.Execute("DROP TABLE IF EXISTS " + QuoteIdent(rejects_table) + "; DROP TABLE IF EXISTS " +
                        QuoteIdent(rejects_scan));
  };

  std::vector<std::string> types = dialect.types;
  DM_ASSIGN_OR_RETURN(QueryResult copied, RunWithProgress(conn, copy_sql(types), progress, 0.05, 0.85,
                                                          "Reading rows", kImportCanceled));
  // Rows longer than the first read's line size: read again with room for max_cell_bytes.
  {
    DM_ASSIGN_OR_RETURN(QueryResult long_rows,
                        conn.Query("SELECT count(*) FROM " + QuoteIdent(rejects_table) +
                                   " WHERE error_type = 'LINE SIZE OVER MAXIMUM'"));
    if (long_rows.Cell(0, 0).get<std::int64_t>() > 0 && size_options == FirstReadSizeOptions()) {
      size_options = CsvSizeOptions(max_line_size);
      DM_RETURN_IF_ERROR(drop_rejects());
      DM_ASSIGN_OR_RETURN(copied, RunWithProgress(conn, copy_sql(types), progress, 0.5, 0.4,
                                                  "Re-reading rows", kImportCanceled));
    }
  }
  // Values the sniffer's sample did not foresee: read those columns as text instead of
  // rejecting their rows (costs a second pass only in that case).
  {
    DM_ASSIGN_OR_RETURN(
        QueryResult cast_errors,
        conn.Query("SELECT DISTINCT r.column_name FROM " + QuoteIdent(rejects_table) +
                   " r WHERE r.error_type = 'CAST' AND r.column_name IS NOT NULL AND NOT EXISTS "
                   "(SELECT 1 FROM " +
                   QuoteIdent(rejects_table) + " s WHERE s.line = r.line AND s.error_type <> 'CAST')"));
    if (cast_errors.RowCount() > 0) {
      for (std::int64_t row = 0; row < cast_errors.RowCount(); ++row) {
        const std::string column = cast_errors.CellString(row, 0);
        for (std::size_t i = 0; i < names.size(); ++i) {
          if (names[i] == column) types[i] = "VARCHAR";
        }
      }
      DM_RETURN_IF_ERROR(drop_rejects());
      DM_ASSIGN_OR_RETURN(copied, RunWithProgress(conn, copy_sql(types), progress, 0.5, 0.4,
                                                  "Re-reading rows", kImportCanceled));
    }
  }
  table.row_count = CopiedRowCount(copied);

  DM_ASSIGN_OR_RETURN(QueryResult reject_count,
                      conn.Query("SELECT count(DISTINCT line) FROM " + QuoteIdent(rejects_table)));
  table.rejected_row_count = reject_count.Cell(0, 0).get<std::int64_t>();
  if (table.rejected_row_count > 0) {
    DM_ASSIGN_OR_RETURN(
        QueryResult rejects,
        conn.Query("SELECT line, string_agg(DISTINCT error_message, '; ') FROM " + QuoteIdent(rejects_table) +
                   " GROUP BY line ORDER BY line LIMIT " + std::to_string(kMaxRejectedRowsKept)));
    for (std::int64_t row = 0; row < rejects.RowCount(); ++row) {
      const nlohmann::json line = rejects.Cell(row, 0);
      table.rejected_rows.push_back({line.is_number() ? line.get<std::int64_t>() : 0,
                                     ScrubPaths(rejects.CellString(row, 1), hidden_paths)});
    }
  }
  (void)drop_rejects();
  DM_ASSIGN_OR_RETURN(table.columns, DescribeWritten(conn, table));
  std::vector<TableInfo> tables;
  tables.push_back(std::move(table));
  return tables;
}

// ------------------------------------------------------------------ JSON and Parquet

/// Builds the select list that flattens STRUCT columns to dotted names and turns other
/// nested values into JSON text.
void FlattenColumn(const std::string& expr, const std::string& name, duckdb_logical_type type, int depth,
                   std::vector<std::string>& exprs, std::vector<std::string>& names) {
  const duckdb_type id = duckdb_get_type_id(type);
  if (id == DUCKDB_TYPE_STRUCT && depth < 8) {
    const idx_t count = duckdb_struct_type_child_count(type);
    for (idx_t i = 0; i < count; ++i) {
      char* child_name = duckdb_struct_type_child_name(type, i);
      const std::string child = child_name != nullptr ? child_name : "";
      duckdb_free(child_name);
      duckdb_logical_type child_type = duckdb_struct_type_child_type(type, i);
      FlattenColumn("struct_extract(" + expr + ", " + QuoteLiteral(child) + ")", name + "." + child,
                    child_type, depth + 1, exprs, names);
      duckdb_destroy_logical_type(&child_type);
    }
    if (count > 0) return;
  }
  if (id == DUCKDB_TYPE_STRUCT || id == DUCKDB_TYPE_LIST || id == DUCKDB_TYPE_MAP ||
      id == DUCKDB_TYPE_ARRAY || id == DUCKDB_TYPE_UNION) {
    exprs.push_back("CAST(to_json(" + expr + ") AS VARCHAR)");
  } else if (id == DUCKDB_TYPE_SQLNULL) {
    exprs.push_back("CAST(" + expr + " AS VARCHAR)");
  } else {
    char* alias = duckdb_logical_type_get_alias(type);
    const bool is_json = alias != nullptr && std::string(alias) == "JSON";
    duckdb_free(alias);
    exprs.push_back(is_json ? "CAST(" + expr + " AS VARCHAR)" : expr);
  }
  names.push_back(name);
}

/// The deepest nesting of arrays/objects in a JSON text, stopping early past `limit`.
/// DuckDB's JSON reader recurses on nesting, so hostile depth is refused before it runs.
Result<int> JsonNestingDepth(const std::string& path, int limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("The uploaded file could not be found.");
  std::vector<char> buf(1 << 20);
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::streamsize got = in.gcount();
    for (std::streamsize i = 0; i < got; ++i) {
      const char c = buf[static_cast<std::size_t>(i)];
      if (in_string) {
        if (escaped)
          escaped = false;
        else if (c == '\\')
          escaped = true;
        else if (c == '"')
          in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        max_depth = std::max(max_depth, ++depth);
        if (max_depth > limit) return max_depth;
      } else if (c == '}' || c == ']') {
        --depth;
      }
    }
  }
  return max_depth;
}

Result<std::vector<TableInfo>> IngestWithDuckDbReader(Engine& engine, const std::string& path,
                                                      const std::string& format, const IngestOptions& options,
                                                      const ProgressFn& progress,
                                                      const std::string& table_name) {
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());
  const std::vector<std::string> hidden_paths = {path, options.work_dir, options.output_dir,
                                                 fs::path(path).parent_path().string()};
  std::string reader;
  if (format == "parquet") {
    reader = "read_parquet(" + QuoteLiteral(path) + ")";
  } else {
    reader = "read_json(" + QuoteLiteral(path) +
             ", format=" + QuoteLiteral(format == "ndjson" ? "newline_delimited" : "auto") +
             ", maximum_depth=16, maximum_object_size=" +
             std::to_string(std::max<std::uint64_t>(options.max_cell_bytes * 4, 16 << 20)) + ")";
  }
  if (format != "parquet") {
    constexpr int kMaxJsonDepth = 1000;
    DM_ASSIGN_OR_RETURN(const int depth, JsonNestingDepth(path, kMaxJsonDepth));
    if (depth > kMaxJsonDepth) {
      return Invalid("The JSON is nested more than " + std::to_string(kMaxJsonDepth) +
                     " levels deep; such files are not supported.");
    }
  }
  TableInfo table;
  table.name = table_name;
  SetTarget(table, options, 0);
  table.details["format"] = format;

  auto probe = conn.Query("SELECT * FROM " + reader + " LIMIT 0");
  if (!probe.ok()) {
    if (probe.status().code() == ErrorCode::CANCELED || probe.status().code() == ErrorCode::INTERNAL) {
      return probe.status();
    }
    return Invalid("The file could not be read as " + std::string(format == "parquet" ? "Parquet" : "JSON") +
                   ": " + ScrubPaths(probe.status().message(), hidden_paths));
  }
  std::vector<std::string> exprs, names;
  for (std::size_t col = 0; col < probe->ColumnCount(); ++col) {
    const std::string& name = probe->ColumnName(col);
    if (format == "parquet") {
      exprs.push_back(QuoteIdent(name));
      names.push_back(name);
    } else {
      FlattenColumn(QuoteIdent(name), name, probe->ColumnLogicalType(col), 0, exprs, names);
    }
  }
  // A JSON file of scalars (e.g. [1,2,3]) reads as one column named "json".
  DM_RETURN_IF_ERROR(CheckColumnCount(names.size(), options));
  names = MakeColumnNamesUnique(names);
  std::string select = "SELECT ";
  for (std::size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) select += ", ";
    select += exprs[i] + " AS " + QuoteIdent(names[i]);
  }
  select += " FROM " + reader;
  auto copied = RunWithProgress(conn, WriteTable(select, table, names.size()), progress, 0.05, 0.9,
                                "Reading rows", kImportCanceled);
  if (!copied.ok()) {
    if (copied.status().code() == ErrorCode::CANCELED || copied.status().code() == ErrorCode::INTERNAL) {
      return copied.status();
    }
    return Invalid("The file could not be read: " + ScrubPaths(copied.status().message(), hidden_paths));
  }
  table.row_count = CopiedRowCount(*copied);
  DM_ASSIGN_OR_RETURN(table.columns, DescribeWritten(conn, table));
  std::vector<TableInfo> tables;
  tables.push_back(std::move(table));
  return tables;
}

// ------------------------------------------------------------------ spreadsheets

/// What the cells of one column held, to pick its type.
struct ColumnKinds {
  std::int64_t integers = 0, decimals = 0, dates = 0, datetimes = 0, booleans = 0, strings = 0;
  std::string SqlType() const {
    const std::int64_t numbers = integers + decimals;
    const std::int64_t total = numbers + dates + datetimes + booleans + strings;
    if (total == 0 || strings > 0) return "VARCHAR";
    if (numbers == total) return decimals > 0 ? "DOUBLE" : "BIGINT";
    if (dates == total) return "DATE";
    if (dates + datetimes == total) return "TIMESTAMP";
    if (booleans == total) return "BOOLEAN";
    return "VARCHAR";
  }
};

bool IsIntegral(double v) {
  return std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9.0e15;
}

/// The cell as the text stored in the staging table, or nullopt for NULL.
std::optional<std::string> CellText(const Cell& cell) {
  switch (cell.kind) {
    case Cell::Kind::EMPTY:
    case Cell::Kind::ERROR:
      return std::nullopt;
    case Cell::Kind::STRING:
    case Cell::Kind::DATE:
    case Cell::Kind::DATETIME:
      return cell.text;
    case Cell::Kind::BOOLEAN:
      return cell.number != 0 ? "true" : "false";
    case Cell::Kind::NUMBER: {
      char buf[64];
      if (IsIntegral(cell.number)) {
        std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(cell.number));
      } else {
        std::snprintf(buf, sizeof(buf), "%.15g", cell.number);
        if (std::strtod(buf, nullptr) != cell.number) std::snprintf(buf, sizeof(buf), "%.17g", cell.number);
      }
      return std::string(buf);
    }
  }
  return std::nullopt;
}

void CountKind(const Cell& cell, ColumnKinds& kinds) {
  switch (cell.kind) {
    case Cell::Kind::STRING:
      if (!Trim(cell.text).empty()) ++kinds.strings;
      break;
    case Cell::Kind::NUMBER:
      ++(IsIntegral(cell.number) ? kinds.integers : kinds.decimals);
      break;
    case Cell::Kind::BOOLEAN:
      ++kinds.booleans;
      break;
    case Cell::Kind::DATE:
      ++kinds.dates;
      break;
    case Cell::Kind::DATETIME:
      ++kinds.datetimes;
      break;
    default:
      break;
  }
}

/// A row is a header candidate when its non-empty cells are distinct strings covering at
/// least half of the table width.
bool IsHeaderCandidate(const std::vector<Cell>& cells, std::size_t width) {
  std::set<std::string> seen;
  std::size_t filled = 0;
  for (const auto& cell : cells) {
    if (cell.kind == Cell::Kind::EMPTY) continue;
    if (cell.kind == Cell::Kind::STRING && Trim(cell.text).empty()) continue;
    if (cell.kind != Cell::Kind::STRING) return false;
    if (!seen.insert(Trim(cell.text)).second) return false;
    ++filled;
  }
  return filled > 0 && filled * 2 >= width;
}

bool HasNonString(const std::vector<Cell>& cells) {
  return std::any_of(cells.begin(), cells.end(), [](const Cell& c) {
    return c.kind != Cell::Kind::EMPTY && c.kind != Cell::Kind::STRING && c.kind != Cell::Kind::ERROR;
  });
}

/// Index (into `rows`) of the header row among the first buffered rows, or -1.
int DetectHeaderRow(const std::vector<std::vector<Cell>>& rows) {
  std::size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.size());
  const bool any_typed = std::any_of(rows.begin(), rows.end(), [](const auto& r) { return HasNonString(r); });
  for (std::size_t i = 0; i < rows.size() && i < 10; ++i) {
    if (!IsHeaderCandidate(rows[i], width)) continue;
    if (i + 1 >= rows.size()) return rows.size() == 1 ? static_cast<int>(i) : -1;
    // Followed by rows with other kinds of cells, or the whole sheet is text.
    if (!any_typed || HasNonString(rows[i + 1])) return static_cast<int>(i);
    if (i + 2 < rows.size() && HasNonString(rows[i + 2])) return static_cast<int>(i);
  }
  return -1;
}

class SheetLoader {
 public:
  SheetLoader(Connection& conn, std::string staging) : conn_(conn), staging_(std::move(staging)) {}

  Status Begin(std::size_t width) {
    DM_RETURN_IF_ERROR(conn_.Execute("DROP TABLE IF EXISTS " + QuoteIdent(staging_)));
    std::string sql = "CREATE TEMP TABLE " + QuoteIdent(staging_) + " (";
    for (std::size_t i = 0; i < width; ++i) sql += (i > 0 ? ", c" : "c") + std::to_string(i) + " VARCHAR";
    DM_RETURN_IF_ERROR(conn_.Execute(sql + ")"));
    width_ = width;
    kinds_.assign(width, ColumnKinds{});
    DM_ASSIGN_OR_RETURN(Appender appender, Appender::Create(conn_, staging_));
    appender_ = std::make_unique<Appender>(std::move(appender));
    return Status::Ok();
  }

  Status AddRow(const std::vector<Cell>& cells) {
    if (cells.size() > width_) DM_RETURN_IF_ERROR(Widen(cells.size()));
    for (std::size_t i = 0; i < width_; ++i) {
      if (i < cells.size()) CountKind(cells[i], kinds_[i]);
      const std::optional<std::string> text = i < cells.size() ? CellText(cells[i]) : std::nullopt;
      DM_RETURN_IF_ERROR(text ? appender_->AppendVarchar(*text) : appender_->AppendNull());
    }
    ++rows_;
    return appender_->EndRow();
  }

  Status Finish() { return appender_->Close(); }

  std::size_t width() const { return width_; }
  std::int64_t rows() const { return rows_; }
  const std::vector<ColumnKinds>& kinds() const { return kinds_; }

 private:
  Status Widen(std::size_t width) {
    DM_RETURN_IF_ERROR(appender_->Close());
    appender_.reset();
    for (std::size_t i = width_; i < width; ++i) {
      DM_RETURN_IF_ERROR(conn_.Execute("ALTER TABLE " + QuoteIdent(staging_) + " ADD COLUMN c" +
                                       std::to_string(i) + " VARCHAR"));
    }
    width_ = width;
    kinds_.resize(width);
    DM_ASSIGN_OR_RETURN(Appender appender, Appender::Create(conn_, staging_));
    appender_ = std::make_unique<Appender>(std::move(appender));
    return Status::Ok();
  }

  Connection& conn_;
  std::string staging_;
  std::unique_ptr<Appender> appender_;
  std::size_t width_ = 0;
  std::int64_t rows_ = 0;
  std::vector<ColumnKinds> kinds_;
};

Result<std::vector<TableInfo>> IngestSpreadsheet(Engine& engine, const std::string& path,
                                                 const std::string& format, const IngestOptions& options,
                                                 const ProgressFn& progress) {
  SpreadsheetLimits limits;
  limits.max_columns = std::min<std::int64_t>(limits.max_columns, options.max_columns);
  auto opened = SpreadsheetReader::Open(path, format, limits);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<SpreadsheetReader> reader = std::move(opened).value();
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());
  const std::vector<std::string>& sheets = reader->SheetNames();
  std::vector<TableInfo> tables;
  bool canceled = false;
  for (std::size_t s = 0; s < sheets.size(); ++s) {
    const double base = static_cast<double>(s) / static_cast<double>(sheets.size());
    const double span = 1.0 / static_cast<double>(sheets.size());
    if (progress && !progress(base, "Reading sheet " + sheets[s])) {
      return Status(ErrorCode::CANCELED, "The import was canceled.");
    }
    std::vector<std::vector<Cell>> buffered;
    std::vector<std::int64_t> buffered_index;
    SheetLoader loader(conn, "dm_sheet_staging");
    bool started = false;
    int header = -1;
    Status row_status = Status::Ok();
    auto flush_buffer = [&]() -> Status {
      header = DetectHeaderRow(buffered);
      std::size_t width = 0;
      for (const auto& row : buffered) width = std::max(width, row.size());
      DM_RETURN_IF_ERROR(loader.Begin(width));
      for (std::size_t i = static_cast<std::size_t>(header + 1); i < buffered.size(); ++i) {
        DM_RETURN_IF_ERROR(loader.AddRow(buffered[i]));
      }
      started = true;
      return Status::Ok();
    };
    constexpr std::size_t kHeaderWindow = 20;
    const Status read_status =
        reader->ReadSheet(s, [&](std::int64_t row_index, const std::vector<Cell>& cells) {
          const bool empty = std::all_of(cells.begin(), cells.end(), [](const Cell& c) {
            return c.kind == Cell::Kind::EMPTY || (c.kind == Cell::Kind::STRING && Trim(c.text).empty());
          });
          if (empty) return true;
          if (!started) {
            buffered.push_back(cells);
            buffered_index.push_back(row_index);
            if (buffered.size() < kHeaderWindow) return true;
            row_status = flush_buffer();
            return row_status.ok();
          }
          row_status = loader.AddRow(cells);
          if (!row_status.ok()) return false;
          if (loader.rows() % 50000 == 0 && progress &&
              !progress(base + span * 0.5,
                        "Read " + std::to_string(loader.rows()) + " rows of sheet " + sheets[s])) {
            canceled = true;
            return false;
          }
          return true;
        });
    if (canceled) return Status(ErrorCode::CANCELED, "The import was canceled.");
    DM_RETURN_IF_ERROR(read_status);
    DM_RETURN_IF_ERROR(row_status);
    if (!started) {
      if (buffered.empty()) continue;  // an empty sheet is not a table
      DM_RETURN_IF_ERROR(flush_buffer());
    }
    DM_RETURN_IF_ERROR(loader.Finish());
    DM_RETURN_IF_ERROR(CheckColumnCount(loader.width(), options));

    std::vector<std::string> raw_names(loader.width());
    if (header >= 0) {
      const auto& header_cells = buffered[static_cast<std::size_t>(header)];
      for (std::size_t i = 0; i < header_cells.size() && i < raw_names.size(); ++i) {
        if (header_cells[i].kind == Cell::Kind::STRING) raw_names[i] = header_cells[i].text;
      }
    }
    const std::vector<std::string> names = MakeColumnNamesUnique(raw_names);
    TableInfo table;
    table.name = sheets[s];
    SetTarget(table, options, tables.size());
    table.details["sheet"] = sheets[s];
    table.details["sheet_index"] = s;
    table.details["header"] = header >= 0;
    if (header >= 0) table.details["header_row"] = buffered_index[static_cast<std::size_t>(header)] + 1;
    std::string select = "SELECT ";
    for (std::size_t i = 0; i < loader.width(); ++i) {
      if (i > 0) select += ", ";
      const std::string type = loader.kinds()[i].SqlType();
      const std::string column = "c" + std::to_string(i);
      select += (type == "VARCHAR" ? column : "TRY_CAST(" + column + " AS " + type + ")") + " AS " +
                QuoteIdent(names[i]);
    }
    select += " FROM " + QuoteIdent("dm_sheet_staging");
    DM_ASSIGN_OR_RETURN(QueryResult copied, conn.Query(WriteTable(select, table, loader.width())));
    table.row_count = CopiedRowCount(copied);
    DM_RETURN_IF_ERROR(conn.Execute("DROP TABLE IF EXISTS dm_sheet_staging"));
    DM_ASSIGN_OR_RETURN(table.columns, DescribeWritten(conn, table));
    tables.push_back(std::move(table));
  }
  if (tables.empty()) return Invalid("The workbook has no sheet with data.");
  return tables;
}

}  // namespace

Result<std::vector<ColumnSchema>> DescribeParquet(Connection& conn, const std::string& parquet_path) {
  DM_ASSIGN_OR_RETURN(QueryResult described,
                      conn.Query("DESCRIBE SELECT * FROM read_parquet(" + QuoteLiteral(parquet_path) + ")"));
  std::vector<ColumnSchema> columns = DescribedColumns(described);
  // Nullability from the Parquet statistics (cheap: footer only).
  auto nulls = conn.Query(
      "SELECT path_in_schema, sum(stats_null_count), count(stats_null_count), count(*) FROM "
      "parquet_metadata(" +
      QuoteLiteral(parquet_path) + ") GROUP BY path_in_schema");
  if (nulls.ok()) {
    for (std::int64_t row = 0; row < nulls->RowCount(); ++row) {
      const std::string name = nulls->CellString(row, 0);
      const nlohmann::json null_count = nulls->Cell(row, 1);
      const bool complete_stats = nulls->Cell(row, 2) == nulls->Cell(row, 3);
      for (auto& column : columns) {
        if (column.name == name && complete_stats && null_count.is_number() &&
            null_count.get<double>() == 0) {
          column.nullable = false;
        }
      }
    }
  }
  return columns;
}

std::string ApiTypeFor(const std::string& duckdb_type) {
  const std::string t = ToUpper(duckdb_type);
  static const std::unordered_set<std::string> kIntegers = {
      "TINYINT",  "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
      "UHUGEINT", "INT1",     "INT2",    "INT4",   "INT8",    "INT",      "LONG",      "SHORT"};
  if (kIntegers.count(t) > 0) return "integer";
  if (t == "FLOAT" || t == "DOUBLE" || t == "REAL" || t == "FLOAT4" || t == "FLOAT8") return "float";
  if (t.rfind("DECIMAL", 0) == 0 || t.rfind("NUMERIC", 0) == 0) return "decimal";
  if (t == "BOOLEAN" || t == "BOOL") return "boolean";
  if (t == "DATE") return "date";
  if (t.rfind("TIMESTAMP", 0) == 0 || t == "DATETIME") return "timestamp";
  if (t == "TIME" || t == "TIME_NS" || t == "TIME WITH TIME ZONE" || t == "TIMETZ") return "time";
  return "string";
}

std::vector<std::string> MakeColumnNamesUnique(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  out.reserve(names.size());
  std::unordered_set<std::string> used;
  // Reserve the names that are already fine, so "a", "a", "a_2" keeps the given "a_2".
  std::vector<std::string> trimmed;
  trimmed.reserve(names.size());
  for (const auto& name : names) {
    std::string t = Trim(name);
    t.erase(std::remove(t.begin(), t.end(), '\0'), t.end());
    trimmed.push_back(std::move(t));
  }
  std::unordered_set<std::string> given;
  for (const auto& t : trimmed) {
    if (!t.empty()) given.insert(ToLower(t));
  }
  for (std::size_t i = 0; i < trimmed.size(); ++i) {
    std::string base = trimmed[i].empty() ? "column_" + std::to_string(i + 1) : trimmed[i];
    std::string candidate = base;
    const bool generated = trimmed[i].empty();
    if (used.count(ToLower(candidate)) > 0 || (generated && given.count(ToLower(candidate)) > 0)) {
      for (int n = 2;; ++n) {
        candidate = base + "_" + std::to_string(n);
        if (used.count(ToLower(candidate)) == 0 && given.count(ToLower(candidate)) == 0) break;
      }
    }
    used.insert(ToLower(candidate));
    out.push_back(std::move(candidate));
  }
  return out;
}

Result<std::vector<TableInfo>> IngestFile(Engine& engine, const std::string& path, const std::string& format,
                                          const IngestOptions& options, const ProgressFn& progress) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return NotFound("The uploaded file could not be found.");
  if (size == 0) return Invalid("The file is empty.");
  if (format == "pdf") return Unsupported("PDF table extraction is not available yet.");
  if (format == "image") return Unsupported("Extracting tables from images is not available yet.");
  if (!options.output_dir.empty()) fs::create_directories(options.output_dir, ec);
  const std::string stem = fs::path(path).stem().string();
  const std::string table_name = stem.empty() ? "data" : stem;
  try {
    Result<std::vector<TableInfo>> tables = Invalid("unreachable");
    if (format == "csv" || format == "tsv") {
      tables = IngestCsv(engine, path, format, options, progress, table_name);
    } else if (format == "json" || format == "ndjson" || format == "parquet") {
      tables = IngestWithDuckDbReader(engine, path, format, options, progress, table_name);
    } else if (format == "xlsx" || format == "ods" || format == "xls") {
      tables = IngestSpreadsheet(engine, path, format, options, progress);
    } else {
      return Unsupported(
          "The file's format was not recognised; supported formats are CSV, TSV, JSON, NDJSON, "
          "Parquet, XLSX, XLS and ODS.");
    }
    if (tables.ok() && progress) progress(1.0, "Done");
    return tables;
  } catch (const std::exception& e) {
    return Internal(std::string("The import failed unexpectedly: ") + e.what());
  }
}

}  // namespace dm::engine
