// The cap on long-lived responses (server-sent event streams). Not part of
// the public contract.
//
// The server has one worker thread per connection (cpp-httplib), and a
// stream holds its worker for as long as the client stays. Without a cap,
// a few hundred anonymous GET .../stream took every worker and /healthz, a
// ballot or a page went unanswered. A stream is let in only while fewer than
// `total` streams are open, and fewer than `per_client` from its client
// address; the others are refused at once (503 too_many_streams, the
// connection closed), so the remaining workers serve everything else. Only
// the projector holds a stream (a handful of screens); phones poll /live.
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace rapporteur::http {

class StreamLimits {
 public:
  StreamLimits(size_t total, size_t per_client) : total_(total), per_client_(per_client) {}

  // A slot for one stream of `client`, held until the returned pointer (and
  // its copies) are gone; null when a cap is reached.
  std::shared_ptr<void> try_acquire(const std::string& client);

  size_t open() const;
  size_t total() const { return total_; }
  size_t per_client() const { return per_client_; }

 private:
  void release(const std::string& client);

  const size_t total_;
  const size_t per_client_;
  mutable std::mutex mu_;
  size_t open_ = 0;
  std::map<std::string, size_t> by_client_;
};

}  // namespace rapporteur::http
