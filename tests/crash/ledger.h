// The crash and failover tests' bookkeeping: what the client sent and was
// told (the ledger), what the store holds afterwards (Stored, read through the
// storage contract, so from a SQLite file or a PostgreSQL server alike), and
// the comparison of the two (check). check() is a pure function so that it
// can be tested on its own: a detector that cannot fail proves nothing.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rapporteur/status.h"
#include "rapporteur/store.h"

namespace rapporteur::crash {

// One ballot request as the client saw it.
struct BallotSent {
  int64_t voter = 0;    // person id
  std::string choice;   // yes, no or abstain
  std::string key;      // its Idempotency-Key
  bool acked = false;   // answered 2xx
  std::string receipt;  // from the 2xx answer
};

// One fragment save (version 1 is the creation).
struct SaveSent {
  int64_t fragment = 0;
  int64_t version = 0;  // the version it creates: base_version + 1
  std::string sha256;   // of its body
  std::string key;      // its Idempotency-Key
  bool acked = false;
};

// One decision on a proposed amendment (sent once; a retry is the same
// request with the same key).
struct DecisionSent {
  int64_t amendment = 0;
  std::string decision;  // admit or rule_out
  std::string key;       // its Idempotency-Key
  bool acked = false;
};

// Each voter's ballots and each fragment's saves in the order sent. The
// client sends them one at a time per voter and per fragment, so only the
// last of each may be unanswered.
struct Ledger {
  std::vector<BallotSent> ballots;
  std::vector<SaveSent> saves;
  std::vector<DecisionSent> decisions;
  void append(const Ledger& other);
};

// What the database holds for one poll and a set of fragments.
struct Stored {
  struct Ballot {
    int64_t voter = 0;
    std::string choice, receipt;
  };
  struct Version {
    int64_t fragment = 0, version = 0;
    std::string sha256;
  };
  std::vector<Ballot> ballots;          // the poll's named ballots
  std::vector<Ballot> ballot_events;    // ballot_cast events of the log
  std::vector<Version> versions;        // the fragments' versions
  std::vector<Version> version_events;  // fragment_created and fragment_revised events
  struct Decision {
    int64_t amendment = 0;
    std::string status;  // proposed, admitted, ruled_out, ...
  };
  std::vector<Decision> amendments;       // the tracked amendments' states
  std::vector<Decision> decision_events;  // amendment_admitted and amendment_ruled_out events
};

// What a round watches: one poll of one session, fragments of another.
struct Tracked {
  std::string votes_session;
  int64_t poll = 0;
  std::string drafts_session;
  std::vector<int64_t> fragments;
  std::vector<int64_t> amendments;  // in the votes session
};

// Reads what `store` holds of `tracked` in one snapshot, without opening it
// for writing (read_existing: safe while a server writes it). The failure
// names the database when it cannot be read.
Result<Stored> read_stored(const StoreOptions& store, const Tracked& tracked);

struct Findings {
  std::vector<std::string> lost;         // acknowledged, but missing or altered
  std::vector<std::string> duplicated;   // present more than once
  std::vector<std::string> unexplained;  // present, but never sent (or answered with an error)
  bool ok() const { return lost.empty() && duplicated.empty() && unexplained.empty(); }
  std::string describe(size_t max_lines = 20) const;
};

// Each voter's last acknowledged choice, counted: what the poll must count
// once every ballot is answered.
std::map<std::string, int64_t> expected_counts(const Ledger& ledger);

// Compares what was acknowledged with what is stored. Unless `settled`, an
// unanswered request (in flight at the crash) may or may not be stored; once
// settled (every request answered), the store must hold exactly the
// acknowledged ones.
Findings check(const Ledger& ledger, const Stored& stored, bool settled);

}  // namespace rapporteur::crash
