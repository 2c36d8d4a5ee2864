// The HTTP server: cpp-httplib behind this header, routes in src/http/.
#pragma once

#include <memory>
#include <string>

#include "rapporteur/app.h"
#include "rapporteur/status.h"

namespace rapporteur {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see port())
  int threads = 256;  // worker threads = most connections served at once
  std::string web_dir;  // static pages; empty: the source tree's web/
  size_t payload_max = 1 << 20;  // bytes; larger bodies get 413
  int read_timeout_s = 5;  // longest silence while a request is being read
  // A whole request (line, headers, body) must arrive within this many seconds
  // of its first byte: a client trickling bytes cannot hold a worker forever.
  int request_timeout_s = 10;
  int write_timeout_s = 5;
  int keep_alive_timeout_s = 5;
  size_t keep_alive_max = 100000;
  int listen_backlog = 1024;
  // Server-sent event streams open at once, in all and per client address
  // (behind nginx on loopback: the last X-Forwarded-For entry). A stream
  // holds a worker thread for as long as it lasts; over a cap the stream is
  // refused with 503 too_many_streams, so workers stay free for the rest.
  // The total is also kept to half of `threads`: the other half serves
  // everything else.
  int max_streams = 64;
  int max_streams_per_client = 8;
  bool access_log = true;
};

class Server {
 public:
  Server(App& app, ServerOptions options);
  ~Server();  // stops and joins
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the socket (port 0 picks a free one) and serves on a background
  // thread. Fails with a message naming the address when it cannot bind.
  Status start();
  int port() const;
  // Stops accepting, lets in-flight requests finish, joins. Idempotent.
  void stop();
  // Blocks until stop() is called (from a signal handler thread, say).
  void wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rapporteur
