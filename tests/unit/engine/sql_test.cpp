#include "engine/sql.h"

#include <gtest/gtest.h>

namespace dm::engine {
namespace {

TEST(QuoteIdent, WrapsInDoubleQuotes) {
  EXPECT_EQ(QuoteIdent("name"), "\"name\"");
}

TEST(QuoteIdent, DoublesInnerQuotes) {
  EXPECT_EQ(QuoteIdent("a\"b"), "\"a\"\"b\"");
}

TEST(QuoteIdent, StripsNulBytes) {
  EXPECT_EQ(QuoteIdent(std::string_view("a\0b", 3)), "\"ab\"");
}

TEST(QuoteIdent, KeepsEverythingElseVerbatim) {
  EXPECT_EQ(QuoteIdent("x'); DROP TABLE t; --"), "\"x'); DROP TABLE t; --\"");
  EXPECT_EQ(QuoteIdent(""), "\"\"");
  EXPECT_EQ(QuoteIdent("é ü"), "\"é ü\"");
}

TEST(QuoteLiteral, WrapsInSingleQuotes) {
  EXPECT_EQ(QuoteLiteral("abc"), "'abc'");
}

TEST(QuoteLiteral, DoublesInnerQuotes) {
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
}

TEST(QuoteLiteral, StripsNulBytes) {
  EXPECT_EQ(QuoteLiteral(std::string_view("a\0'", 3)), "'a'''");
}

TEST(QuoteLiteral, InjectionStaysInsideTheLiteral) {
  EXPECT_EQ(QuoteLiteral("'; DROP TABLE x; --"), "'''; DROP TABLE x; --'");
}

}  // namespace
}  // namespace dm::engine
