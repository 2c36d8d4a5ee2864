// Amendments in PostgreSQL.
#include "store/postgres/rows.h"
#include "store/stored_values.h"

namespace rapporteur::postgres {
namespace {

constexpr const char* kColumns =
    "id, session_id, draft, target, kind, text, original, rationale, proposer, status, decision_reason, created_at, "
    "decided_at, result_draft";

Amendment row(const pqxx::row& r) {
  Amendment a;
  a.id = r[0].as<int64_t>();
  a.session = r[1].as<std::string>();
  a.draft = r[2].as<int>();
  a.target = r[3].as<std::string>();
  a.kind = stored(parse_amendment_kind(r[4].as<std::string>()), "amendments.kind");
  a.text = r[5].as<std::string>();
  a.original = r[6].as<std::string>();
  a.rationale = r[7].as<std::string>();
  a.proposer = r[8].as<int64_t>();
  a.status = stored(parse_amendment_status(r[9].as<std::string>()), "amendments.status");
  a.decision_reason = r[10].as<std::string>();
  a.created_at = r[11].as<int64_t>();
  a.decided_at = int_or_0(r[12]);
  a.result_draft = static_cast<int>(int_or_0(r[13]));
  return a;
}

}  // namespace

int64_t Amendments::insert(const Amendment& a) {
  return w_
      .exec(
          "INSERT INTO amendments (session_id, draft, target, kind, text, original, rationale, proposer, status, "
          "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
          a.session, a.draft, a.target, std::string(amendment_kind_name(a.kind)), a.text, a.original, a.rationale,
          a.proposer, std::string(amendment_status_name(a.status)), a.created_at)[0][0]
      .as<int64_t>();
}

std::optional<Amendment> Amendments::find(const std::string& session, int64_t id) {
  pqxx::result r =
      w_.exec(std::string("SELECT ") + kColumns + " FROM amendments WHERE session_id = $1 AND id = $2", session, id);
  if (r.empty()) return std::nullopt;
  return row(r[0]);
}

std::vector<Amendment> Amendments::list(const std::string& session) {
  std::vector<Amendment> out;
  for (const auto& r :
       w_.exec(std::string("SELECT ") + kColumns + " FROM amendments WHERE session_id = $1 ORDER BY id", session)) {
    out.push_back(row(r));
  }
  return out;
}

void Amendments::set_status(int64_t id, AmendmentStatus status, const std::string& reason, int64_t decided_at,
                            int result_draft) {
  w_.exec(
      "UPDATE amendments SET status = $1, decision_reason = CASE WHEN $2 = '' THEN decision_reason ELSE $2 END, "
      "decided_at = COALESCE($3, decided_at), result_draft = COALESCE($4, result_draft) WHERE id = $5",
      std::string(amendment_status_name(status)), reason, or_null(decided_at),
      or_null(static_cast<int64_t>(result_draft)), id);
}

}  // namespace rapporteur::postgres
