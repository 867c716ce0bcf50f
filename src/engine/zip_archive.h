#pragma once
/// A read-only zip archive (libzip) that enforces SpreadsheetLimits on every byte it
/// inflates, plus a hardened streaming XML parse (expat) of one entry. Used by the XLSX
/// and ODS readers; nothing here ever holds a whole large entry in memory.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "engine/spreadsheet_reader.h"

struct zip;

namespace dm::engine {

/// The attributes of one XML start tag, as expat hands them over. Names are expanded
/// ("namespace-uri|local") when the attribute has a prefix.
class XmlAttributes {
 public:
  explicit XmlAttributes(const char** attributes) : attributes_(attributes) {}

  /// The value of the attribute `local` that has no namespace, or nullptr.
  const char* Get(std::string_view local) const;
  /// The value of the attribute `local` whose namespace URI contains `ns_part`, or nullptr.
  const char* GetNs(std::string_view ns_part, std::string_view local) const;

 private:
  const char** attributes_;
};

/// Receives the events of a streaming XML parse. Call Stop() to end the parse early:
/// with an error, or with OK when the handler has everything it wants.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;

  /// An element starts; `ns` is its namespace URI (empty if none), `local` its local name.
  virtual void OnStartElement(std::string_view ns, std::string_view local,
                              const XmlAttributes& attributes) = 0;
  /// An element ends.
  virtual void OnEndElement(std::string_view ns, std::string_view local) = 0;
  /// Character data (may arrive in several pieces for one text node).
  virtual void OnText(std::string_view text) = 0;

  /// Ends the parse after the current event; `status` is what the parse returns.
  void Stop(Status status = Status::Ok()) {
    if (!stopped_) {
      stopped_ = true;
      stop_status_ = std::move(status);
    }
  }
  /// Whether Stop() was called.
  bool stopped() const { return stopped_; }
  /// The status given to Stop().
  const Status& stop_status() const { return stop_status_; }

 private:
  bool stopped_ = false;
  Status stop_status_;
};

/// A zip archive opened for reading. Every entry read is checked against the limits:
/// declared size and compression ratio before inflating, actual inflated bytes while
/// streaming (declared sizes can lie).
class ZipArchive {
 public:
  /// Opens `path`. `format_name` ("XLSX", "ODS") appears in user-facing error messages.
  static Result<std::unique_ptr<ZipArchive>> Open(const std::string& path, std::string format_name,
                                                  const SpreadsheetLimits& limits);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  /// Whether the archive holds an entry named `name` (ASCII case-insensitive, as OPC wants).
  bool Contains(const std::string& name) const;

  /// Reads a small entry whole (at most `max_bytes`, else an error).
  Result<std::string> ReadEntry(const std::string& name, std::uint64_t max_bytes);

  /// Streams an entry's inflated bytes to `sink` in chunks; `sink` returns false to stop.
  Status StreamEntry(const std::string& name, const std::function<bool(std::string_view chunk)>& sink);

  /// Parses an entry as XML, streaming. DTDs, entity declarations and external entities
  /// are refused. Returns the handler's Stop() status, or an error for malformed XML.
  Status ParseXmlEntry(const std::string& name, XmlHandler& handler);

  /// "XLSX" / "ODS", for messages.
  const std::string& format_name() const { return format_name_; }

 private:
  ZipArchive(zip* archive, std::string format_name, const SpreadsheetLimits& limits);

  /// The standard "truncated or not a valid" error for this format.
  Status CorruptError() const;

  zip* archive_;
  std::string format_name_;
  SpreadsheetLimits limits_;
  std::uint64_t total_inflated_bytes_ = 0;
};

}  // namespace dm::engine
