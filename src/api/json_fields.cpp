#include "api/json_fields.h"

#include <charconv>

#include "core/utf8.h"

namespace dm::api {

Status RejectUnknownFields(const nlohmann::json& body, std::initializer_list<std::string_view> allowed) {
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool known = false;
    for (std::string_view a : allowed) known = known || it.key() == a;
    if (!known) {
      return Unprocessable("Unknown field '" + ValidUtf8(it.key(), 100) + "'.",
                           {{"field", ValidUtf8(it.key(), 100)}});
    }
  }
  return Status::Ok();
}

Result<std::string> RequiredString(const nlohmann::json& body, const char* field) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    return Unprocessable(std::string("The field '") + field + "' is required.", {{"field", field}});
  }
  if (!it->is_string()) {
    return Unprocessable(std::string("The field '") + field + "' must be a string.", {{"field", field}});
  }
  return it->get<std::string>();
}

Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, const char* field) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return Unprocessable(std::string("The field '") + field + "' must be a string.", {{"field", field}});
  }
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::int64_t> QueryInt(const std::optional<std::string>& text, const char* name, std::int64_t fallback,
                              std::int64_t min, std::int64_t max) {
  if (!text || text->empty()) return fallback;
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size() || v < min || v > max) {
    return Invalid(std::string("The query parameter '") + name + "' must be an integer from " +
                       std::to_string(min) + " to " + std::to_string(max) + ".",
                   {{"parameter", name}});
  }
  return v;
}

Result<Page> PageQuery(const http::Request& request) {
  DM_ASSIGN_OR_RETURN(const std::int64_t limit, QueryInt(request.Query("limit"), "limit", 100, 1, 1000));
  DM_ASSIGN_OR_RETURN(const std::int64_t offset,
                      QueryInt(request.Query("offset"), "offset", 0, 0, INT64_MAX));
  return Page{limit, offset};
}

}  // namespace dm::api
