// Poll, eligibility, ballot and objection rows. Secret ballots are written
// to two tables that share no key but the poll.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <vector>

#include "rapporteur/polls.h"

namespace rapporteur::poll_store {

int64_t insert(SQLite::Database& db, const Poll& p);
std::optional<Poll> find(SQLite::Database& db, const std::string& session, int64_t id);
std::vector<Poll> list(SQLite::Database& db, const std::string& session);
std::optional<int64_t> open_poll_id(SQLite::Database& db, const std::string& session);
std::vector<std::pair<std::string, int64_t>> due(SQLite::Database& db, int64_t now);  // (session, poll)

// Opens a pending poll; closes_at, when given, is its closing time from its
// duration.
void mark_open(SQLite::Database& db, int64_t id, int64_t now, int64_t eligible, const std::optional<int64_t>& closes_at);
// Cancels a pending poll; false when it is not pending (or already cancelled).
bool mark_cancelled(SQLite::Database& db, int64_t id, int64_t now);
void mark_closed(SQLite::Database& db, int64_t id, int64_t now, const nlohmann::json& result);
void set_counts(SQLite::Database& db, int64_t id, int64_t yes, int64_t no, int64_t abstain);

// Snapshots the session's participants as the poll's voters; returns how many.
int64_t snapshot_voters(SQLite::Database& db, int64_t poll, const std::string& session);
bool is_voter(SQLite::Database& db, int64_t poll, int64_t person);

struct Counts {
  int64_t yes = 0, no = 0, abstain = 0;
};

// Named polls. Returns true when an earlier ballot was replaced.
bool upsert_ballot(SQLite::Database& db, int64_t poll, int64_t voter, const std::string& choice,
                   const std::string& receipt, int64_t now);
Counts named_counts(SQLite::Database& db, int64_t poll);
struct NamedBallot {
  int64_t person;
  std::string name;
  std::string choice;
  std::string receipt;
};
std::vector<NamedBallot> named_ballots(SQLite::Database& db, int64_t poll);

// Secret polls.
bool has_voted_secretly(SQLite::Database& db, int64_t poll, int64_t voter);
void mark_voted_secretly(SQLite::Database& db, int64_t poll, int64_t voter);
// Removes the ballot whose change code hashes to `change_hash`; false when
// none does.
bool remove_secret_ballot(SQLite::Database& db, int64_t poll, const std::string& change_hash);
void insert_secret_ballot(SQLite::Database& db, int64_t poll, const std::string& receipt, const std::string& choice,
                          const std::string& change_hash);
// Empties secret_voted and secret_ballots and writes every row back in key
// order. With secure_delete on (the writer connection's setting) the old
// cells and freed pages are overwritten, so neither a row's place in its
// page nor its page says in which order ballots were cast. Throws (rolling
// the job back) if a row would be lost.
void rebuild_secret_tables(SQLite::Database& db);
Counts secret_counts(SQLite::Database& db, int64_t poll);
std::vector<std::string> secret_receipts(SQLite::Database& db, int64_t poll);
// Whether `receipt` (compared exactly, byte for byte) is a ballot of `poll`.
bool has_secret_receipt(SQLite::Database& db, int64_t poll, const std::string& receipt);
// The named ballot whose receipt is exactly `receipt`: its poll and choice.
struct ReceiptBallot {
  int64_t poll;
  std::string choice;
};
std::optional<ReceiptBallot> find_named_receipt(SQLite::Database& db, const std::string& receipt);

// Consensus polls.
bool add_objection(SQLite::Database& db, int64_t poll, int64_t person, int64_t now);
int64_t objections(SQLite::Database& db, int64_t poll);

}  // namespace rapporteur::poll_store
