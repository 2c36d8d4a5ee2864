// Reissued tokens cannot be turned against a voter: the attack (the
// secretariat reissues a participant's token during an open poll and votes
// as them) performed against the real server, and the traces a reissue
// leaves: the hash-chained event log and the live state that every page and
// the projector read without a token, where the person can see it.
#include <catch2/catch.hpp>

#include "rapporteur/crypto.h"
#include "rehearsal.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

std::string reissue_path(const TestServer& s, const std::string& name) {
  return s.path("/people/" + std::to_string(s.person_id(name)) + "/token");
}

int64_t events(const TestServer& s) { return count(s, "SELECT COUNT(*) FROM events"); }

int64_t open_a_poll(Rehearsal& r) {
  const auto a = r.amend("Participant 1", r.rec("R1"), "replace", "- Amended.");
  r.admit(a["id"]);
  return r.open_poll({{"amendment", a["id"]}});
}

}  // namespace

TEST_CASE("tokens: the secretariat may not reissue a voter's token and vote as them", "[tokens][http]") {
  Rehearsal r;
  const int64_t poll = open_a_poll(r);
  const int64_t before = events(r.s);
  auto taken = r.s.post(reissue_path(r.s, "Participant 3"), nlohmann::json::object(), r.moderator);
  CHECK(taken.status == 403);
  CHECK(code(taken) == "forbidden");
  CHECK(taken.body.find("\"token\"") == std::string::npos);
  CHECK(events(r.s) == before);
  // The participant still votes with their own token.
  CHECK(r.vote(poll, "Participant 3", "no").status == 200);
  // Outside a poll too: the secretariat never reissues.
  r.close(poll);
  CHECK(r.s.post(reissue_path(r.s, "Participant 3"), nlohmann::json::object(), r.moderator).status == 403);
  CHECK(r.s.get("/api/v1/me", r.s.token("Participant 3")).status == 200);
}

TEST_CASE("tokens: no one reissues an eligible voter's token while the poll is open", "[tokens][http]") {
  Rehearsal r;
  const int64_t poll = open_a_poll(r);
  const int64_t before = events(r.s);
  for (const std::string& who : {r.president, std::string(kAdminToken)}) {
    auto refused = r.s.post(reissue_path(r.s, "Participant 4"), nlohmann::json::object(), who);
    CHECK(refused.status == 409);
    CHECK(code(refused) == "conflict");
    CHECK_THAT(refused.json()["error"]["message"].get<std::string>(),
               Catch::Contains("poll " + std::to_string(poll)) && Catch::Contains("open"));
  }
  CHECK(events(r.s) == before);
  // The voter was not locked out and votes.
  CHECK(r.vote(poll, "Participant 4", "yes").status == 200);
  // Someone who may not vote in it (the observer) can be given a new link.
  CHECK(r.s.post(reissue_path(r.s, "Observer"), nlohmann::json::object(), r.president).status == 200);
  // Once the poll is closed the voter's link can be replaced.
  r.close(poll);
  auto after = r.s.post(reissue_path(r.s, "Participant 4"), nlohmann::json::object(), r.president);
  CHECK(after.status == 200);
  CHECK(r.s.get("/api/v1/me", r.s.token("Participant 4")).status == 401);
}

TEST_CASE("tokens: a reissue is in the public log (without the token) and in the live state", "[tokens][http]") {
  Rehearsal r(false);
  const std::string old_token = r.s.token("Participant 5");
  const int64_t pid = r.s.person_id("Participant 5");
  auto reissued = r.s.post(reissue_path(r.s, "Participant 5"), nlohmann::json::object(), r.president);
  REQUIRE(reissued.status == 200);
  const std::string new_token = reissued.json()["token"];

  // The event log, as the secretariat reads it.
  auto log = r.s.get(r.s.path("/log"), r.moderator);
  REQUIRE(log.status == 200);
  bool logged = false;
  for (const auto& e : log.json()) {
    if (e["type"] == "token_reissued" && e["data"]["person"] == pid) {
      logged = true;
      CHECK(e["actor"] == "person:" + std::to_string(r.s.person_id("President of the session")));
    }
  }
  CHECK(logged);
  CHECK(log.body.find(new_token) == std::string::npos);
  CHECK(log.body.find(old_token) == std::string::npos);

  // The chain still verifies for anyone, and no event holds the token or its hash.
  CHECK(r.s.get(r.s.path("/log/verify")).json()["ok"] == true);
  for (const std::string& t : {new_token, old_token, sha256_hex(new_token), sha256_hex(old_token)}) {
    CHECK(count(r.s, "SELECT COUNT(*) FROM events WHERE data LIKE '%" + t + "%'") == 0);
  }

  // The live state every page and the projector poll, without a token.
  auto live = r.s.get(r.s.path("/live"));
  REQUIRE(live.status == 200);
  const auto reissues = live.json()["token_reissues"];
  REQUIRE(reissues.size() == 1);
  CHECK(reissues[0]["person"] == pid);
  CHECK(reissues[0]["at"] == "2022-05-19T12:20:00+03:00");
  CHECK(live.body.find(new_token) == std::string::npos);

  // The administrator may reissue too, and that is listed as well.
  REQUIRE(r.s.post(reissue_path(r.s, "Participant 6"), nlohmann::json::object(), kAdminToken).status == 200);
  const auto again = r.s.get(r.s.path("/live")).json()["token_reissues"];
  REQUIRE(again.size() == 2);
  CHECK(again[1]["person"] == r.s.person_id("Participant 6"));
  CHECK(again[1]["by"] == "admin");
}
