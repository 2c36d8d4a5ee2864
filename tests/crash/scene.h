// The scene of the crash and failover tests, set up through the HTTP API of
// a running server: a session in amending with an open poll (and, when
// asked, proposed amendments waiting for the president's decision), and a
// session in drafting with fragments. Also the requests their bursts send,
// rebuilt identically for a retry.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "crash/ledger.h"

namespace rapporteur::crash {

inline constexpr int kExtraVoters = 160;  // beside the sample's 42 participants
inline constexpr int kFragmentsPerBreakout = 4;
inline constexpr const char* kVotes = "crash-votes";
inline constexpr const char* kDrafts = "crash-drafting";

std::string session_path(const std::string& sid, const std::string& rest);

struct Answer {
  int status = 0;
  std::string body;
  bool replayed = false;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// One request on a fresh connection; status 0 when nothing came back. An
// answer is checked against the OpenAPI document (a Catch2 check).
Answer call(int port, const std::string& method, const std::string& path, const nlohmann::json& body,
            const std::string& token, const std::string& key = "");

struct Voter {
  int64_t id = 0;
  std::string token;
};

struct SceneFragment {
  int64_t id = 0;
  std::string token;  // its breakout's rapporteur
};

// Two sessions: one in amending with an open poll on draft 1 (polls belong
// to amending), one in drafting with fragments (fragments are read-only
// after drafting).
struct Scene {
  int64_t poll = 0;
  std::string president, observer_votes, observer_drafts;
  std::vector<Voter> voters;
  std::vector<SceneFragment> fragments;
  std::vector<int64_t> amendments;          // proposed, in the votes session
  std::map<int64_t, std::string> token_of;  // voter id -> token
  Tracked tracked() const;
  // The voters dealt to `threads` threads.
  std::vector<std::vector<Voter>> voters_for(int threads) const;
  // The fragments dealt to `threads` threads (an even number), each thread
  // keeping to one breakout (its rapporteur's token): the first half gets
  // breakout 1's.
  std::vector<std::vector<SceneFragment>> fragments_for(int threads) const;
};

// Closes the scene's poll once every ballot is answered: it must count
// exactly each voter's last acknowledged ballot, and hold the ballots of
// `stored`. Then both sessions' logs must verify (Catch2 checks).
void close_and_verify(int port, const Scene& scene, const Ledger& ledger, const Stored& stored);

// A client that keeps its connection, as a phone on the venue's network does.
httplib::Client keep_alive_client(int port);

// The body of `fragment`'s version `version` in round `round`: distinct for
// each save, and rebuilt identically for its retry.
std::string fragment_body(int round, int64_t fragment, int64_t version);
nlohmann::json save_request(int round, int64_t fragment, int64_t version);
std::string ballot_key(int round, int64_t voter, size_t k);
std::string save_key(int round, int64_t fragment, int64_t version);
std::string decision_key(int round, int64_t amendment);

// Creates both sessions on the server at `port` (Catch2 REQUIREs each step),
// with `amendments` amendments proposed on draft 1 before the poll opens;
// records the fragments' first versions in `ledger` as acknowledged.
Scene set_up(int port, int round, Ledger& ledger, int amendments = 0);

}  // namespace rapporteur::crash
