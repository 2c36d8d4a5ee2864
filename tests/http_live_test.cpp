// The room's live views over the real HTTP server: GET /live with ETag and
// 304, and GET /stream as server-sent events woken by every commit.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "contract/answers.h"
#include "rehearsal.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

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

size_t occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// The data of the last complete "event: state" in the stream.
nlohmann::json last_state(const std::string& text) {
  const std::string mark = "event: state\ndata: ";
  const size_t at = text.rfind(mark);
  if (at == std::string::npos) return nullptr;
  const size_t end = text.find("\n\n", at);
  if (end == std::string::npos) return nullptr;
  return nlohmann::json::parse(text.substr(at + mark.size(), end - at - mark.size()));
}

}  // namespace

TEST_CASE("the stream sends the state, every change, and heartbeats when idle", "[http][live][stream]") {
  Rehearsal r;
  Stream stream(r.s.port(), r.s.path("/stream"));
  REQUIRE(stream.wait_for([](const std::string& t) { return occurrences(t, "event: state") >= 1; }));
  CHECK(stream.status() == 200);
  CHECK(stream.content_type().find("text/event-stream") == 0);
  nlohmann::json seen;
  REQUIRE(stream.wait_for([&](const std::string& t) { return (seen = last_state(t)).is_object(); }));
  CHECK(seen["phase"] == "amending");
  CHECK(seen["open_poll"].is_null());

  // A poll opened by the president reaches the stream without any request
  // from its reader.
  auto a = r.amend("Participant 1", r.rec("R1"), "delete");
  r.admit(a["id"]);
  const int64_t poll = r.open_poll({{"amendment", a["id"]}});
  REQUIRE(stream.wait_for([&](const std::string& t) {
    seen = last_state(t);
    return seen.is_object() && seen["open_poll"].is_object();
  }));
  CHECK(seen["open_poll"]["id"] == poll);
  CHECK(seen["phase"] == "amending");
  // The stream and GET /live agree.
  CHECK(r.s.get(r.s.path("/live")).json()["open_poll"]["id"] == poll);

  // Ballots move the tally on the stream.
  REQUIRE(r.vote(poll, participant(1), "yes").status == 200);
  REQUIRE(stream.wait_for([&](const std::string& t) {
    seen = last_state(t);
    return seen.is_object() && seen["open_poll"].is_object() && seen["open_poll"]["counts"].value("yes", 0) == 1;
  }));

  // Idle: heartbeat comments keep proxies from closing the connection.
  REQUIRE(stream.wait_for([](const std::string& t) { return t.find(": heartbeat\n\n") != std::string::npos; }));

  r.close(poll);
  REQUIRE(stream.wait_for([&](const std::string& t) {
    seen = last_state(t);
    return seen.is_object() && seen["open_poll"].is_null() && seen["last_poll"].is_object();
  }));
  CHECK(seen["last_poll"]["result"]["outcome"].is_string());
  CHECK(stream.contract_violations() == "");
}

TEST_CASE("the stream of an unknown session is 404", "[http][live][stream]") {
  TestServer s;
  auto res = s.get("/api/v1/sessions/no-such-session/stream");
  CHECK(res.status == 404);
  CHECK(res.json()["error"]["code"] == "not_found");
}

TEST_CASE("live follows the phase and the drafts", "[http][live]") {
  Rehearsal r(false);
  auto live = r.s.get(r.s.path("/live"));
  REQUIRE(live.status == 200);
  CHECK(live.json()["phase"] == "drafting");
  CHECK(live.json()["current_draft"] == 1);
  CHECK(live.json()["final"].is_null());
  const std::string etag = live.header("ETag");
  REQUIRE(r.s.post(r.s.path("/phase"), {{"phase", "amending"}}, r.president).status == 200);
  auto after = r.s.get(r.s.path("/live"), "", {{"If-None-Match", etag}});
  REQUIRE(after.status == 200);
  CHECK(after.json()["phase"] == "amending");
  CHECK(after.header("ETag") != etag);
}
