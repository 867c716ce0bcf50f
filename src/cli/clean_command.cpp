#include "cli/clean_command.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "engine/clean.h"
#include "engine/dataset_io.h"
#include "engine/duckdb.h"
#include "engine/format_detector.h"
#include "engine/ingest.h"
#include "engine/profiler.h"
#include "engine/suggest.h"

#include "cli/scratch.h"

namespace dm::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string OutputFormat(const std::string& out) {
  std::string ext = fs::path(out).extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == "jsonl") ext = "ndjson";
  if (ext != "csv" && ext != "json" && ext != "ndjson" && ext != "parquet" && ext != "xlsx") return {};
  return ext;
}

Result<json> ReadRecipe(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("The recipe file " + path + " cannot be read.");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  json recipe = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (recipe.is_discarded()) return Invalid("The recipe file " + path + " is not valid JSON.");
  if (recipe.is_object() && recipe.contains("operations")) recipe = recipe["operations"];
  if (!recipe.is_array()) {
    return Invalid("The recipe must be a JSON array of operations or {\"operations\": [...]}.");
  }
  return recipe;
}

/// The input as a Parquet file: a Parquet input as it is, anything else ingested (first table).
Result<std::string> InputParquet(engine::Engine& engine, const std::string& in, const std::string& scratch) {
  std::error_code ec;
  if (!fs::is_regular_file(in, ec)) return NotFound("The input file " + in + " does not exist.");
  const std::string format = engine::DetectFormat(in);
  if (format == "parquet") return fs::absolute(in).string();
  engine::IngestOptions options;
  options.output_dir = (fs::path(scratch) / "tables").string();
  options.work_dir = scratch;
  DM_ASSIGN_OR_RETURN(auto tables, engine::IngestFile(engine, in, format, options, nullptr));
  if (tables.empty()) return Invalid("The file holds no table.");
  if (tables.size() > 1) {
    std::cerr << "note: " << in << " holds " << tables.size() << " tables; cleaning the first (\""
              << tables.front().name << "\")\n";
  }
  return tables.front().parquet_path;
}

std::string Describe(const json& op) {
  return op.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

int RunCleanCommand(const CleanArgs& args) {
  if (args.recipe.empty() == !args.auto_clean) return Fail("Give exactly one of --recipe R.json and --auto.");
  if (args.out.empty() && !args.print_sql) return Fail("Give the output file with -o OUT.");
  const std::string format = args.out.empty() ? std::string() : OutputFormat(args.out);
  if (!args.out.empty() && format.empty()) {
    return Fail("Cannot tell the output format from \"" + args.out +
                "\"; use a .csv, .json, .ndjson, .parquet or .xlsx file name.");
  }
  json operations = json::array();
  if (!args.recipe.empty()) {
    auto recipe = ReadRecipe(args.recipe);
    if (!recipe.ok()) return Fail(recipe.status().message());
    operations = std::move(recipe).value();
  }

  ScratchDir scratch("datamorph_clean");
  if (scratch.path().empty()) return Fail("Could not create a scratch directory.");
  engine::Engine engine(engine::EngineOptions{scratch.path()});
  if (!engine.status().ok()) return Fail(engine.status().message());
  auto parquet = InputParquet(engine, args.in, scratch.path());
  if (!parquet.ok()) return Fail(parquet.status().message());

  if (args.auto_clean) {
    auto profile = engine::ProfileParquet(engine, *parquet);
    if (!profile.ok()) return Fail(profile.status().message());
    auto suggestions = engine::clean::Suggest(engine, *parquet, *profile);
    if (!suggestions.ok()) return Fail(suggestions.status().message());
    for (const auto& s : *suggestions) {
      if (!s.safe) continue;
      operations.push_back(s.operation);
      std::cerr << "applying: " << s.rationale << " (" << s.affected_rows
                << " rows): " << Describe(s.operation) << "\n";
    }
    if (operations.empty()) std::cerr << "no safe suggestions: the data is written unchanged\n";
  }

  if (args.print_sql) {
    auto plan = engine::clean::CompileForData(engine, operations, *parquet);
    if (!plan.ok()) return Fail(plan.status().message());
    std::cout << plan->sql << ";\n";
    if (args.out.empty()) return 0;
  }

  const std::string target =
      format == "parquet" ? args.out : (fs::path(scratch.path()) / "cleaned.parquet").string();
  const auto start = std::chrono::steady_clock::now();
  auto result = engine::clean::Apply(engine, *parquet, operations, target);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!result.ok()) return Fail(result.status().message());
  if (format != "parquet") {
    const Status exported = engine::ExportFile(engine, target, format, args.out);
    if (!exported.ok()) return Fail(exported.message());
  }
  for (std::size_t i = 0; i < result->operations.size(); ++i) {
    const auto& s = result->operations[i];
    std::cerr << "  " << i << " " << s.type << ": " << s.affected_rows << " rows affected, " << s.rows_before
              << " -> " << s.rows_after << " rows\n";
  }
  char timing[64];
  std::snprintf(timing, sizeof timing, "%.3f", seconds);
  std::cerr << "wrote " << args.out << " (" << result->rows_after << " of " << result->rows_before
            << " rows, " << result->output_schema.size() << " columns; applied in " << timing << " s)\n";
  return 0;
}

}  // namespace dm::cli
