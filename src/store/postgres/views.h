// A write job's and a read's view of one PostgreSQL transaction: every
// area's rows on it.
#pragma once

#include "rapporteur/store.h"
#include "store/postgres/rows.h"

namespace rapporteur::postgres {

class PgTx final : public Tx {
 public:
  // `cache`: what the jobs of this batch keep of what they read.
  PgTx(Work& w, bool* people_changed, BatchCache* cache)
      : sessions_(w, cache), people_(w, people_changed), fragments_(w), drafts_(w), polls_(w, cache),
        amendments_(w), events_(w, this, cache), settings_(w), idempotency_(w) {}
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

// The same classes on a read-only transaction: the server refuses any write
// they would attempt.
class PgSnapshot final : public Snapshot {
 public:
  explicit PgSnapshot(Work& w)
      : sessions_(w, nullptr), people_(w, nullptr), fragments_(w), drafts_(w), polls_(w, nullptr), amendments_(w),
        events_(w, nullptr, nullptr), settings_(w) {}
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

}  // namespace rapporteur::postgres
