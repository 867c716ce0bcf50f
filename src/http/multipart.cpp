#include "http/multipart.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace dm::http {

namespace {
constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
constexpr std::size_t kMaxFieldBytes = 64 * 1024;
constexpr std::size_t kMaxFields = 32;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

/// The value of `key` in a header like `form-data; name="file"; filename="a.csv"`.
std::optional<std::string> HeaderParam(std::string_view header, std::string_view key) {
  std::size_t pos = 0;
  while ((pos = header.find(';', pos)) != std::string_view::npos) {
    ++pos;
    while (pos < header.size() && header[pos] == ' ') ++pos;
    const auto eq = header.find('=', pos);
    if (eq == std::string_view::npos) return std::nullopt;
    if (Lower(header.substr(pos, eq - pos)) != key) continue;
    std::size_t v = eq + 1;
    if (v < header.size() && header[v] == '"') {
      std::string out;
      for (++v; v < header.size() && header[v] != '"'; ++v) {
        if (header[v] == '\\' && v + 1 < header.size()) ++v;
        out.push_back(header[v]);
      }
      return out;
    }
    const auto end = header.find(';', v);
    return std::string(header.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v));
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  if (Lower(content_type.substr(0, content_type.find(';'))).find("multipart/form-data") ==
      std::string::npos) {
    return std::nullopt;
  }
  auto b = HeaderParam(content_type, "boundary");
  if (!b || b->empty() || b->size() > 200) return std::nullopt;
  return b;
}

MultipartParser::MultipartParser(std::string boundary, std::string file_path)
    : delimiter_("\r\n--" + boundary), file_path_(std::move(file_path)) {
  buf_ = "\r\n";  // lets the first boundary match the same delimiter as the others
}

MultipartParser::~MultipartParser() {
  if (out_) std::fclose(out_);
}

Status MultipartParser::Emit(std::string_view bytes) {
  if (bytes.empty()) return Status::Ok();
  if (in_file_part_) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), out_) != bytes.size()) {
      return Internal("The upload could not be written to storage.");
    }
    return Status::Ok();
  }
  std::string& value = fields_[field_name_];
  if (value.size() + bytes.size() > kMaxFieldBytes)
    return Invalid("A form field is too large (at most 64 KiB).");
  value.append(bytes);
  return Status::Ok();
}

Status MultipartParser::ParseHeaders(std::string_view headers) {
  std::optional<std::string> name, filename;
  std::size_t start = 0;
  while (start < headers.size()) {
    auto end = headers.find("\r\n", start);
    if (end == std::string_view::npos) end = headers.size();
    const std::string_view line = headers.substr(start, end - start);
    start = end + 2;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (Lower(line.substr(0, colon)) == "content-disposition") {
      name = HeaderParam(line, "name");
      filename = HeaderParam(line, "filename");
    }
  }
  if (!name) return Invalid("A multipart part has no Content-Disposition name.");
  field_name_ = *name;
  in_file_part_ = *name == "file";
  if (in_file_part_) {
    if (has_file_) return Invalid("Only one file can be uploaded per request.");
    has_file_ = true;
    filename_ = filename.value_or("upload");
    out_ = std::fopen(file_path_.c_str(), "wb");
    if (!out_) return Internal("The upload could not be stored.");
  } else if (fields_.size() >= kMaxFields) {
    return Invalid("Too many form fields.");
  }
  return Status::Ok();
}

Status MultipartParser::Feed(std::string_view data) {
  buf_.append(data);
  std::size_t pos = 0;
  for (;;) {
    const std::string_view view(buf_.data() + pos, buf_.size() - pos);
    switch (state_) {
      case State::PREAMBLE: {
        const auto at = view.find(delimiter_);
        if (at == std::string_view::npos) {
          // Keep only what could still begin a delimiter.
          const std::size_t keep = std::min(view.size(), delimiter_.size() - 1);
          pos = buf_.size() - keep;
          buf_.erase(0, pos);
          return Status::Ok();
        }
        pos += at + delimiter_.size();
        state_ = State::AFTER_BOUNDARY;
        break;
      }
      case State::AFTER_BOUNDARY: {
        if (view.size() < 2) {
          buf_.erase(0, pos);
          return Status::Ok();
        }
        if (view.substr(0, 2) == "--") {
          state_ = State::DONE;
          buf_.clear();
          return Status::Ok();
        }
        // Transport padding then CRLF.
        const auto crlf = view.find("\r\n");
        if (crlf == std::string_view::npos) {
          if (view.size() > 256) return Invalid("The multipart body is malformed.");
          buf_.erase(0, pos);
          return Status::Ok();
        }
        pos += crlf + 2;
        state_ = State::HEADERS;
        break;
      }
      case State::HEADERS: {
        const auto end = view.find("\r\n\r\n");
        if (end == std::string_view::npos) {
          if (view.size() > kMaxHeaderBytes) return Invalid("A multipart part's headers are too large.");
          buf_.erase(0, pos);
          return Status::Ok();
        }
        DM_RETURN_IF_ERROR(ParseHeaders(view.substr(0, end + 2)));
        pos += end + 4;
        state_ = State::BODY;
        break;
      }
      case State::BODY: {
        const auto at = view.find(delimiter_);
        if (at == std::string_view::npos) {
          const std::size_t safe =
              view.size() > delimiter_.size() ? view.size() - (delimiter_.size() - 1) : 0;
          DM_RETURN_IF_ERROR(Emit(view.substr(0, safe)));
          buf_.erase(0, pos + safe);
          return Status::Ok();
        }
        DM_RETURN_IF_ERROR(Emit(view.substr(0, at)));
        if (in_file_part_ && out_) {
          std::fclose(out_);
          out_ = nullptr;
          in_file_part_ = false;
        }
        pos += at + delimiter_.size();
        state_ = State::AFTER_BOUNDARY;
        break;
      }
      case State::DONE:
        buf_.clear();
        return Status::Ok();
    }
  }
}

Status MultipartParser::Finish() {
  if (out_) {
    std::fclose(out_);
    out_ = nullptr;
  }
  if (state_ != State::DONE) return Invalid("The multipart body ended before its closing boundary.");
  return Status::Ok();
}

}  // namespace dm::http
