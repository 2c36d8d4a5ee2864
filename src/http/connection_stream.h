// One client connection as cpp-httplib sees it, with limits that cpp-httplib
// 0.11.4 lacks.
//
// cpp-httplib's own socket stream applies its read timeout to each recv(),
// so a client that sends one byte every second (slowloris) keeps a worker
// thread forever, and a chunked or length-less body is read into memory
// without any size limit. This stream bounds each request: its request line,
// headers and body must all arrive within `request_timeout` of its first
// byte, and at most `max_request_bytes` are read for it. Past either limit
// reads fail, cpp-httplib answers an error and the connection is closed.
//
// Bytes read ahead (a pipelined next request) stay buffered for the next
// request on the same connection. Not thread-safe: one worker owns it.
#pragma once

#include <httplib.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>

namespace rapporteur::http {

struct ConnectionLimits {
  std::chrono::milliseconds read_timeout{5000};   // longest wait for the next bytes
  std::chrono::milliseconds write_timeout{5000};  // longest wait to send
  std::chrono::milliseconds keep_alive_timeout{5000};  // idle time between requests
  std::chrono::milliseconds request_timeout{10000};  // first byte to end of body
  size_t max_request_bytes = (1u << 20) + 64 * 1024;  // request line, headers and body
};

class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(int sock, const ConnectionLimits& limits);

  // Waits until the next request starts (buffered or readable bytes), the
  // connection closes, the keep-alive timeout passes or `listening` turns
  // negative (the server is stopping). True when a request has started.
  bool wait_for_request(const std::atomic<int>& listening);
  // Starts the clock and the byte count of a request.
  void begin_request();
  // Whether the current request ran out of time or bytes.
  bool timed_out() const { return timed_out_; }
  bool over_limit() const { return over_limit_; }

  // True while the request that the calling thread is reading went over
  // max_request_bytes (cpp-httplib then reports a plain 400; the server's
  // error handler turns it into 413).
  static bool current_request_over_limit();
  // Asks that the connection the calling thread serves be closed once the
  // current response is written (cpp-httplib 0.11.4 only closes on the
  // client's request): a refused client must not keep a worker waiting on
  // an idle keep-alive connection.
  static void close_after_response();
  static bool current_close_requested();

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return sock_; }

 private:
  // poll() for `events` at most `timeout`; false on timeout or error.
  bool wait(short events, std::chrono::milliseconds timeout) const;

  int sock_;
  ConnectionLimits limits_;
  std::chrono::steady_clock::time_point deadline_;
  size_t request_bytes_ = 0;
  mutable bool timed_out_ = false;
  bool over_limit_ = false;
  std::array<char, 4096> buf_{};
  size_t buf_off_ = 0;
  size_t buf_len_ = 0;
};

}  // namespace rapporteur::http
