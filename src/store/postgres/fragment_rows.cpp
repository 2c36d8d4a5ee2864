// Fragments and their versions in PostgreSQL.
#include "store/postgres/rows.h"

namespace rapporteur::postgres {
namespace {

// Columns of a version summary; kWithBody adds the body as the last one.
constexpr const char* kSummary =
    "v.fragment_id, f.breakout_id, v.version, v.title, v.note, v.author, v.author_name, v.created_at, v.sha256, "
    "octet_length(v.body)";
constexpr const char* kWithBody = ", v.body";
// The latest version of each fragment row `f`.
constexpr const char* kLatestJoin =
    " FROM fragments f JOIN fragment_versions v ON v.fragment_id = f.id"
    " AND v.version = (SELECT MAX(version) FROM fragment_versions WHERE fragment_id = f.id)";

FragmentVersion row_to_version(const pqxx::row& r, bool with_body) {
  FragmentVersion v;
  v.fragment = r[0].as<int64_t>();
  v.breakout = r[1].as<std::string>();
  v.version = r[2].as<int>();
  v.title = r[3].as<std::string>();
  v.note = r[4].as<std::string>();
  v.author = int_or_0(r[5]);
  v.author_name = r[6].as<std::string>();
  v.created_at = r[7].as<int64_t>();
  v.sha256 = r[8].as<std::string>();
  v.size = static_cast<size_t>(r[9].as<int64_t>());
  if (with_body) v.body = r[10].as<std::string>();
  return v;
}

std::vector<FragmentVersion> all_versions(const pqxx::result& rows, bool with_body) {
  std::vector<FragmentVersion> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(row_to_version(r, with_body));
  return out;
}

}  // namespace

int64_t Fragments::insert(const Fragment& f) {
  return w_
      .exec("INSERT INTO fragments (session_id, breakout_id, created_at) VALUES ($1, $2, $3) RETURNING id", f.session,
            f.breakout, f.created_at)[0][0]
      .as<int64_t>();
}

void Fragments::append_version(const FragmentVersion& v) {
  w_.exec(
      "INSERT INTO fragment_versions (fragment_id, version, title, body, note, author, author_name, created_at, "
      "sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      v.fragment, v.version, v.title, v.body, v.note, or_null(v.author), v.author_name, v.created_at, v.sha256);
}

std::optional<Fragment> Fragments::find(const std::string& session, int64_t id) {
  pqxx::result r = w_.exec(
      "SELECT id, session_id, breakout_id, created_at FROM fragments WHERE id = $1 AND session_id = $2", id, session);
  if (r.empty()) return std::nullopt;
  return Fragment{r[0][0].as<int64_t>(), r[0][1].as<std::string>(), r[0][2].as<std::string>(),
                  r[0][3].as<int64_t>()};
}

std::optional<FragmentVersion> Fragments::latest(int64_t id) {
  pqxx::result r = w_.exec(std::string("SELECT ") + kSummary + kWithBody +
                               " FROM fragment_versions v JOIN fragments f ON f.id = v.fragment_id"
                               " WHERE v.fragment_id = $1 ORDER BY v.version DESC LIMIT 1",
                           id);
  if (r.empty()) return std::nullopt;
  return row_to_version(r[0], true);
}

std::optional<FragmentVersion> Fragments::version(int64_t id, int n) {
  pqxx::result r = w_.exec(std::string("SELECT ") + kSummary + kWithBody +
                               " FROM fragment_versions v JOIN fragments f ON f.id = v.fragment_id"
                               " WHERE v.fragment_id = $1 AND v.version = $2",
                           id, n);
  if (r.empty()) return std::nullopt;
  return row_to_version(r[0], true);
}

std::vector<FragmentVersion> Fragments::versions(int64_t id) {
  return all_versions(w_.exec(std::string("SELECT ") + kSummary +
                                  " FROM fragment_versions v JOIN fragments f ON f.id = v.fragment_id"
                                  " WHERE v.fragment_id = $1 ORDER BY v.version",
                              id),
                      false);
}

std::vector<FragmentVersion> Fragments::list_by_breakout(const std::string& session, const std::string& breakout) {
  return all_versions(w_.exec(std::string("SELECT ") + kSummary + kLatestJoin +
                                  " WHERE f.session_id = $1 AND f.breakout_id = $2 ORDER BY f.created_at, f.id",
                              session, breakout),
                      false);
}

std::vector<FragmentVersion> Fragments::list_latest_for_session(const std::string& session) {
  return all_versions(w_.exec(std::string("SELECT ") + kSummary + kWithBody + kLatestJoin +
                                  " JOIN breakouts b ON b.session_id = f.session_id AND b.id = f.breakout_id"
                                  " WHERE f.session_id = $1 ORDER BY b.position, f.created_at, f.id",
                              session),
                      true);
}

}  // namespace rapporteur::postgres
