#include "rapporteur/record.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <regex>
#include <sstream>

#include "rapporteur/crypto.h"
#include "rapporteur/draft_merge.h"
#include "rapporteur/drafts.h"
#include "rapporteur/sessions.h"
#include "store/draft_store.h"
#include "store/event_store.h"

namespace rapporteur {
namespace {

std::string short_hash(const std::string& h) { return h.size() > 12 ? h.substr(0, 12) + "..." : h; }

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// The first paragraph with a line of text that the adopted Markdown does not
// contain: the paragraph an attacker most likely changed. Empty if none (the
// change may be to a number or a section, which no line shows).
std::string changed_paragraph(const Document& doc, const std::string& adopted_markdown) {
  for (const Paragraph& p : doc.paragraphs) {
    std::istringstream lines(p.markdown);
    for (std::string line; std::getline(lines, line);) {
      const std::string t = trim(line);
      if (!t.empty() && adopted_markdown.find(t) == std::string::npos) {
        return "paragraph " + p.pid + (p.number.empty() ? "" : " (" + p.number + ")");
      }
    }
  }
  return "";
}

// "*(Breakout: b; amendment n)*" -> "*(Amendment n)*" (see check_final).
std::string without_amendment_breakouts(const std::string& markdown) {
  static const std::regex attribution(R"(\*\(Breakout: [^;)*]*; amendment ([0-9]+)\)\*)");
  return std::regex_replace(markdown, attribution, "*(Amendment $1)*");
}

// The final text against the adoption the log records; the problem, or "".
std::string check_final(SQLite::Database& db, const Session& s, const std::vector<Event>& events, RecordCheck& out) {
  const Event* adopted = nullptr;
  int adoptions = 0;
  for (const Event& e : events) {
    if (e.type != "session_adopted") continue;
    if (++adoptions == 1) adopted = &e;
  }
  const int final_n = draft_store::final_n(db, s.id);
  if (!adopted) {
    return "final text: the session is adopted (" +
           (final_n > 0 ? "draft " + std::to_string(final_n) + " is marked final" : "phase " + s.phase) +
           ") but the log records no adoption (no session_adopted event)";
  }
  out.adoption_event = adopted->seq;
  const std::string at_event = "event " + std::to_string(adopted->seq);
  if (adoptions > 1) return "final text: the log records " + std::to_string(adoptions) + " adoptions";
  const nlohmann::json& data = adopted->data;
  if (!data.is_object() || !data.contains("draft") || !data["draft"].is_number_integer() || !data.contains("sha256") ||
      !data["sha256"].is_string()) {
    return "final text: " + at_event + " (session_adopted) names no draft and SHA-256";
  }
  out.final_draft = data["draft"].get<int>();
  out.final_sha256 = data["sha256"].get<std::string>();
  const std::string subject = "final text (draft " + std::to_string(out.final_draft) + "): ";
  if (s.phase != "adopted") {
    return subject + "the session's phase is " + s.phase + ", but " + at_event + " records its adoption";
  }
  if (final_n != out.final_draft) {
    return subject + (final_n == 0 ? "no draft" : "draft " + std::to_string(final_n)) + " is marked final, but " +
           at_event + " records the adoption of draft " + std::to_string(out.final_draft);
  }
  auto row = draft_store::find(db, s.id, out.final_draft);
  if (!row) return subject + "the adopted draft is missing";
  Document doc;
  try {
    for (const auto& p : nlohmann::json::parse(row->paragraphs)) doc.paragraphs.push_back(paragraph_from_json(p));
  } catch (const std::exception&) {
    return subject + "its stored paragraphs are not valid JSON paragraphs";
  }
  // The text exactly as hashed when the draft was made (drafts.cpp
  // store_draft): document_markdown of the renumbered document, whose
  // paragraphs are stored. Stored text first: it is what was hashed.
  const std::string recorded = " as recorded at adoption (" + at_event + ")";
  const std::string stored_sha = sha256_hex(row->markdown);
  if (stored_sha != out.final_sha256) {
    return subject + "its stored text hashes to " + short_hash(stored_sha) + ", not " + short_hash(out.final_sha256) +
           recorded;
  }
  const std::string rebuilt = document_markdown(doc);
  // Drafts stored so far lose the breakout of a paragraph made by an amendment
  // (source_to_json in drafts.cpp writes only the amendment), so such a
  // paragraph is rebuilt as "*(Amendment n)*" where the hashed text says
  // "*(Breakout: b; amendment n)*". Only that difference is tolerated.
  if (rebuilt != row->markdown && rebuilt != without_amendment_breakouts(row->markdown)) {
    std::string msg = subject + "its paragraphs hash to " + short_hash(sha256_hex(rebuilt)) + ", not " +
                      short_hash(out.final_sha256) + recorded;
    const std::string which = changed_paragraph(doc, row->markdown);
    if (!which.empty()) msg += "; " + which + " differs from the adopted text";
    return msg;
  }
  if (row->sha256 != out.final_sha256) {
    return subject + "the SHA-256 stored with the draft is " + short_hash(row->sha256) + ", not " +
           short_hash(out.final_sha256) + recorded;
  }
  return "";
}

}  // namespace

Result<std::vector<Event>> read_log(SQLite::Database& db, const std::string& session, int64_t after, int64_t limit) {
  auto s = load_session(db, session);
  if (!s) return s.status();
  return event_store::list(db, session, after, limit);
}

Result<RecordCheck> verify_record(SQLite::Database& db, const std::string& session) {
  auto s = load_session(db, session);
  if (!s) return s.status();
  RecordCheck out;
  const std::vector<Event> events = event_store::list(db, session, 0, INT64_MAX);
  out.chain = verify_chain(events);
  out.problem = out.chain.problem;
  bool logged_adoption = false;
  for (const Event& e : events) logged_adoption = logged_adoption || e.type == "session_adopted";
  if (s->phase == "adopted" || draft_store::final_n(db, session) > 0 || logged_adoption) {
    out.final_checked = true;
    out.final_problem = check_final(db, *s, events, out);
    out.final_ok = out.final_problem.empty();
    if (!out.final_ok) out.problem += (out.problem.empty() ? "" : "; ") + out.final_problem;
  }
  return out;
}

nlohmann::json record_check_to_json(const RecordCheck& c) {
  nlohmann::json j = {{"ok", c.ok()}, {"events", c.chain.events}, {"head", c.chain.head}};
  if (c.chain.first_bad) j["first_bad"] = *c.chain.first_bad;
  if (!c.problem.empty()) j["problem"] = c.problem;
  if (c.final_checked) j["final_ok"] = c.final_ok;
  return j;
}

// ---------------------------------------------------------------------------
// Backup

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
