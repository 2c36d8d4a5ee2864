// The load client: one thread, one epoll set, non-blocking keep-alive
// connections to 127.0.0.1, each with at most one request in flight.
//
// A run drives one or more workloads, each on its own pool of connections.
// A free connection asks its workload for the next request; the workload
// hands out pre-built bytes (no formatting on the hot path) and is told of
// every answer with its timings. The run ends when every primary workload is
// finished; secondary ones (background load) are then abandoned mid-flight.
//
// Connections persist between runs. One the server closed while idle is
// reconnected and its request re-sent (counted in `reconnects`), which is
// safe for the requests this benchmark sends (a repeated ballot replaces the
// first; a repeated fragment save gets version_conflict and is counted).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http_wire.h"

namespace rapporteur::bench {

using Clock = std::chrono::steady_clock;

class Workload {
 public:
  virtual ~Workload() = default;
  // The next request for connection `conn` (index in this workload's pool)
  // if one is due at `now`: its bytes (valid until complete() for it), a tag
  // the workload chooses, and the time it was meant to start (open-loop
  // schedules; closed loops return `now`). nullptr when nothing is due.
  virtual const std::string* next(size_t conn, Clock::time_point now, uint64_t& tag, Clock::time_point& intended) = 0;
  // When nothing is due now: when something next will be (Clock::time_point::max() if never).
  virtual Clock::time_point next_due() const { return Clock::time_point::max(); }
  // The answer to request `tag`; `sent` is when its first byte was written.
  virtual void complete(uint64_t tag, const Response& r, Clock::time_point intended, Clock::time_point sent,
                        Clock::time_point done) = 0;
  // True when every request has been answered.
  virtual bool finished() const = 0;
};

struct Pool;  // connections, owned by Engine

struct RunStats {
  double wall_s = 0;          // first request to the end of the run
  double client_cpu_s = 0;    // this process's user+system CPU during the run
  uint64_t reconnects = 0;    // connections re-opened during the run
  uint64_t io_errors = 0;     // requests lost to broken connections
};

class Engine {
 public:
  explicit Engine(int port);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Opens `n` keep-alive connections (blocking connect, then non-blocking).
  // Throws std::runtime_error naming the port when the server cannot be reached.
  Pool* open_pool(size_t n);
  // Closes every connection of the pool.
  void close_pool(Pool* pool);

  struct Part {
    Workload* workload;
    Pool* pool;
    bool primary = true;
  };
  // Runs until every primary part's workload is finished. Throws
  // std::runtime_error when progress stops for `stall_timeout` (a hung server).
  RunStats run(const std::vector<Part>& parts, std::chrono::milliseconds stall_timeout = std::chrono::seconds(30));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One blocking request on a fresh connection (set-up and checks, not timed).
Response http_call(int port, const std::string& request_bytes, std::chrono::milliseconds timeout = std::chrono::seconds(120));

}  // namespace rapporteur::bench
