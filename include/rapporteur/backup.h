// A copy of the database to keep elsewhere, taken while the server runs.
#pragma once

#include <cstdint>
#include <string>

#include "rapporteur/status.h"

namespace rapporteur {

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
