#include "engine/suggest.h"

/// How suggestions are found (docs/cleaning-suggestions.md describes every rule):
///   1. DESCRIBE and one aggregate scan     -> per column non-null counts; for numeric columns
///                                             mean, std, skewness, quartiles, extremes.
///   2. one UNPIVOT + GROUP BY per chunk    -> the distinct values of the text columns with
///      of text columns (temp table)           their counts. Everything about text (placeholders,
///                                             whitespace, numbers/dates/booleans stored as
///                                             text, spelling variants) is computed over these
///                                             distinct values, weighted by their counts, so
///                                             the counts are exact for the full data.
///   3. one row scan                        -> rows changed by trimming, outliers beyond the
///                                             fences, numeric sentinels, empty rows.
///   4. clustering keys (SQL over distinct  -> fingerprint / 2-gram fingerprint collisions;
///      values of category-like columns)       edit-distance pairs for small columns.
///      C++ only links the (bounded) colliding values and pairs into clusters.
/// No per-row work happens in C++.

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/crypto.h"
#include "engine/ingest.h"
#include "engine/sql.h"

namespace dm::engine::clean {
namespace {

using nlohmann::json;

// ---- thresholds -------------------------------------------------------------------------

/// A text column is "numbers/dates/booleans stored as text" when at least this share of its
/// non-placeholder values parse as such.
constexpr double kTypedShare = 0.8;
/// A type conversion is safe when at most this share of non-placeholder values would be lost.
constexpr double kSafeLossShare = 0.02;
/// fill_missing is safe up to this missing share.
constexpr double kSafeFillShare = 0.05;
/// Above this missing share a column is suggested for dropping instead of filling.
constexpr double kDropMissingShare = 0.9;
/// Tukey's "far out" fences: Q1 - 3 IQR, Q3 + 3 IQR.
constexpr double kIqrThreshold = 3.0;
/// More outliers than this share means the distribution is heavy-tailed, not dirty.
constexpr double kMaxOutlierShare = 0.05;
/// Fingerprint clustering only for columns with at most this many distinct values...
constexpr std::int64_t kMaxClusterDistinct = 200000;
/// ...and edit-distance nearest neighbours only for columns with at most this many.
constexpr std::int64_t kMaxEditDistinct = 500;
/// Columns per generated SELECT list.
constexpr std::size_t kColumnsPerQuery = 100;
/// A suggested mapping holds at most this many entries (the largest clusters first).
constexpr std::size_t kMaxMappingEntries = 2000;

/// Lower-cased, trimmed spellings of "no value" (matched after lower(trim(v))).
const char* const kPlaceholders[] = {"",
                                     "na",
                                     "n/a",
                                     "n.a.",
                                     "n.a",
                                     "#n/a",
                                     "nan",
                                     "null",
                                     "(null)",
                                     "nil",
                                     "none",
                                     "(none)",
                                     "-",
                                     "--",
                                     "---",
                                     "?",
                                     "??",
                                     "???",
                                     "missing",
                                     "(blank)",
                                     "blank",
                                     "undefined",
                                     "not available",
                                     "no data",
                                     "#value!",
                                     "#ref!",
                                     "#div/0!",
                                     "#null!",
                                     "#num!",
                                     "empty",
                                     "."};

/// Numeric sentinels for "no value" (matched with either sign).
const double kSentinels[] = {99, 999, 9999, 99999, 999999, 9999999};

/// Date sentinels (dates standing in for "unknown").
const char* const kDateSentinels[] = {"1900-01-01", "1899-12-30", "1899-12-31",
                                      "1970-01-01", "9999-12-31", "0001-01-01"};

// ---- text value predicates (SQL over the distinct-values table) --------------------------

/// Trimmed value: Unicode-ish whitespace (incl. NBSP) at either end removed.
const char* kTrimExpr = R"(regexp_replace(val, '^[\s\x{00A0}\x{FEFF}]+|[\s\x{00A0}\x{FEFF}]+$', '', 'g'))";

/// A number written with currency, thousands separators, percent or a unit.
/// Group 1: a leading currency, group 2: a trailing unit/currency/percent.
/// Units are a known list (so "5 apples" is not a number).
const char* kFormattedNumber =
    R"(^\(?[-+]?\s*(US\$|[$€£¥₹]|(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|INR|CNY|SEK|NOK|DKK)\s?)?\s*[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?\s*(%|[$€£¥₹]|USD|EUR|GBP|(?i:kg|g|mg|lbs?|oz|km|m|cm|mm|mi|ft|in|yd|l|ml|cl|gal|ms|s|sec|secs|min|mins|h|hrs?|days?|wks?|weeks?|months?|yrs?|years?|kb|mb|gb|tb|bytes?|kw|kwh|wh|w|mah|v|hz|khz|mhz|ghz|mph|km/h|kph|m/s|°c|°f|m2|m²|km2|km²|ha|px|pt|rpm|psi|kpa|hpa|kcal|cal|ppm))?\)?$)";

struct DateFamily {
  const char* name;
  const char* shape;  // RE2 full match on the trimmed value
  std::vector<const char*> formats;
};

/// Text date families; the first two numbers of ambiguous ones (a/b/yyyy) decide day-first
/// or month-first.
const std::vector<DateFamily>& DateFamilies() {
  static const std::vector<DateFamily> families = {
      {"iso", R"(\d{4}-\d{1,2}-\d{1,2})", {"%Y-%m-%d"}},
      {"iso_time", R"(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)", {}},
      {"ymd_slash", R"(\d{4}/\d{1,2}/\d{1,2})", {"%Y/%m/%d"}},
      {"slash", R"(\d{1,2}/\d{1,2}/\d{4})", {"%d/%m/%Y", "%m/%d/%Y"}},
      {"slash2", R"(\d{1,2}/\d{1,2}/\d{2})", {"%d/%m/%y", "%m/%d/%y"}},
      {"dash", R"(\d{1,2}-\d{1,2}-\d{4})", {"%d-%m-%Y", "%m-%d-%Y"}},
      {"dot", R"(\d{1,2}\.\d{1,2}\.\d{4})", {"%d.%m.%Y"}},
      {"day_month_name", R"(\d{1,2}[ -][A-Za-z]{3,9}\.?[ -]\d{4})", {"%d %b %Y", "%d %B %Y", "%d-%b-%Y"}},
      {"month_name_day",
       R"([A-Za-z]{3,9}\.? \d{1,2},? \d{4})",
       {"%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y"}},
  };
  return families;
}

// ---- small helpers ----------------------------------------------------------------------

enum class Kind { kNumeric, kTemporal, kBoolean, kText, kOther };

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
  return d ? static_cast<std::int64_t>(std::llround(*d)) : 0;
}

std::string Str(const json& v) {
  return v.is_string() ? v.get<std::string>() : (v.is_null() ? std::string() : v.dump());
}

std::string From(const std::string& path) {
  return " FROM read_parquet(" + QuoteLiteral(path) + ")";
}

/// A DOUBLE literal, exact and locale-free.
std::string DoubleLiteral(double d) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), d);
  return "CAST(" + QuoteLiteral(std::string(buf, r.ptr)) + " AS DOUBLE)";
}

/// A number for prose: integers without decimals, others with up to 4 significant digits.
std::string Num(double v) {
  char buf[64];
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof(buf), "%.0f", v);
  } else {
    std::snprintf(buf, sizeof(buf), "%.4g", v);
  }
  return buf;
}

std::string Count(std::int64_t n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

std::string Pct(double part, double whole) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f%%", whole > 0 ? 100.0 * part / whole : 0.0);
  return buf;
}

/// A value quoted for a rationale, shortened to 40 characters (on a UTF-8 boundary).
std::string Quote(const std::string& v) {
  std::string s = v;
  if (s.size() > 40) {
    std::size_t cut = 40;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s = s.substr(0, cut) + "…";
  }
  return "'" + s + "'";
}

std::string QuoteList(const json& values, std::size_t max_n = 3) {
  std::string out;
  std::size_t k = 0;
  for (const auto& v : values) {
    if (k == max_n) break;
    out += (k++ ? ", " : "") + Quote(Str(v));
  }
  return out;
}

std::string SqlList(const std::vector<std::string>& literals) {
  std::string out;
  for (std::size_t i = 0; i < literals.size(); ++i) out += (i ? ", " : "") + literals[i];
  return out;
}

// ---- columns ----------------------------------------------------------------------------

struct TextStats {
  std::int64_t placeholder_rows = 0;
  json placeholder_values = json::array();  // most frequent first (up to 5)
  json all_placeholders = json::array();
  std::int64_t whitespace_rows = 0;
  std::int64_t whitespace_variant_rows = 0;  // rows that merge with another spelling once trimmed
  std::int64_t case_inconsistent_rows = 0;   // the profiler's consistency definition
  std::int64_t plain_numbers = 0;            // TRY_CAST(trimmed AS DOUBLE) works
  std::int64_t formatted_numbers = 0;        // currency / thousands / percent / unit
  std::int64_t leading_zero_rows = 0;        // "007": codes, not numbers
  json formatted_examples = json::array();
  json units = json::array();       // [{unit, rows}], most frequent first (lower-cased)
  json currencies = json::array();  // [{currency, rows}]
  std::int64_t percent_rows = 0;
  std::int64_t bool_rows = 0;
  std::int64_t bool_words = 0;  // bool rows that are not 0/1
  std::int64_t date_rows = 0;   // any known date family
  std::map<std::string, std::int64_t> date_family_rows;
  std::int64_t day_first_rows = 0;      // a/b/yyyy with a > 12
  std::int64_t month_first_rows = 0;    // a/b/yyyy with b > 12
  json date_examples = json::array();   // non-ISO examples
  json other_examples = json::array();  // values that are neither placeholder nor the type
  double avg_length = 0;
  json mode;  // the most frequent non-placeholder value
  std::int64_t mode_rows = 0;
  std::int64_t iso_exact_rows = 0;   // already written YYYY-MM-DD (unchanged by standardize_dates)
  std::int64_t bool_exact_rows = 0;  // already written true/false (unchanged by a cast)
};

struct Col {
  std::string name;
  std::string duckdb_type;
  std::string api_type;
  Kind kind = Kind::kOther;
  std::string semantic;  // from the profile when present
  std::int64_t nonnull = 0;
  std::int64_t distinct = -1;  // exact for text columns (from the distinct-values table)
  // numeric
  std::optional<double> mean, std, skew, q1, median, q3, min, max;
  std::int64_t outliers = 0;
  std::int64_t sentinel_rows = 0;
  json sentinel_values = json::array();
  std::int64_t date_sentinel_rows = 0;
  json date_sentinel_values = json::array();
  // boolean / temporal
  json mode;
  TextStats text;
  // quality baseline (0-100)
  double validity = 100;
  double consistency = 100;
};

Kind KindOf(const std::string& api_type) {
  if (api_type == "integer" || api_type == "float" || api_type == "decimal") return Kind::kNumeric;
  if (api_type == "date" || api_type == "timestamp") return Kind::kTemporal;
  if (api_type == "boolean") return Kind::kBoolean;
  if (api_type == "string") return Kind::kText;
  return Kind::kOther;
}

/// "id", "customer_id", "ID" (a whole word of the name).
bool IsIdName(const std::string& name) {
  std::string lower;
  for (char ch : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower == "id" || lower == "uuid" || lower == "key") return true;
  return lower.size() > 3 && (lower.ends_with("_id") || lower.ends_with(" id") || lower.ends_with("-id"));
}

std::string Alias(std::size_t i) {
  return "c" + std::to_string(i);
}

// ---- the quality model --------------------------------------------------------------------

/// The profile's quality score (completeness, validity, consistency, uniqueness averaged;
/// see profiler.cpp) recomputed from per-column parts, so a suggestion's effect can be
/// estimated as score(after) - score(before). Placeholder values count as missing here.
struct QualityState {
  double rows = 0;
  double duplicates = 0;
  struct ColumnPart {
    double nonnull = 0;  // non-null, non-placeholder values
    double validity = 100;
    double consistency = 100;
    bool present = true;
  };
  std::vector<ColumnPart> cols;

  double Score() const {
    double cells = 0, nonnull = 0, validity = 0, consistency = 0, n = 0;
    for (const auto& c : cols) {
      if (!c.present) continue;
      n += 1;
      cells += rows;
      nonnull += c.nonnull;
      validity += c.validity;
      consistency += c.consistency;
    }
    const double completeness = cells > 0 ? 100.0 * nonnull / cells : 100.0;
    const double v = n > 0 ? validity / n : 100.0;
    const double k = n > 0 ? consistency / n : 100.0;
    const double u = rows > 0 ? 100.0 * (rows - duplicates) / rows : 100.0;
    return (completeness + v + k + u) / 4.0;
  }
};

double Gain(const QualityState& before, const std::function<void(QualityState&)>& change) {
  QualityState after = before;
  change(after);
  const double g = after.Score() - before.Score();
  return std::round(g * 1000.0) / 1000.0;  // stable across platforms in the order and the JSON
}

/// Disjoint sets over node indices.
class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), std::size_t{0});
  }
  std::size_t Find(std::size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Union(std::size_t a, std::size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<std::size_t> parent_;
};

std::set<std::string> Tokens(const std::string& key) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t end = std::min(key.find(' ', start), key.size());
    if (end > start) out.insert(key.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

/// Guards for a near-duplicate pair of fingerprints: the same digits ("Route 1" / "Route 2"
/// are different), and only words of 4+ characters differ ("Type A" / "Type B" are
/// different).
bool PlausibleTypo(const std::string& a, const std::string& b, const std::string& digits_a,
                   const std::string& digits_b) {
  if (digits_a != digits_b) return false;
  const auto ta = Tokens(a), tb = Tokens(b);
  std::vector<std::string> diff;
  std::set_symmetric_difference(ta.begin(), ta.end(), tb.begin(), tb.end(), std::back_inserter(diff));
  return std::all_of(diff.begin(), diff.end(), [](const std::string& t) { return t.size() >= 4; });
}

struct ClusterValue {
  std::string val, tv, k1;
  std::int64_t n = 0;
};

struct ClusterNode {  // one fingerprint (k2) of a column
  std::string k2, k3, digits;
  std::int64_t len3 = 0;
  std::int64_t n = 0;
  std::vector<ClusterValue> values;
};

/// A mapping {variant: canonical} for a group of values, the canonical spelling being the
/// trimmed spelling with the most rows (ties: the longer, then the byte-wise smaller).
struct Merge {
  std::string canonical;
  std::vector<std::pair<std::string, std::int64_t>> variants;  // raw values that change, with rows
  std::vector<std::string> extra_keys;                         // trimmed spellings not present raw
  std::int64_t rows = 0;
  std::string method;
};

Merge MakeMerge(const std::vector<const ClusterValue*>& values, std::string method) {
  std::map<std::string, std::int64_t> by_tv;
  for (const ClusterValue* v : values) by_tv[v->tv] += v->n;
  std::string best;
  std::int64_t best_n = -1;
  for (const auto& [tv, n] : by_tv) {
    if (n > best_n || (n == best_n && tv.size() > best.size())) {
      best = tv;
      best_n = n;
    }
  }
  Merge m;
  m.canonical = best;
  m.method = std::move(method);
  std::set<std::string> raw;
  for (const ClusterValue* v : values) {
    raw.insert(v->val);
    if (v->val == best) continue;
    m.variants.push_back({v->val, v->n});
    m.rows += v->n;
  }
  for (const auto& [tv, n] : by_tv) {
    if (tv != best && !raw.count(tv)) m.extra_keys.push_back(tv);
  }
  std::stable_sort(m.variants.begin(), m.variants.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return m;
}

// ---- the builder --------------------------------------------------------------------------

class Suggester {
 public:
  Suggester(Connection& conn, const std::string& path, const json& profile)
      : conn_(conn), path_(path), profile_(profile) {}

  Result<std::vector<Suggestion>> Run();

 private:
  Status Describe();
  Status AggregatePass();
  Status DistinctValues();
  Status TextPass(std::size_t begin, std::size_t end);
  Status RowPass();
  Status ReadProfile();
  void BuildBaseline();

  void SuggestTable();
  void SuggestColumn(std::size_t i);
  void SuggestNumeric(std::size_t i);
  void SuggestTemporal(std::size_t i);
  void SuggestText(std::size_t i);
  void SuggestMissing(std::size_t i, bool text_converted);
  Status FindClusters();
  void SuggestClusters();
  /// 0: none, 1: numbers, 2: dates, 3: booleans stored as text.
  int TextType(const Col& c) const;

  void Add(json operation, std::string rationale, std::int64_t affected, double gain, bool safe);

  Connection& conn_;
  const std::string& path_;
  const json& profile_;
  std::vector<Col> cols_;
  std::int64_t rows_ = 0;
  std::int64_t duplicates_ = -1;
  std::int64_t empty_rows_ = 0;
  std::int64_t trim_rows_ = 0;
  std::vector<std::size_t> text_;          // indices of text columns
  std::vector<std::size_t> converted_;     // text columns that get a type suggestion
  std::vector<std::size_t> trim_columns_;  // text columns with leading/trailing whitespace
  QualityState baseline_;
  std::vector<Suggestion> out_;
  struct ColumnMerges {
    std::vector<Merge> by_case, fuzzy;
    std::int64_t case_rows = 0, fuzzy_rows = 0;
  };
  std::map<std::size_t, ColumnMerges> merges_;
};

Status Suggester::Describe() {
  DM_ASSIGN_OR_RETURN(QueryResult d, conn_.Query("DESCRIBE SELECT *" + From(path_)));
  for (std::int64_t r = 0; r < d.RowCount(); ++r) {
    Col c;
    c.name = d.CellString(r, 0);
    c.duckdb_type = d.CellString(r, 1);
    c.api_type = ApiTypeFor(c.duckdb_type);
    c.kind = KindOf(c.api_type);
    if (c.kind == Kind::kText && c.duckdb_type != "VARCHAR") c.kind = Kind::kOther;  // BLOB, UUID, ...
    cols_.push_back(std::move(c));
  }
  for (std::size_t i = 0; i < cols_.size(); ++i) {
    if (cols_[i].kind == Kind::kText) text_.push_back(i);
  }
  return Status::Ok();
}

Status Suggester::ReadProfile() {
  if (profile_.is_object() && profile_.contains("duplicate_row_count")) {
    duplicates_ = ToInt(profile_["duplicate_row_count"]);
  }
  if (!profile_.is_object() || !profile_.contains("columns") || !profile_["columns"].is_array()) {
    return Status::Ok();
  }
  std::map<std::string, const json*> by_name;
  for (const auto& pc : profile_["columns"]) {
    if (pc.is_object() && pc.contains("name") && pc["name"].is_string())
      by_name[pc["name"].get<std::string>()] = &pc;
  }
  for (Col& c : cols_) {
    auto it = by_name.find(c.name);
    if (it == by_name.end()) continue;
    const json& pc = *it->second;
    if (pc.contains("semantic_type") && pc["semantic_type"].is_string()) c.semantic = pc["semantic_type"];
    if (pc.contains("quality") && pc["quality"].is_object()) {
      const json& q = pc["quality"];
      if (auto v = q.contains("validity") ? ToDouble(q["validity"]) : std::nullopt) c.validity = *v;
      if (auto v = q.contains("consistency") ? ToDouble(q["consistency"]) : std::nullopt) c.consistency = *v;
    }
  }
  return Status::Ok();
}

/// The column as DOUBLE; non-finite floats become NULL.
std::string NumericValue(const Col& c) {
  const std::string id = QuoteIdent(c.name);
  if (c.api_type == "float") return "CASE WHEN isfinite(" + id + ") THEN CAST(" + id + " AS DOUBLE) END";
  return "CAST(" + id + " AS DOUBLE)";
}

Status Suggester::AggregatePass() {
  // Row count and non-null counts for every column; numeric statistics; the mode of boolean
  // and temporal columns (for fill_missing).
  for (std::size_t b = 0; b < cols_.size() || b == 0; b += kColumnsPerQuery) {
    const std::size_t e = std::min(cols_.size(), b + kColumnsPerQuery);
    std::vector<std::string> items = {"count(*)"};
    std::map<std::size_t, std::size_t> first;  // column -> its first item
    for (std::size_t i = b; i < e; ++i) {
      Col& c = cols_[i];
      const std::string id = QuoteIdent(c.name);
      first[i] = items.size();
      items.push_back("count(" + id + ")");
      if (c.kind == Kind::kNumeric) {
        const std::string v = NumericValue(c);
        for (const char* f : {"avg", "stddev_samp", "skewness", "min", "max"}) {
          items.push_back(std::string(f) + "(" + v + ")");
        }
        items.push_back("quantile_cont(" + v + ", [0.25, 0.5, 0.75])");
      } else if (c.kind == Kind::kBoolean || c.kind == Kind::kTemporal) {
        items.push_back("CAST(mode(" + id + ") AS VARCHAR)");
      }
    }
    std::string sql = "SELECT ";
    for (std::size_t k = 0; k < items.size(); ++k) sql += (k ? ", " : "") + items[k];
    DM_ASSIGN_OR_RETURN(QueryResult r, conn_.Query(sql + From(path_)));
    if (r.RowCount() != 1) return Internal("The suggestion aggregate returned no row.");
    rows_ = ToInt(r.Cell(0, 0));
    for (std::size_t i = b; i < e; ++i) {
      Col& c = cols_[i];
      std::size_t k = first[i];
      c.nonnull = ToInt(r.Cell(0, k++));
      if (c.kind == Kind::kNumeric) {
        c.mean = ToDouble(r.Cell(0, k++));
        c.std = ToDouble(r.Cell(0, k++));
        c.skew = ToDouble(r.Cell(0, k++));
        c.min = ToDouble(r.Cell(0, k++));
        c.max = ToDouble(r.Cell(0, k++));
        const json q = r.Cell(0, k++);
        if (q.is_array() && q.size() == 3) {
          c.q1 = ToDouble(q[0]);
          c.median = ToDouble(q[1]);
          c.q3 = ToDouble(q[2]);
        }
      } else if (c.kind == Kind::kBoolean || c.kind == Kind::kTemporal) {
        c.mode = r.Cell(0, k++);
      }
    }
    if (cols_.empty()) break;
  }
  return Status::Ok();
}

Status Suggester::DistinctValues() {
  DM_RETURN_IF_ERROR(conn_.Execute(
      "CREATE OR REPLACE TEMP TABLE dm_sg_dv (col INTEGER, val VARCHAR, n BIGINT, tv VARCHAR, ph BOOLEAN)"));
  std::vector<std::string> placeholders;
  for (const char* p : kPlaceholders) placeholders.push_back(QuoteLiteral(p));
  for (std::size_t b = 0; b < text_.size(); b += kColumnsPerQuery) {
    const std::size_t e = std::min(text_.size(), b + kColumnsPerQuery);
    std::string inner = "SELECT ";
    for (std::size_t k = b; k < e; ++k) {
      inner += (k > b ? ", " : "") + QuoteIdent(cols_[text_[k]].name) + " AS " + QuoteIdent(Alias(text_[k]));
    }
    inner += From(path_);
    const std::string sql =
        "INSERT INTO dm_sg_dv SELECT col, val, n, tv, lower(tv) IN (" + SqlList(placeholders) +
        ") AS ph FROM (SELECT col, val, n, " + kTrimExpr +
        " AS tv FROM (SELECT CAST(substr(col, 2) AS INTEGER) AS col, val, count(*) AS n FROM (UNPIVOT (" +
        inner + ") ON COLUMNS(*) INTO NAME col VALUE val) GROUP BY ALL))";
    DM_RETURN_IF_ERROR(conn_.Execute(sql));
    DM_RETURN_IF_ERROR(TextPass(b, e));
  }
  return Status::Ok();
}

/// Per-text-column statistics over the distinct values of text_[begin, end).
Status Suggester::TextPass(std::size_t begin, std::size_t end) {
  std::string ids;
  for (std::size_t k = begin; k < end; ++k) ids += (k > begin ? ", " : "") + std::to_string(text_[k]);
  std::string family_case = "CASE";
  for (const auto& f : DateFamilies()) {
    family_case += " WHEN regexp_full_match(tv, " + QuoteLiteral(f.shape) + ") THEN " + QuoteLiteral(f.name);
  }
  family_case += " END";
  std::string date_ok = "CASE fam";
  for (const auto& f : DateFamilies()) {
    std::string test;
    if (f.formats.empty()) {
      test = "TRY_CAST(tv AS TIMESTAMP) IS NOT NULL";
    } else {
      std::vector<std::string> fs;
      for (const char* x : f.formats) fs.push_back(QuoteLiteral(x));
      test = "try_strptime(tv, [" + SqlList(fs) + "]) IS NOT NULL";
    }
    date_ok += " WHEN " + QuoteLiteral(f.name) + " THEN " + test;
  }
  date_ok += " ELSE false END";
  std::string family_sums;
  for (const auto& f : DateFamilies()) {
    family_sums +=
        (family_sums.empty() ? "" : ", ") +
        ("{'f': " + QuoteLiteral(f.name) +
         ", 'n': coalesce(sum(n) FILTER (WHERE NOT ph AND dok AND fam = " + QuoteLiteral(f.name) + "), 0)}");
  }
  const std::string bool_words = "('true', 'false', 'yes', 'no', 'y', 'n', 't', 'f')";
  const std::string fnum_expr =
      "regexp_full_match(tv, " + QuoteLiteral(kFormattedNumber) + ") AND regexp_matches(tv, '\\d')";
  // Number/date classification costs a dozen regular expressions per distinct value. Columns
  // with many distinct values (identifiers, hashes, free text) get it only when a sample of
  // 2,000 of their values is at least half numbers or dates; the counts stay exact for the
  // columns that are classified.
  std::string typed;
  {
    DM_ASSIGN_OR_RETURN(QueryResult sizes, conn_.Query("SELECT col, count(*) FROM dm_sg_dv WHERE col IN (" +
                                                       ids + ") GROUP BY col"));
    for (std::int64_t row = 0; row < sizes.RowCount(); ++row) {
      const std::int64_t col = ToInt(sizes.Cell(row, 0));
      bool classify = ToInt(sizes.Cell(row, 1)) <= 5000;
      if (!classify) {
        DM_ASSIGN_OR_RETURN(
            QueryResult sample,
            conn_.Query("SELECT coalesce(avg(CASE WHEN (" + fnum_expr + ") OR " + family_case +
                        " IS NOT NULL THEN 1.0 ELSE 0.0 END), 0) FROM (SELECT tv FROM dm_sg_dv WHERE col = " +
                        std::to_string(col) +
                        " AND NOT ph) USING SAMPLE reservoir(2000 ROWS) REPEATABLE (7)"));
        classify = ToDouble(sample.Cell(0, 0)).value_or(0) >= 0.5;
      }
      if (classify) typed += (typed.empty() ? "" : ", ") + std::to_string(col);
    }
  }
  const std::string gate = typed.empty() ? "false" : "col IN (" + typed + ")";

  const std::string v =
      "SELECT *, CASE WHEN " + gate + " THEN " + fnum_expr + " ELSE false END AS fnum, CASE WHEN " + gate +
      " THEN regexp_extract(tv, " + QuoteLiteral(kFormattedNumber) + ", 1) ELSE '' END AS cur, CASE WHEN " +
      gate + " THEN regexp_extract(tv, " + QuoteLiteral(kFormattedNumber) +
      ", 2) ELSE '' END AS unit, "
      "TRY_CAST(tv AS DOUBLE) IS NOT NULL AND NOT regexp_matches(lower(tv), 'inf|nan') AS pnum, "
      "regexp_matches(tv, '^[-+]?0[0-9]') AS lead0, "
      "lower(tv) IN " +
      bool_words +
      " OR tv IN ('0', '1') AS bl, "
      "lower(tv) IN " +
      bool_words + " AS blw, CASE WHEN " + gate + " THEN " + family_case +
      " END AS fam "
      "FROM dm_sg_dv WHERE col IN (" +
      ids + ")";
  const std::string w =
      "SELECT *, fam IS NOT NULL AND (" + date_ok +
      ") AS dok, "
      "TRY_CAST(regexp_extract(tv, '^(\\d{1,2})[/-](\\d{1,2})[/-]', 1) AS INTEGER) AS da, "
      "TRY_CAST(regexp_extract(tv, '^(\\d{1,2})[/-](\\d{1,2})[/-]', 2) AS INTEGER) AS db FROM (" +
      v + ")";
  std::string sql =
      "SELECT col, sum(n) AS nn, count(*) AS nd, "
      "coalesce(sum(n) FILTER (WHERE ph), 0), "
      "list(val ORDER BY n DESC, val) FILTER (WHERE ph), "
      "coalesce(sum(n) FILTER (WHERE val <> tv), 0), "
      "coalesce(sum(n) FILTER (WHERE NOT ph AND pnum), 0), "
      "coalesce(sum(n) FILTER (WHERE NOT ph AND NOT pnum AND fnum), 0), "
      "coalesce(sum(n) FILTER (WHERE NOT ph AND lead0 AND pnum), 0), "
      "min_by(val, {'a': -n, 'b': val}, 3) FILTER (WHERE NOT ph AND NOT pnum AND fnum), "
      "list(DISTINCT {'u': lower(unit), 'n': 1}) FILTER (WHERE NOT ph AND fnum AND unit <> '' AND unit <> "
      "'%'), "
      "list(DISTINCT {'u': trim(cur), 'n': 1}) FILTER (WHERE NOT ph AND fnum AND cur <> ''), "
      "coalesce(sum(n) FILTER (WHERE NOT ph AND fnum AND unit = '%'), 0), "
      "coalesce(sum(n) FILTER (WHERE NOT ph AND bl), 0), "
      "coalesce(sum(n) FILTER (WHERE NOT ph AND blw), 0), "
      "coalesce(sum(n) FILTER (WHERE NOT ph AND dok), 0), "
      "[" +
      family_sums +
      "], "
      "coalesce(sum(n) FILTER (WHERE dok AND fam IN ('slash', 'slash2', 'dash') AND da > 12), 0), "
      "coalesce(sum(n) FILTER (WHERE dok AND fam IN ('slash', 'slash2', 'dash') AND db > 12), 0), "
      "min_by(val, {'a': -n, 'b': val}, 3) FILTER (WHERE NOT ph AND dok AND fam NOT IN ('iso', 'iso_time')), "
      "min_by(val, {'a': -n, 'b': val}, 3) FILTER (WHERE NOT ph AND NOT pnum AND NOT fnum AND NOT dok AND "
      "NOT "
      "bl), "
      "sum(n * length(val)) / sum(n), "
      "arg_max(val, n) FILTER (WHERE NOT ph), max(n) FILTER (WHERE NOT ph), "
      "coalesce(sum(n) FILTER (WHERE regexp_full_match(val, '\\d{4}-\\d{2}-\\d{2}') AND "
      "TRY_CAST(val AS DATE) IS NOT NULL), 0), "
      "coalesce(sum(n) FILTER (WHERE val IN ('true', 'false')), 0) "
      "FROM (" +
      w + ") GROUP BY col";
  DM_ASSIGN_OR_RETURN(QueryResult r, conn_.Query(sql));
  // Spelling variants by hash aggregation (cheaper than windows over every distinct value):
  // rows whose lower(trim(v)) group has a more frequent spelling (the profiler's consistency),
  // and rows with surrounding whitespace whose trimmed spelling also occurs otherwise.
  DM_ASSIGN_OR_RETURN(
      QueryResult variants,
      conn_.Query("SELECT col, sum(s - m) FROM (SELECT col, sum(n) AS s, max(n) AS m FROM dm_sg_dv "
                  "WHERE col IN (" +
                  ids + ") GROUP BY col, lower(tv)) GROUP BY col"));
  DM_ASSIGN_OR_RETURN(
      QueryResult trims,
      conn_.Query(
          "SELECT col, sum(w) FROM (SELECT col, tv, coalesce(sum(n) FILTER (WHERE val <> tv), 0) AS w, "
          "count(*) AS c FROM dm_sg_dv WHERE col IN (" +
          ids +
          ") AND tv IN (SELECT tv FROM dm_sg_dv WHERE "
          "col IN (" +
          ids + ") AND val <> tv) GROUP BY col, tv) WHERE c > 1 AND w > 0 GROUP BY col"));
  auto by_col = [](const QueryResult& q) {
    std::map<std::size_t, std::int64_t> m;
    for (std::int64_t row = 0; row < q.RowCount(); ++row) {
      m[static_cast<std::size_t>(ToInt(q.Cell(row, 0)))] = ToInt(q.Cell(row, 1));
    }
    return m;
  };
  const auto variant_rows = by_col(variants);
  const auto trim_rows = by_col(trims);
  auto first_n = [](const json& list, std::size_t n) {
    json out = json::array();
    if (!list.is_array()) return out;
    for (const auto& x : list) {
      if (out.size() == n) break;
      out.push_back(x);
    }
    return out;
  };
  // Sums {key: n} pairs by key, most frequent first.
  auto tally = [](const json& list, const char* key, const char* out_key) {
    std::map<std::string, std::int64_t> m;
    if (list.is_array()) {
      for (const auto& x : list) m[Str(x.value(key, json()))] += ToInt(x.value("n", json(0)));
    }
    std::vector<std::pair<std::string, std::int64_t>> v(m.begin(), m.end());
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    json out = json::array();
    for (const auto& [k, n] : v) out.push_back({{out_key, k}, {"rows", n}});
    return out;
  };
  for (std::int64_t row = 0; row < r.RowCount(); ++row) {
    const auto i = static_cast<std::size_t>(ToInt(r.Cell(row, 0)));
    if (i >= cols_.size()) continue;
    Col& c = cols_[i];
    TextStats& t = c.text;
    std::size_t k = 2;
    c.distinct = ToInt(r.Cell(row, k++));
    t.placeholder_rows = ToInt(r.Cell(row, k++));
    t.all_placeholders = r.Cell(row, k++);
    if (!t.all_placeholders.is_array()) t.all_placeholders = json::array();
    t.placeholder_values = first_n(t.all_placeholders, 5);
    t.whitespace_rows = ToInt(r.Cell(row, k++));
    t.whitespace_variant_rows = trim_rows.count(i) ? trim_rows.at(i) : 0;
    t.case_inconsistent_rows = variant_rows.count(i) ? variant_rows.at(i) : 0;
    t.plain_numbers = ToInt(r.Cell(row, k++));
    t.formatted_numbers = ToInt(r.Cell(row, k++));
    t.leading_zero_rows = ToInt(r.Cell(row, k++));
    t.formatted_examples = first_n(r.Cell(row, k++), 3);
    t.units = tally(r.Cell(row, k++), "u", "unit");
    t.currencies = tally(r.Cell(row, k++), "u", "currency");
    t.percent_rows = ToInt(r.Cell(row, k++));
    t.bool_rows = ToInt(r.Cell(row, k++));
    t.bool_words = ToInt(r.Cell(row, k++));
    t.date_rows = ToInt(r.Cell(row, k++));
    for (const auto& f : tally(r.Cell(row, k++), "f", "family")) {
      if (f["rows"].get<std::int64_t>() > 0) t.date_family_rows[f["family"].get<std::string>()] = f["rows"];
    }
    t.day_first_rows = ToInt(r.Cell(row, k++));
    t.month_first_rows = ToInt(r.Cell(row, k++));
    t.date_examples = first_n(r.Cell(row, k++), 3);
    t.other_examples = first_n(r.Cell(row, k++), 3);
    t.avg_length = ToDouble(r.Cell(row, k++)).value_or(0);
    t.mode = r.Cell(row, k++);
    t.mode_rows = ToInt(r.Cell(row, k++));
    t.iso_exact_rows = ToInt(r.Cell(row, k++));
    t.bool_exact_rows = ToInt(r.Cell(row, k++));
  }
  return Status::Ok();
}

Status Suggester::RowPass() {
  // Outlier fences, sentinels, empty rows and the rows trimming would change, in one scan.
  std::vector<std::string> items;
  struct Slot {
    std::size_t col;
    int what;  // 0 outliers, 1 sentinel rows, 2 sentinel values, 3 date sentinel rows, 4 values
  };
  std::vector<Slot> slots;
  std::vector<std::string> date_sentinels;
  for (const char* d : kDateSentinels) date_sentinels.push_back("DATE " + QuoteLiteral(d));
  for (std::size_t i = 0; i < cols_.size(); ++i) {
    Col& c = cols_[i];
    const std::string id = QuoteIdent(c.name);
    if (c.kind == Kind::kNumeric && c.q1 && c.q3) {
      const double iqr = *c.q3 - *c.q1;
      const std::string v = NumericValue(c);
      const std::string lo = DoubleLiteral(*c.q1 - kIqrThreshold * iqr);
      const std::string hi = DoubleLiteral(*c.q3 + kIqrThreshold * iqr);
      if (iqr > 0) {
        items.push_back("count_if(" + v + " < " + lo + " OR " + v + " > " + hi + ")");
        slots.push_back({i, 0});
      }
      // A sentinel counts when it lies beyond the fences (or when the column is otherwise
      // non-negative and the sentinel is negative).
      std::vector<std::string> s;
      for (double x : kSentinels) {
        s.push_back(DoubleLiteral(x));
        s.push_back(DoubleLiteral(-x));
      }
      const bool nonneg = c.q1 && *c.q1 >= 0;
      std::string cond = v + " IN (" + SqlList(s) + ") AND (";
      cond += iqr > 0 ? "(" + v + " < " + lo + " OR " + v + " > " + hi + ")" : "false";
      cond += nonneg ? " OR " + v + " < 0" : "";
      cond += ")";
      items.push_back("count_if(" + cond + ")");
      slots.push_back({i, 1});
      items.push_back("list(DISTINCT " + v + ") FILTER (WHERE " + cond + ")");
      slots.push_back({i, 2});
    } else if (c.kind == Kind::kTemporal) {
      const std::string d = "CAST(" + id + " AS DATE)";
      items.push_back("count_if(" + d + " IN (" + SqlList(date_sentinels) + "))");
      slots.push_back({i, 3});
      items.push_back("list(DISTINCT CAST(" + d + " AS VARCHAR)) FILTER (WHERE " + d + " IN (" +
                      SqlList(date_sentinels) + "))");
      slots.push_back({i, 4});
    }
  }
  std::string all_null;
  for (const Col& c : cols_) all_null += (all_null.empty() ? "" : " AND ") + QuoteIdent(c.name) + " IS NULL";
  if (!all_null.empty()) {
    items.push_back("count_if(" + all_null + ")");
  }
  std::string any_ws;
  for (std::size_t i : trim_columns_) {
    const std::string id = QuoteIdent(cols_[i].name);
    any_ws += (any_ws.empty() ? "" : " OR ") +
              ("regexp_matches(" + id + R"(, '^[\s\x{00A0}\x{FEFF}]|[\s\x{00A0}\x{FEFF}]$'))");
  }
  if (!any_ws.empty()) items.push_back("count_if(" + any_ws + ")");
  if (items.empty()) return Status::Ok();
  std::string sql = "SELECT ";
  for (std::size_t k = 0; k < items.size(); ++k) sql += (k ? ", " : "") + items[k];
  DM_ASSIGN_OR_RETURN(QueryResult r, conn_.Query(sql + From(path_)));
  std::size_t k = 0;
  for (const Slot& s : slots) {
    Col& c = cols_[s.col];
    const json cell = r.Cell(0, k++);
    switch (s.what) {
      case 0:
        c.outliers = ToInt(cell);
        break;
      case 1:
        c.sentinel_rows = ToInt(cell);
        break;
      case 2:
        c.sentinel_values = cell.is_array() ? cell : json::array();
        break;
      case 3:
        c.date_sentinel_rows = ToInt(cell);
        break;
      default:
        c.date_sentinel_values = cell.is_array() ? cell : json::array();
        break;
    }
  }
  if (!all_null.empty()) empty_rows_ = ToInt(r.Cell(0, k++));
  if (!any_ws.empty()) trim_rows_ = ToInt(r.Cell(0, k++));
  return Status::Ok();
}

void Suggester::BuildBaseline() {
  baseline_.rows = static_cast<double>(rows_);
  baseline_.duplicates = static_cast<double>(std::max<std::int64_t>(0, duplicates_));
  for (Col& c : cols_) {
    QualityState::ColumnPart part;
    part.nonnull =
        static_cast<double>(c.nonnull - c.text.placeholder_rows - c.sentinel_rows - c.date_sentinel_rows);
    part.validity = c.validity;
    part.consistency = c.consistency;
    if (c.kind == Kind::kText && c.nonnull > 0) {
      // Own consistency where the profile has none (same definition as the profiler's).
      const double own =
          100.0 - 100.0 * static_cast<double>(c.text.case_inconsistent_rows) / static_cast<double>(c.nonnull);
      part.consistency = std::min(part.consistency, own);
      // Near-duplicate spellings the profile cannot see count as inconsistent here.
      auto m = merges_.find(static_cast<std::size_t>(&c - cols_.data()));
      if (m != merges_.end()) {
        const double fuzzy = static_cast<double>(std::max(m->second.fuzzy_rows, m->second.case_rows));
        part.consistency = std::min(part.consistency, 100.0 - 100.0 * fuzzy / static_cast<double>(c.nonnull));
      }
      // Numbers, dates or booleans stored as text: only values already in the plain form of
      // the type (1200, 2021-04-03, true) count as valid.
      const std::int64_t real = c.nonnull - c.text.placeholder_rows;
      std::int64_t plain = -1;
      switch (TextType(c)) {
        case 1:
          plain = c.text.plain_numbers;
          break;
        case 2:
          plain = c.text.date_family_rows.count("iso") ? c.text.date_family_rows.at("iso") : 0;
          plain += c.text.date_family_rows.count("iso_time") ? c.text.date_family_rows.at("iso_time") : 0;
          break;
        case 3:
          plain = 0;
          break;
        default:
          break;
      }
      if (plain < 0 && c.text.placeholder_rows > 0) {
        // A placeholder is also a pseudo-category of its own.
        part.consistency =
            std::min(part.consistency, 100.0 - 100.0 * static_cast<double>(c.text.placeholder_rows) /
                                                   static_cast<double>(c.nonnull));
      }
      if (plain >= 0 && real > 0) {
        part.validity =
            std::min(part.validity, 100.0 * static_cast<double>(plain) / static_cast<double>(real));
      }
    }
    if (c.kind == Kind::kNumeric && c.nonnull > 0) {
      // Far-out values (when few) and missing-value codes count as invalid.
      const std::int64_t bad =
          static_cast<double>(c.outliers) <= kMaxOutlierShare * static_cast<double>(c.nonnull)
              ? std::max(c.outliers, c.sentinel_rows)
              : c.sentinel_rows;
      part.validity =
          std::min(part.validity, 100.0 - 100.0 * static_cast<double>(bad) / static_cast<double>(c.nonnull));
    }
    baseline_.cols.push_back(part);
  }
}

void Suggester::Add(json operation, std::string rationale, std::int64_t affected, double gain, bool safe) {
  Suggestion s;
  s.id = HexEncode(Sha256(operation.dump())).substr(0, 16);
  s.operation = std::move(operation);
  s.rationale = std::move(rationale);
  s.affected_rows = affected;
  s.expected_quality_gain = gain;
  s.safe = safe;
  out_.push_back(std::move(s));
}

// ---- table-level rules ------------------------------------------------------------------

void Suggester::SuggestTable() {
  if (duplicates_ > 0) {
    const std::int64_t d = duplicates_;
    Add({{"type", "deduplicate"}, {"keep", "first"}},
        Count(d, "row is an exact copy", "rows are exact copies") + " of an earlier row (" +
            Pct(static_cast<double>(d), static_cast<double>(rows_)) +
            " of the rows). Keeping the first occurrence loses no information.",
        d,
        Gain(baseline_,
             [&](QualityState& q) {
               // Copies carry the same share of filled cells as the table on average.
               const double keep = (q.rows - static_cast<double>(d)) / std::max(1.0, q.rows);
               for (auto& c : q.cols) c.nonnull *= keep;
               q.rows -= static_cast<double>(d);
               q.duplicates = 0;
             }),
        /*safe=*/true);
  }
  if (empty_rows_ > 0 && !cols_.empty()) {
    const std::int64_t e = empty_rows_;
    Add({{"type", "drop_missing"}, {"how", "all"}},
        Count(e, "row has", "rows have") + " no value in any column.", e,
        Gain(baseline_,
             [&](QualityState& q) {
               q.rows -= static_cast<double>(e);
               // All but one empty row were duplicates of each other.
               q.duplicates = std::max(0.0, q.duplicates - static_cast<double>(e - 1));
             }),
        /*safe=*/true);
  }
  if (!trim_columns_.empty()) {
    json names = json::array();
    std::string list;
    std::int64_t variant_rows = 0;
    for (std::size_t i : trim_columns_) {
      names.push_back(cols_[i].name);
      if (list.size() < 200) list += (list.empty() ? "" : ", ") + cols_[i].name;
      variant_rows += cols_[i].text.whitespace_variant_rows;
    }
    std::string why = "Leading or trailing spaces in " +
                      Count(static_cast<std::int64_t>(names.size()), "column", "columns") + " (" + list +
                      ") make equal values compare as different";
    why += variant_rows > 0
               ? " (" + Count(variant_rows, "value", "values") + " match another spelling once trimmed)."
               : ".";
    Add({{"type", "trim_whitespace"}, {"columns", names}}, why, trim_rows_,
        Gain(baseline_,
             [&](QualityState& q) {
               for (std::size_t i : trim_columns_) {
                 const Col& c = cols_[i];
                 if (c.nonnull == 0) continue;
                 q.cols[i].consistency =
                     std::min(100.0, q.cols[i].consistency +
                                         100.0 * static_cast<double>(c.text.whitespace_variant_rows) /
                                             static_cast<double>(c.nonnull));
               }
             }),
        /*safe=*/true);
  }
}

// ---- column rules -------------------------------------------------------------------------

void Suggester::SuggestColumn(std::size_t i) {
  Col& c = cols_[i];
  if (rows_ == 0) return;
  // Empty or constant columns.
  if (c.nonnull == 0) {
    Add({{"type", "drop_columns"}, {"columns", {c.name}}},
        "The column '" + c.name + "' has no values at all.", 0,
        Gain(baseline_, [&](QualityState& q) { q.cols[i].present = false; }), /*safe=*/false);
    return;
  }
  const std::int64_t distinct = c.kind == Kind::kText ? c.distinct : -1;
  bool constant = distinct == 1;
  if (c.kind == Kind::kNumeric && c.min && c.max && *c.min == *c.max) constant = true;
  if (c.kind == Kind::kBoolean || c.kind == Kind::kTemporal) {
    // The profile's distinct count, when present.
    if (profile_.is_object() && profile_.contains("columns")) {
      for (const auto& pc : profile_["columns"]) {
        if (pc.value("name", json()) == c.name && pc.contains("distinct_count")) {
          constant = ToInt(pc["distinct_count"]) == 1;
        }
      }
    }
  }
  if (constant && c.nonnull + empty_rows_ == rows_ && rows_ > 1) {
    std::string value = c.kind == Kind::kText ? Str(c.text.mode) : (c.min ? Num(*c.min) : Str(c.mode));
    Add({{"type", "drop_columns"}, {"columns", {c.name}}},
        "Every row of '" + c.name + "' holds the same value " + Quote(value) +
            "; the column carries no information for analysis.",
        c.nonnull, Gain(baseline_, [&](QualityState& q) { q.cols[i].present = false; }), /*safe=*/false);
    return;
  }
  switch (c.kind) {
    case Kind::kNumeric:
      SuggestNumeric(i);
      SuggestMissing(i, false);
      break;
    case Kind::kTemporal:
      SuggestTemporal(i);
      SuggestMissing(i, false);
      break;
    case Kind::kBoolean:
      SuggestMissing(i, false);
      break;
    case Kind::kText:
      SuggestText(i);
      break;
    case Kind::kOther:
      break;
  }
}

void Suggester::SuggestMissing(std::size_t i, bool text_converted) {
  Col& c = cols_[i];
  const std::int64_t nulls = rows_ - c.nonnull;
  // Gaps that only come from entirely empty rows are handled by dropping those rows.
  if (nulls - empty_rows_ <= 0) return;
  const double share = static_cast<double>(nulls) / static_cast<double>(rows_);
  if (share > kDropMissingShare) {
    Add({{"type", "drop_columns"}, {"columns", {c.name}}},
        Pct(static_cast<double>(nulls), static_cast<double>(rows_)) + " of the values of '" + c.name +
            "' are missing; too few remain to fill the gaps reliably.",
        c.nonnull, Gain(baseline_, [&](QualityState& q) { q.cols[i].present = false; }), /*safe=*/false);
    return;
  }
  json op = {{"type", "fill_missing"}, {"column", c.name}};
  std::string why;
  if (c.semantic == "id" || IsIdName(c.name)) return;  // identifiers are never imputed
  if (c.kind == Kind::kNumeric) {
    const bool skewed = c.skew && std::fabs(*c.skew) > 1.0;
    const bool integer = c.api_type == "integer";
    if (skewed || integer || !c.mean) {
      op["strategy"] = "median";
      why = "median" + std::string(c.median ? " (" + Num(*c.median) + ")" : "") +
            (skewed ? ", because the distribution is skewed" : ", which keeps whole numbers whole");
    } else {
      op["strategy"] = "mean";
      why = "mean (" + Num(*c.mean) + ")";
    }
  } else if (c.kind == Kind::kBoolean || (c.kind == Kind::kText && !text_converted)) {
    // Only category-like text has a meaningful most frequent value.
    if (c.kind == Kind::kText) {
      const std::int64_t real = c.nonnull - c.text.placeholder_rows;
      const bool category = c.distinct > 0 && c.distinct <= 50 && real > 0 &&
                            static_cast<double>(c.distinct) <= 0.2 * static_cast<double>(real) &&
                            c.text.avg_length < 40;
      if (!category || c.text.mode.is_null()) return;
    }
    op["strategy"] = "mode";
    why = "most frequent value" +
          std::string(c.kind == Kind::kText ? " (" + Quote(Str(c.text.mode)) + ")" : "");
  } else {
    return;  // dates and free text: no sound default
  }
  const bool safe = share <= kSafeFillShare;
  Add(op,
      Count(nulls, "value", "values") + " (" + Pct(static_cast<double>(nulls), static_cast<double>(rows_)) +
          ") of '" + c.name + "' are missing; fill them with the " + why + "." +
          (safe ? "" : " That is a large share to impute: check whether the gaps mean something first."),
      nulls, Gain(baseline_, [&](QualityState& q) { q.cols[i].nonnull += static_cast<double>(nulls); }),
      safe);
}

void Suggester::SuggestNumeric(std::size_t i) {
  Col& c = cols_[i];
  const std::int64_t outliers = c.outliers;
  std::string sentinels;
  {
    std::vector<double> vs;
    for (const auto& v : c.sentinel_values) {
      if (auto d = ToDouble(v)) vs.push_back(*d);
    }
    std::sort(vs.begin(), vs.end());
    for (double d : vs) sentinels += (sentinels.empty() ? "" : ", ") + Num(d);
  }
  if (c.sentinel_rows > 0 && c.sentinel_rows == outliers && c.nonnull > 0) {
    // Every far-out value is a "no value" code: setting the outliers to null is exactly right.
    const std::int64_t n = c.sentinel_rows;
    Add({{"type", "outliers"},
         {"column", c.name},
         {"method", "iqr"},
         {"threshold", kIqrThreshold},
         {"action", "set_null"}},
        Count(n, "value", "values") + " of '" + c.name + "' (" + sentinels +
            ") look like codes for a missing value: they lie far outside the range of the other values. "
            "Setting "
            "them to empty keeps them out of sums and averages.",
        n,
        Gain(baseline_,
             [&](QualityState& q) {
               q.cols[i].validity = std::min(100.0, q.cols[i].validity + 100.0 * static_cast<double>(n) /
                                                                             static_cast<double>(c.nonnull));
             }),
        /*safe=*/true);
    return;
  }
  if (outliers > 0 && c.nonnull > 0 &&
      static_cast<double>(outliers) <= kMaxOutlierShare * static_cast<double>(c.nonnull) && c.q1 && c.q3) {
    const double iqr = *c.q3 - *c.q1;
    Add({{"type", "outliers"},
         {"column", c.name},
         {"method", "iqr"},
         {"threshold", kIqrThreshold},
         {"action", "cap"}},
        Count(outliers, "value", "values") + " of '" + c.name + "' " + (outliers == 1 ? "lies" : "lie") +
            " far outside the usual range (below " + Num(*c.q1 - kIqrThreshold * iqr) + " or above " +
            Num(*c.q3 + kIqrThreshold * iqr) +
            ", three interquartile ranges beyond the quartiles; the data spans " + Num(c.min.value_or(0)) +
            " to " + Num(c.max.value_or(0)) +
            "). Capping them to those limits keeps the rows; check first whether they are "
            "errors or real extremes." +
            (sentinels.empty() ? "" : " Some look like codes for a missing value (" + sentinels + ")."),
        outliers,
        Gain(baseline_,
             [&](QualityState& q) {
               // Values outside a plausible range count against validity in this estimate.
               q.cols[i].validity =
                   std::min(100.0, q.cols[i].validity + 100.0 * static_cast<double>(outliers) /
                                                            static_cast<double>(c.nonnull));
             }),
        /*safe=*/false);
  }
}

void Suggester::SuggestTemporal(std::size_t /*i*/) {
  // TODO(op): date sentinels.
}

int Suggester::TextType(const Col& c) const {
  const TextStats& t = c.text;
  const std::int64_t real = c.nonnull - t.placeholder_rows;
  if (real <= 0) return 0;
  const double dreal = static_cast<double>(real);
  const bool code_like =
      c.semantic == "postal_code" || c.semantic == "phone" || c.semantic == "id" || t.leading_zero_rows > 0;
  if (!code_like && static_cast<double>(t.plain_numbers + t.formatted_numbers) >= kTypedShare * dreal)
    return 1;
  if (static_cast<double>(t.date_rows) >= kTypedShare * dreal) return 2;
  if (t.bool_rows == real && t.bool_words > 0) return 3;
  return 0;
}

void Suggester::SuggestText(std::size_t i) {
  Col& c = cols_[i];
  const TextStats& t = c.text;
  const std::int64_t real = c.nonnull - t.placeholder_rows;
  if (t.whitespace_rows > 0) trim_columns_.push_back(i);
  const double dreal = static_cast<double>(std::max<std::int64_t>(1, real));
  const int type = TextType(c);
  bool converted = false;
  // Numbers stored as text (with currency, thousands separators, percent, units).
  const std::int64_t numeric = t.plain_numbers + t.formatted_numbers;
  if (type == 1) {
    const std::int64_t lost = real - numeric;
    const bool mixed_units = t.units.size() > 1 || t.currencies.size() > 1;
    std::string why = "'" + c.name + "' holds numbers stored as text";
    if (t.formatted_numbers > 0) {
      why += ", written with currency signs, thousands separators, percent or units (e.g. " +
             QuoteList(t.formatted_examples) + ")";
    }
    why += ".";
    if (t.units.size() > 0) {
      std::string u;
      for (const auto& x : t.units) u += (u.empty() ? "" : ", ") + Quote(x["unit"].get<std::string>());
      why += mixed_units && t.units.size() > 1
                 ? " Several units are mixed (" + u + "): convert them to one unit before parsing."
                 : " Unit: " + u + ".";
    }
    if (t.currencies.size() > 1) {
      std::string u;
      for (const auto& x : t.currencies)
        u += (u.empty() ? "" : ", ") + Quote(x["currency"].get<std::string>());
      why += " Several currencies are mixed (" + u + ").";
    }
    if (t.placeholder_rows > 0) {
      why += " " + Count(t.placeholder_rows, "placeholder", "placeholders") + " (" +
             QuoteList(t.placeholder_values) + ") become empty.";
    }
    if (lost > 0) {
      why += " " + Count(lost, "value is", "values are") + " not a number (e.g. " +
             QuoteList(t.other_examples) + ") and become empty.";
    }
    const bool safe = !mixed_units && static_cast<double>(lost) <= kSafeLossShare * dreal;
    Add({{"type", "parse_numbers"}, {"column", c.name}}, why, c.nonnull,
        Gain(baseline_,
             [&](QualityState& q) {
               q.cols[i].nonnull = static_cast<double>(numeric);
               q.cols[i].validity = 100;
               q.cols[i].consistency = 100;
             }),
        safe);
    converted = true;
  } else if (type == 2) {
    // Dates stored as text.
    const std::int64_t lost = real - t.date_rows;
    std::string families;
    for (const auto& [f, n] : t.date_family_rows) families += (families.empty() ? "" : ", ") + f;
    const bool mixed = t.date_family_rows.size() > 1;
    const bool ambiguous_order = t.day_first_rows > 0 && t.month_first_rows > 0;
    json op = {{"type", "standardize_dates"}, {"column", c.name}};
    // One format throughout (day/month order told by the values): name it.
    bool undecided = false;
    if (!mixed && !t.date_family_rows.empty()) {
      const std::string family = t.date_family_rows.begin()->first;
      for (const auto& f : DateFamilies()) {
        if (family != f.name || f.formats.empty()) continue;
        if (f.formats.size() == 1 || family == "day_month_name" || family == "month_name_day") {
          if (f.formats.size() == 1) op["input_format"] = f.formats[0];
        } else if (t.day_first_rows > 0 && t.month_first_rows == 0) {
          op["input_format"] = f.formats[0];
        } else if (t.month_first_rows > 0 && t.day_first_rows == 0) {
          op["input_format"] = f.formats[1];
        } else {
          undecided = t.day_first_rows == 0;
        }
      }
    }
    std::string why = "'" + c.name + "' holds dates stored as text";
    why += mixed ? " in " + std::to_string(t.date_family_rows.size()) + " different formats" : "";
    if (t.date_examples.size() > 0) why += " (e.g. " + QuoteList(t.date_examples) + ")";
    why += ".";
    if (ambiguous_order) why += " Both day-first and month-first dates occur: check the result.";
    if (undecided) why += " No value tells whether the day or the month comes first: check the result.";
    if (op.contains("input_format")) why += " Format: " + op["input_format"].get<std::string>() + ".";
    if (t.placeholder_rows > 0) {
      why += " " + Count(t.placeholder_rows, "placeholder", "placeholders") + " (" +
             QuoteList(t.placeholder_values) + ") become empty.";
    }
    if (lost > 0) {
      why += " " + Count(lost, "value is", "values are") + " not a date (e.g. " +
             QuoteList(t.other_examples) + ") and become empty.";
    }
    bool order_family = false;  // a/b/yyyy dates among other formats: the order is the compiler's guess
    for (const char* f : {"slash", "slash2", "dash"})
      order_family = order_family || t.date_family_rows.count(f);
    if (mixed && order_family) {
      why += t.month_first_rows > 0 && t.day_first_rows == 0   ? " The a/b/yyyy dates are month-first."
             : t.day_first_rows > 0 && t.month_first_rows == 0 ? " The a/b/yyyy dates are day-first."
                                                               : "";
    }
    const bool safe = !ambiguous_order && !undecided && !(mixed && order_family) &&
                      static_cast<double>(lost) <= kSafeLossShare * dreal;
    const std::int64_t dates = t.date_rows;
    Add(op, why, c.nonnull - t.iso_exact_rows,
        Gain(baseline_,
             [&](QualityState& q) {
               q.cols[i].nonnull = static_cast<double>(dates);
               q.cols[i].validity = 100;
               q.cols[i].consistency = 100;
             }),
        safe);
    converted = true;
  } else if (type == 3) {
    // Booleans as yes/no, y/n, true/false text.
    const std::int64_t bools = t.bool_rows;
    Add({{"type", "cast"}, {"column", c.name}, {"to", "boolean"}, {"on_error", "null"}},
        "'" + c.name + "' holds yes/no values as text." +
            (t.placeholder_rows > 0 ? " " + Count(t.placeholder_rows, "placeholder", "placeholders") + " (" +
                                          QuoteList(t.placeholder_values) + ") become empty."
                                    : ""),
        c.nonnull - t.bool_exact_rows,
        Gain(baseline_,
             [&](QualityState& q) {
               q.cols[i].nonnull = static_cast<double>(bools);
               q.cols[i].validity = 100;
               q.cols[i].consistency = 100;
             }),
        /*safe=*/true);
    converted = true;
  }
  if (!converted && t.placeholder_rows > 0 && real > 0) {
    // Placeholders in a text column: map each spelling to null (a missing value).
    json mapping = json::object();
    for (const auto& v : t.all_placeholders) mapping[v.get<std::string>()] = nullptr;
    const std::int64_t ph = t.placeholder_rows;
    Add({{"type", "normalize_categories"}, {"column", c.name}, {"mapping", mapping}},
        Count(ph, "value", "values") + " of '" + c.name + "' (" + QuoteList(t.placeholder_values) +
            ") are spellings of \"no value\"; mark them as missing so they are counted and filled as such.",
        ph,
        Gain(baseline_,
             [&](QualityState& q) {
               // Placeholders already count as missing here; a distinct pseudo-category goes away.
               q.cols[i].consistency =
                   std::min(100.0, q.cols[i].consistency +
                                       100.0 * static_cast<double>(ph) / static_cast<double>(c.nonnull));
             }),
        /*safe=*/true);
  }
  SuggestMissing(i, converted);
}

// ---- spelling clusters ----------------------------------------------------------------------

Status Suggester::FindClusters() {
  std::vector<std::size_t> eligible, small;
  for (std::size_t i : text_) {
    const Col& c = cols_[i];
    const std::int64_t real = c.nonnull - c.text.placeholder_rows;
    if (std::find(converted_.begin(), converted_.end(), i) != converted_.end()) continue;
    if (c.distinct < 2 || c.distinct > kMaxClusterDistinct || c.text.avg_length >= 60) continue;
    if (c.semantic == "email" || c.semantic == "url" || c.semantic == "phone" || c.semantic == "id") continue;
    if (c.distinct - (c.text.placeholder_values.empty() ? 0 : 1) >= real &&
        c.text.case_inconsistent_rows == 0 && c.distinct > kMaxEditDistinct) {
      continue;  // all values unique and no spelling variants: identifiers or free text
    }
    eligible.push_back(i);
    if (c.distinct <= kMaxEditDistinct && c.distinct < real) small.push_back(i);
  }
  if (eligible.empty()) return Status::Ok();
  std::string ids, small_ids;
  for (std::size_t i : eligible) ids += (ids.empty() ? "" : ", ") + std::to_string(i);
  for (std::size_t i : small) small_ids += (small_ids.empty() ? "" : ", ") + std::to_string(i);
  if (small_ids.empty()) small_ids = "-1";

  // Keys (OpenRefine's): k1 = lower-cased with whitespace collapsed (case/spacing variants);
  // k2 = fingerprint: lower-cased, accents and punctuation removed, unique words sorted;
  // k3 = 2-gram fingerprint: the sorted unique character pairs of k2 without spaces.
  const std::string s3 = R"(regexp_replace(strip_accents(lower(tv)), '[[:punct:][:space:]]', '', 'g'))";
  const std::string keys =
      "CREATE OR REPLACE TEMP TABLE dm_sg_k AS SELECT col, val, n, tv, k1, k2, "
      "CASE WHEN length(s3) < 2 THEN s3 ELSE array_to_string(list_sort(list_distinct(list_transform("
      "range(length(s3) - 1), lambda j: substr(s3, j + 1, 2)))), '') END AS k3, length(s3) AS l3, "
      "regexp_replace(k2, '[^0-9]', '', 'g') AS dg FROM (SELECT col, val, n, tv, "
      "regexp_replace(lower(tv), '\\s+', ' ', 'g') AS k1, "
      "array_to_string(list_sort(list_distinct(list_filter(string_split_regex(regexp_replace(strip_accents("
      "lower(tv)), '[[:punct:]]', '', 'g'), '\\s+'), lambda w: w <> ''))), ' ') AS k2, " +
      s3 + " AS s3 FROM dm_sg_dv WHERE col IN (" + ids + ") AND NOT ph)";
  DM_RETURN_IF_ERROR(conn_.Execute(keys));
  // Values in a fingerprint or 2-gram collision, and all values of small columns.
  DM_ASSIGN_OR_RETURN(
      QueryResult r,
      conn_.Query(
          "SELECT col, val, n, tv, k1, k2, k3, l3, dg FROM (SELECT *, count(*) OVER (PARTITION BY col, k2) "
          "AS c2, min(k2) OVER (PARTITION BY col, k3) AS mi3, max(k2) OVER (PARTITION BY col, k3) AS ma3 "
          "FROM dm_sg_k WHERE k2 <> '') WHERE c2 > 1 OR (mi3 <> ma3 AND l3 >= 4) OR col IN (" +
          small_ids + ") ORDER BY col, k2, n DESC, val"));
  // Edit-distance pairs of fingerprints in small columns, within a length-relative bound.
  DM_ASSIGN_OR_RETURN(
      QueryResult pairs,
      conn_.Query(
          "WITH f AS (SELECT col, k2 FROM dm_sg_k WHERE k2 <> '' AND col IN (" + small_ids +
          ") GROUP BY col, k2) SELECT a.col, a.k2, b.k2, damerau_levenshtein(a.k2, b.k2) AS d FROM f a "
          "JOIN f b ON a.col = b.col AND a.k2 < b.k2 AND abs(length(a.k2) - length(b.k2)) <= 2 "
          "WHERE least(length(a.k2), length(b.k2)) >= 5 AND damerau_levenshtein(a.k2, b.k2) <= "
          "greatest(1, least(length(a.k2), length(b.k2)) // 6) ORDER BY 1, 2, 3"));
  (void)conn_.Execute("DROP TABLE IF EXISTS dm_sg_k");

  std::map<std::size_t, std::vector<ClusterNode>> nodes;  // column -> nodes in k2 order
  for (std::int64_t row = 0; row < r.RowCount(); ++row) {
    auto& list = nodes[static_cast<std::size_t>(ToInt(r.Cell(row, 0)))];
    const std::string k2 = r.CellString(row, 5);
    if (list.empty() || list.back().k2 != k2) {
      ClusterNode node;
      node.k2 = k2;
      node.k3 = r.CellString(row, 6);
      node.len3 = ToInt(r.Cell(row, 7));
      node.digits = r.CellString(row, 8);
      list.push_back(std::move(node));
    }
    ClusterValue v;
    v.val = r.CellString(row, 1);
    v.n = ToInt(r.Cell(row, 2));
    v.tv = r.CellString(row, 3);
    v.k1 = r.CellString(row, 4);
    list.back().n += v.n;
    list.back().values.push_back(std::move(v));
  }
  std::map<std::size_t, std::vector<std::tuple<std::string, std::string, std::int64_t>>> edits;
  for (std::int64_t row = 0; row < pairs.RowCount(); ++row) {
    edits[static_cast<std::size_t>(ToInt(pairs.Cell(row, 0)))].emplace_back(
        pairs.CellString(row, 1), pairs.CellString(row, 2), ToInt(pairs.Cell(row, 3)));
  }

  for (auto& [i, list] : nodes) {
    std::map<std::string, std::size_t> index;
    for (std::size_t k = 0; k < list.size(); ++k) index[list[k].k2] = k;
    UnionFind uf(list.size());
    std::set<std::size_t> by_ngram, by_edit;
    // 2-gram fingerprint collisions.
    std::map<std::string, std::vector<std::size_t>> by_k3;
    for (std::size_t k = 0; k < list.size(); ++k) {
      if (list[k].len3 >= 4) by_k3[list[k].k3].push_back(k);
    }
    for (const auto& [k3, members] : by_k3) {
      for (std::size_t m = 1; m < members.size(); ++m) {
        const ClusterNode& a = list[members[0]];
        const ClusterNode& b = list[members[m]];
        if (a.digits != b.digits) continue;
        uf.Union(members[0], members[m]);
        by_ngram.insert(members[0]);
        by_ngram.insert(members[m]);
      }
    }
    // Edit distance: each rare fingerprint joins its most frequent close neighbour that has
    // at least twice its rows (a typo is rarer than the word it misspells).
    std::map<std::size_t, std::pair<std::size_t, std::int64_t>> best;  // node -> (neighbour, d)
    auto consider = [&](std::size_t from, std::size_t to, std::int64_t d) {
      if (list[from].n * 2 > list[to].n) return;
      auto it = best.find(from);
      if (it == best.end() || list[to].n > list[it->second.first].n ||
          (list[to].n == list[it->second.first].n && d < it->second.second)) {
        best[from] = {to, d};
      }
    };
    for (const auto& [ka, kb, d] : edits[i]) {
      auto ia = index.find(ka), ib = index.find(kb);
      if (ia == index.end() || ib == index.end()) continue;
      const ClusterNode& a = list[ia->second];
      const ClusterNode& b = list[ib->second];
      if (!PlausibleTypo(a.k2, b.k2, a.digits, b.digits)) continue;
      consider(ia->second, ib->second, d);
      consider(ib->second, ia->second, d);
    }
    for (const auto& [from, to] : best) {
      uf.Union(from, to.first);
      by_edit.insert(from);
      by_edit.insert(to.first);
    }

    // Case/spacing groups (k1) and fuzzy components (several k1 in one component).
    std::vector<Merge> case_merges, fuzzy_merges;
    std::map<std::string, std::vector<const ClusterValue*>> by_k1;
    std::map<std::size_t, std::vector<std::size_t>> components;
    for (std::size_t k = 0; k < list.size(); ++k) {
      components[uf.Find(k)].push_back(k);
      for (const ClusterValue& v : list[k].values) by_k1[v.k1].push_back(&v);
    }
    for (const auto& [k1, values] : by_k1) {
      std::set<std::string> tvs;
      for (const ClusterValue* v : values) tvs.insert(v->tv);
      if (tvs.size() > 1) case_merges.push_back(MakeMerge(values, "case or spacing"));
    }
    for (const auto& [root, members] : components) {
      std::vector<const ClusterValue*> values;
      std::set<std::string> k1s;
      bool ngram = false, edit = false;
      for (std::size_t k : members) {
        ngram = ngram || by_ngram.count(k);
        edit = edit || by_edit.count(k);
        for (const ClusterValue& v : list[k].values) {
          values.push_back(&v);
          k1s.insert(v.k1);
        }
      }
      if (k1s.size() < 2) continue;
      std::string method = edit    ? "similar spelling"
                           : ngram ? "same letters, different spacing"
                                   : "punctuation, accents or word order";
      fuzzy_merges.push_back(MakeMerge(values, method));
    }

    auto rows = [](std::vector<Merge>& merges) {
      std::stable_sort(merges.begin(), merges.end(),
                       [](const Merge& a, const Merge& b) { return a.rows > b.rows; });
      std::int64_t n = 0;
      for (const Merge& m : merges) n += m.rows;
      return n;
    };
    ColumnMerges& cm = merges_[i];
    cm.case_rows = rows(case_merges);
    cm.fuzzy_rows = rows(fuzzy_merges);
    cm.by_case = std::move(case_merges);
    cm.fuzzy = std::move(fuzzy_merges);
  }
  return Status::Ok();
}

void Suggester::SuggestClusters() {
  for (auto& [i, cm] : merges_) {
    const Col& c = cols_[i];
    auto emit = [&](std::vector<Merge>& merges, bool fuzzy) {
      if (merges.empty()) return;
      std::stable_sort(merges.begin(), merges.end(),
                       [](const Merge& a, const Merge& b) { return a.rows > b.rows; });
      json mapping = json::object();
      std::int64_t affected = 0;
      std::size_t clusters = 0;
      std::vector<std::string> examples;
      std::set<std::string> methods;
      for (const Merge& m : merges) {
        if (mapping.size() + m.variants.size() + m.extra_keys.size() > kMaxMappingEntries) break;
        ++clusters;
        methods.insert(m.method);
        for (const auto& [v, n] : m.variants) {
          mapping[v] = m.canonical;
          affected += n;
          if (examples.size() < 4) examples.push_back(Quote(v) + " → " + Quote(m.canonical));
        }
        for (const auto& v : m.extra_keys) mapping[v] = m.canonical;
      }
      if (affected == 0) return;
      std::string ex;
      for (const auto& e : examples) ex += (ex.empty() ? "" : ", ") + e;
      std::string how;
      for (const auto& m : methods) how += (how.empty() ? "" : "; ") + m;
      std::string why = "'" + c.name + "' spells " +
                        Count(static_cast<std::int64_t>(clusters), "value", "values") + " in several ways (" +
                        how + "): " + ex + ". Each group is mapped to its most frequent spelling.";
      if (fuzzy) why += " These are near matches: review the groups before applying.";
      const double nonnull = static_cast<double>(std::max<std::int64_t>(1, c.nonnull));
      const std::size_t col = i;
      Add({{"type", "normalize_categories"}, {"column", c.name}, {"mapping", mapping}}, why, affected,
          Gain(baseline_,
               [&](QualityState& q) {
                 q.cols[col].consistency = std::min(
                     100.0, q.cols[col].consistency + 100.0 * static_cast<double>(affected) / nonnull);
               }),
          /*safe=*/!fuzzy);
    };
    emit(cm.by_case, false);
    emit(cm.fuzzy, true);
  }
}

Result<std::vector<Suggestion>> Suggester::Run() {
  const auto t0 = std::chrono::steady_clock::now();
  const bool trace = std::getenv("DM_SUGGEST_TRACE") != nullptr;
  auto Trace = [&](const char* step) {
    if (trace) {
      std::fprintf(stderr, "suggest: %s done at %.2f s\n", step,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
  };
  DM_RETURN_IF_ERROR(Describe());
  Trace("Describe()");
  DM_RETURN_IF_ERROR(ReadProfile());
  Trace("ReadProfile()");
  DM_RETURN_IF_ERROR(AggregatePass());
  Trace("AggregatePass()");
  DM_RETURN_IF_ERROR(DistinctValues());
  Trace("DistinctValues()");
  for (std::size_t i : text_) {
    if (cols_[i].text.whitespace_rows > 0) trim_columns_.push_back(i);
  }
  DM_RETURN_IF_ERROR(RowPass());
  Trace("RowPass()");
  if (duplicates_ < 0 && !cols_.empty() && rows_ > 0) {
    DM_ASSIGN_OR_RETURN(QueryResult r,
                        conn_.Query("SELECT count(*) FROM (SELECT DISTINCT *" + From(path_) + ")"));
    duplicates_ = rows_ - ToInt(r.Cell(0, 0));
  }
  for (std::size_t i : text_) {
    if (TextType(cols_[i]) != 0) converted_.push_back(i);
  }
  DM_RETURN_IF_ERROR(FindClusters());
  Trace("FindClusters()");
  BuildBaseline();
  trim_columns_.clear();
  for (std::size_t i = 0; i < cols_.size(); ++i) SuggestColumn(i);
  SuggestTable();
  SuggestClusters();
  (void)conn_.Execute("DROP TABLE IF EXISTS dm_sg_dv");
  std::stable_sort(out_.begin(), out_.end(), [](const Suggestion& a, const Suggestion& b) {
    if (a.expected_quality_gain != b.expected_quality_gain)
      return a.expected_quality_gain > b.expected_quality_gain;
    if (a.affected_rows != b.affected_rows) return a.affected_rows > b.affected_rows;
    return a.id < b.id;
  });
  return std::move(out_);
}

}  // namespace

Result<std::vector<Suggestion>> Suggest(Engine& engine, const std::string& parquet_path,
                                        const json& profile) {
  DM_ASSIGN_OR_RETURN(Connection conn, engine.Connect());
  Suggester s(conn, parquet_path, profile);
  return s.Run();
}

json ToJson(const Suggestion& s) {
  return {{"id", s.id},
          {"operation", s.operation},
          {"rationale", s.rationale},
          {"affected_rows", s.affected_rows},
          {"expected_quality_gain", s.expected_quality_gain},
          {"safe", s.safe}};
}

}  // namespace dm::engine::clean
