// load_export: the ExportDocument of a session, from the domain's own read
// functions (drafts, amendments, polls, people, record); no SQL here.
#include <map>

#include "rapporteur/agenda.h"
#include "rapporteur/amendments.h"
#include "rapporteur/drafts.h"
#include "rapporteur/export.h"
#include "rapporteur/polls.h"
#include "rapporteur/record.h"
#include "rapporteur/sessions.h"

namespace rapporteur {
namespace {

std::string string_or_empty(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t int_or_zero(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// The role shown for a proposer: the most responsible one they hold.
std::string primary_role(const Person& p) {
  for (const char* role : kRoles) {
    if (p.has(role)) return role;
  }
  return "participant";
}

ExportPoll to_export_poll(Snapshot& snap, const Poll& p, const Session& session) {
  const nlohmann::json j = poll_to_json(snap, p, session);
  ExportPoll e;
  e.id = p.id;
  e.subject_kind = p.subject_kind;
  e.subject_id = p.subject_id;
  e.method = p.method;
  e.rule = p.rule;
  e.quorum = p.quorum;
  e.secret = p.secret;
  e.state = p.state;
  e.opened_at = string_or_empty(j, "opened_at");
  e.closed_at = string_or_empty(j, "closed_at");
  // A closed poll's counts are its fixed result; an open one's are live
  // (never per person, and only how many voted for a secret one: no counts).
  const nlohmann::json& counts = p.state == PollState::closed && p.result.is_object() ? p.result : j["counts"];
  if (counts.is_object() && (counts.contains("yes") || counts.contains("objections"))) {
    e.has_counts = true;
    e.counts.yes = int_or_zero(counts, "yes");
    e.counts.no = int_or_zero(counts, "no");
    e.counts.abstain = int_or_zero(counts, "abstain");
    e.counts.cast = counts.contains("cast") ? int_or_zero(counts, "cast") : e.counts.yes + e.counts.no + e.counts.abstain;
    e.counts.eligible = counts.contains("eligible") ? int_or_zero(counts, "eligible") : p.eligible;
    e.counts.objections = int_or_zero(counts, "objections");
  }
  if (p.state == PollState::closed && p.result.is_object()) e.outcome = string_or_empty(p.result, "outcome");
  if (j.contains("ballots")) {
    for (const auto& b : j["ballots"]) e.ballots.push_back({string_or_empty(b, "name"), string_or_empty(b, "choice")});
  }
  if (j.contains("receipts")) {
    for (const auto& r : j["receipts"]) {
      if (r.is_string()) e.receipts.push_back(r.get<std::string>());
    }
  }
  return e;
}

}  // namespace

Result<ExportDocument> load_export(Snapshot& snap, const std::string& session) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, session));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto draft,
                              load_draft(snap, session, s.phase == SessionPhase::adopted ? "final" : "current"));

  ExportDocument doc;
  doc.session = s.id;
  doc.title = s.title;
  doc.date = s.date;
  doc.place = s.place;
  doc.timezone = s.timezone;
  doc.final = draft.final;
  doc.draft = draft.n;
  doc.markdown = draft.markdown;
  doc.sha256 = draft.sha256;
  doc.paragraphs = draft.doc.paragraphs;
  for (const Breakout& b : s.breakouts) doc.breakouts.emplace_back(b.id, b.title);

  // Recommendation numbers of amendment targets, in the draft each amendment
  // was proposed against.
  std::map<int, std::map<std::string, std::string>> numbers;
  auto number_of = [&](int n, const std::string& pid) -> std::string {
    auto it = numbers.find(n);
    if (it == numbers.end()) {
      std::map<std::string, std::string> m;
      auto d = n == draft.n ? Result<DraftRecord>(draft) : load_draft(snap, session, std::to_string(n));
      if (d) {
        for (const Paragraph& p : d->doc.paragraphs) m[p.pid] = p.number;
      }
      it = numbers.emplace(n, std::move(m)).first;
    }
    auto p = it->second.find(pid);
    return p == it->second.end() ? std::string() : p->second;
  };

  std::map<int64_t, std::string> roles;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto people, list_people(snap, session));
  for (const Person& p : people) roles[p.id] = primary_role(p);

  for (const Poll& p : list_polls(snap, session)) {
    if (p.state == PollState::cancelled) continue;  // never opened: not part of the voting record (the log keeps it)
    doc.polls.push_back(to_export_poll(snap, p, s));
  }

  for (const Amendment& a : list_amendments(snap, session)) {
    ExportAmendment e;
    e.id = a.id;
    e.draft = a.draft;
    e.target = a.target;
    e.target_number = number_of(a.draft, a.target);
    e.kind = a.kind;
    e.original = a.original;
    e.text = a.text;
    auto role = roles.find(a.proposer);
    e.proposer_role = role == roles.end() ? "participant" : role->second;
    e.status = a.status;
    for (const ExportPoll& p : doc.polls) {  // polls come in id order: the last closed one wins
      if (p.subject_kind == PollSubject::amendment && p.subject_id == a.id && p.state == PollState::closed) {
        e.poll = p.id;
        e.outcome = p.outcome;
        e.method = p.method;
        e.counts = p.counts;
      }
    }
    doc.amendments.push_back(std::move(e));
  }

  for (ExportPoll& p : doc.polls) {
    if (p.subject_kind == PollSubject::adoption) {
      p.subject = "Adoption of draft " + std::to_string(p.subject_id);
      if (doc.final && p.subject_id == doc.draft && p.outcome == "adopted") doc.adopted_at = p.closed_at;
      continue;
    }
    p.subject = "Amendment " + std::to_string(p.subject_id);
    for (const ExportAmendment& a : doc.amendments) {
      if (a.id == p.subject_id && !a.target_number.empty()) p.subject += " (" + a.target_number + ")";
    }
  }

  RAPPORTEUR_ASSIGN_OR_RETURN(auto record, verify_record(snap, session));
  doc.log_head = record.chain.head;
  doc.log_events = record.chain.events;
  return doc;
}

}  // namespace rapporteur
