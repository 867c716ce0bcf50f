#include "engine/profiler.h"

/// Pass plan (every pass is a set-based DuckDB query; wide tables are split into chunks of
/// ProfileOptions::columns_per_query columns, so 1,000 columns cost ~5 queries per pass):
///   0. count(*) from the Parquet footer; DESCRIBE  -> rows, names and types
///   1. one aggregate per chunk                    -> count, min, max, mean, std, skewness,
///                                                    zeros (+ quartiles on wide tables;
///                                                    + corr() pairs on narrow ones, pass 5)
///   2a. non-text columns, narrow tables: one      -> exact distinct count, top values and
///       GROUP BY per column on its native type,      exact quartiles read off the sorted
///       one column at a time; none for integer       groups, or for many-valued columns
///       columns a bitmap shows all distinct          picked from bucket counts
///       (AllDistinct)                                (ValueCountsPass, PickByBuckets)
///       wide tables: one UNPIVOT + GROUP BY       -> distinct count and top values
///   2b. text columns: one GROUP BY per column     -> the same, plus spelling variants (case,
///       (narrow) or one UNPIVOT + GROUP BY per       whitespace, accents), lengths, semantic
///       chunk (wide)                                 validators and type inference
///                                                    (profile_infer.cpp), run once per distinct
///                                                    value; then currency symbols and units,
///                                                    only for columns that have any
///   3. one aggregate per chunk                    -> histograms (bins over pass 1's min/max),
///                                                    IQR outlier counts (fences from the
///                                                    quartiles), MAD, placeholder-like extremes
///      3b. one aggregate per chunk (MAD > 0)      -> MAD outlier counts
///   4. count(DISTINCT hash(row)), skipped when    -> duplicate rows
///      a column is complete and unique
///   5. one aggregate of corr() pairs (unless      -> Pearson matrix (first 30 numeric columns)
///      pass 1 had them)
///   6. one GROUP BY, then one over (pair, a, b)   -> Cramér's V and functional dependencies
///                                                    between categorical columns (hierarchies),
///                                                    profile_dataset.cpp
///   7. one GROUP BY per date column (at most 3)   -> the series behind trend and seasonality
/// No per-row work happens in C++. The definitions of every figure (quality dimensions,
/// inference share and confidence, outliers, alerts) are in docs/quality.md.
/// distinct_count is exact (it falls out of pass 2's GROUP BY), so no approx_count_distinct
/// is needed. DM_PROFILE_TRACE=1 prints when each pass ends (wall and process CPU time).

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "engine/ingest.h"
#include "engine/profile_internal.h"
#include "engine/sql.h"

namespace dm::engine {

namespace {

using namespace profile;  // NOLINT(google-build-using-namespace): this file implements it

/// A string validator evaluated in pass 2 for text columns; a column gets the semantic type
/// when at least kValidatorShare of its non-placeholder values match.
struct Validator {
  const char* semantic;
  const char* regex;  // RE2, full match
};
constexpr double kValidatorShare = 0.9;
const Validator kValidators[] = {
    {"email", R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})"},
    {"url", R"((?i)(https?|ftp)://[^\s/$.?#][^\s]*)"},
    {"phone", R"((\+?[0-9]{1,3}[ .\-]?)?\(?[0-9]{2,4}\)?[ .\-][0-9]{3,4}[ .\-]?[0-9]{3,4})"},
    {"percent", R"(-?[0-9]+([.,][0-9]+)? ?%)"},
    {"boolean", R"((?i)(true|false|yes|no|y|n|t|f))"},
    {"postal_code",
     R"([0-9]{5}(-[0-9]{4})?|[A-Za-z][0-9][A-Za-z] ?[0-9][A-Za-z][0-9]|[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2})"},
};

/// Numeric values that stand in for "unknown" when they are a column's extreme.
const double kSentinelNumbers[] = {-9999999, -999999, -99999, -9999, -999, 999, 9999, 99999, 999999, 9999999};
/// Dates that stand in for "unknown" when they are a column's extreme.
const char* const kSentinelDates[] = {"0001-01-01", "1753-01-01", "1899-12-30", "1899-12-31",
                                      "1900-01-01", "2999-12-31", "9999-12-31"};
/// Modified z-score cut-off (Iglewicz and Hoaglin) and the MAD-to-sigma factor.
constexpr double kMadCutoff = 3.5;
constexpr double kMadScale = 1.4826;

/// The value histogram bins are computed on: numeric as DOUBLE, temporal as epoch seconds.
std::string BinValue(const Column& c) {
  if (c.kind == Kind::kTemporal) return "CAST(epoch(" + Ident(c) + ") AS DOUBLE)";
  return NumericValue(c);
}

std::string Alias(std::size_t index) {
  return "c" + std::to_string(index);
}

std::size_t IndexFromAlias(const std::string& alias) {
  return alias.size() > 1 ? static_cast<std::size_t>(std::stoull(alias.substr(1))) : 0;
}

// ---- pass 1 ----------------------------------------------------------------------------

/// The number of pass-1 aggregates AggregatePass adds for a column (keep in step with it).
std::size_t AggregateCount(const Column& c) {
  switch (c.kind) {
    case Kind::kNumeric:
      return c.is_integer ? 9 : 10;
    case Kind::kTemporal:
      return 5;
    case Kind::kText:
    case Kind::kBoolean:
      break;
  }
  return 1;
}

/// Sample skewness from the count and the sums of the values, their squares and cubes, as
/// DuckDB's skewness() computes it (the same three sums, its formula) at a third less CPU than
/// calling it: its state takes pow() of every value. Null for fewer than 3 values or no spread.
std::optional<double> Skewness(double n, double s1, double s2, double s3) {
  if (n <= 2) return std::nullopt;
  const double temp = 1 / n;
  const double div = std::sqrt(std::max(0.0, std::pow(temp * (s2 - s1 * s1 * temp), 3)));
  if (div == 0) return std::nullopt;
  const double skew = std::sqrt(n * (n - 1)) / (n - 2) * temp *
                      (s3 - 3 * s2 * s1 * temp + 2 * std::pow(s1, 3) * temp * temp) / div;
  return std::isfinite(skew) ? std::optional<double>(skew) : std::nullopt;
}

/// Whether a result cell is a double that overflowed (DoubleToJson spells those as strings).
bool Overflowed(const json& v) {
  return v.is_string() && (v == "Infinity" || v == "-Infinity" || v == "NaN");
}

/// `scales` (per column index, empty on the first try): std and skewness are computed on the
/// values divided by that power of two, for columns whose moments overflow a double.
/// Integer columns take their double range from their native min and max (a cast keeps order,
/// so min(CAST(x AS DOUBLE)) = CAST(min(x) AS DOUBLE)): two aggregates fewer.
///
/// `pairs` (narrow tables, all columns in one statement): the Pearson correlations of these
/// pairs of numeric columns are computed in the same scan and stored in `correlations`, one
/// cell per pair (on the 1 GB bench CSV a pass of its own cost 0.25 s more than this).
Status AggregatePass(Connection& conn, const std::string& source, std::vector<Column>& cols,
                     std::size_t begin, std::size_t end, std::int64_t& row_count,
                     const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                     std::vector<json>& correlations, const std::map<std::size_t, double>& scales = {}) {
  std::vector<std::string> items = {"count(*)"};
  std::map<std::size_t, std::string> scaled;  // column -> its value as std, skewness and corr take it
  auto add = [&](Column& c, const std::string& field, const std::string& expr) {
    c.field[field] = items.size();
    items.push_back(expr);
  };
  for (std::size_t i = begin; i < end; ++i) {
    Column& c = cols[i];
    const std::string id = Ident(c);
    add(c, "n", "count(" + id + ")");
    if (c.kind == Kind::kNumeric) {
      const std::string v = NumericValue(c);
      if (c.is_integer) {
        add(c, "min", "min(" + id + ")");
        add(c, "max", "max(" + id + ")");
      } else {
        add(c, "dmin", "min(" + v + ")");
        add(c, "dmax", "max(" + v + ")");
      }
      add(c, "mean", "avg(" + v + ")");
      const auto scale = scales.find(i);
      const std::string sv = scale == scales.end() ? v : "(" + v + ") / " + DoubleLiteral(scale->second);
      scaled[i] = sv;
      add(c, "std", "stddev_samp(" + sv + ")");
      if (c.is_float) add(c, "finite", "count(" + v + ")");
      add(c, "s1", "sum(" + sv + ")");
      add(c, "s2", "sum((" + sv + ") * (" + sv + "))");
      add(c, "s3", "sum((" + sv + ") * (" + sv + ") * (" + sv + "))");
      add(c, "zeros", "count_if(" + v + " = 0)");
    } else if (c.kind == Kind::kTemporal) {
      add(c, "min", "min(" + id + ")");
      add(c, "max", "max(" + id + ")");
      add(c, "dmin", "min(" + BinValue(c) + ")");
      add(c, "dmax", "max(" + BinValue(c) + ")");
    }
    // Text columns' length and validator statistics come from pass 2, over distinct values.
  }
  const std::size_t first_pair = items.size();
  for (const auto& [a, b] : pairs) items.push_back("corr(" + scaled.at(a) + ", " + scaled.at(b) + ")");
  std::string sql = "SELECT ";
  for (std::size_t k = 0; k < items.size(); ++k) sql += (k ? ", " : "") + items[k];
  sql += From(source);
  Result<QueryResult> result = conn.Query(sql);
  // corr() fails with "out of range" when it overflows (a constant column gives NaN, not this).
  bool overflow = !result.ok() && result.status().message().find("out of range") != std::string::npos;
  if (result.ok() && result->RowCount() == 1) {
    for (std::size_t i = begin; i < end; ++i) {
      for (const char* f : {"s2", "s3"})
        if (cols[i].field.count(f) && Overflowed(result->Cell(0, cols[i].field[f]))) overflow = true;
    }
  }
  if (overflow && scales.empty()) {
    // Skewness cubes the values (overflow past ~1e103) and the variance squares them (~1e154):
    // retry with those columns scaled down by a power of two near their largest magnitude
    // (exact in binary; skewness does not change with scale, std scales back).
    std::string probe;
    std::vector<std::size_t> numeric;
    for (std::size_t i = begin; i < end; ++i) {
      if (cols[i].kind != Kind::kNumeric) continue;
      probe += (probe.empty() ? "SELECT " : ", ") + ("max(abs(" + NumericValue(cols[i]) + "))");
      numeric.push_back(i);
    }
    if (!probe.empty()) {
      DM_ASSIGN_OR_RETURN(QueryResult m, conn.Query(probe + From(source)));
      std::map<std::size_t, double> found;
      for (std::size_t k = 0; k < numeric.size(); ++k) {
        const std::optional<double> big = ToDouble(m.Cell(0, k));
        if (big && std::isfinite(*big) && *big > 1e50)
          found[numeric[k]] = std::exp2(std::floor(std::log2(*big)));
      }
      if (!found.empty())
        return AggregatePass(conn, source, cols, begin, end, row_count, pairs, correlations, found);
    }
  }
  if (!result.ok()) return result.status();
  QueryResult& r = *result;
  if (r.RowCount() != 1) return Internal("The profile aggregate returned no row.");
  row_count = ToInt(r.Cell(0, 0));
  correlations.clear();
  for (std::size_t k = 0; k < pairs.size(); ++k) correlations.push_back(r.Cell(0, first_pair + k));
  for (std::size_t i = begin; i < end; ++i) {
    Column& c = cols[i];
    auto get = [&](const char* f) { return c.field.count(f) ? r.Cell(0, c.field[f]) : json(nullptr); };
    c.count = ToInt(get("n"));
    c.dmin = ToDouble(get(c.is_integer ? "min" : "dmin"));
    c.dmax = ToDouble(get(c.is_integer ? "max" : "dmax"));
    c.finite = c.is_float ? ToInt(get("finite")) : c.count;
    if (c.kind == Kind::kNumeric) {
      c.min = c.is_integer ? get("min") : FiniteOrNull(get("dmin"));
      c.max = c.is_integer ? get("max") : FiniteOrNull(get("dmax"));
      c.mean = FiniteOrNull(get("mean"));
      c.std = FiniteOrNull(get("std"));
      if (const auto scale = scales.find(i); scale != scales.end() && c.std.is_number())
        c.std = FiniteOrNull(c.std.get<double>() * scale->second);
      const auto s1 = ToDouble(get("s1")), s2 = ToDouble(get("s2")), s3 = ToDouble(get("s3"));
      if (s1 && s2 && s3) c.skew = Skewness(static_cast<double>(c.finite), *s1, *s2, *s3);
      c.zeros = ToInt(get("zeros"));
    } else if (c.kind == Kind::kTemporal) {
      c.min = get("min");
      c.max = get("max");
    }
  }
  return Status::Ok();
}

/// The column's numeric value, divided by a power of two near its largest magnitude when
/// that is past 1e50, so that moments (corr squares values) cannot overflow a double;
/// correlation does not change with scale.
std::string ScaledValue(const Column& c) {
  const double big = std::max(std::fabs(c.dmin.value_or(0)), std::fabs(c.dmax.value_or(0)));
  if (!std::isfinite(big) || big <= 1e50) return NumericValue(c);
  return "(" + NumericValue(c) + ") / " + DoubleLiteral(std::exp2(std::floor(std::log2(big))));
}

// ---- pass 2 ----------------------------------------------------------------------------

/// The top values of one column as the API lists them, from a list of {value, count}.
void SetTopValues(Column& c, const json& top) {
  if (!top.is_array()) return;
  for (const auto& t : top)
    c.top.push_back({{"value", t.value("value", json())}, {"count", ToInt(t["count"])}});
}

/// Distinct count, highest frequency and top values from cells 1-3 of a pass-2 result row
/// (cell 0 names the column).
void SetValueCounts(Column& c, const QueryResult& r, std::int64_t row) {
  c.distinct = ToInt(r.Cell(row, 1));
  c.max_freq = ToInt(r.Cell(row, 2));
  SetTopValues(c, r.Cell(row, 3));
}

/// Text columns up to which TextValuesPass may group each column on its own (ProfileTable).
constexpr std::size_t kTextGroupByColumns = 8;

/// Pass 2 for text columns: distinct counts, top values, lengths, validators, spelling
/// variants and type inference, from the values grouped by (column, value): one GROUP BY per
/// column when `per_column`, else one UNPIVOT of the columns (cast to VARCHAR when they are
/// not text already), one scan for many columns. The validators and inference run once per
/// distinct value, weighted by its count.
Status TextValuesPass(Connection& conn, const std::string& source, std::vector<Column>& cols,
                      const std::vector<std::size_t>& which, int top_n, bool per_column) {
  if (which.empty()) return Status::Ok();
  std::string g;
  if (per_column) {
    // One GROUP BY per column on the column itself: DuckDB then aggregates dictionary-encoded
    // strings once per dictionary entry, where UNPIVOT hands it plain strings. On the 100 MB
    // bench CSV's four text columns: 9 ms against 94 ms.
    for (std::size_t k = 0; k < which.size(); ++k) {
      const Column& c = cols[which[k]];
      const std::string v = c.duckdb_type == "VARCHAR" ? Ident(c) : "CAST(" + Ident(c) + " AS VARCHAR)";
      g += (k ? " UNION ALL " : "") +
           ("SELECT " + QuoteLiteral(Alias(which[k])) + " AS col, " + v + " AS val, count(*) AS n" +
            From(source) + " WHERE " + v + " IS NOT NULL GROUP BY " + v);
    }
    g = "WITH g AS (" + g + ")";
  } else {
    std::string inner = "SELECT ";
    for (std::size_t k = 0; k < which.size(); ++k) {
      inner += (k ? ", " : "") +
               ("CAST(" + Ident(cols[which[k]]) + " AS VARCHAR) AS " + QuoteIdent(Alias(which[k])));
    }
    inner += From(source);
    g = "WITH g AS (SELECT col, val, count(*) AS n FROM (UNPIVOT (" + inner +
        ") ON COLUMNS(*) INTO NAME col VALUE val) GROUP BY col, val)";
  }
  // Top values ordered by count, then value: the N smallest (-n, val) keys, a heap per column
  // instead of sorting every distinct value.
  const std::string head =
      "SELECT col, count(*) AS distinct_count, max(n) AS max_n, "
      "min_by({'value': val, 'count': n}, {'a': -n, 'b': val}, " +
      std::to_string(top_n) + ") AS top";
  std::string text_stats =
      ", coalesce(sum(n) FILTER (WHERE vr > 1), 0) AS inconsistent"
      ", sum(n * length(val)) AS len_sum, max(length(val)) AS mlen";
  for (const auto& v : kValidators) {
    text_stats +=
        ", coalesce(sum(n) FILTER (WHERE regexp_full_match(val, " + QuoteLiteral(v.regex) + ")), 0)";
  }
  text_stats += ", coalesce(sum(n) FILTER (WHERE TRY_CAST(val AS TIMESTAMP) IS NOT NULL), 0)";
  const std::string sql =
      g + ", c AS (" + InferenceRelation("SELECT col, val, n, true AS txt, trim(val) AS tv FROM g") +
      "), "
      "r AS (SELECT *, "
      "row_number() OVER (PARTITION BY col, strip_accents(lower(tv)) ORDER BY n DESC, val) AS vr FROM c) " +
      head + text_stats + InferenceAggregates() + " FROM r GROUP BY col";
  DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql));
  std::vector<std::size_t> tagged;  // text columns with currency symbols or units
  for (std::int64_t row = 0; row < r.RowCount(); ++row) {
    const std::size_t i = IndexFromAlias(r.CellString(row, 0));
    if (i >= cols.size()) continue;
    Column& c = cols[i];
    SetValueCounts(c, r, row);
    if (c.count <= 0) continue;
    c.inconsistent = ToInt(r.Cell(row, 4));
    c.avg_len = ToDouble(r.Cell(row, 5)).value_or(0) / static_cast<double>(c.count);
    c.max_len = ToDouble(r.Cell(row, 6)).value_or(0);
    std::size_t k = 7;
    for (const auto& v : kValidators) c.matches[v.semantic] = ToInt(r.Cell(row, k++));
    c.matches["datetime"] = ToInt(r.Cell(row, k++));
    ReadInference(c.infer, r, row, k);
    if (c.infer.numbers[static_cast<std::size_t>(NumberClass::kCurrency)] > 0 ||
        c.infer.numbers[static_cast<std::size_t>(NumberClass::kUnit)] > 0)
      tagged.push_back(i);
  }
  DM_RETURN_IF_ERROR(ReadTags(conn, source, cols, tagged));
  for (std::size_t i : which) {
    if (cols[i].count > 0) InferTextType(cols[i].infer, cols[i].count);
  }
  return Status::Ok();
}

/// Positions (0-based, in ascending order) of the p25/p50/p75 quantiles among `n` values:
/// for numbers the two neighbours linear interpolation uses (DuckDB's quantile_cont), for
/// dates and timestamps the one value quantile_disc picks (ceil(n q) - 1).
std::vector<std::int64_t> QuantilePositions(const Column& c, std::int64_t n) {
  std::vector<std::int64_t> at;
  for (double q : {0.25, 0.5, 0.75}) {
    if (c.kind == Kind::kNumeric) {
      const double h = static_cast<double>(n - 1) * q;
      at.push_back(static_cast<std::int64_t>(std::floor(h)));
      at.push_back(static_cast<std::int64_t>(std::ceil(h)));
    } else {
      at.push_back(
          std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(static_cast<double>(n) * q)) - 1));
    }
  }
  return at;
}

/// Sets the column's quartiles from the values picked at QuantilePositions (a list: 6 values
/// for numbers, interpolated as quantile_cont does; 3 for dates and timestamps).
void SetQuantiles(Column& c, const json& picked) {
  if (!picked.is_array()) return;
  if (c.kind == Kind::kTemporal && picked.size() == 3) {
    c.quantiles = {{"p25", picked[0]}, {"p50", picked[1]}, {"p75", picked[2]}};
  } else if (c.kind == Kind::kNumeric && picked.size() == 6) {
    const std::vector<std::int64_t> at = QuantilePositions(c, c.finite);
    double q[3];
    for (std::size_t p = 0; p < 3; ++p) {
      const double lo = ToDouble(picked[2 * p]).value_or(NAN), hi = ToDouble(picked[2 * p + 1]).value_or(NAN);
      const double h = static_cast<double>(c.finite - 1) * (0.25 * static_cast<double>(p + 1));
      const double d = h - static_cast<double>(at[2 * p]);
      q[p] = lo + d * (hi - lo);
    }
    c.quantiles = {{"p25", FiniteOrNull(q[0])}, {"p50", FiniteOrNull(q[1])}, {"p75", FiniteOrNull(q[2])}};
    c.q1 = std::isfinite(q[0]) ? std::optional<double>(q[0]) : std::nullopt;
    c.median = std::isfinite(q[1]) ? std::optional<double>(q[1]) : std::nullopt;
    c.q3 = std::isfinite(q[2]) ? std::optional<double>(q[2]) : std::nullopt;
  }
}

/// Sets the column's quartiles from [p25, p50, p75] as quantile_cont (numbers) or
/// quantile_disc (dates and timestamps) return them.
void SetQuartiles(Column& c, const json& quartiles) {
  if (!quartiles.is_array() || quartiles.size() != 3) return;
  if (c.kind == Kind::kTemporal) {
    c.quantiles = {{"p25", quartiles[0]}, {"p50", quartiles[1]}, {"p75", quartiles[2]}};
    return;
  }
  const std::optional<double> q[3] = {ToDouble(quartiles[0]), ToDouble(quartiles[1]), ToDouble(quartiles[2])};
  c.quantiles = {{"p25", FiniteOrNull(q[0] ? json(*q[0]) : json())},
                 {"p50", FiniteOrNull(q[1] ? json(*q[1]) : json())},
                 {"p75", FiniteOrNull(q[2] ? json(*q[2]) : json())}};
  auto finite = [](const std::optional<double>& v) { return v && std::isfinite(*v) ? v : std::nullopt; };
  c.q1 = finite(q[0]);
  c.median = finite(q[1]);
  c.q3 = finite(q[2]);
}

/// Whether a column has so many distinct values (more than a quarter of its values) that
/// sorting its groups costs more than selecting among its rows (ValueCountsPass).
bool ManyValues(const Column& c) {
  return c.distinct * 4 > c.count;
}

/// Pass 2 for the non-text columns of wide tables, one statement per `which` (columns of one
/// DuckDB type): an UNPIVOT of the columns on their native type grouped by (column, value),
/// then per column the distinct count, top values and exact quartiles (running counts over
/// the sorted distinct values, as in ValueCountsPass, partitioned by column). One scan for
/// many columns; measured on 100,000 rows x 167 BIGINT columns, the native UNPIVOT costs
/// half the CPU of DuckDB's histogram() and a fifth of grouping the values cast to VARCHAR
/// (the earlier wide path, which also needed quantile_cont in pass 1: 4.6 s for 500 columns).
Status TypedValuesPass(Connection& conn, const std::string& source, std::vector<Column>& cols,
                       const std::vector<std::size_t>& which, int top_n) {
  if (which.empty()) return Status::Ok();
  const bool is_float = cols[which[0]].is_float;
  std::string inner = "SELECT ", positions;
  for (std::size_t k = 0; k < which.size(); ++k) {
    const Column& c = cols[which[k]];
    // "+ 0" turns -0.0 into 0.0 (IEEE) so that one zero is shown.
    inner += (k ? ", " : "") + Ident(c) + (c.is_float ? " + 0" : "") + " AS " + QuoteIdent(Alias(which[k]));
    if ((c.kind != Kind::kNumeric && c.kind != Kind::kTemporal) || c.finite <= 0) continue;
    std::string row;
    for (std::int64_t at : QuantilePositions(c, c.finite)) row += ", " + std::to_string(at);
    positions += (positions.empty() ? "" : ", ") + ("(" + QuoteLiteral(Alias(which[k])) + row + ")");
  }
  const bool quantiles = !positions.empty();
  const std::size_t picks = cols[which[0]].kind == Kind::kNumeric ? 6 : 3;
  // The grouped values are kept (a temporary table) for pass 3.
  static std::atomic<std::uint64_t> next_table{0};
  const std::string table = "dm_values_" + std::to_string(next_table.fetch_add(1));
  DM_RETURN_IF_ERROR(conn.Execute("CREATE TEMP TABLE " + QuoteIdent(table) +
                                  " AS SELECT col, v, count(*) AS n FROM (UNPIVOT (" + inner + From(source) +
                                  ") ON COLUMNS(*) INTO NAME col VALUE v) GROUP BY col, v"));
  for (std::size_t i : which) cols[i].values_table = table;
  std::string sql = "WITH g AS (SELECT * FROM " + QuoteIdent(table) +
                    "), "
                    "t AS (SELECT col, count(*) AS d, max(n) AS m, min_by({'value': CAST(v AS VARCHAR), "
                    "'count': n}, {'a': -n, 'b': v}, " +
                    std::to_string(top_n) + ") AS top FROM g GROUP BY col)";
  if (quantiles) {
    std::string names = "col", picked;
    for (std::size_t p = 0; p < picks; ++p) {
      names += ", k" + std::to_string(p);
      picked += (p ? ", " : "") + ("min(v) FILTER (WHERE cum > k" + std::to_string(p) + ")");
    }
    sql += ", p(" + names + ") AS (VALUES " + positions + "), q AS (SELECT col, [" + picked +
           "] AS picked FROM (SELECT g.*, sum(n) OVER (PARTITION BY col ORDER BY v ROWS UNBOUNDED PRECEDING) "
           "AS cum FROM g" +
           (is_float ? " WHERE isfinite(v)" : "") +
           ") s JOIN p USING (col) GROUP BY col)"
           " SELECT t.col, d, m, top, picked FROM t LEFT JOIN q USING (col)";
  } else {
    sql += " SELECT col, d, m, top, NULL FROM t";
  }
  DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql));
  for (std::int64_t row = 0; row < r.RowCount(); ++row) {
    const std::size_t i = IndexFromAlias(r.CellString(row, 0));
    if (i >= cols.size()) continue;
    Column& c = cols[i];
    SetValueCounts(c, r, row);
    if ((c.kind == Kind::kNumeric || c.kind == Kind::kTemporal) && c.finite > 0)
      SetQuantiles(c, r.Cell(row, 4));
  }
  return Status::Ok();
}

/// The values at `positions` (0-based ranks, ascending) among the `total` non-null values of
/// `value`, without holding them whole: one scan counts them in 4,096 equal-width buckets of
/// `key` (a DOUBLE expression of the value, monotone in it, null exactly when it is) over [lo,
/// hi], so each bucket is a run of the sorted values; a second sorts only the values of the
/// buckets that hold the positions. On the 100 MB bench CSV's near-unique columns this takes
/// ~40 ms and no memory to speak of, where quantile_cont took ~60 ms and 20 MB. Null when the
/// values crowd into few buckets (more than an eighth of them, and over 100,000, in the
/// buckets to sort): the caller then takes the quantile over all values.
///
/// `weight` (optional): each row of `source` stands for that many values, as the (v, n) rows of
/// a column's grouped values do; the second step then takes running sums of the weights. On
/// the 1 GB bench CSV's 7.4M grouped timestamps this costs 0.27 s, against 0.53 s over the
/// 10M rows.
Result<json> PickByBuckets(Connection& conn, const std::string& source, const std::string& value,
                           const std::string& key, double lo, double hi, std::int64_t total,
                           const std::vector<std::int64_t>& positions, const std::string& weight = "") {
  constexpr int kBuckets = 4096;
  const double width = (hi - lo) / kBuckets;
  if (positions.empty() || !std::isfinite(width) || width <= 0) return json();
  const std::string bucket = "least(CAST(floor((" + key + " - " + DoubleLiteral(lo) + ") / " +
                             DoubleLiteral(width) + ") AS INTEGER), " + std::to_string(kBuckets - 1) + ")";
  DM_ASSIGN_OR_RETURN(
      QueryResult counts,
      conn.Query("SELECT b, " + (weight.empty() ? std::string("count(*)") : "sum(w)") + " FROM (SELECT " +
                 bucket + " AS b" + (weight.empty() ? "" : ", " + weight + " AS w") + From(source) +
                 " WHERE " + key + " IS NOT NULL) GROUP BY b ORDER BY b"));
  std::vector<std::pair<std::int64_t, std::int64_t>> at;  // bucket, rank within it
  std::map<std::int64_t, std::int64_t> chosen;            // bucket -> its count
  std::int64_t below = 0;
  std::size_t next = 0;
  for (std::int64_t row = 0; row < counts.RowCount() && next < positions.size(); ++row) {
    const std::int64_t b = ToInt(counts.Cell(row, 0)), count = ToInt(counts.Cell(row, 1));
    while (next < positions.size() && positions[next] < below + count) {
      at.emplace_back(b, positions[next++] - below);
      chosen[b] = count;
    }
    below += count;
  }
  if (at.size() != positions.size()) return json();
  std::int64_t to_sort = 0;
  std::string in;
  for (const auto& [b, count] : chosen) {
    to_sort += count;
    in += (in.empty() ? "" : ", ") + std::to_string(b);
  }
  if (to_sort > std::max<std::int64_t>(100'000, total / 8)) return json();
  std::string wanted, pairs;
  for (const auto& [b, r] : at) {
    wanted += (wanted.empty() ? "" : " OR ") +
              ("(b = " + std::to_string(b) + " AND r = " + std::to_string(r) + ")");
    pairs += (pairs.empty() ? "" : ", ") + ("(" + std::to_string(b) + ", " + std::to_string(r) + ")");
  }
  const std::string rows = "(SELECT " + bucket + " AS b, " + value + " AS v" +
                           (weight.empty() ? "" : ", " + weight + " AS w") + From(source) + " WHERE " + key +
                           " IS NOT NULL)";
  // Unweighted: the value ranked r in its bucket; weighted: the smallest whose running sum of
  // weights (in value order) exceeds r.
  DM_ASSIGN_OR_RETURN(
      QueryResult picked,
      conn.Query(
          weight.empty()
              ? "SELECT b, r, v FROM (SELECT b, v, row_number() OVER (PARTITION BY b ORDER BY v) - 1 AS r "
                "FROM " +
                    rows + " WHERE b IN (" + in + ")) WHERE " + wanted
              : "SELECT p.b, p.r, min(x.v) FROM (VALUES " + pairs +
                    ") p(b, r) JOIN (SELECT b, v, sum(w) OVER (PARTITION BY b ORDER BY v ROWS UNBOUNDED "
                    "PRECEDING) AS cum FROM " +
                    rows + " WHERE b IN (" + in + ")) x ON x.b = p.b AND x.cum > p.r GROUP BY p.b, p.r"));
  std::map<std::pair<std::int64_t, std::int64_t>, json> found;
  for (std::int64_t row = 0; row < picked.RowCount(); ++row)
    found[{ToInt(picked.Cell(row, 0)), ToInt(picked.Cell(row, 1))}] = picked.Cell(row, 2);
  json out = json::array();
  for (const auto& where : at) {
    auto it = found.find(where);
    if (it == found.end()) return json();
    out.push_back(it->second);
  }
  return out;
}

/// Largest value range (max - min + 1) of an integer column that AllDistinct counts in a
/// bitmap: 2^27 bits, 16 MB per thread.
constexpr double kBitmapRange = 134'217'728;

/// Whether no value of an integer column occurs twice, from a bitmap of its value range
/// (bit_count(bitstring_agg(v, min, max)) is the exact distinct count): one scan and range/8
/// bytes per thread, where the GROUP BY it spares holds every value with its count (10,000,000
/// unique BIGINTs: 0.17 s against 1.6-2.8 s and ~500 MB). Asked only when the range could hold
/// each value once (count <= range <= kBitmapRange), so most columns with repeats (a customer
/// id over more rows than customers) skip the scan.
Result<bool> AllDistinct(Connection& conn, const std::string& source, const Column& c) {
  if (!c.is_integer || c.count <= 0 || !c.dmin || !c.dmax || !c.min.is_number_integer() ||
      !c.max.is_number_integer())
    return false;
  const double range = *c.dmax - *c.dmin + 1;
  if (range < static_cast<double>(c.count) || range > kBitmapRange) return false;
  DM_ASSIGN_OR_RETURN(
      QueryResult r,
      conn.Query("SELECT bit_count(bitstring_agg(" + Ident(c) + ", CAST(" + c.min.dump() + " AS " +
                 c.duckdb_type + "), CAST(" + c.max.dump() + " AS " + c.duckdb_type + ")))" + From(source)));
  return r.RowCount() == 1 && ToInt(r.Cell(0, 0)) == c.count;
}

/// Pass 2 for non-text columns of narrow tables: distinct count, top values and exact
/// quartiles, from one GROUP BY per column on its native type, each kept as a temporary table
/// of (v, n) for pass 3. Quartiles of a column with few distinct values are read off its
/// sorted groups with their running counts (the value at position k is the smallest whose
/// running count exceeds k, which equals quantile_cont/quantile_disc over all rows but sorts
/// distinct values only); a column with many distinct values (ManyValues) drops its groups and
/// picks its quartiles from bucket counts over its rows (PickByBuckets; quantile_cont/
/// quantile_disc when that declines), and pass 3 reads its rows too. Pass 3 reads only the
/// groups of the former: one MAD median over 100,000 groups instead of 1,000,000 rows. Ties in
/// the top values are broken by the native order (2 before 10).
///
/// An integer column whose values are all distinct (AllDistinct: an identifier, a sequence) is
/// not grouped at all: its distinct count is its count, its top values are its smallest values
/// once each, and when its values fill their range (1..n) its quartiles are min + position.
///
/// Columns go one at a time, and the groups of a column with many values are dropped before
/// the next column is grouped: holding the groups of the 100 MB bench CSV's three
/// near-unique columns at once, and their three quantile_cont states in one statement, raised
/// its peak RSS by 50 MB.
Status ValueCountsPass(Connection& conn, const std::string& source, std::vector<Column>& cols,
                       const std::vector<std::size_t>& which, int top_n) {
  static std::atomic<std::uint64_t> next_table{0};
  for (std::size_t i : which) {
    Column& c = cols[i];
    const std::string id = Ident(c);
    DM_ASSIGN_OR_RETURN(const bool unique, AllDistinct(conn, source, c));
    // Quartiles picked from the groups of a many-valued column (null: declined, values crowd).
    std::optional<json> from_groups;
    if (unique) {
      DM_ASSIGN_OR_RETURN(QueryResult smallest,
                          conn.Query("SELECT list({'value': CAST(v AS VARCHAR), 'count': 1} ORDER BY v) FROM "
                                     "(SELECT " +
                                     id + " AS v" + From(source) + " WHERE " + id + " IS NOT NULL ORDER BY " +
                                     id + " LIMIT " + std::to_string(top_n) + ")"));
      if (smallest.RowCount() != 1) return Internal("The smallest values query returned no row.");
      c.distinct = c.count;
      c.max_freq = 1;
      SetTopValues(c, smallest.Cell(0, 0));
    } else {
      c.values_table = "dm_values_" + std::to_string(next_table.fetch_add(1));
      c.values_by_column = true;
      const std::string g = QuoteIdent(c.values_table);
      // "+ 0" turns -0.0 into 0.0 (IEEE) so that one zero is shown.
      DM_RETURN_IF_ERROR(conn.Execute("CREATE TEMP TABLE " + g + " AS SELECT " + id +
                                      (c.is_float ? " + 0" : "") + " AS v, count(*) AS n" + From(source) +
                                      " WHERE " + id + " IS NOT NULL GROUP BY " + id));
      DM_ASSIGN_OR_RETURN(QueryResult counts,
                          conn.Query("SELECT (SELECT count(*) FROM " + g + "), (SELECT max(n) FROM " + g +
                                     "), (SELECT list({'value': CAST(v AS VARCHAR), 'count': n} "
                                     "ORDER BY n DESC, v) FROM (SELECT v, n FROM " +
                                     g + " ORDER BY n DESC, v LIMIT " + std::to_string(top_n) + "))"));
      if (counts.RowCount() != 1) return Internal("The value counts query returned no row.");
      c.distinct = ToInt(counts.Cell(0, 0));
      c.max_freq = ToInt(counts.Cell(0, 1));
      SetTopValues(c, counts.Cell(0, 2));
      if (ManyValues(c)) {
        // Quartiles from the groups while they are here (fewer rows than the column), then
        // pass 3 reads the rows of this column, not its groups.
        if ((c.kind == Kind::kNumeric || c.kind == Kind::kTemporal) && c.finite > 0) {
          Column grouped = c;
          grouped.name = "v";
          DM_ASSIGN_OR_RETURN(
              from_groups.emplace(),
              PickByBuckets(conn, g, "v", BinValue(grouped), c.dmin.value_or(0), c.dmax.value_or(0), c.finite,
                            QuantilePositions(c, c.finite), "n"));
        }
        DM_RETURN_IF_ERROR(conn.Execute("DROP TABLE " + g));
        c.values_table.clear();
        c.values_by_column = false;
      }
    }
    if ((c.kind != Kind::kNumeric && c.kind != Kind::kTemporal) || c.finite <= 0) continue;
    const std::vector<std::int64_t> positions = QuantilePositions(c, c.finite);
    if (!c.values_table.empty()) {
      std::string picks;
      for (std::int64_t at : positions)
        picks += (picks.empty() ? "" : ", ") + ("min(v) FILTER (WHERE cum > " + std::to_string(at) + ")");
      DM_ASSIGN_OR_RETURN(
          QueryResult q,
          conn.Query("SELECT [" + picks +
                     "] FROM (SELECT v, sum(n) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING) AS cum "
                     "FROM " +
                     QuoteIdent(c.values_table) + (c.is_float ? " WHERE isfinite(v)" : "") + ")"));
      if (q.RowCount() == 1) SetQuantiles(c, q.Cell(0, 0));
      continue;
    }
    constexpr double kExact = 9007199254740992;  // 2^53: integers up to here are exact doubles
    if (unique && *c.dmax - *c.dmin + 1 == static_cast<double>(c.count) && std::fabs(*c.dmin) < kExact &&
        std::fabs(*c.dmax) < kExact) {
      // Distinct integers that fill [min, max]: the value at position k is min + k.
      json picks = json::array();
      for (std::int64_t at : positions) picks.push_back(static_cast<std::int64_t>(*c.dmin) + at);
      SetQuantiles(c, picks);
      continue;
    }
    json picks = from_groups.value_or(json());
    if (!from_groups) {
      DM_ASSIGN_OR_RETURN(picks, PickByBuckets(conn, source, id, BinValue(c), c.dmin.value_or(0),
                                               c.dmax.value_or(0), c.finite, positions));
    }
    if (!picks.is_null()) {
      SetQuantiles(c, picks);
      continue;
    }
    DM_ASSIGN_OR_RETURN(
        QueryResult q,
        conn.Query("SELECT " + std::string(c.kind == Kind::kTemporal ? "quantile_disc(" : "quantile_cont(") +
                   id + ", [0.25, 0.5, 0.75])" + (c.is_float ? " FILTER (WHERE isfinite(" + id + "))" : "") +
                   From(source)));
    if (q.RowCount() == 1) SetQuartiles(c, q.Cell(0, 0));
  }
  return Status::Ok();
}

// ---- passes 6 and 7: robust statistics ---------------------------------------------------

std::pair<double, double> IqrFences(const Column& c) {
  const double iqr = *c.q3 - *c.q1;
  return {*c.q1 - 1.5 * iqr, *c.q3 + 1.5 * iqr};
}

/// A placeholder-like extreme of the column (9999 as the maximum, 1900-01-01 as the minimum),
/// as a SQL literal comparable with the column, or "" when there is none.
std::string SentinelCandidate(Column& c) {
  if (c.kind == Kind::kNumeric && c.dmin && c.dmax && *c.dmax > *c.dmin && c.q1 && c.q3) {
    const auto [lo, hi] = IqrFences(c);
    for (double s : kSentinelNumbers) {
      if ((s == *c.dmax && s > hi) || (s == *c.dmin && s < lo)) {
        c.suspicious_value = c.is_integer ? json(static_cast<std::int64_t>(s)) : json(s);
        return DoubleLiteral(s);
      }
    }
  } else if (c.kind == Kind::kTemporal && c.min.is_string() && c.max.is_string() && c.min != c.max) {
    for (const json* extreme : {&c.min, &c.max}) {
      const std::string v = extreme->get<std::string>();
      const std::string day = v.substr(0, 10);
      const bool midnight = v.size() == 10 || v.substr(10, 9) == "T00:00:00";
      for (const char* s : kSentinelDates) {
        if (day == s && midnight) {
          c.suspicious_value = day;
          return "DATE " + QuoteLiteral(day);
        }
      }
    }
  }
  return "";
}

/// Whether the column gets IQR/MAD outlier statistics: numeric with quartiles, not an
/// identifier (unique integers) and not binary (0/1 flags have no outliers worth counting).
bool WantsOutliers(const Column& c, std::int64_t rows) {
  const bool id_like = c.is_integer && c.count == rows && c.distinct == rows;
  return c.kind == Kind::kNumeric && c.q1 && c.q3 && c.median && !id_like && c.distinct > 2;
}

/// The number of DistributionPass aggregates for a column (keep in step with it).
std::size_t DistributionCount(const Column& c, std::int64_t rows) {
  return 3 + (WantsOutliers(c, rows) ? 2 : 0);
}

/// For integer columns far from zero (|min| or |max| >= 2^50), the standard deviation again,
/// on the exact offsets from the minimum: stddev_samp over the values cast to DOUBLE is a
/// streaming update whose running mean moves in steps of 1-2 near 2^53, which is off by
/// ~4e-4 relative for a small spread there. "" when not needed.
std::string ShiftedStd(const Column& c) {
  if (!c.is_integer || !c.min.is_number_integer() || !c.dmin || !c.dmax) return "";
  if (std::max(std::fabs(*c.dmin), std::fabs(*c.dmax)) < std::exp2(50)) return "";
  return "stddev_samp(CAST(CAST(" + Ident(c) + " AS HUGEINT) - CAST(" + c.min.dump() +
         " AS HUGEINT) AS DOUBLE))";
}

/// The MAD's median of |value - median| by PickByBuckets (interpolated as median() does),
/// or nullopt when it declines.
Result<std::optional<double>> BucketedMad(Connection& conn, const std::string& source, const Column& c) {
  const std::string deviation = "abs(" + NumericValue(c) + " - " + DoubleLiteral(*c.median) + ")";
  const double h = static_cast<double>(c.finite - 1) * 0.5;
  const std::vector<std::int64_t> at = {static_cast<std::int64_t>(std::floor(h)),
                                        static_cast<std::int64_t>(std::ceil(h))};
  DM_ASSIGN_OR_RETURN(json picks,
                      PickByBuckets(conn, source, deviation, deviation, 0,
                                    std::max(*c.dmax - *c.median, *c.median - *c.dmin), c.finite, at));
  if (!picks.is_array() || picks.size() != 2) return std::optional<double>();
  const std::optional<double> lo = ToDouble(picks[0]), hi = ToDouble(picks[1]);
  if (!lo || !hi) return std::optional<double>();
  return std::optional<double>(*lo + (h - static_cast<double>(at[0])) * (*hi - *lo));
}

/// Pass 3, one aggregate over `which` (numeric and temporal columns with a spread):
/// histograms (bins over [min, max] from pass 1), IQR outlier counts and MAD (fences and
/// median from pass 1's quartiles) and the count of a placeholder-like extreme.
Status DistributionPass(Connection& conn, const std::string& source, std::vector<Column>& cols,
                        const std::vector<std::size_t>& which, int bins, std::int64_t rows) {
  if (which.empty()) return Status::Ok();
  std::vector<std::string> items;
  std::vector<std::pair<std::size_t, int>> reads;  // column, what (0 histogram, 1 iqr, 2 mad, 3 sentinel)
  for (std::size_t i : which) {
    Column& c = cols[i];
    const double width = (*c.dmax - *c.dmin) / bins;
    // The maximum lands in bin `bins` and is folded into the last bin below.
    items.push_back("histogram(CAST(floor((" + BinValue(c) + " - " + DoubleLiteral(*c.dmin) + ") / " +
                    DoubleLiteral(width) + ") AS INTEGER))");
    reads.emplace_back(i, 0);
    if (WantsOutliers(c, rows)) {
      const std::string v = NumericValue(c);
      const auto [lo, hi] = IqrFences(c);
      items.push_back("count_if(" + v + " < " + DoubleLiteral(lo) + " OR " + v + " > " + DoubleLiteral(hi) +
                      ")");
      reads.emplace_back(i, 1);
      DM_ASSIGN_OR_RETURN(std::optional<double> mad, BucketedMad(conn, source, c));
      if (mad) {
        c.mad = mad;
      } else {
        items.push_back("median(abs(" + v + " - " + DoubleLiteral(*c.median) + "))");
        reads.emplace_back(i, 2);
      }
    }
    const std::string sentinel = SentinelCandidate(c);
    if (!sentinel.empty()) {
      const std::string v = c.kind == Kind::kNumeric ? NumericValue(c) : "CAST(" + Ident(c) + " AS DATE)";
      items.push_back("count_if(" + v + " = " + sentinel + ")");
      reads.emplace_back(i, 3);
    }
    if (const std::string std = ShiftedStd(c); !std.empty()) {
      items.push_back(std);
      reads.emplace_back(i, 4);
    }
  }
  std::string sql = "SELECT ";
  for (std::size_t k = 0; k < items.size(); ++k) sql += (k ? ", " : "") + items[k];
  DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql + From(source)));
  for (std::size_t k = 0; k < reads.size(); ++k) {
    Column& c = cols[reads[k].first];
    const json cell = r.Cell(0, k);
    switch (reads[k].second) {
      case 0: {
        std::vector<std::int64_t> counts(static_cast<std::size_t>(bins), 0);
        if (cell.is_object()) {
          for (const auto& [key, n] : cell.items()) {
            const auto bin = ToDouble(json(key));
            if (!bin || *bin < 0 || *bin > bins) continue;
            counts[static_cast<std::size_t>(std::min<double>(*bin, bins - 1))] += ToInt(n);
          }
        }
        const double width = (*c.dmax - *c.dmin) / bins;
        json edges = json::array();
        for (int b = 0; b <= bins; ++b) {
          const double e = b == bins ? *c.dmax : *c.dmin + width * b;
          edges.push_back(c.kind == Kind::kTemporal ? json(IsoFromEpoch(e)) : json(e));
        }
        c.histogram = {{"edges", edges}, {"counts", counts}};
        break;
      }
      case 1:
        c.iqr_outliers = ToInt(cell);
        break;
      case 2:
        c.mad = ToDouble(cell);
        break;
      case 3:
        c.suspicious_count = ToInt(cell);
        break;
      default:
        c.std = FiniteOrNull(cell);
    }
  }
  return Status::Ok();
}

/// Pass 3 for columns whose values pass 2 kept grouped (Column::values_table; all of `which`
/// in that one table, so of one type): the same statistics as
/// DistributionPass and MadPass, weighted by the groups' counts instead of scanning the file
/// twice more. The MAD is the exact median of |value - median| (running counts over the
/// sorted distinct deviations, interpolated as median() does).
Status GroupedDistributionPass(Connection& conn, std::vector<Column>& cols,
                               const std::vector<std::size_t>& which, int bins, std::int64_t rows) {
  if (which.empty()) return Status::Ok();
  // A narrow table's values table holds one column's (v, n): named here as the wide ones are.
  const std::string table = cols[which[0]].values_by_column
                                ? "(SELECT " + QuoteLiteral(Alias(which[0])) + " AS col, v, n FROM " +
                                      QuoteIdent(cols[which[0]].values_table) + ")"
                                : QuoteIdent(cols[which[0]].values_table);
  Column on_v = cols[which[0]];  // the value expressions, written on the grouped column "v"
  on_v.name = "v";
  const bool temporal = on_v.kind == Kind::kTemporal;
  const std::string x = BinValue(on_v);  // numeric: DOUBLE (NULL if not finite); temporal: epoch
  const std::string null_sentinel = temporal ? "CAST(NULL AS DATE)" : "CAST(NULL AS DOUBLE)";
  std::string params;
  for (std::size_t i : which) {
    Column& c = cols[i];
    const bool outliers = WantsOutliers(c, rows);
    std::string fences = "CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), -1, -1";
    if (outliers) {
      const auto [lo, hi] = IqrFences(c);
      const double h = static_cast<double>(c.finite - 1) * 0.5;
      fences = DoubleLiteral(lo) + ", " + DoubleLiteral(hi) + ", " + DoubleLiteral(*c.median) + ", " +
               std::to_string(static_cast<std::int64_t>(std::floor(h))) + ", " +
               std::to_string(static_cast<std::int64_t>(std::ceil(h)));
    }
    const std::string sentinel = SentinelCandidate(c);
    params +=
        (params.empty() ? "" : ", ") + ("(" + QuoteLiteral(Alias(i)) + ", " + DoubleLiteral(*c.dmin) + ", " +
                                        DoubleLiteral((*c.dmax - *c.dmin) / bins) + ", " + fences + ", " +
                                        (sentinel.empty() ? null_sentinel : sentinel) + ")");
  }
  const std::string with = "WITH p(col, lo, width, flo, fhi, med, k0, k1, s) AS (VALUES " + params +
                           "), x AS (SELECT col, v, n, " + x + " AS x FROM " + table + " JOIN p USING (col))";
  const std::string same_as_sentinel = temporal ? "CAST(v AS DATE) = s" : "x = s";
  DM_ASSIGN_OR_RETURN(
      QueryResult hist,
      conn.Query(with + " SELECT col, CAST(floor((x - lo) / width) AS INTEGER) AS bin, sum(n) FROM x JOIN p "
                        "USING (col) WHERE x IS NOT NULL GROUP BY col, bin"));
  std::map<std::size_t, std::vector<std::int64_t>> counts;
  for (std::size_t i : which) counts[i].assign(static_cast<std::size_t>(bins), 0);
  for (std::int64_t row = 0; row < hist.RowCount(); ++row) {
    auto it = counts.find(IndexFromAlias(hist.CellString(row, 0)));
    const auto bin = ToDouble(hist.Cell(row, 1));
    if (it == counts.end() || !bin || *bin < 0 || *bin > bins) continue;
    // The maximum lands in bin `bins`: folded into the last bin.
    it->second[static_cast<std::size_t>(std::min<double>(*bin, bins - 1))] += ToInt(hist.Cell(row, 2));
  }
  for (auto& [i, bin_counts] : counts) {
    Column& c = cols[i];
    const double width = (*c.dmax - *c.dmin) / bins;
    json edges = json::array();
    for (int b = 0; b <= bins; ++b) {
      const double e = b == bins ? *c.dmax : *c.dmin + width * b;
      edges.push_back(temporal ? json(IsoFromEpoch(e)) : json(e));
    }
    c.histogram = {{"edges", edges}, {"counts", bin_counts}};
  }
  DM_ASSIGN_OR_RETURN(
      QueryResult r,
      conn.Query(
          with +
          ", d AS (SELECT col, abs(x - med) AS d, k0, k1, sum(n) AS m FROM x JOIN p USING (col) "
          "WHERE med IS NOT NULL AND x IS NOT NULL GROUP BY col, d, k0, k1), "
          "mad AS (SELECT col, min(d) FILTER (WHERE cum > k0) AS lo, min(d) FILTER (WHERE cum > k1) AS hi "
          "FROM (SELECT *, sum(m) OVER (PARTITION BY col ORDER BY d ROWS UNBOUNDED PRECEDING) AS cum "
          "FROM d) GROUP BY col), "
          "c AS (SELECT col, coalesce(sum(n) FILTER (WHERE x < flo OR x > fhi), 0) AS iqr, "
          "coalesce(sum(n) FILTER (WHERE " +
          same_as_sentinel +
          "), 0) AS sentinel FROM x JOIN p USING (col) GROUP BY col) "
          "SELECT col, iqr, sentinel, mad.lo, mad.hi FROM c LEFT JOIN mad USING (col)"));
  std::vector<std::size_t> with_mad;
  for (std::int64_t row = 0; row < r.RowCount(); ++row) {
    const std::size_t i = IndexFromAlias(r.CellString(row, 0));
    if (i >= cols.size()) continue;
    Column& c = cols[i];
    if (!c.suspicious_value.is_null()) c.suspicious_count = ToInt(r.Cell(row, 2));
    if (!WantsOutliers(c, rows)) continue;
    c.iqr_outliers = ToInt(r.Cell(row, 1));
    const auto lo = ToDouble(r.Cell(row, 3)), hi = ToDouble(r.Cell(row, 4));
    if (!lo || !hi) continue;
    const double h = static_cast<double>(c.finite - 1) * 0.5;
    c.mad = *lo + (h - std::floor(h)) * (*hi - *lo);
    if (*c.mad > 0) with_mad.push_back(i);
  }
  if (with_mad.empty()) return Status::Ok();
  std::string mads;
  for (std::size_t i : with_mad) {
    mads +=
        (mads.empty() ? "" : ", ") + ("(" + QuoteLiteral(Alias(i)) + ", " + DoubleLiteral(*cols[i].median) +
                                      ", " + DoubleLiteral(kMadScale * *cols[i].mad) + ")");
  }
  DM_ASSIGN_OR_RETURN(QueryResult m, conn.Query("WITH p(col, med, scale) AS (VALUES " + mads +
                                                ") SELECT col, coalesce(sum(n) FILTER (WHERE abs(" + x +
                                                " - med) / scale > " + DoubleLiteral(kMadCutoff) +
                                                "), 0) FROM " + table + " JOIN p USING (col) GROUP BY col"));
  for (std::int64_t row = 0; row < m.RowCount(); ++row) {
    const std::size_t i = IndexFromAlias(m.CellString(row, 0));
    if (i < cols.size()) cols[i].mad_outliers = ToInt(m.Cell(row, 1));
  }
  return Status::Ok();
}

Status MadPass(Connection& conn, const std::string& source, std::vector<Column>& cols,
               const std::vector<std::size_t>& which) {
  std::string sql;
  std::vector<std::size_t> read;
  for (std::size_t i : which) {
    Column& c = cols[i];
    if (!c.mad || !c.median) continue;
    if (*c.mad <= 0) continue;  // modified z-score undefined: mad_outliers stays null
    sql +=
        (sql.empty() ? "SELECT " : ", ") +
        ("count_if(abs(" + NumericValue(c) + " - " + DoubleLiteral(*c.median) + ") / (" +
         DoubleLiteral(kMadScale) + " * " + DoubleLiteral(*c.mad) + ") > " + DoubleLiteral(kMadCutoff) + ")");
    read.push_back(i);
  }
  if (read.empty()) return Status::Ok();
  DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql + From(source)));
  for (std::size_t k = 0; k < read.size(); ++k) cols[read[k]].mad_outliers = ToInt(r.Cell(0, k));
  return Status::Ok();
}

// ---- semantic types, quality, alerts ---------------------------------------------------

bool IsNumberType(const std::string& t) {
  return t == "integer" || t == "float";
}

/// Kinds whose unique values suggest an identifier: integers, text, and text holding plain
/// integers. Unique floats, dates, amounts or percentages are normal.
bool IdentifierKind(const Column& c) {
  if (c.is_integer) return true;
  if (c.kind != Kind::kText) return false;
  return c.infer.type == "string" || (c.infer.type == "integer" && c.infer.format == "plain");
}

void Classify(Column& c, std::int64_t rows) {
  const bool unique_full = rows > 1 && c.count == rows && c.distinct == rows;
  if (c.kind == Kind::kBoolean) {
    c.semantic = "boolean";
  } else if (c.kind == Kind::kTemporal) {
    c.semantic = "datetime";
  } else if (c.kind == Kind::kNumeric) {
    const double lo = c.dmin.value_or(0), hi = c.dmax.value_or(0);
    const bool has = c.dmin.has_value();
    if (has && NameToken(c.name, {"lat", "latitude"}) && lo >= -90 && hi <= 90) {
      c.semantic = "latitude";
    } else if (has && NameToken(c.name, {"lon", "lng", "long", "longitude"}) && lo >= -180 && hi <= 180) {
      c.semantic = "longitude";
    } else if (has && c.is_integer && NameHas(c.name, {"year"}) && lo >= 1900 && hi <= 2100) {
      c.semantic = "year";
    } else if (unique_full && c.is_integer) {
      c.semantic = "id";
    } else if (has && c.is_integer && lo >= 1900 && hi <= 2100) {
      c.semantic = "year";
    } else if (has && NameHas(c.name, {"percent", "pct"}) && lo >= 0 && hi <= 100) {
      c.semantic = "percent";
    } else {
      c.semantic = "measure";
    }
  } else {
    // Text: the first validator most (non-placeholder) values satisfy, then the inferred
    // type, then id / category / free text.
    const TextInference& t = c.infer;
    const std::int64_t effective = c.count - t.placeholders;
    if (effective > 0) {
      std::vector<std::string> order = {"email", "url", "phone", "percent", "boolean"};
      if (NameHas(c.name, {"zip", "postal", "postcode"})) order.insert(order.begin(), "postal_code");
      order.push_back("datetime");
      for (const auto& s : order) {
        const double share =
            std::min(1.0, static_cast<double>(c.matches[s]) / static_cast<double>(effective));
        if (share >= kValidatorShare) {
          c.semantic = s;
          c.validity = 100.0 * share;
          c.validator_semantic = true;
          return;
        }
      }
    }
    if (t.type != "string") c.validity = 100.0 * t.share;
    if (t.type == "date" || t.type == "timestamp") {
      c.semantic = "datetime";
    } else if (t.type == "boolean") {
      c.semantic = "boolean";
    } else if (IsNumberType(t.type) && t.format == "currency") {
      c.semantic = "currency";
    } else if (IsNumberType(t.type) && t.format == "percent") {
      c.semantic = "percent";
    } else if (c.avg_len >= 40) {
      c.semantic = "free_text";
    } else if (unique_full && IdentifierKind(c)) {
      c.semantic = "id";
    } else if (IsNumberType(t.type)) {
      c.semantic = "measure";
    } else if (c.distinct > 0 && c.distinct <= 50 &&
               static_cast<double>(c.distinct) <= 0.05 * static_cast<double>(rows)) {
      c.semantic = "category";
    } else {
      c.semantic = "free_text";  // no closer example type in the API list
    }
  }
}

/// An identifier-like column by name ("id", "order_id", "CustomerID", "uuid", "key"), integer
/// or text, mostly unique: duplicates in it are duplicate keys.
bool KeyLike(const Column& c) {
  if (!(c.is_integer || c.kind == Kind::kText) || c.count < 2) return false;
  return IdNamed(c.name) && static_cast<double>(c.distinct) >= 0.9 * static_cast<double>(c.count);
}

/// A column a model would be asked to predict: boolean, two-valued, or named like a target.
bool TargetLike(const Column& c) {
  if (c.distinct < 2 || c.distinct > 10) return false;
  return c.kind == Kind::kBoolean || c.semantic == "boolean" || c.distinct == 2 ||
         NameToken(c.name, {"target", "label", "class", "outcome", "churn", "churned", "fraud", "y",
                            "survived", "default", "response", "converted"});
}

double Pct(double part, double whole) {
  return whole > 0 ? 100.0 * part / whole : 100.0;
}

json Alert(const std::string& column, const std::string& kind, const std::string& message,
           const std::string& severity, std::optional<std::int64_t> count = std::nullopt) {
  json a = {{"kind", kind}, {"message", message}, {"severity", severity}};
  if (!column.empty()) a["column"] = column;
  if (count) a["count"] = *count;
  return a;
}

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", v);
  return buf;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

std::string TypeNoun(const std::string& type) {
  if (IsNumberType(type)) return "numbers";
  if (type == "date" || type == "timestamp") return "dates";
  return "booleans";
}

/// Alerts about one column (see docs/quality.md for each rule).
void ColumnAlerts(const Column& c, std::int64_t rows, json& alerts) {
  const std::int64_t nulls = rows - c.count;
  const TextInference& t = c.infer;
  if (rows > 0 && static_cast<double>(nulls) > 0.2 * static_cast<double>(rows)) {
    const double share = Pct(static_cast<double>(nulls), static_cast<double>(rows));
    alerts.push_back(Alert(c.name, "high_missing", Fmt(share) + "% of values are missing.",
                           share > 50 ? "error" : "warning", nulls));
  }
  const bool target = TargetLike(c);
  if (c.count > 0 && c.distinct == 1) {
    alerts.push_back(Alert(c.name, "constant", "The column has a single value.", "warning"));
  } else if (c.count > 0 && !target &&
             static_cast<double>(c.max_freq) >= 0.95 * static_cast<double>(c.count)) {
    alerts.push_back(Alert(c.name, "almost_constant",
                           "The most frequent value covers " +
                               Fmt(Pct(static_cast<double>(c.max_freq), static_cast<double>(c.count))) +
                               "% of values.",
                           "info", c.max_freq));
  }
  if (target && c.count > 0 && c.top.size() == static_cast<std::size_t>(c.distinct)) {
    std::int64_t smallest = c.count;
    for (const auto& v : c.top) smallest = std::min(smallest, v["count"].get<std::int64_t>());
    if (static_cast<double>(smallest) < 0.1 * static_cast<double>(c.count)) {
      alerts.push_back(Alert(c.name, "imbalanced",
                             "The rarest of " + std::to_string(c.distinct) + " classes holds " +
                                 Fmt(Pct(static_cast<double>(smallest), static_cast<double>(c.count))) +
                                 "% of values.",
                             "warning", smallest));
    }
  }
  // Only identifier-like kinds: unique floats or timestamps are normal, not worth an alert.
  if (rows > 1 && c.count == rows && c.distinct == rows && IdentifierKind(c)) {
    alerts.push_back(Alert(c.name, "unique", "Every value is unique (likely an identifier).", "info"));
  } else if (c.kind == Kind::kText && c.semantic != "free_text" && c.distinct > 50 &&
             static_cast<double>(c.distinct) > 0.5 * static_cast<double>(c.count)) {
    alerts.push_back(
        Alert(c.name, "high_cardinality", std::to_string(c.distinct) + " distinct values.", "info"));
  }
  if (KeyLike(c) && c.distinct < c.count) {
    alerts.push_back(Alert(c.name, "duplicate_keys",
                           std::to_string(c.count - c.distinct) + " values repeat an identifier seen before.",
                           "warning", c.count - c.distinct));
  }
  if (c.skew && std::fabs(*c.skew) > 2) {
    alerts.push_back(Alert(c.name, "skewed", "Skewness is " + Fmt(*c.skew) + ".", "info"));
  }
  if (c.count > 0 && static_cast<double>(c.zeros) > 0.5 * static_cast<double>(c.count)) {
    alerts.push_back(
        Alert(c.name, "many_zeros",
              Fmt(Pct(static_cast<double>(c.zeros), static_cast<double>(c.count))) + "% of values are zero.",
              "info", c.zeros));
  }
  const std::int64_t iqr = c.iqr_outliers.value_or(0), mad = c.mad_outliers.value_or(0);
  if (iqr > 0 || mad > 0) {
    const auto [lo, hi] = IqrFences(c);
    alerts.push_back(Alert(c.name, "outliers",
                           std::to_string(iqr) + " values outside the IQR fences [" + Num(lo) + ", " +
                               Num(hi) + "]; " + (c.mad_outliers ? std::to_string(mad) : std::string("n/a")) +
                               " with a modified z-score above 3.5 (MAD).",
                           "info", std::max(iqr, mad)));
  }
  if (!c.suspicious_value.is_null() && c.suspicious_count > 0) {
    const std::string v =
        c.suspicious_value.is_string() ? c.suspicious_value.get<std::string>() : c.suspicious_value.dump();
    alerts.push_back(Alert(
        c.name, "suspicious_values",
        std::to_string(c.suspicious_count) + " values are " + v + ", a common stand-in for an unknown value.",
        "warning", c.suspicious_count));
  }
  if (c.kind != Kind::kText) return;
  if (t.placeholders > 0) {
    std::string spellings;
    for (const auto& [v, n] : t.placeholder_values.items()) {
      if (spellings.size() > 60) break;
      spellings +=
          (spellings.empty() ? "" : ", ") + ("\"" + v + "\" x" + std::to_string(n.get<std::int64_t>()));
    }
    alerts.push_back(
        Alert(c.name, "placeholders",
              std::to_string(t.placeholders) + " values spell a missing value (" + spellings + ").",
              "warning", t.placeholders));
  }
  const std::int64_t effective = c.count - t.placeholders;
  const std::int64_t typed = std::max({t.number_fit, t.date_fit, t.boolean_fit});
  if (effective > 0 && !c.validator_semantic && typed < effective &&
      static_cast<double>(typed) >= 0.5 * static_cast<double>(effective)) {
    const std::string noun = typed == t.number_fit ? "numbers" : typed == t.date_fit ? "dates" : "booleans";
    alerts.push_back(Alert(c.name, "mixed_types",
                           Fmt(Pct(static_cast<double>(typed), static_cast<double>(effective))) +
                               "% of values are " + noun + "; " + std::to_string(effective - typed) +
                               " are not.",
                           "warning", effective - typed));
  }
  if (const std::int64_t outliers = FormatOutliers(t); outliers > 0) {
    alerts.push_back(Alert(c.name, "mixed_formats",
                           std::to_string(outliers) + " " + TypeNoun(t.type) +
                               " are written in another format than " + t.format +
                               (t.format == "currency" ? " (" + t.unit + ")" : std::string()) + ".",
                           "warning", outliers));
  }
  if (t.whitespace > 0) {
    alerts.push_back(Alert(c.name, "whitespace",
                           std::to_string(t.whitespace) + " values have leading or trailing spaces.",
                           "warning", t.whitespace));
  }
  if (c.inconsistent > 0 && c.semantic != "id" && c.avg_len < 40) {
    alerts.push_back(
        Alert(c.name, "inconsistent_spelling",
              std::to_string(c.inconsistent) +
                  " values differ from a more frequent spelling only in case, spaces or accents.",
              "warning", c.inconsistent));
  }
}

/// The profile of the relation `source` (SQL: a read_parquet(...) call or a table name).
Result<json> ProfileRelation(Connection& conn, const std::string& source, const ProfileOptions& options) {
  const int bins = std::max(1, options.histogram_bins);
  const std::size_t chunk = static_cast<std::size_t>(std::max(1, options.columns_per_query));
  // DM_PROFILE_TRACE=1 prints each pass's end time to stderr (bench/profile reads it).
  const auto t0 = std::chrono::steady_clock::now();
  const bool trace = std::getenv("DM_PROFILE_TRACE") != nullptr;
  auto Trace = [&](const char* step) {
    if (trace) {
      rusage ru{};
      getrusage(RUSAGE_SELF, &ru);
      const double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
      std::fprintf(stderr, "profile: %s done at %.3f s (process CPU %.3f s)\n", step,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), cpu);
    }
  };

  DM_ASSIGN_OR_RETURN(QueryResult described, conn.Query("DESCRIBE SELECT *" + From(source)));
  std::vector<Column> cols;
  for (std::int64_t row = 0; row < described.RowCount(); ++row) {
    Column c;
    c.name = described.CellString(row, 0);
    c.duckdb_type = described.CellString(row, 1);
    c.api_type = ApiTypeFor(c.duckdb_type);
    c.is_integer = c.api_type == "integer";
    c.is_float = c.api_type == "float";
    if (c.is_integer || c.is_float || c.api_type == "decimal") {
      c.kind = Kind::kNumeric;
    } else if (c.api_type == "date" || c.api_type == "timestamp") {
      c.kind = Kind::kTemporal;
    } else if (c.api_type == "boolean") {
      c.kind = Kind::kBoolean;
    }
    cols.push_back(std::move(c));
  }

  // Pass 1: aggregates.
  // The row count comes from the Parquet footer (or the table's metadata).
  std::int64_t rows = 0;
  {
    DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query("SELECT count(*)" + From(source)));
    rows = ToInt(r.Cell(0, 0));
  }
  const std::size_t budget = static_cast<std::size_t>(std::max(1, options.aggregates_per_query));
  // Narrow tables: pass 2 groups each non-text column on its native type and reads the
  // quartiles off the groups; wide tables: one shared UNPIVOT, quartiles in pass 1.
  const bool native_values = std::count_if(cols.begin(), cols.end(), [](const Column& c) {
                               return c.kind != Kind::kText;
                             }) <= options.native_value_columns;
  // Narrow tables whose numeric columns all get correlated (pass 5 takes the first
  // max_correlation_columns non-constant ones) have their correlations computed in pass 1.
  std::vector<std::size_t> all_numeric;
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (cols[i].kind == Kind::kNumeric) all_numeric.push_back(i);
  std::vector<std::pair<std::size_t, std::size_t>> early_pairs;
  std::vector<json> early_correlations;
  for (std::size_t b = 0; b < cols.size();) {
    std::size_t e = b, items = 0;
    while (e < cols.size() && e - b < chunk && (e == b || items + AggregateCount(cols[e]) <= budget)) {
      items += AggregateCount(cols[e++]);
    }
    const bool early =
        b == 0 && e == cols.size() && native_values && all_numeric.size() >= 2 &&
        all_numeric.size() <= static_cast<std::size_t>(std::max(0, options.max_correlation_columns));
    if (early) {
      for (std::size_t x = 0; x < all_numeric.size(); ++x)
        for (std::size_t y = x + 1; y < all_numeric.size(); ++y)
          early_pairs.emplace_back(all_numeric[x], all_numeric[y]);
    }
    DM_RETURN_IF_ERROR(AggregatePass(conn, source, cols, b, e, rows, early_pairs, early_correlations));
    b = e;
  }
  Trace("pass 1 (aggregates)");
  // Pass 2: exact distinct counts, top values, quartiles of non-text columns; spelling
  // variants and type inference of text columns.
  const int top_n = std::max(1, options.top_values);
  if (native_values) {
    std::vector<std::size_t> other;
    for (std::size_t i = 0; i < cols.size(); ++i)
      if (cols[i].kind != Kind::kText) other.push_back(i);
    DM_RETURN_IF_ERROR(ValueCountsPass(conn, source, cols, other, top_n));
  } else {
    // Wide tables: one statement per DuckDB type (UNPIVOT needs one value type), at most
    // `chunk` columns and about kGroupedCells values each (the grouped values are held whole).
    constexpr std::int64_t kGroupedCells = 10'000'000;
    const std::size_t per_statement = std::min<std::size_t>(
        chunk,
        static_cast<std::size_t>(std::max<std::int64_t>(1, kGroupedCells / std::max<std::int64_t>(1, rows))));
    std::map<std::string, std::vector<std::size_t>> by_type;
    for (std::size_t i = 0; i < cols.size(); ++i)
      if (cols[i].kind != Kind::kText) by_type[cols[i].duckdb_type].push_back(i);
    for (const auto& [type, group] : by_type) {
      for (std::size_t b = 0; b < group.size(); b += per_statement) {
        const std::vector<std::size_t> part(
            group.begin() + static_cast<std::ptrdiff_t>(b),
            group.begin() + static_cast<std::ptrdiff_t>(std::min(group.size(), b + per_statement)));
        DM_RETURN_IF_ERROR(TypedValuesPass(conn, source, cols, part, top_n));
      }
    }
  }
  Trace("pass 2a (value counts and quartiles of non-text columns)");
  for (std::size_t b = 0; b < cols.size(); b += chunk) {
    std::vector<std::size_t> text;
    for (std::size_t i = b; i < std::min(cols.size(), b + chunk); ++i)
      if (cols[i].kind == Kind::kText) text.push_back(i);
    // One GROUP BY per column for a few columns only: each builds its own hash table at once
    // (300 of them ran a 50 MB CSV out of 1.8 GB).
    DM_RETURN_IF_ERROR(
        TextValuesPass(conn, source, cols, text, top_n, native_values && text.size() <= kTextGroupByColumns));
  }
  Trace("pass 2 (distinct values, inference)");
  // Pass 3: histograms, IQR outliers, MAD and placeholder-like extremes, chunked by expression
  // count like pass 1; pass 3b: MAD outlier counts (needs the MAD).
  std::vector<std::size_t> spread;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    Column& c = cols[i];
    if ((c.kind != Kind::kNumeric && c.kind != Kind::kTemporal) || !c.dmin || !c.dmax) continue;
    if (*c.dmax > *c.dmin) {
      spread.push_back(i);
    } else {
      json edge = c.kind == Kind::kTemporal ? json(IsoFromEpoch(*c.dmin)) : json(*c.dmin);
      c.histogram = {{"edges", json::array({edge, edge})}, {"counts", json::array({c.count})}};
    }
  }
  // Columns with grouped values (wide tables) by their table; the rest (and integers so large
  // that their std is recomputed on exact offsets) from the file.
  std::map<std::string, std::vector<std::size_t>> grouped;
  {
    std::vector<std::size_t> direct;
    for (std::size_t i : spread) {
      if (!cols[i].values_table.empty() && ShiftedStd(cols[i]).empty()) {
        grouped[cols[i].values_table].push_back(i);
      } else {
        direct.push_back(i);
      }
    }
    spread = std::move(direct);
  }
  for (const auto& [table, part] : grouped) {
    DM_RETURN_IF_ERROR(GroupedDistributionPass(conn, cols, part, bins, rows));
  }
  for (std::size_t b = 0; b < spread.size();) {
    std::vector<std::size_t> part;
    std::size_t items = 0;
    while (b < spread.size() && part.size() < chunk &&
           (part.empty() || items + DistributionCount(cols[spread[b]], rows) <= budget)) {
      items += DistributionCount(cols[spread[b]], rows);
      part.push_back(spread[b++]);
    }
    DM_RETURN_IF_ERROR(DistributionPass(conn, source, cols, part, bins, rows));
  }
  for (std::size_t b = 0; b < spread.size(); b += budget) {
    const std::vector<std::size_t> part(
        spread.begin() + static_cast<std::ptrdiff_t>(b),
        spread.begin() + static_cast<std::ptrdiff_t>(std::min(spread.size(), b + budget)));
    DM_RETURN_IF_ERROR(MadPass(conn, source, cols, part));
  }
  // The grouped values are no longer needed (nor those of columns without a spread).
  std::set<std::string> values_tables;
  for (const Column& c : cols)
    if (!c.values_table.empty()) values_tables.insert(c.values_table);
  for (const std::string& table : values_tables)
    DM_RETURN_IF_ERROR(conn.Execute("DROP TABLE " + QuoteIdent(table)));
  Trace("pass 3 (histograms, outliers, MAD)");
  // Pass 4: duplicate rows, counted as distinct 64-bit hashes of whole rows (NULLs hash alike,
  // as they compare equal in DISTINCT): ~3x less CPU than SELECT DISTINCT * since only the
  // hashes are kept, at the cost of a collision chance of about rows^2 / 2^65 (docs/quality.md).
  // A column whose values are all present and distinct (an ID) rules duplicates out: no pass.
  std::int64_t duplicates = 0;
  const bool unique_column = std::any_of(
      cols.begin(), cols.end(), [&](const Column& c) { return c.count == rows && c.distinct == rows; });
  if (!cols.empty() && rows > 0 && !unique_column) {
    std::string args;
    for (const Column& c : cols) args += (args.empty() ? "" : ", ") + Ident(c);
    DM_ASSIGN_OR_RETURN(QueryResult r,
                        conn.Query("SELECT count(DISTINCT hash(" + args + "))" + From(source)));
    duplicates = rows - ToInt(r.Cell(0, 0));
  }

  Trace("pass 4 (duplicate rows)");
  // Pass 5: Pearson correlations between the first N non-constant numeric columns.
  std::vector<std::size_t> numeric;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const Column& c = cols[i];
    if (c.kind == Kind::kNumeric && c.dmin && c.dmax && *c.dmax > *c.dmin &&
        numeric.size() < static_cast<std::size_t>(std::max(0, options.max_correlation_columns))) {
      numeric.push_back(i);
    }
  }
  json corr_names = json::array();
  json matrix = json::array();
  if (numeric.size() >= 2 && !early_pairs.empty()) {
    // From pass 1: `numeric` is all_numeric without its constant columns.
    std::map<std::pair<std::size_t, std::size_t>, json> found;
    for (std::size_t k = 0; k < early_pairs.size() && k < early_correlations.size(); ++k)
      found[early_pairs[k]] = early_correlations[k];
    const std::size_t n = numeric.size();
    for (std::size_t a = 0; a < n; ++a) {
      json row = json::array();
      for (std::size_t b = 0; b < n; ++b) {
        const auto it = found.find({numeric[std::min(a, b)], numeric[std::max(a, b)]});
        row.push_back(a == b ? json(1.0) : it == found.end() ? json(nullptr) : FiniteOrNull(it->second));
      }
      corr_names.push_back(cols[numeric[a]].name);
      matrix.push_back(row);
    }
  } else if (numeric.size() >= 2) {
    std::string sql = "SELECT ";
    bool first = true;
    for (std::size_t a = 0; a < numeric.size(); ++a) {
      for (std::size_t b = a + 1; b < numeric.size(); ++b) {
        sql += (first ? "" : ", ") +
               ("corr(" + ScaledValue(cols[numeric[a]]) + ", " + ScaledValue(cols[numeric[b]]) + ")");
        first = false;
      }
    }
    DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql + From(source)));
    const std::size_t n = numeric.size();
    std::vector<std::vector<json>> m(n, std::vector<json>(n, json(nullptr)));
    std::size_t k = 0;
    for (std::size_t a = 0; a < n; ++a) {
      m[a][a] = 1.0;
      for (std::size_t b = a + 1; b < n; ++b, ++k) m[a][b] = m[b][a] = FiniteOrNull(r.Cell(0, k));
    }
    for (std::size_t a = 0; a < n; ++a) {
      corr_names.push_back(cols[numeric[a]].name);
      matrix.push_back(m[a]);
    }
  }

  Trace("pass 5 (correlations)");
  // Semantic types first: passes 8 and 9 choose their columns by semantic type.
  for (Column& c : cols) Classify(c, rows);
  json associations, hierarchies, time_series;
  if (rows > 0) {
    DM_RETURN_IF_ERROR(AssociationsAndHierarchies(conn, source, cols, options, associations, hierarchies));
    Trace("pass 6 (associations, hierarchies)");
    DM_RETURN_IF_ERROR(TimeSeries(conn, source, cols, options, time_series));
  } else {
    associations = {{"method", "cramers_v"}, {"columns", json::array()}, {"matrix", json::array()}};
    hierarchies = json::array();
    time_series = json::array();
  }

  Trace("pass 7 (time series)");
  // Per-column quality and alerts.
  json alerts = json::array();
  json columns = json::array();
  std::int64_t present_cells = 0;  // non-null and not a missing-value placeholder
  std::int64_t duplicate_keys = 0;
  double validity_sum = 0, consistency_sum = 0;
  for (Column& c : cols) {
    const TextInference& t = c.infer;
    const std::int64_t present = c.count - t.placeholders;
    present_cells += present;
    const double completeness = Pct(static_cast<double>(present), static_cast<double>(rows));
    const std::int64_t format_outliers = FormatOutliers(t);
    const std::int64_t inconsistent = std::min(c.count, c.inconsistent + format_outliers);
    const double consistency =
        100.0 - (c.count > 0 ? Pct(static_cast<double>(inconsistent), static_cast<double>(c.count)) : 0.0);
    validity_sum += c.validity;
    consistency_sum += consistency;
    const std::int64_t nulls = rows - c.count;
    const std::int64_t keys = KeyLike(c) ? c.count - c.distinct : 0;
    duplicate_keys = std::max(duplicate_keys, keys);
    ColumnAlerts(c, rows, alerts);

    const bool stats = c.kind == Kind::kNumeric || c.kind == Kind::kTemporal;
    json outliers = nullptr;
    if (c.kind == Kind::kNumeric && c.iqr_outliers) {
      const auto [lo, hi] = IqrFences(c);
      outliers = {{"iqr", *c.iqr_outliers},
                  {"iqr_fences", json::array({lo, hi})},
                  {"mad", c.mad_outliers ? json(*c.mad_outliers) : json(nullptr)},
                  {"mad_value", c.mad ? json(*c.mad) : json(nullptr)}};
    }
    json issues = {
        {"placeholders", t.placeholders},          {"whitespace", t.whitespace},
        {"spelling_variants", c.inconsistent},     {"format_outliers", format_outliers},
        {"suspicious_values", c.suspicious_count}, {"duplicate_keys", keys},
    };
    if (!c.suspicious_value.is_null()) issues["suspicious_value"] = c.suspicious_value;
    columns.push_back({
        {"name", c.name},
        {"type", c.api_type},
        {"semantic_type", c.semantic},
        {"count", c.count},
        {"null_count", nulls},
        {"distinct_count", c.distinct},
        {"min", stats ? c.min : json(nullptr)},
        {"max", stats ? c.max : json(nullptr)},
        {"mean", c.kind == Kind::kNumeric ? c.mean : json(nullptr)},
        {"std", c.kind == Kind::kNumeric ? c.std : json(nullptr)},
        {"quantiles", stats && c.quantiles.is_object() ? c.quantiles : json(nullptr)},
        {"histogram", c.histogram.is_object() ? c.histogram : json(nullptr)},
        {"top_values", c.top},
        {"quality", {{"completeness", completeness}, {"validity", c.validity}, {"consistency", consistency}}},
        {"inferred", c.kind == Kind::kText && c.count > 0 ? InferenceJson(t) : json(nullptr)},
        {"outliers", outliers},
        {"issues", issues},
    });
  }
  if (duplicates > 0) {
    alerts.push_back(
        Alert("", "duplicates", std::to_string(duplicates) + " duplicate rows.", "warning", duplicates));
  }

  const double ncols = static_cast<double>(cols.size());
  const double completeness = Pct(static_cast<double>(present_cells), static_cast<double>(rows) * ncols);
  const double validity = cols.empty() ? 100.0 : validity_sum / ncols;
  const double consistency = cols.empty() ? 100.0 : consistency_sum / ncols;
  const std::int64_t redundant = std::max(duplicates, duplicate_keys);
  const double uniqueness = Pct(static_cast<double>(rows - redundant), static_cast<double>(rows));
  json out = {
      {"row_count", rows},
      {"column_count", cols.size()},
      {"duplicate_row_count", duplicates},
      {"duplicate_key_count", duplicate_keys},
      {"quality",
       {{"score", (completeness + validity + consistency + uniqueness) / 4.0},
        {"completeness", completeness},
        {"validity", validity},
        {"consistency", consistency},
        {"uniqueness", uniqueness}}},
      {"alerts", alerts},
      {"correlations", {{"method", "pearson"}, {"columns", corr_names}, {"matrix", matrix}}},
      {"associations", associations},
      {"hierarchies", hierarchies},
      {"time_series", time_series},
      {"columns", columns},
  };
  return out;
}

}  // namespace

Result<json> ProfileParquet(Engine& engine, const std::string& parquet_path, const ProfileOptions& options) {
  // A database of its own, with DuckDB's Parquet footer cache: the profile reads the file in
  // many statements, and on a 1,000-column file each statement spent ~50 ms re-reading the
  // footer (3 ms with the cache). The shared engine cannot have the cache: DuckDB never
  // evicts it. Its memory limit is the engine's, counted apart.
  DM_ASSIGN_OR_RETURN(Database db, engine.OpenScratch({}));
  DM_ASSIGN_OR_RETURN(Connection conn, Connection::Open(db));
  DM_RETURN_IF_ERROR(conn.Execute("SET GLOBAL parquet_metadata_cache = true"));
  return ProfileRelation(conn, "read_parquet(" + QuoteLiteral(parquet_path) + ")", options);
}

Result<json> ProfileTable(Engine& engine, const std::string& table, const ProfileOptions& options) {
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());
  return ProfileRelation(conn, table, options);
}

}  // namespace dm::engine
