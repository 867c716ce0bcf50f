#pragma once
/// Beast-free request and response types: handlers and middleware see only these, so
/// that only src/http/server.cpp pays Boost.Beast's compile cost.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace dm::http {

/// Case-insensitive header list in arrival order.
class Headers {
 public:
  void Add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }
  /// The first value of `name` (case-insensitive), or empty.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Request {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< as received
  std::string path;    ///< percent-decoded path without the query
  std::unordered_map<std::string, std::string> query;
  Headers headers;
  std::string body;       ///< buffered body (BodyMode::BUFFER)
  std::string body_file;  ///< path of the streamed body (BodyMode::STREAM_TO_FILE)
  std::uint64_t body_size = 0;
  std::string upload_filename;  ///< BodyMode::MULTIPART: the file part's filename
  bool has_upload = false;      ///< BodyMode::MULTIPART: a `file` part was present
  std::string remote_ip;
  std::string request_id;
  std::unordered_map<std::string, std::string> params;  ///< path parameters from the route

  std::string_view Param(const std::string& name) const;
  std::optional<std::string> Query(const std::string& name) const;
  /// The value of cookie `name`, or empty.
  std::string Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// When set, the body is this file, streamed (and removed afterwards if `remove_file`).
  std::string file_path;
  bool remove_file = false;

  Response& Header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

/// Response helpers, one place for every status the API answers with.
Response JsonResponse(int status, const nlohmann::json& body);
Response NoContent();
/// The error envelope {"error":{"code","message","details"}} with the mapped status.
Response ErrorResponse(const Status& status);
inline Response BadRequest(std::string message) {
  return ErrorResponse(Invalid(std::move(message)));
}
inline Response NotFoundResponse(std::string message) {
  return ErrorResponse(NotFound(std::move(message)));
}
Response ServerError(const std::string& request_id);

/// Percent-decodes `s` ('+' kept literal unless `plus_as_space`); nullopt on a bad escape.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_as_space);
/// Splits "a=1&b=2" into decoded pairs; malformed escapes drop the pair.
std::unordered_map<std::string, std::string> ParseQuery(std::string_view query);

}  // namespace dm::http
