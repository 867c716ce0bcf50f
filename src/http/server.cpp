// The only translation unit that includes Boost.Beast (compile cost lives here).
#include "http/server.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>
#include <deque>

#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "core/ids.h"
#include "core/logging.h"
#include "http/multipart.h"
#include "http/static_files.h"

namespace dm::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

constexpr std::size_t kHeaderLimit = 16 * 1024;

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

void AddCommonHeaders(bhttp::fields& f, const std::string& request_id, bool html) {
  f.set("X-Request-Id", request_id);
  f.set("X-Content-Type-Options", "nosniff");
  f.set("X-Frame-Options", "DENY");
  f.set("Referrer-Policy", "no-referrer");
  f.set("Cross-Origin-Opener-Policy", "same-origin");
  if (html) {
    f.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: "
          "blob:; "
          "connect-src 'self' ws: wss:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
          "frame-ancestors 'none'");
  }
}

/// Reads a Content-Length body of `length` bytes straight from the socket into `sink`, in
/// large pieces, starting with what the header read left in `buffer`. Beast's parser reads
/// at most 64 KiB per call and re-arms the stream's timer on each; on loopback an eager
/// reader then gets ~1 KB per recv, so a 100 MB upload cost ~110,000 recv and as many
/// timer syscalls (measured with strace -c). Here SO_RCVLOWAT makes epoll wake us only
/// once 128 KiB (or the rest of the body) is waiting, and one timer covers each wait.
/// Returns the sink's error, or "interrupted"/"timed out" when the peer stops sending.
asio::awaitable<Status> ReadBodyDirect(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                       std::uint64_t length, int idle_timeout_s,
                                       const std::function<Status(std::string_view)>& sink) {
  constexpr std::uint64_t kLowWater = 128 * 1024;
  if (const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), length)); n > 0) {
    const auto data = buffer.data();
    Status st = sink(std::string_view(static_cast<const char*>(data.data()), n));
    buffer.consume(n);
    length -= n;
    if (!st.ok()) co_return st;
  }
  auto& socket = stream.socket();
  beast::error_code ec;
  socket.non_blocking(true, ec);
  std::vector<char> chunk(1 << 20);
  asio::steady_timer timer(stream.get_executor());
  auto timed_out = std::make_shared<bool>(false);
  Status result;
  int low_water = 1;
  while (length > 0 && result.ok()) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), length));
    const std::size_t n = socket.read_some(asio::buffer(chunk.data(), want), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      const int wanted_low_water = static_cast<int>(std::min<std::uint64_t>(kLowWater, length));
      if (wanted_low_water != low_water && ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVLOWAT,
                                                        &wanted_low_water, sizeof wanted_low_water) == 0) {
        low_water = wanted_low_water;
      }
      timer.expires_after(std::chrono::seconds(idle_timeout_s));
      timer.async_wait([&socket, timed_out](const beast::error_code& tec) {
        if (tec) return;
        *timed_out = true;
        beast::error_code ignored;
        socket.cancel(ignored);
      });
      auto [wec] = co_await socket.async_wait(tcp::socket::wait_read, kTuple);
      timer.cancel();
      if (wec) result = Invalid(*timed_out ? "The upload timed out." : "The upload was interrupted.");
      continue;
    }
    if (ec) {
      result = Invalid("The upload was interrupted.");
      break;
    }
    length -= n;
    result = sink(std::string_view(chunk.data(), n));
  }
  if (low_water != 1) {
    const int one = 1;
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
  }
  socket.non_blocking(false, ec);
  co_return result;
}

/// Whether an Accept-Encoding header allows gzip (and does not refuse it with q=0).
bool AcceptsGzip(std::string_view header) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    pos = end + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const std::size_t semi = item.find(';');
    std::string_view name = item.substr(0, semi);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!beast::iequals(name, "gzip") && name != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view q = item.substr(semi + 1);
    while (!q.empty() && q.front() == ' ') q.remove_prefix(1);
    return !(q.substr(0, 2) == "q=" && std::strtod(std::string(q.substr(2)).c_str(), nullptr) <= 0.0);
  }
  return false;
}

}  // namespace

struct Server::Impl {
  /// One live connection; closed from outside only through its strand.
  struct Connection {
    explicit Connection(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    std::atomic<bool> busy{false};
  };

  Impl(ServerOptions o, const Router& r)
      : options(std::move(o)),
        router(r),
        static_files(options.web_dir),
        blocking_pool(static_cast<std::size_t>(std::max(1, options.blocking_threads))),
        acceptor(ioc),
        signals(ioc, SIGINT, SIGTERM) {}

  ServerOptions options;
  const Router& router;
  StaticFiles static_files;
  asio::io_context ioc;
  asio::thread_pool blocking_pool;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::atomic<bool> draining{false};
  std::mutex connections_mu;
  std::set<std::shared_ptr<Connection>> connections;

  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(std::shared_ptr<Connection> conn);
  asio::awaitable<Response> RunBlocking(const Route& route, Request& req, std::string& user_id);
  /// Runs `fn` on the blocking pool and resumes here when it is done.
  asio::awaitable<void> OnPool(std::function<void()> fn);
  asio::awaitable<void> ServeWebSocket(std::shared_ptr<Connection> conn,
                                       bhttp::request<bhttp::empty_body> upgrade, Request req,
                                       const WebSocketFactory& factory);
  asio::awaitable<bool> Write(Connection& conn, Response& resp, const std::string& request_id,
                              bool keep_alive, bool head, unsigned version);
  void BeginShutdown();
};

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard<std::mutex> lock(connections_mu);
      connections.insert(conn);
    }
    asio::co_spawn(conn->stream.get_executor(), Serve(conn), asio::detached);
  }
}

asio::awaitable<Response> Server::Impl::RunBlocking(const Route& route, Request& req, std::string& user_id) {
  if (!route.offload) co_return router.Dispatch(route, req, user_id);
  co_return co_await asio::co_spawn(
      blocking_pool, [&]() -> asio::awaitable<Response> { co_return router.Dispatch(route, req, user_id); },
      asio::use_awaitable);
}

asio::awaitable<void> Server::Impl::OnPool(std::function<void()> fn) {
  co_await asio::co_spawn(
      blocking_pool,
      [&fn]() -> asio::awaitable<void> {
        fn();
        co_return;
      },
      asio::use_awaitable);
}

namespace {

/// Outgoing side of a WebSocket: a queue drained by one writer coroutine on the
/// connection's strand; Send may be called from any thread.
class WsChannel final : public WebSocketChannel, public std::enable_shared_from_this<WsChannel> {
 public:
  WsChannel(asio::any_io_executor strand) : strand_(strand), signal_(strand) {
    signal_.expires_at(std::chrono::steady_clock::time_point::max());
  }
  void Send(std::string text) override {
    asio::post(strand_, [self = shared_from_this(), text = std::move(text)]() mutable {
      if (self->closed_ || self->queue_.size() > 1000) return;  // a stalled client loses updates, not memory
      self->queue_.push_back(std::move(text));
      self->signal_.cancel_one();
    });
  }
  void Close() override {
    asio::post(strand_, [self = shared_from_this()] {
      self->closed_ = true;
      self->signal_.cancel();
    });
  }
  template <typename Stream>
  asio::awaitable<void> Writer(Stream& ws) {
    for (;;) {
      while (!queue_.empty()) {
        ws.text(true);
        auto [ec, n] = co_await ws.async_write(asio::buffer(queue_.front()), kTuple);
        if (ec) co_return;
        queue_.pop_front();
      }
      if (closed_) co_return;
      co_await signal_.async_wait(kTuple);
    }
  }

 private:
  asio::any_io_executor strand_;
  asio::steady_timer signal_;
  std::deque<std::string> queue_;
  bool closed_ = false;
};

}  // namespace

asio::awaitable<void> Server::Impl::ServeWebSocket(std::shared_ptr<Connection> conn,
                                                   bhttp::request<bhttp::empty_body> upgrade, Request req,
                                                   const WebSocketFactory& factory) {
  // Browsers cannot set headers on a WebSocket: accept the token as a query parameter too.
  if (auto token = req.Query("access_token"); token && !req.headers.Has("Authorization")) {
    req.headers.Add("Authorization", "Bearer " + *token);
  }
  std::optional<Result<services::Principal>> principal(router.Authenticate(req));
  if (!principal->ok()) {
    Response r = ErrorResponse(principal->status());
    co_await Write(*conn, r, req.request_id, false, false, upgrade.version());
    co_return;
  }
  beast::websocket::stream<beast::tcp_stream&> ws(conn->stream);
  conn->stream.expires_never();
  ws.set_option(beast::websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws.read_message_max(64 * 1024);
  auto [aec] = co_await ws.async_accept(upgrade, kTuple);
  if (aec) co_return;
  LogJson({{"type", "access"},
           {"method", "GET"},
           {"path", req.path},
           {"status", 101},
           {"user_id", (*principal)->user_id},
           {"request_id", req.request_id},
           {"ip", req.remote_ip}});
  auto channel = std::make_shared<WsChannel>(conn->stream.get_executor());
  std::shared_ptr<WebSocketHandler> handler = factory(**principal, channel);
  auto reader = [&]() -> asio::awaitable<void> {
    beast::flat_buffer in;
    for (;;) {
      auto [ec, n] = co_await ws.async_read(in, kTuple);
      if (ec) break;
      std::string text = beast::buffers_to_string(in.data());
      in.consume(in.size());
      if (!ws.got_text()) continue;
      co_await OnPool([&] { handler->OnMessage(text); });
    }
    channel->Close();
  };
  using namespace asio::experimental::awaitable_operators;
  co_await (reader() || channel->Writer(ws));
  channel->Close();
  beast::error_code ec;
  ws.next_layer().socket().close(ec);
}

asio::awaitable<bool> Server::Impl::Write(Connection& conn, Response& resp, const std::string& request_id,
                                          bool keep_alive, bool head, unsigned version) {
  const bool html = resp.content_type.rfind("text/html", 0) == 0;
  conn.stream.expires_after(std::chrono::seconds(options.idle_timeout_s));
  if (!resp.file_path.empty()) {
    bhttp::response<bhttp::file_body> res;
    beast::error_code ec;
    res.body().open(resp.file_path.c_str(), beast::file_mode::scan, ec);
    if (ec) {
      resp = ErrorResponse(NotFound("The file is no longer available."));
      resp.file_path.clear();
    } else {
      res.version(version);
      res.result(static_cast<unsigned>(resp.status));
      res.set(bhttp::field::content_type, resp.content_type);
      for (auto& [k, v] : resp.headers) res.insert(k, v);
      AddCommonHeaders(res.base(), request_id, html);
      res.keep_alive(keep_alive);
      res.prepare_payload();
      bool ok = true;
      if (head) {
        bhttp::response_serializer<bhttp::file_body> sr(res);
        auto [wec, n] = co_await bhttp::async_write_header(conn.stream, sr, kTuple);
        ok = !wec;
      } else {
        auto [wec, n] = co_await bhttp::async_write(conn.stream, res, kTuple);
        ok = !wec;
      }
      if (resp.remove_file) {
        std::error_code rm;
        std::filesystem::remove(resp.file_path, rm);
      }
      co_return ok;
    }
  }
  bhttp::response<bhttp::string_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(resp.status));
  if (!resp.content_type.empty()) res.set(bhttp::field::content_type, resp.content_type);
  for (auto& [k, v] : resp.headers) res.insert(k, v);
  AddCommonHeaders(res.base(), request_id, html);
  if (resp.content_type == "application/json") res.set(bhttp::field::cache_control, "no-store");
  res.keep_alive(keep_alive);
  if (resp.status != 204 && resp.status != 304) {
    res.body() = std::move(resp.body);
    res.prepare_payload();
    if (head) res.body().clear();
  }
  auto [wec, n] = co_await bhttp::async_write(conn.stream, res, kTuple);
  co_return !wec;
}

asio::awaitable<void> Server::Impl::Serve(std::shared_ptr<Connection> conn) {
  beast::flat_buffer buffer;
  std::string remote_ip;
  {
    beast::error_code ec;
    const auto ep = conn->stream.socket().remote_endpoint(ec);
    if (!ec) remote_ip = ep.address().to_string();
  }
  for (;;) {
    if (draining) break;
    conn->stream.expires_after(std::chrono::seconds(options.idle_timeout_s));
    bhttp::request_parser<bhttp::empty_body> header_parser;
    header_parser.header_limit(kHeaderLimit);
    header_parser.body_limit(boost::none);
    auto [ec, n] = co_await bhttp::async_read_header(conn->stream, buffer, header_parser, kTuple);
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        Response r = ErrorResponse(Invalid("The request headers are too large (at most 16 KiB)."));
        r.status = 431;
        co_await Write(*conn, r, NewId(), false, false, 11);
      } else if (ec != bhttp::error::end_of_stream && ec != asio::error::operation_aborted &&
                 ec != beast::error::timeout && ec != asio::error::eof &&
                 ec != asio::error::connection_reset && buffer.size() > 0) {
        Response r = BadRequest("The request is not valid HTTP.");
        co_await Write(*conn, r, NewId(), false, false, 11);
      }
      break;
    }
    conn->busy = true;
    const auto started = std::chrono::steady_clock::now();
    auto& hreq = header_parser.get();

    Request req;
    req.method = std::string(hreq.method_string());
    req.target = std::string(hreq.target());
    req.remote_ip = remote_ip;
    for (const auto& f : hreq) req.headers.Add(std::string(f.name_string()), std::string(f.value()));
    const std::string_view given_id = req.headers.Get("X-Request-Id");
    req.request_id = ValidRequestId(given_id) ? std::string(given_id) : NewId();
    const bool head = req.method == "HEAD";
    bool keep_alive = hreq.keep_alive() && !draining;
    const unsigned version = hreq.version();

    const auto qpos = req.target.find('?');
    auto decoded = PercentDecode(std::string_view(req.target).substr(0, qpos), false);
    Response resp;
    std::string user_id;
    const Route* route = nullptr;
    bool body_consumed = !hreq.has_content_length() && !hreq.chunked();

    if (!decoded || decoded->empty() || decoded->front() != '/' || decoded->find('\0') != std::string::npos) {
      resp = BadRequest("The request path is not valid.");
      keep_alive = false;
    } else {
      req.path = std::move(*decoded);
      if (qpos != std::string::npos) req.query = ParseQuery(std::string_view(req.target).substr(qpos + 1));
      if (beast::websocket::is_upgrade(hreq)) {
        if (const WebSocketFactory* factory = router.FindWebSocket(req.path)) {
          co_await ServeWebSocket(conn, header_parser.release(), std::move(req), *factory);
          break;
        }
      }
      auto match = router.Find(req.method, req.path);
      const bool is_api = req.path.rfind("/api/", 0) == 0 || req.path == "/api" || req.path == "/health";
      if (match.route) {
        route = match.route;
        req.params = std::move(match.params);
      } else if (!match.allow.empty()) {
        resp = ErrorResponse(Status(ErrorCode::METHOD_NOT_ALLOWED, "This method is not allowed here.",
                                    {{"allow", match.allow}}));
        resp.Header("Allow", match.allow);
      } else if (is_api || (req.method != "GET" && req.method != "HEAD")) {
        resp = NotFoundResponse("No such route.");
      } else {
        resp = static_files.Serve(req.path, AcceptsGzip(req.headers.Get("Accept-Encoding")));
      }
    }

    if (route) {
      const auto declared = header_parser.content_length();  // Beast checked limits at header time
      if (declared && *declared > route->body_limit) {
        resp = ErrorResponse(Status(ErrorCode::PAYLOAD_TOO_LARGE, "The request body is too large.",
                                    {{"limit_bytes", route->body_limit}}));
        keep_alive = false;
        route = nullptr;
      }
    }
    std::optional<std::string> boundary;
    if (route && route->body_mode != BodyMode::BUFFER) {
      // Streaming bodies can be large: check credentials and shape before reading them.
      std::optional<Status> refused;
      if (route->authenticated) {
        auto principal = router.Authenticate(req);
        if (!principal.ok()) refused = principal.status();
      }
      if (!refused && route->body_mode == BodyMode::MULTIPART) {
        boundary = MultipartBoundary(req.headers.Get("Content-Type"));
        if (!boundary) {
          refused = Status(ErrorCode::UNSUPPORTED_FORMAT,
                           "Uploads must be multipart/form-data with the file in a part named 'file'.");
        }
      }
      if (refused) {
        resp = ErrorResponse(*refused);
        keep_alive = false;
        route = nullptr;
      }
    }
    if (route && beast::iequals(hreq[bhttp::field::expect], "100-continue")) {
      // The client waits for this before sending a large body.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [cec, cn] = co_await asio::async_write(conn->stream, asio::buffer(kContinue), kTuple);
      if (cec) break;
    }
    if (route) {
      bool body_ok = true;
      Status body_error;
      if (route->body_mode == BodyMode::MULTIPART) {
        std::filesystem::create_directories(options.temp_dir);
        const std::string part_path = options.temp_dir + "/" + NewId() + ".upload";
        MultipartParser multipart(*boundary, part_path);
        const auto length = header_parser.content_length();
        if (length && !header_parser.chunked()) {
          body_error = co_await ReadBodyDirect(conn->stream, buffer, *length, options.idle_timeout_s,
                                               [&](std::string_view bytes) { return multipart.Feed(bytes); });
          body_ok = body_error.ok();
        }
        const bool direct = length && !header_parser.chunked();
        bhttp::request_parser<bhttp::buffer_body> parser(std::move(header_parser));
        parser.body_limit(route->body_limit);
        std::vector<char> chunk(direct ? 0 : 1 << 20);
        while (!direct && body_ok && !parser.is_done()) {  // chunked: through Beast's parser
          parser.get().body().data = chunk.data();
          parser.get().body().size = chunk.size();
          conn->stream.expires_after(std::chrono::seconds(options.idle_timeout_s));
          auto [bec, bn] = co_await bhttp::async_read(conn->stream, buffer, parser, kTuple);
          if (bec == bhttp::error::need_buffer) bec = {};
          if (bec) {
            body_ok = false;
            body_error = bec == bhttp::error::body_limit
                             ? Status(ErrorCode::PAYLOAD_TOO_LARGE, "The upload is too large.",
                                      {{"limit_bytes", route->body_limit}})
                             : Invalid("The upload was interrupted.");
            break;
          }
          const std::size_t got = chunk.size() - parser.get().body().size;
          if (Status st = multipart.Feed(std::string_view(chunk.data(), got)); !st.ok()) {
            body_ok = false;
            body_error = st;
          }
        }
        if (body_ok) {
          if (Status st = multipart.Finish(); !st.ok()) {
            body_ok = false;
            body_error = st;
          }
        }
        if (multipart.has_file()) req.body_file = part_path;
        req.has_upload = multipart.has_file();
        req.upload_filename = multipart.filename();
        if (!body_ok) keep_alive = false;
      } else if (route->body_mode == BodyMode::BUFFER) {
        bhttp::request_parser<bhttp::string_body> parser(std::move(header_parser));
        parser.body_limit(route->body_limit);
        conn->stream.expires_after(std::chrono::seconds(options.idle_timeout_s));
        auto [bec, bn] = co_await bhttp::async_read(conn->stream, buffer, parser, kTuple);
        if (bec) {
          body_ok = false;
          body_error = bec == bhttp::error::body_limit
                           ? Status(ErrorCode::PAYLOAD_TOO_LARGE, "The request body is too large.",
                                    {{"limit_bytes", route->body_limit}})
                           : Invalid("The request body could not be read.");
          if (bec != bhttp::error::body_limit && bec != bhttp::error::bad_chunk &&
              bec != bhttp::error::bad_content_length) {
            break;  // the peer went away mid-body: nobody to answer
          }
        } else {
          req.body = std::move(parser.get().body());
          req.body_size = req.body.size();
        }
      } else {
        std::filesystem::create_directories(options.temp_dir);
        req.body_file = options.temp_dir + "/" + NewId() + ".body";
        const auto length = header_parser.content_length();
        if (length && !header_parser.chunked()) {
          std::FILE* out = std::fopen(req.body_file.c_str(), "wb");
          if (out == nullptr) {
            body_ok = false;
            body_error = Internal("The upload could not be stored.");
          } else {
            body_error = co_await ReadBodyDirect(
                conn->stream, buffer, *length, options.idle_timeout_s, [out](std::string_view bytes) {
                  return std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size()
                             ? Status::Ok()
                             : Internal("The upload could not be stored.");
                });
            const bool closed = std::fclose(out) == 0;
            body_ok = body_error.ok() && closed;
            if (body_error.ok() && !body_ok) body_error = Internal("The upload could not be stored.");
            if (!body_ok) keep_alive = false;
            req.body_size = body_ok ? *length : 0;
          }
        } else {
          bhttp::request_parser<bhttp::file_body> parser(std::move(header_parser));
          parser.body_limit(route->body_limit);
          beast::error_code fec;
          parser.get().body().open(req.body_file.c_str(), beast::file_mode::write, fec);
          if (fec) {
            body_ok = false;
            body_error = Internal("The upload could not be stored.");
            keep_alive = false;
          } else {
            // Read in pieces, renewing the timeout per piece so slow but live uploads succeed.
            while (!parser.is_done()) {
              conn->stream.expires_after(std::chrono::seconds(options.idle_timeout_s));
              auto [bec, bn] = co_await bhttp::async_read_some(conn->stream, buffer, parser, kTuple);
              if (bec) {
                body_ok = false;
                body_error = bec == bhttp::error::body_limit
                                 ? Status(ErrorCode::PAYLOAD_TOO_LARGE, "The upload is too large.",
                                          {{"limit_bytes", route->body_limit}})
                                 : Invalid("The upload was interrupted.");
                keep_alive = false;
                break;
              }
            }
            parser.get().body().close();
            req.body_size = parser.content_length().value_or(0);
            if (body_ok) {
              std::error_code sec;
              req.body_size = std::filesystem::file_size(req.body_file, sec);
            }
          }
        }
      }
      body_consumed = true;
      if (!body_ok) {
        resp = ErrorResponse(body_error);
        keep_alive = false;
      } else {
        resp = co_await RunBlocking(*route, req, user_id);
      }
      if (!req.body_file.empty()) {
        std::error_code rm;
        std::filesystem::remove(req.body_file, rm);  // handlers move what they keep
      }
    }
    if (!body_consumed) keep_alive = false;  // an unread body would be parsed as the next request

    const int status = resp.status;
    resp.headers.emplace_back("Vary", "Cookie, Authorization");
    const bool written = co_await Write(*conn, resp, req.request_id, keep_alive && !draining, head, version);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    LogJson({{"type", "access"},
             {"method", req.method},
             {"path", req.path.empty() ? req.target.substr(0, 200) : req.path},
             {"status", status},
             {"duration_ms", std::round(ms * 1000) / 1000},
             {"user_id", user_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(user_id)},
             {"request_id", req.request_id},
             {"ip", remote_ip}});
    conn->busy = false;
    if (!written || !keep_alive || draining) break;
  }
  beast::error_code ec;
  conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  conn->stream.socket().close(ec);
  std::lock_guard<std::mutex> lock(connections_mu);
  connections.erase(conn);
}

void Server::Impl::BeginShutdown() {
  if (draining.exchange(true)) return;
  spdlog::info("shutting down: finishing in-flight requests");
  asio::post(ioc, [this] {
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel();
  });
  // Idle keep-alive connections are closed now; busy ones close after their response.
  std::lock_guard<std::mutex> lock(connections_mu);
  for (const auto& c : connections) {
    asio::post(c->stream.get_executor(), [c] {
      if (!c->busy) {
        beast::error_code ec;
        c->stream.socket().cancel(ec);
      }
    });
  }
}

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() {
  impl_->blocking_pool.join();
}

Result<int> Server::Listen() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return Invalid("The listen address '" + impl_->options.host + "' is not a valid IP address.");
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(impl_->options.port));
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(ErrorCode::UNAVAILABLE, "Cannot listen on " + impl_->options.host + ":" +
                                              std::to_string(impl_->options.port) + ": " + ec.message());
  }
  return static_cast<int>(a.local_endpoint().port());
}

void Server::Run(const std::function<void(int port)>& on_ready) {
  Impl& s = *impl_;
  s.signals.async_wait([this](const beast::error_code& ec, int) {
    if (!ec) Stop();
  });
  asio::co_spawn(s.ioc, s.Accept(), asio::detached);
  if (on_ready) on_ready(static_cast<int>(s.acceptor.local_endpoint().port()));

  // Watchdog: once draining, stop the loop when every connection is closed (or the grace
  // period ends).
  std::thread watchdog([&s] {
    while (!s.draining) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(s.options.shutdown_grace_s);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard<std::mutex> lock(s.connections_mu);
        if (s.connections.empty()) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    s.ioc.stop();
  });

  const int n = s.options.io_threads > 0
                    ? s.options.io_threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : threads) t.join();
  watchdog.join();
  s.blocking_pool.join();
  spdlog::info("server stopped");
}

void Server::Stop() {
  impl_->BeginShutdown();
}

}  // namespace dm::http
