// Suggest: data-driven checks against tests/data/suggest/<name>.csv + <name>.csv.expected.json
// (ingested and profiled like an upload), invariants of every suggestion list, and a
// 1,000,000-row timing check.
//
// Expectation file:
//   {"expect": [{"operation": {...subset...}, "affected_rows": n, "safe": b,
//                "mapping_excludes": ["key", ...], "rationale_contains": "text"}],
//    "absent": [{...operation subset...}]}
// An expected item is met by any suggestion whose operation contains the subset (objects
// compared key by key, recursively; everything else exactly) and whose other fields match.

#include "engine/suggest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <set>
#include <string>

#include "engine/duckdb.h"
#include "engine/format_detector.h"
#include "engine/ingest.h"
#include "engine/profiler.h"
#include "engine/sql.h"
#include "test_util.h"

namespace dm::engine::clean {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ReadFile;
using testing::SourcePath;
using testing::TempDir;

Engine& SharedEngine() {
  static Engine engine(EngineOptions{"", "2GB", 2});
  return engine;
}

void RunSql(const std::string& sql) {
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok()) << conn.status().message();
  const Status s = conn->Execute(sql);
  ASSERT_TRUE(s.ok()) << s.message();
}

/// Ingests `csv` like an upload; the Parquet path of its only table.
std::string Ingest(const TempDir& dir, const std::string& csv) {
  IngestOptions options;
  options.output_dir = dir.File("out");
  options.work_dir = dir.path();
  auto tables = IngestFile(SharedEngine(), csv, DetectFormat(csv), options, nullptr);
  EXPECT_TRUE(tables.ok()) << tables.status().message();
  if (!tables.ok() || tables->empty()) return "";
  return tables->front().parquet_path;
}

json ListJson(const std::vector<Suggestion>& list) {
  json out = json::array();
  for (const auto& s : list) out.push_back(ToJson(s));
  return out;
}

bool Contains(const json& got, const json& want) {
  if (want.is_object()) {
    if (!got.is_object()) return false;
    for (const auto& [k, v] : want.items()) {
      if (!got.contains(k) || !Contains(got[k], v)) return false;
    }
    return true;
  }
  if (want.is_number() && got.is_number()) return std::abs(want.get<double>() - got.get<double>()) < 1e-9;
  return got == want;
}

bool Meets(const Suggestion& s, const json& want) {
  if (!Contains(s.operation, want["operation"])) return false;
  if (want.contains("affected_rows") && s.affected_rows != want["affected_rows"].get<std::int64_t>())
    return false;
  if (want.contains("safe") && s.safe != want["safe"].get<bool>()) return false;
  if (want.contains("rationale_contains") &&
      s.rationale.find(want["rationale_contains"].get<std::string>()) == std::string::npos) {
    return false;
  }
  if (want.contains("mapping_excludes")) {
    for (const auto& key : want["mapping_excludes"]) {
      if (s.operation.contains("mapping") && s.operation["mapping"].contains(key.get<std::string>()))
        return false;
    }
  }
  return true;
}

/// Invariants of every suggestion list.
void ExpectWellFormed(const std::vector<Suggestion>& list) {
  std::set<std::string> ids;
  for (std::size_t k = 0; k < list.size(); ++k) {
    const Suggestion& s = list[k];
    SCOPED_TRACE(ToJson(s).dump());
    EXPECT_EQ(s.id.size(), 16u);
    EXPECT_TRUE(std::all_of(s.id.begin(), s.id.end(), [](char c) { return std::isxdigit(c) != 0; }));
    EXPECT_TRUE(ids.insert(s.id).second) << "duplicate id";
    EXPECT_TRUE(s.operation.is_object() && s.operation.contains("type"));
    EXPECT_FALSE(s.rationale.empty());
    EXPECT_GE(s.affected_rows, 0);
    if (k > 0) {
      const Suggestion& p = list[k - 1];
      EXPECT_TRUE(p.expected_quality_gain > s.expected_quality_gain ||
                  (p.expected_quality_gain == s.expected_quality_gain && p.affected_rows >= s.affected_rows))
          << "order";
    }
    const json j = ToJson(s);
    for (const char* key :
         {"id", "operation", "rationale", "affected_rows", "expected_quality_gain", "safe"}) {
      EXPECT_TRUE(j.contains(key)) << key;
    }
  }
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(SourcePath("tests/data/suggest"))) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".csv") && fs::exists(entry.path().string() + ".expected.json")) files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  return files;
}

class SuggestCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(SuggestCorpus, MatchesExpectation) {
  const std::string csv = SourcePath("tests/data/suggest/" + GetParam());
  const json expected = json::parse(ReadFile(csv + ".expected.json"));
  TempDir dir;
  const std::string parquet = Ingest(dir, csv);
  ASSERT_FALSE(parquet.empty());
  // DM_SUGGEST_NO_PROFILE=1 checks the data-only path (the profile is read defensively).
  json profile_json = json::object();
  if (std::getenv("DM_SUGGEST_NO_PROFILE") == nullptr) {
    auto profile = ProfileParquet(SharedEngine(), parquet);
    ASSERT_TRUE(profile.ok()) << profile.status().message();
    profile_json = *profile;
  }
  auto list = Suggest(SharedEngine(), parquet, profile_json);
  ASSERT_TRUE(list.ok()) << list.status().message();
  const std::string all = ListJson(*list).dump(2);
  ExpectWellFormed(*list);
  if (std::getenv("DM_SUGGEST_DUMP") != nullptr) std::printf("%s\n", all.c_str());
  for (const auto& want : expected.value("expect", json::array())) {
    const bool met =
        std::any_of(list->begin(), list->end(), [&](const Suggestion& s) { return Meets(s, want); });
    EXPECT_TRUE(met) << "expected a suggestion like " << want.dump() << "\ngot " << all;
  }
  for (const auto& bad : expected.value("absent", json::array())) {
    for (const auto& s : *list) {
      EXPECT_FALSE(Contains(s.operation, bad)) << "unexpected suggestion " << ToJson(s).dump(2);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Files, SuggestCorpus, ::testing::ValuesIn(CorpusFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(Suggest, IdsAreStableAndTheProfileIsOptional) {
  TempDir dir;
  const std::string parquet = Ingest(dir, SourcePath("tests/data/suggest/places.csv"));
  ASSERT_FALSE(parquet.empty());
  auto profile = ProfileParquet(SharedEngine(), parquet);
  ASSERT_TRUE(profile.ok());
  auto a = Suggest(SharedEngine(), parquet, *profile);
  auto b = Suggest(SharedEngine(), parquet, *profile);
  // Without a profile (or with an unexpected one) the data alone still gives suggestions.
  auto c = Suggest(SharedEngine(), parquet, json::object());
  auto d = Suggest(SharedEngine(), parquet, json::array({1, 2}));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  ASSERT_EQ(a->size(), b->size());
  for (std::size_t k = 0; k < a->size(); ++k) {
    EXPECT_EQ((*a)[k].id, (*b)[k].id);
    EXPECT_EQ((*a)[k].operation, (*b)[k].operation);
  }
  std::set<std::string> with_profile, without;
  for (const auto& s : *a) with_profile.insert(s.id);
  for (const auto& s : *c) without.insert(s.id);
  EXPECT_EQ(with_profile, without);
  ExpectWellFormed(*c);
  ExpectWellFormed(*d);
}

TEST(Suggest, HostileNamesAndValuesAreQuoted) {
  TempDir dir;
  const std::string parquet = dir.File("t.parquet");
  RunSql(
      "COPY (SELECT * FROM (VALUES ('O''Brien', ' a\"b', 1), ('o''brien', 'a\"b', 2), ('O''Brien', 'x', 3), "
      "('O''Brien', 'x', 3)) t(\"we\"\"ird name\", \"sel'ect\", \"x;drop\")) TO " +
      QuoteLiteral(parquet) + " (FORMAT parquet)");
  auto list = Suggest(SharedEngine(), parquet, json::object());
  ASSERT_TRUE(list.ok()) << list.status().message();
  ExpectWellFormed(*list);
  const std::string all = ListJson(*list).dump();
  bool mapped = false, trimmed = false, dedup = false;
  for (const auto& s : *list) {
    const std::string type = s.operation["type"];
    if (type == "normalize_categories" && s.operation["column"] == "we\"ird name") {
      mapped = s.operation["mapping"] == json({{"o'brien", "O'Brien"}});
    }
    if (type == "trim_whitespace") trimmed = s.operation["columns"] == json::array({"sel'ect"});
    if (type == "deduplicate") dedup = s.affected_rows == 1;
  }
  EXPECT_TRUE(mapped) << all;
  EXPECT_TRUE(trimmed) << all;
  EXPECT_TRUE(dedup) << all;
}

TEST(Suggest, EmptyTablesGiveNothing) {
  TempDir dir;
  const std::string parquet = dir.File("t.parquet");
  RunSql("COPY (SELECT 1::INTEGER AS a, 'x' AS b WHERE false) TO " + QuoteLiteral(parquet) +
         " (FORMAT parquet)");
  auto list = Suggest(SharedEngine(), parquet, json::object());
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_TRUE(list->empty()) << ListJson(*list).dump(2);
}

TEST(Suggest, MissingFileIsAnError) {
  auto list = Suggest(SharedEngine(), "/nonexistent/dir/x.parquet", json::object());
  EXPECT_FALSE(list.ok());
}

TEST(Suggest, MillionRowsStayFast) {
  TempDir dir;
  const std::string parquet = dir.File("big.parquet");
  // 1,000,000 rows x 10 columns: ids, measures with gaps and outliers, categories with
  // variants, money as text, dates as text, yes/no, free text.
  RunSql(
      "COPY (SELECT i AS id, "
      "CASE WHEN i % 50 = 0 THEN NULL WHEN i % 100001 = 0 THEN 1e9 ELSE (i % 1000) / 10.0 END AS amount, "
      "(i * 7919) % 100000 AS qty, "
      "['Berlin', 'berlin', 'Paris', 'London', 'Londn', 'Zürich', 'Zurich', 'St. Louis', 'St Louis', "
      "'New York'][1 + (CASE WHEN i % 997 = 0 THEN i % 10 ELSE (i % 10) // 2 * 2 END)] AS city, "
      "CASE WHEN i % 3 = 0 THEN '$' || format('{:,}', i % 5000) || '.00' WHEN i % 101 = 0 THEN 'N/A' "
      "ELSE CAST(i % 5000 AS VARCHAR) END AS price, "
      "CASE WHEN i % 2 = 0 THEN strftime(DATE '2020-01-01' + (i % 900)::INTEGER, '%d/%m/%Y') "
      "ELSE CAST(DATE '2020-01-01' + (i % 900)::INTEGER AS VARCHAR) END AS day, "
      "CASE WHEN i % 2 = 0 THEN 'yes' ELSE 'no' END AS flag, "
      "'note ' || (i % 250000) AS note, "
      "md5(CAST(i AS VARCHAR)) AS hash, "
      "CASE WHEN i % 10 = 0 THEN ' padded' ELSE 'plain' END AS pad "
      "FROM range(1000000) r(i)) TO " +
      QuoteLiteral(parquet) + " (FORMAT parquet)");
  json profile_json = json::object();
  if (std::getenv("DM_SUGGEST_NO_PROFILE") == nullptr) {
    auto profile = ProfileParquet(SharedEngine(), parquet);
    ASSERT_TRUE(profile.ok()) << profile.status().message();
    profile_json = *profile;
  }
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  auto list = Suggest(SharedEngine(), parquet, profile_json);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  ASSERT_TRUE(list.ok()) << list.status().message();
  std::printf(
      "Suggest on 1,000,000 rows x 10 columns: %.2f s wall, %.2f s CPU (all threads), %zu suggestions\n",
      seconds, cpu, list->size());
  ExpectWellFormed(*list);
  std::set<std::string> types;
  for (const auto& s : *list)
    types.insert(s.operation["type"].get<std::string>() + ":" + s.operation.value("column", std::string()));
  for (const char* want : {"parse_numbers:price", "standardize_dates:day", "cast:flag",
                           "normalize_categories:city", "fill_missing:amount", "trim_whitespace:"}) {
    EXPECT_TRUE(types.count(want)) << want << " in " << ListJson(*list).dump(2);
  }
  EXPECT_LT(seconds, 60.0);
}

}  // namespace
}  // namespace dm::engine::clean
