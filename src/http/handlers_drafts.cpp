#include "domain/sessions/fields.h"
#include "http/handlers.h"
#include "rapporteur/document_diff.h"
#include "rapporteur/drafts.h"
#include "rapporteur/sessions.h"

namespace rapporteur::http {
namespace {
constexpr size_t kMaxDraftBody = 1024 * 1024;
}  // namespace

Result<Reply> post_draft(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body(kMaxDraftBody));
  const bool merge = body.contains("merge");
  const bool edit = body.contains("base") || body.contains("edits");
  if (merge == edit) {
    return Status::invalid("a draft is made from {\"merge\": true} or from {\"base\": n, \"edits\": [...]}");
  }
  std::vector<Edit> edits;
  int base = 0;
  if (merge) {
    RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(body, {"merge"}));
    if (!(body)["merge"].is_boolean() || !(body)["merge"].get<bool>()) {
      return Status::invalid("merge: must be true", "merge");
    }
  } else {
    RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(body, {"base", "edits"}));
    RAPPORTEUR_ASSIGN_OR_RETURN(auto b, fields::required_int(body, "base", 1, 1'000'000));
    base = static_cast<int>(b);
    RAPPORTEUR_ASSIGN_OR_RETURN(edits, parse_edits(body.value("edits", nlohmann::json())));
  }
  const std::string sid = ctx.param("sid");
  const int64_t now = ctx.app.now_ms();
  const std::string actor = ctx.principal.actor();
  return ctx.write(201, [&](Tx& tx) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(tx, sid));
    RAPPORTEUR_RETURN_IF_ERROR(require_not_adopted(s));
    RAPPORTEUR_ASSIGN_OR_RETURN(
        auto d, merge ? create_merged_draft(tx, s, now, actor) : create_edited_draft(tx, s, base, edits, now, actor));
    return draft_to_json(d, s, true);
  });
}

Result<Reply> list_drafts(Ctx& ctx) {
  const std::string sid = ctx.param("sid");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto out,
                              ctx.app.store().read<nlohmann::json>([&](Snapshot& snap) -> Result<nlohmann::json> {
                                RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, sid));
                                RAPPORTEUR_ASSIGN_OR_RETURN(auto drafts, rapporteur::list_drafts(snap, sid));
                                nlohmann::json list = nlohmann::json::array();
                                for (const auto& d : drafts) list.push_back(draft_to_json(d, s, false));
                                return list;
                              }));
  return Reply::json(200, out);
}

Result<Reply> get_draft(Ctx& ctx) {
  const std::string sid = ctx.param("sid");
  const std::string which = ctx.param("n");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto out,
                              ctx.app.store().read<nlohmann::json>([&](Snapshot& snap) -> Result<nlohmann::json> {
                                RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, sid));
                                RAPPORTEUR_ASSIGN_OR_RETURN(auto d, load_draft(snap, sid, which));
                                return draft_to_json(d, s, true);
                              }));
  return Reply::json(200, out);
}

Result<Reply> get_draft_diff(Ctx& ctx) {
  const std::string sid = ctx.param("sid");
  const std::string from = ctx.param("n");
  std::string to = ctx.query("to");
  if (to.empty()) to = "current";
  RAPPORTEUR_ASSIGN_OR_RETURN(
      auto out, ctx.app.store().read<nlohmann::json>([&](Snapshot& snap) -> Result<nlohmann::json> {
        RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, sid));
        RAPPORTEUR_ASSIGN_OR_RETURN(auto a, load_draft(snap, sid, from));
        RAPPORTEUR_ASSIGN_OR_RETURN(auto b, load_draft(snap, sid, to));
        return nlohmann::json{
            {"from", a.n}, {"to", b.n}, {"paragraphs", document_diff_to_json(diff_documents(a.doc, b.doc))}};
      }));
  return Reply::json(200, out);
}

}  // namespace rapporteur::http
