#pragma once
/// Streaming readers for spreadsheet formats DuckDB lacks: XLSX and ODS (libzip + expat,
/// our own: no Debian library streams OOXML/ODF cells with typed values) and XLS (freexl).
/// Readers stream one row at a time and never hold a whole sheet in memory.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace dm::engine {

/// One cell's value as the workbook stores it (cached value for formulas).
struct Cell {
  enum class Kind { EMPTY, STRING, NUMBER, BOOLEAN, DATE, DATETIME, ERROR };
  Kind kind = Kind::EMPTY;
  /// STRING: the text. DATE: "YYYY-MM-DD". DATETIME: "YYYY-MM-DD HH:MM:SS[.fff]".
  /// ERROR: the error literal ("#DIV/0!"). NUMBER/BOOLEAN: empty.
  std::string text;
  /// NUMBER: the value. BOOLEAN: 0 or 1. DATE/DATETIME: the serial value as stored.
  double number = 0;
};

/// Defences against hostile archives and XML. Exceeding any gives a clear error.
struct SpreadsheetLimits {
  std::uint64_t max_entry_uncompressed_bytes = 4ULL << 30;  ///< one zip entry
  std::uint64_t max_total_uncompressed_bytes = 8ULL << 30;  ///< all entries read
  double max_compression_ratio = 200.0;  ///< uncompressed/compressed, checked for entries > 1 MiB
  std::int64_t max_columns = 16384;
  std::int64_t max_rows = 1 << 20 << 4;  ///< 16M rows
};

/// Reads a workbook sheet by sheet. Not thread-safe; one reader per thread.
class SpreadsheetReader {
 public:
  virtual ~SpreadsheetReader() = default;

  /// Opens an XLSX, ODS or XLS file; `format` is "xlsx", "ods" or "xls" (from detection).
  static Result<std::unique_ptr<SpreadsheetReader>> Open(const std::string& path, const std::string& format,
                                                         const SpreadsheetLimits& limits = {});

  /// Sheet names in workbook order (hidden sheets included).
  virtual const std::vector<std::string>& SheetNames() const = 0;

  /// Streams sheet `index`'s non-empty rows in order. `row_index` is the 0-based row
  /// number in the sheet (rows that are absent/empty are skipped, so indices can jump).
  /// `cells` has one entry per column from column A up to the last non-empty cell of
  /// the row; gaps are Kind::EMPTY. Return false from `on_row` to stop early.
  virtual Status ReadSheet(
      std::size_t index,
      const std::function<bool(std::int64_t row_index, const std::vector<Cell>& cells)>& on_row) = 0;
};

}  // namespace dm::engine
