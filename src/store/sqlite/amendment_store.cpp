#include "store/sqlite/amendment_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/sqlite/statement_cache.h"
#include "store/stored_values.h"

namespace rapporteur::sqlite {
namespace {

constexpr const char* kColumns =
    "id, session_id, draft, target, kind, text, original, rationale, proposer, status, decision_reason, created_at, "
    "decided_at, result_draft";

Amendment row(SQLite::Statement& q) {
  Amendment a;
  a.id = q.getColumn(0).getInt64();
  a.session = q.getColumn(1).getString();
  a.draft = q.getColumn(2).getInt();
  a.target = q.getColumn(3).getString();
  a.kind = stored(parse_amendment_kind(q.getColumn(4).getString()), "amendments.kind");
  a.text = q.getColumn(5).getString();
  a.original = q.getColumn(6).getString();
  a.rationale = q.getColumn(7).getString();
  a.proposer = q.getColumn(8).getInt64();
  a.status = stored(parse_amendment_status(q.getColumn(9).getString()), "amendments.status");
  a.decision_reason = q.getColumn(10).getString();
  a.created_at = q.getColumn(11).getInt64();
  a.decided_at = q.getColumn(12).isNull() ? 0 : q.getColumn(12).getInt64();
  a.result_draft = q.getColumn(13).isNull() ? 0 : q.getColumn(13).getInt();
  return a;
}

}  // namespace

int64_t Amendments::insert(const Amendment& a) {
  Stmt q(db_,
         "INSERT INTO amendments (session_id, draft, target, kind, text, original, rationale, proposer, "
         "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind_all(a.session,
             a.draft,
             a.target,
             amendment_kind_name(a.kind),
             a.text,
             a.original,
             a.rationale,
             a.proposer,
             amendment_status_name(a.status),
             a.created_at);
  q.exec();
  return db_.getLastInsertRowid();
}

std::optional<Amendment> Amendments::find(const std::string& session, int64_t id) {
  Stmt q(db_, std::string("SELECT ") + kColumns + " FROM amendments WHERE session_id = ? AND id = ?");
  q.bind_all(session, id);
  if (!q.executeStep()) return std::nullopt;
  return row(q);
}

std::vector<Amendment> Amendments::list(const std::string& session) {
  Stmt q(db_, std::string("SELECT ") + kColumns + " FROM amendments WHERE session_id = ? ORDER BY id");
  q.bind_all(session);
  std::vector<Amendment> out;
  while (q.executeStep()) out.push_back(row(q));
  return out;
}

void Amendments::set_status(int64_t id, AmendmentStatus status, const std::string& reason, int64_t decided_at,
                            int result_draft) {
  Stmt q(db_,
         "UPDATE amendments SET status = ?, decision_reason = CASE WHEN ? = '' THEN decision_reason ELSE ? "
         "END, decided_at = COALESCE(?, decided_at), result_draft = COALESCE(?, result_draft) WHERE id = ?");
  q.bind_all(amendment_status_name(status), reason, reason, or_null(decided_at), or_null(result_draft), id);
  q.exec();
}

}  // namespace rapporteur::sqlite
