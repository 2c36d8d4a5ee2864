// The crash test: the real `rapporteur serve` binary under a burst
// of ballots and fragment saves over keep-alive connections is killed with
// SIGKILL at a random moment, restarted on the same file, and must still hold
// every acknowledged ballot and version, nothing twice, an intact database
// and a log that verifies. Requests in flight at the kill are then retried
// with their Idempotency-Key, after which the store must hold exactly what
// was acknowledged.
//
// RAPPORTEUR_CRASH_ROUNDS (default 5) sets the rounds, RAPPORTEUR_CRASH_SEED
// the random kill times (printed, to replay a failing run), and
// RAPPORTEUR_CRASH_BINARY another rapporteur binary than this build's.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <httplib.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <latch>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "contract/answers.h"
#include "crash/ledger.h"
#include "crash/scene.h"
#include "crash/server_process.h"
#include "rapporteur/crypto.h"
#include "rapporteur/subprocess.h"
#include "test_server.h"

using namespace rapporteur;
using namespace rapporteur::crash;
using rapporteur::testing::kAdminToken;
using rapporteur::testing::on_postgres;
using rapporteur::testing::TempDir;
using rapporteur::testing::TestDatabase;
namespace contract = rapporteur::testing::contract;

namespace {

constexpr int kVoterThreads = 16;  // one keep-alive connection each
constexpr int kSaverThreads = 4;  // two per breakout, each with its own fragments
constexpr int kMinKillMs = 20, kMaxKillMs = 400;
const char* const kChoices[] = {"yes", "no", "abstain"};

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// The binary under test: this build's, or RAPPORTEUR_CRASH_BINARY (another build of it, e.g. with sanitizers).
std::string binary() {
  const char* v = std::getenv("RAPPORTEUR_CRASH_BINARY");
  return v && *v ? v : RAPPORTEUR_BINARY;
}

// Shared by the burst's threads; `unexpected` collects what must not happen.
struct Burst {
  int port = 0;
  int round = 0;
  std::atomic<bool> killed{false};
  std::mutex mu;
  std::vector<std::string> unexpected;
  void note(const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    unexpected.push_back(what);
  }
  // The end of a thread's burst: a failed request is expected once the server is killed.
  void failed(const httplib::Result& r, const std::string& what) {
    if (!r) {
      if (!killed) note(what + ": no answer before the kill (" + httplib::to_string(r.error()) + ")");
    } else {
      note(what + ": answered " + std::to_string(r->status) + " " + r->body.substr(0, 200));
    }
  }
};

// Casts ballots for `mine` in turn, changing each one's choice every pass,
// until the server is gone. One request at a time: only the last may be
// unanswered.
void vote_loop(Burst& b, std::latch& ready, int64_t poll, const std::vector<Voter>& mine, Ledger& out) {
  httplib::Client cli = keep_alive_client(b.port);
  const bool warm = static_cast<bool>(cli.Get("/healthz"));  // opens the connection before the burst
  ready.arrive_and_wait();
  if (!warm) return b.note("voter connection: no answer to /healthz before the burst");
  const std::string path = session_path(kVotes, "/polls/" + std::to_string(poll) + "/ballots");
  for (size_t k = 0;; ++k) {
    const Voter& v = mine[k % mine.size()];
    BallotSent sent;
    sent.voter = v.id;
    sent.choice = kChoices[(k / mine.size() + static_cast<size_t>(v.id)) % 3];
    sent.key = ballot_key(b.round, v.id, k);
    out.ballots.push_back(sent);
    const nlohmann::json body = {{"choice", sent.choice}};
    auto r = cli.Post(path.c_str(), {{"Authorization", "Bearer " + v.token}, {"Idempotency-Key", sent.key}}, body.dump(),
                      "application/json");
    if (!r || r->status != 200) return b.failed(r, "ballot " + sent.key);
    if (auto broken = contract::check_answer("POST", path, *r); !broken.empty()) b.note(broken);
    out.ballots.back().acked = true;
    out.ballots.back().receipt = nlohmann::json::parse(r->body)["receipt"];
  }
}

// Saves each of `mine` in turn, each save based on the last acknowledged one.
void save_loop(Burst& b, std::latch& ready, const std::vector<SceneFragment>& mine, Ledger& out) {
  httplib::Client cli = keep_alive_client(b.port);
  const bool warm = static_cast<bool>(cli.Get("/healthz"));
  ready.arrive_and_wait();
  if (!warm) return b.note("saver connection: no answer to /healthz before the burst");
  std::map<int64_t, int64_t> latest;
  for (const SceneFragment& f : mine) latest[f.id] = 1;
  for (size_t k = 0;; ++k) {
    const SceneFragment& f = mine[k % mine.size()];
    const int64_t version = latest[f.id] + 1;
    const nlohmann::json body = save_request(b.round, f.id, version);
    SaveSent sent{f.id, version, sha256_hex(body["body"].get<std::string>()), save_key(b.round, f.id, version), false};
    out.saves.push_back(sent);
    const std::string path = session_path(kDrafts, "/fragments/" + std::to_string(f.id));
    auto r = cli.Put(path.c_str(), {{"Authorization", "Bearer " + f.token}, {"Idempotency-Key", sent.key}}, body.dump(),
                     "application/json");
    if (!r || r->status != 201) return b.failed(r, "save " + sent.key);
    if (auto broken = contract::check_answer("PUT", path, *r); !broken.empty()) b.note(broken);
    const auto j = nlohmann::json::parse(r->body);
    if (j["version"] != version || j["sha256"] != sent.sha256) return b.note("save " + sent.key + ": answered " + r->body.substr(0, 200));
    out.saves.back().acked = true;
    latest[f.id] = version;
  }
}

struct Figures {
  int rounds = 0;
  int64_t ballots_acked = 0, saves_acked = 0, in_flight = 0, in_flight_committed = 0;
  int64_t lost = 0, duplicated = 0, unexplained = 0;
};

void run_round(int round, std::mt19937_64& rng, Figures& fig) {
  TempDir dir;
  // A SQLite file, or in the suite's PostgreSQL run a database of its own.
  const TestDatabase database(dir.file("crash.db"));
  const std::string db = database.db_flag();
  ServeOptions options{binary(), db, dir.file("serve-1.log"), kAdminToken};
  std::string error;
  auto server = ServerProcess::start(options, error);
  INFO("round " << round << ": " << error);
  REQUIRE(server);

  Ledger ledger;
  const Scene scene = set_up(server->port(), round, ledger);

  // The burst, and the kill at a random moment of it.
  Burst burst;
  burst.port = server->port();
  burst.round = round;
  std::vector<Ledger> parts(kVoterThreads + kSaverThreads);
  std::latch ready(kVoterThreads + kSaverThreads + 1);
  std::vector<std::thread> threads;
  const auto voters = scene.voters_for(kVoterThreads);
  const auto fragments = scene.fragments_for(kSaverThreads);
  for (int i = 0; i < kVoterThreads; ++i) {
    threads.emplace_back([&, i] { vote_loop(burst, ready, scene.poll, voters[i], parts[i]); });
  }
  for (int i = 0; i < kSaverThreads; ++i) {
    threads.emplace_back([&, i] { save_loop(burst, ready, fragments[i], parts[kVoterThreads + i]); });
  }
  const int kill_after_ms = std::uniform_int_distribution<int>(kMinKillMs, kMaxKillMs)(rng);
  ready.arrive_and_wait();
  std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
  burst.killed = true;
  server->kill_now();
  for (auto& t : threads) t.join();
  for (const Ledger& part : parts) ledger.append(part);
  INFO("killed after " << kill_after_ms << " ms");
  for (const auto& u : burst.unexpected) FAIL_CHECK(u);

  int64_t acked_ballots = 0, acked_saves = -static_cast<int64_t>(scene.fragments.size()), unanswered = 0;
  for (const auto& b : ledger.ballots) (b.acked ? acked_ballots : unanswered) += 1;
  for (const auto& s : ledger.saves) (s.acked ? acked_saves : unanswered) += 1;
  fig.ballots_acked += acked_ballots;
  fig.saves_acked += acked_saves;
  fig.in_flight += unanswered;

  // Restart on the same file: everything acknowledged is there, nothing twice.
  options.output = dir.file("serve-2.log");
  server = ServerProcess::start(options, error);
  INFO(error);
  REQUIRE(server);
  const Tracked tracked = scene.tracked();
  StoreOptions where;
  REQUIRE(set_database(where, db).is_ok());
  const Result<Stored> restarted = read_stored(where, tracked);
  INFO(restarted.status().message());
  REQUIRE(restarted.ok());
  const Findings after_restart = check(ledger, *restarted, false);
  INFO("after the restart: " << after_restart.describe());
  CHECK(after_restart.ok());
  fig.lost += static_cast<int64_t>(after_restart.lost.size());
  fig.duplicated += static_cast<int64_t>(after_restart.duplicated.size());
  fig.unexplained += static_cast<int64_t>(after_restart.unexplained.size());

  // The requests in flight at the kill, retried as a client would: each is
  // either replayed (it was committed) or done now, never done twice.
  for (BallotSent& b : ledger.ballots) {
    if (b.acked) continue;
    Answer a = call(server->port(), "POST", session_path(kVotes, "/polls/" + std::to_string(scene.poll) + "/ballots"),
                    {{"choice", b.choice}}, scene.token_of.at(b.voter), b.key);
    INFO("retry of ballot " << b.key << ": " << a.body);
    REQUIRE(a.status == 200);
    b.acked = true;
    b.receipt = a.json()["receipt"];
    fig.in_flight_committed += a.replayed ? 1 : 0;
  }
  for (SaveSent& s : ledger.saves) {
    if (s.acked) continue;
    std::string token;
    for (const SceneFragment& f : scene.fragments) token = f.id == s.fragment ? f.token : token;
    Answer a = call(server->port(), "PUT", session_path(kDrafts, "/fragments/" + std::to_string(s.fragment)),
                    save_request(round, s.fragment, s.version), token, s.key);
    INFO("retry of save " << s.key << ": " << a.body);
    REQUIRE(a.status == 201);
    CHECK(a.json()["version"] == s.version);
    s.acked = true;
    fig.in_flight_committed += a.replayed ? 1 : 0;
  }
  const Result<Stored> read_settled = read_stored(where, tracked);
  INFO(read_settled.status().message());
  REQUIRE(read_settled.ok());
  const Stored& settled = *read_settled;
  const Findings after_retries = check(ledger, settled, true);
  INFO("after the retries: " << after_retries.describe());
  CHECK(after_retries.ok());
  fig.duplicated += static_cast<int64_t>(after_retries.duplicated.size());
  fig.unexplained += static_cast<int64_t>(after_retries.unexplained.size());

  // The detector on this very store: a forged acknowledgement is reported.
  Ledger forged = ledger;
  forged.ballots.push_back({scene.voters[0].id, "yes", "forged", true, "forged-receipt"});
  forged.saves.push_back({scene.fragments[0].id, 1000, std::string(64, '0'), "forged", true});
  CHECK(check(forged, settled, true).lost.size() >= 3);

  close_and_verify(server->port(), scene, ledger, settled);

  // A clean stop, then the database itself: the hash chain, and on SQLite the
  // file's own check.
  const int stopped = server->terminate();
  INFO(server->output());
  CHECK(stopped == 0);
  auto verified = run_subprocess({binary(), "verify", "--db", db}, SubprocessOptions{});
  REQUIRE(verified.ok());
  INFO(verified->output);
  CHECK(verified->ok());
  if (!on_postgres()) {
    SQLite::Database file(db, SQLite::OPEN_READONLY);
    CHECK(file.execAndGet("PRAGMA integrity_check").getString() == "ok");
  }
  ++fig.rounds;
}

}  // namespace

TEST_CASE("kill -9 during a burst of ballots and saves loses nothing acknowledged", "[crash]") {
  signal(SIGPIPE, SIG_IGN);  // a write to the killed server is an error, not the end of the test
  const int rounds = env_int("RAPPORTEUR_CRASH_ROUNDS", 5);
  const uint64_t seed = std::getenv("RAPPORTEUR_CRASH_SEED") ? std::strtoull(std::getenv("RAPPORTEUR_CRASH_SEED"), nullptr, 10)
                                                             : std::random_device{}();
  INFO("RAPPORTEUR_CRASH_SEED=" << seed);
  std::mt19937_64 rng(seed);
  Figures fig;
  const auto start = std::chrono::steady_clock::now();
  for (int round = 1; round <= rounds; ++round) run_round(round, rng, fig);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "crash: rounds=" << fig.rounds << "/" << rounds << " seed=" << seed << " seconds=" << static_cast<int>(seconds)
            << " acknowledged: ballots=" << fig.ballots_acked << " versions=" << fig.saves_acked
            << " in_flight=" << fig.in_flight << " (already committed=" << fig.in_flight_committed << ")"
            << " duplicated=" << fig.duplicated << " unexplained=" << fig.unexplained << " lost=" << fig.lost << std::endl;
  // Over all rounds the burst must have had something to lose.
  CHECK(fig.ballots_acked > 0);
  CHECK(fig.saves_acked > 0);
  CHECK(fig.rounds == rounds);
}

TEST_CASE("the crash detector reports lost, duplicated and unexplained records", "[crash][detector]") {
  Ledger l;
  l.ballots = {{1, "yes", "k1", true, "r1"}, {1, "no", "k2", true, "r2"}, {2, "abstain", "k3", false, ""}};
  l.saves = {{7, 1, "a", "", true}, {7, 2, "b", "s2", true}, {7, 3, "c", "s3", false}};
  Stored good;
  good.ballots = {{1, "no", "r2"}};
  good.ballot_events = {{1, "yes", "r1"}, {1, "no", "r2"}};
  good.versions = good.version_events = {{7, 1, "a"}, {7, 2, "b"}};
  CHECK(check(l, good, false).ok());
  CHECK(check(l, good, true).ok());  // the unanswered ones were not stored: fine either way

  SECTION("the unanswered ones stored: fine until every request is answered") {
    Stored s = good;
    s.ballots.push_back({2, "abstain", "r3"});
    s.ballot_events.push_back({2, "abstain", "r3"});
    s.versions.push_back({7, 3, "c"});
    s.version_events.push_back({7, 3, "c"});
    CHECK(check(l, s, false).ok());
    CHECK(check(l, s, true).unexplained.size() == 4);
  }
  SECTION("an acknowledged ballot missing from the log and the table") {
    Stored s = good;
    s.ballots = {{1, "yes", "r1"}};  // the older ballot stands in place of the acknowledged later one
    s.ballot_events.pop_back();
    const Findings f = check(l, s, false);
    CHECK(f.lost.size() == 2);
    CHECK_FALSE(f.ok());
  }
  SECTION("an acknowledged voter without a ballot") {
    Stored s = good;
    s.ballots.clear();
    CHECK(check(l, s, false).lost.size() == 1);
  }
  SECTION("a ballot altered") {
    Stored s = good;
    s.ballots = {{1, "yes", "r2"}};
    CHECK(check(l, s, false).lost.size() == 1);
  }
  SECTION("a ballot cast twice, a ballot never sent") {
    Stored s = good;
    s.ballot_events.push_back({1, "no", "r2"});
    s.ballot_events.push_back({3, "yes", "r9"});
    s.ballots.push_back({3, "yes", "r9"});
    const Findings f = check(l, s, false);
    CHECK(f.duplicated.size() == 1);
    CHECK(f.unexplained.size() == 2);
  }
  SECTION("an acknowledged decision missing, a decision twice, one never sent") {
    Ledger d = l;
    d.decisions = {{30, "admit", "d30", true}, {31, "rule_out", "d31", false}};
    Stored s = good;
    s.amendments = {{30, "admitted"}, {31, "proposed"}, {32, "proposed"}};
    s.decision_events = {{30, "admitted"}};
    CHECK(check(d, s, true).ok());
    s.amendments[1].status = "ruled_out";  // the unanswered one, committed
    s.decision_events.push_back({31, "ruled_out"});
    CHECK(check(d, s, false).ok());
    CHECK(check(d, s, true).unexplained.size() == 1);
    s.amendments[0].status = "proposed";
    s.decision_events = {{31, "ruled_out"}, {32, "admitted"}, {32, "admitted"}};
    const Findings f = check(d, s, false);
    CHECK(f.lost.size() == 2);
    CHECK(f.duplicated.size() == 1);
    CHECK(f.unexplained.size() == 1);
  }
  SECTION("an acknowledged version missing, overwritten, stored twice") {
    Stored s = good;
    s.versions = {{7, 1, "a"}};
    CHECK(check(l, s, false).lost.size() == 1);
    s.versions = {{7, 1, "a"}, {7, 2, "x"}};
    CHECK(check(l, s, false).lost.size() == 1);
    s.versions = {{7, 1, "a"}, {7, 2, "b"}, {7, 3, "b"}};  // a retry saved again
    const Findings f = check(l, s, false);
    CHECK(f.duplicated.size() == 1);
    CHECK(f.unexplained.size() == 1);  // version 3 is not the body that was in flight
  }
}
