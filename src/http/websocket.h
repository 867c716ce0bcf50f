#pragma once
/// Beast-free WebSocket contract: the server owns the socket and hands each accepted
/// connection to a handler made by the route's factory.

#include <functional>
#include <memory>
#include <string>

#include "services/principal.h"

namespace dm::http {

/// The server side of one connection. Thread-safe: Send may be called from any thread.
class WebSocketChannel {
 public:
  virtual ~WebSocketChannel() = default;
  virtual void Send(std::string text) = 0;
  virtual void Close() = 0;
};

class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  /// A text message from the client (called on the blocking pool, one at a time).
  virtual void OnMessage(const std::string& text) = 0;
};

using WebSocketFactory = std::function<std::shared_ptr<WebSocketHandler>(
    const services::Principal& principal, std::shared_ptr<WebSocketChannel> channel)>;

}  // namespace dm::http
