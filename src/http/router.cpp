#include "http/router.h"

#include <spdlog/spdlog.h>

namespace dm::http {

namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // paths begin with '/'
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

constexpr int kMaxJsonDepth = 64;

}  // namespace

void Router::Add(Route route) {
  for (std::string_view s : Split(route.pattern)) route.segments.emplace_back(s);
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  if (path.empty() || path.front() != '/') return match;
  const auto parts = Split(path);
  const std::string_view effective = method == "HEAD" ? std::string_view("GET") : method;
  for (const Route& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    std::unordered_map<std::string, std::string> params;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& seg = r.segments[i];
      if (IsParam(seg)) {
        if (parts[i].empty())
          ok = false;
        else
          params.emplace(seg.substr(1, seg.size() - 2), std::string(parts[i]));
      } else if (seg != parts[i]) {
        ok = false;
      }
    }
    if (!ok) continue;
    if (r.method == effective) {
      match.route = &r;
      match.params = std::move(params);
      return match;
    }
    if (match.allow.find(r.method) == std::string::npos) {
      match.allow += match.allow.empty() ? r.method : ", " + r.method;
    }
  }
  return match;
}

Result<services::Principal> Router::Authenticate(const Request& request) const {
  if (!authenticate_) return Unauthenticated("Authentication is required.");
  return authenticate_(request);
}

Response Router::Dispatch(const Route& route, Request& request, std::string& user_id) const {
  try {
    Context ctx{request,
                nullptr,
                {request.remote_ip, std::string(request.headers.Get("User-Agent")), request.request_id}};
    std::optional<services::Principal> principal;
    if (route.authenticated) {
      if (!authenticate_) return ErrorResponse(Unauthenticated("Authentication is required."));
      auto result = authenticate_(request);
      if (!result.ok()) return ErrorResponse(result.status());
      principal = std::move(result).value();
      ctx.principal = &*principal;
      user_id = principal->user_id;
    }
    return route.handler(ctx);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", request.request_id, request.method, route.pattern, e.what());
    return ServerError(request.request_id);
  }
}

namespace {
// Walks the parsed document iteratively; nlohmann's parser itself recurses, so depth is
// also bounded before parsing by a scan of the raw text.
bool DepthWithin(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > limit) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}
}  // namespace

Result<nlohmann::json> ParseJsonBody(const Request& request) {
  const std::string_view type = request.headers.Get("Content-Type");
  if (type.substr(0, type.find(';')).find("application/json") == std::string_view::npos) {
    return Status(ErrorCode::UNSUPPORTED_FORMAT,
                  "The request body must be JSON (Content-Type: application/json).");
  }
  if (request.body.empty()) return Invalid("The request body is empty; a JSON object is required.");
  if (!DepthWithin(request.body, kMaxJsonDepth)) {
    return Invalid("The JSON body is nested too deeply (at most 64 levels).");
  }
  auto json = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Invalid("The request body is not valid JSON.");
  if (!json.is_object()) return Invalid("The request body must be a JSON object.");
  return json;
}

}  // namespace dm::http
