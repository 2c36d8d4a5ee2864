// Races over the real HTTP server: requests released together by a
// latch, each on its own connection, and only facts that hold whatever the
// interleaving are asserted (no timing).
//
// N saves of a fragment on one base give one winner: that race is the test
// "of N concurrent saves on the same base exactly one wins" in
// http_fragments_test.cpp ([concurrency]); the case below adds the retries of
// the losers and of the winner.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <latch>
#include <map>
#include <thread>

#include "contract/answers.h"
#include "rehearsal.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

const char* const kChoices[] = {"yes", "no", "abstain"};

struct Request {
  std::string method;  // POST or PUT
  std::string path;
  std::string body;
  std::string token;
  std::string key;  // Idempotency-Key, when not empty
};

// An answer collected on a worker thread (Catch2 assertions stay on the main one).
struct Reply {
  int status = -1;  // -1: no answer
  std::string body;
  bool replayed = false;
  std::string contract;  // why the answer breaks the OpenAPI document, or ""
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

Reply send(httplib::Client& cli, const Request& r) {
  httplib::Headers h{{"Authorization", "Bearer " + r.token}};
  if (!r.key.empty()) h.emplace("Idempotency-Key", r.key);
  auto res = r.method == "PUT" ? cli.Put(r.path.c_str(), h, r.body, "application/json")
                               : cli.Post(r.path.c_str(), h, r.body, "application/json");
  if (!res) return {};
  return {res->status, res->body, res->get_header_value("Idempotent-Replayed") == "true",
          contract::check_answer(r.method, r.path, *res)};
}

// Sends every request at once: one thread and one connection each, released
// together. Each answer is checked against the OpenAPI document once all are in.
std::vector<Reply> at_once(int port, const std::vector<Request>& requests) {
  std::vector<Reply> out(requests.size());
  std::latch start(static_cast<std::ptrdiff_t>(requests.size()));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < requests.size(); ++i) {
    threads.emplace_back([&, i] {
      httplib::Client cli("127.0.0.1", port);
      cli.set_read_timeout(30, 0);
      start.arrive_and_wait();
      out[i] = send(cli, requests[i]);
    });
  }
  for (auto& t : threads) t.join();
  for (const Reply& reply : out) CHECK(reply.contract == "");
  return out;
}

std::string poll_path(const TestServer& s, int64_t poll, const std::string& rest) {
  return s.path("/polls/" + std::to_string(poll) + rest);
}

int64_t events_of(const TestServer& s, const std::string& type, int64_t poll) {
  return count(s, "SELECT COUNT(*) FROM events WHERE type = '" + type + "' AND CAST(" +
                      s.db().json_member("data", "poll") + " AS TEXT) = '" + std::to_string(poll) + "'");
}

}  // namespace

TEST_CASE("the same voter from 50 threads gives exactly one ballot row", "[http][races]") {
  Rehearsal r;
  const int64_t poll = r.open_poll({{"adoption", 1}});
  const std::string voter = participant(1);
  const std::string ballots = "SELECT COUNT(*) FROM ballots WHERE poll_id = " + std::to_string(poll);
  constexpr int kThreads = 50;

  SECTION("50 different ballots: each counted in turn, the last one stands") {
    std::vector<Request> requests;
    for (int i = 0; i < kThreads; ++i) {
      requests.push_back({"POST", poll_path(r.s, poll, "/ballots"), nlohmann::json{{"choice", kChoices[i % 3]}}.dump(), r.s.token(voter), ""});
    }
    const auto replies = at_once(r.s.port(), requests);
    std::map<std::string, std::string> choice_of;  // receipt -> choice
    int first = 0;
    for (const Reply& reply : replies) {
      INFO(reply.body);
      REQUIRE(reply.status == 200);
      const auto j = reply.json();
      choice_of[j["receipt"]] = j["choice"];
      first += j["replaced"] == false ? 1 : 0;
    }
    CHECK(choice_of.size() == kThreads);  // 50 receipts: 50 ballots, one after the other
    CHECK(first == 1);                    // exactly one found no earlier ballot
    REQUIRE(count(r.s, ballots) == 1);
    CHECK(events_of(r.s, "ballot_cast", poll) == kThreads);
    // The ballot that stands is the last one logged, with its choice.
    const std::string stored = r.s.db().text("SELECT receipt FROM ballots WHERE poll_id = " + std::to_string(poll));
    const std::string last = r.s.db().text("SELECT " + r.s.db().json_member("data", "receipt") +
                                           " FROM events WHERE type = 'ballot_cast' ORDER BY seq DESC LIMIT 1");
    CHECK(stored == last);
    REQUIRE(choice_of.count(stored) == 1);
    const auto result = r.close(poll)["result"];
    CHECK(result["cast"] == 1);
    CHECK(result[choice_of[stored]] == 1);
  }
  SECTION("50 retries of one ballot (one Idempotency-Key): one ballot, one answer") {
    const Request request{"POST", poll_path(r.s, poll, "/ballots"), R"({"choice":"no"})", r.s.token(voter), "flaky-wifi-1"};
    const auto replies = at_once(r.s.port(), std::vector<Request>(kThreads, request));
    int replayed = 0;
    for (const Reply& reply : replies) {
      INFO(reply.body);
      REQUIRE(reply.status == 200);
      CHECK(reply.body == replies[0].body);  // the same receipt for all
      replayed += reply.replayed ? 1 : 0;
    }
    CHECK(replayed == kThreads - 1);
    CHECK(count(r.s, ballots) == 1);
    CHECK(events_of(r.s, "ballot_cast", poll) == 1);
    CHECK(r.close(poll)["result"]["no"] == 1);
  }
}

TEST_CASE("a close racing a burst of ballots counts every acknowledged ballot and none after it", "[http][races]") {
  Rehearsal r;
  const int64_t poll = r.open_poll({{"adoption", 1}});
  // Participant 1..24, one thread and keep-alive connection each: fewer than
  // the test server's 32 workers, so that the close always finds one free.
  constexpr int kVoters = 24;
  constexpr int kAckedBeforeClose = 60;  // the close is sent once this many ballots were acknowledged
  constexpr int kMaxPerVoter = 5000;   // a bound, so that a bug fails instead of hanging

  struct Sent {
    std::string choice;
    bool after_close = false;  // sent after the close had been answered
    int status = -1;
    std::string body;
    std::string contract;
  };
  std::vector<std::vector<Sent>> sent(kVoters);
  std::atomic<int> acked{0};
  std::atomic<bool> close_answered{false};
  std::atomic<int> done{0};
  std::vector<std::thread> voters;
  for (int i = 0; i < kVoters; ++i) {
    voters.emplace_back([&, i] {
      httplib::Client cli("127.0.0.1", r.s.port());
      cli.set_keep_alive(true);
      cli.set_read_timeout(30, 0);
      const Request base{"POST", poll_path(r.s, poll, "/ballots"), "", r.s.token(participant(i + 1)), ""};
      // Vote, changing the choice each time, until a ballot sent after the close is answered.
      for (int k = 0; k < kMaxPerVoter; ++k) {
        Sent s;
        s.choice = kChoices[(i + k) % 3];
        s.after_close = close_answered.load();
        Request req = base;
        req.body = nlohmann::json{{"choice", s.choice}}.dump();
        const Reply reply = send(cli, req);
        s.status = reply.status;
        s.body = reply.body;
        s.contract = reply.contract;
        sent[i].push_back(s);
        if (reply.status == 200) ++acked;
        if (s.after_close || reply.status == -1) break;
      }
      ++done;
    });
  }
  while (acked < kAckedBeforeClose && done < kVoters) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto closed = r.s.post(poll_path(r.s, poll, "/close"), nlohmann::json::object(), r.president);
  close_answered = true;
  for (auto& t : voters) t.join();
  INFO(closed.body);
  REQUIRE(closed.status == 200);
  const auto result = closed.json()["result"];

  std::map<std::string, std::string> last_acked;  // voter's name -> receipt of their last 200
  std::map<std::string, int64_t> want{{"yes", 0}, {"no", 0}, {"abstain", 0}};
  int answered_200 = 0, refused_after_close = 0;
  for (int i = 0; i < kVoters; ++i) {
    bool refused = false;
    std::string last_choice;
    for (const Sent& s : sent[i]) {
      INFO(participant(i + 1) << ": " << s.status << " " << s.body);
      CHECK(s.contract == "");
      REQUIRE((s.status == 200 || s.status == 409));
      if (s.after_close) CHECK(s.status == 409);  // after the close: refused, changes nothing
      if (s.status == 409) {
        CHECK(nlohmann::json::parse(s.body)["error"]["code"] == "conflict");
        refused = true;
        refused_after_close += s.after_close ? 1 : 0;
        continue;
      }
      CHECK_FALSE(refused);  // a closed poll never takes a ballot again
      ++answered_200;
      last_acked[participant(i + 1)] = nlohmann::json::parse(s.body)["receipt"];
      last_choice = s.choice;
    }
    CHECK(sent[i].back().after_close);  // every voter tried after the close
    if (!last_choice.empty()) ++want[last_choice];
  }
  CHECK(refused_after_close == kVoters);
  CHECK(answered_200 >= kAckedBeforeClose);

  // Every acknowledged ballot is counted: each voter's last one is in the result.
  CHECK(result["yes"] == want["yes"]);
  CHECK(result["no"] == want["no"]);
  CHECK(result["abstain"] == want["abstain"]);
  const nlohmann::json ballots = closed.json()["ballots"];  // kept: a range-for over a temporary's member dangles
  REQUIRE(ballots.size() == last_acked.size());
  for (const auto& b : ballots) {
    INFO(b.dump());
    REQUIRE(last_acked.count(b["name"]) == 1);
    CHECK(b["receipt"] == last_acked.at(b["name"]));
  }
  // Stored ballots are the counted ones; every acknowledged ballot was logged, no refused one.
  CHECK(count(r.s, "SELECT COUNT(*) FROM ballots WHERE poll_id = " + std::to_string(poll)) == result["cast"].get<int64_t>());
  CHECK(events_of(r.s, "ballot_cast", poll) == answered_200);
}

TEST_CASE("closes at once give one result", "[http][races]") {
  const int closers = GENERATE(2, 8);
  Rehearsal r;
  auto a = r.amend("Participant 1", r.rec("R1"), "delete");
  r.admit(a["id"]);
  const int64_t poll = r.open_poll({{"amendment", a["id"]}});
  for (int i = 1; i <= 5; ++i) REQUIRE(r.vote(poll, participant(i), i <= 4 ? "yes" : "no").status == 200);
  const auto replies = at_once(r.s.port(), std::vector<Request>(closers, Request{"POST", poll_path(r.s, poll, "/close"), "{}", r.president, ""}));
  int won = 0;
  nlohmann::json result;
  for (const Reply& reply : replies) {
    INFO(reply.body);
    if (reply.status == 200) {
      ++won;
      result = reply.json()["result"];
    } else {
      CHECK(reply.status == 409);
      CHECK(reply.json()["error"]["code"] == "conflict");
    }
  }
  CHECK(won == 1);
  CHECK(events_of(r.s, "poll_closed", poll) == 1);
  CHECK(r.s.get(poll_path(r.s, poll, ""), r.moderator).json()["result"] == result);
  CHECK(result["outcome"] == "adopted");
  // The result was applied once: one amended draft, the amendment adopted.
  CHECK(count(r.s, "SELECT COUNT(*) FROM drafts") == 2);
  CHECK(r.s.get(r.s.path("/amendments/" + std::to_string(a["id"].get<int64_t>())), r.moderator).json()["status"] == "adopted");
  CHECK(r.s.get(r.s.path("/log/verify")).json()["ok"] == true);
}

TEST_CASE("N saves on one base: one winner, and retries with their keys make no second", "[http][races][fragments]") {
  TestServer s;
  s.create_kisumu();
  const std::string rapporteur = s.token("Rapporteur, Breakout 1");
  auto created = s.post(s.path("/breakouts/complementarity/fragments"), {{"title", "Notes"}, {"body", "Start.\n"}}, rapporteur);
  REQUIRE(created.status == 201);
  const std::string path = s.path("/fragments/" + std::to_string(created.json()["id"].get<int64_t>()));
  constexpr int kSavers = 12;
  std::vector<Request> saves;
  for (int i = 0; i < kSavers; ++i) {
    saves.push_back({"PUT", path, nlohmann::json{{"base_version", 1}, {"body", "Saver " + std::to_string(i) + ".\n"}}.dump(), rapporteur,
                     "save-" + std::to_string(i)});
  }
  const auto first = at_once(s.port(), saves);
  const auto retried = at_once(s.port(), saves);  // every client retries, as after a lost answer
  int won = 0;
  for (int i = 0; i < kSavers; ++i) {
    INFO(first[i].body << "\n" << retried[i].body);
    if (first[i].status == 201) {
      ++won;
      CHECK(retried[i].status == 201);  // the winner gets its first answer again
      CHECK(retried[i].replayed);
      CHECK(retried[i].body == first[i].body);
    } else {
      CHECK(first[i].status == 409);
      CHECK(first[i].json()["error"]["code"] == "version_conflict");
      CHECK(retried[i].status == 409);  // a loser stays a loser: its base is still stale
    }
  }
  CHECK(won == 1);
  CHECK(count(s, "SELECT COUNT(*) FROM fragment_versions") == 2);
}
