// The derive_column formula language: parsing, errors with positions, and what the SQL
// computes (evaluated by DuckDB over a small table).

#include "engine/formula.h"

#include <gtest/gtest.h>

#include "engine/duckdb.h"

namespace dm::engine::formula {
namespace {

using nlohmann::json;

std::vector<ColumnSchema> Columns() {
  return {
      {"price", "float", "DOUBLE", true},   {"qty", "integer", "BIGINT", true},
      {"name", "string", "VARCHAR", true},  {"Unit Price", "float", "DOUBLE", true},
      {"day", "date", "DATE", true},        {"at", "timestamp", "TIMESTAMP", true},
      {"flag", "boolean", "BOOLEAN", true}, {"we]ird\"name", "string", "VARCHAR", true},
      {"note", "string", "VARCHAR", true},
  };
}

class FormulaTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engine_ = new Engine(EngineOptions{"", "256MB", 1});
    auto conn = engine_->Connect();
    ASSERT_TRUE(conn.ok());
    conn_ = new Connection(std::move(conn).value());
    ASSERT_TRUE(
        conn_
            ->Execute("CREATE TABLE t AS SELECT 2.5::DOUBLE AS price, 4::BIGINT AS qty, ' Ann ' AS name, "
                      "10.0::DOUBLE AS \"Unit Price\", DATE '2024-02-28' AS day, TIMESTAMP '2024-03-01 "
                      "10:30:00' AS at, TRUE AS flag, 'w' AS \"we]ird\"\"name\", NULL::VARCHAR AS note")
            .ok());
  }
  static void TearDownTestSuite() {
    delete conn_;
    delete engine_;
  }

  /// The formula's value on the single row of t.
  json Eval(const std::string& text) {
    auto compiled = Compile(text, Columns());
    EXPECT_TRUE(compiled.ok()) << text << ": " << compiled.status().message();
    if (!compiled.ok()) return "<error>";
    auto r = conn_->Query("SELECT " + compiled->sql + " FROM t");
    EXPECT_TRUE(r.ok()) << text << " -> " << compiled->sql << ": " << r.status().message();
    if (!r.ok()) return "<error>";
    return r->Cell(0, 0);
  }

  std::string ErrorOf(const std::string& text) {
    auto compiled = Compile(text, Columns());
    EXPECT_FALSE(compiled.ok()) << text << " compiled to " << (compiled.ok() ? compiled->sql : "");
    if (compiled.ok()) return "";
    EXPECT_EQ(compiled.status().code(), ErrorCode::VALIDATION_ERROR);
    EXPECT_TRUE(compiled.status().details().contains("position"));
    return compiled.status().message();
  }

  static Engine* engine_;
  static Connection* conn_;
};

Engine* FormulaTest::engine_ = nullptr;
Connection* FormulaTest::conn_ = nullptr;

TEST_F(FormulaTest, ArithmeticAndPrecedence) {
  EXPECT_EQ(Eval("price * qty"), 10.0);
  EXPECT_EQ(Eval("1 + 2 * 3"), 7);
  EXPECT_EQ(Eval("(1 + 2) * 3"), 9);
  EXPECT_EQ(Eval("-qty + 1"), -3);
  EXPECT_EQ(Eval("7 / 2"), 3.5);
  EXPECT_EQ(Eval("7 % 3"), 1);
  EXPECT_EQ(Eval("1.5e2"), 150.0);
  EXPECT_EQ(Eval(".5 + .25"), 0.75);
  EXPECT_EQ(Eval("[Unit Price] * 2"), 20.0);
}

TEST_F(FormulaTest, DivisionByZeroIsNull) {
  EXPECT_TRUE(Eval("qty / 0").is_null());
  EXPECT_TRUE(Eval("qty % 0").is_null());
  EXPECT_TRUE(Eval("sqrt(-1)").is_null());
  EXPECT_TRUE(Eval("ln(0)").is_null());
}

TEST_F(FormulaTest, ComparisonsAndLogic) {
  EXPECT_EQ(Eval("qty >= 4 and price < 3"), true);
  EXPECT_EQ(Eval("qty != 4 or not flag"), false);
  EXPECT_EQ(Eval("qty <> 4"), false);
  EXPECT_EQ(Eval("qty == 4"), true);
  EXPECT_EQ(Eval("NOT (qty = 4)"), false);
  EXPECT_EQ(Eval("if(qty > 3, 'many', 'few')"), "many");
  EXPECT_EQ(Eval("IF(qty > 5, 1, 2.5)"), 2.5);
}

TEST_F(FormulaTest, Functions) {
  EXPECT_EQ(Eval("abs(-3)"), 3);
  EXPECT_EQ(Eval("round(2.345, 2)"), 2.35);
  EXPECT_EQ(Eval("round(price)"), 3.0);
  EXPECT_EQ(Eval("floor(price) + ceil(price)"), 5.0);
  EXPECT_EQ(Eval("sqrt(16)"), 4.0);
  EXPECT_EQ(Eval("pow(2, 10)"), 1024.0);
  EXPECT_NEAR(Eval("exp(ln(5))").get<double>(), 5.0, 1e-12);
  EXPECT_EQ(Eval("upper(trim(name))"), "ANN");
  EXPECT_EQ(Eval("lower('ÄB')"), "äb");
  EXPECT_EQ(Eval("length(trim(name))"), 3);
  EXPECT_EQ(Eval("substr('abcdef', 2, 3)"), "bcd");
  EXPECT_EQ(Eval("substr('abcdef', 4)"), "def");
  EXPECT_EQ(Eval("concat(trim(name), '-', qty)"), "Ann-4");
  EXPECT_EQ(Eval("replace('a-b-c', '-', '+')"), "a+b+c");
  EXPECT_EQ(Eval("contains(name, 'nn')"), true);
  EXPECT_EQ(Eval("starts_with(trim(name), 'An')"), true);
  EXPECT_EQ(Eval("year(day) * 100 + month(day)"), 202402);
  EXPECT_EQ(Eval("day(day)"), 28);
  EXPECT_EQ(Eval("weekday(day)"), 3);  // 2024-02-28 was a Wednesday (Monday = 1)
  EXPECT_EQ(Eval("date_diff('day', day, at)"), 2);
  EXPECT_EQ(Eval("date_add('day', 1, day)"), "2024-02-29");
  EXPECT_EQ(Eval("date_add('month', 1, day)"), "2024-03-28");
  EXPECT_EQ(Eval("date_add('hour', 2, at)"), "2024-03-01T12:30:00");
  EXPECT_EQ(Eval("coalesce(note, name)"), " Ann ");
  EXPECT_EQ(Eval("is_null(note)"), true);
  EXPECT_EQ(Eval("[we]]ird\"name]"), "w");
}

TEST_F(FormulaTest, ColumnNamesMatchCaseInsensitively) {
  EXPECT_EQ(Eval("QTY + Price"), 6.5);
}

TEST_F(FormulaTest, ReportsTypes) {
  EXPECT_EQ(Compile("qty + 1", Columns())->type, "integer");
  EXPECT_EQ(Compile("qty / 2", Columns())->type, "float");
  EXPECT_EQ(Compile("concat(name, 'x')", Columns())->type, "string");
  EXPECT_EQ(Compile("qty > 1", Columns())->type, "boolean");
  EXPECT_EQ(Compile("date_add('day', 1, day)", Columns())->type, "date");
  EXPECT_EQ(Compile("price + qty", Columns())->columns, (std::vector<std::string>{"price", "qty"}));
}

TEST_F(FormulaTest, ErrorsNamePosition) {
  EXPECT_NE(ErrorOf("price + nope").find("unknown column 'nope' at position 9"), std::string::npos);
  EXPECT_NE(ErrorOf("frobnicate(qty)").find("unknown function 'frobnicate' at position 1"),
            std::string::npos);
  EXPECT_NE(ErrorOf("abs(1, 2)").find("abs() takes 1 argument"), std::string::npos);
  EXPECT_NE(ErrorOf("(qty + 1").find("')' expected"), std::string::npos);
  EXPECT_NE(ErrorOf("qty +").find("ends too early"), std::string::npos);
  EXPECT_NE(ErrorOf("'abc").find("unterminated"), std::string::npos);
  EXPECT_NE(ErrorOf("[abc").find("unterminated"), std::string::npos);
  EXPECT_NE(ErrorOf("qty ; 1").find("unexpected character ';' at position 5"), std::string::npos);
  EXPECT_NE(ErrorOf("name + 1").find("use concat()"), std::string::npos);
  EXPECT_NE(ErrorOf("name > 1").find("cannot compare"), std::string::npos);
  EXPECT_NE(ErrorOf("date_diff(day, day, at)").find("unit"), std::string::npos);
  EXPECT_NE(ErrorOf("if(qty, 1, 2)").find("true/false"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("empty"), std::string::npos);
  EXPECT_NE(ErrorOf("qty 2").find("unexpected '2'"), std::string::npos);
  EXPECT_NE(ErrorOf("été + 1").find("unknown column 'été' at position 1"), std::string::npos);
  EXPECT_NE(ErrorOf("'é' + zz").find("position 7"), std::string::npos);
}

TEST_F(FormulaTest, InjectionStaysText) {
  // Quotes in strings and names never end the literal or identifier.
  EXPECT_EQ(Eval("concat('x''); DROP TABLE t; --', '')"), "x'); DROP TABLE t; --");
  EXPECT_NE(ErrorOf("qty); DROP TABLE t; --").find("unexpected"), std::string::npos);
  EXPECT_NE(ErrorOf("[x\"; DROP TABLE t; --]").find("unknown column"), std::string::npos);
  EXPECT_NE(ErrorOf("qty -- comment").find("unknown column 'comment'"), std::string::npos);
  EXPECT_NE(ErrorOf("qty /* c */").find("unexpected"), std::string::npos);
  auto count = conn_->Query("SELECT count(*) FROM t");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->Cell(0, 0), 1);
}

}  // namespace
}  // namespace dm::engine::formula
