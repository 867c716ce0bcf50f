/// Dataset-level statistics: Cramér's V between low-cardinality columns, hierarchies found as
/// functional dependencies between categorical columns, and the trend and seasonality of the
/// main measures along each date column. Definitions in docs/quality.md.
///
/// Pairs of columns grow quadratically, so pair statistics come from one query: the rows are
/// first grouped by all candidate columns at once (categorical data has far fewer
/// combinations than rows), then every pair's contingency table comes from one GROUP BY over
/// that small table joined with the pair numbers, and the per-pair sums (chi-square terms,
/// functional-dependency violations) are reduced in SQL to one row per pair.

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/profile_internal.h"
#include "engine/sql.h"

namespace dm::engine::profile {
namespace {

bool HierarchyCandidate(const Column& c, const ProfileOptions& options) {
  if (c.distinct < 2 || c.distinct > options.max_hierarchy_distinct || c.distinct >= c.count) return false;
  if (c.kind == Kind::kBoolean) return true;
  if (c.kind != Kind::kText || c.avg_len >= 40) return false;
  // Numbers, dates and identifiers written as text are not categories.
  return c.infer.type == "string" && c.semantic != "email" && c.semantic != "url" && c.semantic != "phone";
}

struct PairStats {
  double total = 0;
  double distinct_a = 0, distinct_b = 0;
  double phi = 0;  // sum of n_ab^2 / (n_a * n_b)
  double top_a = 0, top_b = 0;
};

}  // namespace

Status AssociationsAndHierarchies(Connection& conn, const std::string& source,
                                  const std::vector<Column>& cols, const ProfileOptions& options,
                                  json& associations, json& hierarchies) {
  associations = {{"method", "cramers_v"}, {"columns", json::array()}, {"matrix", json::array()}};
  hierarchies = json::array();
  std::vector<std::size_t> cand;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cand.size() >= static_cast<std::size_t>(std::max(0, options.max_association_columns))) break;
    if (HierarchyCandidate(cols[i], options)) cand.push_back(i);
  }
  const std::size_t m = cand.size();
  if (m < 2) return Status::Ok();

  auto key = [](std::size_t k) { return "k" + std::to_string(k); };
  std::string select_keys, case_a = "CASE pair", case_b = "CASE pair";
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t k = 0; k < m; ++k) select_keys += Ident(cols[cand[k]]) + " AS " + key(k) + ", ";
  for (std::size_t a = 0; a < m; ++a) {
    for (std::size_t b = a + 1; b < m; ++b) {
      const std::string when = " WHEN " + std::to_string(pairs.size()) + " THEN CAST(";
      case_a += when + key(a) + " AS VARCHAR)";
      case_b += when + key(b) + " AS VARCHAR)";
      pairs.emplace_back(a, b);
    }
  }
  case_a += " END";
  case_b += " END";
  // Every pair's contingency table from one GROUP BY over (pair, a, b): the small grouped
  // table joined with the pair numbers. GROUPING SETS over it built one hash table per pair,
  // which on the 100 MB bench CSV's 5 candidates took 20 MB more memory and 20% more time.
  const std::string sql =
      "WITH g AS (SELECT " + select_keys + "count(*) AS n" + From(source) + " GROUP BY ALL), " +
      "f AS (SELECT pair, a, b, CAST(sum(n) AS DOUBLE) AS n FROM (SELECT pair, " + case_a + " AS a, " +
      case_b + " AS b, n FROM g, range(" + std::to_string(pairs.size()) +
      ") AS t(pair)) WHERE a IS NOT NULL AND b IS NOT NULL GROUP BY ALL), "
      "w AS (SELECT *, sum(n) OVER (PARTITION BY pair, a) AS ra, sum(n) OVER (PARTITION BY pair, b) AS cb, "
      "row_number() OVER (PARTITION BY pair, a ORDER BY n DESC, b) AS rka, "
      "row_number() OVER (PARTITION BY pair, b ORDER BY n DESC, a) AS rkb FROM f) "
      "SELECT pair, sum(n), count(DISTINCT a), count(DISTINCT b), sum(n * n / (ra * cb)), "
      "sum(n) FILTER (WHERE rka = 1), sum(n) FILTER (WHERE rkb = 1) FROM w GROUP BY pair";
  DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql));
  std::map<std::pair<std::size_t, std::size_t>, PairStats> stats;
  for (std::int64_t row = 0; row < r.RowCount(); ++row) {
    const std::int64_t pair = ToInt(r.Cell(row, 0));
    if (pair < 0 || static_cast<std::size_t>(pair) >= pairs.size()) continue;
    PairStats s;
    s.total = ToDouble(r.Cell(row, 1)).value_or(0);
    s.distinct_a = ToDouble(r.Cell(row, 2)).value_or(0);
    s.distinct_b = ToDouble(r.Cell(row, 3)).value_or(0);
    s.phi = ToDouble(r.Cell(row, 4)).value_or(0);
    s.top_a = ToDouble(r.Cell(row, 5)).value_or(0);
    s.top_b = ToDouble(r.Cell(row, 6)).value_or(0);
    stats[pairs[static_cast<std::size_t>(pair)]] = s;
  }

  // Cramér's V (uncorrected) between candidates with few distinct values.
  std::vector<std::size_t> low;
  for (std::size_t k = 0; k < m; ++k) {
    if (cols[cand[k]].distinct <= options.max_cramers_distinct) low.push_back(k);
  }
  if (low.size() >= 2) {
    json names = json::array(), matrix = json::array();
    for (std::size_t x : low) {
      names.push_back(cols[cand[x]].name);
      json row = json::array();
      for (std::size_t y : low) {
        if (x == y) {
          row.push_back(1.0);
          continue;
        }
        auto it = stats.find({std::min(x, y), std::max(x, y)});
        const double dof = it == stats.end() ? 0 : std::min(it->second.distinct_a, it->second.distinct_b) - 1;
        if (dof <= 0) {
          row.push_back(nullptr);
          continue;
        }
        const double v = std::sqrt(std::max(0.0, it->second.phi - 1.0) / dof);
        row.push_back(std::min(1.0, v));
      }
      matrix.push_back(row);
    }
    associations["columns"] = names;
    associations["matrix"] = matrix;
  }

  // Functional dependencies fine -> coarse, then the transitive reduction, then every
  // maximal chain from a finest level to a coarsest one.
  std::map<std::size_t, std::map<std::size_t, double>> up;  // fine -> coarse -> violations
  std::map<std::size_t, double> distinct;
  for (const auto& [pair, s] : stats) {
    if (s.total <= 0) continue;
    auto consider = [&](std::size_t fine, std::size_t coarse, double d_fine, double d_coarse, double top) {
      const double violations = s.total - top;
      if (d_coarse >= 2 && d_fine > d_coarse && d_fine <= 0.5 * s.total &&
          violations <= options.hierarchy_tolerance * s.total) {
        up[fine][coarse] = violations;
        distinct[fine] = std::max(distinct[fine], d_fine);
        distinct[coarse] = std::max(distinct[coarse], d_coarse);
      }
    };
    consider(pair.first, pair.second, s.distinct_a, s.distinct_b, s.top_a);
    consider(pair.second, pair.first, s.distinct_b, s.distinct_a, s.top_b);
  }
  std::map<std::size_t, std::set<std::size_t>> reduced;
  std::set<std::size_t> has_finer;
  for (const auto& [fine, coarser] : up) {
    for (const auto& [coarse, v] : coarser) {
      bool implied = false;
      for (const auto& [mid, v2] : coarser) {
        if (mid != coarse && up.count(mid) && up.at(mid).count(coarse)) implied = true;
      }
      if (!implied) {
        reduced[fine].insert(coarse);
        has_finer.insert(coarse);
      }
    }
  }
  std::vector<std::vector<std::size_t>> chains;
  std::function<void(std::vector<std::size_t>&)> walk = [&](std::vector<std::size_t>& chain) {
    if (chains.size() >= 10) return;
    auto it = reduced.find(chain.back());
    if (it == reduced.end() || it->second.empty()) {
      chains.push_back(chain);
      return;
    }
    for (std::size_t next : it->second) {
      chain.push_back(next);
      walk(chain);
      chain.pop_back();
    }
  };
  for (const auto& [fine, coarser] : reduced) {
    if (has_finer.count(fine)) continue;  // not a finest level
    std::vector<std::size_t> chain = {fine};
    walk(chain);
  }
  for (auto chain : chains) {
    std::reverse(chain.begin(), chain.end());  // coarse -> fine
    json levels = json::array(), counts = json::array();
    double violations = 0;
    for (std::size_t k = 0; k < chain.size(); ++k) {
      levels.push_back(cols[cand[chain[k]]].name);
      counts.push_back(static_cast<std::int64_t>(distinct[chain[k]]));
      if (k > 0) violations += up[chain[k]][chain[k - 1]];
    }
    hierarchies.push_back({{"levels", levels},
                           {"distinct_counts", counts},
                           {"violation_rows", static_cast<std::int64_t>(violations)}});
  }
  return Status::Ok();
}

// ---- time series -------------------------------------------------------------------------

json TrendOf(const std::vector<double>& y) {
  const double n = static_cast<double>(y.size());
  double sx = 0, sy = 0;
  for (std::size_t t = 0; t < y.size(); ++t) {
    sx += static_cast<double>(t);
    sy += y[t];
  }
  const double mx = sx / n, my = sy / n;
  double sxx = 0, sxy = 0, syy = 0;
  for (std::size_t t = 0; t < y.size(); ++t) {
    const double dx = static_cast<double>(t) - mx, dy = y[t] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const double slope = sxx > 0 ? sxy / sxx : 0;
  const double r2 = sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : 0;
  const std::string direction = r2 < 0.1 || slope == 0 ? "flat" : slope > 0 ? "up" : "down";
  return {{"direction", direction},
          {"strength", r2},
          {"slope_per_period", slope},
          {"intercept", my - slope * mx},
          {"fitted_change", slope * (n - 1)}};
}

json SeasonalityOf(const std::vector<double>& y, const std::vector<int>& periods) {
  const json trend = TrendOf(y);
  const double slope = trend["slope_per_period"], intercept = trend["intercept"];
  std::vector<double> r(y.size());
  double ss = 0;
  for (std::size_t t = 0; t < y.size(); ++t) {
    r[t] = y[t] - (intercept + slope * static_cast<double>(t));
    ss += r[t] * r[t];
  }
  if (ss <= 0) return nullptr;
  int best = 0;
  double best_acf = 0;
  for (int p : periods) {
    const auto lag = static_cast<std::size_t>(p);
    if (y.size() < 2 * lag) continue;
    double s = 0;
    for (std::size_t t = 0; t + lag < y.size(); ++t) s += r[t] * r[t + lag];
    if (s / ss > best_acf) {
      best_acf = s / ss;
      best = p;
    }
  }
  if (best == 0 || best_acf < 0.3) return nullptr;
  // Strength: the share of the detrended variance the per-phase means explain.
  const auto p = static_cast<std::size_t>(best);
  std::vector<double> phase_sum(p, 0), phase_n(p, 0);
  for (std::size_t t = 0; t < r.size(); ++t) {
    phase_sum[t % p] += r[t];
    phase_n[t % p] += 1;
  }
  double remainder = 0;
  for (std::size_t t = 0; t < r.size(); ++t) {
    const double e = r[t] - phase_sum[t % p] / phase_n[t % p];
    remainder += e * e;
  }
  return {{"period", best}, {"strength", std::max(0.0, 1.0 - remainder / ss)}, {"acf", best_acf}};
}

namespace {

struct Grain {
  const char* name;
  double days;
  std::vector<int> periods;  // seasonal periods to test
};
const Grain kGrains[] = {
    {"hour", 1.0 / 24, {24, 168}}, {"day", 1, {7, 365}},        {"week", 7, {52}},
    {"month", 30.436875, {12}},    {"quarter", 91.310625, {4}}, {"year", 365.2425, {}},
};

/// A period's index on a regular axis, from the epoch seconds of its truncated start.
std::int64_t PeriodIndex(const std::string& grain, std::int64_t seconds) {
  const std::int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  if (grain == "hour") return seconds >= 0 ? seconds / 3600 : -((-seconds + 3599) / 3600);
  if (grain == "day") return days;
  if (grain == "week") return (days - 4) / 7;  // date_trunc('week') gives Mondays: 4 + 7k days
  std::int64_t y = 0;
  unsigned mo = 0, d = 0;
  CivilFromDays(days, y, mo, d);
  if (grain == "month") return y * 12 + mo - 1;
  if (grain == "quarter") return y * 4 + (mo - 1) / 3;
  return y;
}

}  // namespace

Status TimeSeries(Connection& conn, const std::string& source, const std::vector<Column>& cols,
                  const ProfileOptions& options, json& out) {
  out = json::array();
  std::vector<std::size_t> dates, measures;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const Column& c = cols[i];
    if (c.kind == Kind::kTemporal && c.dmin && c.dmax && *c.dmax > *c.dmin &&
        dates.size() < static_cast<std::size_t>(std::max(0, options.max_time_columns)))
      dates.push_back(i);
    if (c.kind == Kind::kNumeric && c.dmin && c.dmax && *c.dmax > *c.dmin &&
        (c.semantic == "measure" || c.semantic == "percent") && !IdNamed(c.name) &&
        measures.size() < static_cast<std::size_t>(std::max(0, options.max_time_measures)))
      measures.push_back(i);
  }
  for (std::size_t di : dates) {
    const Column& d = cols[di];
    const double span_days = (*d.dmax - *d.dmin) / 86400.0;
    const double gap = span_days / static_cast<double>(std::max<std::int64_t>(1, d.distinct - 1));
    const Grain* grain = nullptr;
    for (const Grain& g : kGrains) {
      if (d.api_type == "date" && g.days < 1) continue;
      if (gap <= 1.5 * g.days && span_days / g.days + 1 <= options.max_time_points) {
        grain = &g;
        break;
      }
    }
    if (grain == nullptr) grain = &kGrains[std::size(kGrains) - 1];
    std::string sql = "SELECT CAST(epoch(date_trunc(" + QuoteLiteral(grain->name) + ", " + Ident(d) +
                      ")) AS BIGINT) AS p, count(*)";
    for (std::size_t mi : measures) sql += ", sum(" + NumericValue(cols[mi]) + ")";
    sql += From(source) + " WHERE " + Ident(d) + " IS NOT NULL GROUP BY p ORDER BY p";
    DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql));
    if (r.RowCount() < 2) continue;
    const std::int64_t first = PeriodIndex(grain->name, ToInt(r.Cell(0, 0)));
    const std::int64_t last = PeriodIndex(grain->name, ToInt(r.Cell(r.RowCount() - 1, 0)));
    const std::int64_t points = last - first + 1;
    if (points < 6 || points > 4 * static_cast<std::int64_t>(options.max_time_points)) continue;
    // Periods without rows (or without values) count as 0: the series are sums and counts.
    std::vector<std::vector<double>> series(measures.size() + 1,
                                            std::vector<double>(static_cast<std::size_t>(points), 0));
    for (std::int64_t row = 0; row < r.RowCount(); ++row) {
      const std::int64_t at = PeriodIndex(grain->name, ToInt(r.Cell(row, 0))) - first;
      if (at < 0 || at >= points) continue;
      for (std::size_t s = 0; s < series.size(); ++s) {
        series[s][static_cast<std::size_t>(at)] = ToDouble(r.Cell(row, s + 1)).value_or(0);
      }
    }
    for (std::size_t s = 0; s < series.size(); ++s) {
      const bool count = s == 0;
      json trend = TrendOf(series[s]);
      trend.erase("intercept");
      out.push_back({{"column", d.name},
                     {"measure", count ? json(nullptr) : json(cols[measures[s - 1]].name)},
                     {"aggregate", count ? "count" : "sum"},
                     {"grain", grain->name},
                     {"points", points},
                     {"start", IsoFromEpoch(static_cast<double>(ToInt(r.Cell(0, 0))))},
                     {"trend", trend},
                     {"seasonality", SeasonalityOf(series[s], grain->periods)}});
    }
  }
  return Status::Ok();
}

}  // namespace dm::engine::profile
