#include "engine/ods_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <new>
#include <utility>

#include "engine/xlsx_reader.h"

namespace dm::engine {
namespace {

constexpr std::string_view kTableNs = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
constexpr std::string_view kTextNs = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr std::string_view kOfficeNs = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr std::string_view kDrawNs = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
constexpr std::string_view kTableAttr = "xmlns:table:1.0";
constexpr std::string_view kOfficeAttr = "xmlns:office:1.0";
constexpr std::string_view kTextAttr = "xmlns:text:1.0";
constexpr std::size_t kMaxCellTextBytes = 8U << 20;
constexpr std::int64_t kIndexCap = 1LL << 50;  // repeat counts saturate here, far past any limit

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

bool ParseDouble(std::string_view text, double& value) {
  text = Trim(text);
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

/// A repeat count attribute: 1 when absent or invalid, else the value capped at kIndexCap.
std::int64_t RepeatCount(const char* text) {
  if (text == nullptr) return 1;
  std::uint64_t value = 0;
  const std::string_view view = Trim(text);
  const auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), value);
  if (error == std::errc::result_out_of_range) return kIndexCap;
  if (error != std::errc() || end != view.data() + view.size() || value == 0) return 1;
  return value > static_cast<std::uint64_t>(kIndexCap) ? kIndexCap : static_cast<std::int64_t>(value);
}

/// ISO 8601 duration as ODF writes time values ("PT13H45M30S", "-P1DT2H", "PT0.5S") in days.
bool ParseIsoDuration(std::string_view text, double& days) {
  text = Trim(text);
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty() || text.front() != 'P') return false;
  text.remove_prefix(1);
  double seconds = 0;
  bool in_time = false;
  bool any = false;
  while (!text.empty()) {
    if (text.front() == 'T') {
      in_time = true;
      text.remove_prefix(1);
      continue;
    }
    const auto unit_pos = text.find_first_of("YMWDHS");
    if (unit_pos == std::string_view::npos || unit_pos == 0) return false;
    double value = 0;
    if (!ParseDouble(text.substr(0, unit_pos), value) || value < 0) return false;
    const char unit = text[unit_pos];
    if (!in_time && unit == 'D') {
      seconds += value * 86400;
    } else if (!in_time && unit == 'W') {
      seconds += value * 7 * 86400;
    } else if (in_time && unit == 'H') {
      seconds += value * 3600;
    } else if (in_time && unit == 'M') {
      seconds += value * 60;
    } else if (in_time && unit == 'S') {
      seconds += value;
    } else {
      return false;  // years and months have no fixed length
    }
    any = true;
    text.remove_prefix(unit_pos + 1);
  }
  if (!any) return false;
  days = (negative ? -seconds : seconds) / 86400;
  return std::isfinite(days);
}

Status FromException(const std::exception& error) {
  if (dynamic_cast<const std::bad_alloc*>(&error) != nullptr) {
    return Internal("there was not enough memory to read the workbook");
  }
  return Internal(fmt::format("reading the workbook failed: {}", error.what()));
}

/// Collects the names of the top-level tables (sheets).
class TableNamesHandler final : public XmlHandler {
 public:
  void OnStartElement(std::string_view ns, std::string_view local, const XmlAttributes& attributes) override {
    if (ns != kTableNs || local != "table") return;
    if (++depth_ == 1) {
      const char* name = attributes.GetNs(kTableAttr, "name");
      names.emplace_back(name != nullptr ? name : fmt::format("Sheet{}", names.size() + 1));
    }
  }
  void OnEndElement(std::string_view ns, std::string_view local) override {
    if (ns == kTableNs && local == "table") --depth_;
  }
  void OnText(std::string_view /*text*/) override {}

  std::vector<std::string> names;

 private:
  int depth_ = 0;
};

using RowCallback = std::function<bool(std::int64_t, const std::vector<Cell>&)>;

/// Streams the rows of one table of content.xml, then stops the parse.
class TableHandler final : public XmlHandler {
 public:
  TableHandler(std::size_t target, const std::string& sheet_name, const SpreadsheetLimits& limits,
               const RowCallback& on_row)
      : target_(target), sheet_name_(sheet_name), limits_(limits), on_row_(on_row) {}

  void OnStartElement(std::string_view ns, std::string_view local, const XmlAttributes& attributes) override {
    if (ns == kTableNs && local == "table") {
      ++table_depth_;
      if (table_depth_ == 1) {
        active_ = table_index_ == target_;
        ++table_index_;
      } else if (active_) {
        ++skip_depth_;  // a table nested in a cell is not part of this sheet's grid
      }
      return;
    }
    if (!active_) return;
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return;
    }
    if (ns == kTableNs) {
      if (local == "table-row") {
        StartRow(attributes);
      } else if ((local == "table-cell" || local == "covered-table-cell") && in_row_) {
        StartCell(attributes);
      }
      return;
    }
    if (!in_cell_) return;
    if ((ns == kOfficeNs && local == "annotation") || ns == kDrawNs) {
      ++skip_depth_;  // comments and shapes anchored to the cell are not its value
      return;
    }
    if (ns != kTextNs) return;
    if (local == "p" || local == "h") {
      if (paragraphs_ > 0) AppendText("\n");
      ++paragraphs_;
      in_paragraph_ = true;
    } else if (!in_paragraph_) {
      return;
    } else if (local == "s") {
      const std::int64_t count = RepeatCount(attributes.GetNs(kTextAttr, "c"));
      if (count > static_cast<std::int64_t>(kMaxCellTextBytes)) {
        Stop(CellTooLong());
        return;
      }
      AppendText(std::string(static_cast<std::size_t>(count), ' '));
    } else if (local == "tab") {
      AppendText("\t");
    } else if (local == "line-break") {
      AppendText("\n");
    }
  }

  void OnEndElement(std::string_view ns, std::string_view local) override {
    if (ns == kTableNs && local == "table") {
      --table_depth_;
      if (skip_depth_ > 0) {
        --skip_depth_;
        return;
      }
      if (table_depth_ == 0 && active_) {
        active_ = false;
        Stop();  // the sheet is complete; later tables need not be parsed
      }
      return;
    }
    if (!active_) return;
    if (skip_depth_ > 0) {
      --skip_depth_;
      return;
    }
    if (ns == kTableNs) {
      if (local == "table-row") {
        EndRow();
      } else if ((local == "table-cell" || local == "covered-table-cell") && in_cell_) {
        EndCell();
      }
    } else if (ns == kTextNs && (local == "p" || local == "h")) {
      in_paragraph_ = false;
    }
  }

  void OnText(std::string_view text) override {
    if (in_cell_ && in_paragraph_ && skip_depth_ == 0) AppendText(text);
  }

 private:
  Status CellTooLong() const {
    return Unprocessable(
        fmt::format("a cell in sheet '{}' holds more than {} MiB of text, which is over the limit",
                    sheet_name_, kMaxCellTextBytes >> 20));
  }

  void AppendText(std::string_view text) {
    if (text_.size() + text.size() > kMaxCellTextBytes) {
      Stop(CellTooLong());
      return;
    }
    text_.append(text);
  }

  void StartRow(const XmlAttributes& attributes) {
    in_row_ = true;
    rows_repeated_ = RepeatCount(attributes.GetNs(kTableAttr, "number-rows-repeated"));
    cells_.clear();
    pending_empty_ = 0;
  }

  void EndRow() {
    if (!in_row_) return;
    in_row_ = false;
    if (!cells_.empty()) {
      for (std::int64_t i = 0; i < rows_repeated_; ++i) {
        if (row_ + i >= limits_.max_rows) {
          Stop(Unprocessable(fmt::format("sheet '{}' exceeds the {}-row limit", sheet_name_,
                                         FormatCount(limits_.max_rows))));
          return;
        }
        if (!on_row_(row_ + i, cells_)) {
          Stop();
          return;
        }
      }
    }
    row_ = std::min(row_ + rows_repeated_, kIndexCap);
  }

  void StartCell(const XmlAttributes& attributes) {
    in_cell_ = true;
    in_paragraph_ = false;
    paragraphs_ = 0;
    text_.clear();
    columns_repeated_ = RepeatCount(attributes.GetNs(kTableAttr, "number-columns-repeated"));
    const auto get = [&](std::string_view ns_part, std::string_view local, std::string& out) {
      const char* value = attributes.GetNs(ns_part, local);
      out = value != nullptr ? value : "";
      return value != nullptr;
    };
    get(kOfficeAttr, "value-type", value_type_);
    get("calcext", "value-type", calc_value_type_);
    get(kOfficeAttr, "value", value_);
    get(kOfficeAttr, "date-value", date_value_);
    get(kOfficeAttr, "time-value", time_value_);
    get(kOfficeAttr, "boolean-value", boolean_value_);
    has_string_value_ = get(kOfficeAttr, "string-value", string_value_);
  }

  void EndCell() {
    in_cell_ = false;
    in_paragraph_ = false;
    Cell cell = BuildCell();
    if (cell.kind == Cell::Kind::EMPTY) {
      pending_empty_ = std::min(pending_empty_ + columns_repeated_, kIndexCap);
      return;
    }
    const std::int64_t start = static_cast<std::int64_t>(cells_.size()) + pending_empty_;
    if (start + columns_repeated_ > limits_.max_columns) {
      Stop(Unprocessable(fmt::format("sheet '{}' exceeds the {}-column limit", sheet_name_,
                                     FormatCount(limits_.max_columns))));
      return;
    }
    cells_.resize(static_cast<std::size_t>(start));
    for (std::int64_t i = 1; i < columns_repeated_; ++i) cells_.push_back(cell);
    cells_.push_back(std::move(cell));
    pending_empty_ = 0;
  }

  Cell TextCell() const {
    Cell cell;
    if (has_string_value_) {
      cell.kind = Cell::Kind::STRING;
      cell.text = string_value_;
    } else if (!text_.empty()) {
      cell.kind = Cell::Kind::STRING;
      cell.text = text_;
    }
    return cell;
  }

  Cell BuildCell() const {
    Cell cell;
    if (calc_value_type_ == "error") {
      cell.kind = Cell::Kind::ERROR;
      cell.text = text_.empty() ? "#VALUE!" : text_;
      return cell;
    }
    const std::string& type = value_type_;
    if (type == "float" || type == "percentage" || type == "currency") {
      double number = 0;
      if (!ParseDouble(value_, number)) return TextCell();
      cell.kind = Cell::Kind::NUMBER;
      cell.number = number;
      return cell;
    }
    if (type == "boolean") {
      const std::string_view value = Trim(boolean_value_);
      if (value != "true" && value != "false" && value != "1" && value != "0") return TextCell();
      cell.kind = Cell::Kind::BOOLEAN;
      cell.number = value == "true" || value == "1" ? 1 : 0;
      return cell;
    }
    if (type == "date") {
      if (!CellFromIsoDate(Trim(date_value_), cell)) return TextCell();
      return cell;
    }
    if (type == "time") {
      double days = 0;
      if (!ParseIsoDuration(time_value_, days)) return TextCell();
      cell.kind = Cell::Kind::STRING;  // no time-of-day kind: "HH:MM:SS", number = fraction of a day
      cell.text = FormatDuration(days);
      cell.number = days;
      return cell;
    }
    if (type == "string") {
      cell = TextCell();
      if (cell.kind == Cell::Kind::EMPTY && paragraphs_ > 0) cell.kind = Cell::Kind::STRING;
      return cell;
    }
    return TextCell();  // no value type: plain text if there is any
  }

  const std::size_t target_;
  const std::string& sheet_name_;
  const SpreadsheetLimits& limits_;
  const RowCallback& on_row_;

  int table_depth_ = 0;
  std::size_t table_index_ = 0;
  bool active_ = false;
  int skip_depth_ = 0;

  bool in_row_ = false;
  std::int64_t row_ = 0;
  std::int64_t rows_repeated_ = 1;
  std::vector<Cell> cells_;
  std::int64_t pending_empty_ = 0;

  bool in_cell_ = false;
  bool in_paragraph_ = false;
  int paragraphs_ = 0;
  std::int64_t columns_repeated_ = 1;
  std::string text_;
  std::string value_type_;
  std::string calc_value_type_;
  std::string value_;
  std::string date_value_;
  std::string time_value_;
  std::string boolean_value_;
  std::string string_value_;
  bool has_string_value_ = false;
};

}  // namespace

OdsReader::OdsReader(std::unique_ptr<ZipArchive> archive, const SpreadsheetLimits& limits)
    : archive_(std::move(archive)), limits_(limits) {}

Result<std::unique_ptr<SpreadsheetReader>> OdsReader::Open(const std::string& path,
                                                           const SpreadsheetLimits& limits) {
  try {
    DM_ASSIGN_OR_RETURN(auto archive, ZipArchive::Open(path, "ODS", limits));
    std::unique_ptr<OdsReader> reader(new OdsReader(std::move(archive), limits));
    DM_RETURN_IF_ERROR(reader->LoadSheetNames());
    return std::unique_ptr<SpreadsheetReader>(std::move(reader));
  } catch (const std::exception& error) {
    return FromException(error);
  }
}

Status OdsReader::LoadSheetNames() {
  if (archive_->Contains("mimetype")) {
    DM_ASSIGN_OR_RETURN(const std::string mimetype, archive_->ReadEntry("mimetype", 256));
    const std::string_view type = Trim(mimetype);
    if (type != "application/vnd.oasis.opendocument.spreadsheet" &&
        type != "application/vnd.oasis.opendocument.spreadsheet-template") {
      return Unsupported("the file is an OpenDocument file but not a spreadsheet (ODS)");
    }
  }
  if (!archive_->Contains("content.xml"))
    return Unprocessable("the workbook is truncated or not a valid ODS file");
  if (archive_->Contains("META-INF/manifest.xml")) {
    DM_ASSIGN_OR_RETURN(const std::string manifest,
                        archive_->ReadEntry("META-INF/manifest.xml", 16ULL << 20));
    if (manifest.find("encryption-data") != std::string::npos) {
      return Unprocessable("the workbook is password-protected; remove the password and upload it again");
    }
  }
  TableNamesHandler handler;
  DM_RETURN_IF_ERROR(archive_->ParseXmlEntry("content.xml", handler));
  sheet_names_ = std::move(handler.names);
  return Status::Ok();
}

Status OdsReader::ReadSheet(std::size_t index, const RowCallback& on_row) {
  try {
    if (index >= sheet_names_.size()) {
      return NotFound(
          fmt::format("sheet {} does not exist; the workbook has {} sheets", index + 1, sheet_names_.size()));
    }
    TableHandler handler(index, sheet_names_[index], limits_, on_row);
    return archive_->ParseXmlEntry("content.xml", handler);
  } catch (const std::exception& error) {
    return FromException(error);
  }
}

}  // namespace dm::engine
