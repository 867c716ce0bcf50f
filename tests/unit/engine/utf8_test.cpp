#include "core/utf8.h"

#include <gtest/gtest.h>

namespace dm {
namespace {

TEST(Utf8, KeepsValidTextAndCutsOnlyBetweenCharacters) {
  EXPECT_EQ(ValidUtf8("report.csv", 255), "report.csv");
  EXPECT_EQ(ValidUtf8("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9");  // never half of "é"
  EXPECT_EQ(ValidUtf8("名前", 5), "名");
  EXPECT_EQ(ValidUtf8("\xF0\x9F\x98\x80!", 10), "\xF0\x9F\x98\x80!");
}

TEST(Utf8, ReplacesInvalidSequences) {
  EXPECT_EQ(ValidUtf8("a\xFF"
                      "b",
                      10),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ValidUtf8("\xC3", 10), "\xEF\xBF\xBD");                                  // truncated sequence
  EXPECT_EQ(ValidUtf8("\xC0\xAF", 10), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80", 10), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

}  // namespace
}  // namespace dm
