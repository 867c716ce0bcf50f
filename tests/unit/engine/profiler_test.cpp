// ProfileParquet: data-driven checks against tests/data/profile/<name>.csv + <name>.expected.json,
// the fixed JSON shape, and a 1,000-column performance check.
//
// An expected file may hold (every part optional):
//   "read_options": extra read_csv arguments, e.g. "all_varchar=true";
//   "row_count", "column_count", "duplicate_row_count", "duplicate_key_count": exact;
//   "quality": {dimension: value} for the table;
//   "columns": {name: {field: value}}, where a field may be a dotted path ("inferred.format",
//     "outliers.iqr", "quality.validity"; "consistency" alone means quality.consistency);
//   "alerts" / "absent_alerts": [{kind, column?, count?}];
//   "associations": [{"a", "b", "v"}]: Cramér's V between two columns;
//   "hierarchies": [[levels coarse to fine]] that must be found;
//   "time_series": [{"column", "measure", dotted fields...}].
// Numbers compare to a relative 1e-9, so figures checked by hand are checked to the decimal.

#include "engine/profiler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <string>

#include "engine/duckdb.h"
#include "engine/sql.h"
#include "test_util.h"

namespace dm::engine {
namespace {

using nlohmann::json;
using testing::ReadFile;
using testing::SourcePath;
using testing::TempDir;

Engine& SharedEngine() {
  static Engine engine(EngineOptions{"", "1GB", 2});
  return engine;
}

void RunSql(const std::string& sql) {
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok()) << conn.status().message();
  const Status s = conn->Execute(sql);
  ASSERT_TRUE(s.ok()) << s.message();
}

void CsvToParquet(const std::string& csv, const std::string& parquet, const std::string& options = "") {
  RunSql("COPY (SELECT * FROM read_csv(" + QuoteLiteral(csv) + (options.empty() ? "" : ", " + options) +
         ")) TO " + QuoteLiteral(parquet) + " (FORMAT parquet)");
}

/// The value at a dotted path ("inferred.format"), or null when a step is missing.
json AtPath(const json& object, const std::string& path) {
  const json* at = &object;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::string step = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!at->is_object() || !at->contains(step)) return nullptr;
    at = &(*at)[step];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return *at;
}

const json* FindColumn(const json& profile, const std::string& name) {
  for (const auto& c : profile["columns"]) {
    if (c["name"] == name) return &c;
  }
  return nullptr;
}

bool HasAlert(const json& profile, const json& want) {
  for (const auto& a : profile["alerts"]) {
    if (a["kind"] != want["kind"]) continue;
    if (want.contains("column") && (!a.contains("column") || a["column"] != want["column"])) continue;
    if (want.contains("count") && (!a.contains("count") || a["count"] != want["count"])) continue;
    return true;
  }
  return false;
}

/// Cramér's V between two columns from the associations matrix, or null.
json Association(const json& profile, const std::string& a, const std::string& b) {
  const json& names = profile["associations"]["columns"];
  std::size_t x = names.size(), y = names.size();
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (names[k] == a) x = k;
    if (names[k] == b) y = k;
  }
  if (x == names.size() || y == names.size()) return nullptr;
  return profile["associations"]["matrix"][x][y];
}

void ExpectValue(const std::string& where, const json& got, const json& want) {
  if (want.is_number() && got.is_number()) {
    const double g = got.get<double>(), w = want.get<double>();
    EXPECT_LE(std::fabs(g - w), 1e-9 * std::max(1.0, std::fabs(w)))
        << where << ": got " << g << ", want " << w;
  } else {
    EXPECT_EQ(got, want) << where;
  }
}

void ExpectShape(const json& p) {
  for (const char* k : {"row_count", "column_count", "duplicate_row_count", "duplicate_key_count", "quality",
                        "alerts", "correlations", "associations", "hierarchies", "time_series", "columns"}) {
    EXPECT_TRUE(p.contains(k)) << k;
  }
  EXPECT_EQ(p["associations"]["method"], "cramers_v");
  EXPECT_EQ(p["associations"]["matrix"].size(), p["associations"]["columns"].size());
  for (const auto& h : p["hierarchies"]) {
    EXPECT_GE(h["levels"].size(), 2u) << h.dump();
    EXPECT_EQ(h["levels"].size(), h["distinct_counts"].size()) << h.dump();
  }
  for (const auto& t : p["time_series"]) {
    for (const char* k : {"column", "measure", "aggregate", "grain", "points", "trend", "seasonality"}) {
      EXPECT_TRUE(t.contains(k)) << t.dump() << " lacks " << k;
    }
    const double strength = t["trend"]["strength"];
    EXPECT_TRUE(strength >= 0 && strength <= 1) << t.dump();
  }
  for (const char* k : {"score", "completeness", "validity", "consistency", "uniqueness"}) {
    ASSERT_TRUE(p["quality"][k].is_number()) << k;
    EXPECT_GE(p["quality"][k].get<double>(), 0.0) << k;
    EXPECT_LE(p["quality"][k].get<double>(), 100.0) << k;
  }
  EXPECT_EQ(p["correlations"]["method"], "pearson");
  EXPECT_EQ(p["correlations"]["matrix"].size(), p["correlations"]["columns"].size());
  for (const auto& a : p["alerts"]) {
    EXPECT_TRUE(a["kind"].is_string() && a["message"].is_string() && a["severity"].is_string()) << a.dump();
  }
  for (const auto& c : p["columns"]) {
    for (const char* k :
         {"name", "type", "semantic_type", "count", "null_count", "distinct_count", "min", "max", "mean",
          "std", "quantiles", "histogram", "top_values", "quality", "inferred", "outliers", "issues"}) {
      EXPECT_TRUE(c.contains(k)) << c["name"] << " lacks " << k;
    }
    if (c["inferred"].is_object()) {
      const double share = c["inferred"]["share"], confidence = c["inferred"]["confidence"];
      EXPECT_TRUE(share >= 0 && share <= 1 && confidence >= 0 && confidence <= share + 1e-12) << c.dump();
    }
    EXPECT_LE(c["top_values"].size(), 10u);
    if (c["histogram"].is_object()) {
      EXPECT_EQ(c["histogram"]["edges"].size(), c["histogram"]["counts"].size() + 1) << c["name"];
      std::int64_t total = 0;
      for (const auto& n : c["histogram"]["counts"]) total += n.get<std::int64_t>();
      if (c["type"] == "float") {
        EXPECT_LE(total, c["count"].get<std::int64_t>()) << c["name"];  // NaN/Infinity are not binned
      } else {
        EXPECT_EQ(total, c["count"].get<std::int64_t>()) << c["name"];
      }
    }
  }
}

/// Whether two profiles agree: equal, except numbers within a relative 1e-9 (the two paths
/// sum in different orders).
bool SameProfile(const json& a, const json& b, const std::string& where, std::string& diff) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    if (std::fabs(x - y) <= 1e-9 * std::max({std::fabs(x), std::fabs(y), 1e-300})) return true;
  } else if (a.is_object() && b.is_object() && a.size() == b.size()) {
    for (const auto& [k, v] : a.items()) {
      if (!b.contains(k) || !SameProfile(v, b[k], where + "." + k, diff)) return false;
    }
    return true;
  } else if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!SameProfile(a[i], b[i], where + "[" + std::to_string(i) + "]", diff)) return false;
    }
    return true;
  } else if (a == b) {
    return true;
  }
  diff = where + ": " + a.dump().substr(0, 300) + " vs " + b.dump().substr(0, 300);
  return false;
}

// Every corpus file is checked on both paths of pass 2 and 3: the narrow one (a GROUP BY per
// non-text column) and the wide one (grouped values of many columns in one UNPIVOT per
// type, and pass 3 on those groups), which tables with over 32 non-text columns take; and
// the two profiles must agree in every field.
TEST(ProfilerCorpus, MatchesExpectedFiles) {
  TempDir dir;
  const std::filesystem::path data = SourcePath("tests/data/profile");
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data)) {
    if (entry.path().extension() != ".csv") continue;
    const std::string stem = entry.path().stem().string();
    const json want = json::parse(ReadFile((data / (stem + ".expected.json")).string()));
    const std::string parquet = dir.File(stem + ".parquet");
    CsvToParquet(entry.path().string(), parquet, want.value("read_options", std::string()));
    ProfileOptions wide;
    wide.native_value_columns = 0;
    auto narrow_profile = ProfileParquet(SharedEngine(), parquet);
    auto wide_profile = ProfileParquet(SharedEngine(), parquet, wide);
    ASSERT_TRUE(narrow_profile.ok()) << stem << ": " << narrow_profile.status().message();
    ASSERT_TRUE(wide_profile.ok()) << stem << " (wide path): " << wide_profile.status().message();
    std::string diff;
    EXPECT_TRUE(SameProfile(*narrow_profile, *wide_profile, stem, diff)) << "narrow vs wide path: " << diff;
    // The CLI's way: the same rows in a table of the engine's database, here in another
    // order (the CLI does not keep the order of its scratch copy: a profile must not depend
    // on it).
    const std::string table = QuoteIdent("corpus_" + stem);
    RunSql("CREATE OR REPLACE TABLE " + table +
           " AS SELECT * EXCLUDE (dm_n) FROM (SELECT *, row_number() OVER () AS dm_n FROM read_parquet(" +
           QuoteLiteral(parquet) + ")) ORDER BY hash(dm_n)");
    auto table_profile = ProfileTable(SharedEngine(), table);
    ASSERT_TRUE(table_profile.ok()) << stem << " (table): " << table_profile.status().message();
    diff.clear();
    EXPECT_TRUE(SameProfile(*narrow_profile, *table_profile, stem, diff))
        << "Parquet file vs shuffled table: " << diff;
    RunSql("DROP TABLE " + table);
    for (const json* profile : {&*narrow_profile, &*wide_profile}) {
      SCOPED_TRACE(stem + (profile == &*wide_profile ? " (wide path)" : ""));
      const json& p = *profile;
      ExpectShape(p);
      for (const char* k : {"row_count", "column_count", "duplicate_row_count", "duplicate_key_count"}) {
        if (want.contains(k)) ExpectValue(k, p[k], want[k]);
      }
      if (want.contains("quality")) {
        for (const auto& [k, value] : want["quality"].items())
          ExpectValue("quality." + k, p["quality"][k], value);
      }
      if (want.contains("columns")) {
        for (const auto& [name, fields] : want["columns"].items()) {
          const json* col = FindColumn(p, name);
          ASSERT_NE(col, nullptr) << name;
          for (const auto& [field, value] : fields.items()) {
            const std::string path = field == "consistency" ? "quality.consistency" : field;
            ExpectValue(name + "." + path, AtPath(*col, path), value);
          }
        }
      }
      if (want.contains("associations")) {
        for (const auto& a : want["associations"]) {
          const std::string x = a["a"], y = a["b"];
          ExpectValue("cramers_v(" + x + ", " + y + ")", Association(p, x, y), a["v"]);
        }
      }
      if (want.contains("hierarchies")) {
        for (const auto& levels : want["hierarchies"]) {
          bool found = false;
          for (const auto& h : p["hierarchies"]) found = found || h["levels"] == levels;
          EXPECT_TRUE(found) << "missing hierarchy " << levels.dump() << " in " << p["hierarchies"].dump();
        }
      }
      if (want.contains("time_series")) {
        for (const auto& ts : want["time_series"]) {
          const json* series = nullptr;
          for (const auto& s : p["time_series"]) {
            if (s["column"] == ts["column"] && s["measure"] == ts["measure"]) series = &s;
          }
          ASSERT_NE(series, nullptr) << "missing series " << ts.dump();
          for (const auto& [field, value] : ts.items()) {
            ExpectValue("time_series." + field, AtPath(*series, field), value);
          }
        }
      }
      for (const auto& a : want.value("alerts", json::array()))
        EXPECT_TRUE(HasAlert(p, a)) << "missing alert " << a.dump() << " in " << p["alerts"].dump();
      for (const auto& a : want.value("absent_alerts", json::array()))
        EXPECT_FALSE(HasAlert(p, a)) << "unexpected alert " << a.dump();
    }
    ++checked;
  }
  EXPECT_GE(checked, 7);
}

TEST(ProfilerQuality, ScoresAndTopValues) {
  TempDir dir;
  const std::string parquet = dir.File("q.parquet");
  // 10 rows; 2 duplicates of row 1; b has 5 NULLs; s has one case variant.
  RunSql(
      "COPY (SELECT CASE WHEN i <= 2 THEN 0 ELSE i END AS a, CASE WHEN i % 2 = 0 THEN NULL ELSE i END AS b, "
      "CASE WHEN i = 5 THEN 'X' ELSE 'x' END AS s, DATE '2024-01-01' + CAST(i AS INTEGER) AS d "
      "FROM range(0, 10) t(i)) TO " +
      QuoteLiteral(parquet) + " (FORMAT parquet)");
  auto got = ProfileParquet(SharedEngine(), parquet);
  ASSERT_TRUE(got.ok()) << got.status().message();
  const json& p = *got;
  ExpectShape(p);
  EXPECT_EQ(p["row_count"], 10);
  EXPECT_EQ(p["duplicate_row_count"], 0);
  // completeness: 35 of 40 cells.
  EXPECT_DOUBLE_EQ(p["quality"]["completeness"].get<double>(), 87.5);
  EXPECT_DOUBLE_EQ(p["quality"]["uniqueness"].get<double>(), 100.0);
  const json* s = FindColumn(p, "s");
  ASSERT_NE(s, nullptr);
  EXPECT_DOUBLE_EQ((*s)["quality"]["consistency"].get<double>(), 90.0);
  EXPECT_EQ((*s)["top_values"][0], (json{{"value", "x"}, {"count", 9}}));
  const json* a = FindColumn(p, "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ((*a)["top_values"][0], (json{{"value", "0"}, {"count", 3}}));
  EXPECT_EQ((*a)["quantiles"]["p50"], 4.5);
  const json* d = FindColumn(p, "d");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ((*d)["min"], "2024-01-01");
  EXPECT_EQ((*d)["max"], "2024-01-10");
  EXPECT_EQ((*d)["histogram"]["edges"][0], "2024-01-01T00:00:00");
  EXPECT_EQ(p["correlations"]["columns"], (json{"a", "b"}));
  EXPECT_DOUBLE_EQ(p["correlations"]["matrix"][0][0].get<double>(), 1.0);
}

TEST(ProfilerEdgeCases, OddNamesNestedTypesAndNulls) {
  TempDir dir;
  const std::string parquet = dir.File("odd.parquet");
  RunSql(
      "COPY (SELECT i AS \"we\"\"ird 'name\", [i, i + 1] AS \"list col\", {'k': i} AS \"select\", "
      "CAST(NULL AS INTEGER) AS empty_int, CAST(NULL AS VARCHAR) AS empty_text, "
      "TIMESTAMP '2024-03-01 12:00:00' + INTERVAL (i) HOUR AS ts, i % 2 = 0 AS flag, "
      "CASE WHEN i = 3 THEN 'NaN'::DOUBLE WHEN i = 4 THEN 'inf'::DOUBLE ELSE i / 2 END AS f "
      "FROM range(0, 6) t(i)) TO " +
      QuoteLiteral(parquet) + " (FORMAT parquet)");
  auto got = ProfileParquet(SharedEngine(), parquet);
  ASSERT_TRUE(got.ok()) << got.status().message();
  const json& p = *got;
  ExpectShape(p);
  EXPECT_EQ(p["column_count"], 8);
  const json* weird = FindColumn(p, "we\"ird 'name");
  ASSERT_NE(weird, nullptr);
  EXPECT_EQ((*weird)["semantic_type"], "id");
  const json* list = FindColumn(p, "list col");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ((*list)["distinct_count"], 6);
  const json* empty = FindColumn(p, "empty_int");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ((*empty)["null_count"], 6);
  EXPECT_TRUE((*empty)["histogram"].is_null());
  EXPECT_TRUE(HasAlert(p, json{{"column", "empty_text"}, {"kind", "high_missing"}}));
  const json* ts = FindColumn(p, "ts");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ((*ts)["semantic_type"], "datetime");
  EXPECT_EQ((*ts)["min"], "2024-03-01T12:00:00");
  EXPECT_EQ((*ts)["histogram"]["edges"].back(), "2024-03-01T17:00:00");
  const json* flag = FindColumn(p, "flag");
  ASSERT_NE(flag, nullptr);
  EXPECT_EQ((*flag)["semantic_type"], "boolean");
  const json* f = FindColumn(p, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ((*f)["max"], 2.5);  // NaN and Infinity are left out of the statistics
  EXPECT_EQ((*f)["count"], 6);
}

// The profile runs on a scratch database whose spill directory sits under the engine's,
// which need not exist yet (the server's is created by DuckDB on first spill): the profile
// must work, spill there under a small memory limit, and leave nothing behind.
TEST(ProfilerEdgeCases, ScratchDatabaseSpillsUnderTheEngineTempDir) {
  TempDir dir;
  const std::string temp = dir.File("not/yet/created");
  Engine engine(EngineOptions{temp, "128MB", 1});
  ASSERT_TRUE(engine.status().ok()) << engine.status().message();
  const std::string parquet = dir.File("big.parquet");
  RunSql(
      "COPY (SELECT i AS id, i % 1000 AS k, random() AS x, 'v' || (i % 77) AS s FROM range(1000000) t(i)) "
      "TO " +
      QuoteLiteral(parquet) + " (FORMAT parquet)");
  auto got = ProfileParquet(engine, parquet);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ((*got)["row_count"], 1000000);
  EXPECT_EQ(AtPath(*FindColumn(*got, "k"), "distinct_count"), 1000);
  // DuckDB removes the spill directories it created when the scratch database closes.
  std::size_t left = 0;
  if (std::filesystem::exists(temp)) {
    for ([[maybe_unused]] const auto& e : std::filesystem::recursive_directory_iterator(temp)) ++left;
  }
  EXPECT_EQ(left, 0u);
}

// Quartiles and the MAD of columns with many distinct values come from counting buckets and
// sorting only the buckets that hold them; a column whose values crowd into a few buckets
// falls back to quantile_cont/median over all rows. Both must equal DuckDB's own.
TEST(ProfilerEdgeCases, QuartilesOfManyValuedColumnsEqualDuckDBs) {
  TempDir dir;
  const std::string parquet = dir.File("many.parquet");
  RunSql(
      "COPY (SELECT (hash(i) % 1000003) / 1000.0 AS spread, "
      "CASE WHEN i < 5 THEN 1e12 + i ELSE (hash(i + 1) % 999983) / 1e9 END AS crowded, "
      "CAST(4611686018427387904 AS BIGINT) + CAST(hash(i + 2) % 1000000007 AS BIGINT) AS big, "
      "TIMESTAMP '2020-01-01' + to_seconds(CAST(hash(i + 3) % 100000000 AS BIGINT)) AS ts "
      "FROM range(300000) t(i)) TO " +
      QuoteLiteral(parquet) + " (FORMAT parquet)");
  auto got = ProfileParquet(SharedEngine(), parquet);
  ASSERT_TRUE(got.ok()) << got.status().message();
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  auto want = conn->Query(
      "SELECT quantile_cont(spread, [0.25, 0.5, 0.75]), quantile_cont(crowded, [0.25, 0.5, 0.75]), "
      "quantile_cont(big, [0.25, 0.5, 0.75]), quantile_disc(ts, [0.25, 0.5, 0.75]) FROM read_parquet(" +
      QuoteLiteral(parquet) + ")");
  ASSERT_TRUE(want.ok()) << want.status().message();
  const char* names[] = {"spread", "crowded", "big", "ts"};
  for (int k = 0; k < 4; ++k) {
    SCOPED_TRACE(names[k]);
    const json* c = FindColumn(*got, names[k]);
    ASSERT_NE(c, nullptr);
    const json expected = want->Cell(0, k);
    ASSERT_TRUE(expected.is_array() && expected.size() == 3);
    const char* keys[] = {"p25", "p50", "p75"};
    for (int q = 0; q < 3; ++q) {
      const json& value = (*c)["quantiles"][keys[q]];
      if (k == 3) {
        EXPECT_EQ(value, expected[q]);
      } else {
        ASSERT_TRUE(value.is_number()) << value.dump();
        const double e =
            expected[q].is_number() ? expected[q].get<double>() : std::stod(expected[q].get<std::string>());
        EXPECT_NEAR(value.get<double>(), e, std::fabs(e) * 1e-12);
      }
    }
  }
  // The MAD (median |x - median|) takes the same two paths.
  auto mad = conn->Query("WITH t AS (SELECT * FROM read_parquet(" + QuoteLiteral(parquet) +
                         ")), m AS (SELECT median(spread) AS ms, median(crowded) AS mc FROM t) "
                         "SELECT median(abs(spread - ms)), median(abs(crowded - mc)) FROM t, m");
  ASSERT_TRUE(mad.ok()) << mad.status().message();
  for (int k = 0; k < 2; ++k) {
    SCOPED_TRACE(names[k]);
    const json value = AtPath(*FindColumn(*got, names[k]), "outliers.mad_value");
    ASSERT_TRUE(value.is_number()) << value.dump();
    const double e = mad->Cell(0, k).get<double>();
    EXPECT_NEAR(value.get<double>(), e, std::fabs(e) * 1e-12);
  }
}

// Integer columns whose values are all distinct skip the GROUP BY (a bitmap of their range
// says so); columns with one repeat, or too dense a range, take it. Distinct counts, top values
// and quartiles must equal DuckDB's own either way.
TEST(ProfilerEdgeCases, DistinctIntegersAgreeWithDuckDB) {
  TempDir dir;
  const std::string parquet = dir.File("ids.parquet");
  RunSql(
      "COPY (SELECT i - 7000 AS dense, CASE WHEN i % 10 = 3 THEN NULL ELSE i * 3 END AS gaps, "
      "CASE WHEN i = 7 THEN 8 ELSE i END AS one_repeat, CAST(20000 - i AS SMALLINT) AS small, "
      "CAST(18446744073709551615 - i * 2 AS UBIGINT) AS huge, i % 1000 AS repeats "
      "FROM range(20000) t(i) ORDER BY hash(i)) TO " +
      QuoteLiteral(parquet) + " (FORMAT parquet)");
  auto got = ProfileParquet(SharedEngine(), parquet);
  ASSERT_TRUE(got.ok()) << got.status().message();
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  for (const char* name : {"dense", "gaps", "one_repeat", "small", "huge", "repeats"}) {
    SCOPED_TRACE(name);
    const std::string id = QuoteIdent(name), from = " FROM read_parquet(" + QuoteLiteral(parquet) + ")";
    auto want = conn->Query("SELECT count(DISTINCT " + id + "), quantile_cont(" + id +
                            ", [0.25, 0.5, 0.75]), (SELECT list({'value': CAST(v AS VARCHAR), 'count': n} "
                            "ORDER BY n DESC, v) FROM (SELECT " +
                            id + " AS v, count(*) AS n" + from + " WHERE " + id +
                            " IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT 10))" + from);
    ASSERT_TRUE(want.ok()) << want.status().message();
    const json* c = FindColumn(*got, name);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ((*c)["distinct_count"], want->Cell(0, 0));
    EXPECT_EQ((*c)["top_values"], want->Cell(0, 2));
    const json expected = want->Cell(0, 1);
    ASSERT_TRUE(expected.is_array() && expected.size() == 3) << expected.dump();
    const char* keys[] = {"p25", "p50", "p75"};
    for (int q = 0; q < 3; ++q) {
      const json& value = (*c)["quantiles"][keys[q]];
      ASSERT_TRUE(value.is_number()) << value.dump();
      const double e =
          expected[q].is_number() ? expected[q].get<double>() : std::stod(expected[q].get<std::string>());
      EXPECT_NEAR(value.get<double>(), e, std::fabs(e) * 1e-12);
    }
  }
}

// Narrow tables get their correlations in pass 1's scan, others in a pass of their own (here
// forced by allowing fewer correlated columns than there are); both must equal DuckDB's corr()
// over each pair, leave constant columns out, and survive moments that overflow a double.
TEST(ProfilerEdgeCases, CorrelationsEqualDuckDBs) {
  TempDir dir;
  const std::string parquet = dir.File("corr.parquet");
  RunSql(
      "COPY (SELECT i AS a, CASE WHEN i % 7 = 0 THEN NULL ELSE (i * i) % 97 END AS b, 5 AS c, "
      "(hash(i) % 1000) / 10.0 AS d, CAST(1e200 AS DOUBLE) * (hash(i + 1) % 1000) AS e, 'x' || (i % 3) AS t "
      "FROM range(5000) t(i)) TO " +
      QuoteLiteral(parquet) + " (FORMAT parquet)");
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  const std::vector<std::string> names = {"a", "b", "d", "e"};
  // e is scaled down first: its squares overflow a double (correlation does not change with scale).
  auto value = [](const std::string& n) { return n == "e" ? std::string("e / 1e200") : n; };
  for (int limit : {30, 3}) {
    SCOPED_TRACE(limit);
    ProfileOptions options;
    options.max_correlation_columns = limit;
    auto got = ProfileParquet(SharedEngine(), parquet, options);
    ASSERT_TRUE(got.ok()) << got.status().message();
    const json& corr = (*got)["correlations"];
    const std::size_t n = limit == 30 ? 4 : 3;  // the first `limit` numeric columns, c (constant) left out
    ASSERT_EQ(corr["columns"], json(std::vector<std::string>(names.begin(), names.begin() + n)));
    for (std::size_t x = 0; x < n; ++x) {
      for (std::size_t y = 0; y < n; ++y) {
        SCOPED_TRACE(names[x] + "/" + names[y]);
        const json& v = corr["matrix"][x][y];
        ASSERT_TRUE(v.is_number()) << v.dump();
        if (x == y) {
          EXPECT_EQ(v.get<double>(), 1.0);
          continue;
        }
        auto want = conn->Query("SELECT corr(" + value(names[x]) + ", " + value(names[y]) +
                                ") FROM read_parquet(" + QuoteLiteral(parquet) + ")");
        ASSERT_TRUE(want.ok()) << want.status().message();
        const double e = want->Cell(0, 0).get<double>();
        EXPECT_NEAR(v.get<double>(), e, 1e-12);
      }
    }
  }
}

TEST(ProfilerEdgeCases, EmptyTable) {
  TempDir dir;
  const std::string parquet = dir.File("empty.parquet");
  RunSql("COPY (SELECT 1 AS a, 'x' AS b WHERE false) TO " + QuoteLiteral(parquet) + " (FORMAT parquet)");
  auto got = ProfileParquet(SharedEngine(), parquet);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ((*got)["row_count"], 0);
  EXPECT_EQ((*got)["column_count"], 2);
  EXPECT_EQ((*got)["duplicate_row_count"], 0);
  EXPECT_DOUBLE_EQ((*got)["quality"]["score"].get<double>(), 100.0);
  EXPECT_TRUE((*got)["alerts"].empty());
}

TEST(ProfilerEdgeCases, MissingFileIsAnError) {
  auto got = ProfileParquet(SharedEngine(), "/nonexistent/dir/x.parquet");
  EXPECT_FALSE(got.ok());
}

TEST(ProfilerPerformance, ThousandColumnsTwoThousandRows) {
  TempDir dir;
  const std::string parquet = dir.File("wide.parquet");
  std::string select = "SELECT ";
  for (int c = 0; c < 1000; ++c) {
    const std::string name = QuoteIdent("c" + std::to_string(c));
    if (c % 4 == 0) {
      select += "i * " + std::to_string(c + 1) + " AS " + name;
    } else if (c % 4 == 1) {
      select += "CAST((i * " + std::to_string(c) + ") % 97 AS DOUBLE) / 7 AS " + name;
    } else if (c % 4 == 2) {
      select += "'v' || CAST((i + " + std::to_string(c) + ") % 13 AS VARCHAR) AS " + name;
    } else {
      select += "CASE WHEN i % 10 = 0 THEN NULL ELSE i % 5 END AS " + name;
    }
    select += c + 1 < 1000 ? ", " : " ";
  }
  RunSql("COPY (" + select + "FROM range(0, 2000) t(i)) TO " + QuoteLiteral(parquet) + " (FORMAT parquet)");
  const auto start = std::chrono::steady_clock::now();
  auto got = ProfileParquet(SharedEngine(), parquet);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(got.ok()) << got.status().message();
  std::cout << "[ profile ] 1000 columns x 2000 rows in " << seconds << " s\n";
  EXPECT_LT(seconds, 20.0);
  EXPECT_EQ((*got)["column_count"], 1000);
  ASSERT_EQ((*got)["columns"].size(), 1000u);
  EXPECT_EQ((*got)["row_count"], 2000);
  EXPECT_EQ((*got)["columns"][0]["semantic_type"], "id");
  EXPECT_EQ((*got)["columns"][2]["distinct_count"], 13);
  EXPECT_EQ((*got)["columns"][3]["null_count"], 200);
  EXPECT_EQ((*got)["correlations"]["columns"].size(), 30u);
}

}  // namespace
}  // namespace dm::engine
