#include "rapporteur/record.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <regex>
#include <sstream>

#include "rapporteur/crypto.h"
#include "rapporteur/draft_merge.h"
#include "rapporteur/drafts.h"
#include "rapporteur/sessions.h"

namespace rapporteur {
namespace {

std::string short_hash(const std::string& h) { return h.size() > 12 ? h.substr(0, 12) + "..." : h; }

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// The first paragraph with a line of text that the adopted Markdown does not
// contain: the paragraph an attacker most likely changed. Empty if none (the
// change may be to a number or a section, which no line shows).
std::string changed_paragraph(const Document& doc, const std::string& adopted_markdown) {
  for (const Paragraph& p : doc.paragraphs) {
    std::istringstream lines(p.markdown);
    for (std::string line; std::getline(lines, line);) {
      const std::string t = trim(line);
      if (!t.empty() && adopted_markdown.find(t) == std::string::npos) {
        return "paragraph " + p.pid + (p.number.empty() ? "" : " (" + p.number + ")");
      }
    }
  }
  return "";
}

// "*(Breakout: b; amendment n)*" -> "*(Amendment n)*" (see check_final).
std::string without_amendment_breakouts(const std::string& markdown) {
  static const std::regex attribution(R"(\*\(Breakout: [^;)*]*; amendment ([0-9]+)\)\*)");
  return std::regex_replace(markdown, attribution, "*(Amendment $1)*");
}

// The final text against the adoption the log records; the problem, or "".
std::string check_final(Snapshot& snap, const Session& s, const std::vector<Event>& events, RecordCheck& out) {
  const Event* adopted = nullptr;
  int adoptions = 0;
  for (const Event& e : events) {
    if (e.type != "session_adopted") continue;
    if (++adoptions == 1) adopted = &e;
  }
  const int final_n = snap.drafts().final_n(s.id);
  if (!adopted) {
    return "final text: the session is adopted (" +
           (final_n > 0 ? "draft " + std::to_string(final_n) + " is marked final"
                        : "phase " + std::string(session_phase_name(s.phase))) +
           ") but the log records no adoption (no session_adopted event)";
  }
  out.adoption_event = adopted->seq;
  const std::string at_event = "event " + std::to_string(adopted->seq);
  if (adoptions > 1) return "final text: the log records " + std::to_string(adoptions) + " adoptions";
  const nlohmann::json& data = adopted->data;
  if (!data.is_object() || !data.contains("draft") || !data["draft"].is_number_integer() || !data.contains("sha256") ||
      !data["sha256"].is_string()) {
    return "final text: " + at_event + " (session_adopted) names no draft and SHA-256";
  }
  out.final_draft = data["draft"].get<int>();
  out.final_sha256 = data["sha256"].get<std::string>();
  const std::string subject = "final text (draft " + std::to_string(out.final_draft) + "): ";
  if (s.phase != SessionPhase::adopted) {
    return subject + "the session's phase is " + session_phase_name(s.phase) + ", but " + at_event +
           " records its adoption";
  }
  if (final_n != out.final_draft) {
    return subject + (final_n == 0 ? "no draft" : "draft " + std::to_string(final_n)) + " is marked final, but " +
           at_event + " records the adoption of draft " + std::to_string(out.final_draft);
  }
  auto row = snap.drafts().find(s.id, out.final_draft);
  if (!row) return subject + "the adopted draft is missing";
  Document doc;
  try {
    for (const auto& p : nlohmann::json::parse(row->paragraphs)) doc.paragraphs.push_back(paragraph_from_json(p));
  } catch (const std::exception&) {
    return subject + "its stored paragraphs are not valid JSON paragraphs";
  }
  // The text exactly as hashed when the draft was made (drafts.cpp
  // store_draft): document_markdown of the renumbered document, whose
  // paragraphs are stored. Stored text first: it is what was hashed.
  const std::string recorded = " as recorded at adoption (" + at_event + ")";
  const std::string stored_sha = sha256_hex(row->markdown);
  if (stored_sha != out.final_sha256) {
    return subject + "its stored text hashes to " + short_hash(stored_sha) + ", not " + short_hash(out.final_sha256) +
           recorded;
  }
  const std::string rebuilt = document_markdown(doc);
  // Drafts stored so far lose the breakout of a paragraph made by an amendment
  // (source_to_json in drafts.cpp writes only the amendment), so such a
  // paragraph is rebuilt as "*(Amendment n)*" where the hashed text says
  // "*(Breakout: b; amendment n)*". Only that difference is tolerated.
  if (rebuilt != row->markdown && rebuilt != without_amendment_breakouts(row->markdown)) {
    std::string msg = subject + "its paragraphs hash to " + short_hash(sha256_hex(rebuilt)) + ", not " +
                      short_hash(out.final_sha256) + recorded;
    const std::string which = changed_paragraph(doc, row->markdown);
    if (!which.empty()) msg += "; " + which + " differs from the adopted text";
    return msg;
  }
  if (row->sha256 != out.final_sha256) {
    return subject + "the SHA-256 stored with the draft is " + short_hash(row->sha256) + ", not " +
           short_hash(out.final_sha256) + recorded;
  }
  return "";
}

}  // namespace

Result<std::vector<Event>> read_log(Snapshot& snap, const std::string& session, int64_t after, int64_t limit) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, session));
  return snap.events().list(session, after, limit);
}

Result<RecordCheck> verify_record(Snapshot& snap, const std::string& session) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, session));
  RecordCheck out;
  const std::vector<Event> events = snap.events().list(session, 0, INT64_MAX);
  out.chain = verify_chain(events);
  out.problem = out.chain.problem;
  bool logged_adoption = false;
  for (const Event& e : events) logged_adoption = logged_adoption || e.type == "session_adopted";
  if (s.phase == SessionPhase::adopted || snap.drafts().final_n(session) > 0 || logged_adoption) {
    out.final_checked = true;
    out.final_problem = check_final(snap, s, events, out);
    out.final_ok = out.final_problem.empty();
    if (!out.final_ok) out.problem += (out.problem.empty() ? "" : "; ") + out.final_problem;
  }
  return out;
}

nlohmann::json record_check_to_json(const RecordCheck& c) {
  nlohmann::json j = {{"ok", c.ok()}, {"events", c.chain.events}, {"head", c.chain.head}};
  if (c.chain.first_bad) j["first_bad"] = *c.chain.first_bad;
  if (!c.problem.empty()) j["problem"] = c.problem;
  if (c.final_checked) j["final_ok"] = c.final_ok;
  return j;
}

}  // namespace rapporteur
