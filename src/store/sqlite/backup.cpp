#include "rapporteur/backup.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

namespace rapporteur {

namespace {

namespace fs = std::filesystem;

// The temporary copy and SQLite's files beside it, removed unless kept.
class TempCopy {
 public:
  explicit TempCopy(std::string path) : path_(std::move(path)) {}
  ~TempCopy() {
    if (kept_) return;
    std::error_code ec;  // best effort: a leftover temporary file is harmless
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path_ + suffix, ec);
  }
  TempCopy(const TempCopy&) = delete;
  TempCopy& operator=(const TempCopy&) = delete;
  const std::string& path() const { return path_; }
  void keep() { kept_ = true; }

 private:
  std::string path_;
  bool kept_ = false;
};

// A string literal for SQL: single quotes doubled.
std::string sql_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

Status fsync_path(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return Status::internal("cannot open " + path + " to sync it");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::internal("cannot sync " + path + " to disk");
  return Status::ok();
}

}  // namespace

Result<BackupReport> backup_database(const std::string& db_path, const std::string& out_path,
                                     const BackupOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  if (!fs::is_regular_file(db_path, ec)) return Status::not_found("no database at " + db_path);
  if (out_path.empty()) return Status::invalid("the backup file name is empty", "out");
  const fs::path out(out_path);
  if (fs::is_directory(out, ec)) return Status::invalid(out_path + " is a folder; name the backup file", "out");
  if (fs::exists(out, ec) && fs::equivalent(out, db_path, ec)) {
    return Status::invalid(out_path + " is the database itself; name another file", "out");
  }
  const fs::path folder = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) return Status::invalid("no folder " + folder.string() + " for " + out_path, "out");

  // Beside the target, so that the final rename is atomic (same file system).
  std::string name = (folder / ("." + out.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return Status::internal("cannot create a temporary file in " + folder.string());
  ::close(fd);  // SQLite opens an empty file as a new database
  TempCopy temp(name);

  BackupReport report;
  try {
    SQLite::Database src(db_path, SQLite::OPEN_READONLY);
    src.setBusyTimeout(5000);
    // VACUUM INTO writes a rebuilt copy, not the pages as they are: every
    // table is copied row by row in key order into fresh pages, with no free
    // pages and no old cell content. A page copy would carry the order in
    // which rows were written (where each cell sits in its page), which for a
    // secret poll pairs voters with choices. It reads one snapshot in one
    // read transaction, which in WAL mode blocks no writer.
    src.exec("VACUUM INTO " + sql_quote(temp.path()));
    {
      SQLite::Database dst(temp.path(), SQLite::OPEN_READWRITE);
      // A self-contained file: no -wal or -shm beside it to lose in a copy.
      dst.exec("PRAGMA journal_mode = DELETE");
      if (options.integrity_check) {
        const std::string result = dst.execAndGet("PRAGMA integrity_check").getString();
        if (result != "ok") return Status::internal("the copy of " + db_path + " fails integrity_check: " + result);
      }
      report.pages = dst.execAndGet("PRAGMA page_count").getInt64();
      report.bytes = report.pages * dst.execAndGet("PRAGMA page_size").getInt64();
    }
  } catch (const std::exception& e) {
    return Status::internal("backup of " + db_path + " to " + out_path + ": " + e.what());
  }
  RAPPORTEUR_RETURN_IF_ERROR(fsync_path(temp.path(), false));
  if (::rename(temp.path().c_str(), out_path.c_str()) != 0) {
    return Status::internal("cannot rename " + temp.path() + " to " + out_path);
  }
  temp.keep();
  // The rename itself must survive a power cut.
  RAPPORTEUR_RETURN_IF_ERROR(fsync_path(folder.string(), true));
  report.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace rapporteur
