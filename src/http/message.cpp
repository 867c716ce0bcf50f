#include "http/message.h"

#include <strings.h>

namespace dm::http {

std::string_view Headers::Get(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return v;
  }
  return {};
}

bool Headers::Has(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return true;
  }
  return false;
}

std::string_view Request::Param(const std::string& name) const {
  const auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string> Request::Query(const std::string& name) const {
  const auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::string Request::Cookie(std::string_view name) const {
  for (const auto& [k, v] : headers.items()) {
    if (strcasecmp(k.c_str(), "cookie") != 0) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      std::string_view part = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      const auto eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    }
  }
  return {};
}

Response JsonResponse(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response ErrorResponse(const Status& status) {
  Response r = JsonResponse(HttpStatusFor(status.code()), {{"error",
                                                            {{"code", ErrorCodeName(status.code())},
                                                             {"message", status.message()},
                                                             {"details", status.details()}}}});
  if (status.code() == ErrorCode::RATE_LIMITED && status.details().contains("retry_after")) {
    r.Header("Retry-After", std::to_string(status.details()["retry_after"].get<long long>()));
  }
  return r;
}

Response ServerError(const std::string& request_id) {
  return ErrorResponse(Status(ErrorCode::INTERNAL,
                              "Something went wrong on our side; the error has been logged.",
                              {{"request_id", request_id}}));
}

std::optional<std::string> PercentDecode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      const int hi = hex(s[i + 1]);
      const int lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::unordered_map<std::string, std::string> ParseQuery(std::string_view query) {
  std::unordered_map<std::string, std::string> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    auto key = PercentDecode(part.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                              : PercentDecode(part.substr(eq + 1), true);
    if (key && value) out.emplace(std::move(*key), std::move(*value));
  }
  return out;
}

}  // namespace dm::http
