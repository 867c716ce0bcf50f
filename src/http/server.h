#pragma once
/// The HTTP server: Boost.Beast over Asio with C++20 coroutines, I/O threads for the
/// sockets and a separate pool for blocking work (database, DuckDB). Owns timeouts,
/// keep-alive, body limits, security headers, the access log and graceful shutdown.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/router.h"

namespace dm::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0 = pick a free port
  int io_threads = 0;
  int blocking_threads = 16;
  std::string web_dir;   ///< static SPA files; empty = none
  std::string temp_dir;  ///< where streamed request bodies land
  int idle_timeout_s = 60;
  int shutdown_grace_s = 30;
};

class Server {
 public:
  Server(ServerOptions options, const Router& router);
  ~Server();

  /// Binds and listens; returns the bound port.
  Result<int> Listen();
  /// Runs until SIGINT/SIGTERM (or Stop()), then drains in-flight requests.
  void Run(const std::function<void(int port)>& on_ready = {});
  /// Starts graceful shutdown from any thread.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dm::http
