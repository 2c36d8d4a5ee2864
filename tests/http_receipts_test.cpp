// The public receipt check, attacked: it must tell a voter that their ballot
// was counted, and tell nobody else more than the published JSON export.
#include <catch2/catch.hpp>

#include <set>

#include "rehearsal.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

Response check(Rehearsal& r, const std::string& receipt, const std::string& token = "") {
  return r.s.get(r.s.path("/receipts/" + receipt), token);
}

// A poll on a fresh admitted amendment to R2 (a delete), opened.
int64_t poll_on_r2(Rehearsal& r, bool secret) {
  auto a = r.amend("Participant 6", r.rec("R2"), "delete");
  r.admit(a["id"]);
  return r.open_poll({{"amendment", a["id"]}}, {{"secret", secret}});
}

std::string receipt_of(const Response& ballot) {
  REQUIRE(ballot.status == 200);
  return ballot.json()["receipt"];
}

// Every member name of a JSON value, at any depth.
void keys_of(const nlohmann::json& j, std::set<std::string>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      out.insert(it.key());
      keys_of(it.value(), out);
    }
  } else if (j.is_array()) {
    for (const auto& x : j) keys_of(x, out);
  }
}

}  // namespace

TEST_CASE("receipts: a secret ballot checks out after the close, without its choice or its voter", "[http][receipts]") {
  Rehearsal r;
  const int64_t id = poll_on_r2(r, true);
  const std::string mine = receipt_of(r.vote(id, participant(1), "no"));
  for (int i = 2; i <= 4; ++i) receipt_of(r.vote(id, participant(i), "yes"));
  r.close(id);

  // Anyone, without a token, and the voter with theirs, get the same answer.
  auto anon = check(r, mine);
  REQUIRE(anon.status == 200);
  CHECK(anon.json() == check(r, mine, r.s.token(participant(1))).json());
  CHECK(anon.header("Cache-Control") == "no-store");
  const nlohmann::json j = anon.json();
  CHECK(j["counted"] == true);
  CHECK(j["receipt"] == mine);
  CHECK(j["poll"]["id"] == id);
  CHECK(j["poll"]["secret"] == true);
  CHECK(j["poll"]["result"]["outcome"] == "adopted");
  CHECK(j["poll"]["result"]["cast"] == 4);
  // Nothing names the ballot's choice or a person.
  std::set<std::string> keys;
  keys_of(j, keys);
  CHECK_FALSE(keys.count("choice"));
  CHECK_FALSE(keys.count("person"));
  CHECK_FALSE(keys.count("name"));
  CHECK_FALSE(keys.count("ballots"));
  CHECK_FALSE(keys.count("receipts"));
  // The answer is the same for a "yes" receipt: only the receipt differs.
  auto others = r.s.get(r.s.path("/export?format=json")).json();
  for (const auto& p : others["polls"]) {
    if (p["id"] != id) continue;
    for (const auto& rc : p["receipts"]) {
      auto other = check(r, rc.get<std::string>());
      REQUIRE(other.status == 200);
      nlohmann::json a = other.json(), b = j;
      a.erase("receipt");
      b.erase("receipt");
      CHECK(a == b);
    }
  }
}

TEST_CASE("receipts: while a poll is open its receipts answer exactly like made-up ones", "[http][receipts]") {
  Rehearsal r;
  const int64_t named = poll_on_r2(r, false);
  const std::string named_receipt = receipt_of(r.vote(named, participant(1), "no"));
  const std::string made_up = "AAAAAAAAAAAAAAAAAAAAAA";
  auto unknown = check(r, made_up);
  REQUIRE(unknown.status == 404);
  CHECK(code(unknown) == "not_found");
  // A coercer holding the voter's receipt cannot watch whether it is still
  // the counted ballot: the same status and the same words as a made-up one.
  auto open_named = check(r, named_receipt);
  CHECK(open_named.status == 404);
  CHECK(open_named.body == unknown.body);
  r.close(named);
  CHECK(check(r, named_receipt).status == 200);

  const int64_t secret = poll_on_r2(r, true);
  const std::string secret_receipt = receipt_of(r.vote(secret, participant(2), "no"));
  auto open_secret = check(r, secret_receipt);
  CHECK(open_secret.status == 404);
  CHECK(open_secret.body == unknown.body);
  r.close(secret);
  CHECK(check(r, secret_receipt).status == 200);
}

TEST_CASE("receipts: a named ballot shows its choice (already public by name) but never the voter", "[http][receipts]") {
  Rehearsal r;
  const int64_t id = poll_on_r2(r, false);
  const std::string first = receipt_of(r.vote(id, participant(1), "yes"));
  // The voter changes their mind: the first receipt dies with the first ballot.
  const std::string second = receipt_of(r.vote(id, participant(1), "abstain"));
  CHECK(first != second);
  r.close(id);
  CHECK(check(r, first).status == 404);
  auto j = check(r, second).json();
  CHECK(j["counted"] == true);
  CHECK(j["choice"] == "abstain");
  CHECK(j["poll"]["secret"] == false);
  std::set<std::string> keys;
  keys_of(j, keys);
  CHECK_FALSE(keys.count("person"));
  CHECK_FALSE(keys.count("name"));
  CHECK_FALSE(keys.count("ballots"));
}

TEST_CASE("receipts: a replaced secret ballot's old receipt is not counted, the new one is", "[http][receipts]") {
  Rehearsal r;
  const int64_t id = poll_on_r2(r, true);
  auto first = r.vote(id, participant(1), "yes");
  const std::string old_receipt = receipt_of(first);
  auto changed = r.s.post(r.s.path("/polls/" + std::to_string(id) + "/ballots"),
                          {{"choice", "no"}, {"change_code", first.json()["change_code"]}}, r.s.token(participant(1)));
  const std::string new_receipt = receipt_of(changed);
  r.close(id);
  CHECK(check(r, old_receipt).status == 404);
  CHECK(check(r, new_receipt).status == 200);
}

TEST_CASE("receipts: malformed receipts get 422, near misses and wildcards are simply not found", "[http][receipts]") {
  Rehearsal r;
  const int64_t id = poll_on_r2(r, false);
  const std::string good = receipt_of(r.vote(id, participant(1), "yes"));
  r.close(id);
  REQUIRE(good.size() == 22);
  REQUIRE(check(r, good).status == 200);

  for (const std::string& bad : {good.substr(0, 21), good + "A", good.substr(0, 8), std::string(200, 'A'),
                                good.substr(0, 21) + "%25", good.substr(0, 21) + "*", good.substr(0, 20) + "%C3%A9",
                                std::string("%20") + good.substr(1), good.substr(0, 21) + "."}) {
    INFO(bad);
    auto a = check(r, bad);
    CHECK(a.status == 422);
    if (a.status == 422) {
      CHECK(code(a) == "validation_failed");
      CHECK(a.json()["error"]["field"] == "receipt");
    }
  }
  // Right shape, wrong value: exact comparison only, no pattern, no case folding.
  std::string flipped = good;
  for (char& c : flipped) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (flipped != good) CHECK(check(r, flipped).status == 404);
  CHECK(check(r, std::string(22, '_')).status == 404);  // "_" is LIKE's wildcard
  CHECK(check(r, std::string(22, '-')).status == 404);
  std::string last = good;
  last.back() = last.back() == 'A' ? 'Q' : 'A';
  CHECK(check(r, last).status == 404);
  // Another session does not know this session's receipts; an unknown session is 404.
  auto other = kisumu_spec();
  other["id"] = "another-session";
  REQUIRE(r.s.post("/api/v1/sessions", other, kAdminToken).status == 201);
  auto elsewhere = r.s.get("/api/v1/sessions/another-session/receipts/" + good);
  CHECK(elsewhere.status == 404);
  CHECK(r.s.get("/api/v1/sessions/no-such-session/receipts/" + good).status == 404);
  // Nothing was written by any of these checks.
  CHECK(count(r.s, "SELECT COUNT(*) FROM events WHERE type LIKE '%receipt%'") == 0);
}
