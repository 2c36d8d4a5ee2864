// Poll, voter, ballot and objection rows in SQLite. Secret ballots are
// written to two tables that share no key but the poll.
//
// Each object works on the connection it was made with: the write
// connection inside a write job, or a read connection inside a read.
#pragma once

#include <SQLiteCpp/Database.h>

#include "rapporteur/store/polls.h"

namespace rapporteur::sqlite {

class Polls final : public PollWrites {
 public:
  explicit Polls(SQLite::Database& db) : db_(db) {}
  std::optional<Poll> find(const std::string& session, int64_t id) override;
  std::vector<Poll> list(const std::string& session) override;
  std::optional<int64_t> open_poll_id(const std::string& session) override;
  std::vector<std::pair<std::string, int64_t>> due(int64_t now) override;
  bool is_voter(int64_t poll, int64_t person) override;
  BallotCounts named_counts(int64_t poll) override;
  std::vector<NamedBallot> named_ballots(int64_t poll) override;
  std::optional<ReceiptBallot> find_named_receipt(const std::string& receipt) override;
  bool has_voted_secretly(int64_t poll, int64_t voter) override;
  BallotCounts secret_counts(int64_t poll) override;
  std::vector<std::string> secret_receipts(int64_t poll) override;
  bool has_secret_receipt(int64_t poll, const std::string& receipt) override;
  int64_t objections(int64_t poll) override;
  int64_t insert(const Poll& p) override;
  void mark_open(int64_t id, int64_t now, int64_t eligible, const std::optional<int64_t>& closes_at) override;
  bool mark_cancelled(int64_t id, int64_t now) override;
  void mark_closed(int64_t id, int64_t now, const nlohmann::json& result) override;
  void set_counts(int64_t id, int64_t yes, int64_t no, int64_t abstain) override;
  int64_t snapshot_voters(int64_t poll, const std::string& session) override;
  NamedCast cast_named_ballot(int64_t poll, int64_t voter, const std::string& choice, const std::string& receipt,
                              int64_t now) override;
  void mark_voted_secretly(int64_t poll, int64_t voter) override;
  bool remove_secret_ballot(int64_t poll, const std::string& change_hash) override;
  void insert_secret_ballot(int64_t poll, const std::string& receipt, const std::string& choice, const std::string& change_hash) override;
  void rebuild_secret_tables() override;
  bool add_objection(int64_t poll, int64_t person, int64_t now) override;

 private:
  SQLite::Database& db_;
};

}  // namespace rapporteur::sqlite
