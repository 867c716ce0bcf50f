#include "engine/profiler.h"

/// Pass plan (every pass is a set-based DuckDB query; wide tables are split into chunks of
/// ProfileOptions::columns_per_query columns, so 1,000 columns cost ~5 queries per pass):
///   0. DESCRIBE                                   -> names and types
///   1. one aggregate per chunk                    -> count, min, max, mean, std, quantiles,
///                                                    skewness, zeros
///   2. one UNPIVOT + GROUP BY per chunk           -> exact distinct count, top values,
///                                                    case/whitespace variants (consistency),
///                                                    text lengths and semantic validators
///                                                    (run once per distinct value)
///   3. one UNPIVOT + GROUP BY of bin numbers      -> histograms (bins from pass 1's min/max)
///   4. SELECT DISTINCT *                          -> duplicate rows
///   5. one aggregate of corr() pairs              -> Pearson matrix (first 30 numeric columns)
/// No per-row work happens in C++.
///
/// Definitions (all 0-100):
///   completeness = non-null cells / all cells.
///   validity     = per column, the share of non-null values matching the validator of its
///                  semantic type (email, url, phone, percent, boolean, postal_code, datetime
///                  strings); 100 where no validator applies. Table value: mean over columns.
///   consistency  = per text column, 100 minus the share of values whose lower(trim(value))
///                  spelling has a more frequent variant ("Paid" vs "paid"); 100 for other
///                  kinds. Table value: mean over columns.
///   uniqueness   = 1 - duplicate rows / rows.   score = mean of the four.
/// distinct_count is exact (it falls out of pass 2's GROUP BY at no extra cost), so no
/// approx_count_distinct is needed.

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/ingest.h"
#include "engine/sql.h"

namespace dm::engine {
namespace {

using nlohmann::json;

enum class Kind { kNumeric, kTemporal, kBoolean, kText };

/// A string validator evaluated in pass 1 for text columns; a column gets the semantic type
/// when at least kValidatorShare of its non-null values match.
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

struct Column {
  std::string name;
  std::string duckdb_type;
  std::string api_type;
  Kind kind = Kind::kText;
  bool is_integer = false;
  bool is_float = false;
  std::map<std::string, std::size_t> field;  // pass-1 item -> result column

  std::int64_t count = 0;  // non-null
  std::int64_t distinct = 0;
  std::int64_t inconsistent = 0;
  std::int64_t max_freq = 0;
  json min, max, mean, std, quantiles;
  std::optional<double> dmin, dmax, skew;  // numeric value range (or epoch seconds)
  std::int64_t zeros = 0;
  double avg_len = 0, max_len = 0;
  std::map<std::string, std::int64_t> matches;  // validator -> matching values
  json histogram;
  json top = json::array();
  std::string semantic;
  double validity = 100;
};

std::optional<double> ToDouble(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    double d = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

std::int64_t ToInt(const json& v) {
  const auto d = ToDouble(v);
  return d ? static_cast<std::int64_t>(*d) : 0;
}

json FiniteOrNull(const json& v) {
  const auto d = ToDouble(v);
  return d ? json(*d) : json(nullptr);
}

/// A DOUBLE literal, exact (shortest round-trip) and locale-free.
std::string DoubleLiteral(double d) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), d);
  return "CAST(" + QuoteLiteral(std::string(buf, r.ptr)) + " AS DOUBLE)";
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool NameHas(const std::string& name, std::initializer_list<const char*> hints) {
  const std::string lower = Lower(name);
  return std::any_of(hints.begin(), hints.end(),
                     [&](const char* h) { return lower.find(h) != std::string::npos; });
}

/// Name hint as a whole word-ish token ("lat", "lat_deg", "pickup_lat" but not "platform").
bool NameToken(const std::string& name, std::initializer_list<const char*> tokens) {
  const std::string lower = Lower(name);
  for (const char* t : tokens) {
    const std::string tok(t);
    for (std::size_t pos = lower.find(tok); pos != std::string::npos; pos = lower.find(tok, pos + 1)) {
      const bool left = pos == 0 || !std::isalpha(static_cast<unsigned char>(lower[pos - 1]));
      const std::size_t end = pos + tok.size();
      const bool right = end == lower.size() || !std::isalpha(static_cast<unsigned char>(lower[end]));
      if (left && right) return true;
    }
  }
  return false;
}

std::string Ident(const Column& c) {
  return QuoteIdent(c.name);
}

/// The column as DOUBLE for numeric statistics; non-finite floats become NULL.
std::string NumericValue(const Column& c) {
  if (c.is_float) return "CASE WHEN isfinite(" + Ident(c) + ") THEN CAST(" + Ident(c) + " AS DOUBLE) END";
  return "CAST(" + Ident(c) + " AS DOUBLE)";
}

/// The value histogram bins are computed on: numeric as DOUBLE, temporal as epoch seconds.
std::string BinValue(const Column& c) {
  if (c.kind == Kind::kTemporal) return "CAST(epoch(" + Ident(c) + ") AS DOUBLE)";
  return NumericValue(c);
}

/// Days since 1970-01-01 to civil date (H. Hinnant's algorithm).
void CivilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

/// Epoch seconds as ISO "YYYY-MM-DDTHH:MM:SS" (whole seconds).
std::string IsoFromEpoch(double seconds) {
  const auto s = static_cast<std::int64_t>(std::floor(seconds));
  const std::int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  const std::int64_t rem = s - days * 86400;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(days, y, m, d);
  const auto secs = static_cast<unsigned>(rem);  // [0, 86400)
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02u:%02u:%02u", static_cast<long long>(y), m, d,
                secs / 3600, secs / 60 % 60, secs % 60);
  return buf;
}

std::string From(const std::string& path) {
  return " FROM read_parquet(" + QuoteLiteral(path) + ")";
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
      return c.is_integer ? 10 : 8;
    case Kind::kTemporal:
      return 6;
    case Kind::kText:
    case Kind::kBoolean:
      break;
  }
  return 1;
}

Status AggregatePass(Connection& conn, const std::string& path, std::vector<Column>& cols, std::size_t begin,
                     std::size_t end, std::int64_t& row_count) {
  std::vector<std::string> items = {"count(*)"};
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
      add(c, "dmin", "min(" + v + ")");
      add(c, "dmax", "max(" + v + ")");
      if (c.is_integer) {
        add(c, "min", "min(" + id + ")");
        add(c, "max", "max(" + id + ")");
      }
      add(c, "mean", "avg(" + v + ")");
      add(c, "std", "stddev_samp(" + v + ")");
      add(c, "q", "quantile_cont(" + v + ", [0.25, 0.5, 0.75])");
      add(c, "skew", "skewness(" + v + ")");
      add(c, "zeros", "count_if(" + v + " = 0)");
    } else if (c.kind == Kind::kTemporal) {
      add(c, "min", "min(" + id + ")");
      add(c, "max", "max(" + id + ")");
      add(c, "q", "quantile_disc(" + id + ", [0.25, 0.5, 0.75])");
      add(c, "dmin", "min(" + BinValue(c) + ")");
      add(c, "dmax", "max(" + BinValue(c) + ")");
    }
    // Text columns' length and validator statistics come from pass 2, over distinct values.
  }
  std::string sql = "SELECT ";
  for (std::size_t k = 0; k < items.size(); ++k) sql += (k ? ", " : "") + items[k];
  sql += From(path);
  DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql));
  if (r.RowCount() != 1) return Internal("The profile aggregate returned no row.");
  row_count = ToInt(r.Cell(0, 0));
  for (std::size_t i = begin; i < end; ++i) {
    Column& c = cols[i];
    auto get = [&](const char* f) { return c.field.count(f) ? r.Cell(0, c.field[f]) : json(nullptr); };
    c.count = ToInt(get("n"));
    c.dmin = ToDouble(get("dmin"));
    c.dmax = ToDouble(get("dmax"));
    if (c.kind == Kind::kNumeric) {
      c.min = c.is_integer ? get("min") : FiniteOrNull(get("dmin"));
      c.max = c.is_integer ? get("max") : FiniteOrNull(get("dmax"));
      c.mean = FiniteOrNull(get("mean"));
      c.std = FiniteOrNull(get("std"));
      c.skew = ToDouble(get("skew"));
      c.zeros = ToInt(get("zeros"));
    } else if (c.kind == Kind::kTemporal) {
      c.min = get("min");
      c.max = get("max");
    }
    const json q = get("q");
    if (q.is_array() && q.size() == 3) {
      auto conv = [&](const json& x) { return c.kind == Kind::kNumeric ? FiniteOrNull(x) : x; };
      c.quantiles = {{"p25", conv(q[0])}, {"p50", conv(q[1])}, {"p75", conv(q[2])}};
    }
  }
  return Status::Ok();
}

// ---- pass 2 ----------------------------------------------------------------------------

Status TopValuesPass(Connection& conn, const std::string& path, std::vector<Column>& cols, std::size_t begin,
                     std::size_t end, int top_n) {
  std::string inner = "SELECT ";
  for (std::size_t i = begin; i < end; ++i) {
    inner += (i > begin ? ", " : "") + ("CAST(" + Ident(cols[i]) + " AS VARCHAR) AS " + QuoteIdent(Alias(i)));
  }
  inner += From(path);
  // Validators and lengths run once per distinct value (weighted by its count), for text
  // columns only; `txt` marks them.
  std::string text_aliases;
  for (std::size_t i = begin; i < end; ++i) {
    if (cols[i].kind == Kind::kText)
      text_aliases += (text_aliases.empty() ? "" : ", ") + QuoteLiteral(Alias(i));
  }
  const std::string txt = text_aliases.empty() ? "false" : "col IN (" + text_aliases + ")";
  std::string text_stats =
      ", sum(n * length(val)) FILTER (WHERE txt) AS len_sum, max(length(val)) FILTER (WHERE txt) AS mlen";
  for (const auto& v : kValidators) {
    text_stats +=
        ", coalesce(sum(n) FILTER (WHERE txt AND regexp_full_match(val, " + QuoteLiteral(v.regex) + ")), 0)";
  }
  text_stats += ", coalesce(sum(n) FILTER (WHERE txt AND TRY_CAST(val AS TIMESTAMP) IS NOT NULL), 0)";
  const std::string sql =
      "WITH g AS (SELECT col, val, count(*) AS n FROM (UNPIVOT (" + inner +
      ") ON COLUMNS(*) INTO NAME col VALUE val) GROUP BY col, val), "
      "r AS (SELECT col, val, n, row_number() OVER (PARTITION BY col ORDER BY n DESC, val) AS rk, "
      "row_number() OVER (PARTITION BY col, lower(trim(val)) ORDER BY n DESC, val) AS vr, " +
      txt +
      " AS txt FROM g) "
      "SELECT col, count(*) AS distinct_count, max(n) AS max_n, "
      "coalesce(sum(n) FILTER (WHERE vr > 1), 0) AS inconsistent, "
      "list({'value': val, 'count': n} ORDER BY rk) FILTER (WHERE rk <= " +
      std::to_string(top_n) + ") AS top" + text_stats + " FROM r GROUP BY col";
  DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql));
  for (std::int64_t row = 0; row < r.RowCount(); ++row) {
    const std::size_t i = IndexFromAlias(r.CellString(row, 0));
    if (i < begin || i >= end) continue;
    Column& c = cols[i];
    c.distinct = ToInt(r.Cell(row, 1));
    c.max_freq = ToInt(r.Cell(row, 2));
    c.inconsistent = c.kind == Kind::kText ? ToInt(r.Cell(row, 3)) : 0;
    if (c.kind == Kind::kText && c.count > 0) {
      c.avg_len = ToDouble(r.Cell(row, 5)).value_or(0) / static_cast<double>(c.count);
      c.max_len = ToDouble(r.Cell(row, 6)).value_or(0);
      std::size_t k = 7;
      for (const auto& v : kValidators) c.matches[v.semantic] = ToInt(r.Cell(row, k++));
      c.matches["datetime"] = ToInt(r.Cell(row, k));
    }
    const json top = r.Cell(row, 4);
    if (top.is_array()) {
      for (const auto& t : top)
        c.top.push_back({{"value", t.value("value", json())}, {"count", ToInt(t["count"])}});
    }
  }
  return Status::Ok();
}

// ---- pass 3 ----------------------------------------------------------------------------

Status HistogramPass(Connection& conn, const std::string& path, std::vector<Column>& cols,
                     const std::vector<std::size_t>& which, int bins) {
  if (which.empty()) return Status::Ok();
  std::string inner = "SELECT ";
  for (std::size_t k = 0; k < which.size(); ++k) {
    const Column& c = cols[which[k]];
    const double width = (*c.dmax - *c.dmin) / bins;
    // The maximum lands in bin `bins` and is folded into the last bin below. (No least() here:
    // DuckDB's least() skips NULLs, which would count missing values in the last bin.)
    inner += (k ? ", " : "") + ("CAST(floor((" + BinValue(c) + " - " + DoubleLiteral(*c.dmin) + ") / " +
                                DoubleLiteral(width) + ") AS INTEGER) AS " + QuoteIdent(Alias(which[k])));
  }
  inner += From(path);
  const std::string sql = "SELECT col, bin, count(*) FROM (UNPIVOT (" + inner +
                          ") ON COLUMNS(*) INTO NAME col VALUE bin) GROUP BY col, bin";
  DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql));
  std::map<std::size_t, std::vector<std::int64_t>> counts;
  for (std::size_t i : which) counts[i].assign(static_cast<std::size_t>(bins), 0);
  for (std::int64_t row = 0; row < r.RowCount(); ++row) {
    const std::size_t i = IndexFromAlias(r.CellString(row, 0));
    const std::int64_t bin = ToInt(r.Cell(row, 1));
    auto it = counts.find(i);
    if (it == counts.end() || bin < 0 || bin > bins) continue;
    it->second[static_cast<std::size_t>(std::min<std::int64_t>(bin, bins - 1))] += ToInt(r.Cell(row, 2));
  }
  for (std::size_t i : which) {
    Column& c = cols[i];
    const double width = (*c.dmax - *c.dmin) / bins;
    json edges = json::array();
    for (int b = 0; b <= bins; ++b) {
      const double e = b == bins ? *c.dmax : *c.dmin + width * b;
      edges.push_back(c.kind == Kind::kTemporal ? json(IsoFromEpoch(e)) : json(e));
    }
    c.histogram = {{"edges", edges}, {"counts", counts[i]}};
  }
  return Status::Ok();
}

// ---- semantic types, quality, alerts ---------------------------------------------------

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
    // Text: the first validator most values satisfy, then id / category / free text.
    if (c.count > 0) {
      std::vector<std::string> order = {"email", "url", "phone", "percent", "boolean"};
      if (NameHas(c.name, {"zip", "postal", "postcode"})) order.insert(order.begin(), "postal_code");
      order.push_back("datetime");
      for (const auto& s : order) {
        const double share = static_cast<double>(c.matches[s]) / static_cast<double>(c.count);
        if (share >= kValidatorShare) {
          c.semantic = s;
          c.validity = 100.0 * share;
          return;
        }
      }
    }
    if (c.avg_len >= 40) {
      c.semantic = "free_text";
    } else if (unique_full) {
      c.semantic = "id";
    } else if (c.distinct > 0 && c.distinct <= 50 &&
               static_cast<double>(c.distinct) <= 0.05 * static_cast<double>(rows)) {
      c.semantic = "category";
    } else {
      c.semantic = "free_text";  // no closer example type in the API list
    }
  }
}

double Pct(double part, double whole) {
  return whole > 0 ? 100.0 * part / whole : 100.0;
}

json Alert(const std::string& column, const std::string& kind, const std::string& message,
           const std::string& severity) {
  json a = {{"kind", kind}, {"message", message}, {"severity", severity}};
  if (!column.empty()) a["column"] = column;
  return a;
}

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", v);
  return buf;
}

}  // namespace

Result<json> ProfileParquet(Engine& engine, const std::string& parquet_path, const ProfileOptions& options) {
  const int bins = std::max(1, options.histogram_bins);
  const std::size_t chunk = static_cast<std::size_t>(std::max(1, options.columns_per_query));
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());

  DM_ASSIGN_OR_RETURN(QueryResult described, conn.Query("DESCRIBE SELECT *" + From(parquet_path)));
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
  std::int64_t rows = 0;
  if (cols.empty()) {
    DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query("SELECT count(*)" + From(parquet_path)));
    rows = ToInt(r.Cell(0, 0));
  }
  const std::size_t budget = static_cast<std::size_t>(std::max(1, options.aggregates_per_query));
  for (std::size_t b = 0; b < cols.size();) {
    std::size_t e = b, items = 0;
    while (e < cols.size() && e - b < chunk && (e == b || items + AggregateCount(cols[e]) <= budget)) {
      items += AggregateCount(cols[e++]);
    }
    DM_RETURN_IF_ERROR(AggregatePass(conn, parquet_path, cols, b, e, rows));
    b = e;
  }
  // Pass 2: exact distinct counts, top values, spelling variants.
  for (std::size_t b = 0; b < cols.size(); b += chunk) {
    DM_RETURN_IF_ERROR(TopValuesPass(conn, parquet_path, cols, b, std::min(cols.size(), b + chunk),
                                     std::max(1, options.top_values)));
  }
  // Pass 3: histograms over [min, max] from pass 1.
  std::vector<std::size_t> binned;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    Column& c = cols[i];
    if ((c.kind != Kind::kNumeric && c.kind != Kind::kTemporal) || !c.dmin || !c.dmax) continue;
    if (*c.dmax > *c.dmin) {
      binned.push_back(i);
    } else {
      json edge = c.kind == Kind::kTemporal ? json(IsoFromEpoch(*c.dmin)) : json(*c.dmin);
      c.histogram = {{"edges", json::array({edge, edge})}, {"counts", json::array({c.count})}};
    }
    if (binned.size() == chunk) {
      DM_RETURN_IF_ERROR(HistogramPass(conn, parquet_path, cols, binned, bins));
      binned.clear();
    }
  }
  DM_RETURN_IF_ERROR(HistogramPass(conn, parquet_path, cols, binned, bins));

  // Pass 4: duplicate rows (NULLs compare equal in DISTINCT).
  std::int64_t duplicates = 0;
  if (!cols.empty() && rows > 0) {
    DM_ASSIGN_OR_RETURN(QueryResult r,
                        conn.Query("SELECT count(*) FROM (SELECT DISTINCT *" + From(parquet_path) + ")"));
    duplicates = rows - ToInt(r.Cell(0, 0));
  }

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
  if (numeric.size() >= 2) {
    std::string sql = "SELECT ";
    bool first = true;
    for (std::size_t a = 0; a < numeric.size(); ++a) {
      for (std::size_t b = a + 1; b < numeric.size(); ++b) {
        sql += (first ? "" : ", ") +
               ("corr(" + NumericValue(cols[numeric[a]]) + ", " + NumericValue(cols[numeric[b]]) + ")");
        first = false;
      }
    }
    DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql + From(parquet_path)));
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

  // Semantic types, per-column quality, alerts.
  json alerts = json::array();
  json columns = json::array();
  std::int64_t non_null_cells = 0;
  double validity_sum = 0, consistency_sum = 0;
  for (Column& c : cols) {
    Classify(c, rows);
    non_null_cells += c.count;
    const double completeness = Pct(static_cast<double>(c.count), static_cast<double>(rows));
    const double consistency =
        100.0 - (c.count > 0 ? Pct(static_cast<double>(c.inconsistent), static_cast<double>(c.count)) : 0.0);
    validity_sum += c.validity;
    consistency_sum += consistency;
    const std::int64_t nulls = rows - c.count;

    if (rows > 0 && static_cast<double>(nulls) > 0.2 * static_cast<double>(rows)) {
      const double share = Pct(static_cast<double>(nulls), static_cast<double>(rows));
      alerts.push_back(Alert(c.name, "high_missing", Fmt(share) + "% of values are missing.",
                             share > 50 ? "error" : "warning"));
    }
    if (c.count > 0 && c.distinct == 1) {
      alerts.push_back(Alert(c.name, "constant", "The column has a single value.", "warning"));
    }
    // Only identifier-like kinds: unique floats or timestamps are normal, not worth an alert.
    if (rows > 1 && c.count == rows && c.distinct == rows && (c.is_integer || c.kind == Kind::kText)) {
      alerts.push_back(Alert(c.name, "unique", "Every value is unique (likely an identifier).", "info"));
    } else if (c.kind == Kind::kText && c.semantic != "free_text" && c.distinct > 50 &&
               static_cast<double>(c.distinct) > 0.5 * static_cast<double>(c.count)) {
      alerts.push_back(
          Alert(c.name, "high_cardinality", std::to_string(c.distinct) + " distinct values.", "info"));
    }
    if (c.skew && std::fabs(*c.skew) > 2) {
      alerts.push_back(Alert(c.name, "skewed", "Skewness is " + Fmt(*c.skew) + ".", "info"));
    }
    if (c.count > 0 && static_cast<double>(c.zeros) > 0.5 * static_cast<double>(c.count)) {
      alerts.push_back(Alert(
          c.name, "many_zeros",
          Fmt(Pct(static_cast<double>(c.zeros), static_cast<double>(c.count))) + "% of values are zero.",
          "info"));
    }

    const bool stats = c.kind == Kind::kNumeric || c.kind == Kind::kTemporal;
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
    });
  }
  if (duplicates > 0) {
    alerts.push_back(Alert("", "duplicates", std::to_string(duplicates) + " duplicate rows.", "warning"));
  }

  const double ncols = static_cast<double>(cols.size());
  const double completeness = Pct(static_cast<double>(non_null_cells), static_cast<double>(rows) * ncols);
  const double validity = cols.empty() ? 100.0 : validity_sum / ncols;
  const double consistency = cols.empty() ? 100.0 : consistency_sum / ncols;
  const double uniqueness = Pct(static_cast<double>(rows - duplicates), static_cast<double>(rows));
  json out = {
      {"row_count", rows},
      {"column_count", cols.size()},
      {"duplicate_row_count", duplicates},
      {"quality",
       {{"score", (completeness + validity + consistency + uniqueness) / 4.0},
        {"completeness", completeness},
        {"validity", validity},
        {"consistency", consistency},
        {"uniqueness", uniqueness}}},
      {"alerts", alerts},
      {"correlations", {{"method", "pearson"}, {"columns", corr_names}, {"matrix", matrix}}},
      {"columns", columns},
  };
  return out;
}

}  // namespace dm::engine
