// Spreadsheet readers (XLSX, ODS, XLS) against the fixtures written by
// tests/data/spreadsheets/make_spreadsheets.py. Values are asserted row by row.

#include "engine/spreadsheet_reader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "engine/xlsx_reader.h"

namespace dm::engine {

// Printing and comparison so a failing test shows what it expected and what it got.
static const char* KindName(Cell::Kind kind) {
  switch (kind) {
    case Cell::Kind::EMPTY:
      return "EMPTY";
    case Cell::Kind::STRING:
      return "STRING";
    case Cell::Kind::NUMBER:
      return "NUMBER";
    case Cell::Kind::BOOLEAN:
      return "BOOLEAN";
    case Cell::Kind::DATE:
      return "DATE";
    case Cell::Kind::DATETIME:
      return "DATETIME";
    case Cell::Kind::ERROR:
      return "ERROR";
  }
  return "?";
}

static void PrintTo(const Cell& cell, std::ostream* out) {
  *out << KindName(cell.kind) << "(\"" << cell.text << "\", " << cell.number << ")";
}

static bool operator==(const Cell& a, const Cell& b) {
  return a.kind == b.kind && a.text == b.text && std::fabs(a.number - b.number) < 1e-9;
}

namespace {

Cell Empty() {
  return {};
}
Cell Str(std::string text, double number = 0) {
  return {Cell::Kind::STRING, std::move(text), number};
}
Cell Num(double number) {
  return {Cell::Kind::NUMBER, "", number};
}
Cell Bool(bool value) {
  return {Cell::Kind::BOOLEAN, "", value ? 1.0 : 0.0};
}
Cell Date(std::string text, double serial) {
  return {Cell::Kind::DATE, std::move(text), serial};
}
Cell DateTime(std::string text, double serial) {
  return {Cell::Kind::DATETIME, std::move(text), serial};
}
Cell Err(std::string text) {
  return {Cell::Kind::ERROR, std::move(text), 0};
}

struct Row {
  std::int64_t index;
  std::vector<Cell> cells;
};

void PrintTo(const Row& row, std::ostream* out) {
  *out << "row " << row.index << ": [";
  for (std::size_t i = 0; i < row.cells.size(); ++i) {
    if (i > 0) *out << ", ";
    PrintTo(row.cells[i], out);
  }
  *out << "]";
}

bool operator==(const Row& a, const Row& b) {
  return a.index == b.index && a.cells == b.cells;
}

std::string Fixture(const std::string& name) {
  return std::string(DM_SOURCE_DIR) + "/tests/data/spreadsheets/" + name;
}

std::unique_ptr<SpreadsheetReader> OpenOrDie(const std::string& name, const std::string& format,
                                             const SpreadsheetLimits& limits = {}) {
  auto reader = SpreadsheetReader::Open(Fixture(name), format, limits);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  return reader.ok() ? std::move(reader).value() : nullptr;
}

std::vector<Row> ReadAll(SpreadsheetReader& reader, std::size_t sheet) {
  std::vector<Row> rows;
  const Status status = reader.ReadSheet(sheet, [&](std::int64_t index, const std::vector<Cell>& cells) {
    rows.push_back({index, cells});
    return true;
  });
  EXPECT_TRUE(status.ok()) << status.message();
  return rows;
}

/// Opens and reads every sheet; the first error, or OK.
Status OpenAndReadEverything(const std::string& name, const std::string& format,
                             const SpreadsheetLimits& limits = {}) {
  auto reader = SpreadsheetReader::Open(Fixture(name), format, limits);
  if (!reader.ok()) return reader.status();
  for (std::size_t i = 0; i < (*reader)->SheetNames().size(); ++i) {
    DM_RETURN_IF_ERROR((*reader)->ReadSheet(i, [](std::int64_t, const std::vector<Cell>&) { return true; }));
  }
  return Status::Ok();
}

void ExpectError(const Status& status, ErrorCode code, const std::string& fragment) {
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(static_cast<int>(status.code()), static_cast<int>(code))
      << "expected " << ErrorCodeName(code) << " (" << static_cast<int>(code) << "), got "
      << ErrorCodeName(status.code()) << ": " << status.message();
  EXPECT_NE(status.message().find(fragment), std::string::npos)
      << "expected '" << fragment << "' in: " << status.message();
  // Never leak server paths.
  EXPECT_EQ(status.message().find(DM_SOURCE_DIR), std::string::npos) << status.message();
  EXPECT_EQ(status.message().find("/tests/data"), std::string::npos) << status.message();
}

using Rows = std::vector<Row>;

// ---------------------------------------------------------------------------- XLSX

TEST(SpreadsheetXlsx, SheetNamesInWorkbookOrder) {
  auto reader = OpenOrDie("basic.xlsx", "xlsx");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->SheetNames(), (std::vector<std::string>{"Data", "Second", "Empty"}));
}

TEST(SpreadsheetXlsx, ReadsEveryCellTypeRowByRow) {
  auto reader = OpenOrDie("basic.xlsx", "XLSX");
  ASSERT_NE(reader, nullptr);
  const Rows rows = ReadAll(*reader, 0);
  const double leap_day_serial = 45351 + (13 * 3600 + 14 * 60 + 15) / 86400.0;
  const Rows expected = {
      {0, {Str("Name"), Str("  Amount "), Str("Rich text"), Str("caf\u00e9 & <tea>")}},
      {1, {Num(42), Num(-3.5), Num(1500), Num(0.25), Bool(true), Bool(false)}},
      {2, {Str("inline"), Str("inline rich"), Err("#DIV/0!"), Num(84), Str("ab"), Str("line1\r\nline2")}},
      {3,
       {Date("2024-01-15", 45306), DateTime("2024-01-15 12:00:00", 45306.5), Date("2000-01-01", 36526),
        DateTime("2024-01-15 18:00:00", 45306.75), Num(12.5), DateTime("2024-01-15 00:00:00", 45306)}},
      {4,
       {Date("1900-02-28", 59), Date("1900-02-28", 60), Date("1900-03-01", 61), Str("13:30:00", 0.5625),
        Str("36:00:00", 1.5), Date("1900-01-01", 1)}},
      {7, {Empty(), Num(1), Empty(), Empty(), Str("e")}},
      {9, {Num(10), Num(11), Empty(), Empty(), Num(12), Num(13)}},
      {10, {Str("next")}},
      {12, {Str("abc"), DateTime("2024-02-29 13:14:15", leap_day_serial), Date("2024-03-01", 45352)}},
  };
  ASSERT_EQ(rows.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(rows[i], expected[i]) << "row #" << i;
}

TEST(SpreadsheetXlsx, ReadsSecondSheetThroughAbsoluteTargetAndEmptySheet) {
  auto reader = OpenOrDie("basic.xlsx", "xlsx");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader, 1), (Rows{{0, {Str("second")}}, {1, {Empty(), Empty(), Num(3)}}}));
  EXPECT_TRUE(ReadAll(*reader, 2).empty());
  // Sheets can be read again and in any order.
  EXPECT_EQ(ReadAll(*reader, 0).size(), 9U);
}

TEST(SpreadsheetXlsx, Date1904System) {
  auto reader = OpenOrDie("date1904.xlsx", "xlsx");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(
      ReadAll(*reader, 0),
      (Rows{{0, {Date("1904-01-01", 0), Date("2024-01-14", 43843), DateTime("1904-01-02 06:00:00", 1.25)}}}));
}

TEST(SpreadsheetXlsx, StopsWhenCallbackReturnsFalse) {
  auto reader = OpenOrDie("basic.xlsx", "xlsx");
  ASSERT_NE(reader, nullptr);
  int calls = 0;
  const Status status = reader->ReadSheet(0, [&](std::int64_t, const std::vector<Cell>&) {
    ++calls;
    return calls < 2;
  });
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(calls, 2);
}

TEST(SpreadsheetXlsx, SheetIndexOutOfRangeIsNotFound) {
  auto reader = OpenOrDie("basic.xlsx", "xlsx");
  ASSERT_NE(reader, nullptr);
  ExpectError(reader->ReadSheet(3, [](std::int64_t, const std::vector<Cell>&) { return true; }),
              ErrorCode::NOT_FOUND, "sheet 4 does not exist");
}

TEST(SpreadsheetXlsx, TruncatedOrNotAZipIsAClearError) {
  ExpectError(OpenAndReadEverything("truncated.xlsx", "xlsx"), ErrorCode::UNPROCESSABLE,
              "the workbook is truncated or not a valid XLSX file");
  ExpectError(OpenAndReadEverything("not_a_workbook.xlsx", "xlsx"), ErrorCode::UNPROCESSABLE,
              "the workbook is truncated or not a valid XLSX file");
  ExpectError(OpenAndReadEverything("basic.xls", "xlsx"), ErrorCode::UNPROCESSABLE,
              "password-protected or in the older XLS format");
  ExpectError(OpenAndReadEverything("malformed_xml.xlsx", "xlsx"), ErrorCode::UNPROCESSABLE, "malformed XML");
}

TEST(SpreadsheetXlsx, MissingFileIsNotFoundWithoutPath) {
  for (const char* format : {"xlsx", "ods", "xls"}) {
    ExpectError(OpenAndReadEverything("does_not_exist.bin", format), ErrorCode::NOT_FOUND,
                "the workbook file could not be found");
  }
}

TEST(SpreadsheetXlsx, UnknownFormatIsUnsupported) {
  ExpectError(OpenAndReadEverything("basic.xlsx", "csv"), ErrorCode::UNSUPPORTED_FORMAT, "'csv' is not");
}

TEST(SpreadsheetXlsx, ZipBombIsRefusedByCompressionRatio) {
  const auto start = std::chrono::steady_clock::now();
  ExpectError(OpenAndReadEverything("zip_bomb.xlsx", "xlsx"), ErrorCode::PAYLOAD_TOO_LARGE, "zip bomb");
  // Refused from the declared sizes, without inflating 256 MiB.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(SpreadsheetXlsx, ZipBombIsRefusedByDeclaredEntrySize) {
  SpreadsheetLimits limits;
  limits.max_compression_ratio = 1e9;
  limits.max_entry_uncompressed_bytes = 100ULL << 20;
  ExpectError(OpenAndReadEverything("zip_bomb.xlsx", "xlsx", limits), ErrorCode::PAYLOAD_TOO_LARGE,
              "more than 100 MiB");
}

TEST(SpreadsheetXlsx, LyingEntrySizeIsCaughtWhileInflating) {
  // Headers claim 100 bytes; 16 MiB of (well-formed) XML comes out.
  const Status status = OpenAndReadEverything("lying_size.xlsx", "xlsx");
  ExpectError(status, ErrorCode::UNPROCESSABLE, "more data than it declares");
}

TEST(SpreadsheetXlsx, TotalInflatedBytesAreLimited) {
  SpreadsheetLimits limits;
  limits.max_total_uncompressed_bytes = 4096;
  ExpectError(OpenAndReadEverything("basic.xlsx", "xlsx", limits), ErrorCode::PAYLOAD_TOO_LARGE,
              "more than 4 KiB");
}

TEST(SpreadsheetXlsx, BillionLaughsIsRefused) {
  ExpectError(OpenAndReadEverything("billion_laughs.xlsx", "xlsx"), ErrorCode::UNPROCESSABLE,
              "workbook XML contains a DTD or entity declarations, which are not allowed");
}

TEST(SpreadsheetXlsx, ExternalEntityIsRefusedAndNothingLeaks) {
  auto reader = OpenOrDie("xxe.xlsx", "xlsx");
  ASSERT_NE(reader, nullptr);
  std::string seen;
  const Status status = reader->ReadSheet(0, [&](std::int64_t, const std::vector<Cell>& cells) {
    for (const auto& cell : cells) seen += cell.text;
    return true;
  });
  ExpectError(status, ErrorCode::UNPROCESSABLE, "DTD or entity declarations");
  EXPECT_EQ(status.message().find("passwd"), std::string::npos);
  EXPECT_EQ(seen.find("root:"), std::string::npos);
}

TEST(SpreadsheetXlsx, ColumnLimit) {
  ExpectError(OpenAndReadEverything("too_many_columns.xlsx", "xlsx"), ErrorCode::UNPROCESSABLE,
              "sheet 'Sheet1' exceeds the 16,384-column limit");
  SpreadsheetLimits limits;
  limits.max_columns = 3;
  ExpectError(OpenAndReadEverything("basic.xlsx", "xlsx", limits), ErrorCode::UNPROCESSABLE,
              "sheet 'Data' exceeds the 3-column limit");
}

TEST(SpreadsheetXlsx, RowLimit) {
  SpreadsheetLimits limits;
  limits.max_rows = 10;
  ExpectError(OpenAndReadEverything("basic.xlsx", "xlsx", limits), ErrorCode::UNPROCESSABLE,
              "sheet 'Data' exceeds the 10-row limit");
}

TEST(SpreadsheetXlsx, InvalidReferencesAreErrorsNotCrashes) {
  ExpectError(OpenAndReadEverything("bad_ref.xlsx", "xlsx"), ErrorCode::UNPROCESSABLE,
              "sheet 'Sheet1' has an invalid cell reference 'ZZZZZZZZZZZZZZZZ9999999999999999...'");
  ExpectError(OpenAndReadEverything("bad_row.xlsx", "xlsx"), ErrorCode::UNPROCESSABLE,
              "sheet 'Sheet1' has an invalid row number");
  ExpectError(OpenAndReadEverything("missing_shared_string.xlsx", "xlsx"), ErrorCode::UNPROCESSABLE,
              "cell A1 in sheet 'Sheet1' refers to a shared string that does not exist");
}

TEST(SpreadsheetXlsx, NumberFormatClassification) {
  EXPECT_EQ(ClassifyNumberFormat("yyyy-mm-dd"), NumberFormatKind::DATE);
  EXPECT_EQ(ClassifyNumberFormat("mmm-yy"), NumberFormatKind::DATE);
  EXPECT_EQ(ClassifyNumberFormat("yyyy\\-mm\\-dd\\ hh:mm"), NumberFormatKind::DATETIME);
  EXPECT_EQ(ClassifyNumberFormat("h:mm AM/PM"), NumberFormatKind::TIME);
  EXPECT_EQ(ClassifyNumberFormat("mm:ss"), NumberFormatKind::TIME);
  EXPECT_EQ(ClassifyNumberFormat("[h]:mm:ss"), NumberFormatKind::DURATION);
  EXPECT_EQ(ClassifyNumberFormat("[$-409]d\\ mmmm\\ yyyy;@"), NumberFormatKind::DATE);
  EXPECT_EQ(ClassifyNumberFormat("General"), NumberFormatKind::NUMBER);
  EXPECT_EQ(ClassifyNumberFormat("0.00\" days\";[Red]\\-0.00"), NumberFormatKind::NUMBER);
  EXPECT_EQ(ClassifyNumberFormat("#,##0.00 [$\u20ac-407];[Red]-#,##0.00"), NumberFormatKind::NUMBER);
  EXPECT_EQ(ClassifyNumberFormat("0.00E+00"), NumberFormatKind::NUMBER);
  EXPECT_EQ(ClassifyNumberFormat("_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)"), NumberFormatKind::NUMBER);
  EXPECT_EQ(BuiltinNumberFormatKind(14), NumberFormatKind::DATE);
  EXPECT_EQ(BuiltinNumberFormatKind(22), NumberFormatKind::DATETIME);
  EXPECT_EQ(BuiltinNumberFormatKind(20), NumberFormatKind::TIME);
  EXPECT_EQ(BuiltinNumberFormatKind(46), NumberFormatKind::DURATION);
  EXPECT_EQ(BuiltinNumberFormatKind(2), NumberFormatKind::NUMBER);
}

TEST(SpreadsheetXlsx, SerialConversionEdges) {
  EXPECT_EQ(CellFromSerial(-1, NumberFormatKind::DATE, false), Num(-1));
  EXPECT_EQ(CellFromSerial(2958465, NumberFormatKind::DATE, false), Date("9999-12-31", 2958465));
  EXPECT_EQ(CellFromSerial(2958466, NumberFormatKind::DATE, false), Num(2958466));
  EXPECT_EQ(CellFromSerial(0, NumberFormatKind::DATE, true), Date("1904-01-01", 0));
  EXPECT_EQ(CellFromSerial(43831 + 0.123 / 86400, NumberFormatKind::DATETIME, false),
            DateTime("2020-01-01 00:00:00.123", 43831 + 0.123 / 86400));
  // Rounding to the millisecond carries into the next day.
  EXPECT_EQ(CellFromSerial(43831.9999999999, NumberFormatKind::DATE, false),
            Date("2020-01-02", 43831.9999999999));
  Cell cell;
  EXPECT_FALSE(CellFromIsoDate("2023-02-29", cell));
  EXPECT_FALSE(CellFromIsoDate("not a date", cell));
  ASSERT_TRUE(CellFromIsoDate("2020-01-01T06:00:00Z", cell));
  EXPECT_EQ(cell, DateTime("2020-01-01 06:00:00", 43831.25));
}

// ---------------------------------------------------------------------------- ODS

TEST(SpreadsheetOds, SheetNames) {
  auto reader = OpenOrDie("basic.ods", "ods");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->SheetNames(), (std::vector<std::string>{"People", "Other", "Blank"}));
}

TEST(SpreadsheetOds, ReadsValuesWithRepeatedRowsAndColumns) {
  auto reader = OpenOrDie("basic.ods", "ods");
  ASSERT_NE(reader, nullptr);
  const auto start = std::chrono::steady_clock::now();
  const Rows rows = ReadAll(*reader, 0);
  const Rows expected = {
      {0, {Str("Name"), Empty(), Empty(), Str("Score")}},
      {1, {Num(3.25), Num(0.5), Num(-12), Bool(true), Bool(false)}},
      {2,
       {Date("2024-01-15", 45306), DateTime("2024-01-15 12:30:00", 45306 + 12.5 / 24),
        DateTime("1899-12-30 00:00:01.500", 1.5 / 86400),
        Str("13:45:30", (13 * 3600 + 45 * 60 + 30) / 86400.0), Str("36:00:00", 1.5)}},
      {3, {Str("first\nsecond part"), Str("a   b c\td\ne"), Num(1), Err("#DIV/0!")}},
      {6, {Empty(), Empty(), Num(7), Num(7)}},
      {7, {Empty(), Empty(), Num(7), Num(7)}},
      {8, {Empty(), Empty(), Num(7), Num(7)}},
      {9, {Str("merged"), Empty(), Str("plain"), Str("oops")}},
  };
  ASSERT_EQ(rows.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(rows[i], expected[i]) << "row #" << i;
  // A million repeated empty rows cost nothing.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(SpreadsheetOds, HeaderRowsAndBlankSheet) {
  auto reader = OpenOrDie("basic.ods", "ods");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader, 1), (Rows{{0, {Str("h")}}, {1, {Empty(), Num(2)}}}));
  EXPECT_TRUE(ReadAll(*reader, 2).empty());
}

TEST(SpreadsheetOds, LimitsAndHostileInput) {
  ExpectError(OpenAndReadEverything("wide.ods", "ods"), ErrorCode::UNPROCESSABLE,
              "sheet 'Wide' exceeds the 16,384-column limit");
  SpreadsheetLimits limits;
  limits.max_rows = 5;
  ExpectError(OpenAndReadEverything("basic.ods", "ods", limits), ErrorCode::UNPROCESSABLE,
              "sheet 'People' exceeds the 5-row limit");
  ExpectError(OpenAndReadEverything("entities.ods", "ods"), ErrorCode::UNPROCESSABLE,
              "DTD or entity declarations");
  ExpectError(OpenAndReadEverything("wrong_mimetype.ods", "ods"), ErrorCode::UNSUPPORTED_FORMAT,
              "not a spreadsheet");
  ExpectError(OpenAndReadEverything("basic.xlsx", "ods"), ErrorCode::UNPROCESSABLE,
              "the workbook is truncated or not a valid ODS file");
  ExpectError(OpenAndReadEverything("truncated.xlsx", "ods"), ErrorCode::UNPROCESSABLE,
              "the workbook is truncated or not a valid ODS file");
}

// ---------------------------------------------------------------------------- XLS

TEST(SpreadsheetXls, ReadsSheetsAndCells) {
  auto reader = OpenOrDie("basic.xls", "xls");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->SheetNames(), (std::vector<std::string>{"Inventory", "Notes", "Empty"}));
  const Rows expected = {
      {0, {Str("Item"), Str("Count"), Empty(), Str("caf\u00e9")}},
      // freexl reports booleans as integers.
      {1, {Str("apple"), Num(3), Num(2.5), Num(1)}},
      {3,
       {Date("2024-01-15", 45306), DateTime("2024-01-15 12:30:00", 45306 + 12.5 / 24),
        Str("13:45:30", (13 * 3600 + 45 * 60 + 30) / 86400.0), Num(-1234567.125)}},
  };
  EXPECT_EQ(ReadAll(*reader, 0), expected);
  EXPECT_EQ(ReadAll(*reader, 1), (Rows{{1, {Empty(), Str("only cell")}}}));
  EXPECT_TRUE(ReadAll(*reader, 2).empty());
}

TEST(SpreadsheetXls, LimitsAndInvalidInput) {
  SpreadsheetLimits limits;
  limits.max_columns = 2;
  ExpectError(OpenAndReadEverything("basic.xls", "xls", limits), ErrorCode::UNPROCESSABLE,
              "sheet 'Inventory' exceeds the 2-column limit");
  ExpectError(OpenAndReadEverything("basic.xlsx", "xls"), ErrorCode::UNPROCESSABLE,
              "the workbook is truncated or not a valid XLS file");
  ExpectError(OpenAndReadEverything("not_a_workbook.xlsx", "xls"), ErrorCode::UNPROCESSABLE,
              "the workbook is truncated or not a valid XLS file");
}

}  // namespace
}  // namespace dm::engine
