#pragma once
/// Column and table profiling of a Parquet file, computed inside DuckDB in a handful of
/// set-based passes (see profiler.cpp for the pass plan). Produces the "Profile" JSON of
/// /work/shared/API.md.

#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "engine/duckdb.h"

namespace dm::engine {

struct ProfileOptions {
  /// Equal-width histogram bins for numeric and temporal columns.
  int histogram_bins = 20;
  /// Most frequent values kept per column.
  int top_values = 10;
  /// Columns per generated SELECT list (wide tables are profiled in chunks of this size).
  int columns_per_query = 200;
  /// Aggregate expressions per pass-1 SELECT list. DuckDB's planning time grows faster than
  /// linearly with the SELECT list, so pass 1 is split by expression count, not column count
  /// (measured: 1,000 mixed columns plan in ~1.7 s at 2,000 expressions per query, ~0.6 s at 500).
  int aggregates_per_query = 500;
  /// Tables with at most this many non-text columns get pass 2 for those columns as one GROUP
  /// BY per column on its native type, with exact quartiles read off the groups (fast on long
  /// tables: ~4x less CPU than the shared UNPIVOT); wider tables use one shared UNPIVOT of the
  /// columns cast to VARCHAR, since a subquery per column re-reads the file footer (measured:
  /// 1,000 columns x 2,000 rows, 50 ms per column) and take their quartiles in pass 1.
  int native_value_columns = 32;
  /// Numeric columns considered for the Pearson correlation matrix (the first N).
  int max_correlation_columns = 30;
  /// Categorical columns considered for Cramér's V and hierarchies (the first N text or boolean
  /// columns with 2..max_hierarchy_distinct values); pairs grow quadratically.
  int max_association_columns = 15;
  /// Cramér's V is computed between candidates with at most this many distinct values.
  int max_cramers_distinct = 50;
  /// Hierarchy levels have at most this many distinct values (cities, not customers).
  int max_hierarchy_distinct = 10000;
  /// A functional dependency a -> b is accepted when at most this share of rows disagrees with
  /// the most common b of their a (typos in a few rows should not hide a hierarchy).
  double hierarchy_tolerance = 0.01;
  /// Date/timestamp columns and numeric measures (the first N of each) given a trend and
  /// seasonality.
  int max_time_columns = 3;
  int max_time_measures = 5;
  /// Periods a series is aggregated to at most (the grain is coarsened to stay under it).
  int max_time_points = 500;
};

/// The profile of `parquet_path` as the API's profile JSON:
/// row_count, column_count, duplicate_row_count, quality, alerts, correlations, columns, plus
/// duplicate_key_count, associations, hierarchies, time_series and, per column, inferred,
/// outliers and issues (docs/quality.md defines every figure).
/// Errors: whatever DuckDB reports reading the file (as the Connection's Status).
Result<nlohmann::json> ProfileParquet(Engine& engine, const std::string& parquet_path,
                                      const ProfileOptions& options = {});

/// The same profile of a table in the engine's database (`table`: its name as SQL, quoted,
/// e.g. from IngestOptions::database). The CLI profiles the tables it reads this way: a
/// one-off profile has no use for a Parquet copy of the file.
Result<nlohmann::json> ProfileTable(Engine& engine, const std::string& table,
                                    const ProfileOptions& options = {});

}  // namespace dm::engine
