#include "engine/zip_archive.h"

#include <expat.h>
#include <fmt/format.h>
#include <zip.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <exception>
#include <vector>

namespace dm::engine {
namespace {

constexpr std::uint64_t kRatioCheckThreshold = 1ULL << 20;  // entries over 1 MiB
constexpr std::size_t kChunkBytes = 64 * 1024;

std::string FormatBytes(std::uint64_t bytes) {
  if (bytes >= (1ULL << 30) && bytes % (1ULL << 30) == 0) return fmt::format("{} GiB", bytes >> 30);
  if (bytes >= (1ULL << 20) && bytes % (1ULL << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= (1ULL << 10) && bytes % (1ULL << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

Status TooLarge(std::uint64_t limit) {
  return {ErrorCode::PAYLOAD_TOO_LARGE,
          fmt::format("the workbook expands to more than {} when decompressed, which is over the limit "
                      "(it may be a zip bomb)",
                      FormatBytes(limit))};
}

/// Whether the file starts with the OLE2 compound-file signature: an encrypted OOXML
/// workbook (or a legacy .xls renamed) rather than a zip.
bool LooksLikeCompoundFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return false;
  std::array<unsigned char, 8> magic{};
  const std::size_t read = std::fread(magic.data(), 1, magic.size(), file);
  std::fclose(file);
  static constexpr std::array<unsigned char, 8> kOle = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  return read == magic.size() && magic == kOle;
}

void SplitName(const char* name, std::string_view& ns, std::string_view& local) {
  const char* bar = std::strrchr(name, '|');
  if (bar == nullptr) {
    ns = {};
    local = name;
  } else {
    ns = std::string_view(name, static_cast<std::size_t>(bar - name));
    local = bar + 1;
  }
}

/// State shared with the expat callbacks of one parse.
struct ParseContext {
  XML_Parser parser = nullptr;
  XmlHandler* handler = nullptr;
};

/// Stops the parse after a handler asked for it or threw. Exceptions must not unwind
/// through expat's C frames, so every callback converts them here.
void AfterCallback(ParseContext& context) {
  if (context.handler->stopped()) XML_StopParser(context.parser, XML_FALSE);
}

void FailFromException(ParseContext& context) {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    context.handler->Stop(Internal("there was not enough memory to read the workbook"));
  } catch (const std::exception& error) {
    context.handler->Stop(Internal(fmt::format("reading the workbook failed: {}", error.what())));
  } catch (...) {
    context.handler->Stop(Internal("reading the workbook failed with an unknown error"));
  }
  XML_StopParser(context.parser, XML_FALSE);
}

void XMLCALL OnStart(void* user_data, const XML_Char* name, const XML_Char** attributes) {
  auto& context = *static_cast<ParseContext*>(user_data);
  if (context.handler->stopped()) return;
  try {
    std::string_view ns;
    std::string_view local;
    SplitName(name, ns, local);
    context.handler->OnStartElement(ns, local, XmlAttributes(attributes));
    AfterCallback(context);
  } catch (...) {
    FailFromException(context);
  }
}

void XMLCALL OnEnd(void* user_data, const XML_Char* name) {
  auto& context = *static_cast<ParseContext*>(user_data);
  if (context.handler->stopped()) return;
  try {
    std::string_view ns;
    std::string_view local;
    SplitName(name, ns, local);
    context.handler->OnEndElement(ns, local);
    AfterCallback(context);
  } catch (...) {
    FailFromException(context);
  }
}

void XMLCALL OnCharacters(void* user_data, const XML_Char* text, int length) {
  auto& context = *static_cast<ParseContext*>(user_data);
  if (context.handler->stopped() || length <= 0) return;
  try {
    context.handler->OnText(std::string_view(text, static_cast<std::size_t>(length)));
    AfterCallback(context);
  } catch (...) {
    FailFromException(context);
  }
}

void RefuseDeclarations(ParseContext& context) {
  context.handler->Stop(
      Unprocessable("workbook XML contains a DTD or entity declarations, which are not allowed"));
  XML_StopParser(context.parser, XML_FALSE);
}

void XMLCALL OnDoctype(void* user_data, const XML_Char* /*name*/, const XML_Char* /*sysid*/,
                       const XML_Char* /*pubid*/, int /*has_internal_subset*/) {
  RefuseDeclarations(*static_cast<ParseContext*>(user_data));
}

void XMLCALL OnEntityDecl(void* user_data, const XML_Char* /*name*/, int /*is_parameter*/,
                          const XML_Char* /*value*/, int /*value_length*/, const XML_Char* /*base*/,
                          const XML_Char* /*system_id*/, const XML_Char* /*public_id*/,
                          const XML_Char* /*notation*/) {
  RefuseDeclarations(*static_cast<ParseContext*>(user_data));
}

int XMLCALL OnExternalEntity(XML_Parser /*parser*/, const XML_Char* /*context*/, const XML_Char* /*base*/,
                             const XML_Char* /*system_id*/, const XML_Char* /*public_id*/) {
  return XML_STATUS_ERROR;  // never resolve external entities
}

struct ParserDeleter {
  void operator()(XML_ParserStruct* parser) const { XML_ParserFree(parser); }
};

struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

}  // namespace

const char* XmlAttributes::Get(std::string_view local) const {
  for (const char** attribute = attributes_; attribute[0] != nullptr; attribute += 2) {
    if (std::strchr(attribute[0], '|') == nullptr && local == attribute[0]) return attribute[1];
  }
  return nullptr;
}

const char* XmlAttributes::GetNs(std::string_view ns_part, std::string_view local) const {
  for (const char** attribute = attributes_; attribute[0] != nullptr; attribute += 2) {
    std::string_view ns;
    std::string_view name;
    SplitName(attribute[0], ns, name);
    if (name == local && ns.find(ns_part) != std::string_view::npos) return attribute[1];
  }
  return nullptr;
}

ZipArchive::ZipArchive(zip* archive, std::string format_name, const SpreadsheetLimits& limits)
    : archive_(archive), format_name_(std::move(format_name)), limits_(limits) {}

ZipArchive::~ZipArchive() {
  zip_discard(archive_);
}

Status ZipArchive::CorruptError() const {
  return Unprocessable(fmt::format("the workbook is truncated or not a valid {} file", format_name_));
}

Result<std::unique_ptr<ZipArchive>> ZipArchive::Open(const std::string& path, std::string format_name,
                                                     const SpreadsheetLimits& limits) {
  int error_code = 0;
  zip* archive = zip_open(path.c_str(), ZIP_RDONLY, &error_code);
  if (archive == nullptr) {
    switch (error_code) {
      case ZIP_ER_NOENT:
        return NotFound("the workbook file could not be found");
      case ZIP_ER_OPEN:
      case ZIP_ER_READ:
      case ZIP_ER_SEEK:
      case ZIP_ER_MEMORY:
        return Internal("the workbook file could not be read");
      default:
        if (LooksLikeCompoundFile(path)) {
          return Unprocessable(fmt::format(
              "the workbook is password-protected or in the older XLS format, not a valid {} file; "
              "remove the password or save it as {} and upload it again",
              format_name, format_name));
        }
        return Unprocessable(fmt::format("the workbook is truncated or not a valid {} file", format_name));
    }
  }
  return std::unique_ptr<ZipArchive>(new ZipArchive(archive, std::move(format_name), limits));
}

bool ZipArchive::Contains(const std::string& name) const {
  return zip_name_locate(archive_, name.c_str(), ZIP_FL_NOCASE) >= 0;
}

Status ZipArchive::StreamEntry(const std::string& name,
                               const std::function<bool(std::string_view chunk)>& sink) {
  const zip_int64_t index = zip_name_locate(archive_, name.c_str(), ZIP_FL_NOCASE);
  if (index < 0) {
    return Unprocessable(
        fmt::format("the workbook is not a valid {} file: part '{}' is missing", format_name_, name));
  }
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &stat) != 0) return CorruptError();
  const bool size_known = (stat.valid & ZIP_STAT_SIZE) != 0;
  if (size_known) {
    if (stat.size > limits_.max_entry_uncompressed_bytes)
      return TooLarge(limits_.max_entry_uncompressed_bytes);
    if (stat.size > kRatioCheckThreshold && (stat.valid & ZIP_STAT_COMP_SIZE) != 0) {
      const double ratio = stat.comp_size == 0
                               ? limits_.max_compression_ratio + 1
                               : static_cast<double>(stat.size) / static_cast<double>(stat.comp_size);
      if (ratio > limits_.max_compression_ratio) {
        return {ErrorCode::PAYLOAD_TOO_LARGE,
                fmt::format("the workbook contains a part compressed more than {:.0f} to 1, which is over "
                            "the limit (it may be a zip bomb)",
                            limits_.max_compression_ratio)};
      }
    }
  }

  std::unique_ptr<zip_file_t, ZipFileCloser> file(
      zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0));
  if (!file) {
    const int code = zip_error_code_zip(zip_get_error(archive_));
    if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP) {
      return Unprocessable("the workbook is password-protected; remove the password and upload it again");
    }
    if (code == ZIP_ER_COMPNOTSUPP) {
      return Unprocessable(fmt::format(
          "the workbook uses a compression method that is not supported for {} files", format_name_));
    }
    return CorruptError();
  }

  std::vector<char> buffer(kChunkBytes);
  std::uint64_t entry_bytes = 0;
  while (true) {
    const zip_int64_t read = zip_fread(file.get(), buffer.data(), buffer.size());
    if (read < 0) return CorruptError();
    if (read == 0) break;
    const auto bytes = static_cast<std::uint64_t>(read);
    entry_bytes += bytes;
    total_inflated_bytes_ += bytes;
    // Declared sizes can lie: count what actually comes out of the inflater.
    if (size_known && entry_bytes > stat.size) {
      return Unprocessable(fmt::format(
          "the workbook is corrupt: a part of the {} file holds more data than it declares", format_name_));
    }
    if (entry_bytes > limits_.max_entry_uncompressed_bytes)
      return TooLarge(limits_.max_entry_uncompressed_bytes);
    if (total_inflated_bytes_ > limits_.max_total_uncompressed_bytes) {
      return TooLarge(limits_.max_total_uncompressed_bytes);
    }
    if (!sink(std::string_view(buffer.data(), bytes))) break;
  }
  return Status::Ok();
}

Result<std::string> ZipArchive::ReadEntry(const std::string& name, std::uint64_t max_bytes) {
  std::string content;
  bool too_long = false;
  DM_RETURN_IF_ERROR(StreamEntry(name, [&](std::string_view chunk) {
    if (content.size() + chunk.size() > max_bytes) {
      too_long = true;
      return false;
    }
    content.append(chunk);
    return true;
  }));
  if (too_long) {
    return Unprocessable(fmt::format("the workbook is not a valid {} file: part '{}' is unexpectedly large",
                                     format_name_, name));
  }
  return content;
}

Status ZipArchive::ParseXmlEntry(const std::string& name, XmlHandler& handler) {
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreateNS(nullptr, '|'));
  if (!parser) return Internal("there was not enough memory to read the workbook");
  ParseContext context{parser.get(), &handler};
  XML_SetUserData(parser.get(), &context);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnCharacters);
  XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
  XML_SetEntityDeclHandler(parser.get(), OnEntityDecl);
  XML_SetExternalEntityRefHandler(parser.get(), OnExternalEntity);
  XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);

  bool parse_failed = false;
  const Status stream_status = StreamEntry(name, [&](std::string_view chunk) {
    if (XML_Parse(parser.get(), chunk.data(), static_cast<int>(chunk.size()), XML_FALSE) != XML_STATUS_OK) {
      parse_failed = true;
      return false;
    }
    return !handler.stopped();
  });
  if (handler.stopped()) return handler.stop_status();
  DM_RETURN_IF_ERROR(stream_status);
  if (!parse_failed && XML_Parse(parser.get(), nullptr, 0, XML_TRUE) != XML_STATUS_OK) parse_failed = true;
  if (handler.stopped()) return handler.stop_status();
  if (parse_failed) {
    const XML_Error code = XML_GetErrorCode(parser.get());
    return Unprocessable(
        fmt::format("the workbook is not a valid {} file: part '{}' is malformed XML ({} at line {})",
                    format_name_, name, XML_ErrorString(code), XML_GetCurrentLineNumber(parser.get())));
  }
  return Status::Ok();
}

}  // namespace dm::engine
