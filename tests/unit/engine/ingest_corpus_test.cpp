// Data-driven ingest tests: every file in tests/data/ingest and tests/data/bad has a
// <file>.expected.json naming the detected format and either the tables or the error.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "engine/dataset_io.h"
#include "engine/format_detector.h"
#include "engine/ingest.h"
#include "engine/sql.h"
#include "test_util.h"

namespace dm::engine {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

Engine& SharedEngine() {
  static Engine engine(EngineOptions{"", "1GB", 2});
  return engine;
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const char* dir : {"tests/data/ingest", "tests/data/bad"}) {
    for (const auto& entry : fs::directory_iterator(testing::SourcePath(dir))) {
      const std::string name = entry.path().filename().string();
      if (name.ends_with(".expected.json") || name.ends_with(".py")) continue;
      if (!fs::exists(entry.path().string() + ".expected.json")) continue;
      files.push_back(std::string(dir) + "/" + name);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool IsSpreadsheet(const std::string& format) {
  return format == "xlsx" || format == "ods" || format == "xls";
}

/// Reading the file into DuckDB tables (IngestOptions::database, as the CLI's profile does)
/// gives the same tables as the Parquet files, row for row and in the same order.
void ExpectSameAsTables(const std::string& path, const std::string& format, IngestOptions options,
                        const std::vector<TableInfo>& parquet) {
  options.database = "memory";
  auto tables = IngestFile(SharedEngine(), path, format, options, nullptr);
  ASSERT_TRUE(tables.ok()) << "into tables: " << tables.status().message();
  ASSERT_EQ(tables->size(), parquet.size());
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  for (std::size_t t = 0; t < parquet.size(); ++t) {
    const TableInfo& a = parquet[t];
    const TableInfo& b = (*tables)[t];
    SCOPED_TRACE("into table " + b.table);
    EXPECT_TRUE(b.parquet_path.empty());
    EXPECT_EQ(b.name, a.name);
    EXPECT_EQ(b.row_count, a.row_count);
    EXPECT_EQ(b.rejected_row_count, a.rejected_row_count);
    EXPECT_EQ(b.details, a.details);
    ASSERT_EQ(b.columns.size(), a.columns.size());
    for (std::size_t c = 0; c < a.columns.size(); ++c) {
      EXPECT_EQ(b.columns[c].name, a.columns[c].name);
      EXPECT_EQ(b.columns[c].duckdb_type, a.columns[c].duckdb_type) << a.columns[c].name;
    }
    // Rows numbered in stored order: equal sets of (row number, row) mean equal tables.
    const std::string numbered_parquet =
        "(SELECT row_number() OVER () AS dm_n, * FROM read_parquet(" + QuoteLiteral(a.parquet_path) + "))";
    const std::string numbered_table = "(SELECT row_number() OVER () AS dm_n, * FROM " + b.table + ")";
    auto differing =
        conn->Query("SELECT count(*) FROM ((" + numbered_parquet + " EXCEPT ALL " + numbered_table +
                    ") UNION ALL (" + numbered_table + " EXCEPT ALL " + numbered_parquet + "))");
    ASSERT_TRUE(differing.ok()) << differing.status().message();
    EXPECT_EQ(differing->Cell(0, 0), 0) << "rows differ between the Parquet file and the table";
    EXPECT_TRUE(conn->Execute("DROP TABLE " + b.table).ok());
  }
}

class IngestCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(IngestCorpus, MatchesExpectation) {
  const std::string path = testing::SourcePath(GetParam());
  const nlohmann::json expected = nlohmann::json::parse(testing::ReadFile(path + ".expected.json"));
  const std::string format = DetectFormat(path);
  if (expected.contains("format")) {
    EXPECT_EQ(format, expected["format"].get<std::string>()) << "detected format";
  }

  TempDir dir;
  IngestOptions options;
  options.output_dir = dir.File("out");
  options.work_dir = dir.path();
  auto tables = IngestFile(SharedEngine(), path, format, options, nullptr);
  if (IsSpreadsheet(format) && !tables.ok() &&
      tables.status().message().find("not built") != std::string::npos) {
    GTEST_SKIP() << "spreadsheet reader not built yet: " << tables.status().message();
  }
  if (expected.contains("error_code")) {
    ASSERT_FALSE(tables.ok()) << "expected error " << expected["error_code"];
    EXPECT_EQ(ErrorCodeName(tables.status().code()), expected["error_code"].get<std::string>())
        << tables.status().message();
    if (expected.contains("message_contains")) {
      EXPECT_NE(Lower(tables.status().message()).find(Lower(expected["message_contains"].get<std::string>())),
                std::string::npos)
          << "message: " << tables.status().message();
    }
    EXPECT_EQ(tables.status().message().find(dir.path()), std::string::npos) << "message leaks a server path";
    EXPECT_EQ(tables.status().message().find(DM_SOURCE_DIR), std::string::npos) << "message leaks a path";
    return;
  }
  ASSERT_TRUE(tables.ok()) << ErrorCodeName(tables.status().code()) << ": " << tables.status().message();
  ExpectSameAsTables(path, format, options, *tables);
  if (!expected.contains("tables")) return;  // only "does not crash, gives a table"
  const auto& want_tables = expected["tables"];
  ASSERT_EQ(tables->size(), want_tables.size());
  for (std::size_t t = 0; t < want_tables.size(); ++t) {
    const auto& want = want_tables[t];
    const TableInfo& got = (*tables)[t];
    SCOPED_TRACE("table " + got.name + " details " + got.details.dump());
    if (want.contains("name")) {
      EXPECT_EQ(got.name, want["name"].get<std::string>());
    }
    if (want.contains("row_count")) {
      EXPECT_EQ(got.row_count, want["row_count"].get<std::int64_t>());
    }
    if (want.contains("rejected_row_count")) {
      EXPECT_EQ(got.rejected_row_count, want["rejected_row_count"].get<std::int64_t>());
    }
    if (want.contains("column_count")) {
      EXPECT_EQ(got.columns.size(), want["column_count"].get<std::size_t>());
    }
    if (want.contains("columns")) {
      ASSERT_EQ(got.columns.size(), want["columns"].size());
      for (std::size_t c = 0; c < got.columns.size(); ++c) {
        EXPECT_EQ(got.columns[c].name, want["columns"][c]["name"].get<std::string>()) << "column " << c;
        if (want["columns"][c].contains("type")) {
          EXPECT_EQ(got.columns[c].type, want["columns"][c]["type"].get<std::string>())
              << "column " << got.columns[c].name << " (" << got.columns[c].duckdb_type << ")";
        }
      }
    }
    EXPECT_TRUE(fs::exists(got.parquet_path));
    if (want.contains("first_row")) {
      auto rows = ReadRows(SharedEngine(), got.parquet_path, 0, 1, {});
      ASSERT_TRUE(rows.ok()) << rows.status().message();
      ASSERT_EQ((*rows)["rows"].size(), 1u);
      EXPECT_EQ((*rows)["rows"][0], want["first_row"]);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Files, IngestCorpus, ::testing::ValuesIn(CorpusFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(info.param.find("data/") + 5);
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace dm::engine
