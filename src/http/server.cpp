#include "rapporteur/server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "http/connection_stream.h"
#include "http/error.h"
#include "http/metrics.h"
#include "http/origin.h"
#include "http/response_encoding.h"
#include "http/router.h"
#include "http/static_files.h"
#include "http/stream_limits.h"
#include "rapporteur/crypto.h"
#include "rapporteur/log.h"

namespace rapporteur {
namespace {

// cpp-httplib 0.11.4 listens with a fixed backlog of 5, which drops bursts of
// new connections into SYN retransmits (a second each). Listening again on the
// bound socket raises the backlog; the socket is protected in the base class.
class ListeningServer : public httplib::Server {
 public:
  void raise_backlog(int backlog) { ::listen(svr_sock_, backlog); }
  void set_limits(const http::ConnectionLimits& limits) { limits_ = limits; }

 private:
  // cpp-httplib's keep-alive loop, with a ConnectionStream in place of its
  // socket stream: each request must arrive within a deadline and a byte
  // budget (see http/connection_stream.h for why).
  bool process_and_close_socket(socket_t sock) override {
    bool ret = false;
    {
      http::ConnectionStream strm(sock, limits_);
      for (size_t left = keep_alive_max_count_; left > 0 && strm.wait_for_request(svr_sock_); --left) {
        strm.begin_request();
        bool connection_closed = false;
        ret = process_request(strm, left == 1, connection_closed, nullptr);
        if (!ret || connection_closed || strm.timed_out() || strm.over_limit()) break;
        if (http::ConnectionStream::current_close_requested()) break;
      }
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ret;
  }

  http::ConnectionLimits limits_;
};

// Request line and headers: cpp-httplib caps each line at 8 KiB, not their number.
constexpr size_t kMaxRequestHeadBytes = 64 * 1024;

bool is_loopback_peer(const std::string& addr) {
  return addr.rfind("127.", 0) == 0 || addr == "::1" || addr.rfind("::ffff:127.", 0) == 0;
}

// The address a stream is counted against: the peer's, or behind a proxy on
// loopback (nginx) the last X-Forwarded-For entry, the one the proxy added
// (earlier entries come from the client and prove nothing). Only a key for
// counting: never echoed.
std::string client_address(const httplib::Request& req) {
  if (!is_loopback_peer(req.remote_addr)) return req.remote_addr;
  const std::string forwarded = req.get_header_value("X-Forwarded-For");
  if (forwarded.empty()) return req.remote_addr;
  const size_t comma = forwarded.rfind(',');
  std::string last = forwarded.substr(comma == std::string::npos ? 0 : comma + 1);
  const size_t b = last.find_first_not_of(' ');
  last = b == std::string::npos ? std::string() : last.substr(b, 64);
  return last.empty() ? req.remote_addr : last;
}

std::string make_request_id() {
  static std::atomic<uint64_t> counter{0};
  static const std::string prefix = random_token(3);
  return prefix + "-" + std::to_string(++counter);
}

}  // namespace

struct Server::Impl {
  App& app;
  ServerOptions options;
  ListeningServer svr;
  std::thread thread;
  int port = 0;
  std::mutex mu;
  std::condition_variable cv;
  bool stopped = false;

  http::StreamLimits streams;

  Impl(App& a, ServerOptions o)
      : app(a),
        options(std::move(o)),
        streams(static_cast<size_t>(std::max(1, std::min(options.max_streams, std::max(2, options.threads) / 2))),
                static_cast<size_t>(std::max(1, options.max_streams_per_client))) {}

  void handle(const httplib::Request& req, httplib::Response& res);
  void send(const http::Reply& reply, const std::string& request_id, httplib::Response& res);
  // `reply` (a stream) holding one of the stream slots, or a 503 when none is free.
  http::Reply hold_stream_slot(http::Reply reply, const httplib::Request& req, const std::string& request_id);
};

http::Reply Server::Impl::hold_stream_slot(http::Reply reply, const httplib::Request& req,
                                           const std::string& request_id) {
  auto slot = streams.try_acquire(client_address(req));
  if (!slot) {
    const bool all = streams.open() >= streams.total();
    http::ConnectionStream::close_after_response();
    http::Reply refused = http::error_reply(
        Status::too_many_streams(all ? "stream: the server holds " + std::to_string(streams.total()) +
                                           " event streams, its limit; poll GET .../live instead"
                                     : "stream: this address holds " + std::to_string(streams.per_client()) +
                                           " event streams, its limit; poll GET .../live instead"),
        request_id);
    refused.headers.emplace_back("Connection", "close");
    return refused;
  }
  // The slot lives as long as the stream function, which cpp-httplib keeps
  // until the response is over (client gone, or the server stopping).
  auto inner = std::move(reply.stream);
  reply.stream = [inner = std::move(inner), slot = std::move(slot)](
                     const std::function<bool(const std::string&)>& write) { return inner(write); };
  return reply;
}

void Server::Impl::send(const http::Reply& reply, const std::string& request_id, httplib::Response& res) {
  res.status = reply.status;
  for (const auto& [k, v] : reply.headers) res.set_header(k, v);
  res.set_header("X-Request-Id", request_id);
  // JSON has no charset parameter (RFC 8259: it is UTF-8); without one,
  // cpp-httplib compresses it.
  const std::string type = reply.content_type.rfind("application/json", 0) == 0 ? "application/json" : reply.content_type;
  if (!reply.stream && http::compressible(type)) res.set_header("Vary", "Accept-Encoding");
  if (reply.stream) {
    auto stream = reply.stream;
    res.set_chunked_content_provider(reply.content_type, [stream](size_t, httplib::DataSink& sink) {
      stream([&sink](const std::string& chunk) { return sink.is_writable() && sink.write(chunk.data(), chunk.size()); });
      sink.done();
      return true;
    });
    return;
  }
  if (reply.status == 304 || reply.status == 204) return;
  res.set_content(reply.body, type);
}

void Server::Impl::handle(const httplib::Request& req, httplib::Response& res) {
  const auto started = std::chrono::steady_clock::now();
  const std::string request_id = make_request_id();
  // Every answer is whole: the API's are small JSON, the pages' small files,
  // and cpp-httplib would answer a single range with a 200 and part of it.
  http::ignore_ranges(req);
  const bool gzip = http::accept_gzip_only(req);
  std::string route_name = "static";
  http::Reply reply;
  try {
    http::Match m = http::match_route(req.method, req.path);
    if (m.route == nullptr && !m.allowed_methods.empty()) {
      route_name = "(method not allowed)";
      reply = http::error_reply(Status(Code::method_not_allowed, req.method + " is not allowed on " + req.path.substr(0, 200)),
                                request_id);
      std::string allow;
      for (const auto& a : m.allowed_methods) allow += (allow.empty() ? "" : ", ") + a;
      reply.headers.emplace_back("Allow", allow);
    } else if (m.route == nullptr) {
      const bool api = req.path.rfind("/api/", 0) == 0;
      if (!api && (req.method == "GET" || req.method == "HEAD")) {
        reply = http::serve_static(options.web_dir, req.path, req.get_header_value("If-None-Match"), gzip, request_id);
        // A static file comes gzipped already (compressed once, then kept):
        // cpp-httplib must not compress it again.
        for (const auto& [k, v] : reply.headers) {
          if (k == "Content-Encoding") http::send_uncompressed(req);
        }
      } else {
        route_name = "(no route)";
        reply = http::error_reply(Status::not_found("no route for " + req.method + " " + req.path.substr(0, 200)), request_id);
      }
    } else {
      const http::Route& route = *m.route;
      route_name = route.pattern;
      // Before the token is even looked up: a cross-site request learns nothing.
      Status browser = http::check_browser_request(app, req);
      if (browser.is_ok()) browser = http::check_path_params(m);
      auto principal = browser.is_ok() ? http::resolve_principal(app, req) : Result<http::Principal>(browser);
      // An unknown token shuts no one out of a route that needs none: a stale
      // rapporteur_token cookie (its token reissued) must not break the new
      // join link, the public page or the health check. It is then ignored.
      // /metrics answers an unknown token as it answers none: 401.
      const bool open_route = route.access == http::Access::anyone || route.access == http::Access::observer ||
                              route.access == http::Access::metrics;
      if (!principal && principal.status().code() == Code::unauthenticated && open_route) principal = http::Principal{};
      Status allowed = principal ? Status::ok() : principal.status();
      const std::string sid = m.params.count("sid") ? m.params["sid"] : "";
      if (allowed.is_ok()) allowed = http::check_access(route.access, *principal, sid, req);
      if (!allowed.is_ok()) {
        reply = http::error_reply(allowed, request_id);
      } else {
        http::Ctx ctx{app, req, std::move(m.params), *principal, request_id, route.pattern};
        auto result = route.handler(ctx);
        reply = result ? std::move(*result) : http::error_reply(result.status(), request_id);
        if (reply.stream) reply = hold_stream_slot(std::move(reply), req, request_id);
        if (!result && result.status().code() == Code::internal) {
          log_error("request " + request_id + " " + route.pattern + ": " + result.status().message());
        }
      }
    }
  } catch (const std::exception& e) {
    log_error("request " + request_id + " " + route_name + " threw: " + e.what());
    reply = http::error_reply(Status::internal(e.what()), request_id);
  }
  if (!reply.stream && reply.body.size() < http::kCompressFromBytes) http::send_uncompressed(req);
  send(reply, request_id, res);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  http::metrics().observe(route_name, reply.status, ms);
  if (options.access_log) {
    std::ostringstream line;
    line << req.method << ' ' << route_name << ' ' << reply.status << ' ' << static_cast<int64_t>(ms * 1000) / 1000.0
         << "ms id=" << request_id;
    log_info(line.str());
  }
}

Server::Server(App& app, ServerOptions options) : impl_(std::make_unique<Impl>(app, std::move(options))) {
  if (impl_->options.web_dir.empty()) impl_->options.web_dir = std::string(RAPPORTEUR_SOURCE_DIR) + "/web";
}

Server::~Server() { stop(); }

Status Server::start() {
  auto& svr = impl_->svr;
  const ServerOptions& o = impl_->options;
  const int threads = std::max(2, o.threads);
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  svr.set_tcp_nodelay(true);
  svr.set_payload_max_length(o.payload_max);
  svr.set_keep_alive_max_count(o.keep_alive_max);
  svr.set_keep_alive_timeout(o.keep_alive_timeout_s);
  svr.set_read_timeout(o.read_timeout_s, 0);
  svr.set_write_timeout(o.write_timeout_s, 0);
  http::ConnectionLimits limits;
  limits.read_timeout = std::chrono::seconds(o.read_timeout_s);
  limits.write_timeout = std::chrono::seconds(o.write_timeout_s);
  limits.keep_alive_timeout = std::chrono::seconds(o.keep_alive_timeout_s);
  limits.request_timeout = std::chrono::seconds(o.request_timeout_s);
  limits.max_request_bytes = o.payload_max + kMaxRequestHeadBytes;
  svr.set_limits(limits);
  svr.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}});
  Impl* impl = impl_.get();
  auto handler = [impl](const httplib::Request& req, httplib::Response& res) { impl->handle(req, res); };
  for (const char* pattern : {".*"}) {
    svr.Get(pattern, handler);
    svr.Post(pattern, handler);
    svr.Put(pattern, handler);
    svr.Patch(pattern, handler);
    svr.Delete(pattern, handler);
    svr.Options(pattern, handler);
  }
  // More than one byte range: refused before any handler runs (see
  // http::ignore_ranges for why cpp-httplib must not see them).
  // The answers cpp-httplib's own paths send keep the JSON charset parameter,
  // so it never compresses them: they are small, and Accept-Encoding is not
  // yet reduced to gzip there (see http::accept_gzip_only).
  svr.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.ranges.size() <= 1) return httplib::Server::HandlerResponse::Unhandled;
    const size_t n = req.ranges.size();
    http::ignore_ranges(req);
    res.status = 416;
    const Status st(Code::range_not_satisfiable,
                    "Range: " + std::to_string(n) + " byte ranges asked for; at most one is served", "Range");
    res.set_content(http::error_reply(st, "-").body, "application/json; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  });
  // Errors cpp-httplib answers itself (oversized body, malformed request line).
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 400 && http::ConnectionStream::current_request_over_limit()) res.status = 413;
    Status st = res.status == 413   ? Status::too_large("request body is over the limit")
                : res.status == 414 ? Status::bad_request("request URI is too long")
                : res.status == 404 ? Status::not_found("no such resource")
                : res.status == 416 ? Status(Code::range_not_satisfiable, "Range: not a byte range this server serves", "Range")
                                    : Status::bad_request("malformed request");
    res.set_content(http::error_reply(st, "-").body, "application/json; charset=utf-8");
  });
  svr.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    const std::string id = make_request_id();
    log_error("request " + id + " " + req.method + " threw outside a handler: " + what);
    auto reply = http::error_reply(Status::internal(what), id);
    res.status = 500;
    res.set_content(reply.body, "application/json; charset=utf-8");
  });

  if (o.port == 0) {
    impl_->port = svr.bind_to_any_port(o.host);
    if (impl_->port <= 0) return Status::internal("cannot bind to " + o.host + " on any port");
  } else {
    if (!svr.bind_to_port(o.host, o.port)) {
      return Status::internal("cannot listen on " + o.host + ":" + std::to_string(o.port) + " (address in use?)");
    }
    impl_->port = o.port;
  }
  svr.raise_backlog(o.listen_backlog);
  impl_->thread = std::thread([impl] {
    impl->svr.listen_after_bind();
    std::lock_guard<std::mutex> lock(impl->mu);
    impl->stopped = true;
    impl->cv.notify_all();
  });
  // stop() right after start() must find the server running, or it would
  // return while listen_after_bind() goes on listening.
  for (int i = 0; i < 2000 && !svr.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::ok();
}

int Server::port() const { return impl_->port; }

void Server::stop() {
  impl_->app.live().shutdown();  // ends server-sent event streams
  if (impl_->svr.is_running() || impl_->thread.joinable()) impl_->svr.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void Server::wait() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->cv.wait(lock, [&] { return impl_->stopped; });
}

}  // namespace rapporteur
