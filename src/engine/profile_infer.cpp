/// Type inference for text columns: numbers written with thousands separators, decimal commas,
/// currency symbols, percent signs or units; booleans spelled yes/no, Y/N, true/false, T/F;
/// dates and timestamps in common formats (day-first told from month-first by the values);
/// missing values spelled "NA", "N/A", "null", "-", "?", "none" and the like.
///
/// Everything is decided from pass 2's GROUP BY over distinct values: each distinct value is
/// classified once by regular expressions (weighted by its count), so a column of a million
/// rows with 50 distinct spellings costs 50 classifications. See docs/quality.md for the
/// definitions of share and confidence.

#include <algorithm>
#include <string>

#include "engine/profile_internal.h"
#include "engine/sql.h"

namespace dm::engine::profile {
namespace {

/// Lower-cased, trimmed spellings of a missing value.
const char* const kPlaceholders[] = {"",  "na", "n/a", "n.a.", "null",   "none",    "nil",    "nan",
                                     "-", "--", "?",   "#n/a", "(null)", "missing", "(blank)"};

// Number parts (RE2). Plain numbers never start with a zero followed by a digit: "007" and
// "02134" are codes, not numbers.
constexpr const char* kPlain = R"((?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+)";
constexpr const char* kThousands = R"([1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?)";
constexpr const char* kDecimalComma = R"((?:0|[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]*),[0-9]+)";
constexpr const char* kCurrencySymbols =
    R"(US\$|R\$|A\$|C\$|[$€£¥₹]|USD|EUR|GBP|JPY|CHF|CAD|AUD|INR|CNY|SEK|NOK|DKK)";
constexpr const char* kUnits =
    R"((?i:kg|g|mg|lbs?|oz|km|m|cm|mm|mi|ft|in|yd|l|ml|cl|gal|ms|s|sec|secs|min|mins|h|hrs?|days?|wks?|weeks?|months?|yrs?|years?|kb|mb|gb|tb|bytes?|kw|kwh|wh|w|mah|v|hz|khz|mhz|ghz|mph|km/h|kph|m/s|°c|°f|m2|m²|km2|km²|sq ?ft|ha|px|pt|rpm|psi|kpa|hpa|kcal|cal|ppm))";

std::string AnyNumber() {
  return std::string("(?:") + kThousands + "|" + kDecimalComma + "|" + kPlain + ")";
}
std::string CurrencyRe() {
  const std::string n = AnyNumber(), s = std::string("(?:") + kCurrencySymbols + ")";
  return R"(\(?[-+]?)" + s + " ?[-+]?" + n + R"(\)?|[-+]?)" + n + " ?" + s;
}
std::string PercentRe() {
  return "[-+]?" + AnyNumber() + " ?%";
}
std::string UnitRe() {
  return "[-+]?" + AnyNumber() + " ?(" + kUnits + ")";
}

struct Shape {
  const char* regex;  // on the date part
};
const Shape kShapes[] = {
    {"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"},       // 0
    {"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}"},       // 1
    {R"([0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2})"},  // 2
    {"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}"},       // 3 ambiguous
    {R"([0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4})"},  // 4 ambiguous
    {"[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}"},       // 5 ambiguous
    {"[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}"},       // 6 ambiguous
    {"[0-9]{1,2} [A-Za-z]{3} [0-9]{4}"},      // 7
    {"[0-9]{1,2} [A-Za-z]{4,9} [0-9]{4}"},    // 8
    {"[0-9]{1,2}-[A-Za-z]{3}-[0-9]{4}"},      // 9
    {"[0-9]{1,2}-[A-Za-z]{3}-[0-9]{2}"},      // 10
    {"[A-Za-z]{3} [0-9]{1,2}, [0-9]{4}"},     // 11
    {"[A-Za-z]{4,9} [0-9]{1,2}, [0-9]{4}"},   // 12
};
constexpr const char* kTimePart =
    R"((?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?: ?[AaPp][Mm])?(?: ?(?:Z|UTC|[-+][0-9]{2}:?[0-9]{2}))?))";

std::string DateRe() {
  std::string shapes;
  for (const auto& s : kShapes) shapes += (shapes.empty() ? "" : "|") + std::string(s.regex);
  return "^(" + shapes + ")(" + kTimePart + ")?$";
}

const char* const kNumberClassNames[kNumberClasses] = {
    "plain_small", "plain_big", "thousands", "decimal_comma", "currency", "percent", "unit"};
const char* const kBooleanFormats[kBooleanFamilies] = {"yes/no", "Y/N", "true/false", "T/F"};

std::int64_t Get(const QueryResult& r, std::int64_t row, std::size_t col) {
  return ToInt(r.Cell(row, col));
}

}  // namespace

const std::vector<DateFormat> kDateFormats = {
    {"%Y-%m-%d", 0}, {"%Y/%m/%d", 1}, {"%Y.%m.%d", 2},  {"%d/%m/%Y", 3},   {"%m/%d/%Y", 3},   {"%d.%m.%Y", 4},
    {"%m.%d.%Y", 4}, {"%d-%m-%Y", 5}, {"%m-%d-%Y", 5},  {"%d/%m/%y", 6},   {"%m/%d/%y", 6},   {"%d %b %Y", 7},
    {"%d %B %Y", 8}, {"%d-%b-%Y", 9}, {"%d-%b-%y", 10}, {"%b %d, %Y", 11}, {"%B %d, %Y", 12},
};

std::vector<int> AmbiguousShapes() {
  return {3, 4, 5, 6};
}

std::string InferenceRelation(const std::string& source) {
  std::string placeholders;
  for (const char* p : kPlaceholders) placeholders += (placeholders.empty() ? "" : ", ") + QuoteLiteral(p);
  const std::string number_gate = CurrencyRe() + "|" + PercentRe() + "|" + UnitRe() + "|[-+]?" + AnyNumber();
  auto full = [](const std::string& expr, const std::string& re) {
    return "regexp_full_match(" + expr + ", " + QuoteLiteral(re) + ")";
  };
  // Level 1: placeholder flag and number class.
  const std::string level1 = "SELECT *, CASE WHEN NOT txt OR ph OR length(tv) > 40 THEN NULL WHEN " +
                             full("tv", number_gate) + " THEN CASE WHEN " + full("tv", CurrencyRe()) +
                             " THEN 'currency' WHEN " + full("tv", PercentRe()) + " THEN 'percent' WHEN " +
                             full("tv", UnitRe()) + " THEN 'unit' WHEN " +
                             full("tv", std::string("[-+]?") + kThousands) + " THEN 'thousands' WHEN " +
                             full("tv", std::string("[-+]?") + kDecimalComma) +
                             " THEN 'decimal_comma' WHEN regexp_matches(tv, '^[-+]?[0-9]{4}') THEN "
                             "'plain_big' ELSE 'plain_small' END "
                             "END AS nc FROM (SELECT *, coalesce(txt AND lower(tv) IN (" +
                             placeholders + "), false) AS ph FROM (" + source + "))";
  std::string shape_case = "CASE";
  for (std::size_t k = 0; k < std::size(kShapes); ++k) {
    shape_case += " WHEN " + full("dp", kShapes[k].regex) + " THEN " + std::to_string(k);
  }
  shape_case += " END";
  const std::string date_re = QuoteLiteral(DateRe());
  // Level 2: date part, boolean family, fraction flag, currency/unit tag. A value without a
  // date part gets NULL, not regexp_extract's '': the aggregates try every date format on dp,
  // and try_strptime of '' fails slowly (it builds an error message each time; that was 80%
  // of the text pass on the 1,000-column bench file).
  const std::string level2 =
      "SELECT *, CASE WHEN txt AND NOT ph AND nc IS NULL AND length(tv) <= 40 THEN "
      "nullif(regexp_extract(tv, " +
      date_re +
      ", 1), '') END AS dp, "
      "CASE WHEN txt AND NOT ph THEN CASE lower(tv) WHEN 'yes' THEN 0 WHEN 'no' THEN 0 WHEN 'y' THEN 1 "
      "WHEN 'n' THEN 1 WHEN 'true' THEN 2 WHEN 'false' THEN 2 WHEN 't' THEN 3 WHEN 'f' THEN 3 END END AS bf, "
      "CASE WHEN nc IS NOT NULL THEN strpos(tv, '.') > 0 OR regexp_matches(tv, ',[0-9]{1,2}(?:[^0-9]|$)') OR "
      "(nc LIKE 'plain%' AND regexp_matches(tv, '[eE]')) END AS frac, "
      "CASE nc WHEN 'currency' THEN upper(regexp_extract(tv, " +
      QuoteLiteral(std::string("(") + kCurrencySymbols + ")") +
      ", 1)) WHEN 'unit' THEN lower(regexp_extract(tv, " + QuoteLiteral(std::string("(") + kUnits + ")$") +
      ", 1)) END AS tag FROM (" + level1 + ")";
  // Level 3: date shape and time part, only for values with a date part.
  return "SELECT *, CASE WHEN dp <> '' THEN " + shape_case +
         " END AS ds, CASE WHEN dp <> '' THEN regexp_extract(tv, " + date_re + ", 2) END AS tp FROM (" +
         level2 + ")";
}

std::string InferenceAggregates() {
  auto sum = [](const std::string& where) { return ", coalesce(sum(n) FILTER (WHERE " + where + "), 0)"; };
  std::string sql = sum("ph");
  sql += ", list({'value': val, 'count': n} ORDER BY n DESC, val) FILTER (WHERE ph)";
  sql += sum("txt AND val <> tv");
  for (const char* c : kNumberClassNames) sql += sum("nc = " + QuoteLiteral(c));
  sql += sum("frac");
  // CASE, not AND: in a projection DuckDB evaluates both sides of an AND for every row, and
  // a failing try_strptime is slow; a CASE evaluates its THEN only where its WHEN holds.
  for (const auto& f : kDateFormats) {
    sql += sum("CASE WHEN ds = " + std::to_string(f.shape) + " THEN try_strptime(dp, " +
               QuoteLiteral(f.strptime) + ") IS NOT NULL END");
  }
  for (int shape : AmbiguousShapes()) {
    std::string either;
    for (const auto& f : kDateFormats) {
      if (f.shape != shape) continue;
      either +=
          (either.empty() ? "" : " OR ") + ("try_strptime(dp, " + QuoteLiteral(f.strptime) + ") IS NOT NULL");
    }
    sql += sum("CASE WHEN ds = " + std::to_string(shape) + " THEN " + either + " END");
  }
  sql += sum("ds IS NOT NULL AND tp <> ''");
  sql += sum("ds IS NOT NULL AND tp LIKE '%:%:%'");
  sql += sum("ds IS NOT NULL AND tp LIKE 'T%'");
  for (std::size_t b = 0; b < kBooleanFamilies; ++b) sql += sum("bf = " + std::to_string(b));
  sql += sum("txt AND NOT ph AND regexp_full_match(tv, '0[0-9]+')");
  return sql;
}

void ReadInference(TextInference& t, const QueryResult& r, std::int64_t row, std::size_t col) {
  t.placeholders = Get(r, row, col++);
  const json list = r.Cell(row, col++);
  if (list.is_array()) {
    for (const auto& p : list) {
      const std::string v = p.value("value", std::string());
      t.placeholder_values[v] = ToInt(p["count"]);
    }
  }
  t.whitespace = Get(r, row, col++);
  for (auto& n : t.numbers) n = Get(r, row, col++);
  t.fractional = Get(r, row, col++);
  t.date_fits.clear();
  for (std::size_t k = 0; k < kDateFormats.size(); ++k) t.date_fits.push_back(Get(r, row, col++));
  t.date_unions.clear();
  for (std::size_t k = 0; k < AmbiguousShapes().size(); ++k) t.date_unions.push_back(Get(r, row, col++));
  t.with_time = Get(r, row, col++);
  t.with_seconds = Get(r, row, col++);
  t.with_t = Get(r, row, col++);
  for (auto& b : t.booleans) b = Get(r, row, col++);
  t.zero_codes = Get(r, row, col++);
}

Status ReadTags(Connection& conn, const std::string& source, std::vector<Column>& cols,
                const std::vector<std::size_t>& which) {
  if (which.empty()) return Status::Ok();
  std::string inner = "SELECT ";
  for (std::size_t k = 0; k < which.size(); ++k) {
    inner += (k ? ", " : "") +
             ("CAST(" + Ident(cols[which[k]]) + " AS VARCHAR) AS " + QuoteIdent(std::to_string(k)));
  }
  inner += From(source);
  const std::string sql =
      "WITH g AS (SELECT col, val, count(*) AS n FROM (UNPIVOT (" + inner +
      ") ON COLUMNS(*) INTO NAME col VALUE val) GROUP BY col, val) "
      "SELECT col, nc, tag, sum(n) AS tn FROM (" +
      InferenceRelation("SELECT col, val, n, true AS txt, trim(val) AS tv FROM g") +
      ") WHERE tag IS NOT NULL AND tag <> '' GROUP BY col, nc, tag ORDER BY col, tn DESC, tag";
  DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql));
  for (std::int64_t row = 0; row < r.RowCount(); ++row) {
    const std::size_t k = static_cast<std::size_t>(std::stoull(r.CellString(row, 0)));
    if (k >= which.size()) continue;
    TextInference& t = cols[which[k]].infer;
    auto& target = r.CellString(row, 1) == "currency" ? t.currencies : t.units;
    target.emplace_back(r.CellString(row, 2), ToInt(r.Cell(row, 3)));
  }
  return Status::Ok();
}

void InferTextType(TextInference& t, std::int64_t count) {
  const std::int64_t effective = count - t.placeholders;
  // Digit strings with a leading zero ("02134") make the column a column of codes: its plain
  // digit strings are codes too, not numbers.
  if (t.zero_codes > 0) {
    t.numbers[static_cast<std::size_t>(NumberClass::kPlainSmall)] = 0;
    t.numbers[static_cast<std::size_t>(NumberClass::kPlainBig)] = 0;
  }
  const auto& num = t.numbers;
  auto at = [&](NumberClass c) { return num[static_cast<std::size_t>(c)]; };
  t.number_fit = 0;
  for (auto n : num) t.number_fit += n;
  t.boolean_fit = 0;
  for (auto b : t.booleans) t.boolean_fit += b;
  t.date_fit = 0;
  const std::vector<int> ambiguous = AmbiguousShapes();
  for (std::size_t k = 0; k < kDateFormats.size(); ++k) {
    if (std::find(ambiguous.begin(), ambiguous.end(), kDateFormats[k].shape) == ambiguous.end())
      t.date_fit += t.date_fits[k];
  }
  for (auto u : t.date_unions) t.date_fit += u;

  t.type = "string";
  t.format.clear();
  t.unit.clear();
  t.ambiguous = false;
  if (effective <= 0) {
    t.share = t.confidence = 0;
    t.fit = t.in_format = 0;
    return;
  }
  const double e = static_cast<double>(effective);
  // Ties prefer number, then date, then boolean.
  std::int64_t best = t.number_fit;
  if (t.date_fit > best) best = t.date_fit;
  if (t.boolean_fit > best) best = t.boolean_fit;
  if (static_cast<double>(best) < 0.9 * e || best == 0) {
    t.fit = effective - std::min(effective, t.number_fit + t.date_fit + t.boolean_fit);
    t.in_format = t.fit;
    t.share = t.confidence = static_cast<double>(t.fit) / e;
    return;
  }
  t.fit = best;
  if (best == t.number_fit) {
    t.type = t.fractional > 0 ? "float" : "integer";
    const std::int64_t small = at(NumberClass::kPlainSmall);
    const std::int64_t top_currency = t.currencies.empty() ? 0 : t.currencies.front().second;
    const std::int64_t top_unit = t.units.empty() ? 0 : t.units.front().second;
    // Candidate formats with the cells each accounts for; the first largest wins.
    const std::pair<std::string, std::int64_t> groups[] = {
        {"plain", small + at(NumberClass::kPlainBig)},
        {"thousands", small + at(NumberClass::kThousands)},
        {"decimal_comma", small + at(NumberClass::kDecimalComma)},
        {"currency", top_currency},
        {"percent", at(NumberClass::kPercent)},
        {"unit", top_unit},
    };
    std::size_t pick = 0;
    for (std::size_t g = 1; g < std::size(groups); ++g) {
      if (groups[g].second > groups[pick].second) pick = g;
    }
    t.format = groups[pick].first;
    t.in_format = groups[pick].second;
    if (t.format == "currency") t.unit = t.currencies.front().first;
    if (t.format == "unit") {
      t.unit = t.units.front().first;
      t.format = "unit:" + t.unit;
    }
  } else if (best == t.date_fit) {
    std::size_t pick = 0;
    for (std::size_t k = 1; k < kDateFormats.size(); ++k) {
      if (t.date_fits[k] > t.date_fits[pick]) pick = k;
    }
    t.in_format = t.date_fits[pick];
    // Undecided day/month order: the other order of the same shape fits exactly as many cells.
    for (std::size_t k = 0; k < kDateFormats.size(); ++k) {
      if (k != pick && kDateFormats[k].shape == kDateFormats[pick].shape &&
          t.date_fits[k] == t.date_fits[pick])
        t.ambiguous = true;
    }
    t.format = kDateFormats[pick].strptime;
    if (t.with_time > 0) {
      t.type = "timestamp";
      t.format += 2 * t.with_t > t.with_time ? "T%H:%M" : " %H:%M";
      if (2 * t.with_seconds > t.with_time) t.format += ":%S";
    } else {
      t.type = "date";
    }
  } else {
    t.type = "boolean";
    std::size_t pick = 0;
    for (std::size_t b = 1; b < kBooleanFamilies; ++b) {
      if (t.booleans[b] > t.booleans[pick]) pick = b;
    }
    t.format = kBooleanFormats[pick];
    t.in_format = t.booleans[pick];
  }
  t.share = static_cast<double>(t.fit) / e;
  t.confidence = t.share * static_cast<double>(t.in_format) / static_cast<double>(t.fit);
  if (t.ambiguous) t.confidence *= 0.5;
}

std::int64_t FormatOutliers(const TextInference& t) {
  if (t.type == "string") return 0;
  return t.fit - t.in_format;
}

json InferenceJson(const TextInference& t) {
  json out = {
      {"type", t.type},
      {"format", t.format.empty() ? json(nullptr) : json(t.format)},
      {"confidence", t.confidence},
      {"share", t.share},
      {"placeholders", t.placeholder_values},
      {"fits", {{"number", t.number_fit}, {"date", t.date_fit}, {"boolean", t.boolean_fit}}},
  };
  if (!t.unit.empty()) out["unit"] = t.unit;
  if (t.ambiguous) out["ambiguous"] = true;
  return out;
}

}  // namespace dm::engine::profile
