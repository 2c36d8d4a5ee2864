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

namespace SQLite {
class Database;
}

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
Result<std::vector<Event>> read_log(SQLite::Database& db, const std::string& session, int64_t after, int64_t limit);

// Recomputes the hash chain and, once adopted, the final text's SHA-256 from
// its stored paragraphs (document_markdown, as when the draft was made), and
// compares it with the SHA-256 of the log's session_adopted event and of the
// draft row. Read-only; run it inside one read transaction for a consistent
// answer. not_found for an unknown session; a tampered row never throws (it is
// reported as a problem).
Result<RecordCheck> verify_record(SQLite::Database& db, const std::string& session);

// {ok, events, head, first_bad?, problem?, final_ok?}
nlohmann::json record_check_to_json(const RecordCheck& c);

struct BackupOptions {
  // Run PRAGMA integrity_check on the copy before it takes its final name.
  bool integrity_check = true;
};

struct BackupReport {
  int64_t pages = 0;
  int64_t bytes = 0;
  int64_t elapsed_ms = 0;
};

// Writes a rebuilt copy of the database at `db_path` to `out_path` (SQLite's
// VACUUM INTO), safe while a server writes to it (even from another process):
// the copy is one snapshot, read in a single read transaction, which never
// blocks the server's writer (WAL readers never do). Rebuilt, not copied page
// by page: rows are written in key order into fresh pages, so where a row
// sits in the copy says nothing about when it was written (a secret ballot's
// place would otherwise pair it with its voter), and no free page or deleted
// content comes along. The copy is written under a temporary name in
// `out_path`'s folder, checked, synced and only then renamed to `out_path`
// (replacing it); on any failure `out_path` is left as it was and the
// temporary file is removed.
// The copy is a self-contained file (rollback journal; the server switches it
// back to WAL when it opens it). not_found when there is no `db_path`,
// invalid when `out_path` is a folder or the database itself, internal for
// SQLite or file system failures (the message names the file).
Result<BackupReport> backup_database(const std::string& db_path, const std::string& out_path,
                                     const BackupOptions& options = {});

}  // namespace rapporteur
