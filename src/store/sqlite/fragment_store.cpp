#include "store/sqlite/fragment_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/sqlite/statement_cache.h"

namespace rapporteur::sqlite {
namespace {

// Columns of a version summary; kWithBody adds the body as the last one.
constexpr const char* kSummary =
    "v.fragment_id, f.breakout_id, v.version, v.title, v.note, v.author, v.author_name, v.created_at, v.sha256, "
    "length(CAST(v.body AS BLOB))";
constexpr const char* kWithBody = ", v.body";
// The latest version of each fragment row `f`.
constexpr const char* kLatestJoin =
    " FROM fragments f JOIN fragment_versions v ON v.fragment_id = f.id"
    " AND v.version = (SELECT MAX(version) FROM fragment_versions WHERE fragment_id = f.id)";

FragmentVersion row_to_version(SQLite::Statement& q, bool with_body) {
  FragmentVersion v;
  v.fragment = q.getColumn(0).getInt64();
  v.breakout = q.getColumn(1).getString();
  v.version = q.getColumn(2).getInt();
  v.title = q.getColumn(3).getString();
  v.note = q.getColumn(4).getString();
  v.author = q.getColumn(5).isNull() ? 0 : q.getColumn(5).getInt64();
  v.author_name = q.getColumn(6).getString();
  v.created_at = q.getColumn(7).getInt64();
  v.sha256 = q.getColumn(8).getString();
  v.size = static_cast<size_t>(q.getColumn(9).getInt64());
  if (with_body) v.body = q.getColumn(10).getString();
  return v;
}

std::optional<FragmentVersion> one_version(SQLite::Statement& q) {
  if (!q.executeStep()) return std::nullopt;
  return row_to_version(q, true);
}

std::vector<FragmentVersion> all_versions(SQLite::Statement& q, bool with_body) {
  std::vector<FragmentVersion> out;
  while (q.executeStep()) out.push_back(row_to_version(q, with_body));
  return out;
}

}  // namespace

int64_t Fragments::insert(const Fragment& f) {
  Stmt q(db_, "INSERT INTO fragments (session_id, breakout_id, created_at) VALUES (?, ?, ?)");
  q.bind_all(f.session, f.breakout, f.created_at);
  q.exec();
  return db_.getLastInsertRowid();
}

void Fragments::append_version(const FragmentVersion& v) {
  Stmt q(db_,
         "INSERT INTO fragment_versions (fragment_id, version, title, body, note, author, author_name, "
         "created_at, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind_all(v.fragment, v.version, v.title, v.body, v.note, or_null(v.author), v.author_name, v.created_at,
             v.sha256);
  q.exec();
}

std::optional<Fragment> Fragments::find(const std::string& session, int64_t id) {
  Stmt q(db_, "SELECT id, session_id, breakout_id, created_at FROM fragments WHERE id = ? AND session_id = ?");
  q.bind_all(id, session);
  if (!q.executeStep()) return std::nullopt;
  return Fragment{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                  q.getColumn(3).getInt64()};
}

std::optional<FragmentVersion> Fragments::latest(int64_t id) {
  Stmt q(db_, std::string("SELECT ") + kSummary + kWithBody +
                 " FROM fragment_versions v JOIN fragments f ON f.id = v.fragment_id"
                 " WHERE v.fragment_id = ? ORDER BY v.version DESC LIMIT 1");
  q.bind_all(id);
  return one_version(q);
}

std::optional<FragmentVersion> Fragments::version(int64_t id, int n) {
  Stmt q(db_, std::string("SELECT ") + kSummary + kWithBody +
                 " FROM fragment_versions v JOIN fragments f ON f.id = v.fragment_id"
                 " WHERE v.fragment_id = ? AND v.version = ?");
  q.bind_all(id, n);
  return one_version(q);
}

std::vector<FragmentVersion> Fragments::versions(int64_t id) {
  Stmt q(db_, std::string("SELECT ") + kSummary +
                 " FROM fragment_versions v JOIN fragments f ON f.id = v.fragment_id"
                 " WHERE v.fragment_id = ? ORDER BY v.version");
  q.bind_all(id);
  return all_versions(q, false);
}

std::vector<FragmentVersion> Fragments::list_by_breakout(const std::string& session,
                                              const std::string& breakout) {
  Stmt q(db_, std::string("SELECT ") + kSummary + kLatestJoin +
                 " WHERE f.session_id = ? AND f.breakout_id = ? ORDER BY f.created_at, f.id");
  q.bind_all(session, breakout);
  return all_versions(q, false);
}

std::vector<FragmentVersion> Fragments::list_latest_for_session(const std::string& session) {
  Stmt q(db_, std::string("SELECT ") + kSummary + kWithBody + kLatestJoin +
                 " JOIN breakouts b ON b.session_id = f.session_id AND b.id = f.breakout_id"
                 " WHERE f.session_id = ? ORDER BY b.position, f.created_at, f.id");
  q.bind_all(session);
  return all_versions(q, true);
}

}  // namespace rapporteur::sqlite
