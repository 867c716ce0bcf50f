#pragma once
/// XLS (BIFF2-8, Excel 97-2003) reader over freexl.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/spreadsheet_reader.h"

namespace dm::engine {

/// Reads .xls workbooks. freexl parses the workbook when it is opened; a selected sheet's
/// cells are then read one row at a time.
class XlsReader final : public SpreadsheetReader {
 public:
  /// Opens the workbook with freexl and reads the sheet names.
  static Result<std::unique_ptr<SpreadsheetReader>> Open(const std::string& path,
                                                         const SpreadsheetLimits& limits);
  ~XlsReader() override;
  XlsReader(const XlsReader&) = delete;
  XlsReader& operator=(const XlsReader&) = delete;

  const std::vector<std::string>& SheetNames() const override { return sheet_names_; }
  Status ReadSheet(
      std::size_t index,
      const std::function<bool(std::int64_t row_index, const std::vector<Cell>& cells)>& on_row) override;

 private:
  XlsReader(const void* handle, const SpreadsheetLimits& limits);

  Status ReadSheetUnguarded(std::size_t index,
                            const std::function<bool(std::int64_t, const std::vector<Cell>&)>& on_row);

  const void* handle_;
  SpreadsheetLimits limits_;
  std::vector<std::string> sheet_names_;
};

}  // namespace dm::engine
