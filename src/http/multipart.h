#pragma once
/// Streaming multipart/form-data parser: fed the body piece by piece, it writes the
/// part named `file` straight to disk and keeps small text fields in memory. The body
/// is never held whole in memory and the file bytes are written once.

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace dm::http {

/// The boundary from a Content-Type header, or nullopt when it is not multipart/form-data.
std::optional<std::string> MultipartBoundary(std::string_view content_type);

class MultipartParser {
 public:
  /// File part bytes go to `file_path` (created on the first file part).
  MultipartParser(std::string boundary, std::string file_path);
  ~MultipartParser();
  MultipartParser(const MultipartParser&) = delete;
  MultipartParser& operator=(const MultipartParser&) = delete;

  Status Feed(std::string_view data);
  /// Checks the body ended with the closing boundary.
  Status Finish();

  bool has_file() const { return has_file_; }
  const std::string& filename() const { return filename_; }
  const std::map<std::string, std::string>& fields() const { return fields_; }

 private:
  enum class State { PREAMBLE, HEADERS, BODY, AFTER_BOUNDARY, DONE };
  Status ParseHeaders(std::string_view headers);
  Status Emit(std::string_view bytes);

  std::string delimiter_;  ///< "\r\n--" + boundary
  std::string file_path_;
  std::FILE* out_ = nullptr;
  State state_ = State::PREAMBLE;
  std::string buf_;
  bool in_file_part_ = false;
  bool has_file_ = false;
  std::string field_name_;
  std::string filename_;
  std::map<std::string, std::string> fields_;
};

}  // namespace dm::http
