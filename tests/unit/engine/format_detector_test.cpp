#include "engine/format_detector.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace dm::engine {
namespace {

using testing::TempDir;
using testing::WriteFile;

std::string Detect(const TempDir& dir, const std::string& name, const std::string& content) {
  WriteFile(dir.File(name), content);
  return DetectFormat(dir.File(name));
}

TEST(DetectFormat, UsesContentNotExtension) {
  TempDir dir;
  EXPECT_EQ(Detect(dir, "a.txt", "a,b\n1,2\n3,4\n"), "csv");
  EXPECT_EQ(Detect(dir, "a.csv", "a\tb\n1\t2\n3\t4\n"), "tsv");
  EXPECT_EQ(Detect(dir, "a.dat", "a;b\n1;2\n"), "csv");
  EXPECT_EQ(Detect(dir, "a.dat", "a|b\n1|2\n"), "csv");
  EXPECT_EQ(Detect(dir, "a.csv", R"([{"a":1},{"a":2}])"), "json");
  EXPECT_EQ(Detect(dir, "a.csv", "{\"a\":1}\n{\"a\":2}\n"), "ndjson");
  EXPECT_EQ(Detect(dir, "a.csv", "{\n  \"a\": 1\n}\n"), "json");
  EXPECT_EQ(Detect(dir, "a.csv", "%PDF-1.7\nxx"), "pdf");
  EXPECT_EQ(Detect(dir, "a.csv", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), "image");
  EXPECT_EQ(Detect(dir, "a.csv", "\xFF\xD8\xFF\xE0 JFIF"), "image");
  EXPECT_EQ(Detect(dir, "a.csv", "GIF89a...."), "image");
  EXPECT_EQ(Detect(dir, "a.csv", std::string("PAR1\0\0\0\0PAR1", 12)), "parquet");
  EXPECT_EQ(Detect(dir, "a.csv", ""), "unknown");
  EXPECT_EQ(Detect(dir, "a.csv", std::string("\x01\x02\x03\x04\x00\x05\x06\x07\x08\x0e\x0f", 11)), "unknown");
  EXPECT_EQ(Detect(dir, "a.csv", "PK\x03\x04 not really a zip"), "unknown");
  EXPECT_EQ(DetectFormat(dir.File("missing.csv")), "unknown");
}

TEST(DetectFormat, Utf16WithAndWithoutBom) {
  TempDir dir;
  const std::string ascii = "a,b\n1,2\n";
  std::string le, be;
  for (char c : ascii) {
    le += c;
    le += '\0';
    be += '\0';
    be += c;
  }
  EXPECT_EQ(Detect(dir, "le.csv", "\xFF\xFE" + le), "csv");
  EXPECT_EQ(Detect(dir, "be.csv", "\xFE\xFF" + be), "csv");
  EXPECT_EQ(Detect(dir, "le2.csv", le), "csv");
  EXPECT_EQ(DetectTextEncoding(dir.File("le2.csv")), "utf-16le");
  EXPECT_EQ(DetectTextEncoding(dir.File("be.csv")), "utf-16be");
  EXPECT_EQ(Detect(dir, "latin.csv", "a,b\nZ\xfcrich,1\n"), "csv");
  EXPECT_EQ(DetectTextEncoding(dir.File("latin.csv")), "windows-1252");
  EXPECT_EQ(Detect(dir, "bom.csv",
                   "\xEF\xBB\xBF"
                   "a\tb\n1\t2\n"),
            "tsv");
  EXPECT_EQ(DetectTextEncoding(dir.File("bom.csv")), "utf-8-bom");
}

}  // namespace
}  // namespace dm::engine
