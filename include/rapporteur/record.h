// The session's record: its event log read back and verified, the adopted
// text checked against the hash the log recorded at adoption, and safe copies
// of the database file that holds it all.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "rapporteur/event_log.h"
#include "rapporteur/status.h"
#include "rapporteur/store.h"

namespace rapporteur {

struct RecordCheck {
  ChainCheck chain;
  // Set when the session is adopted, or anything in the database says so: its
  // phase, a draft marked final, or a session_adopted event in the log.
  bool final_checked = false;
  // Whether the final text, recomputed from its stored paragraphs, hashes to
  // the SHA-256 the log's session_adopted event recorded (and the draft row,
  // its Markdown and the session agree with that event).
  bool final_ok = true;
  int final_draft = 0;           // the adopted draft's number, as the log records it
  std::string final_sha256;      // the SHA-256 recorded at adoption
  int64_t adoption_event = 0;    // seq of the session_adopted event, 0 if none
  std::string final_problem;     // "final text (draft 3): ..." when !final_ok
  // The chain's problem and then the final text's, "; "-joined.
  std::string problem;
  bool ok() const { return chain.ok && final_ok; }
};

// Events after `after` (at most `limit`); not_found for an unknown session.
Result<std::vector<Event>> read_log(Snapshot& snap, const std::string& session, int64_t after, int64_t limit);

// Recomputes the hash chain and, once adopted, the final text's SHA-256 from
// its stored paragraphs (document_markdown, as when the draft was made), and
// compares it with the SHA-256 of the log's session_adopted event and of the
// draft row. Read-only; run it inside one read transaction for a consistent
// answer. not_found for an unknown session; a tampered row never throws (it is
// reported as a problem).
Result<RecordCheck> verify_record(Snapshot& snap, const std::string& session);

// {ok, events, head, first_bad?, problem?, final_ok?}
nlohmann::json record_check_to_json(const RecordCheck& c);

}  // namespace rapporteur
