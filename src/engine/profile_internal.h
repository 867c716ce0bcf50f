#pragma once
/// Private to the profiler (profiler.cpp and profile_*.cpp): the per-column working state and
/// the helpers the passes share. Not part of the engine's public API.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "engine/duckdb.h"
#include "engine/profiler.h"

namespace dm::engine::profile {

using nlohmann::json;

enum class Kind { kNumeric, kTemporal, kBoolean, kText };

/// Number spellings told apart in text columns (pass 2). kPlainSmall has at most three integer
/// digits, so it fits every grouping style; kPlainBig has four or more and no separator.
enum class NumberClass { kPlainSmall, kPlainBig, kThousands, kDecimalComma, kCurrency, kPercent, kUnit };
inline constexpr std::size_t kNumberClasses = 7;
inline constexpr std::size_t kBooleanFamilies = 4;

/// What pass 2 counts for a text column (every count is a number of non-null cells) and the
/// type inference decided from it (InferTextType).
struct TextInference {
  std::int64_t placeholders = 0;
  json placeholder_values = json::object();  // spelling -> cells
  std::int64_t whitespace = 0;               // cells with leading or trailing spaces
  std::array<std::int64_t, kNumberClasses> numbers{};
  std::int64_t fractional = 0;                                   // numeric cells with a fractional part
  std::vector<std::pair<std::string, std::int64_t>> currencies;  // symbol -> cells, most first
  std::vector<std::pair<std::string, std::int64_t>> units;       // unit -> cells, most first
  std::vector<std::int64_t> date_fits;                           // per kDateFormats entry
  std::vector<std::int64_t> date_unions;                         // per ambiguous shape: fits either order
  std::int64_t with_time = 0, with_seconds = 0, with_t = 0;
  std::array<std::int64_t, kBooleanFamilies> booleans{};
  std::int64_t zero_codes = 0;  // digit strings with a leading zero ("007", "02134")

  // Decision.
  std::string type = "string";
  std::string format;  // "" = none
  std::string unit;    // currency symbol or unit, when the format has one
  double share = 0;
  double confidence = 0;
  bool ambiguous = false;
  std::int64_t fit = 0;        // non-placeholder cells that parse as `type`
  std::int64_t in_format = 0;  // of those, cells written in `format`
  std::int64_t number_fit = 0, date_fit = 0, boolean_fit = 0;
};

struct Column {
  std::string name;
  std::string duckdb_type;
  std::string api_type;
  Kind kind = Kind::kText;
  bool is_integer = false;
  bool is_float = false;
  std::map<std::string, std::size_t> field;  // pass-1 item -> result column

  std::int64_t count = 0;   // non-null
  std::int64_t finite = 0;  // numeric: non-null and finite (the values the statistics use)
  std::int64_t distinct = 0;
  std::int64_t inconsistent = 0;  // spelling variants (case, whitespace, accents)
  std::int64_t max_freq = 0;
  json min, max, mean, std, quantiles;
  std::optional<double> dmin, dmax, skew;  // numeric value range (or epoch seconds)
  std::optional<double> q1, median, q3;    // numeric quartiles
  std::int64_t zeros = 0;
  double avg_len = 0, max_len = 0;
  std::map<std::string, std::int64_t> matches;  // validator -> matching values
  json histogram;
  json top = json::array();
  std::string semantic;
  double validity = 100;
  bool validator_semantic = false;  // semantic_type came from a string validator
  TextInference infer;

  // Robust statistics (numeric columns, passes 6 and 7).
  std::optional<std::int64_t> iqr_outliers;
  std::optional<double> mad;
  std::optional<std::int64_t> mad_outliers;
  json suspicious_value;  // a placeholder-like extreme (9999, 1900-01-01), null if none
  std::int64_t suspicious_count = 0;

  /// The temporary table that holds this column's values grouped (pass 2), from which pass 3
  /// computes its statistics; "" when pass 3 reads the column itself. Wide tables: (col, v, n)
  /// rows of many columns; narrow tables (values_by_column): (v, n) rows of this column only.
  std::string values_table;
  bool values_by_column = false;
};

/// The date formats type inference recognises, in tie-break order. Formats sharing `shape`
/// differ only in day/month order; the day-first one comes first.
struct DateFormat {
  const char* strptime;
  int shape;
};
extern const std::vector<DateFormat> kDateFormats;
/// Shapes that have a day-first and a month-first format.
std::vector<int> AmbiguousShapes();

// ---- shared helpers (profiler.cpp) ----------------------------------------------------
std::optional<double> ToDouble(const json& v);
std::int64_t ToInt(const json& v);
json FiniteOrNull(const json& v);
std::string DoubleLiteral(double d);
std::string Lower(std::string s);
bool NameHas(const std::string& name, std::initializer_list<const char*> hints);
bool NameToken(const std::string& name, std::initializer_list<const char*> tokens);
std::string Ident(const Column& c);
/// An identifier by name: "id", "order_id", "CustomerID", "uuid", "key".
bool IdNamed(const std::string& name);
std::string NumericValue(const Column& c);
/// " FROM <source>": `source` is the relation being profiled, as SQL (a read_parquet(...)
/// call or a quoted table name; see ProfileParquet and ProfileTable).
std::string From(const std::string& source);
std::string IsoFromEpoch(double seconds);
void CivilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d);

// ---- type inference of text columns (profile_infer.cpp) --------------------------------
/// Extra per-distinct-value columns for pass 2. `source` is a relation with `val`, `n`, `txt`
/// (true for text columns) and `tv` (trim(val) for text columns); the result adds `ph`
/// (placeholder), `nc` (number class), `frac`, `tag` (currency symbol or unit), `dp`/`tp`
/// (date and time parts), `ds` (date shape) and `bf` (boolean family).
std::string InferenceRelation(const std::string& source);
/// The aggregates over that relation (comma-led list), read back by ReadInference.
std::string InferenceAggregates();
/// Reads InferenceAggregates' cells starting at `col`.
void ReadInference(TextInference& t, const QueryResult& r, std::int64_t row, std::size_t col);
/// Currency symbols and units with their cell counts, for the text columns `which` (only
/// those that have any: one more query over just those columns).
Status ReadTags(Connection& conn, const std::string& source, std::vector<Column>& cols,
                const std::vector<std::size_t>& which);
/// Decides type, format, share and confidence for a text column with `count` non-null cells.
void InferTextType(TextInference& t, std::int64_t count);
/// Cells of an inferred column written in another format than the chosen one.
std::int64_t FormatOutliers(const TextInference& t);
/// The column's "inferred" JSON.
json InferenceJson(const TextInference& t);

// ---- dataset-level statistics (profile_dataset.cpp) ------------------------------------
/// Cramér's V between low-cardinality columns and the functional dependencies between
/// categorical columns, chained into hierarchies: one query.
Status AssociationsAndHierarchies(Connection& conn, const std::string& source,
                                  const std::vector<Column>& cols, const ProfileOptions& options,
                                  json& associations, json& hierarchies);
/// Trend and seasonality per date column and measure: one small query per date column.
Status TimeSeries(Connection& conn, const std::string& source, const std::vector<Column>& cols,
                  const ProfileOptions& options, json& out);

/// Linear trend and seasonality of a regular series (exposed for unit tests of the maths).
json TrendOf(const std::vector<double>& y);
json SeasonalityOf(const std::vector<double>& y, const std::vector<int>& periods);

}  // namespace dm::engine::profile
