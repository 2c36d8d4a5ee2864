// rapporteur verify and rapporteur backup: both work on the database file
// directly, read-only, so that they are safe next to a running server and
// never change the file they check or copy.
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "rapporteur/backup.h"
#include "rapporteur/record.h"
#include "rapporteur/sessions.h"

namespace rapporteur::cli {
namespace {

const char* const kVerifyUsage =
    "usage: rapporteur verify [SESSION] [--db FILE|URL]\n"
    "Recomputes each session's event hash chain and, once adopted, the SHA-256 of its\n"
    "final text (from the stored paragraphs) against the one the log recorded at\n"
    "adoption; names the first bad event or the bad final text. Opens the database\n"
    "read-only (safe while the server runs). Exit 0 when every session verifies,\n"
    "1 when one does not or the database cannot be read, 2 on bad usage.\n";

const char* const kBackupUsage =
    "usage: rapporteur backup --out FILE [--db FILE|URL]\n"
    "Writes a rebuilt copy of the database (SQLite's VACUUM INTO), safe while the\n"
    "server writes: one consistent snapshot, read without blocking the server, rows\n"
    "in key order in fresh pages (nothing tells in which order they were written),\n"
    "checked with PRAGMA integrity_check and only then renamed to FILE (an existing\n"
    "FILE is replaced; after a failure it is left as it was). Exit 0 when FILE is\n"
    "written, 1 when the backup failed, 2 on bad usage.\n";

// Prints one session's verdict; true when it verifies.
bool report(const std::string& id, const RecordCheck& c) {
  std::cout << id << (c.ok() ? ": ok\n" : ": FAILED\n");
  if (c.chain.ok) {
    std::cout << "  log: " << c.chain.events << " events, head " << c.chain.head << "\n";
  } else {
    std::cout << "  log: " << c.chain.problem << " (first bad event: " << c.chain.first_bad.value_or(0) << ")\n";
  }
  if (!c.final_checked) {
    std::cout << "  final text: not adopted yet\n";
  } else if (c.final_ok) {
    std::cout << "  final text: draft " << c.final_draft << ", SHA-256 " << c.final_sha256
              << " as recorded at adoption (event " << c.adoption_event << ")\n";
  } else {
    std::cout << "  " << c.final_problem << "\n";
  }
  return c.ok();
}

}  // namespace

int verify(const std::vector<std::string>& args) {
  Flags f = parse_flags(args, {"db"});
  if (f.help) {
    std::cout << kVerifyUsage;
    return 0;
  }
  if (!f.error.empty() || f.positional.size() > 1) {
    std::cerr << "rapporteur verify: " << (f.error.empty() ? "at most one SESSION" : f.error) << "\n\n" << kVerifyUsage;
    return 2;
  }
  StoreOptions db;
  if (!database_flag(f, "verify", db)) return 2;
  bool all_ok = true;
  // Read-only: verifying must not migrate or otherwise write to the file
  // under examination; one snapshot for every session, even while a server
  // writes.
  Status read = read_existing(db, [&](Snapshot& snap) -> Status {
    std::vector<std::string> ids;
    if (!f.positional.empty()) {
      ids.push_back(f.positional[0]);
    } else {
      for (const auto& s : list_sessions(snap)) ids.push_back(s.id);
      if (ids.empty()) std::cout << "no session in " << database_name(db) << "\n";
    }
    for (const auto& id : ids) {
      auto check = verify_record(snap, id);
      if (!check) {
        std::cerr << "rapporteur verify: " << check.status().message() << "\n";
        all_ok = false;
        continue;
      }
      all_ok = report(id, *check) && all_ok;
    }
    return Status::ok();
  });
  if (!read.is_ok()) {
    // A missing file, a file that is not ours, or one too damaged to read is
    // a failed verification, not a crash.
    std::cerr << "rapporteur verify: " << read.message()
              << (read.code() == Code::not_found ? " (see --db)" : "") << "\n";
    return 1;
  }
  return all_ok ? 0 : 1;
}

int backup(const std::vector<std::string>& args) {
  Flags f = parse_flags(args, {"db", "out"});
  if (f.help) {
    std::cout << kBackupUsage;
    return 0;
  }
  if (!f.error.empty() || !f.has("out") || !f.positional.empty()) {
    std::cerr << "rapporteur backup: " << (f.error.empty() ? "--out FILE is required" : f.error) << "\n\n"
              << kBackupUsage;
    return 2;
  }
  StoreOptions db;
  if (!database_flag(f, "backup", db)) return 2;
  if (!db.url.empty()) {
    std::cerr << "rapporteur backup: a PostgreSQL database is backed up with PostgreSQL's own tools: "
                 "pg_basebackup (with its write-ahead log, for a point-in-time copy) or pg_dump\n";
    return 2;
  }
  const std::string& db_path = db.path;
  auto done = backup_database(db_path, f.get("out"));
  if (!done) {
    std::cerr << "rapporteur backup: " << done.status().message()
              << (done.status().code() == Code::not_found ? " (see --db)" : "") << "\n";
    return 1;
  }
  std::cout << "backup of " << db_path << " written to " << f.get("out") << ": " << done->pages << " pages ("
            << (done->bytes + 1023) / 1024 << " KiB) in " << done->elapsed_ms << " ms, integrity_check ok\n";
  return 0;
}

}  // namespace rapporteur::cli
