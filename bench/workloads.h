// The benchmark's request patterns, as Engine workloads, and the numbers
// they collect.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "load_engine.h"

namespace rapporteur::bench {

struct LatencySummary {
  size_t n = 0;
  double mean_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};
LatencySummary summarize(std::vector<double> ms);

// Closed loop: `count` requests handed out in order to whichever connection
// is free (request i is requests[i % requests.size()]), none before
// `start_at`. Latency is from the request's first byte to its last answer byte.
class ClosedBurst : public Workload {
 public:
  ClosedBurst(std::vector<std::string> requests, size_t count, Clock::time_point start_at = Clock::time_point::min());

  const std::string* next(size_t conn, Clock::time_point now, uint64_t& tag, Clock::time_point& intended) override;
  Clock::time_point next_due() const override;
  void complete(uint64_t tag, const Response& r, Clock::time_point intended, Clock::time_point sent,
                Clock::time_point done) override;
  bool finished() const override { return done_ == count_; }

  const std::vector<double>& latencies_ms() const { return latencies_ms_; }
  const std::map<int, size_t>& statuses() const { return statuses_; }
  size_t ok() const;  // 2xx answers
  // First request sent to last answer, seconds.
  double span_s() const;
  Clock::time_point first_sent() const { return first_sent_; }
  Clock::time_point last_done() const { return last_done_; }
  // The first few non-2xx answers, "status body", for the report.
  const std::vector<std::string>& error_samples() const { return error_samples_; }

 private:
  std::vector<std::string> requests_;
  size_t count_;
  Clock::time_point start_at_;
  size_t issued_ = 0, done_ = 0;
  std::vector<double> latencies_ms_;
  std::map<int, size_t> statuses_;
  Clock::time_point first_sent_ = Clock::time_point::max(), last_done_ = Clock::time_point::min();
  std::vector<std::string> error_samples_;
};

// Closed loop with one fixed sequence of requests per connection (a
// rapporteur saving their own fragment, each save based on the last).
class PerConnectionSequence : public Workload {
 public:
  explicit PerConnectionSequence(std::vector<std::vector<std::string>> sequences);

  const std::string* next(size_t conn, Clock::time_point now, uint64_t& tag, Clock::time_point& intended) override;
  void complete(uint64_t tag, const Response& r, Clock::time_point intended, Clock::time_point sent,
                Clock::time_point done) override;
  bool finished() const override { return done_ == total_; }

  const std::vector<double>& latencies_ms() const { return latencies_ms_; }
  const std::map<int, size_t>& statuses() const { return statuses_; }
  double span_s() const;
  const std::vector<std::string>& error_samples() const { return error_samples_; }

 private:
  std::vector<std::vector<std::string>> sequences_;
  std::vector<size_t> position_;
  size_t total_ = 0, done_ = 0;
  std::vector<double> latencies_ms_;
  std::map<int, size_t> statuses_;
  Clock::time_point first_sent_ = Clock::time_point::max(), last_done_ = Clock::time_point::min();
  std::vector<std::string> error_samples_;
};

// Open loop: `clients` phones each polling `path` once per `period` with
// If-None-Match set to the ETag of their last 200, their polls spread evenly
// over the period. Requests go out over whatever connections the pool has
// free (the bounded upstream pool of a reverse proxy in front of the
// server). A phone whose previous poll is still unanswered skips a turn.
// Latency is measured from the scheduled time, so queueing for a free
// connection counts (no coordinated omission). Never finishes by itself:
// run it as a secondary part.
class RoomPoller : public Workload {
 public:
  RoomPoller(std::string path, std::vector<std::string> tokens, std::chrono::milliseconds period, Clock::time_point start);

  const std::string* next(size_t conn, Clock::time_point now, uint64_t& tag, Clock::time_point& intended) override;
  Clock::time_point next_due() const override;
  void complete(uint64_t tag, const Response& r, Clock::time_point intended, Clock::time_point sent,
                Clock::time_point done) override;
  bool finished() const override { return false; }

  struct Sample {
    Clock::time_point intended;
    double latency_ms;
    int status;
    bool conditional;  // sent with If-None-Match (the phone had an ETag)
  };
  const std::vector<Sample>& samples() const { return samples_; }
  size_t skipped() const { return skipped_; }

 private:
  Clock::time_point due(uint64_t k) const;

  std::string path_;
  std::vector<std::string> tokens_;
  std::chrono::nanoseconds period_;
  Clock::time_point start_;
  uint64_t k_ = 0;  // the next scheduled poll; phone k % clients
  std::vector<std::string> etags_;
  std::vector<std::string> wire_;  // each phone's request in flight
  std::vector<bool> in_flight_;
  std::vector<bool> conditional_;  // the request in flight carries If-None-Match
  std::vector<Sample> samples_;
  size_t skipped_ = 0;
};

}  // namespace rapporteur::bench
