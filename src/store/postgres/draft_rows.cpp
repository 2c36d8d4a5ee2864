// Drafts in PostgreSQL.
#include "store/postgres/rows.h"
#include "store/stored_values.h"

namespace rapporteur::postgres {
namespace {

constexpr const char* kSummary = "session_id, n, created_at, created_by, kind, reason, base, sha256, final";

DraftRow row(const pqxx::row& r, bool full) {
  DraftRow d;
  d.session = r[0].as<std::string>();
  d.n = r[1].as<int>();
  d.created_at = r[2].as<int64_t>();
  d.created_by = r[3].as<std::string>();
  d.kind = stored(parse_draft_kind(r[4].as<std::string>()), "drafts.kind");
  d.reason = r[5].as<std::string>();
  d.base = static_cast<int>(int_or_0(r[6]));
  d.sha256 = r[7].as<std::string>();
  d.final = r[8].as<bool>();
  if (full) {
    d.markdown = r[9].as<std::string>();
    d.paragraphs = r[10].as<std::string>();
    d.duplicates = r[11].as<std::string>();
  }
  return d;
}

}  // namespace

void Drafts::insert(const DraftRow& r) {
  w_.exec(
      "INSERT INTO drafts (session_id, n, created_at, created_by, kind, reason, base, markdown, sha256, paragraphs, "
      "duplicates, final) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      r.session, r.n, r.created_at, r.created_by, std::string(draft_kind_name(r.kind)), r.reason,
      or_null(static_cast<int64_t>(r.base)), r.markdown, r.sha256, r.paragraphs, r.duplicates, r.final);
}

std::optional<DraftRow> Drafts::find(const std::string& session, int n) {
  pqxx::result r = w_.exec(std::string("SELECT ") + kSummary +
                               ", markdown, paragraphs, duplicates FROM drafts WHERE session_id = $1 AND n = $2",
                           session, n);
  if (r.empty()) return std::nullopt;
  return row(r[0], true);
}

int Drafts::latest(const std::string& session) {
  return w_.exec("SELECT COALESCE(MAX(n), 0) FROM drafts WHERE session_id = $1", session)[0][0].as<int>();
}

int Drafts::final_n(const std::string& session) {
  return w_.exec("SELECT COALESCE(MAX(n), 0) FROM drafts WHERE session_id = $1 AND final", session)[0][0].as<int>();
}

std::vector<DraftRow> Drafts::list(const std::string& session) {
  std::vector<DraftRow> out;
  for (const auto& r : w_.exec(std::string("SELECT ") + kSummary + " FROM drafts WHERE session_id = $1 ORDER BY n",
                               session)) {
    out.push_back(row(r, false));
  }
  return out;
}

void Drafts::set_final(const std::string& session, int n) {
  w_.exec("UPDATE drafts SET final = true WHERE session_id = $1 AND n = $2", session, n);
}

}  // namespace rapporteur::postgres
