// ProfileParquet: data-driven checks against tests/data/profile/<name>.csv + <name>.expected.json,
// the fixed JSON shape, and a 1,000-column performance check.

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

void CsvToParquet(const std::string& csv, const std::string& parquet) {
  RunSql("COPY (SELECT * FROM read_csv(" + QuoteLiteral(csv) + ")) TO " + QuoteLiteral(parquet) +
         " (FORMAT parquet)");
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
    return true;
  }
  return false;
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
  for (const char* k :
       {"row_count", "column_count", "duplicate_row_count", "quality", "alerts", "correlations", "columns"}) {
    EXPECT_TRUE(p.contains(k)) << k;
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
    for (const char* k : {"name", "type", "semantic_type", "count", "null_count", "distinct_count", "min",
                          "max", "mean", "std", "quantiles", "histogram", "top_values", "quality"}) {
      EXPECT_TRUE(c.contains(k)) << c["name"] << " lacks " << k;
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

TEST(ProfilerCorpus, MatchesExpectedFiles) {
  TempDir dir;
  const std::filesystem::path data = SourcePath("tests/data/profile");
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data)) {
    if (entry.path().extension() != ".csv") continue;
    const std::string stem = entry.path().stem().string();
    SCOPED_TRACE(stem);
    const json want = json::parse(ReadFile((data / (stem + ".expected.json")).string()));
    const std::string parquet = dir.File(stem + ".parquet");
    CsvToParquet(entry.path().string(), parquet);
    auto got = ProfileParquet(SharedEngine(), parquet);
    ASSERT_TRUE(got.ok()) << got.status().message();
    const json& p = *got;
    ExpectShape(p);
    for (const char* k : {"row_count", "column_count", "duplicate_row_count"}) ExpectValue(k, p[k], want[k]);
    for (const auto& [name, fields] : want["columns"].items()) {
      const json* col = FindColumn(p, name);
      ASSERT_NE(col, nullptr) << name;
      for (const auto& [field, value] : fields.items()) {
        if (field == "consistency") {
          ExpectValue(name + ".quality.consistency", (*col)["quality"]["consistency"], value);
        } else {
          ExpectValue(name + "." + field, (*col)[field], value);
        }
      }
    }
    for (const auto& a : want["alerts"]) EXPECT_TRUE(HasAlert(p, a)) << "missing alert " << a.dump();
    for (const auto& a : want["absent_alerts"])
      EXPECT_FALSE(HasAlert(p, a)) << "unexpected alert " << a.dump();
    ++checked;
  }
  EXPECT_GE(checked, 2);
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
