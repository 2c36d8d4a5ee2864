// Poll, voter, ballot and objection rows. Secret ballots are kept in two
// places that share no key but the poll: who has voted, and what was voted.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rapporteur/poll.h"

namespace rapporteur {

struct BallotCounts {
  int64_t yes = 0, no = 0, abstain = 0;
};

struct NamedBallot {
  int64_t person = 0;
  std::string name;
  std::string choice;
  std::string receipt;
};

// What became of a named ballot handed to the store.
enum class NamedCast {
  not_a_voter,  // the person holds no voting right in the poll: nothing was written
  cast,         // the voter's first ballot in the poll
  replaced,     // it replaced the voter's earlier ballot
};

// The named ballot whose receipt was looked up: its poll and choice.
struct ReceiptBallot {
  int64_t poll = 0;
  std::string choice;
};

class PollReads {
 public:
  virtual ~PollReads() = default;
  virtual std::optional<Poll> find(const std::string& session, int64_t id) = 0;
  virtual std::vector<Poll> list(const std::string& session) = 0;
  virtual std::optional<int64_t> open_poll_id(const std::string& session) = 0;
  // Open polls whose closing time is at or before `now`: (session, poll).
  virtual std::vector<std::pair<std::string, int64_t>> due(int64_t now) = 0;
  virtual bool is_voter(int64_t poll, int64_t person) = 0;

  // Named polls.
  virtual BallotCounts named_counts(int64_t poll) = 0;
  virtual std::vector<NamedBallot> named_ballots(int64_t poll) = 0;
  // The named ballot whose receipt is exactly `receipt`.
  virtual std::optional<ReceiptBallot> find_named_receipt(const std::string& receipt) = 0;

  // Secret polls.
  virtual bool has_voted_secretly(int64_t poll, int64_t voter) = 0;
  virtual BallotCounts secret_counts(int64_t poll) = 0;
  virtual std::vector<std::string> secret_receipts(int64_t poll) = 0;
  // Whether `receipt` (compared exactly, byte for byte) is a ballot of `poll`.
  virtual bool has_secret_receipt(int64_t poll, const std::string& receipt) = 0;

  // Consensus polls.
  virtual int64_t objections(int64_t poll) = 0;
};

class PollWrites : public PollReads {
 public:
  virtual int64_t insert(const Poll& p) = 0;
  // Opens a pending poll; closes_at, when given, is its closing time from
  // its duration.
  virtual void mark_open(int64_t id, int64_t now, int64_t eligible, const std::optional<int64_t>& closes_at) = 0;
  // Cancels a pending poll; false when it is not pending (or already
  // cancelled).
  virtual bool mark_cancelled(int64_t id, int64_t now) = 0;
  virtual void mark_closed(int64_t id, int64_t now, const nlohmann::json& result) = 0;
  virtual void set_counts(int64_t id, int64_t yes, int64_t no, int64_t abstain) = 0;
  // Snapshots the session's participants as the poll's voters; returns how
  // many.
  virtual int64_t snapshot_voters(int64_t poll, const std::string& session) = 0;

  // Named polls: stores the voter's ballot, replacing an earlier one, if
  // the voter holds a voting right in the poll (is_voter); otherwise writes
  // nothing. One operation, so that a store can check and write at once.
  virtual NamedCast cast_named_ballot(int64_t poll, int64_t voter, const std::string& choice,
                                      const std::string& receipt, int64_t now) = 0;

  // Secret polls.
  virtual void mark_voted_secretly(int64_t poll, int64_t voter) = 0;
  // Removes the ballot whose change code hashes to `change_hash`; false when
  // none does.
  virtual bool remove_secret_ballot(int64_t poll, const std::string& change_hash) = 0;
  virtual void insert_secret_ballot(int64_t poll, const std::string& receipt, const std::string& choice,
                                    const std::string& change_hash) = 0;
  // Rewrites every secret ballot and every "has voted" mark so that nothing
  // stored (the order of rows, where each sits, freed space) tells in which
  // order ballots were cast. Called when a secret poll closes, with
  // Tx::wipe_wal set so the store's log keeps no older copy either. Fails
  // the job rather than lose a row.
  virtual void rebuild_secret_tables() = 0;

  // Consensus polls. False when the person had already objected.
  virtual bool add_objection(int64_t poll, int64_t person, int64_t now) = 0;
};

}  // namespace rapporteur
