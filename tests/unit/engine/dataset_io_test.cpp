// ReadRows, ReadSchema, exports, the sandbox, value typing and the generated hostile inputs.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "engine/dataset_io.h"
#include "engine/duckdb.h"
#include "engine/format_detector.h"
#include "engine/ingest.h"
#include "engine/sql.h"
#include "test_util.h"

namespace dm::engine {
namespace {

using testing::TempDir;
using testing::WriteFile;

Engine& SharedEngine() {
  static Engine engine(EngineOptions{"", "1GB", 2});
  return engine;
}

/// Writes a small Parquet file with DuckDB: 25 rows, typed columns, some NULLs.
std::string MakeParquet(const TempDir& dir) {
  const std::string path = dir.File("v1.parquet");
  auto conn = SharedEngine().Connect();
  EXPECT_TRUE(conn.ok());
  const Status s = conn->Execute(
      "COPY (SELECT i AS id, 'name ' || i AS name, CASE WHEN i % 5 = 0 THEN NULL ELSE i * 1.5 END AS score, "
      "DATE '2024-01-01' + i::INTEGER AS day, TIMESTAMP '2024-01-01 10:00:00' + INTERVAL (i) MINUTE AS ts, "
      "i % 2 = 0 AS even, CAST(i AS DECIMAL(10,2)) AS price FROM range(1, 26) t(i)) TO " +
      QuoteLiteral(path) + " (FORMAT parquet)");
  EXPECT_TRUE(s.ok()) << s.message();
  return path;
}

TEST(QueryResult, ConvertsValuesToTypedJson) {
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  auto r = conn->Query(
      "SELECT 42::TINYINT a, 9223372036854775807::BIGINT b, 170141183460469231731687303715884105727::HUGEINT "
      "c, "
      "12.345::DECIMAL(10,3) d, 1.5::DOUBLE e, true f, DATE '2024-02-29' g, TIMESTAMP '2024-02-29 "
      "13:14:15.5' h, "
      "TIME '01:02:03' i, NULL::INTEGER j, [1,2] k, {'x': 1, 'y': 'z'} l, 'text' m, 'nan'::DOUBLE n, "
      "MAP {'k': 2} o, '00000000-0000-0000-0000-000000000001'::UUID p, "
      "12345678901234567890.12::DECIMAL(38,2) q");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const nlohmann::json row = r->Row(0);
  EXPECT_EQ(row[0], 42);
  EXPECT_EQ(row[1], 9223372036854775807LL);
  EXPECT_EQ(row[2], "170141183460469231731687303715884105727");
  EXPECT_DOUBLE_EQ(row[3].get<double>(), 12.345);
  EXPECT_EQ(row[4], 1.5);
  EXPECT_EQ(row[5], true);
  EXPECT_EQ(row[6], "2024-02-29");
  EXPECT_EQ(row[7], "2024-02-29T13:14:15.500000");
  EXPECT_EQ(row[8], "01:02:03");
  EXPECT_TRUE(row[9].is_null());
  EXPECT_EQ(row[10], nlohmann::json::parse("[1,2]"));
  EXPECT_EQ(row[11], nlohmann::json::parse(R"({"x":1,"y":"z"})"));
  EXPECT_EQ(row[12], "text");
  EXPECT_EQ(row[13], "NaN");
  EXPECT_EQ(row[14], nlohmann::json::parse(R"({"k":2})"));
  EXPECT_EQ(row[15], "00000000-0000-0000-0000-000000000001");
  EXPECT_EQ(row[16], "12345678901234567890.12");
  EXPECT_EQ(r->ColumnTypeName(3), "DECIMAL(10,3)");
}

TEST(Connection, FailedQueryBecomesStatus) {
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  auto r = conn->Query("SELECT * FROM no_such_table");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::VALIDATION_ERROR);
  EXPECT_NE(r.status().message().find("no_such_table"), std::string::npos);
}

TEST(Appender, AppendsRows) {
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(conn->Execute("CREATE TEMP TABLE app (a BIGINT, b VARCHAR, c DATE, d DOUBLE)").ok());
  {
    auto appender = Appender::Create(*conn, "app");
    ASSERT_TRUE(appender.ok()) << appender.status().message();
    ASSERT_TRUE(appender->AppendInt64(7).ok());
    ASSERT_TRUE(appender->AppendVarchar("seven").ok());
    ASSERT_TRUE(appender->AppendDate(2024, 3, 1).ok());
    ASSERT_TRUE(appender->AppendNull().ok());
    ASSERT_TRUE(appender->EndRow().ok());
    ASSERT_TRUE(appender->Close().ok());
  }
  auto r = conn->Query("SELECT * FROM app");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Row(0), nlohmann::json::parse(R"([7,"seven","2024-03-01",null])"));
}

TEST(ReadRows, PagesAndCountsTotal) {
  TempDir dir;
  const std::string parquet = MakeParquet(dir);
  auto page = ReadRows(SharedEngine(), parquet, 10, 5, {});
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ((*page)["total"], 25);
  EXPECT_EQ((*page)["offset"], 10);
  EXPECT_EQ((*page)["limit"], 5);
  ASSERT_EQ((*page)["rows"].size(), 5u);
  EXPECT_EQ((*page)["rows"][0][0], 11);
  EXPECT_EQ((*page)["columns"], nlohmann::json::parse(R"(["id","name","score","day","ts","even","price"])"));
  EXPECT_EQ((*page)["rows"][0][3], "2024-01-12");
  EXPECT_TRUE((*page)["rows"][4][2].is_null());  // id 15: NULL score
  auto tail = ReadRows(SharedEngine(), parquet, 24, 100, {});
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ((*tail)["rows"].size(), 1u);
}

TEST(ReadRows, PagesAcrossRowGroupsInFileOrder) {
  // Small row groups: a page read by row number must skip to the right ones and join two.
  TempDir dir;
  const std::string path = dir.File("groups.parquet");
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(conn->Execute("COPY (SELECT i + 1 AS id, 'r' || i AS label FROM range(10000) t(i)) TO " +
                            QuoteLiteral(path) + " (FORMAT parquet, ROW_GROUP_SIZE 2048)")
                  .ok());
  // 0..999 are the first rows kept in memory (the head); 900 and 999 straddle its end.
  for (const std::int64_t offset : {0, 200, 800, 900, 999, 1000, 2040, 4096, 7000, 9990}) {
    auto page = ReadRows(SharedEngine(), path, offset, 200, {});
    ASSERT_TRUE(page.ok()) << page.status().message();
    EXPECT_EQ((*page)["total"], 10000);
    const auto& rows = (*page)["rows"];
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(std::min<std::int64_t>(200, 10000 - offset)));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i][0], offset + static_cast<std::int64_t>(i) + 1) << "offset " << offset;
      ASSERT_EQ(rows[i][1], "r" + std::to_string(offset + static_cast<std::int64_t>(i)));
    }
  }
  auto past = ReadRows(SharedEngine(), path, 10000, 50, {});
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE((*past)["rows"].empty());
  EXPECT_EQ((*past)["total"], 10000);
  auto none = ReadRows(SharedEngine(), path, 5, 0, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE((*none)["rows"].empty());
  // Another file at the same path: the kept first rows are not served for it.
  ASSERT_TRUE(
      conn->Execute("COPY (SELECT i + 100001 AS id, 'other' || i AS label FROM range(3000) t(i)) TO " +
                    QuoteLiteral(path) + " (FORMAT parquet)")
          .ok());
  auto replaced = ReadRows(SharedEngine(), path, 0, 200, {});
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ((*replaced)["total"], 3000);
  EXPECT_EQ((*replaced)["rows"][0][0], 100001);
  EXPECT_EQ((*replaced)["rows"][199][1], "other199");
}

TEST(ReadRows, FirstRowsTooBigToKeepArePagedAsUsual) {
  // 1,000 rows of 2 KB cells: ~2 MB of first rows, over the 256 KB kept in memory.
  TempDir dir;
  const std::string path = dir.File("long.parquet");
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(
      conn->Execute("COPY (SELECT i AS id, repeat(chr(97 + CAST(i % 26 AS INTEGER)), 2000) AS body FROM "
                    "range(3000) t(i)) TO " +
                    QuoteLiteral(path) + " (FORMAT parquet)")
          .ok());
  for (int pass = 0; pass < 2; ++pass) {  // the first read, then after it was found too big
    for (const std::int64_t offset : {0, 150, 990}) {
      auto page = ReadRows(SharedEngine(), path, offset, 5, {});
      ASSERT_TRUE(page.ok()) << page.status().message();
      ASSERT_EQ((*page)["rows"].size(), 5u);
      for (std::size_t i = 0; i < 5; ++i) {
        const std::int64_t id = offset + static_cast<std::int64_t>(i);
        EXPECT_EQ((*page)["rows"][i][0], id);
        EXPECT_EQ((*page)["rows"][i][1], std::string(2000, static_cast<char>('a' + id % 26)));
      }
    }
  }
}

TEST(ReadRows, ColumnNamedFileRowNumber) {
  TempDir dir;
  const std::string path = dir.File("named.parquet");
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(conn->Execute("COPY (SELECT i AS \"File_Row_Number\", i * 2 AS twice FROM range(30) t(i)) TO " +
                            QuoteLiteral(path) + " (FORMAT parquet)")
                  .ok());
  auto page = ReadRows(SharedEngine(), path, 10, 3, {});
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ((*page)["columns"], nlohmann::json::parse(R"(["File_Row_Number","twice"])"));
  EXPECT_EQ((*page)["rows"], nlohmann::json::parse("[[10,20],[11,22],[12,24]]"));
}

TEST(ReadRows, SortsWithNullsLast) {
  TempDir dir;
  const std::string parquet = MakeParquet(dir);
  auto page = ReadRows(SharedEngine(), parquet, 0, 3, {{"score", true}});
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ((*page)["rows"][0][0], 24);
  auto asc = ReadRows(SharedEngine(), parquet, 0, 30, {{"even", false}, {"id", true}});
  ASSERT_TRUE(asc.ok());
  EXPECT_EQ((*asc)["rows"][0][0], 25);
  EXPECT_EQ((*asc)["rows"][24][0], 2);
}

TEST(ReadRows, UnknownSortColumnIsValidationError) {
  TempDir dir;
  const std::string parquet = MakeParquet(dir);
  auto page = ReadRows(SharedEngine(), parquet, 0, 3, {{"nope\"; DROP", false}});
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().code(), ErrorCode::VALIDATION_ERROR);
  EXPECT_NE(page.status().message().find("nope"), std::string::npos);
  EXPECT_FALSE(ReadRows(SharedEngine(), parquet, -1, 3, {}).ok());
}

TEST(ReadSchema, MapsApiTypes) {
  TempDir dir;
  const std::string parquet = MakeParquet(dir);
  auto schema = ReadSchema(SharedEngine(), parquet);
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  ASSERT_EQ(schema->size(), 7u);
  const std::vector<std::string> want = {"integer",   "string",  "decimal", "date",
                                         "timestamp", "boolean", "decimal"};
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ((*schema)[i].type, want[i]) << (*schema)[i].name;
  EXPECT_FALSE((*schema)[0].nullable);
  EXPECT_TRUE((*schema)[2].nullable);
}

class ExportRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(ExportRoundTrip, ReimportsWithSameRows) {
  TempDir dir;
  const std::string parquet = MakeParquet(dir);
  const std::string format = GetParam();
  const std::string out = dir.File("export." + format);
  const Status s = ExportFile(SharedEngine(), parquet, format, out);
  ASSERT_TRUE(s.ok()) << s.message();
  const std::string detected = DetectFormat(out);
  EXPECT_EQ(detected, format);
  IngestOptions options;
  options.output_dir = dir.File("reimport");
  options.work_dir = dir.path();
  auto tables = IngestFile(SharedEngine(), out, detected, options, nullptr);
  if (format == "xlsx" && !tables.ok() && tables.status().message().find("not built") != std::string::npos) {
    GTEST_SKIP() << "spreadsheet reader not built";
  }
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  ASSERT_EQ(tables->size(), 1u);
  EXPECT_EQ((*tables)[0].row_count, 25);
  ASSERT_EQ((*tables)[0].columns.size(), 7u);
  EXPECT_EQ((*tables)[0].columns[1].name, "name");
  auto rows = ReadRows(SharedEngine(), (*tables)[0].parquet_path, 0, 1, {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)["rows"][0][0], 1);
  EXPECT_EQ((*rows)["rows"][0][1], "name 1");
  EXPECT_EQ((*rows)["rows"][0][3], "2024-01-02");
}

INSTANTIATE_TEST_SUITE_P(Formats, ExportRoundTrip,
                         ::testing::Values("csv", "json", "ndjson", "parquet", "xlsx"));

TEST(ExportFile, UnknownFormatIsValidationError) {
  TempDir dir;
  const std::string parquet = MakeParquet(dir);
  const Status s = ExportFile(SharedEngine(), parquet, "docx", dir.File("x.docx"));
  EXPECT_EQ(s.code(), ErrorCode::VALIDATION_ERROR);
}

// ------------------------------------------------------------------ sandbox

class Sandbox : public ::testing::Test {
 protected:
  void SetUp() override { parquet_ = MakeParquet(dir_); }
  Result<nlohmann::json> Run(const std::string& sql, QueryLimits limits = {}) {
    return RunSandboxedQuery(parquet_, sql, limits);
  }
  void ExpectRefused(const std::string& sql) {
    auto r = Run(sql);
    EXPECT_FALSE(r.ok()) << "should be refused: " << sql;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), ErrorCode::VALIDATION_ERROR) << sql;
      EXPECT_FALSE(r.status().message().empty());
      EXPECT_EQ(r.status().message().find(dir_.path()), std::string::npos) << r.status().message();
    }
  }
  TempDir dir_;
  std::string parquet_;
};

TEST_F(Sandbox, SelectsAndAggregates) {
  auto r = Run("SELECT count(*) AS n, sum(id) AS s, avg(score) FROM data");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)["columns"][0], "n");
  EXPECT_EQ((*r)["rows"][0][0], 25);
  EXPECT_EQ((*r)["rows"][0][1], 325);
  EXPECT_EQ((*r)["row_count"], 1);
  EXPECT_EQ((*r)["truncated"], false);
  for (const char* ok :
       {"WITH t AS (SELECT id FROM data) SELECT max(id) FROM t", "FROM data LIMIT 2", "VALUES (1, 'a')",
        "DESCRIBE data", "SUMMARIZE data", "EXPLAIN SELECT * FROM data", "  -- comment\n SELECT 1",
        "PIVOT data ON even IN (true, false) USING count(*) GROUP BY name", "TABLE data"}) {
    auto q = Run(ok);
    EXPECT_TRUE(q.ok()) << ok << ": " << q.status().message();
  }
}

TEST_F(Sandbox, TruncatesAtMaxRows) {
  QueryLimits limits;
  limits.max_rows = 10;
  auto r = Run("SELECT * FROM data", limits);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["row_count"], 10);
  EXPECT_EQ((*r)["truncated"], true);
  auto empty = Run("SELECT * FROM data WHERE id < 0");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)["columns"].size(), 7u);
  EXPECT_EQ((*empty)["row_count"], 0);
}

TEST_F(Sandbox, RefusesFileAccess) {
  ExpectRefused("SELECT * FROM read_csv('/etc/passwd')");
  ExpectRefused("SELECT * FROM read_text('/etc/passwd')");
  ExpectRefused("SELECT * FROM read_blob('/etc/hostname')");
  ExpectRefused("SELECT * FROM '/etc/passwd'");
  ExpectRefused("SELECT * FROM glob('/*')");
  ExpectRefused("COPY data TO '/tmp/dm_sandbox_leak.csv'");
  ExpectRefused("COPY (SELECT 1) TO '/tmp/dm_sandbox_leak.csv'");
  ExpectRefused("EXPLAIN ANALYZE COPY data TO '/tmp/x.csv'");
  EXPECT_FALSE(std::filesystem::exists("/tmp/dm_sandbox_leak.csv"));
}

TEST_F(Sandbox, RefusesStateChangesAndConfiguration) {
  for (const char* sql : {"ATTACH '/tmp/x.db' AS x",
                          "INSTALL httpfs",
                          "LOAD httpfs",
                          "SET enable_external_access = true",
                          "SET threads = 8",
                          "RESET lock_configuration",
                          "PRAGMA enable_profiling",
                          "PRAGMA table_info('data')",
                          "CREATE TABLE t AS SELECT * FROM data",
                          "INSERT INTO data VALUES (1)",
                          "UPDATE data SET id = 1",
                          "DELETE FROM data",
                          "DROP VIEW data",
                          "CREATE MACRO m() AS 1",
                          "CALL pragma_version()",
                          "DETACH memory",
                          "USE memory",
                          "CHECKPOINT",
                          "EXPORT DATABASE '/tmp/x'",
                          "VACUUM",
                          "SELECT 1; SELECT 2",
                          "SELECT 1; DROP VIEW data",
                          ""}) {
    ExpectRefused(sql);
  }
  // Still intact afterwards.
  auto r = Run("SELECT count(*) FROM data");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["rows"][0][0], 25);
}

TEST_F(Sandbox, RefusesOtherParquetFiles) {
  const std::string other = dir_.File("other.parquet");
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(
      conn->Execute("COPY (SELECT 1 AS secret) TO " + QuoteLiteral(other) + " (FORMAT parquet)").ok());
  ExpectRefused("SELECT * FROM read_parquet(" + QuoteLiteral(other) + ")");
}

TEST_F(Sandbox, TimesOut) {
  QueryLimits limits;
  limits.timeout_ms = 300;
  auto r = Run("SELECT count(*) FROM range(10000000000) a", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::VALIDATION_ERROR);
  EXPECT_NE(r.status().message().find("time limit"), std::string::npos) << r.status().message();
}

TEST_F(Sandbox, BadSqlIsAClearError) {
  auto r = Run("SELEC 1");
  ASSERT_FALSE(r.ok());
  auto missing = Run("SELECT nope FROM data");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos);
}

// ------------------------------------------------------------------ generated hostile inputs

Result<std::vector<TableInfo>> IngestGenerated(const TempDir& dir, const std::string& name) {
  IngestOptions options;
  options.output_dir = dir.File("out");
  options.work_dir = dir.path();
  const std::string path = dir.File(name);
  return IngestFile(SharedEngine(), path, DetectFormat(path), options, nullptr);
}

/// The lengths of the `text` column of an ingested table's rows with id >= `from_id`, in id order.
nlohmann::json TextLengths(const TableInfo& table, int from_id) {
  auto conn = SharedEngine().Connect();
  if (!conn.ok()) return conn.status().message();
  auto lengths =
      conn->Query("SELECT list(length(text) ORDER BY id) FILTER (WHERE id >= " + std::to_string(from_id) +
                  ") FROM read_parquet(" + QuoteLiteral(table.parquet_path) + ")");
  if (!lengths.ok()) return lengths.status().message();
  return lengths->Cell(0, 0);
}

// A file with a line longer than DuckDB's 2 MB default is read with room for max_cell_bytes.
TEST(IngestGenerated, TenMegabyteCell) {
  TempDir dir;
  WriteFile(dir.File("big_cell.csv"), "id,text\n1," + std::string(10 << 20, 'x') + "\n2,short\n");
  auto tables = IngestGenerated(dir, "big_cell.csv");
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  EXPECT_EQ((*tables)[0].row_count, 2);
  EXPECT_EQ((*tables)[0].rejected_row_count, 0);
  EXPECT_EQ(TextLengths((*tables)[0], 1), nlohmann::json::array({10 << 20, 5}));
}

// IngestOptions::database_max_columns: delimited text wider than the bound goes to Parquet
// even when tables were asked for; narrower text goes to the table.
TEST(IngestGenerated, WideTextGoesToParquetEvenIntoADatabase) {
  TempDir dir;
  WriteFile(dir.File("narrow.csv"), "a,b\n1,2\n");
  WriteFile(dir.File("wide.csv"), "a,b,c\n1,2,3\n");
  IngestOptions options;
  options.output_dir = dir.File("out");
  options.work_dir = dir.path();
  options.database = "memory";
  options.database_max_columns = 2;
  for (const char* name : {"narrow.csv", "wide.csv"}) {
    SCOPED_TRACE(name);
    const std::string path = dir.File(name);
    auto tables = IngestFile(SharedEngine(), path, DetectFormat(path), options, nullptr);
    ASSERT_TRUE(tables.ok()) << tables.status().message();
    const TableInfo& t = (*tables)[0];
    EXPECT_EQ(t.row_count, 1);
    const bool wide = std::string(name) == "wide.csv";
    EXPECT_EQ(t.table.empty(), wide);
    EXPECT_EQ(!t.parquet_path.empty() && std::filesystem::exists(t.parquet_path), wide);
    EXPECT_EQ(t.columns.size(), wide ? 3u : 2u);
    if (!wide) {
      auto conn = SharedEngine().Connect();
      ASSERT_TRUE(conn.ok());
      EXPECT_TRUE(conn->Execute("DROP TABLE " + t.table).ok());
    }
  }
}

// A row whose quoted line breaks make it longer than the short read's buffers, though each of
// its lines is short: read whole with the full sizes (DuckDB would drop it without a word).
TEST(IngestGenerated, QuotedRowLongerThanItsLines) {
  TempDir dir;
  std::string csv = "id,text\n", text;
  for (int i = 1; i <= 30'000; ++i) csv += std::to_string(i) + ",\"a, b\"\n";
  for (int i = 0; i < 2'100'000; ++i) text += "line\n";  // 10.5 MB: more than the short read's buffers
  WriteFile(dir.File("long_row.csv"), csv + "30001,\"" + text + "\"\n30002,c\n");
  auto tables = IngestGenerated(dir, "long_row.csv");
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  EXPECT_EQ((*tables)[0].row_count, 30002);
  EXPECT_EQ((*tables)[0].rejected_row_count, 0);
  EXPECT_EQ(TextLengths((*tables)[0], 30'000), nlohmann::json::array({4, text.size(), 1}));
}

// DuckDB's sniffer cannot get past a line over the limit, and its reader drops a row longer
// than its buffer without a word: such a file is refused at once, naming the line.
TEST(IngestGenerated, LineOverTheLimitIsRefusedWithItsNumber) {
  TempDir dir;
  WriteFile(dir.File("too_long.csv"), "id,text\n1,a\n2," + std::string(3 << 20, 'x') + "\n3,c\n");
  IngestOptions options;
  options.output_dir = dir.File("out");
  options.work_dir = dir.path();
  options.max_cell_bytes = 1 << 20;
  auto tables = IngestFile(SharedEngine(), dir.File("too_long.csv"), "csv", options, nullptr);
  ASSERT_FALSE(tables.ok());
  EXPECT_EQ(tables.status().message(), "Line 3 is 3.0 MB long; a line may be at most 2.0 MB.");

  // Lines broken by a lone CR (old Mac files) are short lines, not one long one.
  std::string cr = "id,text\r";
  for (int i = 0; i < 200'000; ++i) cr += std::to_string(i) + ",some text\r";
  WriteFile(dir.File("cr.csv"), cr);
  tables = IngestFile(SharedEngine(), dir.File("cr.csv"), "csv", options, nullptr);
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  EXPECT_EQ((*tables)[0].row_count, 200'000);
}

TEST(IngestGenerated, TwentyThousandColumns) {
  TempDir dir;
  std::string header, row;
  for (int i = 0; i < 20000; ++i) {
    header += (i ? ",c" : "c") + std::to_string(i);
    row += (i ? "," : "") + std::to_string(i);
  }
  WriteFile(dir.File("wide.csv"), header + "\n" + row + "\n" + row + "\n");
  auto tables = IngestGenerated(dir, "wide.csv");
  // DuckDB's sniffer runs out of memory on lines this wide and then reports one column:
  // the result is all 20,000 columns or a clear error, never a silently narrowed table.
  if (tables.ok()) {
    EXPECT_EQ((*tables)[0].columns.size(), 20000u);
    EXPECT_EQ((*tables)[0].row_count, 2);
  } else {
    EXPECT_NE(tables.status().code(), ErrorCode::INTERNAL) << tables.status().message();
  }
  WriteFile(dir.File("too_wide.csv"), header + ",extra\n" + row + ",1\n");
  auto too_wide = IngestGenerated(dir, "too_wide.csv");
  if (too_wide.ok()) {
    EXPECT_EQ((*too_wide)[0].columns.size(), 20001u) << "a wider file must not lose columns";
  } else {
    EXPECT_NE(too_wide.status().code(), ErrorCode::INTERNAL) << too_wide.status().message();
  }
}

// Past 50 columns the sniffer samples ~1M cells (here the first 1,024 of 1,100 rows): a value
// after the sample that does not fit the sniffed type turns that column to text on a second
// read, losing no row.
TEST(IngestGenerated, WideFileValueAfterTheSniffSample) {
  TempDir dir;
  constexpr int kColumns = 1000, kRows = 1100;
  std::string csv;
  for (int c = 0; c < kColumns; ++c) csv += (c ? ",c" : "c") + std::to_string(c);
  csv += "\n";
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kColumns; ++c) {
      if (c) csv += ",";
      csv += c == 7 && r == kRows - 10 ? std::string("n/a") : std::to_string((r + c) % 10);
    }
    csv += "\n";
  }
  WriteFile(dir.File("wide_late.csv"), csv);
  auto tables = IngestGenerated(dir, "wide_late.csv");
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  const TableInfo& t = (*tables)[0];
  EXPECT_EQ(t.row_count, kRows);
  EXPECT_EQ(t.rejected_row_count, 0);
  ASSERT_EQ(t.columns.size(), static_cast<std::size_t>(kColumns));
  EXPECT_EQ(t.columns[6].type, "integer");
  EXPECT_EQ(t.columns[7].type, "string");
}

// Row groups hold at most ~8M cells, in whole 2,048-row vectors, DuckDB's default at most.
TEST(ParquetWriteOptions, SizesRowGroupsByColumnCount) {
  EXPECT_NE(ParquetWriteOptions(12).find("ROW_GROUP_SIZE 122880)"), std::string::npos);
  EXPECT_NE(ParquetWriteOptions(200).find("ROW_GROUP_SIZE 38912)"), std::string::npos);
  EXPECT_NE(ParquetWriteOptions(1000).find("ROW_GROUP_SIZE 6144)"), std::string::npos);
  EXPECT_NE(ParquetWriteOptions(20000).find("ROW_GROUP_SIZE 2048)"), std::string::npos);
  EXPECT_NE(ParquetWriteOptions(1000).find("COMPRESSION zstd"), std::string::npos);
}

TEST(IngestGenerated, JsonNestedVeryDeep) {
  TempDir dir;
  const int depth = 100000;
  std::string text;
  for (int i = 0; i < depth; ++i) text += "{\"a\":";
  text += "1";
  text += std::string(depth, '}');
  WriteFile(dir.File("deep.json"), text);
  auto tables = IngestGenerated(dir, "deep.json");
  if (!tables.ok()) {
    EXPECT_EQ(tables.status().code(), ErrorCode::VALIDATION_ERROR) << tables.status().message();
    EXPECT_EQ(tables.status().message().find(dir.path()), std::string::npos);
  }
  WriteFile(dir.File("deep_array.json"), std::string(depth, '[') + std::string(depth, ']'));
  auto arrays = IngestGenerated(dir, "deep_array.json");
  if (!arrays.ok()) {
    EXPECT_NE(arrays.status().code(), ErrorCode::OK);
  }
}

TEST(IngestGenerated, ParquetInput) {
  TempDir dir;
  const std::string parquet = MakeParquet(dir);
  EXPECT_EQ(DetectFormat(parquet), "parquet");
  IngestOptions options;
  options.output_dir = dir.File("out");
  options.work_dir = dir.path();
  auto tables = IngestFile(SharedEngine(), parquet, "parquet", options, nullptr);
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  EXPECT_EQ((*tables)[0].name, "v1");
  EXPECT_EQ((*tables)[0].row_count, 25);
  EXPECT_EQ((*tables)[0].columns[6].type, "decimal");
}

TEST(IngestGenerated, PdfAndImageAreUnsupported) {
  TempDir dir;
  WriteFile(dir.File("doc.pdf"), "%PDF-1.4\n%...\n");
  WriteFile(dir.File("pic.png"), std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  auto pdf = IngestGenerated(dir, "doc.pdf");
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), ErrorCode::UNSUPPORTED_FORMAT);
  EXPECT_NE(pdf.status().message().find("PDF table extraction is not available yet"), std::string::npos);
  auto png = IngestGenerated(dir, "pic.png");
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.status().code(), ErrorCode::UNSUPPORTED_FORMAT);
}

TEST(IngestGenerated, CancelStopsTheImport) {
  TempDir dir;
  std::string text = "a,b\n";
  for (int i = 0; i < 200000; ++i) text += std::to_string(i) + ",x" + std::to_string(i) + "\n";
  WriteFile(dir.File("rows.csv"), text);
  IngestOptions options;
  options.output_dir = dir.File("out");
  options.work_dir = dir.path();
  int calls = 0;
  auto tables =
      IngestFile(SharedEngine(), dir.File("rows.csv"), "csv", options, [&](double, const std::string&) {
        ++calls;
        return false;
      });
  // Small files may finish before the first progress poll; then the final call is made.
  if (!tables.ok()) {
    EXPECT_EQ(tables.status().code(), ErrorCode::CANCELED);
  }
  EXPECT_GE(calls, 1);
}

TEST(MakeColumnNamesUnique, TrimsFillsAndSuffixes) {
  EXPECT_EQ(MakeColumnNamesUnique({" a ", "", "a", "A", "b", "column_2"}),
            (std::vector<std::string>{"a", "column_2_2", "a_2", "A_3", "b", "column_2"}));
}

TEST(ApiTypeFor, MapsDuckDbTypes) {
  EXPECT_EQ(ApiTypeFor("BIGINT"), "integer");
  EXPECT_EQ(ApiTypeFor("UBIGINT"), "integer");
  EXPECT_EQ(ApiTypeFor("HUGEINT"), "integer");
  EXPECT_EQ(ApiTypeFor("DOUBLE"), "float");
  EXPECT_EQ(ApiTypeFor("DECIMAL(18,3)"), "decimal");
  EXPECT_EQ(ApiTypeFor("TIMESTAMP WITH TIME ZONE"), "timestamp");
  EXPECT_EQ(ApiTypeFor("TIMESTAMP_NS"), "timestamp");
  EXPECT_EQ(ApiTypeFor("TIME"), "time");
  EXPECT_EQ(ApiTypeFor("VARCHAR[]"), "string");
}

}  // namespace
}  // namespace dm::engine
