#pragma once
/// Cleaning suggestions from a dataset version's profile and its data: each one a ready
/// operation (see engine/clean.h), a rationale in plain words, the rows it would change
/// (counted on the full data) and the expected quality gain.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "engine/duckdb.h"

namespace dm::engine::clean {

struct Suggestion {
  /// Stable for the same data and profile (a hash of the operation), so a client can refer
  /// to it between requests.
  std::string id;
  nlohmann::json operation;
  std::string rationale;
  std::int64_t affected_rows = 0;
  /// Expected change of the quality score (0-100 points), estimated from the profile.
  double expected_quality_gain = 0;
  /// "safe" suggestions are applied by `datamorph clean --auto`; others need a person's eye
  /// (dropping outliers, deduplicating on a key, ...).
  bool safe = false;
};

/// Suggestions for the Parquet file whose profile (the API's profile JSON) is `profile`,
/// most valuable first.
Result<std::vector<Suggestion>> Suggest(Engine& engine, const std::string& parquet_path,
                                        const nlohmann::json& profile);

/// The suggestion as the API's JSON {id, operation, rationale, affected_rows,
/// expected_quality_gain, safe}.
nlohmann::json ToJson(const Suggestion& s);

}  // namespace dm::engine::clean
