// The failover test: the real `rapporteur serve` binary on a three-node
// PostgreSQL cluster under Patroni (synchronous_mode, strict; one etcd;
// tests/failover/cluster.sh with deploy/patroni's files), under a burst of
// ballots, fragment saves and amendment decisions. In the middle of it the
// primary's PostgreSQL and Patroni are killed with SIGKILL. Clients wait 5 s
// for an answer, then resend the request with the same Idempotency-Key,
// until it is answered (60 s at most each). Once Patroni has promoted the synchronous standby and
// every request is answered, the store must hold every acknowledged ballot,
// version and decision exactly once and nothing unsent, the poll must count
// the acknowledged ballots, and the log must verify. The outage clients saw
// (the longest time without any successful answer) is measured; the last
// line printed is the figure:
//   failover: acknowledged ballots=N versions=M decisions=K, lost=0, outage=X.Ys
//
// Skipped (exit 77 under CTest) without patroni, etcd or PostgreSQL 15, or
// when this build has no PostgreSQL store (-DRAPPORTEUR_POSTGRES=ON).
#include <httplib.h>
#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <latch>
#include <mutex>
#include <thread>

#include "contract/answers.h"
#include "crash/ledger.h"
#include "crash/scene.h"
#include "crash/server_process.h"
#include "rapporteur/crypto.h"
#include "rapporteur/store.h"
#include "rapporteur/subprocess.h"
#include "test_server.h"

using namespace rapporteur;
using namespace rapporteur::crash;
using rapporteur::testing::kAdminToken;
using rapporteur::testing::TempDir;
using SteadyClock = std::chrono::steady_clock;
namespace contract = rapporteur::testing::contract;

namespace {

constexpr int kVoterThreads = 8;  // one keep-alive connection each
constexpr int kSaverThreads = 4;  // two per breakout, each with its own fragments
constexpr int kAmendments = 200;  // decided one at a time by the president, kDecisionPace apart
constexpr auto kDecisionPace = std::chrono::milliseconds(150);
constexpr auto kBeforeKill = std::chrono::seconds(3);      // of burst before the kill
constexpr auto kAfterRecovery = std::chrono::seconds(3);   // of burst after the first answer past the kill
constexpr auto kRetryDeadline = std::chrono::seconds(60);  // for each request
constexpr auto kRetryPause = std::chrono::milliseconds(100);
// How long a client waits for an answer before it sends the request again
// (a phone's patience): shorter than the outage, so that requests in flight
// at the kill are resent while the server may still be working on them.
constexpr time_t kClientTimeoutS = 5;
constexpr double kOutageTargetS = 30.0;
const char* const kChoices[] = {"yes", "no", "abstain"};
const std::string kClusterScript = RAPPORTEUR_SOURCE_DIR "/tests/failover/cluster.sh";

double in_seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

// tests/failover/cluster.sh on one folder; stopped (nothing left running)
// at destruction.
class Cluster {
 public:
  explicit Cluster(std::string dir) : dir_(std::move(dir)) {}
  ~Cluster() {
    if (started_) (void)run({"stop"}, 60'000);
  }
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  Result<SubprocessResult> run(const std::vector<std::string>& args, int timeout_ms) {
    std::vector<std::string> argv = {kClusterScript, dir_};
    argv.insert(argv.end(), args.begin(), args.end());
    SubprocessOptions options;
    options.timeout_ms = timeout_ms;
    return run_subprocess(argv, options);
  }
  // Starts it; the URL is the last line printed.
  Result<SubprocessResult> start() {
    started_ = true;
    auto r = run({"start"}, 180'000);
    if (r.ok() && r->ok()) {
      std::string out = r->output;
      while (!out.empty() && out.back() == '\n') out.pop_back();
      url_ = out.substr(out.rfind('\n') + 1);
    }
    return r;
  }
  const std::string& url() const { return url_; }

 private:
  std::string dir_;
  std::string url_;
  bool started_ = false;
};

// What the burst's threads share: the stop signal, the times of successful
// answers (for the outage) and what must not happen.
struct Burst {
  int port = 0;
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<SteadyClock::time_point> answered;  // every 2xx, all threads
  std::vector<std::string> unexpected;
  int64_t retries = 0;

  void note(const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    unexpected.push_back(what);
  }
  void success() {
    std::lock_guard<std::mutex> lock(mu);
    answered.push_back(SteadyClock::now());
  }
  // Sends one request until it is answered with a status below 500 (nothing
  // back, 5xx: sent again, same key), for at most kRetryDeadline. Null when
  // it never was.
  httplib::Result until_answered(httplib::Client& cli, const std::string& method, const std::string& path,
                                 const httplib::Headers& headers, const std::string& body) {
    const auto deadline = SteadyClock::now() + kRetryDeadline;
    for (int attempt = 0;; ++attempt) {
      httplib::Result r = method == "PUT" ? cli.Put(path.c_str(), headers, body, "application/json")
                                          : cli.Post(path.c_str(), headers, body, "application/json");
      if (r && r->status < 500) {
        if (attempt > 0) {
          std::lock_guard<std::mutex> lock(mu);
          retries += attempt;
        }
        return r;
      }
      if (SteadyClock::now() >= deadline) {
        note(method + " " + path + ": unanswered for " + std::to_string(in_seconds(kRetryDeadline)) + " s (last: " +
             (r ? std::to_string(r->status) + " " + r->body.substr(0, 200) : httplib::to_string(r.error())) + ")");
        return r;
      }
      std::this_thread::sleep_for(kRetryPause);
    }
  }
};

// Casts ballots for `mine` in turn, changing each one's choice every pass,
// one at a time, until the burst stops.
void vote_loop(Burst& b, std::latch& ready, int64_t poll, const std::vector<Voter>& mine, Ledger& out) {
  httplib::Client cli = keep_alive_client(b.port);
  cli.set_read_timeout(kClientTimeoutS, 0);
  ready.arrive_and_wait();
  const std::string path = session_path(kVotes, "/polls/" + std::to_string(poll) + "/ballots");
  for (size_t k = 0; !b.stop; ++k) {
    const Voter& v = mine[k % mine.size()];
    BallotSent sent;
    sent.voter = v.id;
    sent.choice = kChoices[(k / mine.size() + static_cast<size_t>(v.id)) % 3];
    sent.key = ballot_key(1, v.id, k);
    out.ballots.push_back(sent);
    auto r =
        b.until_answered(cli, "POST", path, {{"Authorization", "Bearer " + v.token}, {"Idempotency-Key", sent.key}},
                         nlohmann::json{{"choice", sent.choice}}.dump());
    if (!r) return;
    if (r->status != 200)
      return b.note("ballot " + sent.key + ": answered " + std::to_string(r->status) + " " + r->body.substr(0, 200));
    if (auto broken = contract::check_answer("POST", path, *r); !broken.empty()) b.note(broken);
    b.success();
    out.ballots.back().acked = true;
    out.ballots.back().receipt = nlohmann::json::parse(r->body)["receipt"];
  }
}

// Saves each of `mine` in turn, each save based on the last acknowledged one.
void save_loop(Burst& b, std::latch& ready, const std::vector<SceneFragment>& mine, Ledger& out) {
  httplib::Client cli = keep_alive_client(b.port);
  cli.set_read_timeout(kClientTimeoutS, 0);
  ready.arrive_and_wait();
  std::map<int64_t, int64_t> latest;
  for (const SceneFragment& f : mine) latest[f.id] = 1;
  for (size_t k = 0; !b.stop; ++k) {
    const SceneFragment& f = mine[k % mine.size()];
    const int64_t version = latest[f.id] + 1;
    const nlohmann::json body = save_request(1, f.id, version);
    SaveSent sent{f.id, version, sha256_hex(body["body"].get<std::string>()), save_key(1, f.id, version), false};
    out.saves.push_back(sent);
    const std::string path = session_path(kDrafts, "/fragments/" + std::to_string(f.id));
    auto r = b.until_answered(cli, "PUT", path, {{"Authorization", "Bearer " + f.token}, {"Idempotency-Key", sent.key}},
                              body.dump());
    if (!r) return;
    if (r->status != 201)
      return b.note("save " + sent.key + ": answered " + std::to_string(r->status) + " " + r->body.substr(0, 200));
    if (auto broken = contract::check_answer("PUT", path, *r); !broken.empty()) b.note(broken);
    const auto j = nlohmann::json::parse(r->body);
    if (j["version"] != version || j["sha256"] != sent.sha256)
      return b.note("save " + sent.key + ": answered " + r->body.substr(0, 200));
    b.success();
    out.saves.back().acked = true;
    latest[f.id] = version;
  }
}

// The president admits or rules out the proposed amendments one at a time,
// at a steady pace, until the burst stops or none is left.
void decision_loop(Burst& b, std::latch& ready, const Scene& scene, Ledger& out) {
  httplib::Client cli = keep_alive_client(b.port);
  cli.set_read_timeout(kClientTimeoutS, 0);
  ready.arrive_and_wait();
  for (size_t i = 0; i < scene.amendments.size() && !b.stop; ++i) {
    const int64_t id = scene.amendments[i];
    DecisionSent sent{id, i % 2 == 0 ? "admit" : "rule_out", decision_key(1, id), false};
    out.decisions.push_back(sent);
    const std::string path = session_path(kVotes, "/amendments/" + std::to_string(id) + "/decision");
    auto r = b.until_answered(cli, "POST", path,
                              {{"Authorization", "Bearer " + scene.president}, {"Idempotency-Key", sent.key}},
                              nlohmann::json{{"decision", sent.decision}, {"reason", "failover test"}}.dump());
    if (!r) return;
    if (r->status != 200)
      return b.note("decision " + sent.key + ": answered " + std::to_string(r->status) + " " + r->body.substr(0, 200));
    if (auto broken = contract::check_answer("POST", path, *r); !broken.empty()) b.note(broken);
    b.success();
    out.decisions.back().acked = true;
    std::this_thread::sleep_for(kDecisionPace);
  }
}

// The longest time between two successive successful answers, and the
// first success after `kill`.
struct Outage {
  double longest_s = 0;
  double first_after_kill_s = -1;
};

Outage measure(std::vector<SteadyClock::time_point> answered, SteadyClock::time_point kill) {
  std::sort(answered.begin(), answered.end());
  Outage o;
  for (size_t i = 1; i < answered.size(); ++i)
    o.longest_s = std::max(o.longest_s, in_seconds(answered[i] - answered[i - 1]));
  const auto after = std::upper_bound(answered.begin(), answered.end(), kill);
  if (after != answered.end()) o.first_after_kill_s = in_seconds(*after - kill);
  return o;
}

}  // namespace

TEST_CASE("kill -9 of the PostgreSQL primary during a burst loses nothing acknowledged", "[failover]") {
  signal(SIGPIPE, SIG_IGN);  // a write to a closed connection is an error, not the end of the test
  if (rapporteur::testing::require_program("patroni", "patroni").empty() ||
      rapporteur::testing::require_program("etcd", "etcd-server").empty() ||
      rapporteur::testing::require_program("psql", "postgresql-client-15").empty() ||
      rapporteur::testing::require_file("/usr/lib/postgresql/15/bin/postgres", "Debian package postgresql-15")
          .empty()) {
    return;
  }
  if (!postgres_supported()) {
    rapporteur::testing::not_applicable("this build has no PostgreSQL store (configure with -DRAPPORTEUR_POSTGRES=ON)");
    return;
  }

  TempDir dir;
  // The cluster's user (postgres, when the test runs as root) works below it.
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                               std::filesystem::perms::group_exec |
                                               std::filesystem::perms::others_read |
                                               std::filesystem::perms::others_exec);
  Cluster cluster(dir.file("cluster"));
  auto started = cluster.start();
  REQUIRE(started.ok());
  if (started->exit_code == 77) {
    rapporteur::testing::not_applicable(started->output);
    return;
  }
  INFO(started->output);
  REQUIRE(started->ok());
  REQUIRE(cluster.url().rfind("postgresql://", 0) == 0);

  ServeOptions options{RAPPORTEUR_BINARY, cluster.url(), dir.file("serve.log"), kAdminToken};
  std::string error;
  auto server = ServerProcess::start(options, error);
  INFO(error);
  REQUIRE(server);

  Ledger ledger;
  const Scene scene = set_up(server->port(), 1, ledger, kAmendments);

  Burst burst;
  burst.port = server->port();
  const int threads_n = kVoterThreads + kSaverThreads + 1;
  std::vector<Ledger> parts(threads_n);
  std::latch ready(threads_n + 1);
  const auto voters = scene.voters_for(kVoterThreads);
  const auto fragments = scene.fragments_for(kSaverThreads);
  std::vector<std::thread> threads;
  // However this scope is left (a failed REQUIRE throws), the burst stops
  // and its threads are joined before anything they use goes away.
  struct Joiner {
    Burst& burst;
    std::vector<std::thread>& threads;
    ~Joiner() {
      burst.stop = true;
      for (auto& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } joiner{burst, threads};
  for (int i = 0; i < kVoterThreads; ++i)
    threads.emplace_back([&, i] { vote_loop(burst, ready, scene.poll, voters[i], parts[i]); });
  for (int i = 0; i < kSaverThreads; ++i) {
    threads.emplace_back([&, i] { save_loop(burst, ready, fragments[i], parts[kVoterThreads + i]); });
  }
  threads.emplace_back([&] { decision_loop(burst, ready, scene, parts[threads_n - 1]); });

  // The burst, the kill in its middle, and the burst again once answers come back.
  ready.arrive_and_wait();
  const auto burst_start = SteadyClock::now();
  std::this_thread::sleep_for(kBeforeKill);
  const auto kill_time = SteadyClock::now();
  auto killed = cluster.run({"kill-leader"}, 30'000);
  REQUIRE(killed.ok());
  INFO(killed->output);
  CHECK(killed->ok());
  auto promoted = cluster.run({"wait-leader", "60"}, 90'000);  // Patroni's own account, beside the clients'
  REQUIRE(promoted.ok());
  INFO(promoted->output);
  CHECK(promoted->ok());
  for (const auto give_up = kill_time + std::chrono::seconds(90); SteadyClock::now() < give_up;) {
    bool recovered = false;
    {
      std::lock_guard<std::mutex> lock(burst.mu);
      recovered = !burst.answered.empty() && burst.answered.back() > kill_time;
    }
    if (recovered) {
      std::this_thread::sleep_for(kAfterRecovery);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  burst.stop = true;
  for (auto& t : threads) t.join();
  const double burst_s = in_seconds(SteadyClock::now() - burst_start);
  for (const Ledger& part : parts) ledger.append(part);
  for (const auto& u : burst.unexpected) FAIL_CHECK(u);
  INFO(server->output());

  // Every request was answered: the store holds exactly what was acknowledged.
  int64_t ballots = 0, versions = -static_cast<int64_t>(scene.fragments.size()), decisions = 0, unanswered = 0;
  for (const auto& b : ledger.ballots) (b.acked ? ballots : unanswered) += 1;
  for (const auto& s : ledger.saves) (s.acked ? versions : unanswered) += 1;
  for (const auto& d : ledger.decisions) (d.acked ? decisions : unanswered) += 1;
  CHECK(unanswered == 0);
  StoreOptions where;
  REQUIRE(set_database(where, cluster.url()).is_ok());
  const Result<Stored> stored = read_stored(where, scene.tracked());
  INFO(stored.status().message());
  REQUIRE(stored.ok());
  const Findings findings = check(ledger, *stored, unanswered == 0);
  INFO(findings.describe());
  CHECK(findings.ok());

  // The detector on this very store: a forged acknowledgement is reported.
  Ledger forged = ledger;
  forged.ballots.push_back({scene.voters[0].id, "yes", "forged", true, "forged-receipt"});
  forged.saves.push_back({scene.fragments[0].id, 1000, std::string(64, '0'), "forged", true});
  CHECK(check(forged, *stored, true).lost.size() >= 3);

  close_and_verify(server->port(), scene, ledger, *stored);
  CHECK(server->terminate() == 0);
  auto verified = run_subprocess({RAPPORTEUR_BINARY, "verify", "--db", cluster.url()}, SubprocessOptions{});
  REQUIRE(verified.ok());
  INFO(verified->output);
  CHECK(verified->ok());

  // The outage clients saw: the longest stretch without a successful answer.
  const Outage outage = measure(burst.answered, kill_time);
  CHECK(outage.first_after_kill_s >= 0);
  CHECK(outage.longest_s < kOutageTargetS);
  std::string patroni = promoted->output;
  while (!patroni.empty() && patroni.back() == '\n') patroni.pop_back();
  std::cout << "failover: burst " << static_cast<int>(burst_s) << " s, " << burst.retries
            << " retries; Patroni: " << patroni << "; first answer " << outage.first_after_kill_s << " s after the kill"
            << std::endl;
  char outage_s[32];
  std::snprintf(outage_s, sizeof outage_s, "%.1f", outage.longest_s);
  std::cout << "failover: acknowledged ballots=" << ballots << " versions=" << versions << " decisions=" << decisions
            << ", lost=" << findings.lost.size() << ", outage=" << outage_s << "s" << std::endl;
  CHECK(ballots > 0);
  CHECK(versions > 0);
  CHECK(decisions > 0);
}
