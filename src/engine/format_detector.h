#pragma once
/// Content-based file format detection: magic bytes (libmagic plus our own signatures) and
/// text sniffing. The file name and extension are never consulted.

#include <string>

namespace dm::engine {

/// The format of the file at `path`, from its content only. Exactly one of: csv, tsv, json,
/// ndjson, parquet, xlsx, xls, ods, pdf, image, unknown. An empty or unreadable file, a zip
/// that is not a spreadsheet, and binary garbage are "unknown".
std::string DetectFormat(const std::string& path);

/// The text encoding of a delimited/JSON text file as sniffed from its first bytes:
/// "utf-8", "utf-8-bom", "utf-16le", "utf-16be" (with or without BOM) or "windows-1252"
/// (bytes that are not valid UTF-8). Used by ingest to decide on transcoding.
std::string DetectTextEncoding(const std::string& path);

}  // namespace dm::engine
