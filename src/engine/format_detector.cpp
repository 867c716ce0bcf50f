#include "engine/format_detector.h"

#include <magic.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace dm::engine {
namespace {

constexpr std::size_t kSniffBytes = 64 * 1024;

struct Sample {
  std::string head;        ///< up to kSniffBytes from the start
  std::string tail;        ///< the last 4 bytes (for Parquet)
  std::uint64_t size = 0;  ///< total file size
  bool ok = false;
};

Sample ReadSample(const std::string& path) {
  Sample sample;
  std::ifstream in(path, std::ios::binary);
  if (!in) return sample;
  in.seekg(0, std::ios::end);
  const std::streamoff end = in.tellg();
  if (end < 0) return sample;
  sample.size = static_cast<std::uint64_t>(end);
  in.seekg(0, std::ios::beg);
  sample.head.resize(static_cast<std::size_t>(std::min<std::uint64_t>(sample.size, kSniffBytes)));
  in.read(sample.head.data(), static_cast<std::streamsize>(sample.head.size()));
  sample.head.resize(static_cast<std::size_t>(in.gcount()));
  if (sample.size >= 4) {
    in.clear();
    in.seekg(static_cast<std::streamoff>(sample.size - 4), std::ios::beg);
    sample.tail.resize(4);
    in.read(sample.tail.data(), 4);
  }
  sample.ok = true;
  return sample;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

std::string SniffZip(const std::string& path) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (archive == nullptr) return "unknown";
  std::string format = "unknown";
  if (zip_name_locate(archive, "xl/workbook.xml", 0) >= 0 ||
      (zip_name_locate(archive, "[Content_Types].xml", 0) >= 0 &&
       zip_name_locate(archive, "xl/workbook.bin", 0) < 0 && zip_name_locate(archive, "xl/", 0) >= 0)) {
    format = "xlsx";
  } else if (zip_int64_t index = zip_name_locate(archive, "mimetype", 0); index >= 0) {
    if (zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(index), 0)) {
      char buf[128] = {};
      const zip_int64_t n = zip_fread(file, buf, sizeof(buf) - 1);
      zip_fclose(file);
      if (n > 0 && StartsWith(std::string_view(buf, static_cast<std::size_t>(n)),
                              "application/vnd.oasis.opendocument.spreadsheet")) {
        format = "ods";
      }
    }
  }
  zip_close(archive);
  return format;
}

bool ContainsUtf16Name(std::string_view data, std::string_view name) {
  std::string wide;
  for (const char c : name) {
    wide.push_back(c);
    wide.push_back('\0');
  }
  return data.find(wide) != std::string_view::npos;
}

std::string SniffOle2(const std::string& path, const Sample& sample) {
  if (ContainsUtf16Name(sample.head, "Workbook") || ContainsUtf16Name(sample.head, "Book")) return "xls";
  if (sample.size <= (32u << 20)) {
    std::ifstream in(path, std::ios::binary);
    std::string all(static_cast<std::size_t>(sample.size), '\0');
    in.read(all.data(), static_cast<std::streamsize>(all.size()));
    if (ContainsUtf16Name(all, "Workbook") || ContainsUtf16Name(all, "Book")) return "xls";
    return "unknown";  // another OLE2 document (Word, Outlook...)
  }
  return "xls";
}

bool IsImageSignature(std::string_view h) {
  return StartsWith(h, "\x89PNG\r\n\x1a\n") || StartsWith(h, "\xFF\xD8\xFF") || StartsWith(h, "GIF87a") ||
         StartsWith(h, "GIF89a") || StartsWith(h, std::string_view("II*\0", 4)) ||
         StartsWith(h, std::string_view("MM\0*", 4)) ||
         (StartsWith(h, "BM") && h.size() >= 26 && h[14] != 0 && h[15] == 0 && h[16] == 0 && h[17] == 0) ||
         (StartsWith(h, "RIFF") && h.size() >= 12 && h.substr(8, 4) == "WEBP");
}

std::string MagicMime(const std::string& path) {
  struct MagicHandle {
    magic_t cookie = nullptr;
    bool loaded = false;
    MagicHandle() {
      cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_TAR);
      if (cookie != nullptr) loaded = magic_load(cookie, nullptr) == 0;
      // libmagic reads (and runs its text checks over) 7 MB by default: 30-70 ms for a large
      // CSV. It is asked here only what our own sniffing of the first kSniffBytes left open.
      std::size_t bytes_max = kSniffBytes;
      if (loaded) (void)magic_setparam(cookie, MAGIC_PARAM_BYTES_MAX, &bytes_max);
    }
    ~MagicHandle() {
      if (cookie != nullptr) magic_close(cookie);
    }
    MagicHandle(const MagicHandle&) = delete;
    MagicHandle& operator=(const MagicHandle&) = delete;
  };
  thread_local MagicHandle handle;
  if (!handle.loaded) return "";
  const char* mime = magic_file(handle.cookie, path.c_str());
  return mime != nullptr ? mime : "";
}

/// Decodes the sample to (approximately) UTF-8 text for sniffing; non-ASCII UTF-16 code
/// units become 'x'. Sets `encoding`.
std::string DecodeForSniffing(const std::string& head, std::string& encoding) {
  auto nul_pattern = [&](std::size_t parity) {
    std::size_t nuls = 0, total = 0;
    for (std::size_t i = parity; i < head.size(); i += 2, ++total) nuls += head[i] == '\0' ? 1 : 0;
    return total > 0 && nuls * 10 >= total * 7;  // >= 70% NULs at that parity
  };
  auto narrow16 = [&](std::size_t start, bool little) {
    std::string out;
    for (std::size_t i = start; i + 1 < head.size(); i += 2) {
      const auto lo = static_cast<unsigned char>(head[little ? i : i + 1]);
      const auto hi = static_cast<unsigned char>(head[little ? i + 1 : i]);
      out.push_back(hi == 0 && lo < 0x80 ? static_cast<char>(lo) : 'x');
    }
    return out;
  };
  if (StartsWith(head, "\xEF\xBB\xBF")) {
    encoding = "utf-8-bom";
    return head.substr(3);
  }
  if (StartsWith(head, "\xFF\xFE")) {
    encoding = "utf-16le";
    return narrow16(2, true);
  }
  if (StartsWith(head, "\xFE\xFF")) {
    encoding = "utf-16be";
    return narrow16(2, false);
  }
  if (head.size() >= 4 && nul_pattern(1) && !nul_pattern(0)) {
    encoding = "utf-16le";
    return narrow16(0, true);
  }
  if (head.size() >= 4 && nul_pattern(0) && !nul_pattern(1)) {
    encoding = "utf-16be";
    return narrow16(0, false);
  }
  encoding = "utf-8";
  return head;
}

/// True when `text` is valid UTF-8, tolerating a sequence cut at the very end.
bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    if (c < 0x80)
      len = 1;
    else if (c >= 0xC2 && c <= 0xDF)
      len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
      len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
      len = 4;
    else
      return false;
    if (i + len > text.size()) return true;  // cut by the sample boundary
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

bool LooksBinary(std::string_view text) {
  if (text.empty()) return true;
  std::size_t control = 0;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)) ++control;
  }
  return control * 20 > text.size();  // more than 5% control bytes
}

/// A SAX handler that accepts everything: we only want to know where parsing fails.
struct AcceptAll : nlohmann::json_sax<nlohmann::json> {
  std::size_t error_position = 0;
  bool failed = false;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    failed = true;
    error_position = position;
    return false;
  }
};

/// 1 = complete valid JSON, 0 = a valid prefix cut by the end of `text`, -1 = invalid.
int JsonValidity(std::string_view text) {
  AcceptAll sax;
  try {
    nlohmann::json::sax_parse(text.begin(), text.end(), &sax, nlohmann::json::input_format_t::json,
                              /*strict=*/true, /*ignore_comments=*/false);
  } catch (const std::exception&) {
    return -1;
  }
  if (!sax.failed) return 1;
  return sax.error_position >= text.size() ? 0 : -1;
}

std::string SniffJson(std::string_view text, bool whole_file) {
  // NDJSON: the first line is a complete value and another line follows with '{' or '['.
  const std::size_t newline = text.find('\n');
  if (newline != std::string_view::npos) {
    std::string_view first = text.substr(0, newline);
    while (!first.empty() && (first.back() == '\r' || first.back() == ' ' || first.back() == '\t'))
      first.remove_suffix(1);
    if (JsonValidity(first) == 1) {
      std::string_view rest = text.substr(newline + 1);
      const std::size_t next = rest.find_first_not_of(" \t\r\n");
      if (next == std::string_view::npos) return "json";
      if (rest[next] == '{' || rest[next] == '[') return "ndjson";
      return "unknown";
    }
  }
  const int validity = JsonValidity(text);
  if (validity == 1) return "json";
  if (validity == 0 && !whole_file) return "json";
  return "unknown";
}

std::string SniffDelimited(std::string_view text, bool whole_file) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  bool in_quotes = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') in_quotes = !in_quotes;
    if (!in_quotes && (text[i] == '\n' || text[i] == '\r')) {
      if (i > start) lines.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (whole_file && start < text.size()) lines.push_back(text.substr(start));
  if (lines.empty() && start < text.size()) lines.push_back(text.substr(start));
  std::vector<std::string_view> data_lines;
  for (auto line : lines) {
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    if (line[first] == '#') continue;
    data_lines.push_back(line);
    if (data_lines.size() >= 200) break;
  }
  if (data_lines.empty()) return "unknown";
  constexpr std::array<char, 4> kDelimiters = {'\t', ',', ';', '|'};
  char best = 0;
  double best_score = 0;
  for (const char delim : kDelimiters) {
    std::map<std::size_t, std::size_t> histogram;
    for (auto line : data_lines) {
      std::size_t count = 0;
      bool quoted = false;
      for (const char c : line) {
        if (c == '"')
          quoted = !quoted;
        else if (c == delim && !quoted)
          ++count;
      }
      ++histogram[count];
    }
    std::size_t mode = 0, mode_lines = 0;
    for (const auto& [count, n] : histogram) {
      if (count > 0 && n > mode_lines) {
        mode = count;
        mode_lines = n;
      }
    }
    if (mode == 0) continue;
    const double score = static_cast<double>(mode_lines) / static_cast<double>(data_lines.size()) +
                         0.001 * static_cast<double>(std::min<std::size_t>(mode, 100));
    if (score > best_score) {
      best_score = score;
      best = delim;
    }
  }
  return best == '\t' ? "tsv" : "csv";
}

}  // namespace

std::string DetectTextEncoding(const std::string& path) {
  Sample sample = ReadSample(path);
  if (!sample.ok) return "utf-8";
  std::string encoding;
  const std::string text = DecodeForSniffing(sample.head, encoding);
  if (encoding == "utf-8" && !IsValidUtf8(text)) return "windows-1252";
  return encoding;
}

std::string DetectFormat(const std::string& path) {
  const Sample sample = ReadSample(path);
  if (!sample.ok || sample.size == 0 || sample.head.empty()) return "unknown";
  const std::string_view head = sample.head;
  if (sample.size >= 8 && StartsWith(head, "PAR1") && sample.tail == "PAR1") return "parquet";
  if (StartsWith(head, "PK\x03\x04")) return SniffZip(path);
  if (StartsWith(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return SniffOle2(path, sample);
  if (head.substr(0, 1024).find("%PDF-") != std::string_view::npos) return "pdf";
  if (IsImageSignature(head)) return "image";

  std::string encoding;
  const std::string text = DecodeForSniffing(sample.head, encoding);
  if (LooksBinary(text)) {
    const std::string mime = MagicMime(path);
    if (StartsWith(mime, "image/")) return "image";
    if (mime == "application/pdf") return "pdf";
    return "unknown";
  }
  const bool whole_file = sample.size <= kSniffBytes;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "unknown";
  if (text[first] == '{' || text[first] == '[') {
    const std::string json = SniffJson(std::string_view(text).substr(first), whole_file);
    if (json != "unknown") return json;
  }
  const std::string mime = MagicMime(path);
  if (StartsWith(mime, "image/")) return "image";  // e.g. SVG
  return SniffDelimited(text, whole_file);
}

}  // namespace dm::engine
