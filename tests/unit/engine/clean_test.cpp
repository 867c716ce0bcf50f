// Cleaning: validation errors, per-operation statistics, preview against apply, row order,
// cancellation and injection attempts. Operation semantics are covered by the data-driven
// corpus (clean_corpus_test.cpp, tests/data/clean).

#include "engine/clean.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/dataset_io.h"
#include "engine/sql.h"
#include "test_util.h"

namespace dm::engine::clean {
namespace {

using nlohmann::json;
using testing::TempDir;

Engine& SharedEngine() {
  static Engine engine(EngineOptions{"", "1GB", 2});
  return engine;
}

/// Writes `select` (a SELECT over nothing or range()) to a Parquet file in `dir`.
std::string MakeParquet(const TempDir& dir, const std::string& name, const std::string& select) {
  auto conn = SharedEngine().Connect();
  EXPECT_TRUE(conn.ok());
  const std::string path = dir.File(name);
  const Status s = conn->Execute("COPY (" + select + ") TO " + QuoteLiteral(path) + " (FORMAT parquet)");
  EXPECT_TRUE(s.ok()) << s.message();
  return path;
}

json ReadAll(const std::string& path) {
  auto rows = ReadRows(SharedEngine(), path, 0, 1000000, {});
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  return rows.ok() ? *rows : json();
}

std::vector<ColumnSchema> SchemaOf(const std::string& path) {
  auto schema = ReadSchema(SharedEngine(), path);
  EXPECT_TRUE(schema.ok());
  return schema.ok() ? *schema : std::vector<ColumnSchema>{};
}

const char* kSample =
    "SELECT * FROM (VALUES (1, ' a ', 10.0, 'x'), (2, 'b', NULL, 'y'), (3, ' a ', 10.0, 'x'), (4, 'c ', "
    "30.0, "
    "NULL), (5, 'b', 50.0, 'y'), (6, NULL, 1000.0, 'z')) AS t(id, name, amount, tag)";

// ------------------------------------------------------------------ validation

void ExpectInvalid(const json& ops, const std::vector<ColumnSchema>& schema, std::size_t index,
                   const std::string& field, const std::string& message_part = "") {
  auto plan = Compile(ops, schema, "/nonexistent.parquet");
  ASSERT_FALSE(plan.ok()) << ops.dump();
  EXPECT_EQ(plan.status().code(), ErrorCode::VALIDATION_ERROR);
  EXPECT_EQ(plan.status().details().value("index", json()), index) << plan.status().message();
  EXPECT_EQ(plan.status().details().value("field", json()), field) << plan.status().message();
  if (!message_part.empty()) {
    EXPECT_NE(plan.status().message().find(message_part), std::string::npos) << plan.status().message();
  }
}

std::vector<ColumnSchema> Schema() {
  return {{"id", "integer", "BIGINT", true},
          {"name", "string", "VARCHAR", true},
          {"amount", "float", "DOUBLE", true},
          {"when", "date", "DATE", true}};
}

TEST(CleanCompile, RefusesMalformedOperations) {
  ExpectInvalid(json::parse(R"([{"type":"trim_whitespace"},{"type":"explode"}])"), Schema(), 1, "type",
                "unknown operation type 'explode'");
  ExpectInvalid(json::parse(R"([{"column":"id"}])"), Schema(), 0, "type");
  ExpectInvalid(json::parse(R"([42])"), Schema(), 0, "type");
  ExpectInvalid(json::parse(R"([{"type":"cast","column":"id","to":"string","colour":"red"}])"), Schema(), 0,
                "colour", "unknown field 'colour'");
  ExpectInvalid(json::parse(R"([{"type":"cast","column":"nope","to":"string"}])"), Schema(), 0, "column",
                "operation 0 (cast): unknown column 'nope'");
  ExpectInvalid(json::parse(R"([{"type":"cast","column":"id","to":"colour"}])"), Schema(), 0, "to");
  ExpectInvalid(json::parse(R"([{"type":"cast","column":7,"to":"string"}])"), Schema(), 0, "column",
                "string");
  ExpectInvalid(json::parse(R"([{"type":"outliers","column":"amount","method":"iqr","threshold":"3"}])"),
                Schema(), 0, "threshold", "number");
  ExpectInvalid(json::parse(R"([{"type":"outliers","column":"name","method":"iqr"}])"), Schema(), 0, "column",
                "numeric");
  ExpectInvalid(json::parse(R"([{"type":"fill_missing","column":"name","strategy":"mean"}])"), Schema(), 0,
                "strategy", "numeric");
  ExpectInvalid(json::parse(R"([{"type":"fill_missing","column":"id","strategy":"constant"}])"), Schema(), 0,
                "value");
  ExpectInvalid(json::parse(R"([{"type":"fill_missing","column":"id","strategy":"constant","value":"x"}])"),
                Schema(), 0, "value", "does not fit");
  ExpectInvalid(json::parse(R"([{"type":"fill_missing","column":"id","strategy":"mean","value":1}])"),
                Schema(), 0, "value");
  ExpectInvalid(json::parse(R"([{"type":"filter_rows","column":"when","op":"gt","value":"2024-02-30"}])"),
                Schema(), 0, "value");
  ExpectInvalid(json::parse(R"([{"type":"filter_rows","column":"id","op":"is_null","value":1}])"), Schema(),
                0, "value");
  ExpectInvalid(json::parse(R"([{"type":"filter_rows","column":"id","op":"in","value":[]}])"), Schema(), 0,
                "value");
  ExpectInvalid(json::parse(R"([{"type":"trim_whitespace","columns":["id"]}])"), Schema(), 0, "columns",
                "text");
  ExpectInvalid(json::parse(R"([{"type":"normalize_categories","column":"name","mapping":["a"]}])"), Schema(),
                0, "mapping");
  ExpectInvalid(json::parse(R"([{"type":"normalize_categories","column":"name","mapping":{"a":1}}])"),
                Schema(), 0, "mapping");
  ExpectInvalid(json::parse(R"([{"type":"drop_columns","columns":["id","name","amount","when"]}])"), Schema(),
                0, "columns", "every column");
  ExpectInvalid(json::parse(R"([{"type":"rename_column","from":"id","to":"NAME"}])"), Schema(), 0, "to",
                "already exists");
  ExpectInvalid(json::parse(R"([{"type":"rename_column","from":"id","to":"__dm_row"}])"), Schema(), 0, "to",
                "reserved");
  ExpectInvalid(json::parse(R"([{"type":"split_column","column":"name","delimiter":"","into":["a"]}])"),
                Schema(), 0, "delimiter");
  ExpectInvalid(json::parse(R"([{"type":"split_column","column":"name","delimiter":" ","into":["a","A"]}])"),
                Schema(), 0, "into");
  ExpectInvalid(json::parse(R"([{"type":"deduplicate","keep":"middle"}])"), Schema(), 0, "keep");
  ExpectInvalid(json::parse(R"([{"type":"find_replace","column":"name","find":"","replace":"x"}])"), Schema(),
                0, "find");
  ExpectInvalid(
      json::parse(R"([{"type":"find_replace","column":"name","find":"a","replace":"x","regex":"yes"}])"),
      Schema(), 0, "regex");
  ExpectInvalid(json::parse(R"([{"type":"cast","column":"amount","to":"decimal","format":"40,2"}])"),
                Schema(), 0, "format");
  ExpectInvalid(json::parse(R"([{"type":"derive_column","name":"x","expression":"amount + nope"}])"),
                Schema(), 0, "expression", "unknown column 'nope' at position 10");
  ExpectInvalid(json::parse(R"([{"type":"change_case","column":"name","case":"sponge"}])"), Schema(), 0,
                "case");
  auto plan = Compile(json::object(), Schema(), "/x.parquet");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().details().value("field", json()), "operations");
}

TEST(CleanCompile, LaterOperationsSeeEarlierSchemaChanges) {
  const json ops = json::parse(R"([
      {"type":"rename_column","from":"name","to":"label"},
      {"type":"trim_whitespace","columns":["label"]},
      {"type":"derive_column","name":"double","expression":"amount * 2"},
      {"type":"fill_missing","column":"double","strategy":"median"},
      {"type":"cast","column":"id","to":"string"},
      {"type":"change_case","column":"id","case":"upper"},
      {"type":"drop_columns","columns":["when"]}])");
  auto plan = Compile(ops, Schema(), "/data/x.parquet");
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  std::vector<std::string> names;
  for (const auto& c : plan->output_schema) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"id", "label", "amount", "double"}));
  EXPECT_EQ(plan->output_schema[0].type, "string");
  EXPECT_EQ(plan->output_schema[3].type, "float");
  EXPECT_NE(plan->sql_with_ordinal.find(kOrdinal), std::string::npos);
  // The old name is gone after the rename.
  ExpectInvalid(json::parse(R"([{"type":"rename_column","from":"name","to":"label"},
                                {"type":"trim_whitespace","columns":["name"]}])"),
                Schema(), 1, "columns", "unknown column 'name'");
}

TEST(CleanCompile, ReservedInputColumnsAreRefused) {
  auto plan = Compile(json::array(), {{"__dm_row", "integer", "BIGINT", true}}, "/x.parquet");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("reserved"), std::string::npos);
}

// ------------------------------------------------------------------ apply and preview

TEST(CleanApply, CountsEveryOperationInOnePass) {
  TempDir dir;
  const std::string in = MakeParquet(dir, "in.parquet", kSample);
  // The filter after the trim must not be pushed below it: the trim sees all 6 rows.
  const json ops = json::parse(R"([
      {"type":"trim_whitespace","columns":["name"]},
      {"type":"filter_rows","column":"name","op":"ne","value":"c"},
      {"type":"fill_missing","column":"amount","strategy":"median"},
      {"type":"deduplicate","columns":["name","tag"],"keep":"first"},
      {"type":"rename_column","from":"tag","to":"label"}])");
  const std::string out = dir.File("out.parquet");
  auto result = Apply(SharedEngine(), in, ops, out);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->rows_before, 6);
  EXPECT_EQ(result->rows_after, 3);
  ASSERT_EQ(result->operations.size(), 5u);
  auto expect = [&](std::size_t i, std::int64_t before, std::int64_t after, std::int64_t affected) {
    const auto& s = result->operations[i];
    EXPECT_EQ(s.rows_before, before) << i << " " << s.type;
    EXPECT_EQ(s.rows_after, after) << i << " " << s.type;
    EXPECT_EQ(s.affected_rows, affected) << i << " " << s.type;
  };
  expect(0, 6, 6, 3);  // ' a ' twice, 'c '
  expect(1, 6, 5, 1);  // 'c' goes (NULL names stay: ne keeps nulls)
  expect(2, 5, 5, 1);  // id 2's amount: median of 10, 10, 50, 1000 = 30
  expect(3, 5, 3, 2);  // (a,x) and (b,y) repeat
  expect(4, 3, 3, 0);
  EXPECT_EQ(result->operations[0].type, "trim_whitespace");
  const json rows = ReadAll(out);
  EXPECT_EQ(rows["columns"], json::parse(R"(["id","name","amount","label"])"));
  EXPECT_EQ(rows["rows"], json::parse(R"([[1,"a",10.0,"x"],[2,"b",30.0,"y"],[6,null,1000.0,"z"]])"));
}

TEST(CleanApply, PreviewOnFullDataEqualsApply) {
  TempDir dir;
  const std::string in =
      MakeParquet(dir, "in.parquet",
                  "SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE i % 13 END AS qty, "
                  "CASE WHEN i % 5 = 0 THEN ' p' || (i % 3) || ' ' ELSE 'p' || (i % 3) END AS "
                  "cat, '$' || (i % 100) || '.50' AS price FROM range(5000) t(i)");
  const json ops = json::parse(R"([
      {"type":"fill_missing","column":"qty","strategy":"mean"},
      {"type":"trim_whitespace"},
      {"type":"normalize_categories","column":"cat","mapping":{"p0":"zero","p1":"one"}},
      {"type":"parse_numbers","column":"price"},
      {"type":"filter_rows","column":"qty","op":"ge","value":2},
      {"type":"derive_column","name":"total","expression":"qty * price"},
      {"type":"drop_columns","columns":["id"]}])");
  const std::string out = dir.File("out.parquet");
  auto applied = Apply(SharedEngine(), in, ops, out);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  auto preview = MakePreview(SharedEngine(), in, ops, 100000);
  ASSERT_TRUE(preview.ok()) << preview.status().message();
  EXPECT_EQ(preview->row_count_before, applied->rows_before);
  EXPECT_EQ(preview->row_count_after, applied->rows_after);
  // Every row changes here (id is dropped), so the preview lists all input rows; its kept
  // after-rows, in order, are exactly the written file.
  EXPECT_EQ(preview->affected_rows, 5000);
  const json written = ReadAll(out);
  EXPECT_EQ(preview->after["columns"], written["columns"]);
  json kept = json::array();
  for (const auto& row : preview->after["rows"]) {
    if (!row.is_null()) kept.push_back(row);
  }
  EXPECT_EQ(kept, written["rows"]);
  EXPECT_EQ(preview->before["rows"].size(), preview->changed_cells.size());

  // Without the drop, the preview's affected rows are those whose values changed or went.
  json fewer = ops;
  fewer.erase(fewer.size() - 1);
  fewer.erase(fewer.size() - 1);
  auto p2 = MakePreview(SharedEngine(), in, fewer, 5);
  ASSERT_TRUE(p2.ok()) << p2.status().message();
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  // Independent count: a row is affected when qty was null, cat was padded or mapped, the
  // price text changed ('$'), or the filter removed it; here every price has a '$'.
  EXPECT_EQ(p2->affected_rows, 5000);
  EXPECT_EQ(p2->before["rows"].size(), 5u);
  // Row 0: qty was null (filled with the mean), ' p0 ' trimmed and mapped, '$0.50' parsed.
  EXPECT_EQ(p2->changed_cells[0], (std::vector<std::string>{"qty", "cat", "price"}));
  EXPECT_EQ(p2->after["rows"][0][2], "zero");
  EXPECT_EQ(p2->after["rows"][0][3], 0.5);
  // Row 1: qty 1 is filtered out.
  EXPECT_EQ(p2->changed_cells[1], (std::vector<std::string>{"id", "qty", "cat", "price"}));
  EXPECT_TRUE(p2->after["rows"][1].is_null());
  EXPECT_EQ(p2->after["rows"][2], json::parse(R"([2, 2, "p2", 2.5])"));

  auto applied2 = Apply(SharedEngine(), in, fewer, dir.File("out2.parquet"));
  ASSERT_TRUE(applied2.ok());
  EXPECT_EQ(p2->row_count_after, applied2->rows_after);
}

TEST(CleanApply, PreviewCountsOnlyChangedRows) {
  TempDir dir;
  const std::string in = MakeParquet(dir, "in.parquet", kSample);
  const json ops = json::parse(R"([{"type":"trim_whitespace","columns":["name"]}])");
  auto preview = MakePreview(SharedEngine(), in, ops, 2);
  ASSERT_TRUE(preview.ok()) << preview.status().message();
  EXPECT_EQ(preview->affected_rows, 3);
  EXPECT_EQ(preview->row_count_before, 6);
  EXPECT_EQ(preview->row_count_after, 6);
  ASSERT_EQ(preview->before["rows"].size(), 2u);  // the limit
  EXPECT_EQ(preview->before["rows"][0], json::parse(R"([1, " a ", 10.0, "x"])"));
  EXPECT_EQ(preview->after["rows"][0], json::parse(R"([1, "a", 10.0, "x"])"));
  EXPECT_EQ(preview->changed_cells[0], (std::vector<std::string>{"name"}));
  EXPECT_EQ(preview->before["rows"][1][0], 3);
  auto none = MakePreview(SharedEngine(), in, json::array(), 10);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->affected_rows, 0);
  EXPECT_TRUE(none->before["rows"].empty());
}

TEST(CleanApply, KeepsRowOrderThroughWindowsAndGrouping) {
  TempDir dir;
  const std::string in = MakeParquet(dir, "in.parquet",
                                     "SELECT i AS id, CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS v, (i % "
                                     "10)::VARCHAR AS k FROM range(200000) t(i)");
  const json ops = json::parse(R"([
      {"type":"fill_missing","column":"v","strategy":"ffill"},
      {"type":"deduplicate","columns":["id","k"]},
      {"type":"fill_missing","column":"v","strategy":"interpolate"}])");
  const std::string out = dir.File("out.parquet");
  auto applied = Apply(SharedEngine(), in, ops, out);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_EQ(applied->operations[0].affected_rows, 66666);  // row 0 has nothing before it
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  auto r = conn->Query(
      "SELECT count(*) FILTER (WHERE id <> file_row_number), count(*) FILTER (WHERE v IS NULL) "
      "FROM read_parquet(" +
      QuoteLiteral(out) + ", file_row_number = true)");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->Cell(0, 0), 0) << "rows out of order";
  EXPECT_EQ(r->Cell(0, 1), 1);
}

TEST(CleanApply, CastFailureNamesTheValue) {
  TempDir dir;
  const std::string in = MakeParquet(dir, "in.parquet", "SELECT * FROM (VALUES ('1'), ('2'), ('two')) t(n)");
  const std::string out = dir.File("out.parquet");
  auto result = Apply(SharedEngine(), in,
                      json::parse(R"([{"type":"trim_whitespace"},{"type":"cast","column":"n","to":"integer",
                                      "on_error":"fail"}])"),
                      out);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::VALIDATION_ERROR);
  EXPECT_NE(result.status().message().find("'two'"), std::string::npos) << result.status().message();
  EXPECT_EQ(result.status().details().value("index", json()), 1);
  EXPECT_EQ(result.status().details().value("column", json()), "n");
  EXPECT_FALSE(std::filesystem::exists(out));
  auto dropped =
      Apply(SharedEngine(), in,
            json::parse(R"([{"type":"cast","column":"n","to":"integer","on_error":"drop"}])"), out);
  ASSERT_TRUE(dropped.ok()) << dropped.status().message();
  EXPECT_EQ(dropped->rows_after, 2);
  EXPECT_EQ(dropped->operations[0].affected_rows, 1);
  EXPECT_EQ(dropped->output_schema[0].type, "integer");
}

TEST(CleanApply, CancelsWhenProgressSaysStop) {
  TempDir dir;
  const std::string in = MakeParquet(dir, "in.parquet", kSample);
  auto result = Apply(SharedEngine(), in, json::parse(R"([{"type":"trim_whitespace"}])"),
                      dir.File("out.parquet"), [](double, const std::string&) { return false; });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::CANCELED);
  // A long query is interrupted mid-way.
  const std::string big =
      MakeParquet(dir, "big.parquet", "SELECT i, md5(i::VARCHAR) AS h FROM range(3000000) t(i)");
  int calls = 0;
  auto stopped =
      Apply(SharedEngine(), big,
            json::parse(R"([{"type":"deduplicate","columns":["h"]},{"type":"change_case","column":"h",
                                       "case":"upper"}])"),
            dir.File("big_out.parquet"), [&](double fraction, const std::string&) {
              EXPECT_GE(fraction, 0.0);
              EXPECT_LE(fraction, 1.0);
              return ++calls < 3;
            });
  if (!stopped.ok()) {
    EXPECT_EQ(stopped.status().code(), ErrorCode::CANCELED);
  }
}

TEST(CleanApply, InjectionAttemptsAreHarmless) {
  TempDir dir;
  const std::string evil = "x\"; DROP TABLE data; --";
  const std::string in =
      MakeParquet(dir, "in.parquet",
                  "SELECT * FROM (VALUES ('a''); DROP TABLE t; --', 1), ('b', 2), (NULL, 3)) t(" +
                      QuoteIdent(evil) + ", \"n\")");
  const json ops = json{
      {{"type", "normalize_categories"},
       {"column", evil},
       {"mapping", {{"a'); DROP TABLE t; --", "it's \"fine\""}}}},
      {{"type", "find_replace"}, {"column", evil}, {"find", "'"}, {"replace", "''"}},
      {{"type", "filter_rows"}, {"column", evil}, {"op", "ne"}, {"value", "b'; SELECT 1; --"}},
      {{"type", "derive_column"},
       {"name", "y'); --"},
       {"expression", "concat([x\"; DROP TABLE data; --], '\"''')"}},
      {{"type", "rename_column"}, {"from", "n"}, {"to", "n\" INTEGER); --"}},
      {{"type", "fill_missing"},
       {"column", evil},
       {"strategy", "constant"},
       {"value", "'); DROP TABLE x; --"}},
  };
  const std::string out = dir.File("out.parquet");
  auto result = Apply(SharedEngine(), in, ops, out);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const json rows = ReadAll(out);
  EXPECT_EQ(rows["columns"], json::parse(R"(["x\"; DROP TABLE data; --", "n\" INTEGER); --", "y'); --"])"));
  EXPECT_EQ(rows["rows"], json::parse(R"([["it''s \"fine\"", 1, "it''s \"fine\"\"'"], ["b", 2, "b\"'"],
                                          ["'); DROP TABLE x; --", 3, "\"'"]])"));
  auto preview = MakePreview(SharedEngine(), in, ops, 10);
  ASSERT_TRUE(preview.ok()) << preview.status().message();
  EXPECT_EQ(preview->row_count_after, 3);
}

TEST(CleanApply, ErrorsDoNotLeakPaths) {
  TempDir dir;
  auto missing = Apply(SharedEngine(), dir.File("nope.parquet"), json::array(), dir.File("out.parquet"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message().find(dir.path()), std::string::npos) << missing.status().message();
  const std::string in = MakeParquet(dir, "in.parquet", kSample);
  auto bad =
      Apply(SharedEngine(), in,
            json::parse(R"([{"type":"find_replace","column":"name","find":"(","replace":"","regex":true}])"),
            dir.File("out.parquet"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().details().value("field", json()), "find");
  EXPECT_EQ(bad.status().message().find(dir.path()), std::string::npos) << bad.status().message();
}

TEST(CleanApply, CompileForDataInlinesStatistics) {
  TempDir dir;
  const std::string in = MakeParquet(dir, "in.parquet", kSample);
  const json ops = json::parse(R"([{"type":"fill_missing","column":"amount","strategy":"median"},
                                   {"type":"outliers","column":"amount","method":"iqr","action":"cap"}])");
  auto plan = CompileForData(SharedEngine(), ops, in);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->sql.find("quantile"), std::string::npos) << "statistics are literals";
  EXPECT_EQ(plan->sql.find("ORDER BY"), std::string::npos) << "a streaming plan needs no sort";
  auto pure = Compile(ops, SchemaOf(in), in);
  ASSERT_TRUE(pure.ok());
  EXPECT_NE(pure->sql.find("quantile"), std::string::npos);
  // Both compute the same result.
  auto conn = SharedEngine().Connect();
  ASSERT_TRUE(conn.ok());
  auto a = conn->Query(plan->sql);
  auto b = conn->Query(pure->sql);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->Rows(), b->Rows());
}

}  // namespace
}  // namespace dm::engine::clean
