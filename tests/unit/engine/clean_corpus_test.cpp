// Data-driven cleaning tests: every tests/data/clean/<case>.ops.json runs against
// <case>.input.csv (ingested like an upload) through Compile + Apply, and the result must
// equal <case>.expected.csv -- or, with <case>.error.json, fail as that file says.
// See tests/data/clean/README.md for the layout.

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>

#include "engine/clean.h"
#include "engine/dataset_io.h"
#include "engine/format_detector.h"
#include "engine/ingest.h"
#include "engine/sql.h"
#include "test_util.h"

namespace dm::engine::clean {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::TempDir;

Engine& SharedEngine() {
  static Engine engine(EngineOptions{"", "1GB", 2});
  return engine;
}

const char* kDir = "tests/data/clean";

std::vector<std::string> Cases() {
  std::vector<std::string> cases;
  for (const auto& entry : fs::directory_iterator(testing::SourcePath(kDir))) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".ops.json")) cases.push_back(name.substr(0, name.size() - 9));
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string CasePath(const std::string& name, const std::string& suffix) {
  return testing::SourcePath(std::string(kDir) + "/" + name + suffix);
}

/// Rows of a CSV read by DuckDB as text (header row names the columns; empty = NULL).
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

Result<Table> ReadText(Connection& conn, const std::string& from) {
  DM_ASSIGN_OR_RETURN(QueryResult r, conn.Query("SELECT * FROM " + from));
  Table t;
  t.columns = r.ColumnNames();
  for (std::int64_t row = 0; row < r.RowCount(); ++row) {
    std::vector<std::optional<std::string>> cells;
    for (std::size_t c = 0; c < r.ColumnCount(); ++c) {
      if (r.IsNull(row, c)) {
        cells.emplace_back();
      } else {
        cells.emplace_back(r.CellString(row, c));
      }
    }
    t.rows.push_back(std::move(cells));
  }
  return t;
}

std::optional<double> Number(const std::string& s) {
  double d = 0;
  const char* first = s.data();
  if (!s.empty() && s[0] == '+') ++first;
  const auto r = std::from_chars(first, s.data() + s.size(), d);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return d;
}

/// Cells compare as numbers when both read as numbers, as timestamps when one is a date and
/// the other the same date at midnight, else as text.
bool SameCell(const std::optional<std::string>& got, const std::optional<std::string>& want) {
  if (!got || !want) return !got && !want;
  if (*got == *want) return true;
  const auto a = Number(*got), b = Number(*want);
  if (a && b) {
    if (std::isinf(*a) || std::isinf(*b)) return *a == *b;
    return std::fabs(*a - *b) <= 1e-9 * std::max({1.0, std::fabs(*a), std::fabs(*b)});
  }
  if ((*got + " 00:00:00") == *want || (*want + " 00:00:00") == *got) return true;
  if (got->size() > 10 && want->size() > 10 && (*got)[10] == 'T' &&
      got->substr(0, 10) == want->substr(0, 10) && got->substr(11) == want->substr(11)) {
    return true;
  }
  return false;
}

std::string Show(const std::optional<std::string>& v) {
  return v ? "'" + *v + "'" : "NULL";
}

class CleanCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(CleanCorpus, MatchesExpectation) {
  const std::string name = GetParam();
  const json spec = json::parse(testing::ReadFile(CasePath(name, ".ops.json")));
  const json operations = spec.is_object() ? spec["operations"] : spec;
  const std::string input = CasePath(name, ".input.csv");
  ASSERT_TRUE(fs::exists(input)) << "missing " << input;

  TempDir dir;
  IngestOptions options;
  options.output_dir = dir.File("tables");
  options.work_dir = dir.path();
  auto tables = IngestFile(SharedEngine(), input, DetectFormat(input), options, nullptr);
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  ASSERT_FALSE(tables->empty());
  const std::string parquet = tables->front().parquet_path;

  // Compile (without data) must agree with Apply on validity.
  auto schema = ReadSchema(SharedEngine(), parquet);
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  auto plan = Compile(operations, *schema, parquet);

  const std::string out = dir.File("out.parquet");
  auto applied = Apply(SharedEngine(), parquet, operations, out);

  if (fs::exists(CasePath(name, ".error.json"))) {
    const json error = json::parse(testing::ReadFile(CasePath(name, ".error.json")));
    ASSERT_FALSE(applied.ok()) << "expected " << error.dump();
    EXPECT_EQ(ErrorCodeName(applied.status().code()), error["code"].get<std::string>())
        << applied.status().message();
    if (error.contains("index")) {
      EXPECT_EQ(applied.status().details().value("index", json()), error["index"])
          << applied.status().message();
    }
    if (error.contains("field")) {
      EXPECT_EQ(applied.status().details().value("field", json()), error["field"])
          << applied.status().message();
    }
    if (error.contains("message_contains")) {
      EXPECT_NE(applied.status().message().find(error["message_contains"].get<std::string>()),
                std::string::npos)
          << applied.status().message();
    }
    if (error.value("at_compile", true)) {
      EXPECT_FALSE(plan.ok()) << "Compile without data should refuse this too";
    }
    EXPECT_EQ(applied.status().message().find(dir.path()), std::string::npos)
        << "message leaks a server path";
    EXPECT_FALSE(fs::exists(out)) << "a failed apply must not leave its output";
    return;
  }
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_TRUE(applied.ok()) << applied.status().message();

  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  auto got = ReadText(*conn, "read_parquet(" + QuoteLiteral(out) + ")");
  ASSERT_TRUE(got.ok()) << got.status().message();
  const std::string expected_path = CasePath(name, ".expected.csv");
  auto want =
      ReadText(*conn, "read_csv(" + QuoteLiteral(expected_path) +
                          ", all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"', "
                          "null_padding = false, allow_quoted_nulls = false)");
  ASSERT_TRUE(want.ok()) << want.status().message();

  EXPECT_EQ(got->columns, want->columns) << "output columns";
  ASSERT_EQ(got->rows.size(), want->rows.size()) << "output rows";
  EXPECT_EQ(applied->rows_after, static_cast<std::int64_t>(want->rows.size()));
  for (std::size_t r = 0; r < got->rows.size(); ++r) {
    for (std::size_t c = 0; c < got->columns.size() && c < want->columns.size(); ++c) {
      EXPECT_TRUE(SameCell(got->rows[r][c], want->rows[r][c]))
          << "row " << r + 1 << ", column '" << got->columns[c] << "': got " << Show(got->rows[r][c])
          << ", expected " << Show(want->rows[r][c]);
    }
  }
  if (spec.is_object() && spec.contains("expect_types")) {
    for (const auto& [column, type] : spec["expect_types"].items()) {
      const auto found = std::find_if(applied->output_schema.begin(), applied->output_schema.end(),
                                      [&](const ColumnSchema& c) { return c.name == column; });
      ASSERT_NE(found, applied->output_schema.end()) << column;
      EXPECT_EQ(found->type, type.get<std::string>())
          << "type of " << column << " (" << found->duckdb_type << ")";
    }
  }
  if (spec.is_object() && spec.contains("expect_stats")) {
    const json& stats = spec["expect_stats"];
    ASSERT_EQ(stats.size(), applied->operations.size());
    for (std::size_t i = 0; i < stats.size(); ++i) {
      for (const auto& [key, value] : stats[i].items()) {
        const auto& s = applied->operations[i];
        const std::int64_t actual = key == "affected_rows" ? s.affected_rows
                                    : key == "rows_before" ? s.rows_before
                                                           : s.rows_after;
        EXPECT_EQ(actual, value.get<std::int64_t>()) << "operation " << i << " " << key;
      }
    }
  }
  // The preview on the full data agrees with what was written.
  auto preview = MakePreview(SharedEngine(), parquet, operations, 1000);
  ASSERT_TRUE(preview.ok()) << preview.status().message();
  EXPECT_EQ(preview->row_count_after, applied->rows_after);
  EXPECT_EQ(preview->row_count_before, applied->rows_before);
}

INSTANTIATE_TEST_SUITE_P(Corpus, CleanCorpus, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace dm::engine::clean
