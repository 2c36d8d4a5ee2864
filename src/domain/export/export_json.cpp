// JSON export: what a third party needs to re-verify the adoption.
//
//   {"format": "rapporteur-export", "version": 1,
//    "session": {id, title, date, place, timezone, breakouts: [{id, title}]},
//    "status": "final" | "draft", "draft": n, "adopted_at": RFC 3339 | null,
//    "text": {"markdown", "sha256"},          sha256 = SHA-256 of the UTF-8 markdown
//    "paragraphs": [{pid, section, number, kind, markdown, source}],
//    "amendments": [{id, draft, target, target_number, kind, original, text,
//                    proposer_role, status, poll, outcome, counts}],
//    "polls": [{id, subject: {kind, id}, subject_text, method, rule, quorum,
//               secret, state, opened_at, closed_at, counts, outcome,
//               ballots?: [{person, choice}], receipts?: [...]}],
//    "log": {"head", "events"}}
//
// Paragraphs have the shape of GET .../drafts/{n} (without html). Counts are
// null while a poll is pending (or secret and still open); ballots appear
// for closed named polls, receipts for closed secret ones.
#include "domain/export/export_detail.h"
#include "rapporteur/drafts.h"

namespace rapporteur {
namespace {

nlohmann::json nullable(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

nlohmann::json counts_json(Method method, const ExportCounts& c) {
  if (method == Method::consensus) return {{"objections", c.objections}};
  return {{"yes", c.yes}, {"no", c.no}, {"abstain", c.abstain}, {"cast", c.cast}, {"eligible", c.eligible}};
}

nlohmann::json amendment_json(const ExportAmendment& a) {
  return {{"id", a.id},
          {"draft", a.draft},
          {"target", a.target},
          {"target_number", nullable(a.target_number)},
          {"kind", a.kind},
          {"original", a.original},
          {"text", a.kind == AmendmentKind::del ? nlohmann::json(nullptr) : nlohmann::json(a.text)},
          {"proposer_role", a.proposer_role},
          {"status", a.status},
          {"poll", a.poll == 0 ? nlohmann::json(nullptr) : nlohmann::json(a.poll)},
          {"outcome", nullable(a.outcome)},
          {"counts", a.method ? counts_json(*a.method, a.counts) : nlohmann::json(nullptr)}};
}

nlohmann::json poll_json(const ExportPoll& p) {
  nlohmann::json j = {{"id", p.id},
                      {"subject", {{"kind", p.subject_kind}, {"id", p.subject_id}}},
                      {"subject_text", p.subject},
                      {"method", p.method},
                      {"rule", p.rule},
                      {"quorum", p.quorum ? nlohmann::json(*p.quorum) : nlohmann::json(nullptr)},
                      {"secret", p.secret},
                      {"state", p.state},
                      {"opened_at", nullable(p.opened_at)},
                      {"closed_at", nullable(p.closed_at)},
                      {"counts", p.has_counts ? counts_json(p.method, p.counts) : nlohmann::json(nullptr)},
                      {"outcome", nullable(p.outcome)}};
  if (p.state == PollState::closed && p.method == Method::electronic) {
    if (p.secret) {
      j["receipts"] = p.receipts;
    } else {
      nlohmann::json ballots = nlohmann::json::array();
      for (const ExportBallot& b : p.ballots) ballots.push_back({{"person", b.person}, {"choice", b.choice}});
      j["ballots"] = std::move(ballots);
    }
  }
  return j;
}

}  // namespace

nlohmann::json export_json(const ExportDocument& doc) {
  nlohmann::json paragraphs = nlohmann::json::array();
  for (const Paragraph& p : doc.paragraphs) paragraphs.push_back(paragraph_to_json(p));
  nlohmann::json amendments = nlohmann::json::array();
  for (const ExportAmendment& a : doc.amendments) amendments.push_back(amendment_json(a));
  nlohmann::json polls = nlohmann::json::array();
  for (const ExportPoll& p : doc.polls) polls.push_back(poll_json(p));
  // The titles of the breakouts that paragraph sources name by id.
  nlohmann::json breakouts = nlohmann::json::array();
  for (const auto& [id, title] : doc.breakouts) breakouts.push_back({{"id", id}, {"title", title}});
  return {{"format", "rapporteur-export"},
          {"version", 1},
          {"session",
           {{"id", doc.session},
            {"title", doc.title},
            {"date", doc.date},
            {"place", doc.place},
            {"timezone", doc.timezone},
            {"breakouts", std::move(breakouts)}}},
          {"status", doc.final ? "final" : "draft"},
          {"draft", doc.draft},
          {"adopted_at", doc.final ? nullable(doc.adopted_at) : nlohmann::json(nullptr)},
          {"text", {{"markdown", doc.markdown}, {"sha256", doc.sha256}}},
          {"paragraphs", std::move(paragraphs)},
          {"amendments", std::move(amendments)},
          {"polls", std::move(polls)},
          {"log", {{"head", nullable(doc.log_head)}, {"events", doc.log_events}}}};
}

}  // namespace rapporteur
