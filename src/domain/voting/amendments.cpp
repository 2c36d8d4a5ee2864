#include "rapporteur/amendments.h"

#include "domain/sessions/fields.h"
#include "rapporteur/diff.h"
#include "rapporteur/drafts.h"
#include "rapporteur/sessions.h"

namespace rapporteur {
namespace {

const Paragraph* find_paragraph(const Document& doc, const std::string& pid) {
  for (const auto& p : doc.paragraphs) {
    if (p.pid == pid) return &p;
  }
  return nullptr;
}

nlohmann::json amendment_event(const Amendment& a) {
  return {{"amendment", a.id}, {"draft", a.draft}, {"target", a.target}, {"kind", a.kind}, {"status", a.status}};
}

Result<Amendment> load_for_write(Tx& tx, const Session& session, int64_t id) {
  RAPPORTEUR_RETURN_IF_ERROR(require_not_adopted(session));
  auto a = tx.amendments().find(session.id, id);
  if (!a) return Status::not_found("amendment " + std::to_string(id) + ": no such amendment");
  return *a;
}

}  // namespace

bool is_pending(AmendmentStatus status) {
  return status == AmendmentStatus::proposed || status == AmendmentStatus::admitted ||
         status == AmendmentStatus::voting;
}

Result<Amendment> parse_amendment(const nlohmann::json& j) {
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(j, {"draft", "target", "kind", "text", "rationale"}));
  Amendment a;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto draft, fields::required_int(j, "draft", 1, 1'000'000));
  a.draft = static_cast<int>(draft);
  RAPPORTEUR_ASSIGN_OR_RETURN(auto target, fields::required_string(j, "target", 64));
  a.target = target;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto kind, fields::required_string(j, "kind", 16));
  const std::optional<AmendmentKind> parsed = parse_amendment_kind(kind);
  if (!parsed) return Status::invalid("kind: \"" + kind + "\" is not one of replace, insert_after, delete", "kind");
  a.kind = *parsed;
  if (a.kind == AmendmentKind::del) {
    if (j.contains("text") && !j["text"].is_null() && !(j["text"].is_string() && j["text"].get<std::string>().empty())) {
      return Status::invalid("text: a delete amendment takes no text", "text");
    }
  } else {
    if (j.contains("text") && j["text"].is_string() && j["text"].get<std::string>().size() > 4 * kMaxAmendmentText) {
      return Status::too_large("text: over the limit of " + std::to_string(kMaxAmendmentText) + " characters", "text");
    }
    RAPPORTEUR_ASSIGN_OR_RETURN(auto text, fields::required_string(j, "text", kMaxAmendmentText));
    a.text = text;
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto rationale, fields::optional_string(j, "rationale", kMaxRationale));
  a.rationale = rationale;
  return a;
}

Result<Amendment> propose_amendment(Tx& tx, const Session& session, const Person& proposer, Amendment a, int64_t now) {
  RAPPORTEUR_RETURN_IF_ERROR(require_not_adopted(session));
  if (session.phase != SessionPhase::amending) {
    return Status::conflict("session \"" + session.id + "\": amendments open with the amending phase (phase is " +
                            session_phase_name(session.phase) + ")");
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto draft, load_draft(tx, session.id, std::to_string(a.draft)));
  const Paragraph* target = find_paragraph(draft.doc, a.target);
  if (!target) {
    return Status::invalid("target: \"" + a.target + "\" is not a paragraph of draft " + std::to_string(a.draft),
                           "target");
  }
  // The preamble (the title and the date line) is made from the session
  // itself, not from what a breakout wrote: it is not text to amend.
  if (target->section == "preamble" || target->source.kind == SourceKind::preamble) {
    return Status::invalid("target: \"" + a.target +
                               "\" is in the preamble (the document's title and date line), which is not amendable",
                           "target");
  }
  const int current = current_draft_number(tx, session.id);
  if (a.draft != current) {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto cur, load_draft(tx, session.id, "current"));
    const Paragraph* now_p = find_paragraph(cur.doc, a.target);
    if (!now_p || now_p->markdown != target->markdown) {
      return Status::conflict("paragraph " + a.target + " changed since draft " + std::to_string(a.draft) +
                              ": propose against the current draft (" + std::to_string(current) + ")");
    }
  }
  a.session = session.id;
  a.original = target->markdown;
  a.proposer = proposer.id;
  a.status = AmendmentStatus::proposed;
  a.created_at = now;
  a.id = tx.amendments().insert(a);
  nlohmann::json ev = amendment_event(a);
  ev["text"] = a.text;
  ev["rationale"] = a.rationale;
  tx.events().append(session.id, now, "person:" + std::to_string(proposer.id), "amendment_proposed", ev);
  return a;
}

Result<Amendment> withdraw_amendment(Tx& tx, const Session& session, int64_t id, const Person& person, int64_t now) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto a, load_for_write(tx, session, id));
  if (a.proposer != person.id)
    return Status::forbidden("amendment " + std::to_string(id) + ": only its proposer may withdraw it");
  if (a.status != AmendmentStatus::proposed && a.status != AmendmentStatus::admitted) {
    return Status::conflict("amendment " + std::to_string(id) + ": cannot be withdrawn when " +
                            amendment_status_name(a.status));
  }
  tx.amendments().set_status(id, AmendmentStatus::withdrawn, "", now, 0);
  a.status = AmendmentStatus::withdrawn;
  a.decided_at = now;
  tx.events().append(session.id, now, "person:" + std::to_string(person.id), "amendment_withdrawn", amendment_event(a));
  return a;
}

Result<Amendment> decide_amendment(Tx& tx, const Session& session, int64_t id, const std::string& decision,
                                   const std::string& reason, int64_t now, const std::string& actor) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto a, load_for_write(tx, session, id));
  if (a.status != AmendmentStatus::proposed) {
    return Status::conflict("amendment " + std::to_string(id) + ": already " + amendment_status_name(a.status) +
                            ", only a proposed amendment is decided");
  }
  const AmendmentStatus status = decision == "admit" ? AmendmentStatus::admitted : AmendmentStatus::ruled_out;
  tx.amendments().set_status(id, status, reason, now, 0);
  a.status = status;
  a.decision_reason = reason;
  a.decided_at = now;
  nlohmann::json ev = amendment_event(a);
  ev["reason"] = reason;
  tx.events().append(session.id, now, actor, std::string("amendment_") + amendment_status_name(status), ev);
  return a;
}

void outdate_amendments(Tx& tx, const std::string& session, const std::string& target, int64_t except, int64_t now) {
  for (const Amendment& other : tx.amendments().list(session)) {
    if (other.id == except || other.target != target || !is_pending(other.status)) continue;
    tx.amendments().set_status(other.id, AmendmentStatus::outdated, "its paragraph changed", now, 0);
    tx.events().append(session, now, "system", "amendment_outdated",
                        {{"amendment", other.id}, {"target", target}, {"because", except}});
  }
}

Result<Amendment> load_amendment(Snapshot& snap, const std::string& session, int64_t id) {
  auto a = snap.amendments().find(session, id);
  if (!a) return Status::not_found("amendment " + std::to_string(id) + ": no such amendment");
  return *a;
}

std::vector<Amendment> list_amendments(Snapshot& snap, const std::string& session) {
  return snap.amendments().list(session);
}

nlohmann::json amendment_to_json(const Amendment& a, const std::vector<Amendment>& all, bool with_diff) {
  nlohmann::json conflicts = nlohmann::json::array();
  if (is_pending(a.status)) {
    for (const auto& o : all) {
      if (o.id != a.id && o.target == a.target && is_pending(o.status)) conflicts.push_back(o.id);
    }
  }
  nlohmann::json j = {{"id", a.id},
                      {"draft", a.draft},
                      {"target", a.target},
                      {"kind", a.kind},
                      {"text", a.kind == AmendmentKind::del ? nlohmann::json(nullptr) : nlohmann::json(a.text)},
                      {"original", a.original},
                      {"rationale", a.rationale},
                      {"proposer", a.proposer},
                      {"status", a.status},
                      {"reason", a.decision_reason},
                      {"result_draft", a.result_draft == 0 ? nlohmann::json(nullptr) : nlohmann::json(a.result_draft)},
                      {"conflicts_with", conflicts}};
  if (with_diff) {
    std::vector<Hunk> hunks;
    if (a.kind == AmendmentKind::replace) {
      hunks = diff_words(a.original, a.text);
    } else if (a.kind == AmendmentKind::del) {
      hunks = diff_words(a.original, "");
    } else {
      hunks = {{DiffOp::equal, a.original}, {DiffOp::insert, "\n\n" + a.text}};
    }
    j["diff"] = {{"hunks", hunks_to_json(hunks)}, {"html", diff_html(hunks)}};
  }
  return j;
}

}  // namespace rapporteur
