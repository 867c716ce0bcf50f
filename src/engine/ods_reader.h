#pragma once
/// ODS (OpenDocument spreadsheet) reader: streams content.xml with expat over libzip.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/spreadsheet_reader.h"
#include "engine/zip_archive.h"

namespace dm::engine {

/// Reads .ods workbooks. Repeated rows and columns are expanded only where they hold values,
/// so the usual million trailing repeated empty rows cost nothing.
class OdsReader final : public SpreadsheetReader {
 public:
  /// Opens the package, checks it is a spreadsheet and reads the table names.
  static Result<std::unique_ptr<SpreadsheetReader>> Open(const std::string& path,
                                                         const SpreadsheetLimits& limits);

  const std::vector<std::string>& SheetNames() const override { return sheet_names_; }
  Status ReadSheet(
      std::size_t index,
      const std::function<bool(std::int64_t row_index, const std::vector<Cell>& cells)>& on_row) override;

 private:
  OdsReader(std::unique_ptr<ZipArchive> archive, const SpreadsheetLimits& limits);

  Status LoadSheetNames();

  std::unique_ptr<ZipArchive> archive_;
  SpreadsheetLimits limits_;
  std::vector<std::string> sheet_names_;
};

}  // namespace dm::engine
