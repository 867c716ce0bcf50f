#include "engine/xls_reader.h"

#include <fmt/format.h>
#include <freexl.h>

#include <exception>
#include <limits>
#include <new>
#include <utility>

#include "engine/xlsx_reader.h"

namespace dm::engine {
namespace {

Status FromException(const std::exception& error) {
  if (dynamic_cast<const std::bad_alloc*>(&error) != nullptr) {
    return Internal("there was not enough memory to read the workbook");
  }
  return Internal(fmt::format("reading the workbook failed: {}", error.what()));
}

/// "HH:MM:SS" (freexl's TIME text) as a fraction of a day; false if malformed.
bool TimeOfDayFraction(std::string_view text, double& days) {
  int parts[3] = {0, 0, 0};
  int part = 0;
  for (const char c : text) {
    if (c == ':') {
      if (++part > 2) return false;
    } else if (c >= '0' && c <= '9') {
      parts[part] = parts[part] * 10 + (c - '0');
      if (parts[part] > 9999) return false;
    } else {
      return false;
    }
  }
  if (part != 2) return false;
  days = ((parts[0] * 60.0 + parts[1]) * 60.0 + parts[2]) / 86400.0;
  return true;
}

/// Converts one freexl cell; dates arrive as text already formatted by freexl.
Cell ConvertCell(const FreeXL_CellValue& value) {
  Cell cell;
  switch (value.type) {
    case FREEXL_CELL_INT:
      cell.kind = Cell::Kind::NUMBER;
      cell.number = value.value.int_value;
      break;
    case FREEXL_CELL_DOUBLE:
      cell.kind = Cell::Kind::NUMBER;
      cell.number = value.value.double_value;
      break;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
      cell.kind = Cell::Kind::STRING;
      cell.text = value.value.text_value != nullptr ? value.value.text_value : "";
      break;
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME: {
      const std::string_view text = value.value.text_value != nullptr ? value.value.text_value : "";
      if (!CellFromIsoDate(text, cell)) {
        cell.kind = Cell::Kind::STRING;
        cell.text = std::string(text);
      } else if (value.type == FREEXL_CELL_DATETIME && cell.kind == Cell::Kind::DATE) {
        cell.kind = Cell::Kind::DATETIME;
        cell.text += " 00:00:00";
      }
      break;
    }
    case FREEXL_CELL_TIME: {
      // No time-of-day kind: "HH:MM:SS" text with the fraction of a day as the number.
      cell.kind = Cell::Kind::STRING;
      cell.text = value.value.text_value != nullptr ? value.value.text_value : "";
      double days = 0;
      if (TimeOfDayFraction(cell.text, days)) cell.number = days;
      break;
    }
    default:
      break;  // FREEXL_CELL_NULL
  }
  return cell;
}

}  // namespace

XlsReader::XlsReader(const void* handle, const SpreadsheetLimits& limits)
    : handle_(handle), limits_(limits) {}

XlsReader::~XlsReader() {
  freexl_close(handle_);
}

Result<std::unique_ptr<SpreadsheetReader>> XlsReader::Open(const std::string& path,
                                                           const SpreadsheetLimits& limits) {
  try {
    const void* handle = nullptr;
    const int rc = freexl_open(path.c_str(), &handle);
    // freexl wants freexl_close even after a failed open; the reader owns it from here.
    std::unique_ptr<XlsReader> reader(new XlsReader(handle, limits));
    if (rc == FREEXL_FILE_NOT_FOUND) return NotFound("the workbook file could not be found");
    if (rc == FREEXL_INSUFFICIENT_MEMORY) return Internal("there was not enough memory to read the workbook");
    if (rc != FREEXL_OK) return Unprocessable("the workbook is truncated or not a valid XLS file");

    unsigned int info = 0;
    if (freexl_get_info(handle, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED) {
      return Unprocessable("the workbook is password-protected; remove the password and upload it again");
    }
    unsigned int sheet_count = 0;
    if (freexl_get_info(handle, FREEXL_BIFF_SHEET_COUNT, &sheet_count) != FREEXL_OK) {
      return Unprocessable("the workbook is truncated or not a valid XLS file");
    }
    if (sheet_count > std::numeric_limits<unsigned short>::max()) {
      return Unprocessable("the workbook is truncated or not a valid XLS file");
    }
    for (unsigned int i = 0; i < sheet_count; ++i) {
      const char* name = nullptr;
      if (freexl_get_worksheet_name(handle, static_cast<unsigned short>(i), &name) != FREEXL_OK ||
          name == nullptr) {
        reader->sheet_names_.push_back(fmt::format("Sheet{}", i + 1));
      } else {
        reader->sheet_names_.emplace_back(name);
      }
    }
    return std::unique_ptr<SpreadsheetReader>(std::move(reader));
  } catch (const std::exception& error) {
    return FromException(error);
  }
}

Status XlsReader::ReadSheet(std::size_t index,
                            const std::function<bool(std::int64_t, const std::vector<Cell>&)>& on_row) {
  try {
    return ReadSheetUnguarded(index, on_row);
  } catch (const std::exception& error) {
    return FromException(error);
  }
}

Status XlsReader::ReadSheetUnguarded(
    std::size_t index, const std::function<bool(std::int64_t, const std::vector<Cell>&)>& on_row) {
  if (index >= sheet_names_.size()) {
    return NotFound(
        fmt::format("sheet {} does not exist; the workbook has {} sheets", index + 1, sheet_names_.size()));
  }
  const std::string& sheet_name = sheet_names_[index];
  if (freexl_select_active_worksheet(handle_, static_cast<unsigned short>(index)) != FREEXL_OK) {
    return Unprocessable(
        fmt::format("sheet '{}' could not be read; the workbook may be corrupt", sheet_name));
  }
  unsigned int rows = 0;
  unsigned short columns = 0;
  if (freexl_worksheet_dimensions(handle_, &rows, &columns) != FREEXL_OK) {
    return Unprocessable(
        fmt::format("sheet '{}' could not be read; the workbook may be corrupt", sheet_name));
  }
  if (static_cast<std::int64_t>(columns) > limits_.max_columns) {
    return Unprocessable(
        fmt::format("sheet '{}' exceeds the {}-column limit", sheet_name, FormatCount(limits_.max_columns)));
  }
  if (static_cast<std::int64_t>(rows) > limits_.max_rows) {
    return Unprocessable(
        fmt::format("sheet '{}' exceeds the {}-row limit", sheet_name, FormatCount(limits_.max_rows)));
  }
  std::vector<Cell> cells;
  cells.reserve(columns);
  for (unsigned int row = 0; row < rows; ++row) {
    cells.clear();
    for (unsigned short column = 0; column < columns; ++column) {
      FreeXL_CellValue value;
      if (freexl_get_cell_value(handle_, row, column, &value) != FREEXL_OK) {
        return Unprocessable(
            fmt::format("sheet '{}' could not be read; the workbook may be corrupt", sheet_name));
      }
      Cell cell = ConvertCell(value);
      if (cell.kind == Cell::Kind::EMPTY) continue;
      cells.resize(column);
      cells.push_back(std::move(cell));
    }
    if (!cells.empty() && !on_row(row, cells)) break;
  }
  return Status::Ok();
}

}  // namespace dm::engine
