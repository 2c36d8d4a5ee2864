// The room's live views over the real HTTP server: GET /live with ETag and
// 304, and GET /stream as server-sent events woken by every commit.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "contract/answers.h"
#include "rehearsal.h"
#include "sse_client.h"

using namespace rapporteur;
using namespace rapporteur::testing;

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
