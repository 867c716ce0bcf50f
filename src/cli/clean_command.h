#pragma once
/// `datamorph clean IN (--recipe R.json | --auto) -o OUT [--print-sql]`: applies cleaning
/// operations (engine/clean.h) to any supported input and writes the result in the format
/// OUT's extension names. Needs nothing but the engine.

#include <string>

namespace dm::cli {

struct CleanArgs {
  std::string in;
  std::string recipe;       ///< a JSON file: an array of operations or {"operations": [...]}
  bool auto_clean = false;  ///< apply the safe suggestions of engine/suggest.h instead
  std::string out;
  bool print_sql = false;  ///< print the compiled SQL to stdout
};

/// Ingests IN (its first table) to a scratch Parquet file, applies the operations and exports
/// the result to OUT (csv/json/ndjson/parquet/xlsx by extension). A Parquet input is used as
/// it is. Reports per-operation counts (and with --auto what was applied) on stderr.
/// Returns 0 on success, 1 on failure (message on stderr).
int RunCleanCommand(const CleanArgs& args);

}  // namespace dm::cli
