#include "rapporteur/drafts.h"

#include <memory>
#include <stdexcept>

#include "domain/drafting/draft_cache.h"
#include "domain/sessions/fields.h"
#include "rapporteur/agenda.h"
#include "rapporteur/crypto.h"
#include "rapporteur/duplicates.h"
#include "rapporteur/markdown.h"

namespace rapporteur {
namespace {

constexpr size_t kMaxEdits = 200;
constexpr size_t kMaxEditText = 16 * 1024;

// A typed name in a stored paragraph: the paragraphs are written by
// paragraph_to_json only, so an unknown name is a damaged row, and the read
// fails (as a store row with an unknown name does).
template <typename Parse>
auto stored_name(Parse parse, const nlohmann::json& name, const char* what) {
  auto value = parse(name.get<std::string>());
  if (!value) throw std::runtime_error(std::string("drafts.paragraphs: a ") + what + " holds an unknown value");
  return *value;
}

nlohmann::json source_to_json(const Source& s) {
  nlohmann::json j = {{"kind", s.kind}};
  if (s.kind == SourceKind::fragment) {
    j["breakout"] = s.breakout;
    j["fragment"] = s.fragment;
    j["version"] = s.version;
  } else if (s.kind == SourceKind::amendment) {
    j["amendment"] = s.amendment;
  } else if (s.kind == SourceKind::edit) {
    j["draft"] = s.draft;
  }
  // An amended or edited paragraph keeps the breakout it came from: the
  // rendered text names it, so a draft rebuilt from its stored paragraphs
  // (verify, later drafts) must too.
  if (s.kind != SourceKind::fragment && !s.breakout.empty()) j["breakout"] = s.breakout;
  return j;
}

Source source_from_json(const nlohmann::json& j) {
  Source s;
  s.kind = stored_name(parse_source_kind, j.at("kind"), "source kind");
  s.breakout = j.value("breakout", "");
  s.fragment = j.value("fragment", int64_t{0});
  s.version = j.value("version", 0);
  s.amendment = j.value("amendment", int64_t{0});
  s.draft = j.value("draft", 0);
  return s;
}

// The stored paragraphs and duplicates of a draft, parsed (or from the cache
// when exactly these texts were parsed before).
std::shared_ptr<const draft_cache::Parsed> parse_stored(const DraftRow& r) {
  if (r.paragraphs.empty() && r.duplicates.empty()) {  // a summary row (DraftReads::list)
    static const auto kNone = std::make_shared<const draft_cache::Parsed>();
    return kNone;
  }
  if (auto hit = draft_cache::find(r.session, r.n, r.paragraphs, r.duplicates)) return hit;
  auto parsed = std::make_shared<draft_cache::Parsed>();
  parsed->paragraphs_json = r.paragraphs;
  parsed->duplicates_json = r.duplicates;
  if (!r.paragraphs.empty()) {
    for (const auto& p : nlohmann::json::parse(r.paragraphs)) parsed->paragraphs.push_back(paragraph_from_json(p));
  }
  if (!r.duplicates.empty()) {
    for (const auto& x : nlohmann::json::parse(r.duplicates)) {
      parsed->duplicates.push_back(
          {x.at("a").get<std::string>(), x.at("b").get<std::string>(), x.at("score").get<double>()});
    }
  }
  draft_cache::put(r.session, r.n, parsed);
  return parsed;
}

DraftRecord from_row(const DraftRow& r) {
  DraftRecord d;
  static_cast<DraftHeader&>(d) = r;
  d.markdown = r.markdown;
  const auto parsed = parse_stored(r);
  d.doc.paragraphs = parsed->paragraphs;
  d.duplicates = parsed->duplicates;
  return d;
}

nlohmann::json duplicates_to_json(const std::vector<Duplicate>& dups) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : dups) out.push_back({{"a", d.a}, {"b", d.b}, {"score", d.score}});
  return out;
}

// Stores `doc` as the session's next draft and logs it.
DraftRecord store_draft(Tx& tx, const Session& session, Document doc, DraftKind kind, const std::string& reason,
                        int base, int64_t now, const std::string& actor) {
  renumber(doc);
  DraftRecord d;
  d.session = session.id;
  d.n = tx.drafts().latest(session.id) + 1;
  d.created_at = now;
  d.created_by = actor;
  d.kind = kind;
  d.reason = reason;
  d.base = base;
  d.markdown = document_markdown(doc);
  d.sha256 = sha256_hex(d.markdown);
  d.duplicates = find_duplicates(doc);
  d.doc = std::move(doc);
  DraftRow row;
  static_cast<DraftHeader&>(row) = d;
  row.markdown = d.markdown;
  nlohmann::json paragraphs = nlohmann::json::array();
  for (const auto& p : d.doc.paragraphs) paragraphs.push_back(paragraph_to_json(p));
  row.paragraphs = paragraphs.dump();
  row.duplicates = duplicates_to_json(d.duplicates).dump();
  tx.drafts().insert(row);
  // The next amendment, poll or export reads this draft back: keep it parsed.
  // (Safe even if this transaction rolls back: entries answer only for the
  // exact stored text.)
  auto parsed = std::make_shared<draft_cache::Parsed>();
  parsed->paragraphs_json = std::move(row.paragraphs);
  parsed->duplicates_json = std::move(row.duplicates);
  parsed->paragraphs = d.doc.paragraphs;
  parsed->duplicates = d.duplicates;
  draft_cache::put(d.session, d.n, std::move(parsed));
  tx.events().append(session.id, now, actor, "draft_created",
                      {{"n", d.n}, {"kind", draft_kind_name(kind)}, {"reason", reason}, {"base", base}, {"sha256", d.sha256},
                       {"paragraphs", d.doc.paragraphs.size()}});
  return d;
}

// The latest version of every fragment, in merge order.
std::vector<FragmentInput> fragments_for_merge(Snapshot& snap, const Session& session) {
  std::vector<FragmentInput> out;
  for (const FragmentVersion& v : snap.fragments().list_latest_for_session(session.id)) {
    FragmentInput in;
    in.breakout = v.breakout;
    for (const Breakout& b : session.breakouts) {
      if (b.id == v.breakout) in.breakout_title = b.title;
    }
    in.fragment = v.fragment;
    in.version = v.version;
    in.title = v.title;
    in.body = v.body;
    out.push_back(std::move(in));
  }
  return out;
}

Status require_drafting(const Session& s, const std::string& what) {
  if (s.phase != SessionPhase::drafting) {
    return Status::conflict("session \"" + s.id + "\": " + what + " only while drafting (phase is " +
                            session_phase_name(s.phase) + ")");
  }
  return Status::ok();
}

}  // namespace

nlohmann::json paragraph_to_json(const Paragraph& p) {
  return {{"pid", p.pid},
          {"section", p.section},
          {"number", p.number.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.number)},
          {"kind", p.kind},
          {"markdown", p.markdown},
          {"source", source_to_json(p.source)}};
}

Paragraph paragraph_from_json(const nlohmann::json& j) {
  Paragraph p;
  p.pid = j.at("pid").get<std::string>();
  p.section = j.at("section").get<std::string>();
  p.number = j.at("number").is_null() ? "" : j.at("number").get<std::string>();
  p.kind = stored_name(parse_paragraph_kind, j.at("kind"), "paragraph kind");
  p.markdown = j.at("markdown").get<std::string>();
  p.source = source_from_json(j.at("source"));
  return p;
}

Result<DraftRecord> create_merged_draft(Tx& tx, const Session& session, int64_t now, const std::string& actor) {
  RAPPORTEUR_RETURN_IF_ERROR(require_drafting(session, "merging"));
  auto fragments = fragments_for_merge(tx, session);
  if (fragments.empty()) return Status::conflict("session \"" + session.id + "\": no fragment to merge yet");
  MergeHeader header{session.title, session.date, session.place};
  Document doc = merge_fragments(header, fragments);
  const int current = tx.drafts().latest(session.id);
  std::optional<DraftRecord> previous;
  if (current > 0) previous = from_row(*tx.drafts().find(session.id, current));
  int seq = tx.sessions().next_pid(session.id);
  assign_pids(doc, previous ? &previous->doc : nullptr, seq);
  tx.sessions().set_next_pid(session.id, seq);
  return store_draft(tx, session, std::move(doc), DraftKind::merge,
                     "merged from " + std::to_string(fragments.size()) + " fragments", current, now, actor);
}

Result<DraftRecord> create_edited_draft(Tx& tx, const Session& session, int base, const std::vector<Edit>& edits,
                                        int64_t now, const std::string& actor) {
  RAPPORTEUR_RETURN_IF_ERROR(require_drafting(session, "editorial drafts"));
  const int current = tx.drafts().latest(session.id);
  if (current == 0) return Status::conflict("session \"" + session.id + "\": no draft to edit yet");
  if (base != current) {
    return Status::conflict("draft " + std::to_string(base) + " is not the current draft (" + std::to_string(current) +
                            "): edit the current draft");
  }
  DraftRecord prev = from_row(*tx.drafts().find(session.id, base));
  int seq = tx.sessions().next_pid(session.id);
  Source source;
  source.kind = SourceKind::edit;
  source.draft = current + 1;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto doc, apply_edits(prev.doc, edits, source, seq));
  tx.sessions().set_next_pid(session.id, seq);
  return store_draft(tx, session, std::move(doc), DraftKind::edit,
                     std::to_string(edits.size()) + " editorial edit" + (edits.size() == 1 ? "" : "s"), base, now,
                     actor);
}

Result<DraftRecord> create_amended_draft(Tx& tx, const Session& session, int64_t amendment, const Edit& edit,
                                         int64_t now, const std::string& actor) {
  const int current = tx.drafts().latest(session.id);
  if (current == 0) return Status::conflict("session \"" + session.id + "\": no draft to amend");
  DraftRecord prev = from_row(*tx.drafts().find(session.id, current));
  int seq = tx.sessions().next_pid(session.id);
  Source source;
  source.kind = SourceKind::amendment;
  source.amendment = amendment;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto doc, apply_edits(prev.doc, {edit}, source, seq));
  tx.sessions().set_next_pid(session.id, seq);
  return store_draft(tx, session, std::move(doc), DraftKind::amendment,
                     "amendment " + std::to_string(amendment) + " adopted", current, now, actor);
}

int current_draft_number(Snapshot& snap, const std::string& session) { return snap.drafts().latest(session); }

Result<DraftRecord> load_draft(Snapshot& snap, const std::string& session, const std::string& which) {
  int n = 0;
  if (which == "current") {
    n = snap.drafts().latest(session);
    if (n == 0) return Status::not_found("session \"" + session + "\": no draft yet");
  } else if (which == "final") {
    n = snap.drafts().final_n(session);
    if (n == 0) return Status::not_found("session \"" + session + "\": not adopted, no final text yet");
  } else {
    if (which.empty() || which.size() > 9 || which.find_first_not_of("0123456789") != std::string::npos) {
      return Status::not_found("draft \"" + which.substr(0, 20) + "\": not a draft number, \"current\" or \"final\"");
    }
    n = std::stoi(which);
  }
  auto row = snap.drafts().find(session, n);
  if (!row) return Status::not_found("draft " + std::to_string(n) + ": no such draft in session \"" + session + "\"");
  return from_row(*row);
}

Result<std::vector<DraftRecord>> list_drafts(Snapshot& snap, const std::string& session) {
  std::vector<DraftRecord> out;
  for (const auto& r : snap.drafts().list(session)) out.push_back(from_row(r));
  return out;
}

Result<std::vector<Edit>> parse_edits(const nlohmann::json& edits) {
  if (!edits.is_array()) return Status::bad_request("edits: must be an array", "edits");
  if (edits.empty()) return Status::invalid("edits: must hold at least one edit", "edits");
  if (edits.size() > kMaxEdits) return Status::invalid("edits: at most " + std::to_string(kMaxEdits), "edits");
  std::vector<Edit> out;
  for (size_t i = 0; i < edits.size(); ++i) {
    const std::string path = "edits[" + std::to_string(i) + "]";
    const auto& e = edits[i];
    RAPPORTEUR_RETURN_IF_ERROR(fields::require_object(e, path));
    Edit edit;
    int ops = 0;
    for (const AmendmentKind kind : {AmendmentKind::replace, AmendmentKind::insert_after, AmendmentKind::del}) {
      const char* op = amendment_kind_name(kind);
      if (e.contains(op)) {
        ++ops;
        edit.op = kind;
        if (!e[op].is_string()) return Status::bad_request(path + "." + op + ": must be a paragraph id", path);
        edit.pid = e[op].get<std::string>();
      }
    }
    if (ops != 1) return Status::invalid(path + ": needs exactly one of replace, insert_after, delete", path);
    RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(
        e,
        {amendment_kind_name(AmendmentKind::replace), amendment_kind_name(AmendmentKind::insert_after),
         amendment_kind_name(AmendmentKind::del), "text"},
        path));
    if (edit.op == AmendmentKind::del) {
      if (e.contains("text")) return Status::invalid(path + ".text: a delete takes no text", path + ".text");
    } else {
      RAPPORTEUR_ASSIGN_OR_RETURN(auto text, fields::required_string(e, "text", kMaxEditText, path));
      edit.text = text;
    }
    out.push_back(std::move(edit));
  }
  return out;
}

nlohmann::json draft_to_json(const DraftRecord& d, const Session& session, bool full) {
  nlohmann::json j = {{"n", d.n},
                      {"created_at", session_time(session, d.created_at)},
                      {"created_by", d.created_by},
                      {"kind", draft_kind_name(d.kind)},
                      {"reason", d.reason},
                      {"base", d.base == 0 ? nlohmann::json(nullptr) : nlohmann::json(d.base)},
                      {"sha256", d.sha256},
                      {"final", d.final}};
  if (!full) return j;
  j["markdown"] = d.markdown;
  nlohmann::json paragraphs = nlohmann::json::array();
  for (const auto& p : d.doc.paragraphs) {
    nlohmann::json pj = paragraph_to_json(p);
    pj["html"] = paragraph_html(p);
    paragraphs.push_back(std::move(pj));
  }
  // document_html joins the paragraphs' cached HTML; a draft stored in an
  // older layout is rendered from its own text.
  j["html"] = document_markdown(d.doc) == d.markdown ? document_html(d.doc) : render_markdown(d.markdown);
  j["paragraphs"] = std::move(paragraphs);
  j["duplicates"] = duplicates_to_json(d.duplicates);
  return j;
}

}  // namespace rapporteur
