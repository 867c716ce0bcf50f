#pragma once
/// XLSX (Office Open XML spreadsheet) reader: our own streaming parser over libzip + expat.
/// Also home of the date/time conversions the ODS and XLS readers share.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "engine/spreadsheet_reader.h"
#include "engine/zip_archive.h"

namespace dm::engine {

/// How a cell's number format says to show a number.
enum class NumberFormatKind { NUMBER, DATE, DATETIME, TIME, DURATION };

/// The kind of an OOXML/BIFF built-in number format id (14 = m/d/yyyy, 22 = m/d/yyyy h:mm...).
NumberFormatKind BuiltinNumberFormatKind(int format_id);

/// The kind of a custom format code: date/time tokens (d m y h s, [h] [mm] [ss]) count only
/// outside quoted text, escapes and other bracketed sections such as [Red] or [$-409].
NumberFormatKind ClassifyNumberFormat(std::string_view format_code);

/// Converts a spreadsheet serial number shown with a date/time format to a cell. DATE for a
/// whole-day serial under a date-only format, DATETIME otherwise; TIME and DURATION formats
/// give a STRING "HH:MM:SS" (no time-of-day kind exists). Serials outside 0..9999-12-31
/// stay NUMBER. The 1900 system keeps Lotus' phantom 1900-02-29 (serial 60 reads as 02-28).
Cell CellFromSerial(double serial, NumberFormatKind kind, bool date1904);

/// Parses "YYYY-MM-DD" or "YYYY-MM-DD[T ]HH:MM:SS[.fff...]" into a DATE / DATETIME cell whose
/// number is the 1900-system serial. Returns false (cell untouched) if it is not such a date.
bool CellFromIsoDate(std::string_view text, Cell& cell);

/// "HH:MM:SS[.fff]" for a duration in days (hours may exceed 23; negative gets a '-').
std::string FormatDuration(double days);

/// "16,384": thousands separators for limit messages.
std::string FormatCount(std::int64_t value);

/// Reads .xlsx / .xlsm workbooks. Shared strings and styles load on the first ReadSheet.
class XlsxReader final : public SpreadsheetReader {
 public:
  /// Opens the package and reads the workbook's sheet list.
  static Result<std::unique_ptr<SpreadsheetReader>> Open(const std::string& path,
                                                         const SpreadsheetLimits& limits);

  const std::vector<std::string>& SheetNames() const override { return sheet_names_; }
  Status ReadSheet(
      std::size_t index,
      const std::function<bool(std::int64_t row_index, const std::vector<Cell>& cells)>& on_row) override;

 private:
  XlsxReader(std::unique_ptr<ZipArchive> archive, const SpreadsheetLimits& limits);

  Status LoadWorkbook();
  Status LoadSharedData();
  Status ReadSheetUnguarded(std::size_t index,
                            const std::function<bool(std::int64_t, const std::vector<Cell>&)>& on_row);

  std::unique_ptr<ZipArchive> archive_;
  SpreadsheetLimits limits_;
  std::vector<std::string> sheet_names_;
  std::vector<std::string> sheet_parts_;
  std::string shared_strings_part_;
  std::string styles_part_;
  bool date1904_ = false;
  bool shared_data_loaded_ = false;
  std::vector<std::string> shared_strings_;
  std::vector<NumberFormatKind> cell_format_kinds_;  ///< by cellXfs index (the s= attribute)
};

}  // namespace dm::engine
