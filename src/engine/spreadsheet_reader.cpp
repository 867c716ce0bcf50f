#include "engine/spreadsheet_reader.h"

#include <fmt/format.h>

#include <cctype>

#include "engine/ods_reader.h"
#include "engine/xls_reader.h"
#include "engine/xlsx_reader.h"

namespace dm::engine {

Result<std::unique_ptr<SpreadsheetReader>> SpreadsheetReader::Open(const std::string& path,
                                                                   const std::string& format,
                                                                   const SpreadsheetLimits& limits) {
  // Lower-cased, and only letters and digits, so the name is safe to echo in a message.
  std::string normalized;
  for (const char c : format.substr(0, 16)) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      normalized += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (normalized == "xlsx" || normalized == "xlsm") return XlsxReader::Open(path, limits);
  if (normalized == "ods") return OdsReader::Open(path, limits);
  if (normalized == "xls") return XlsReader::Open(path, limits);
  return Unsupported(
      fmt::format("'{}' is not a spreadsheet format this reader supports (xlsx, ods or xls)", normalized));
}

}  // namespace dm::engine
