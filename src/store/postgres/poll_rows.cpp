// Polls, voters, ballots and objections in PostgreSQL.
#include <stdexcept>

#include "store/postgres/rows.h"
#include "store/stored_values.h"

namespace rapporteur::postgres {
namespace {


constexpr const char* kColumns =
    "id, session_id, subject_kind, subject_id, method, rule, quorum, secret, closes_at, override_slot, reason, state, "
    "created_by, created_at, opened_at, closed_at, eligible, hands_yes, hands_no, hands_abstain, result, "
    "duration_seconds, hide_results, cancelled_at";

Poll row(const pqxx::row& r) {
  Poll p;
  p.id = r[0].as<int64_t>();
  p.session = r[1].as<std::string>();
  p.subject_kind = stored(parse_poll_subject(r[2].as<std::string>()), "polls.subject_kind");
  p.subject_id = r[3].as<int64_t>();
  p.method = stored(parse_method(r[4].as<std::string>()), "polls.method");
  p.rule = stored(parse_rule(r[5].as<std::string>()), "polls.rule");
  p.quorum = opt_int(r[6]);
  p.secret = r[7].as<bool>();
  p.closes_at = opt_int(r[8]);
  p.override_slot = r[9].as<bool>();
  p.reason = r[10].as<std::string>();
  p.state = stored(parse_poll_state(r[11].as<std::string>()), "polls.state");
  p.created_by = r[12].as<std::string>();
  p.created_at = r[13].as<int64_t>();
  p.opened_at = int_or_0(r[14]);
  p.closed_at = int_or_0(r[15]);
  p.eligible = int_or_0(r[16]);
  p.hands_yes = opt_int(r[17]);
  p.hands_no = opt_int(r[18]);
  p.hands_abstain = opt_int(r[19]);
  p.result = r[20].is_null() ? nlohmann::json(nullptr) : nlohmann::json::parse(r[20].as<std::string>());
  p.duration_seconds = opt_int(r[21]);
  p.hide_results = r[22].as<bool>();
  p.cancelled_at = int_or_0(r[23]);
  if (p.cancelled_at != 0) p.state = PollState::cancelled;  // stored as pending with cancelled_at set
  return p;
}

BallotCounts counts_of(const pqxx::result& rows) {
  BallotCounts c;
  for (const auto& r : rows) {
    const std::string choice = r[0].as<std::string>();
    const int64_t n = r[1].as<int64_t>();
    if (choice == "yes") c.yes = n;
    if (choice == "no") c.no = n;
    if (choice == "abstain") c.abstain = n;
  }
  return c;
}

}  // namespace

int64_t Polls::insert(const Poll& p) {
  changed();
  const PollState stored_state = p.state == PollState::cancelled ? PollState::pending : p.state;
  return w_
      .exec(
          "INSERT INTO polls (session_id, subject_kind, subject_id, method, rule, quorum, secret, closes_at, "
          "override_slot, reason, state, created_by, created_at, duration_seconds, hide_results) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
          p.session, std::string(poll_subject_name(p.subject_kind)), p.subject_id, std::string(method_name(p.method)),
          std::string(rule_name(p.rule)), p.quorum, p.secret, p.closes_at, p.override_slot, p.reason,
          std::string(poll_state_name(stored_state)), p.created_by, p.created_at, p.duration_seconds,
          p.hide_results)[0][0]
      .as<int64_t>();
}

std::optional<Poll> Polls::find(const std::string& session, int64_t id) {
  if (cache_ != nullptr) {
    auto it = cache_->polls.find({session, id});
    if (it != cache_->polls.end()) return it->second;
  }
  pqxx::result r =
      w_.exec(std::string("SELECT ") + kColumns + " FROM polls WHERE session_id = $1 AND id = $2", session, id);
  std::optional<Poll> found;
  if (!r.empty()) found = row(r[0]);
  if (cache_ != nullptr) cache_->polls[{session, id}] = found;
  return found;
}

std::vector<Poll> Polls::list(const std::string& session) {
  std::vector<Poll> out;
  for (const auto& r :
       w_.exec(std::string("SELECT ") + kColumns + " FROM polls WHERE session_id = $1 ORDER BY id", session)) {
    out.push_back(row(r));
  }
  return out;
}

std::optional<int64_t> Polls::open_poll_id(const std::string& session) {
  pqxx::result r = w_.exec("SELECT id FROM polls WHERE session_id = $1 AND state = 'open'", session);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

std::vector<std::pair<std::string, int64_t>> Polls::due(int64_t now) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& r : w_.exec(
           "SELECT session_id, id FROM polls WHERE state = 'open' AND closes_at IS NOT NULL AND closes_at <= $1", now)) {
    out.emplace_back(r[0].as<std::string>(), r[1].as<int64_t>());
  }
  return out;
}

void Polls::mark_open(int64_t id, int64_t now, int64_t eligible, const std::optional<int64_t>& closes_at) {
  changed();
  w_.exec(
      "UPDATE polls SET state = 'open', opened_at = $1, eligible = $2, closes_at = COALESCE($3, closes_at) "
      "WHERE id = $4 AND state = 'pending' AND cancelled_at IS NULL",
      now, eligible, closes_at, id);
}

bool Polls::mark_cancelled(int64_t id, int64_t now) {
  changed();
  return w_.exec("UPDATE polls SET cancelled_at = $1 WHERE id = $2 AND state = 'pending' AND cancelled_at IS NULL",
                 now, id)
             .affected_rows() == 1;
}

void Polls::mark_closed(int64_t id, int64_t now, const nlohmann::json& result) {
  changed();
  w_.exec("UPDATE polls SET state = 'closed', closed_at = $1, result = $2 WHERE id = $3 AND state = 'open'", now,
          result.dump(), id);
}

void Polls::set_counts(int64_t id, int64_t yes, int64_t no, int64_t abstain) {
  changed();
  w_.exec("UPDATE polls SET hands_yes = $1, hands_no = $2, hands_abstain = $3 WHERE id = $4", yes, no, abstain, id);
}

int64_t Polls::snapshot_voters(int64_t poll, const std::string& session) {
  return static_cast<int64_t>(
      w_.exec("INSERT INTO poll_voters (poll_id, person_id) SELECT $1, id FROM people WHERE session_id = $2 AND "
              "'participant' = ANY (string_to_array(roles, ','))",
              poll, session)
          .affected_rows());
}

bool Polls::is_voter(int64_t poll, int64_t person) {
  return !w_.exec("SELECT 1 FROM poll_voters WHERE poll_id = $1 AND person_id = $2", poll, person).empty();
}

NamedCast Polls::cast_named_ballot(int64_t poll, int64_t voter, const std::string& choice,
                                   const std::string& receipt, int64_t now) {
  // One round trip (every ballot of a burst waits for the writer's): the
  // voting right and an earlier ballot are read in the statement's
  // snapshot, before the insert or update, which happens only for a voter.
  const pqxx::row r = w_.exec_uncounted(
      "WITH voter AS (SELECT 1 FROM poll_voters WHERE poll_id = $1::BIGINT AND person_id = $2::BIGINT), "
      "prior AS (SELECT 1 FROM ballots WHERE poll_id = $1::BIGINT AND voter = $2::BIGINT), "
      "written AS (INSERT INTO ballots (poll_id, voter, choice, receipt, cast_at) "
      "SELECT $1::BIGINT, $2::BIGINT, $3::TEXT, $4::TEXT, $5::BIGINT WHERE EXISTS (SELECT 1 FROM voter) "
      "ON CONFLICT (poll_id, voter) DO UPDATE SET choice = excluded.choice, receipt = excluded.receipt, "
      "cast_at = excluded.cast_at RETURNING 1) "
      "SELECT EXISTS (SELECT 1 FROM written), EXISTS (SELECT 1 FROM prior)",
      poll, voter, choice, receipt, now)[0];
  if (!r[0].as<bool>()) return NamedCast::not_a_voter;
  w_.count_write();
  return r[1].as<bool>() ? NamedCast::replaced : NamedCast::cast;
}

BallotCounts Polls::named_counts(int64_t poll) {
  return counts_of(w_.exec("SELECT choice, COUNT(*) FROM ballots WHERE poll_id = $1 GROUP BY choice", poll));
}

std::vector<NamedBallot> Polls::named_ballots(int64_t poll) {
  std::vector<NamedBallot> out;
  for (const auto& r : w_.exec("SELECT b.voter, p.name, b.choice, b.receipt FROM ballots b JOIN people p ON "
                               "p.id = b.voter WHERE b.poll_id = $1 ORDER BY b.voter",
                               poll)) {
    out.push_back({r[0].as<int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>()});
  }
  return out;
}

bool Polls::has_voted_secretly(int64_t poll, int64_t voter) {
  return !w_.exec("SELECT 1 FROM secret_voted WHERE poll_id = $1 AND voter = $2", poll, voter).empty();
}

void Polls::mark_voted_secretly(int64_t poll, int64_t voter) {
  w_.exec("INSERT INTO secret_voted (poll_id, voter) VALUES ($1, $2)", poll, voter);
}

bool Polls::remove_secret_ballot(int64_t poll, const std::string& change_hash) {
  return w_.exec("DELETE FROM secret_ballots WHERE poll_id = $1 AND change_hash = $2", poll, change_hash)
             .affected_rows() == 1;
}

void Polls::insert_secret_ballot(int64_t poll, const std::string& receipt, const std::string& choice,
                                 const std::string& change_hash) {
  w_.exec("INSERT INTO secret_ballots (poll_id, receipt, choice, change_hash) VALUES ($1, $2, $3, $4)", poll, receipt,
          choice, change_hash);
}

// PostgreSQL keeps every row version in the table's heap, in the order
// written, with the writing transaction's id (xmin): while a secret poll is
// open, where a ballot sits and its xmin tell when it was cast, and the
// "has voted" row written in the same transaction shares that xmin. Here both
// tables are emptied and written again in key order, so that every row has
// the closing transaction's xmin and sits in key order; the store then
// rewrites the two tables' files (VACUUM FULL, after the commit, when the
// job sets Tx::wipe_wal), which drops the old row versions.
void Polls::rebuild_secret_tables() {
  const int64_t voted = w_.exec("SELECT COUNT(*) FROM secret_voted")[0][0].as<int64_t>();
  const int64_t ballots = w_.exec("SELECT COUNT(*) FROM secret_ballots")[0][0].as<int64_t>();
  w_.exec("INSERT INTO secret_rebuild (running) VALUES (1)");
  w_.run("CREATE TEMP TABLE rebuild_voted ON COMMIT DROP AS SELECT poll_id, voter FROM secret_voted");
  w_.run(
      "CREATE TEMP TABLE rebuild_ballots ON COMMIT DROP AS SELECT poll_id, receipt, choice, change_hash "
      "FROM secret_ballots");
  w_.run("DELETE FROM secret_voted");
  w_.run("DELETE FROM secret_ballots");
  w_.run("INSERT INTO secret_voted (poll_id, voter) SELECT poll_id, voter FROM rebuild_voted ORDER BY poll_id, voter");
  w_.run(
      "INSERT INTO secret_ballots (poll_id, receipt, choice, change_hash) SELECT poll_id, receipt, choice, "
      "change_hash FROM rebuild_ballots ORDER BY poll_id, receipt");
  w_.run("DROP TABLE rebuild_voted");
  w_.run("DROP TABLE rebuild_ballots");
  w_.exec("DELETE FROM secret_rebuild");
  const int64_t voted_after = w_.exec("SELECT COUNT(*) FROM secret_voted")[0][0].as<int64_t>();
  const int64_t ballots_after = w_.exec("SELECT COUNT(*) FROM secret_ballots")[0][0].as<int64_t>();
  if (voted_after != voted || ballots_after != ballots) {
    throw std::runtime_error("the rebuild of the secret ballot tables lost rows");
  }
}

BallotCounts Polls::secret_counts(int64_t poll) {
  return counts_of(w_.exec("SELECT choice, COUNT(*) FROM secret_ballots WHERE poll_id = $1 GROUP BY choice", poll));
}

std::vector<std::string> Polls::secret_receipts(int64_t poll) {
  std::vector<std::string> out;
  for (const auto& r : w_.exec("SELECT receipt FROM secret_ballots WHERE poll_id = $1 ORDER BY receipt", poll)) {
    out.push_back(r[0].as<std::string>());
  }
  return out;
}

bool Polls::has_secret_receipt(int64_t poll, const std::string& receipt) {
  return !w_.exec("SELECT 1 FROM secret_ballots WHERE poll_id = $1 AND receipt = $2", poll, receipt).empty();
}

std::optional<ReceiptBallot> Polls::find_named_receipt(const std::string& receipt) {
  pqxx::result r = w_.exec("SELECT poll_id, choice FROM ballots WHERE receipt = $1", receipt);
  if (r.empty()) return std::nullopt;
  return ReceiptBallot{r[0][0].as<int64_t>(), r[0][1].as<std::string>()};
}

bool Polls::add_objection(int64_t poll, int64_t person, int64_t now) {
  return w_.exec("INSERT INTO objections (poll_id, person_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", poll,
                 person, now)
             .affected_rows() == 1;
}

int64_t Polls::objections(int64_t poll) {
  return w_.exec("SELECT COUNT(*) FROM objections WHERE poll_id = $1", poll)[0][0].as<int64_t>();
}

}  // namespace rapporteur::postgres
