// Drafts, amendments, polls, ballots and adoption over the real HTTP server.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <thread>

#include "rehearsal.h"

using namespace rapporteur;
using namespace rapporteur::testing;

TEST_CASE("merge numbers recommendations and amending needs a draft", "[http][votes]") {
  Rehearsal r(false);
  CHECK(r.draft["n"] == 1);
  CHECK(r.draft["sha256"].get<std::string>().size() == 64);
  int recs = 0;
  for (const auto& p : r.draft["paragraphs"]) recs += p["number"].is_string() ? 1 : 0;
  CHECK(recs == 5);
  CHECK(r.draft["paragraphs"][0]["pid"].is_string());
  auto current = r.s.get(r.s.path("/drafts/current")).json();
  CHECK(current["n"] == 1);
  CHECK(r.s.get(r.s.path("/drafts/final")).status == 404);
  CHECK(r.s.post(r.s.path("/phase"), {{"phase", "adopted"}}, r.president).status == 409);
  // Back to drafting, or a name that is no phase: the same refusal, naming what was sent.
  for (const std::string name : {"drafting", "Amending"}) {
    auto refused = r.s.post(r.s.path("/phase"), {{"phase", name}}, r.president);
    CHECK(refused.status == 422);
    CHECK(refused.json()["error"]["field"] == "phase");
    CHECK(refused.json()["error"]["message"] ==
          "phase: \"" + name + "\" is not a phase the session can move to (amending)");
  }
  CHECK(r.s.post(r.s.path("/phase"), {{"phase", "amending"}}, r.moderator).status == 403);
  CHECK(r.s.post(r.s.path("/phase"), {{"phase", "amending"}}, r.president).status == 200);
  // Fragments and editorial drafts stop with amending.
  CHECK(r.s.post(r.s.path("/drafts"), {{"base", 1}, {"edits", {{{"delete", r.rec("R1")}}}}}, r.moderator).status == 409);
}

TEST_CASE("editorial drafts keep pids and renumber", "[http][votes]") {
  Rehearsal r(false);
  const std::string r1 = r.rec("R1"), r2 = r.rec("R2");
  auto d = r.s.post(r.s.path("/drafts"), {{"base", 1}, {"edits", {{{"delete", r1}}, {{"replace", r2}, {"text", "- Fund migrant-led organisations directly."}}}}},
                    r.moderator);
  REQUIRE(d.status == 201);
  auto j = d.json();
  CHECK(j["n"] == 2);
  bool found = false;
  for (const auto& p : j["paragraphs"]) {
    CHECK(p["pid"] != r1);
    if (p["pid"] == r2) {
      found = true;
      CHECK(p["number"] == "R1");
    }
  }
  CHECK(found);
  // Stale base and unknown pid are refused, nothing stored.
  CHECK(r.s.post(r.s.path("/drafts"), {{"base", 1}, {"edits", {{{"delete", r2}}}}}, r.moderator).status == 409);
  CHECK(r.s.post(r.s.path("/drafts"), {{"base", 2}, {"edits", {{{"delete", "p9999"}}}}}, r.moderator).status == 422);
  CHECK(r.s.post(r.s.path("/drafts"), {{"base", 2}, {"edits", nlohmann::json::array()}}, r.moderator).status == 422);
  CHECK(r.s.post(r.s.path("/drafts"), {{"merge", true}}, r.s.token("Participant 1")).status == 403);
  CHECK(count(r.s, "SELECT COUNT(*) FROM drafts") == 2);
  auto diff = r.s.get(r.s.path("/drafts/1/diff?to=2"), r.moderator);
  REQUIRE(diff.status == 200);
  CHECK(diff.json()["paragraphs"].size() >= 2);
}

TEST_CASE("the full rehearsal: amendments, conflicts, polls, adoption, frozen", "[http][votes][rehearsal]") {
  Rehearsal r;
  const std::string r1 = r.rec("R1"), r2 = r.rec("R2"), r3 = r.rec("R3");
  auto a1 = r.amend("Participant 1", r1, "replace", "- Create a standing dialogue between intermediary cities, national ministries and migrant-led organisations.");
  auto a2 = r.amend("Participant 2", r1, "delete");
  auto a3 = r.amend("Participant 3", r3, "insert_after", "- Publish the shared data openly.");
  CHECK(a1["conflicts_with"].empty());  // nothing else targeted R1 when it was proposed
  CHECK(a2["conflicts_with"] == nlohmann::json::array({a1["id"]}));
  CHECK(a1["diff"]["html"].get<std::string>().find("<ins>") != std::string::npos);
  auto listed = r.s.get(r.s.path("/amendments"), r.s.token("Participant 4")).json();
  REQUIRE(listed.size() == 3);
  CHECK(listed[0]["conflicts_with"] == nlohmann::json::array({a2["id"]}));
  CHECK(listed[1]["conflicts_with"] == nlohmann::json::array({a1["id"]}));
  CHECK(listed[2]["conflicts_with"].empty());

  // Only the proposer withdraws, only the president decides.
  CHECK(r.s.post(r.s.path("/amendments/" + std::to_string(a2["id"].get<int64_t>()) + "/withdraw"), nlohmann::json::object(),
                 r.s.token("Participant 1")).status == 403);
  CHECK(r.s.post(r.s.path("/amendments/" + std::to_string(a1["id"].get<int64_t>()) + "/decision"), {{"decision", "admit"}},
                 r.moderator).status == 403);
  r.admit(a1["id"]);
  r.admit(a2["id"]);
  r.admit(a3["id"]);

  // Amendment 1 adopted by a named electronic vote.
  const int64_t p1 = r.open_poll({{"amendment", a1["id"]}});
  CHECK(r.s.post(r.s.path("/polls"), {{"subject", {{"amendment", a3["id"]}}}, {"method", "show_of_hands"}}, r.president).status == 201);
  CHECK(r.s.get(r.s.path("/live")).json()["open_poll"]["id"] == p1);
  std::map<std::string, std::string> receipts;  // by voter's name
  for (int i = 1; i <= 10; ++i) {
    auto v = r.vote(p1, participant(i), i <= 7 ? "yes" : "no");
    REQUIRE(v.status == 200);
    receipts[participant(i)] = v.json()["receipt"];
  }
  auto changed = r.vote(p1, participant(10), "yes");  // a changed vote replaces the first
  CHECK(changed.json()["replaced"] == true);
  receipts[participant(10)] = changed.json()["receipt"];
  auto closed = r.close(p1);
  CHECK(closed["result"]["outcome"] == "adopted");
  CHECK(closed["result"]["yes"] == 8);
  CHECK(closed["result"]["no"] == 2);
  REQUIRE(closed["ballots"].size() == 10);
  // Each voter finds their latest receipt, with their choice, in the published ballots.
  for (const auto& b : closed["ballots"]) {
    const std::string name = b["name"];
    CHECK(b["receipt"] == receipts.at(name));
    CHECK(b["choice"] == (name == participant(8) || name == participant(9) ? "no" : "yes"));
  }
  CHECK(r.vote(p1, participant(11), "yes").status == 409);  // after the close: refused
  CHECK(count(r.s, "SELECT COUNT(*) FROM ballots WHERE poll_id = " + std::to_string(p1)) == 10);

  // The adopted amendment made draft 2; the other one on its paragraph is outdated.
  auto d2 = r.s.get(r.s.path("/drafts/current")).json();
  CHECK(d2["n"] == 2);
  bool amended = false;
  for (const auto& p : d2["paragraphs"]) {
    if (p["pid"] == r1) {
      amended = p["markdown"].get<std::string>().find("migrant-led organisations") != std::string::npos;
      CHECK(p["source"]["amendment"] == a1["id"]);
    }
    if (p["pid"] == r2) CHECK(p["source"]["kind"] == "fragment");
  }
  CHECK(amended);
  CHECK(r.s.get(r.s.path("/amendments/" + std::to_string(a2["id"].get<int64_t>())), r.moderator).json()["status"] == "outdated");
  // Its proposer may propose again, against the new draft.
  auto again = r.s.post(r.s.path("/amendments"), {{"draft", 2}, {"target", r1}, {"kind", "delete"}, {"rationale", "still redundant"}},
                        r.s.token("Participant 2"));
  CHECK(again.status == 201);
  // Against the old draft: refused where the paragraph changed since, accepted where it did not.
  CHECK(code(r.s.post(r.s.path("/amendments"), {{"draft", 1}, {"target", r1}, {"kind", "delete"}}, r.s.token("Participant 2"))) ==
        "conflict");
  CHECK(r.s.post(r.s.path("/amendments"), {{"draft", 1}, {"target", r2}, {"kind", "delete"}}, r.s.token("Participant 2")).status == 201);
  CHECK(r.s.get(r.s.path("/amendments/" + std::to_string(a1["id"].get<int64_t>())), r.moderator).json()["status"] == "adopted");

  // Amendment 3 rejected by show of hands.
  auto polls = r.s.get(r.s.path("/polls"), r.moderator).json();
  const int64_t p3 = polls[1]["id"];
  REQUIRE(r.s.post(r.s.path("/polls/" + std::to_string(p3) + "/open"), nlohmann::json::object(), r.president).status == 200);
  CHECK(r.s.post(r.s.path("/polls/" + std::to_string(p3) + "/ballots"), {{"choice", "yes"}}, r.s.token("Participant 1")).status == 409);
  CHECK(r.s.post(r.s.path("/polls/" + std::to_string(p3) + "/count"), {{"yes", 5}, {"no", 20}, {"abstain", 1000}}, r.president).status == 422);
  CHECK(r.s.post(r.s.path("/polls/" + std::to_string(p3) + "/count"), {{"yes", -1}, {"no", 20}, {"abstain", 0}}, r.president).status == 422);
  REQUIRE(r.s.post(r.s.path("/polls/" + std::to_string(p3) + "/count"), {{"yes", 5}, {"no", 20}, {"abstain", 2}}, r.president).status == 200);
  CHECK(r.close(p3)["result"]["outcome"] == "rejected");

  // Adoption of draft 2 by 30 participants voting at once.
  const int64_t pa = r.open_poll({{"adoption", 2}}, {{"rule", "two_thirds"}, {"quorum", 20}});
  std::vector<std::thread> voters;
  std::atomic<int> ok{0};
  for (int i = 1; i <= 30; ++i) {
    voters.emplace_back([&, i] {
      if (r.vote(pa, participant(i), i <= 22 ? "yes" : (i <= 26 ? "no" : "abstain")).status == 200) ++ok;
    });
  }
  for (auto& t : voters) t.join();
  CHECK(ok == 30);
  auto adopted = r.close(pa);
  CHECK(adopted["result"] == nlohmann::json{{"outcome", "adopted"}, {"yes", 22}, {"no", 4}, {"abstain", 4}, {"cast", 30},
                                            {"eligible", adopted["result"]["eligible"]}});
  auto session = r.s.get(r.s.path("")).json();
  CHECK(session["phase"] == "adopted");
  auto final_text = r.s.get(r.s.path("/drafts/final")).json();
  CHECK(final_text["n"] == 2);
  CHECK(final_text["final"] == true);
  CHECK(r.s.get(r.s.path("/live")).json()["final"]["sha256"] == final_text["sha256"]);

  // Frozen: every write is refused.
  CHECK(code(r.s.post(r.s.path("/amendments"), {{"draft", 2}, {"target", r2}, {"kind", "delete"}}, r.s.token("Participant 5"))) == "conflict");
  CHECK(r.s.post(r.s.path("/polls"), {{"subject", {{"adoption", 2}}}}, r.president).status == 409);
  CHECK(r.s.post(r.s.path("/people"), {{"name", "Late"}, {"roles", {"participant"}}}, r.moderator).status == 409);
  CHECK(r.s.get(r.s.path("/log/verify")).json()["ok"] == true);
}

TEST_CASE("the slot guard refuses polls outside 12:15-12:30 unless overridden with a reason", "[http][votes][slot]") {
  Rehearsal r;
  const std::string r1 = r.rec("R1");
  auto a = r.amend("Participant 1", r1, "delete");
  r.admit(a["id"]);
  auto create = [&](const nlohmann::json& amendment, bool override_slot) {
    nlohmann::json body = {{"subject", {{"amendment", amendment}}}};
    if (override_slot) {
      body["override_slot"] = true;
      body["reason"] = "the session runs late";
    }
    auto c = r.s.post(r.s.path("/polls"), body, r.president);
    INFO(c.body);
    REQUIRE(c.status == 201);
    return c.json()["id"].get<int64_t>();
  };
  auto open = [&](int64_t id) { return r.s.post(r.s.path("/polls/" + std::to_string(id) + "/open"), nlohmann::json::object(), r.president); };
  const int64_t id = create(a["id"], false);
  // 2022-05-19 Africa/Nairobi (+03:00): 12:15:00 = 09:15:00Z = 1652951700000.
  const int64_t start = 1652951700000, end = start + 15 * 60 * 1000;
  r.s.clock().set_ms(start - 1000);  // 12:14:59
  auto refused = open(id);
  CHECK(refused.status == 409);
  CHECK(code(refused) == "outside_slot");
  r.s.clock().set_ms(end);  // 12:30:00
  CHECK(code(open(id)) == "outside_slot");
  r.s.clock().set_ms(end - 1000);  // 12:29:59
  CHECK(open(id).status == 200);
  r.close(id);
  auto a3 = r.amend("Participant 3", r.rec("R3"), "delete");
  r.admit(a3["id"]);
  const int64_t at_start = create(a3["id"], false);
  r.s.clock().set_ms(start);  // 12:15:00 exactly is inside
  CHECK(open(at_start).status == 200);
  r.close(at_start);

  // An override opens outside the slot and the log keeps the reason.
  auto a2 = r.amend("Participant 2", r.rec("R2"), "delete");
  r.admit(a2["id"]);
  r.s.clock().set_ms(end + 60'000);
  CHECK(r.s.post(r.s.path("/polls"), {{"subject", {{"amendment", a2["id"]}}}, {"override_slot", true}}, r.president).status == 422);
  const int64_t late = create(a2["id"], true);
  REQUIRE(open(late).status == 200);
  auto log = r.s.get(r.s.path("/log"), r.moderator).json();
  bool logged = false;
  for (const auto& e : log) {
    if (e["type"] == "poll_opened" && e["data"]["poll"] == late) logged = e["data"]["reason"] == "the session runs late";
  }
  CHECK(logged);
}

TEST_CASE("a poll with closes_at closes itself", "[http][votes]") {
  Rehearsal r;
  auto a = r.amend("Participant 1", r.rec("R1"), "delete");
  r.admit(a["id"]);
  const int64_t id = r.open_poll({{"amendment", a["id"]}}, {{"closes_at", "2022-05-19T12:21:00+03:00"}});
  REQUIRE(r.vote(id, participant(1), "yes").status == 200);
  r.s.clock().set_ms(kKisumuAdoptionMs + 61'000);  // 12:21:01
  CHECK(r.vote(id, participant(2), "yes").status == 409);  // past its time: refused even before the close
  nlohmann::json poll;
  for (int i = 0; i < 50; ++i) {
    poll = r.s.get(r.s.path("/polls/" + std::to_string(id)), r.moderator).json();
    if (poll["state"] == "closed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(poll["state"] == "closed");
  CHECK(poll["result"]["outcome"] == "adopted");
  CHECK(poll["closed_at"] == "2022-05-19T12:21:00+03:00");
}

TEST_CASE("secret polls never link a person to a choice", "[http][votes][secret]") {
  Rehearsal r;
  auto a = r.amend("Participant 1", r.rec("R1"), "delete");
  r.admit(a["id"]);
  const int64_t id = r.open_poll({{"amendment", a["id"]}}, {{"secret", true}});
  auto first = r.vote(id, participant(1), "yes");
  REQUIRE(first.status == 200);
  const std::string receipt = first.json()["receipt"];
  const std::string change_code = first.json()["change_code"];
  CHECK(change_code.size() >= 20);
  for (int i = 2; i <= 6; ++i) REQUIRE(r.vote(id, participant(i), "no").status == 200);
  // A second ballot without the change code is refused; the receipt does not
  // change it; the change code replaces the first.
  CHECK(r.vote(id, participant(1), "no").status == 409);
  const std::string ballots = r.s.path("/polls/" + std::to_string(id) + "/ballots");
  auto by_receipt = r.s.post(ballots, {{"choice", "abstain"}, {"receipt", receipt}}, r.s.token(participant(1)));
  CHECK(by_receipt.status == 422);
  CHECK(by_receipt.json()["error"]["field"] == "receipt");
  auto changed = r.s.post(ballots, {{"choice", "abstain"}, {"change_code", change_code}}, r.s.token(participant(1)));
  REQUIRE(changed.status == 200);
  CHECK(changed.json()["replaced"] == true);
  CHECK(changed.json()["change_code"] != change_code);  // each ballot its own code
  // The old code died with the ballot it changed.
  CHECK(r.s.post(ballots, {{"choice", "yes"}, {"change_code", change_code}}, r.s.token(participant(1))).status == 409);
  const std::string new_receipt = changed.json()["receipt"];
  auto open_view = r.s.get(r.s.path("/polls/" + std::to_string(id)), r.moderator).json();
  CHECK(open_view["counts"] == nlohmann::json{{"cast", 6}});
  auto closed = r.close(id);
  CHECK(closed["result"]["no"] == 5);
  CHECK(closed["result"]["abstain"] == 1);
  CHECK_FALSE(closed.contains("ballots"));
  bool listed = false;
  for (const auto& x : closed["receipts"]) listed = listed || x == new_receipt;
  CHECK(listed);

  // The database file itself: no table row holds both a person and a choice.
  const TestDatabase& db = r.s.db();
  CHECK(db.count("SELECT COUNT(*) FROM ballots WHERE poll_id = " + std::to_string(id)) == 0);
  CHECK(db.count("SELECT COUNT(*) FROM secret_voted WHERE poll_id = " + std::to_string(id)) == 6);
  const auto cols = db.columns("secret_ballots");
  CHECK(cols.size() == 4);
  for (const std::string& c : cols) {
    CHECK((c == "poll_id" || c == "receipt" || c == "choice" || c == "change_hash"));
  }
  int n = 0;
  for (const auto& event : db.rows("SELECT actor, data FROM events WHERE type = 'secret_ballot_cast'")) {
    ++n;
    CHECK_FALSE(event[0].has_value());
    const std::string data = event[1].value_or("");
    CHECK(data.find("yes") == std::string::npos);
    CHECK(data.find("abstain") == std::string::npos);
    CHECK(data.find("\"no\"") == std::string::npos);
  }
  CHECK(n == 7);
  CHECK(db.count("SELECT COUNT(*) FROM idempotency WHERE body LIKE '%" + new_receipt + "%'") == 0);
}

TEST_CASE("Idempotency-Key on ballots: a named ballot replays, a secret one is never remembered", "[http][votes][secret]") {
  Rehearsal r;
  auto a = r.amend("Participant 1", r.rec("R1"), "delete");
  r.admit(a["id"]);
  auto b = r.amend("Participant 2", r.rec("R2"), "delete");
  r.admit(b["id"]);
  const int64_t named = r.open_poll({{"amendment", a["id"]}});
  const auto ballots = [&](int64_t poll) { return r.s.path("/polls/" + std::to_string(poll) + "/ballots"); };
  const std::string voter = r.s.token(participant(3));

  // Named: the retry is the first answer, replayed, and one ballot stands.
  auto first = r.s.post(ballots(named), {{"choice", "yes"}}, voter, {{"Idempotency-Key", "named-1"}});
  REQUIRE(first.status == 200);
  auto again = r.s.post(ballots(named), {{"choice", "yes"}}, voter, {{"Idempotency-Key", "named-1"}});
  REQUIRE(again.status == 200);
  CHECK(again.body == first.body);
  CHECK(again.headers.count("Idempotent-Replayed") == 1);
  CHECK(r.s.post(ballots(named), {{"choice", "no"}}, voter, {{"Idempotency-Key", "named-1"}}).status == 422);
  CHECK(r.s.post(ballots(named), {{"choice", "no"}}, voter, {{"Idempotency-Key", "bad key"}}).status == 400);
  r.close(named);

  // Secret: the key is not honoured (a stored reply would tie the voter to a
  // receipt); the retry is refused as already counted and the vote stands.
  const int64_t secret = r.open_poll({{"amendment", b["id"]}}, {{"secret", true}});
  // A malformed key is refused before anything is cast (the cast below is the only one).
  CHECK(r.s.post(ballots(secret), {{"choice", "yes"}}, voter, {{"Idempotency-Key", "bad key"}}).status == 400);
  auto cast = r.s.post(ballots(secret), {{"choice", "no"}}, voter, {{"Idempotency-Key", "secret-1"}});
  REQUIRE(cast.status == 200);
  CHECK(cast.headers.count("Idempotent-Replayed") == 0);
  const std::string receipt = cast.json()["receipt"];
  auto retry = r.s.post(ballots(secret), {{"choice", "no"}}, voter, {{"Idempotency-Key", "secret-1"}});
  CHECK(retry.status == 409);
  CHECK(retry.json()["error"]["message"].get<std::string>().find("already counted") != std::string::npos);
  auto closed = r.close(secret);
  CHECK(closed["result"]["cast"] == 1);
  CHECK(closed["result"]["no"] == 1);
  CHECK(r.s.db().count("SELECT COUNT(*) FROM idempotency WHERE key = 'secret-1'") == 0);
  CHECK(r.s.db().count("SELECT COUNT(*) FROM idempotency WHERE body LIKE '%" + receipt + "%'") == 0);
  CHECK(r.s.db().count("SELECT COUNT(*) FROM idempotency WHERE key = 'named-1'") == 1);
}

TEST_CASE("consensus: one objection means not adopted", "[http][votes]") {
  Rehearsal r;
  auto a = r.amend("Participant 1", r.rec("R1"), "delete");
  r.admit(a["id"]);
  const int64_t id = r.open_poll({{"amendment", a["id"]}}, {{"method", "consensus"}});
  REQUIRE(r.s.post(r.s.path("/polls/" + std::to_string(id) + "/objection"), nlohmann::json::object(), r.s.token(participant(4))).status == 200);
  CHECK(r.close(id)["result"]["outcome"] == "rejected");
}

TEST_CASE("poll and ballot bad input", "[http][votes][bad_input]") {
  Rehearsal r;
  auto a = r.amend("Participant 1", r.rec("R1"), "delete");
  auto post = [&](const nlohmann::json& body) { return r.s.post(r.s.path("/polls"), body, r.president); };
  CHECK(post({{"subject", {{"amendment", a["id"]}}}}).status == 409);  // not admitted yet
  r.admit(a["id"]);
  CHECK(post({{"subject", {{"vote", 1}}}}).status == 422);
  CHECK(post({{"subject", {{"amendment", a["id"]}}}, {"method", "telepathy"}}).status == 422);
  CHECK(post({{"subject", {{"amendment", a["id"]}}}, {"rule", "unanimity"}}).status == 422);
  CHECK(post({{"subject", {{"amendment", a["id"]}}}, {"quorum", -3}}).status == 422);
  CHECK(post({{"subject", {{"amendment", a["id"]}}}, {"quorum", "ten"}}).status == 400);
  CHECK(post({{"subject", {{"amendment", a["id"]}}}, {"secret", true}, {"method", "show_of_hands"}}).status == 422);
  CHECK(post({{"subject", {{"amendment", a["id"]}}}, {"closes_at", "tomorrow"}}).status == 422);
  CHECK(post({{"subject", {{"amendment", a["id"]}}}, {"closes_at", "2022-05-19T12:00:00+03:00"}}).status == 422);
  CHECK(post({{"subject", {{"adoption", 7}}}}).status == 409);
  CHECK(post({{"subject", {{"amendment", 999}}}}).status == 404);
  CHECK(r.s.post(r.s.path("/polls"), {{"subject", {{"amendment", a["id"]}}}}, r.moderator).status == 403);
  CHECK(count(r.s, "SELECT COUNT(*) FROM polls") == 0);
  const int64_t id = r.open_poll({{"amendment", a["id"]}});
  CHECK(r.vote(id, participant(1), "maybe").status == 422);
  CHECK(r.s.post(r.s.path("/polls/" + std::to_string(id) + "/ballots"), {{"choice", "yes"}}, r.s.token("Observer")).status == 403);
  CHECK(r.s.post(r.s.path("/polls/" + std::to_string(id) + "/ballots"), {{"choice", "yes"}}).status == 401);
  CHECK(r.s.post(r.s.path("/polls/12345/ballots"), {{"choice", "yes"}}, r.s.token(participant(1))).status == 404);
  CHECK(count(r.s, "SELECT COUNT(*) FROM ballots") == 0);
  // A second open poll is refused.
  auto a2 = r.amend("Participant 2", r.rec("R2"), "delete");
  r.admit(a2["id"]);
  auto second = post({{"subject", {{"amendment", a2["id"]}}}});
  REQUIRE(second.status == 201);
  CHECK(r.s.post(r.s.path("/polls/" + std::to_string(second.json()["id"].get<int64_t>()) + "/open"), nlohmann::json::object(),
                 r.president).status == 409);
  // Two closes at once give one result.
  std::atomic<int> closed{0};
  std::thread t1([&] { closed += r.s.post(r.s.path("/polls/" + std::to_string(id) + "/close"), nlohmann::json::object(), r.president).status == 200; });
  std::thread t2([&] { closed += r.s.post(r.s.path("/polls/" + std::to_string(id) + "/close"), nlohmann::json::object(), r.president).status == 200; });
  t1.join();
  t2.join();
  CHECK(closed == 1);
}

TEST_CASE("a participant who joined after a poll opened cannot vote in it and nothing is stored", "[http][votes]") {
  Rehearsal r;
  const std::string r1 = r.rec("R1");
  auto named = r.amend("Participant 1", r1, "delete");
  r.admit(named["id"]);
  const int64_t poll = r.open_poll({{"amendment", named["id"]}});
  auto added = r.s.post(r.s.path("/people"), {{"name", "Late delegate"}, {"roles", {"participant"}}}, r.moderator);
  REQUIRE(added.status == 201);
  const std::string late = added.json()["token"];
  const auto& db = r.s.db();
  const int64_t events_before = db.count("SELECT COUNT(*) FROM events");

  auto refused = r.s.post(r.s.path("/polls/" + std::to_string(poll) + "/ballots"), {{"choice", "yes"}}, late);
  CHECK(refused.status == 403);
  CHECK(code(refused) == "forbidden");
  CHECK(refused.json()["error"]["message"].get<std::string>().find("voting right") != std::string::npos);
  CHECK(db.count("SELECT COUNT(*) FROM ballots WHERE poll_id = " + std::to_string(poll)) == 0);
  // A voter's ballot beside it is taken as always.
  CHECK(r.vote(poll, participant(2), "no").status == 200);
  CHECK(db.count("SELECT COUNT(*) FROM ballots WHERE poll_id = " + std::to_string(poll)) == 1);
  CHECK(db.count("SELECT COUNT(*) FROM events") == events_before + 1);
  r.close(poll);

  auto secret_amendment = r.amend("Participant 3", r1, "delete");
  r.admit(secret_amendment["id"]);
  const int64_t secret = r.open_poll({{"amendment", secret_amendment["id"]}}, {{"secret", true}});
  auto later = r.s.post(r.s.path("/people"), {{"name", "Later delegate"}, {"roles", {"participant"}}}, r.moderator);
  REQUIRE(later.status == 201);
  auto refused_secret = r.s.post(r.s.path("/polls/" + std::to_string(secret) + "/ballots"), {{"choice", "yes"}},
                                 later.json()["token"].get<std::string>());
  CHECK(refused_secret.status == 403);
  CHECK(db.count("SELECT COUNT(*) FROM secret_voted WHERE poll_id = " + std::to_string(secret)) == 0);
  CHECK(db.count("SELECT COUNT(*) FROM secret_ballots WHERE poll_id = " + std::to_string(secret)) == 0);
  CHECK(r.s.get(r.s.path("/log/verify")).json()["ok"] == true);
}
