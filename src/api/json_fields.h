#pragma once
/// Reading request JSON: typed field access whose errors name the field, and rejection
/// of unknown fields (a typo must not be silently ignored).

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "http/message.h"

namespace dm::api {

/// 422 naming the first field of `body` that is not in `allowed`.
Status RejectUnknownFields(const nlohmann::json& body, std::initializer_list<std::string_view> allowed);
/// A required string field.
Result<std::string> RequiredString(const nlohmann::json& body, const char* field);
/// An optional string field (absent or null -> nullopt; another type -> 422).
Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, const char* field);
/// Parses a non-negative integer query parameter with bounds; errors name it.
Result<std::int64_t> QueryInt(const std::optional<std::string>& text, const char* name, std::int64_t fallback,
                              std::int64_t min, std::int64_t max);

struct Page {
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};
/// `limit` (1-1000, default 100) and `offset` (>= 0, default 0) from the query string.
Result<Page> PageQuery(const http::Request& request);

}  // namespace dm::api
