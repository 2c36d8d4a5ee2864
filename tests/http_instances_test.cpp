// Two server processes' worth of the service on one PostgreSQL database, as
// behind nginx in the three-machine layout: each is an App with its own
// store, caches and live hub, in this process. What one instance commits
// must reach the other's views (GET /live, GET /stream) within a second,
// told by the database's commit notifications, not by a poll of it.
//
// Runs only in the PostgreSQL run of the suite ([postgres]).
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "rehearsal.h"
#include "sse_client.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

using SteadyClock = std::chrono::steady_clock;

// Polls `check` every 20 ms for up to `limit`; the time it took, or -1.
template <typename Check>
double seconds_until(Check check, std::chrono::milliseconds limit) {
  const auto start = SteadyClock::now();
  while (SteadyClock::now() - start < limit) {
    if (check()) return std::chrono::duration<double>(SteadyClock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

}  // namespace

TEST_CASE("instances: a ballot cast through one shows in the other's live view and stream within a second",
          "[postgres][instances][live]") {
  if (!on_postgres()) {
    not_applicable("a PostgreSQL test: it runs in the PostgreSQL run of the suite");
    return;
  }
  Rehearsal r;
  // The second instance: the same database, its own everything else.
  TestServer other(kKisumuAdoptionMs, [&](AppOptions& ao, ServerOptions&) { ao.db = r.s.db().options(); });
  const std::string live = r.s.path("/live");
  REQUIRE(other.get(live).status == 200);
  CHECK(other.get(live).json()["open_poll"].is_null());

  Stream stream(other.port(), r.s.path("/stream"));
  REQUIRE(stream.wait_for([](const std::string& t) { return last_state(t).is_object(); }));

  auto a = r.amend("Participant 1", r.rec("R1"), "delete");
  r.admit(a["id"]);
  const int64_t poll = r.open_poll({{"amendment", a["id"]}});
  const double opened = seconds_until(
      [&] { return other.get(live).json()["open_poll"].is_object(); }, std::chrono::milliseconds(1000));
  INFO("open poll seen by the other instance after " << opened << " s");
  CHECK(opened >= 0);

  // A participant's ballot through the first instance; their token works on
  // the other one too (people are read from the database).
  REQUIRE(r.vote(poll, participant(2), "yes").status == 200);
  const double counted = seconds_until(
      [&] {
        const auto j = other.get(live).json();
        return j["open_poll"].is_object() && j["open_poll"]["counts"].value("yes", 0) == 1;
      },
      std::chrono::milliseconds(1000));
  INFO("ballot seen in the other's /live after " << counted << " s");
  CHECK(counted >= 0);
  const auto streamed = SteadyClock::now();
  CHECK(stream.wait_for([&](const std::string& t) {
    const auto seen = last_state(t);
    return seen.is_object() && seen["open_poll"].is_object() && seen["open_poll"]["counts"].value("yes", 0) == 1;
  }));
  CHECK(SteadyClock::now() - streamed < std::chrono::seconds(1));

  // And the other way: a ballot through the second instance is counted by
  // the first, and the close through the first ends it on the second.
  REQUIRE(other.post(r.s.path("/polls/" + std::to_string(poll) + "/ballots"), {{"choice", "no"}},
                     r.s.token(participant(3)))
              .status == 200);
  CHECK(seconds_until(
            [&] {
              const auto j = r.s.get(live).json();
              return j["open_poll"].is_object() && j["open_poll"]["counts"].value("no", 0) == 1;
            },
            std::chrono::milliseconds(1000)) >= 0);
  r.close(poll);
  CHECK(stream.wait_for([&](const std::string& t) {
    const auto seen = last_state(t);
    return seen.is_object() && seen["open_poll"].is_null() && seen["last_poll"].is_object();
  }));
  CHECK(stream.contract_violations() == "");
}

TEST_CASE("instances: a token replaced through one stops working on the other within a second",
          "[postgres][instances][authz]") {
  if (!on_postgres()) {
    not_applicable("a PostgreSQL test: it runs in the PostgreSQL run of the suite");
    return;
  }
  TestServer one;
  one.create_kisumu();
  TestServer other(kKisumuAdoptionMs, [&](AppOptions& ao, ServerOptions&) { ao.db = one.db().options(); });
  const std::string old_token = one.token(participant(2));
  // The other instance knows the token, and keeps who it is (its token
  // cache). Twice: the first request marks the person present, a change to
  // people that makes the entry it cached stale; the second caches it anew.
  REQUIRE(other.get("/api/v1/me", old_token).status == 200);
  REQUIRE(other.get("/api/v1/me", old_token).status == 200);

  const auto replaced = one.post(one.path("/people/" + std::to_string(one.person_id(participant(2))) + "/token"),
                                 nlohmann::json::object(), one.token("President of the session"));
  REQUIRE(replaced.status == 200);
  const std::string new_token = replaced.json()["token"];
  const double refused = seconds_until([&] { return other.get("/api/v1/me", old_token).status == 401; },
                                       std::chrono::milliseconds(1000));
  INFO("old token refused by the other instance after " << refused << " s");
  CHECK(refused >= 0);
  CHECK(other.get("/api/v1/me", new_token).json()["person"]["name"] == participant(2));

  // A person added through one is known to the other at their first request
  // (an unknown token is always looked up in the database).
  const auto added = one.post(one.path("/people"), {{"name", "Late participant"}, {"roles", {"participant"}}},
                              one.token("Moderator"));
  REQUIRE(added.status == 201);
  CHECK(other.get("/api/v1/me", added.json()["token"].get<std::string>()).status == 200);
}
