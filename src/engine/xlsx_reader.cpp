#include "engine/xlsx_reader.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <exception>
#include <new>
#include <utility>

namespace dm::engine {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::int64_t kUnixDaysAt1899_12_30 = -25569;  // serial 0 of the 1900 system (after day 60)
constexpr std::int64_t kUnixDaysAt1904_01_01 = -24107;  // serial 0 of the 1904 system
constexpr std::uint64_t kMaxSmallPartBytes = 64ULL << 20;
constexpr std::size_t kMaxCellTextBytes = 8U << 20;

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

/// A user-visible excerpt of a value taken from the file (bounded, so a hostile value
/// cannot flood a message).
std::string Excerpt(std::string_view text) {
  constexpr std::size_t kMax = 32;
  if (text.size() <= kMax) return std::string(text);
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return fmt::format("{}...", text.substr(0, cut));
}

bool ParseDouble(std::string_view text, double& value) {
  text = Trim(text);
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

bool ParseUnsigned(std::string_view text, std::uint64_t& value, std::size_t max_digits = 18) {
  text = Trim(text);
  if (text.empty() || text.size() > max_digits) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

std::string FormatDate(std::int64_t unix_days) {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{unix_days}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

std::string FormatTimeOfDay(std::int64_t ms) {
  const std::int64_t seconds = ms / 1000;
  std::string text = fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (ms % 1000 != 0) text += fmt::format(".{:03}", ms % 1000);
  return text;
}

int DigitValue(char c) {
  return c >= '0' && c <= '9' ? c - '0' : -1;
}

/// Reads exactly `count` digits at `pos`.
bool ReadDigits(std::string_view text, std::size_t& pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const int digit = DigitValue(text[pos + i]);
    if (digit < 0) return false;
    value = value * 10 + digit;
  }
  pos += count;
  return true;
}

void AppendUtf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

bool ParseHex4(std::string_view text, std::size_t pos, std::uint32_t& value) {
  if (pos + 4 > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + 4; ++i) {
    const char c = text[i];
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return false;
    value = value * 16 + static_cast<std::uint32_t>(digit);
  }
  return true;
}

/// OOXML escapes characters XML cannot carry as "_xHHHH_" (UTF-16 code units; "_x005F_" is
/// a literal underscore).
std::string DecodeOoxmlEscapes(std::string text) {
  if (text.find("_x") == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    std::uint32_t unit = 0;
    if (text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' && ParseHex4(text, i + 2, unit) &&
        text[i + 6] == '_') {
      i += 7;
      std::uint32_t code_point = unit;
      std::uint32_t low = 0;
      if (unit >= 0xD800 && unit <= 0xDBFF && i + 6 < text.size() && text[i] == '_' && text[i + 1] == 'x' &&
          ParseHex4(text, i + 2, low) && text[i + 6] == '_' && low >= 0xDC00 && low <= 0xDFFF) {
        code_point = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        i += 7;
      }
      if (code_point != 0 && !(code_point >= 0xD800 && code_point <= 0xDFFF)) AppendUtf8(out, code_point);
      continue;
    }
    out += text[i++];
  }
  return out;
}

std::string ColumnName(std::int64_t column) {
  std::string name;
  for (std::int64_t n = column + 1; n > 0; n = (n - 1) / 26)
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  return name;
}

/// "AB12" -> column 27 (0-based). False unless it is letters then a row number >= 1.
bool ParseCellReference(std::string_view ref, std::int64_t& column) {
  std::size_t pos = 0;
  std::int64_t value = 0;
  while (pos < ref.size() && pos < 8) {
    const char c = ref[pos];
    int letter = -1;
    if (c >= 'A' && c <= 'Z') letter = c - 'A';
    if (c >= 'a' && c <= 'z') letter = c - 'a';
    if (letter < 0) break;
    value = value * 26 + letter + 1;
    ++pos;
  }
  if (pos == 0 || pos >= 8) return false;
  std::uint64_t row = 0;
  if (!ParseUnsigned(ref.substr(pos), row, 10) || row == 0 || DigitValue(ref[pos]) < 0) return false;
  column = value - 1;
  return true;
}

std::string ResolvePartPath(std::string_view base_dir, std::string_view target) {
  std::string joined =
      target.starts_with('/') ? std::string(target.substr(1)) : fmt::format("{}{}", base_dir, target);
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    const std::string segment = joined.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string path;
  for (const auto& segment : segments) {
    if (!path.empty()) path += '/';
    path += segment;
  }
  return path;
}

std::string DirectoryOf(const std::string& part) {
  const auto slash = part.rfind('/');
  return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

std::string RelsPathFor(const std::string& part) {
  const auto slash = part.rfind('/');
  if (slash == std::string::npos) return fmt::format("_rels/{}.rels", part);
  return fmt::format("{}_rels/{}.rels", part.substr(0, slash + 1), part.substr(slash + 1));
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.ends_with(suffix);
}

// ---------------------------------------------------------------------------- handlers

struct Relationship {
  std::string id;
  std::string type;
  std::string target;
};

class RelationshipsHandler final : public XmlHandler {
 public:
  void OnStartElement(std::string_view /*ns*/, std::string_view local,
                      const XmlAttributes& attributes) override {
    if (local != "Relationship") return;
    const char* mode = attributes.Get("TargetMode");
    if (mode != nullptr && std::string_view(mode) == "External") return;
    const char* id = attributes.Get("Id");
    const char* type = attributes.Get("Type");
    const char* target = attributes.Get("Target");
    if (id == nullptr || type == nullptr || target == nullptr) return;
    relationships.push_back({id, type, target});
  }
  void OnEndElement(std::string_view /*ns*/, std::string_view /*local*/) override {}
  void OnText(std::string_view /*text*/) override {}

  std::vector<Relationship> relationships;
};

class WorkbookHandler final : public XmlHandler {
 public:
  void OnStartElement(std::string_view /*ns*/, std::string_view local,
                      const XmlAttributes& attributes) override {
    if (local == "sheets") {
      in_sheets_ = true;
    } else if (local == "sheet" && in_sheets_) {
      const char* name = attributes.Get("name");
      const char* id = attributes.GetNs("relationships", "id");
      names.emplace_back(name != nullptr ? name : fmt::format("Sheet{}", names.size() + 1));
      relationship_ids.emplace_back(id != nullptr ? id : "");
    } else if (local == "workbookPr") {
      const char* value = attributes.Get("date1904");
      date1904 = value != nullptr && (std::string_view(value) == "1" || std::string_view(value) == "true");
    }
  }
  void OnEndElement(std::string_view /*ns*/, std::string_view local) override {
    if (local == "sheets") in_sheets_ = false;
  }
  void OnText(std::string_view /*text*/) override {}

  std::vector<std::string> names;
  std::vector<std::string> relationship_ids;
  bool date1904 = false;

 private:
  bool in_sheets_ = false;
};

Status CellTooLong(const std::string& where) {
  return Unprocessable(fmt::format("{} holds more than {} MiB of text, which is over the limit", where,
                                   kMaxCellTextBytes >> 20));
}

class SharedStringsHandler final : public XmlHandler {
 public:
  explicit SharedStringsHandler(std::vector<std::string>& strings) : strings_(strings) {}

  void OnStartElement(std::string_view /*ns*/, std::string_view local,
                      const XmlAttributes& /*attributes*/) override {
    if (local == "si") {
      in_item_ = true;
      current_.clear();
    } else if (local == "rPh") {
      ++phonetic_depth_;
    } else if (local == "t" && in_item_ && phonetic_depth_ == 0) {
      in_text_ = true;
    }
  }
  void OnEndElement(std::string_view /*ns*/, std::string_view local) override {
    if (local == "si") {
      in_item_ = false;
      strings_.push_back(DecodeOoxmlEscapes(std::move(current_)));
      current_.clear();
    } else if (local == "rPh") {
      --phonetic_depth_;
    } else if (local == "t") {
      in_text_ = false;
    }
  }
  void OnText(std::string_view text) override {
    if (!in_text_) return;
    if (current_.size() + text.size() > kMaxCellTextBytes) {
      Stop(CellTooLong("a shared string in the workbook"));
      return;
    }
    current_.append(text);
  }

 private:
  std::vector<std::string>& strings_;
  std::string current_;
  bool in_item_ = false;
  bool in_text_ = false;
  int phonetic_depth_ = 0;
};

class StylesHandler final : public XmlHandler {
 public:
  void OnStartElement(std::string_view /*ns*/, std::string_view local,
                      const XmlAttributes& attributes) override {
    if (local == "numFmt") {
      const char* id = attributes.Get("numFmtId");
      const char* code = attributes.Get("formatCode");
      std::uint64_t value = 0;
      if (id != nullptr && code != nullptr && ParseUnsigned(id, value, 9)) {
        custom_formats_[static_cast<int>(value)] = ClassifyNumberFormat(code);
      }
    } else if (local == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (local == "xf" && in_cell_xfs_) {
      const char* id = attributes.Get("numFmtId");
      std::uint64_t value = 0;
      xf_format_ids_.push_back(id != nullptr && ParseUnsigned(id, value, 9) ? static_cast<int>(value) : 0);
    }
  }
  void OnEndElement(std::string_view /*ns*/, std::string_view local) override {
    if (local == "cellXfs") in_cell_xfs_ = false;
  }
  void OnText(std::string_view /*text*/) override {}

  std::vector<NumberFormatKind> Resolve() const {
    std::vector<NumberFormatKind> kinds;
    kinds.reserve(xf_format_ids_.size());
    for (const int id : xf_format_ids_) {
      const auto custom = custom_formats_.find(id);
      kinds.push_back(custom != custom_formats_.end() ? custom->second : BuiltinNumberFormatKind(id));
    }
    return kinds;
  }

 private:
  bool in_cell_xfs_ = false;
  std::unordered_map<int, NumberFormatKind> custom_formats_;
  std::vector<int> xf_format_ids_;
};

enum class XlsxCellType { NUMBER, SHARED_STRING, INLINE_STRING, FORMULA_STRING, BOOLEAN, ERROR, ISO_DATE };

XlsxCellType CellTypeFromAttribute(const char* type) {
  if (type == nullptr) return XlsxCellType::NUMBER;
  const std::string_view value(type);
  if (value == "s") return XlsxCellType::SHARED_STRING;
  if (value == "inlineStr") return XlsxCellType::INLINE_STRING;
  if (value == "str") return XlsxCellType::FORMULA_STRING;
  if (value == "b") return XlsxCellType::BOOLEAN;
  if (value == "e") return XlsxCellType::ERROR;
  if (value == "d") return XlsxCellType::ISO_DATE;
  return XlsxCellType::NUMBER;
}

using RowCallback = std::function<bool(std::int64_t, const std::vector<Cell>&)>;

/// Streams one worksheet part, emitting each non-empty row.
class SheetHandler final : public XmlHandler {
 public:
  SheetHandler(const std::string& sheet_name, const SpreadsheetLimits& limits,
               const std::vector<std::string>& shared_strings,
               const std::vector<NumberFormatKind>& format_kinds, bool date1904, const RowCallback& on_row)
      : sheet_name_(sheet_name),
        limits_(limits),
        shared_strings_(shared_strings),
        format_kinds_(format_kinds),
        date1904_(date1904),
        on_row_(on_row) {}

  void OnStartElement(std::string_view /*ns*/, std::string_view local,
                      const XmlAttributes& attributes) override {
    if (!in_sheet_data_) {
      if (local == "sheetData") in_sheet_data_ = true;
      return;
    }
    if (local == "row") {
      StartRow(attributes);
    } else if (local == "c") {
      if (in_row_) StartCell(attributes);
    } else if (!in_cell_) {
      return;
    } else if (local == "v") {
      in_value_ = true;
      has_value_ = true;
    } else if (local == "is") {
      in_inline_ = true;
      has_inline_ = true;
    } else if (local == "rPh") {
      ++phonetic_depth_;
    } else if (local == "t" && in_inline_ && phonetic_depth_ == 0) {
      in_inline_text_ = true;
    }
  }

  void OnEndElement(std::string_view /*ns*/, std::string_view local) override {
    if (!in_sheet_data_) return;
    if (local == "sheetData") {
      in_sheet_data_ = false;
    } else if (local == "row") {
      EndRow();
    } else if (!in_cell_) {
      return;
    } else if (local == "c") {
      EndCell();
    } else if (local == "v") {
      in_value_ = false;
    } else if (local == "is") {
      in_inline_ = false;
    } else if (local == "rPh") {
      --phonetic_depth_;
    } else if (local == "t") {
      in_inline_text_ = false;
    }
  }

  void OnText(std::string_view text) override {
    std::string* target = nullptr;
    if (in_value_) {
      target = &value_;
    } else if (in_inline_text_ && phonetic_depth_ == 0) {
      target = &inline_text_;
    }
    if (target == nullptr) return;
    if (target->size() + text.size() > kMaxCellTextBytes) {
      Stop(CellTooLong(fmt::format("cell {}{} in sheet '{}'", ColumnName(column_), row_ + 1, sheet_name_)));
      return;
    }
    target->append(text);
  }

 private:
  Status ColumnLimitError() const {
    return Unprocessable(
        fmt::format("sheet '{}' exceeds the {}-column limit", sheet_name_, FormatCount(limits_.max_columns)));
  }
  Status RowLimitError() const {
    return Unprocessable(
        fmt::format("sheet '{}' exceeds the {}-row limit", sheet_name_, FormatCount(limits_.max_rows)));
  }

  void StartRow(const XmlAttributes& attributes) {
    in_row_ = true;
    cells_.clear();
    column_cursor_ = -1;
    std::int64_t row = previous_row_ + 1;
    if (const char* r = attributes.Get("r")) {
      std::uint64_t number = 0;
      if (!ParseUnsigned(r, number, 10) || number == 0) {
        Stop(
            Unprocessable(fmt::format("sheet '{}' has an invalid row number '{}'", sheet_name_, Excerpt(r))));
        return;
      }
      if (number > static_cast<std::uint64_t>(limits_.max_rows)) {
        Stop(RowLimitError());
        return;
      }
      row = static_cast<std::int64_t>(number) - 1;
      if (row <= previous_row_) {
        Stop(Unprocessable(fmt::format("sheet '{}' is not a valid XLSX sheet: row {} appears after row {}",
                                       sheet_name_, row + 1, previous_row_ + 1)));
        return;
      }
    }
    if (row >= limits_.max_rows) {
      Stop(RowLimitError());
      return;
    }
    row_ = row;
    previous_row_ = row;
  }

  void StartCell(const XmlAttributes& attributes) {
    in_cell_ = true;
    has_value_ = false;
    has_inline_ = false;
    in_value_ = false;
    in_inline_ = false;
    in_inline_text_ = false;
    phonetic_depth_ = 0;
    value_.clear();
    inline_text_.clear();
    std::int64_t column = column_cursor_ + 1;
    if (const char* r = attributes.Get("r")) {
      if (!ParseCellReference(r, column)) {
        Stop(Unprocessable(
            fmt::format("sheet '{}' has an invalid cell reference '{}'", sheet_name_, Excerpt(r))));
        return;
      }
    }
    if (column >= limits_.max_columns) {
      Stop(ColumnLimitError());
      return;
    }
    column_ = column;
    column_cursor_ = column;
    type_ = CellTypeFromAttribute(attributes.Get("t"));
    style_ = 0;
    if (const char* s = attributes.Get("s")) {
      std::uint64_t style = 0;
      if (ParseUnsigned(s, style, 9)) style_ = static_cast<std::size_t>(style);
    }
  }

  void EndCell() {
    in_cell_ = false;
    Cell cell;
    if (!BuildCell(cell) || cell.kind == Cell::Kind::EMPTY) return;
    const auto column = static_cast<std::size_t>(column_);
    if (cells_.size() <= column) cells_.resize(column + 1);
    cells_[column] = std::move(cell);
  }

  void EndRow() {
    if (!in_row_) return;
    in_row_ = false;
    if (cells_.empty()) return;
    if (!on_row_(row_, cells_)) Stop();
  }

  NumberFormatKind FormatKind() const {
    return style_ < format_kinds_.size() ? format_kinds_[style_] : NumberFormatKind::NUMBER;
  }

  /// Fills `cell` from the collected value; false after Stop() with an error.
  bool BuildCell(Cell& cell) {
    switch (type_) {
      case XlsxCellType::SHARED_STRING: {
        if (!has_value_ || Trim(value_).empty()) return true;
        std::uint64_t index = 0;
        if (!ParseUnsigned(value_, index) || index >= shared_strings_.size()) {
          Stop(Unprocessable(
              fmt::format("cell {}{} in sheet '{}' refers to a shared string that does not exist",
                          ColumnName(column_), row_ + 1, sheet_name_)));
          return false;
        }
        cell.kind = Cell::Kind::STRING;
        cell.text = shared_strings_[static_cast<std::size_t>(index)];
        return true;
      }
      case XlsxCellType::INLINE_STRING:
        if (has_inline_) {
          cell.kind = Cell::Kind::STRING;
          cell.text = DecodeOoxmlEscapes(std::move(inline_text_));
        } else if (has_value_) {
          cell.kind = Cell::Kind::STRING;
          cell.text = DecodeOoxmlEscapes(std::move(value_));
        }
        return true;
      case XlsxCellType::FORMULA_STRING:
        if (has_value_) {
          cell.kind = Cell::Kind::STRING;
          cell.text = DecodeOoxmlEscapes(std::move(value_));
        }
        return true;
      case XlsxCellType::BOOLEAN: {
        if (!has_value_) return true;
        const std::string_view value = Trim(value_);
        if (value == "1" || value == "true") {
          cell.kind = Cell::Kind::BOOLEAN;
          cell.number = 1;
        } else if (value == "0" || value == "false") {
          cell.kind = Cell::Kind::BOOLEAN;
          cell.number = 0;
        } else {
          cell.kind = Cell::Kind::STRING;
          cell.text = value_;
        }
        return true;
      }
      case XlsxCellType::ERROR:
        if (has_value_) {
          cell.kind = Cell::Kind::ERROR;
          cell.text = std::string(Trim(value_));
        }
        return true;
      case XlsxCellType::ISO_DATE:
        if (has_value_ && !CellFromIsoDate(Trim(value_), cell) && !value_.empty()) {
          cell.kind = Cell::Kind::STRING;
          cell.text = value_;
        }
        return true;
      case XlsxCellType::NUMBER: {
        if (!has_value_ || value_.empty()) return true;
        double number = 0;
        if (ParseDouble(value_, number)) {
          cell = CellFromSerial(number, FormatKind(), date1904_);
        } else {
          cell.kind = Cell::Kind::STRING;  // not a number: keep what the file says
          cell.text = value_;
        }
        return true;
      }
    }
    return true;
  }

  const std::string& sheet_name_;
  const SpreadsheetLimits& limits_;
  const std::vector<std::string>& shared_strings_;
  const std::vector<NumberFormatKind>& format_kinds_;
  const bool date1904_;
  const RowCallback& on_row_;

  bool in_sheet_data_ = false;
  bool in_row_ = false;
  std::int64_t row_ = 0;
  std::int64_t previous_row_ = -1;
  std::int64_t column_cursor_ = -1;
  std::vector<Cell> cells_;

  bool in_cell_ = false;
  std::int64_t column_ = 0;
  XlsxCellType type_ = XlsxCellType::NUMBER;
  std::size_t style_ = 0;
  bool has_value_ = false;
  bool has_inline_ = false;
  bool in_value_ = false;
  bool in_inline_ = false;
  bool in_inline_text_ = false;
  int phonetic_depth_ = 0;
  std::string value_;
  std::string inline_text_;
};

Status FromException(const std::exception& error) {
  if (dynamic_cast<const std::bad_alloc*>(&error) != nullptr) {
    return Internal("there was not enough memory to read the workbook");
  }
  return Internal(fmt::format("reading the workbook failed: {}", error.what()));
}

}  // namespace

// ---------------------------------------------------------------------------- dates

NumberFormatKind BuiltinNumberFormatKind(int format_id) {
  if (format_id >= 14 && format_id <= 17) return NumberFormatKind::DATE;
  if (format_id >= 18 && format_id <= 21) return NumberFormatKind::TIME;
  if (format_id == 22) return NumberFormatKind::DATETIME;
  if (format_id == 45 || format_id == 47) return NumberFormatKind::TIME;
  if (format_id == 46) return NumberFormatKind::DURATION;
  // East Asian locale built-ins: dates, except 32/33 which are times.
  if (format_id == 32 || format_id == 33) return NumberFormatKind::TIME;
  if ((format_id >= 27 && format_id <= 36) || (format_id >= 50 && format_id <= 58))
    return NumberFormatKind::DATE;
  return NumberFormatKind::NUMBER;
}

NumberFormatKind ClassifyNumberFormat(std::string_view format_code) {
  bool has_date = false;
  bool has_month_or_minute = false;
  bool has_time = false;
  bool elapsed = false;
  for (std::size_t i = 0; i < format_code.size(); ++i) {
    const char c = format_code[i];
    if (c == '"') {
      const auto close = format_code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or padding/fill)
    } else if (c == '[') {
      const auto close = format_code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      const std::string_view inside = format_code.substr(i + 1, close - i - 1);
      if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos) {
        has_time = true;
        elapsed = true;
      }
      i = close;
    } else {
      switch (c) {
        case 'd':
        case 'D':
        case 'y':
        case 'Y':
          has_date = true;
          break;
        case 'm':
        case 'M':
          has_month_or_minute = true;
          break;
        case 'h':
        case 'H':
        case 's':
        case 'S':
          has_time = true;
          break;
        default:
          break;
      }
    }
  }
  if (elapsed) return NumberFormatKind::DURATION;
  const bool date_part = has_date || (has_month_or_minute && !has_time);
  if (date_part && has_time) return NumberFormatKind::DATETIME;
  if (date_part) return NumberFormatKind::DATE;
  if (has_time) return NumberFormatKind::TIME;
  return NumberFormatKind::NUMBER;
}

std::string FormatDuration(double days) {
  const bool negative = days < 0;
  const auto total_ms = std::llround(std::fabs(days) * static_cast<double>(kMsPerDay));
  const std::int64_t seconds = total_ms / 1000;
  std::string text = fmt::format("{}{:02}:{:02}:{:02}", negative ? "-" : "", seconds / 3600,
                                 seconds / 60 % 60, seconds % 60);
  if (total_ms % 1000 != 0) text += fmt::format(".{:03}", total_ms % 1000);
  return text;
}

Cell CellFromSerial(double serial, NumberFormatKind kind, bool date1904) {
  Cell cell;
  cell.kind = Cell::Kind::NUMBER;
  cell.number = serial;
  if (kind == NumberFormatKind::NUMBER || !std::isfinite(serial)) return cell;
  if (kind == NumberFormatKind::DURATION || (kind == NumberFormatKind::TIME && serial >= 0 && serial < 1)) {
    if (std::fabs(serial) > 1e9) return cell;
    cell.kind = Cell::Kind::STRING;
    cell.text = FormatDuration(serial);
    return cell;
  }
  // 9999-12-31 is serial 2958465 (1900 system) / 2957003 (1904 system).
  const double max_serial = date1904 ? 2957004.0 : 2958466.0;
  if (serial < 0 || serial >= max_serial) return cell;
  const std::int64_t total_ms = std::llround(serial * static_cast<double>(kMsPerDay));
  const std::int64_t day = total_ms / kMsPerDay;
  const std::int64_t ms = total_ms % kMsPerDay;
  std::int64_t unix_days = 0;
  if (date1904) {
    unix_days = kUnixDaysAt1904_01_01 + day;
  } else {
    // Lotus 1-2-3 counted a 1900-02-29 (serial 60); serials before it are one day later.
    unix_days = day < 60 ? kUnixDaysAt1899_12_30 + 1 + day : kUnixDaysAt1899_12_30 + day;
  }
  const std::string date = FormatDate(unix_days);
  if (date.size() != 10) return cell;  // past year 9999 after rounding
  if (kind == NumberFormatKind::DATE && ms == 0) {
    cell.kind = Cell::Kind::DATE;
    cell.text = date;
  } else {
    cell.kind = Cell::Kind::DATETIME;
    cell.text = fmt::format("{} {}", date, FormatTimeOfDay(ms));
  }
  return cell;
}

bool CellFromIsoDate(std::string_view text, Cell& cell) {
  std::size_t pos = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  if (!ReadDigits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
      !ReadDigits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
      !ReadDigits(text, pos, 2, day)) {
    return false;
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return false;
  const std::int64_t unix_days = std::chrono::sys_days{date}.time_since_epoch().count();
  bool has_time = false;
  std::int64_t ms = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != ' ') return false;
    ++pos;
    int hour = 0;
    int minute = 0;
    int second = 0;
    if (!ReadDigits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
        !ReadDigits(text, pos, 2, minute)) {
      return false;
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!ReadDigits(text, pos, 2, second)) return false;
    }
    int fraction_ms = 0;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      int scale = 100;
      const std::size_t digits_start = pos;
      while (pos < text.size() && DigitValue(text[pos]) >= 0) {
        fraction_ms += DigitValue(text[pos]) * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == digits_start) return false;
    }
    // A trailing zone (Z, +hh:mm) is ignored: spreadsheet dates are wall-clock values.
    if (pos < text.size() && text[pos] != 'Z' && text[pos] != '+' && text[pos] != '-') return false;
    if (hour > 23 || minute > 59 || second > 60) return false;
    has_time = true;
    ms = ((hour * 60LL + minute) * 60 + second) * 1000 + fraction_ms;
  }
  const std::string date_text = FormatDate(unix_days);
  cell.number = static_cast<double>(unix_days - kUnixDaysAt1899_12_30) + static_cast<double>(ms) / kMsPerDay;
  if (has_time) {
    cell.kind = Cell::Kind::DATETIME;
    cell.text = fmt::format("{} {}", date_text, FormatTimeOfDay(ms));
  } else {
    cell.kind = Cell::Kind::DATE;
    cell.text = date_text;
  }
  return true;
}

std::string FormatCount(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? fmt::format("-{}", out) : out;
}

// ---------------------------------------------------------------------------- reader

XlsxReader::XlsxReader(std::unique_ptr<ZipArchive> archive, const SpreadsheetLimits& limits)
    : archive_(std::move(archive)), limits_(limits) {}

Result<std::unique_ptr<SpreadsheetReader>> XlsxReader::Open(const std::string& path,
                                                            const SpreadsheetLimits& limits) {
  try {
    DM_ASSIGN_OR_RETURN(auto archive, ZipArchive::Open(path, "XLSX", limits));
    std::unique_ptr<XlsxReader> reader(new XlsxReader(std::move(archive), limits));
    DM_RETURN_IF_ERROR(reader->LoadWorkbook());
    return std::unique_ptr<SpreadsheetReader>(std::move(reader));
  } catch (const std::exception& error) {
    return FromException(error);
  }
}

Status XlsxReader::LoadWorkbook() {
  if (!archive_->Contains("[Content_Types].xml")) {
    return Unprocessable("the workbook is truncated or not a valid XLSX file");
  }
  // The package relationships name the workbook part (usually xl/workbook.xml).
  std::string workbook_part = "xl/workbook.xml";
  if (archive_->Contains("_rels/.rels")) {
    RelationshipsHandler root;
    DM_RETURN_IF_ERROR(archive_->ParseXmlEntry("_rels/.rels", root));
    for (const auto& relationship : root.relationships) {
      if (EndsWith(relationship.type, "/officeDocument")) {
        workbook_part = ResolvePartPath("", relationship.target);
        break;
      }
    }
  }
  if (!archive_->Contains(workbook_part)) {
    if (archive_->Contains("xl/workbook.bin")) {
      return Unsupported(
          "binary Excel workbooks (.xlsb) are not supported; save the file as .xlsx and upload it again");
    }
    return Unprocessable("the workbook is truncated or not a valid XLSX file");
  }
  WorkbookHandler workbook;
  DM_RETURN_IF_ERROR(archive_->ParseXmlEntry(workbook_part, workbook));
  date1904_ = workbook.date1904;

  const std::string base_dir = DirectoryOf(workbook_part);
  RelationshipsHandler relationships;
  const std::string rels_part = RelsPathFor(workbook_part);
  if (archive_->Contains(rels_part)) DM_RETURN_IF_ERROR(archive_->ParseXmlEntry(rels_part, relationships));
  std::unordered_map<std::string, std::string> targets;
  for (const auto& relationship : relationships.relationships) {
    const std::string target = ResolvePartPath(base_dir, relationship.target);
    if (EndsWith(relationship.type, "/sharedStrings")) shared_strings_part_ = target;
    if (EndsWith(relationship.type, "/styles")) styles_part_ = target;
    targets.emplace(relationship.id, target);
  }
  for (std::size_t i = 0; i < workbook.names.size(); ++i) {
    const auto target = targets.find(workbook.relationship_ids[i]);
    if (target == targets.end()) {
      return Unprocessable(fmt::format("the workbook is not a valid XLSX file: sheet '{}' has no data part",
                                       workbook.names[i]));
    }
    sheet_names_.push_back(workbook.names[i]);
    sheet_parts_.push_back(target->second);
  }
  return Status::Ok();
}

Status XlsxReader::LoadSharedData() {
  if (shared_data_loaded_) return Status::Ok();
  if (!shared_strings_part_.empty() && archive_->Contains(shared_strings_part_)) {
    SharedStringsHandler handler(shared_strings_);
    DM_RETURN_IF_ERROR(archive_->ParseXmlEntry(shared_strings_part_, handler));
  }
  if (!styles_part_.empty() && archive_->Contains(styles_part_)) {
    StylesHandler handler;
    DM_RETURN_IF_ERROR(archive_->ParseXmlEntry(styles_part_, handler));
    cell_format_kinds_ = handler.Resolve();
  }
  shared_data_loaded_ = true;
  return Status::Ok();
}

Status XlsxReader::ReadSheet(std::size_t index, const RowCallback& on_row) {
  try {
    return ReadSheetUnguarded(index, on_row);
  } catch (const std::exception& error) {
    return FromException(error);
  }
}

Status XlsxReader::ReadSheetUnguarded(std::size_t index, const RowCallback& on_row) {
  if (index >= sheet_names_.size()) {
    return NotFound(
        fmt::format("sheet {} does not exist; the workbook has {} sheets", index + 1, sheet_names_.size()));
  }
  DM_RETURN_IF_ERROR(LoadSharedData());
  if (!archive_->Contains(sheet_parts_[index])) {
    return Unprocessable(fmt::format(
        "the workbook is not a valid XLSX file: the data of sheet '{}' is missing", sheet_names_[index]));
  }
  SheetHandler handler(sheet_names_[index], limits_, shared_strings_, cell_format_kinds_, date1904_, on_row);
  return archive_->ParseXmlEntry(sheet_parts_[index], handler);
}

}  // namespace dm::engine
