// A write job's and a read's view of one SQLite connection: every area's
// rows on that connection. Made per job or read; holds no state but the
// connection and, for a write, the sessions it touched.
#pragma once

#include <SQLiteCpp/Database.h>

#include "rapporteur/store.h"
#include "store/sqlite/amendment_store.h"
#include "store/sqlite/draft_store.h"
#include "store/sqlite/event_store.h"
#include "store/sqlite/fragment_store.h"
#include "store/sqlite/idempotency_store.h"
#include "store/sqlite/poll_store.h"
#include "store/sqlite/session_store.h"
#include "store/sqlite/settings_store.h"

namespace rapporteur::sqlite {

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(SQLite::Database& db)
      : sessions_(db), people_(db), fragments_(db), drafts_(db), polls_(db), amendments_(db), events_(db, this),
        settings_(db), idempotency_(db) {}
  SessionWrites& sessions() override { return sessions_; }
  PersonWrites& people() override { return people_; }
  FragmentWrites& fragments() override { return fragments_; }
  DraftWrites& drafts() override { return drafts_; }
  PollWrites& polls() override { return polls_; }
  AmendmentWrites& amendments() override { return amendments_; }
  EventWrites& events() override { return events_; }
  SettingWrites& settings() override { return settings_; }
  IdempotencyWrites& idempotency() override { return idempotency_; }

 private:
  Sessions sessions_;
  People people_;
  Fragments fragments_;
  Drafts drafts_;
  Polls polls_;
  Amendments amendments_;
  Events events_;
  Settings settings_;
  Idempotency idempotency_;
};

// The read connection's rows are the same classes: a read-only connection
// refuses any write they would attempt.
class SqliteSnapshot final : public Snapshot {
 public:
  explicit SqliteSnapshot(SQLite::Database& db)
      : sessions_(db), people_(db), fragments_(db), drafts_(db), polls_(db), amendments_(db), events_(db, nullptr),
        settings_(db) {}
  SessionReads& sessions() override { return sessions_; }
  PersonReads& people() override { return people_; }
  FragmentReads& fragments() override { return fragments_; }
  DraftReads& drafts() override { return drafts_; }
  PollReads& polls() override { return polls_; }
  AmendmentReads& amendments() override { return amendments_; }
  EventReads& events() override { return events_; }
  SettingReads& settings() override { return settings_; }

 private:
  Sessions sessions_;
  People people_;
  Fragments fragments_;
  Drafts drafts_;
  Polls polls_;
  Amendments amendments_;
  Events events_;
  Settings settings_;
};

}  // namespace rapporteur::sqlite
