// The terms a poll is created with, over the real HTTP server: the slot
// guard checked at creation, cancelling a poll that never opened, a duration
// that sets the closing time at the opening (the server closes the poll by
// itself and the close reaches the event stream), and results hidden from
// every endpoint until the close.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <functional>

#include "contract/answers.h"
#include "rehearsal.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

// 2022-05-19 Africa/Nairobi (+03:00): the adoption slot, 12:15 to 12:30.
constexpr int64_t kSlotStart = 1652951700000;
constexpr int64_t kSlotEnd = kSlotStart + 15 * 60 * 1000;

std::string poll_path(int64_t id, const std::string& rest = "") { return "/polls/" + std::to_string(id) + rest; }

int64_t admitted_amendment(Rehearsal& r, const std::string& who, const std::string& number) {
  auto a = r.amend(who, r.rec(number), "delete");
  r.admit(a["id"]);
  return a["id"];
}

// Reads GET `path` as server-sent events and hands every complete state to
// `on_state` until it returns false (or the read times out after 10 s).
// Every event read is checked against the OpenAPI document.
void read_states(TestServer& s, const std::string& path, const std::function<bool(const nlohmann::json&)>& on_state) {
  httplib::Client client("127.0.0.1", s.port());
  client.set_read_timeout(10, 0);
  std::string text;
  std::string all;
  const std::string mark = "event: state\ndata: ";
  client.Get(path, [&](const char* data, size_t n) {
    all.append(data, n);
    text.append(data, n);
    for (;;) {
      const size_t at = text.find(mark);
      if (at == std::string::npos) return true;
      const size_t end = text.find("\n\n", at);
      if (end == std::string::npos) return true;
      auto state = nlohmann::json::parse(text.substr(at + mark.size(), end - at - mark.size()));
      text.erase(0, end + 2);
      if (!on_state(state)) return false;
    }
  });
  CHECK(contract::check_event_stream(path, all) == "");
}

std::vector<nlohmann::json> events_of(Rehearsal& r, const std::string& type) {
  std::vector<nlohmann::json> out;
  for (const auto& e : r.s.get(r.s.path("/log"), r.moderator).json()) {
    if (e["type"] == type) out.push_back(e);
  }
  return out;
}

}  // namespace

TEST_CASE("the slot guard is checked when a poll is created", "[http][votes][slot]") {
  Rehearsal r;
  const int64_t a1 = admitted_amendment(r, "Participant 1", "R1");
  const int64_t a2 = admitted_amendment(r, "Participant 2", "R2");
  auto create = [&](int64_t aid, nlohmann::json extra = nlohmann::json::object()) {
    extra["subject"] = {{"amendment", aid}};
    return r.s.post(r.s.path("/polls"), extra, r.president);
  };
  auto open = [&](int64_t id) { return r.s.post(r.s.path(poll_path(id, "/open")), nlohmann::json::object(), r.president); };

  // Before the slot starts a poll may be prepared; it opens once the slot has started.
  r.s.clock().set_ms(kSlotStart - 10 * 60 * 1000);  // 12:05
  auto early = create(a1);
  REQUIRE(early.status == 201);
  const int64_t id = early.json()["id"];
  auto refused = open(id);
  CHECK(refused.status == 409);
  CHECK(code(refused) == "outside_slot");
  CHECK(refused.json()["error"]["message"].get<std::string>().find("once the slot starts") != std::string::npos);
  r.s.clock().set_ms(kSlotStart + 1000);
  REQUIRE(open(id).status == 200);
  r.close(id);

  // After the slot has ended, a poll without the override is refused at once
  // and nothing is stored: it could never be opened.
  r.s.clock().set_ms(kSlotEnd);
  const int64_t before = count(r.s, "SELECT COUNT(*) FROM polls");
  auto late = create(a2);
  CHECK(late.status == 409);
  CHECK(code(late) == "outside_slot");
  CHECK(late.json()["error"]["message"].get<std::string>().find("has ended") != std::string::npos);
  CHECK(count(r.s, "SELECT COUNT(*) FROM polls") == before);
  // With the override and a reason it is created and opens.
  auto overridden = create(a2, {{"override_slot", true}, {"reason", "the session runs late"}});
  REQUIRE(overridden.status == 201);
  CHECK(open(overridden.json()["id"]).status == 200);
}

TEST_CASE("a poll that was never opened can be cancelled; it never opens and leaves the exports", "[http][votes][slot]") {
  Rehearsal r;
  const int64_t a1 = admitted_amendment(r, "Participant 1", "R1");
  auto created = r.s.post(r.s.path("/polls"), {{"subject", {{"amendment", a1}}}}, r.president);
  REQUIRE(created.status == 201);
  const int64_t id = created.json()["id"];
  // The slot ends before it is opened: it can no longer open.
  r.s.clock().set_ms(kSlotEnd + 60'000);
  auto refused = r.s.post(r.s.path(poll_path(id, "/open")), nlohmann::json::object(), r.president);
  CHECK(code(refused) == "outside_slot");
  CHECK(refused.json()["error"]["message"].get<std::string>().find("cancel this poll") != std::string::npos);

  // Only the president cancels.
  CHECK(r.s.post(r.s.path(poll_path(id, "/cancel")), nlohmann::json::object(), r.moderator).status == 403);
  auto cancelled = r.s.post(r.s.path(poll_path(id, "/cancel")), nlohmann::json::object(), r.president);
  REQUIRE(cancelled.status == 200);
  CHECK(cancelled.json()["state"] == "cancelled");
  CHECK(cancelled.json()["cancelled_at"].is_string());
  CHECK(r.s.get(r.s.path(poll_path(id)), r.moderator).json()["state"] == "cancelled");
  // It never opens, and is not cancelled twice.
  CHECK(code(r.s.post(r.s.path(poll_path(id, "/open")), nlohmann::json::object(), r.president)) == "conflict");
  CHECK(code(r.s.post(r.s.path(poll_path(id, "/cancel")), nlohmann::json::object(), r.president)) == "conflict");
  auto log = events_of(r, "poll_cancelled");
  REQUIRE(log.size() == 1);
  CHECK(log[0]["data"]["poll"] == id);
  CHECK(log[0]["actor"].get<std::string>().find("person:") == 0);

  // The exports' annexes and the voting record leave it out.
  auto json = r.s.get(r.s.path("/export?format=json"), r.moderator);
  REQUIRE(json.status == 200);
  CHECK(json.json()["polls"].empty());
  auto csv = r.s.get(r.s.path("/export?format=csv"), r.moderator);
  REQUIRE(csv.status == 200);
  CHECK(csv.body.find("pending") == std::string::npos);
  CHECK(csv.body.find("cancelled") == std::string::npos);
  auto md = r.s.get(r.s.path("/export?format=md"), r.moderator);
  REQUIRE(md.status == 200);
  CHECK(md.body.find("pending") == std::string::npos);

  // An open poll is closed, not cancelled.
  const int64_t a2 = admitted_amendment(r, "Participant 2", "R2");
  auto second = r.s.post(r.s.path("/polls"), {{"subject", {{"amendment", a2}}}, {"override_slot", true}, {"reason", "late"}},
                         r.president);
  REQUIRE(second.status == 201);
  const int64_t open_id = second.json()["id"];
  REQUIRE(r.s.post(r.s.path(poll_path(open_id, "/open")), nlohmann::json::object(), r.president).status == 200);
  CHECK(code(r.s.post(r.s.path(poll_path(open_id, "/cancel")), nlohmann::json::object(), r.president)) == "conflict");
  CHECK(r.s.get(r.s.path(poll_path(open_id)), r.moderator).json()["state"] == "open");
}

TEST_CASE("a poll's duration sets its closing time when it opens; the server closes it and the stream hears it",
          "[http][votes][duration]") {
  Rehearsal r;
  const int64_t a1 = admitted_amendment(r, "Participant 1", "R1");
  auto post = [&](const nlohmann::json& body) { return r.s.post(r.s.path("/polls"), body, r.president); };
  const nlohmann::json subject = {{"amendment", a1}};
  // Bad durations are refused, naming the rule, and nothing is stored.
  CHECK(code(post({{"subject", subject}, {"duration_seconds", 0}})) == "validation_failed");
  CHECK(code(post({{"subject", subject}, {"duration_seconds", 86401}})) == "validation_failed");
  CHECK(post({{"subject", subject}, {"duration_seconds", "2 minutes"}}).status / 100 == 4);
  auto both = post({{"subject", subject}, {"duration_seconds", 60}, {"closes_at", "2022-05-19T12:25:00+03:00"}});
  CHECK(code(both) == "validation_failed");
  CHECK(both.json()["error"]["field"] == "duration_seconds");
  CHECK(count(r.s, "SELECT COUNT(*) FROM polls") == 0);

  auto created = post({{"subject", subject}, {"duration_seconds", 60}});
  REQUIRE(created.status == 201);
  CHECK(created.json()["duration_seconds"] == 60);
  CHECK(created.json()["closes_at"].is_null());
  const int64_t id = created.json()["id"];
  auto opened = r.s.post(r.s.path(poll_path(id, "/open")), nlohmann::json::object(), r.president);
  REQUIRE(opened.status == 200);
  CHECK(opened.json()["opened_at"] == "2022-05-19T12:20:00+03:00");
  CHECK(opened.json()["closes_at"] == "2022-05-19T12:21:00+03:00");
  REQUIRE(r.vote(id, participant(1), "yes").status == 200);

  // The stream is open when the time runs out; no request is made: the
  // server's own ticker closes the poll and the stream carries the result.
  bool moved = false;
  nlohmann::json closed;
  read_states(r.s, r.s.path("/stream"), [&](const nlohmann::json& state) {
    if (!moved) {
      CHECK(state["open_poll"]["id"] == id);
      r.s.clock().set_ms(kKisumuAdoptionMs + 60'000);  // 12:21:00, its closing time
      moved = true;
      return true;
    }
    if (state["open_poll"].is_null() && state["last_poll"].is_object() && state["last_poll"]["id"] == id) {
      closed = state["last_poll"];
      return false;
    }
    return true;
  });
  REQUIRE(closed.is_object());
  CHECK(closed["state"] == "closed");
  CHECK(closed["closed_at"] == "2022-05-19T12:21:00+03:00");
  CHECK(closed["result"]["outcome"] == "adopted");

  // closes_at given at creation works as before; the stored terms stay fixed.
  const int64_t a2 = admitted_amendment(r, "Participant 2", "R2");
  auto fixed = post({{"subject", {{"amendment", a2}}}, {"closes_at", "2022-05-19T12:25:00+03:00"}});
  REQUIRE(fixed.status == 201);
  CHECK(fixed.json()["closes_at"] == "2022-05-19T12:25:00+03:00");
  CHECK(fixed.json()["duration_seconds"].is_null());
  const std::string pending = std::to_string(fixed.json()["id"].get<int64_t>());
  CHECK_THROWS(r.s.db().exec("UPDATE polls SET duration_seconds = 5 WHERE id = " + pending));
  CHECK_THROWS(r.s.db().exec("UPDATE polls SET hide_results = true WHERE id = " + pending));
  CHECK_THROWS(r.s.db().exec("UPDATE polls SET closes_at = closes_at + 1 WHERE id = " + pending));
  CHECK_NOTHROW(r.s.db().exec("UPDATE polls SET hands_yes = NULL WHERE id = " + pending));  // the guard is not all-refusing
}

TEST_CASE("hide_results: defaults, and the rules it must keep", "[http][votes][hidden]") {
  Rehearsal r;
  const int64_t a1 = admitted_amendment(r, "Participant 1", "R1");
  auto post = [&](nlohmann::json body) {
    body["subject"] = {{"amendment", a1}};
    return r.s.post(r.s.path("/polls"), body, r.president);
  };
  CHECK(code(post({{"secret", true}, {"hide_results", false}})) == "validation_failed");
  CHECK(code(post({{"method", "show_of_hands"}, {"hide_results", true}})) == "validation_failed");
  CHECK(code(post({{"hide_results", "yes"}})) == "bad_request");  // a wrong type
  CHECK(count(r.s, "SELECT COUNT(*) FROM polls") == 0);
  auto secret = post({{"secret", true}});
  REQUIRE(secret.status == 201);
  CHECK(secret.json()["hide_results"] == true);
  auto named = post(nlohmann::json::object());
  REQUIRE(named.status == 201);
  CHECK(named.json()["hide_results"] == false);
}

TEST_CASE("a poll with hidden results shows no count anywhere before the close, to anyone", "[http][votes][hidden]") {
  Rehearsal r;
  const int64_t a1 = admitted_amendment(r, "Participant 1", "R1");
  const int64_t id = r.open_poll({{"amendment", a1}}, {{"hide_results", true}});
  REQUIRE(r.vote(id, participant(1), "yes").status == 200);
  REQUIRE(r.vote(id, participant(2), "yes").status == 200);
  REQUIRE(r.vote(id, participant(3), "no").status == 200);
  const nlohmann::json only_cast = {{"cast", 3}};

  // The poll and the list, for every role (the president included).
  for (const std::string& token : {r.president, r.moderator, r.s.token("Participant 4"), r.s.token("Rapporteur, Breakout 1")}) {
    auto one = r.s.get(r.s.path(poll_path(id)), token);
    REQUIRE(one.status == 200);
    CHECK(one.json()["counts"] == only_cast);
    CHECK(one.json()["result"].is_null());
    CHECK_FALSE(one.json().contains("ballots"));
    auto list = r.s.get(r.s.path("/polls"), token);
    REQUIRE(list.status == 200);
    CHECK(list.json()[0]["counts"] == only_cast);
  }
  // The live state, with and without a token, and the event stream.
  for (const std::string& token : {std::string(), r.president}) {
    auto live = r.s.get(r.s.path("/live"), token);
    REQUIRE(live.status == 200);
    CHECK(live.json()["open_poll"]["counts"] == only_cast);
  }
  nlohmann::json streamed;
  read_states(r.s, r.s.path("/stream"), [&](const nlohmann::json& state) {
    streamed = state;
    return false;
  });
  CHECK(streamed["open_poll"]["counts"] == only_cast);
  // The exports: no tally for the open poll.
  auto json = r.s.get(r.s.path("/export?format=json"), r.president);
  REQUIRE(json.status == 200);
  CHECK(json.json()["polls"][0]["counts"].is_null());
  auto csv = r.s.get(r.s.path("/export?format=csv"), r.president);
  REQUIRE(csv.status == 200);
  CHECK(csv.body.find(",2,1,0,") == std::string::npos);
  CHECK(csv.body.find("yes\n") == std::string::npos);
  // The log: no choice while the poll is open.
  auto cast = events_of(r, "ballot_cast");
  REQUIRE(cast.size() == 3);
  for (const auto& e : cast) CHECK_FALSE(e["data"].contains("choice"));

  // After the close: the result, as for any poll, and the choices in the log.
  auto closed = r.close(id);
  CHECK(closed["result"]["yes"] == 2);
  CHECK(closed["result"]["no"] == 1);
  CHECK(closed["counts"]["yes"] == 2);
  CHECK(r.s.get(r.s.path("/live"), "").json()["last_poll"]["result"]["yes"] == 2);
  auto done = events_of(r, "poll_closed");
  REQUIRE(done.size() == 1);
  CHECK(done[0]["data"]["ballots"].size() == 3);
  CHECK(r.s.get(r.s.path("/log/verify"), "").json()["ok"] == true);
}

TEST_CASE("a named poll without hide_results keeps its running tally", "[http][votes][hidden]") {
  Rehearsal r;
  const int64_t a1 = admitted_amendment(r, "Participant 1", "R1");
  const int64_t id = r.open_poll({{"amendment", a1}});
  REQUIRE(r.vote(id, participant(1), "yes").status == 200);
  auto one = r.s.get(r.s.path(poll_path(id)), r.president).json();
  CHECK(one["hide_results"] == false);
  CHECK(one["counts"]["yes"] == 1);
  auto cast = events_of(r, "ballot_cast");
  REQUIRE(cast.size() == 1);
  CHECK(cast[0]["data"]["choice"] == "yes");
}
