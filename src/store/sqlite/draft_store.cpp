#include "store/sqlite/draft_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/sqlite/statement_cache.h"
#include "store/stored_values.h"

namespace rapporteur::sqlite {

void Drafts::insert(const DraftRow& r) {
  Stmt q(db_,
         "INSERT INTO drafts (session_id, n, created_at, created_by, kind, reason, base, markdown, sha256, "
         "paragraphs, duplicates, final) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind_all(r.session, r.n, r.created_at, r.created_by, draft_kind_name(r.kind), r.reason, or_null(r.base),
             r.markdown, r.sha256, r.paragraphs, r.duplicates, r.final);
  q.exec();
}

namespace {
DraftRow row(SQLite::Statement& q, bool full) {
  DraftRow r;
  r.session = q.getColumn(0).getString();
  r.n = q.getColumn(1).getInt();
  r.created_at = q.getColumn(2).getInt64();
  r.created_by = q.getColumn(3).getString();
  r.kind = stored(parse_draft_kind(q.getColumn(4).getString()), "drafts.kind");
  r.reason = q.getColumn(5).getString();
  r.base = q.getColumn(6).isNull() ? 0 : q.getColumn(6).getInt();
  r.sha256 = q.getColumn(7).getString();
  r.final = q.getColumn(8).getInt() != 0;
  if (full) {
    r.markdown = q.getColumn(9).getString();
    r.paragraphs = q.getColumn(10).getString();
    r.duplicates = q.getColumn(11).getString();
  }
  return r;
}
constexpr const char* kSummary = "session_id, n, created_at, created_by, kind, reason, base, sha256, final";
}  // namespace

std::optional<DraftRow> Drafts::find(const std::string& session, int n) {
  Stmt q(db_, std::string("SELECT ") + kSummary +
                 ", markdown, paragraphs, duplicates FROM drafts WHERE session_id = ? AND n = ?");
  q.bind_all(session, n);
  if (!q.executeStep()) return std::nullopt;
  return row(q, true);
}

int Drafts::latest(const std::string& session) {
  Stmt q(db_, "SELECT COALESCE(MAX(n), 0) FROM drafts WHERE session_id = ?");
  q.bind_all(session);
  q.executeStep();
  return q.getColumn(0).getInt();
}

int Drafts::final_n(const std::string& session) {
  Stmt q(db_, "SELECT COALESCE(MAX(n), 0) FROM drafts WHERE session_id = ? AND final = 1");
  q.bind_all(session);
  q.executeStep();
  return q.getColumn(0).getInt();
}

std::vector<DraftRow> Drafts::list(const std::string& session) {
  Stmt q(db_, std::string("SELECT ") + kSummary + " FROM drafts WHERE session_id = ? ORDER BY n");
  q.bind_all(session);
  std::vector<DraftRow> out;
  while (q.executeStep()) out.push_back(row(q, false));
  return out;
}

void Drafts::set_final(const std::string& session, int n) {
  Stmt q(db_, "UPDATE drafts SET final = 1 WHERE session_id = ? AND n = ?");
  q.bind_all(session, n);
  q.exec();
}

}  // namespace rapporteur::sqlite
