#pragma once
/// The route table: method + path pattern ("/api/v1/projects/{id}") -> handler, with the
/// per-route body policy and the auth requirement. Middleware (authentication,
/// permission, error conversion) runs in Dispatch.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/websocket.h"
#include "services/principal.h"

namespace dm::http {

enum class BodyMode {
  BUFFER,          ///< read into Request::body (up to body_limit)
  STREAM_TO_FILE,  ///< streamed to a temporary file, Request::body_file (up to body_limit)
  MULTIPART,       ///< multipart/form-data: the `file` part streamed to Request::body_file
};

struct Context {
  Request& request;
  const services::Principal* principal = nullptr;  ///< set on authenticated routes
  services::RequestMeta meta;

  const services::Principal& user() const { return *principal; }
};

using Handler = std::function<Response(Context&)>;

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  bool authenticated = true;
  std::uint64_t body_limit = 1 << 20;  ///< 1 MiB for JSON bodies
  BodyMode body_mode = BodyMode::BUFFER;
  std::string summary;  ///< for the OpenAPI consistency check and logs
  /// Runs on the blocking pool rather than inline on an I/O thread: set for handlers
  /// that hash passwords, run DuckDB or move files. Light metadata handlers run inline
  /// (a thread hop costs more than their work).
  bool offload = false;

  std::vector<std::string> segments;  ///< filled by Router::Add
};

/// Turns a request's credentials (Bearer header or session cookie) into a principal.
using Authenticator = std::function<Result<services::Principal>(const Request&)>;

class Router {
 public:
  void Add(Route route);
  void SetAuthenticator(Authenticator auth) { authenticate_ = std::move(auth); }

  struct Match {
    const Route* route = nullptr;
    std::unordered_map<std::string, std::string> params;
    std::string allow;  ///< when the path matched but the method did not: the allowed methods
  };
  /// The route for `method` + `path`; HEAD matches GET routes.
  Match Find(std::string_view method, std::string_view path) const;

  /// Runs middleware and the handler; never throws. `user_id` receives the caller's id
  /// when authenticated (for the access log).
  Response Dispatch(const Route& route, Request& request, std::string& user_id) const;

  /// Runs the authenticator alone (streaming routes check credentials before the body).
  Result<services::Principal> Authenticate(const Request& request) const;

  void AddWebSocket(std::string path, WebSocketFactory factory) {
    websockets_.emplace_back(std::move(path), std::move(factory));
  }
  const WebSocketFactory* FindWebSocket(std::string_view path) const {
    for (const auto& [p, f] : websockets_) {
      if (p == path) return &f;
    }
    return nullptr;
  }

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::pair<std::string, WebSocketFactory>> websockets_;
  Authenticator authenticate_;
};

/// Parses the request body as a JSON object, answering 415 for a non-JSON content type
/// and 400 for malformed or too deeply nested JSON.
Result<nlohmann::json> ParseJsonBody(const Request& request);

}  // namespace dm::http
