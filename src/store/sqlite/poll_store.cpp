#include "store/sqlite/poll_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <stdexcept>

#include "store/sqlite/statement_cache.h"
#include "store/stored_values.h"

namespace rapporteur::sqlite {
namespace {

constexpr const char* kColumns =
    "id, session_id, subject_kind, subject_id, method, rule, quorum, secret, closes_at, override_slot, reason, state, "
    "created_by, created_at, opened_at, closed_at, eligible, hands_yes, hands_no, hands_abstain, result, "
    "duration_seconds, hide_results, cancelled_at";

std::optional<int64_t> opt(SQLite::Statement& q, int col) {
  if (q.getColumn(col).isNull()) return std::nullopt;
  return q.getColumn(col).getInt64();
}

Poll row(SQLite::Statement& q) {
  Poll p;
  p.id = q.getColumn(0).getInt64();
  p.session = q.getColumn(1).getString();
  p.subject_kind = stored(parse_poll_subject(q.getColumn(2).getString()), "polls.subject_kind");
  p.subject_id = q.getColumn(3).getInt64();
  p.method = stored(parse_method(q.getColumn(4).getString()), "polls.method");
  p.rule = stored(parse_rule(q.getColumn(5).getString()), "polls.rule");
  p.quorum = opt(q, 6);
  p.secret = q.getColumn(7).getInt() != 0;
  p.closes_at = opt(q, 8);
  p.override_slot = q.getColumn(9).getInt() != 0;
  p.reason = q.getColumn(10).getString();
  p.state = stored(parse_poll_state(q.getColumn(11).getString()), "polls.state");
  p.created_by = q.getColumn(12).getString();
  p.created_at = q.getColumn(13).getInt64();
  p.opened_at = opt(q, 14).value_or(0);
  p.closed_at = opt(q, 15).value_or(0);
  p.eligible = opt(q, 16).value_or(0);
  p.hands_yes = opt(q, 17);
  p.hands_no = opt(q, 18);
  p.hands_abstain = opt(q, 19);
  p.result = q.getColumn(20).isNull() ? nlohmann::json(nullptr) : nlohmann::json::parse(q.getColumn(20).getString());
  p.duration_seconds = opt(q, 21);
  p.hide_results = q.getColumn(22).getInt() != 0;
  p.cancelled_at = opt(q, 23).value_or(0);
  if (p.cancelled_at != 0) p.state = PollState::cancelled;  // stored as pending: the state column predates cancelling
  return p;
}

BallotCounts counts_of(SQLite::Statement& q) {
  BallotCounts c;
  while (q.executeStep()) {
    const std::string choice = q.getColumn(0).getString();
    const int64_t n = q.getColumn(1).getInt64();
    if (choice == "yes") c.yes = n;
    if (choice == "no") c.no = n;
    if (choice == "abstain") c.abstain = n;
  }
  return c;
}

}  // namespace

int64_t Polls::insert(const Poll& p) {
  Stmt q(db_,
         "INSERT INTO polls (session_id, subject_kind, subject_id, method, rule, quorum, secret, closes_at, "
         "override_slot, reason, state, created_by, created_at, duration_seconds, hide_results) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  // A cancelled poll is stored as pending with its cancelled_at set.
  const PollState stored_state = p.state == PollState::cancelled ? PollState::pending : p.state;
  q.bind_all(p.session, poll_subject_name(p.subject_kind), p.subject_id, method_name(p.method), rule_name(p.rule),
             p.quorum, p.secret, p.closes_at, p.override_slot, p.reason, poll_state_name(stored_state), p.created_by,
             p.created_at, p.duration_seconds, p.hide_results);
  q.exec();
  return db_.getLastInsertRowid();
}

std::optional<Poll> Polls::find(const std::string& session, int64_t id) {
  Stmt q(db_, std::string("SELECT ") + kColumns + " FROM polls WHERE session_id = ? AND id = ?");
  q.bind_all(session, id);
  if (!q.executeStep()) return std::nullopt;
  return row(q);
}

std::vector<Poll> Polls::list(const std::string& session) {
  Stmt q(db_, std::string("SELECT ") + kColumns + " FROM polls WHERE session_id = ? ORDER BY id");
  q.bind_all(session);
  std::vector<Poll> out;
  while (q.executeStep()) out.push_back(row(q));
  return out;
}

std::optional<int64_t> Polls::open_poll_id(const std::string& session) {
  Stmt q(db_, "SELECT id FROM polls WHERE session_id = ? AND state = 'open'");
  q.bind_all(session);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getInt64();
}

std::vector<std::pair<std::string, int64_t>> Polls::due(int64_t now) {
  Stmt q(db_, "SELECT session_id, id FROM polls WHERE state = 'open' AND closes_at IS NOT NULL AND closes_at <= ?");
  q.bind_all(now);
  std::vector<std::pair<std::string, int64_t>> out;
  while (q.executeStep()) out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt64());
  return out;
}

void Polls::mark_open(int64_t id, int64_t now, int64_t eligible, const std::optional<int64_t>& closes_at) {
  Stmt q(db_,
         "UPDATE polls SET state = 'open', opened_at = ?, eligible = ?, closes_at = COALESCE(?, closes_at) "
         "WHERE id = ? AND state = 'pending' AND cancelled_at IS NULL");
  q.bind_all(now, eligible, closes_at, id);
  q.exec();
}

bool Polls::mark_cancelled(int64_t id, int64_t now) {
  Stmt q(db_, "UPDATE polls SET cancelled_at = ? WHERE id = ? AND state = 'pending' AND cancelled_at IS NULL");
  q.bind_all(now, id);
  return q.exec() == 1;
}

void Polls::mark_closed(int64_t id, int64_t now, const nlohmann::json& result) {
  Stmt q(db_, "UPDATE polls SET state = 'closed', closed_at = ?, result = ? WHERE id = ? AND state = 'open'");
  q.bind_all(now, result.dump(), id);
  q.exec();
}

void Polls::set_counts(int64_t id, int64_t yes, int64_t no, int64_t abstain) {
  Stmt q(db_, "UPDATE polls SET hands_yes = ?, hands_no = ?, hands_abstain = ? WHERE id = ?");
  q.bind_all(yes, no, abstain, id);
  q.exec();
}

int64_t Polls::snapshot_voters(int64_t poll, const std::string& session) {
  Stmt q(db_,
         "INSERT INTO poll_voters (poll_id, person_id) SELECT ?, id FROM people WHERE session_id = ? AND "
         "(',' || roles || ',') LIKE '%,participant,%'");
  q.bind_all(poll, session);
  return q.exec();
}

bool Polls::is_voter(int64_t poll, int64_t person) {
  Stmt q(db_, "SELECT 1 FROM poll_voters WHERE poll_id = ? AND person_id = ?");
  q.bind_all(poll, person);
  return q.executeStep();
}

NamedCast Polls::cast_named_ballot(int64_t poll, int64_t voter, const std::string& choice,
                                   const std::string& receipt, int64_t now) {
  if (!is_voter(poll, voter)) return NamedCast::not_a_voter;
  Stmt existing(db_, "SELECT 1 FROM ballots WHERE poll_id = ? AND voter = ?");
  existing.bind_all(poll, voter);
  const bool replaced = existing.executeStep();
  Stmt q(db_,
         "INSERT INTO ballots (poll_id, voter, choice, receipt, cast_at) VALUES (?, ?, ?, ?, ?) "
         "ON CONFLICT (poll_id, voter) DO UPDATE SET choice = excluded.choice, receipt = excluded.receipt, "
         "cast_at = excluded.cast_at");
  q.bind_all(poll, voter, choice, receipt, now);
  q.exec();
  return replaced ? NamedCast::replaced : NamedCast::cast;
}

BallotCounts Polls::named_counts(int64_t poll) {
  Stmt q(db_, "SELECT choice, COUNT(*) FROM ballots WHERE poll_id = ? GROUP BY choice");
  q.bind_all(poll);
  return counts_of(q);
}

std::vector<NamedBallot> Polls::named_ballots(int64_t poll) {
  Stmt q(db_,
         "SELECT b.voter, p.name, b.choice, b.receipt FROM ballots b JOIN people p ON p.id = b.voter "
         "WHERE b.poll_id = ? ORDER BY b.voter");
  q.bind_all(poll);
  std::vector<NamedBallot> out;
  while (q.executeStep()) {
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                   q.getColumn(3).getString()});
  }
  return out;
}

bool Polls::has_voted_secretly(int64_t poll, int64_t voter) {
  Stmt q(db_, "SELECT 1 FROM secret_voted WHERE poll_id = ? AND voter = ?");
  q.bind_all(poll, voter);
  return q.executeStep();
}

void Polls::mark_voted_secretly(int64_t poll, int64_t voter) {
  Stmt q(db_, "INSERT INTO secret_voted (poll_id, voter) VALUES (?, ?)");
  q.bind_all(poll, voter);
  q.exec();
}

bool Polls::remove_secret_ballot(int64_t poll, const std::string& change_hash) {
  Stmt q(db_, "DELETE FROM secret_ballots WHERE poll_id = ? AND change_hash = ?");
  q.bind_all(poll, change_hash);
  return q.exec() == 1;
}

void Polls::insert_secret_ballot(int64_t poll, const std::string& receipt, const std::string& choice,
                          const std::string& change_hash) {
  Stmt q(db_, "INSERT INTO secret_ballots (poll_id, receipt, choice, change_hash) VALUES (?, ?, ?, ?)");
  q.bind_all(poll, receipt, choice, change_hash);
  q.exec();
}

void Polls::rebuild_secret_tables() {
  struct Voted {
    int64_t poll;
    int64_t voter;
  };
  struct Ballot {
    int64_t poll;
    std::string receipt;
    std::string choice;
    std::optional<std::string> change_hash;
  };
  std::vector<Voted> voted;
  {
    Stmt q(db_, "SELECT poll_id, voter FROM secret_voted ORDER BY poll_id, voter");
    while (q.executeStep()) voted.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64()});
  }
  std::vector<Ballot> ballots;
  {
    Stmt q(db_, "SELECT poll_id, receipt, choice, change_hash FROM secret_ballots ORDER BY poll_id, receipt");
    while (q.executeStep()) {
      Ballot b{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(), std::nullopt};
      if (!q.getColumn(3).isNull()) b.change_hash = q.getColumn(3).getString();
      ballots.push_back(std::move(b));
    }
  }
  Stmt(db_, "INSERT INTO secret_rebuild (running) VALUES (1)").exec();
  Stmt(db_, "DELETE FROM secret_voted").exec();
  Stmt(db_, "DELETE FROM secret_ballots").exec();
  for (const Voted& v : voted) {
    Stmt q(db_, "INSERT INTO secret_voted (poll_id, voter) VALUES (?, ?)");
    q.bind_all(v.poll, v.voter);
    q.exec();
  }
  for (const Ballot& b : ballots) {
    Stmt q(db_, "INSERT INTO secret_ballots (poll_id, receipt, choice, change_hash) VALUES (?, ?, ?, ?)");
    q.bind_all(b.poll, b.receipt, b.choice, b.change_hash);
    q.exec();
  }
  Stmt(db_, "DELETE FROM secret_rebuild").exec();
  const int64_t voted_after = db_.execAndGet("SELECT COUNT(*) FROM secret_voted").getInt64();
  const int64_t ballots_after = db_.execAndGet("SELECT COUNT(*) FROM secret_ballots").getInt64();
  if (voted_after != static_cast<int64_t>(voted.size()) || ballots_after != static_cast<int64_t>(ballots.size())) {
    throw std::runtime_error("the rebuild of the secret ballot tables lost rows");
  }
}

BallotCounts Polls::secret_counts(int64_t poll) {
  Stmt q(db_, "SELECT choice, COUNT(*) FROM secret_ballots WHERE poll_id = ? GROUP BY choice");
  q.bind_all(poll);
  return counts_of(q);
}

std::vector<std::string> Polls::secret_receipts(int64_t poll) {
  Stmt q(db_, "SELECT receipt FROM secret_ballots WHERE poll_id = ? ORDER BY receipt");
  q.bind_all(poll);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

bool Polls::has_secret_receipt(int64_t poll, const std::string& receipt) {
  Stmt q(db_, "SELECT 1 FROM secret_ballots WHERE poll_id = ? AND receipt = ?");
  q.bind_all(poll, receipt);
  return q.executeStep();
}

std::optional<ReceiptBallot> Polls::find_named_receipt(const std::string& receipt) {
  Stmt q(db_, "SELECT poll_id, choice FROM ballots WHERE receipt = ?");
  q.bind_all(receipt);
  if (!q.executeStep()) return std::nullopt;
  return ReceiptBallot{q.getColumn(0).getInt64(), q.getColumn(1).getString()};
}

bool Polls::add_objection(int64_t poll, int64_t person, int64_t now) {
  Stmt q(db_, "INSERT OR IGNORE INTO objections (poll_id, person_id, at) VALUES (?, ?, ?)");
  q.bind_all(poll, person, now);
  return q.exec() == 1;
}

int64_t Polls::objections(int64_t poll) {
  Stmt q(db_, "SELECT COUNT(*) FROM objections WHERE poll_id = ?");
  q.bind_all(poll);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

}  // namespace rapporteur::sqlite
