#include "cli/engine_commands.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "engine/dataset_io.h"
#include "engine/duckdb.h"
#include "engine/format_detector.h"
#include "engine/ingest.h"
#include "engine/profiler.h"
#include "engine/sql.h"

#include "cli/scratch.h"

namespace dm::cli {
namespace {

namespace fs = std::filesystem;

/// Delimited text with more columns than this is profiled through Parquet even when small
/// (IngestOptions::database_max_columns). Measured on 60 MB CSVs: at 60 columns the table
/// took 3.9-4.6 s and 0.21 GB against 5.4-5.6 s and 0.51 GB; at 120 about even in time
/// (3.3-4.6 s against 3.7-3.9 s) at 0.30 against 0.53 GB; at 300, 5.1 s against 3.6 s.
constexpr std::size_t kTableMaxColumns = 128;

/// Reads `in` into Parquet files under `scratch`, or into tables of `database` when given.
Result<std::vector<engine::TableInfo>> Ingest(engine::Engine& engine, const std::string& in,
                                              const std::string& scratch, const std::string& database = "") {
  std::error_code ec;
  if (!fs::is_regular_file(in, ec)) return NotFound("The input file " + in + " does not exist.");
  const std::string format = engine::DetectFormat(in);
  engine::IngestOptions options;
  options.output_dir = (fs::path(scratch) / "tables").string();
  options.work_dir = scratch;
  options.database = database;
  options.database_max_columns = kTableMaxColumns;
  return engine::IngestFile(engine, in, format, options, nullptr);
}

/// Whether `profile` reads `path` into tables of its scratch database rather than into
/// Parquet scratch files. Nothing outlives the command, and reading into a table skips the
/// Parquet write: 0.77 s against 1.30 s for the 100 MB bench CSV. Big inputs lose, though:
/// the 714 MB, 1,000-column bench CSV took 41 s and 1.6 GB through a table against 36 s and
/// 0.6 GB through Parquet (and an in-memory database, which holds a table being written
/// whole, ran out of memory). So only inputs up to 256 MB of text, or a quarter of that of a
/// compressed format, go to tables (and of delimited text only up to kTableMaxColumns
/// columns); DM_PROFILE_IN_MEMORY_MAX (bytes of text) moves the bound.
bool ProfileInTables(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return false;
  std::uintmax_t max_text = std::uintmax_t{256} << 20;
  if (const char* env = std::getenv("DM_PROFILE_IN_MEMORY_MAX"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    const unsigned long long value = std::strtoull(env, &end, 10);
    if (end != nullptr && *end == '\0') max_text = value;
  }
  const std::string format = engine::DetectFormat(path);
  const bool text = format == "csv" || format == "tsv" || format == "json" || format == "ndjson";
  return size <= (text ? max_text : max_text / 4);
}

std::string SafeFilePart(std::string name) {
  for (char& c : name) {
    if (c == '/' || c == '\\' || c == '\0' || c == ':') c = '_';
  }
  return name;
}

}  // namespace

int RunConvertCommand(const std::string& in, const std::string& out) {
  std::string ext = fs::path(out).extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == "jsonl") ext = "ndjson";
  if (ext != "csv" && ext != "json" && ext != "ndjson" && ext != "parquet" && ext != "xlsx") {
    return Fail("Cannot tell the output format from \"" + out +
                "\"; use a .csv, .json, .ndjson, .parquet or .xlsx file name.");
  }
  ScratchDir scratch;
  if (scratch.path().empty()) return Fail("Could not create a scratch directory.");
  engine::Engine engine(engine::EngineOptions{scratch.path()});
  if (!engine.status().ok()) return Fail(engine.status().message());
  auto tables = Ingest(engine, in, scratch.path());
  if (!tables.ok()) return Fail(tables.status().message());
  for (const auto& table : *tables) {
    std::string target = out;
    if (tables->size() > 1) {
      const fs::path p(out);
      target =
          (p.parent_path() / (p.stem().string() + "_" + SafeFilePart(table.name) + p.extension().string()))
              .string();
    }
    const Status status = engine::ExportFile(engine, table.parquet_path, ext, target);
    if (!status.ok()) return Fail(status.message());
    std::cerr << "wrote " << target << " (" << table.row_count << " rows, " << table.columns.size()
              << " columns";
    if (table.rejected_row_count > 0) std::cerr << ", " << table.rejected_row_count << " rows rejected";
    std::cerr << ")\n";
  }
  return 0;
}

int RunQueryCommand(const std::string& file, const std::string& sql, bool json) {
  ScratchDir scratch;
  if (scratch.path().empty()) return Fail("Could not create a scratch directory.");
  engine::Engine engine(engine::EngineOptions{scratch.path()});
  if (!engine.status().ok()) return Fail(engine.status().message());
  auto tables = Ingest(engine, file, scratch.path());
  if (!tables.ok()) return Fail(tables.status().message());
  if (tables->empty()) return Fail("The file holds no table.");
  auto result = engine::RunSandboxedQuery(tables->front().parquet_path, sql, engine::QueryLimits{});
  if (!result.ok()) return Fail(result.status().message());
  if (json) {
    std::cout << result->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  auto text = [](const nlohmann::json& v) {
    if (v.is_null()) return std::string("NULL");
    if (v.is_string()) return v.get<std::string>();
    return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  const auto& columns = (*result)["columns"];
  const auto& rows = (*result)["rows"];
  std::vector<std::size_t> widths(columns.size(), 0);
  for (std::size_t c = 0; c < columns.size(); ++c) widths[c] = text(columns[c]).size();
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], std::min<std::size_t>(text(row[c]).size(), 60));
    }
  }
  auto print_row = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      std::string cell = cells[c].size() > 60 ? cells[c].substr(0, 57) + "..." : cells[c];
      std::cout << (c ? " | " : "") << cell << std::string(widths[c] - std::min(widths[c], cell.size()), ' ');
    }
    std::cout << "\n";
  };
  std::vector<std::string> header;
  for (const auto& c : columns) header.push_back(text(c));
  print_row(header);
  for (std::size_t c = 0; c < widths.size(); ++c)
    std::cout << (c ? "-+-" : "") << std::string(widths[c], '-');
  std::cout << "\n";
  for (const auto& row : rows) {
    std::vector<std::string> cells;
    for (const auto& v : row) cells.push_back(text(v));
    print_row(cells);
  }
  std::cout << "(" << (*result)["row_count"].get<std::int64_t>() << " rows"
            << ((*result)["truncated"].get<bool>() ? ", truncated" : "") << ")\n";
  return 0;
}

namespace {

std::string Num(const nlohmann::json& v) {
  if (v.is_null()) return "-";
  if (v.is_number_float()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v.get<double>());
    return buf;
  }
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string Text(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

/// "0.82" style: two decimals for shares and strengths.
std::string Two(const nlohmann::json& v) {
  if (!v.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v.get<double>());
  return buf;
}

void PrintProfileText(const std::string& table, const nlohmann::json& p) {
  const auto& q = p["quality"];
  std::cout << table << ": " << p["row_count"] << " rows, " << p["column_count"] << " columns, "
            << p["duplicate_row_count"] << " duplicate rows";
  if (p.value("duplicate_key_count", 0) > 0)
    std::cout << ", " << p["duplicate_key_count"] << " duplicate keys";
  std::cout << "\n";
  std::cout << "quality " << Num(q["score"]) << "/100 (completeness " << Num(q["completeness"])
            << ", validity " << Num(q["validity"]) << ", consistency " << Num(q["consistency"])
            << ", uniqueness " << Num(q["uniqueness"]) << ")\n\n";
  for (const auto& c : p["columns"]) {
    const std::string semantic = c["semantic_type"].is_string() ? c["semantic_type"].get<std::string>() : "-";
    std::cout << "  " << c.value("name", "") << "  [" << c.value("type", "") << " / " << semantic
              << "]  nulls " << Num(c["null_count"]) << ", distinct " << Num(c["distinct_count"]) << ", min "
              << Num(c["min"]) << ", max " << Num(c["max"]) << ", mean " << Num(c["mean"]) << "\n";
    const auto& inferred = c.value("inferred", nlohmann::json());
    if (inferred.is_object() && inferred.value("type", "string") != "string") {
      std::cout << "      text holding " << Text(inferred["type"]) << " values";
      if (inferred["format"].is_string()) std::cout << " (" << Text(inferred["format"]) << ")";
      std::cout << ", " << Two(inferred["share"]) << " fit, confidence " << Two(inferred["confidence"]);
      if (inferred.value("ambiguous", false)) std::cout << ", day/month order undecided";
      std::cout << "\n";
    }
    if (inferred.is_object() && !inferred["placeholders"].empty()) {
      std::cout << "      missing-value spellings:";
      for (const auto& [spelling, n] : inferred["placeholders"].items())
        std::cout << " \"" << spelling << "\" x" << Num(n);
      std::cout << "\n";
    }
    const auto& outliers = c.value("outliers", nlohmann::json());
    if (outliers.is_object() && (outliers.value("iqr", 0) > 0 || outliers.value("mad", 0) > 0)) {
      std::cout << "      outliers: " << Num(outliers["iqr"]) << " outside the IQR fences, "
                << Num(outliers["mad"]) << " by MAD\n";
    }
  }
  const auto& assoc = p.value("associations", nlohmann::json());
  if (assoc.is_object() && assoc["columns"].size() >= 2) {
    std::vector<std::string> lines;
    const auto& names = assoc["columns"];
    for (std::size_t a = 0; a < names.size(); ++a) {
      for (std::size_t b = a + 1; b < names.size(); ++b) {
        const auto& v = assoc["matrix"][a][b];
        if (v.is_number() && v.get<double>() >= 0.3)
          lines.push_back("  " + Text(names[a]) + " ~ " + Text(names[b]) + ": Cramer's V " + Two(v));
      }
    }
    if (!lines.empty()) std::cout << "\nassociations (Cramer's V >= 0.3):\n";
    for (const auto& line : lines) std::cout << line << "\n";
  }
  if (p.contains("hierarchies") && !p["hierarchies"].empty()) {
    std::cout << "\nhierarchies:\n";
    for (const auto& h : p["hierarchies"]) {
      std::cout << " ";
      for (std::size_t k = 0; k < h["levels"].size(); ++k)
        std::cout << (k ? " > " : " ") << Text(h["levels"][k]) << " (" << Num(h["distinct_counts"][k]) << ")";
      std::cout << "\n";
    }
  }
  if (p.contains("time_series") && !p["time_series"].empty()) {
    std::cout << "\ntime series:\n";
    std::size_t quiet = 0;  // neither a trend nor a seasonality: counted, not listed
    for (const auto& t : p["time_series"]) {
      const auto& trend = t["trend"];
      if (trend.value("direction", "flat") == "flat" && !t["seasonality"].is_object()) {
        ++quiet;
        continue;
      }
      const std::string measure = t["measure"].is_string() ? "sum of " + Text(t["measure"]) : "rows";
      std::cout << "  " << measure << " by " << Text(t["grain"]) << " of " << Text(t["column"]) << " ("
                << Num(t["points"]) << " periods): trend " << Text(trend["direction"]) << " (R2 "
                << Two(trend["strength"]) << ", " << Num(trend["slope_per_period"]) << " per "
                << Text(t["grain"]) << ")";
      if (t["seasonality"].is_object()) {
        std::cout << ", seasonality every " << Num(t["seasonality"]["period"]) << " " << Text(t["grain"])
                  << "s (strength " << Two(t["seasonality"]["strength"]) << ")";
      }
      std::cout << "\n";
    }
    if (quiet > 0) std::cout << "  " << quiet << " series with neither a trend nor a seasonality\n";
  }
  if (!p["alerts"].empty()) std::cout << "\nalerts:\n";
  for (const auto& a : p["alerts"]) {
    std::cout << "  [" << a.value("severity", "") << "] ";
    if (a.contains("column")) std::cout << a.value("column", "") << ": ";
    std::cout << a.value("message", "") << "\n";
  }
}

}  // namespace

int RunProfileCommand(const std::string& file, bool json) {
  ScratchDir scratch;
  if (scratch.path().empty()) return Fail("Could not create a scratch directory.");
  engine::Engine engine(engine::EngineOptions{scratch.path()});
  if (!engine.status().ok()) return Fail(engine.status().message());
  // A profile is a function of the rows, not of their order, so the scratch copy need not
  // keep it. DuckDB then writes from every thread: the 1,000-column bench CSV converts in 10 s
  // against 22 s (its order-keeping Parquet write is serial). Stored datasets keep their order.
  // Tables go to a database file in the scratch directory, not to memory: DuckDB then writes
  // each full row group compressed while reading, where an in-memory database (even with
  // COMPRESS) holds the whole table uncompressed until the insert ends. Small row groups and
  // the current storage format lower that further. Measured on the 100 MB bench CSV, in the
  // same time: peak RSS 130 MB while reading against 200 MB in memory.
  {
    auto conn = engine.Connect();
    if (!conn.ok()) return Fail(conn.status().message());
    const std::string database = (fs::path(scratch.path()) / "profile.duckdb").string();
    const Status setup = conn->Execute("SET GLOBAL preserve_insertion_order = false; ATTACH " +
                                       engine::QuoteLiteral(database) +
                                       " AS dm_profile (ROW_GROUP_SIZE 32768, STORAGE_VERSION 'v1.4.0')");
    if (!setup.ok()) return Fail(setup.message());
  }
  const bool in_tables = ProfileInTables(file);
  auto tables = Ingest(engine, file, scratch.path(), in_tables ? "dm_profile" : "");
  if (!tables.ok()) return Fail(tables.status().message());
  if (tables->empty()) return Fail("The file holds no table.");
  nlohmann::json all = nlohmann::json::array();
  for (const auto& t : *tables) {
    auto profile = t.table.empty() ? engine::ProfileParquet(engine, t.parquet_path)
                                   : engine::ProfileTable(engine, t.table);
    if (!profile.ok()) return Fail(profile.status().message());
    if (json) {
      all.push_back(*profile);
    } else {
      PrintProfileText(t.name, *profile);
      std::cout << "\n";
    }
  }
  // One table prints exactly the API's profile JSON; a workbook prints one per sheet.
  if (json)
    std::cout
        << (all.size() == 1 ? all[0] : all).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
  std::cout.flush();
  std::cerr.flush();
  // Done: leave without tearing DuckDB down, which frees its memory page by page (~40 ms on
  // the 100 MB bench CSV) for a process about to end. Nothing it holds outlives the process
  // but the scratch directory, removed first.
  const int status = std::cout.good() ? 0 : 1;
  scratch.Remove();
  std::_Exit(status);
}

}  // namespace dm::cli
