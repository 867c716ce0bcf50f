#pragma once
/// Internals shared by clean.cpp (validation and the SQL builder) and clean_run.cpp (apply,
/// preview, per-operation counters). Not part of the engine's public surface.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "engine/clean.h"
#include "engine/duckdb.h"

namespace dm::engine::clean::internal {

/// Name of the per-operation counting function registered by clean_run.cpp:
/// __dm_tally(token BIGINT, op INTEGER, flag BOOLEAN, row BIGINT) -> BIGINT returns `row` and
/// counts, per (token, op), the rows seen and those with `flag` true.
inline constexpr const char* kTallyFunction = "__dm_tally";
/// __dm_keep(token BIGINT, op INTEGER, keep BOOLEAN, row BIGINT) -> BOOLEAN returns `keep`
/// (NULL as false) and counts the rows seen and kept.
inline constexpr const char* kKeepFunction = "__dm_keep";

/// Where data-dependent values (statistics, detected formats) come from.
class Resolver {
 public:
  virtual ~Resolver() = default;
  /// Whether values are computed on the data (false: Compile without data).
  virtual bool HasData() const = 0;
  /// Runs `sql` (a full query over the data) and returns its result; only with data.
  virtual Result<QueryResult> Query(const std::string& sql) = 0;
  /// Cached values by key (so that building the SQL twice runs each query once).
  std::map<std::string, std::vector<std::optional<std::string>>> cache;
};

/// How an operation's affected rows are counted.
enum class CountKind {
  kFlagged,  ///< rows flagged as changed by the operation's tally
  kRemoved,  ///< rows_before - rows_after
};

struct Compiled {
  Plan plan;
  /// Plan::sql with the counting functions woven in (only when a token was given).
  std::string counted_sql;
  /// Plan::sql_with_ordinal's output columns: for each, the input column it derives from
  /// ("" for a new column), so that preview can compare before and after cells.
  std::vector<std::string> origins;
  std::vector<std::string> types;  ///< operation types, by index
  std::vector<CountKind> count_kinds;
  /// Whether the output needed an ORDER BY on the ordinal (windows, grouping).
  bool ordered = false;
};

/// Validates and compiles; `token` != 0 also builds counted_sql with that token.
Result<Compiled> CompileWith(const nlohmann::json& operations, const std::vector<ColumnSchema>& schema,
                             const std::string& parquet_path, Resolver& resolver, std::int64_t token);

/// Prefix of the error raised by cast with on_error:"fail" (followed by "<index>:<value>").
inline constexpr const char* kCastFailMarker = "DM_CAST_FAIL:";

}  // namespace dm::engine::clean::internal
