// The rows of each area in PostgreSQL, as the storage contract reads and
// writes them (rapporteur/store/*.h says what each member promises). Each
// object runs its statements in the transaction it was made with: a write
// batch's transaction (inside the job's savepoint), or a read-only snapshot.
#pragma once

#include <map>
#include <optional>
#include <utility>

#include "rapporteur/store.h"
#include "store/postgres/connection.h"

namespace rapporteur::postgres {

// What the jobs of one write batch read again and again (every ballot reads
// its session and its poll, and appends to the session's log), kept for that
// batch's transaction only: the batch holds the write lock, so nothing
// changes these rows but the batch itself, and every write of the batch to
// them drops what was kept. A batch run again starts with an empty cache,
// and a job rolled back to its savepoint empties it (what it kept may have
// been read or written by that job).
//
// The log's new rows wait here too, and are inserted with one statement
// (flush_events) before the batch commits, before anything reads the log,
// and at the end of each job that runs in a savepoint: every ballot appends
// one, and a round trip each would cost more than the rest of the ballot.
struct BatchCache {
  std::map<std::string, std::optional<Session>> sessions;                // by id, with agenda and breakouts
  std::map<std::string, std::optional<Session>> session_rows;            // by id, the row alone
  std::map<std::pair<std::string, int64_t>, std::optional<Poll>> polls;  // by (session, id)
  std::map<std::string, std::pair<int64_t, std::string>> tails;          // session: last (seq, hash)
  std::string events;  // the appended rows not inserted yet, as a JSON array without its closing bracket
  void clear() { *this = BatchCache(); }
};

// Inserts the log rows waiting in `cache`, if any.
void flush_events(Work& w, BatchCache& cache);

class Sessions final : public SessionWrites {
 public:
  // `cache`: the write batch's (none in a read).
  Sessions(Work& w, BatchCache* cache) : w_(w), cache_(cache) {}
  bool exists(const std::string& id) override;
  std::optional<Session> find(const std::string& id) override;
  std::optional<Session> find_row(const std::string& id) override;
  std::vector<Session> list() override;
  int next_pid(const std::string& id) override;
  void insert(const Session& s) override;
  void set_phase(const std::string& id, SessionPhase phase) override;
  int reserve_pids(const std::string& id, int count) override;
  void set_next_pid(const std::string& id, int next) override;

 private:
  std::optional<Session> read_whole(const std::string& id);
  void changed() {
    if (cache_ == nullptr) return;
    cache_->sessions.clear();
    cache_->session_rows.clear();
  }
  Work& w_;
  BatchCache* cache_;
};

class People final : public PersonWrites {
 public:
  // `changed` is set by every write (token caches are told after commit).
  People(Work& w, bool* changed) : w_(w), changed_(changed) {}
  std::optional<Person> find(const std::string& session, int64_t id) override;
  std::optional<Person> find_by_token_hash(const std::string& token_hash) override;
  std::vector<Person> list(const std::string& session) override;
  int64_t count_with_role(const std::string& session, const std::string& role) override;
  bool has_president(const std::string& session) override;
  int64_t insert(const std::string& session, const PersonSpec& p, const std::string& token_hash, int64_t now) override;
  void set_token_hash(int64_t id, const std::string& token_hash) override;
  void mark_present(int64_t id, int64_t now) override;

 private:
  void changed() {
    if (changed_ != nullptr) *changed_ = true;
  }
  Work& w_;
  bool* changed_;
};

class Fragments final : public FragmentWrites {
 public:
  explicit Fragments(Work& w) : w_(w) {}
  std::optional<Fragment> find(const std::string& session, int64_t id) override;
  std::optional<FragmentVersion> latest(int64_t id) override;
  std::optional<FragmentVersion> version(int64_t id, int n) override;
  std::vector<FragmentVersion> versions(int64_t id) override;
  std::vector<FragmentVersion> list_by_breakout(const std::string& session, const std::string& breakout) override;
  std::vector<FragmentVersion> list_latest_for_session(const std::string& session) override;
  int64_t insert(const Fragment& f) override;
  void append_version(const FragmentVersion& v) override;

 private:
  Work& w_;
};

class Drafts final : public DraftWrites {
 public:
  explicit Drafts(Work& w) : w_(w) {}
  std::optional<DraftRow> find(const std::string& session, int n) override;
  int latest(const std::string& session) override;
  int final_n(const std::string& session) override;
  std::vector<DraftRow> list(const std::string& session) override;
  void insert(const DraftRow& row) override;
  void set_final(const std::string& session, int n) override;

 private:
  Work& w_;
};

class Polls final : public PollWrites {
 public:
  // `cache`: the write batch's (none in a read).
  Polls(Work& w, BatchCache* cache) : w_(w), cache_(cache) {}
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
  void insert_secret_ballot(int64_t poll, const std::string& receipt, const std::string& choice,
                            const std::string& change_hash) override;
  void rebuild_secret_tables() override;
  bool add_objection(int64_t poll, int64_t person, int64_t now) override;

 private:
  void changed() {
    if (cache_ != nullptr) cache_->polls.clear();
  }
  Work& w_;
  BatchCache* cache_;
};

class Amendments final : public AmendmentWrites {
 public:
  explicit Amendments(Work& w) : w_(w) {}
  std::optional<Amendment> find(const std::string& session, int64_t id) override;
  std::vector<Amendment> list(const std::string& session) override;
  int64_t insert(const Amendment& a) override;
  void set_status(int64_t id, AmendmentStatus status, const std::string& reason, int64_t decided_at,
                  int result_draft) override;

 private:
  Work& w_;
};

class Events final : public EventWrites {
 public:
  // `tx`: the write job whose sessions an append touches, `cache` its
  // batch's (both none in a read).
  Events(Work& w, Tx* tx, BatchCache* cache) : w_(w), tx_(tx), cache_(cache) {}
  std::vector<Event> list(const std::string& session, int64_t after, int64_t limit) override;
  std::vector<Event> list_of_type(const std::string& session, const std::string& type, int64_t limit) override;
  int64_t last_seq(const std::string& session) override;
  // In a write batch, the row is inserted later (BatchCache), and counts as
  // a write of the job at once.
  Event append(const std::string& session, int64_t at, const std::string& actor, const std::string& type,
               nlohmann::json data) override;

 private:
  Work& w_;
  Tx* tx_;
  BatchCache* cache_;
};

class Settings final : public SettingWrites {
 public:
  explicit Settings(Work& w) : w_(w) {}
  std::optional<std::string> get(const std::string& key) override;
  void insert(const std::string& key, const std::string& value) override;

 private:
  Work& w_;
};

class Idempotency final : public IdempotencyWrites {
 public:
  explicit Idempotency(Work& w) : w_(w) {}
  std::optional<StoredReply> find(const std::string& actor, const std::string& key, int64_t now) override;
  void put(const std::string& actor, const std::string& key, const StoredReply& reply, int64_t now) override;
  void prune(int64_t now) override;

 private:
  Work& w_;
};

}  // namespace rapporteur::postgres
