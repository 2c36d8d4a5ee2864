// A client of the server-sent event stream (GET .../stream) for the tests:
// the connection is read on its own thread, everything received is kept,
// and every wait is bounded so that a missing event fails a test instead of
// hanging it.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "contract/answers.h"

namespace rapporteur::testing {

// An open /stream connection read on its own thread; everything received is
// kept in `text`. wait_for() bounds every wait so that a missing event fails
// the test instead of hanging it.
class Stream {
 public:
  Stream(int port, const std::string& path) : client_("127.0.0.1", port), path_(path) {
    client_.set_read_timeout(10, 0);
    reader_ = std::thread([this, path] {
      auto res = client_.Get(
          path,
          [this](const httplib::Response& r) {
            std::lock_guard<std::mutex> lock(mu_);
            status_ = r.status;
            content_type_ = r.get_header_value("Content-Type");
            return true;
          },
          [this](const char* data, size_t n) {
            {
              std::lock_guard<std::mutex> lock(mu_);
              text_.append(data, n);
            }
            cv_.notify_all();
            return !stop_;
          });
      std::lock_guard<std::mutex> lock(mu_);
      finished_ = true;
      if (res && status_ == 0) status_ = res->status;
      cv_.notify_all();
    });
  }
  ~Stream() {
    stop_ = true;
    reader_.join();
  }

  // Waits until `pred(text)` holds or the connection ends; returns pred's value.
  template <class Pred>
  bool wait_for(Pred pred) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return pred(text_) || finished_; });
    return pred(text_);
  }
  int status() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }
  std::string content_type() {
    std::lock_guard<std::mutex> lock(mu_);
    return content_type_;
  }
  // Why the events received so far break the OpenAPI document, or "".
  std::string contract_violations() {
    std::lock_guard<std::mutex> lock(mu_);
    return contract::check_event_stream(path_, text_);
  }

 private:
  httplib::Client client_;
  std::string path_;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string text_, content_type_;
  int status_ = 0;
  bool finished_ = false;
  std::atomic<bool> stop_{false};
};

inline size_t occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// The data of the last complete "event: state" in the stream.
inline nlohmann::json last_state(const std::string& text) {
  const std::string mark = "event: state\ndata: ";
  const size_t at = text.rfind(mark);
  if (at == std::string::npos) return nullptr;
  const size_t end = text.find("\n\n", at);
  if (end == std::string::npos) return nullptr;
  return nlohmann::json::parse(text.substr(at + mark.size(), end - at - mark.size()));
}


}  // namespace rapporteur::testing
