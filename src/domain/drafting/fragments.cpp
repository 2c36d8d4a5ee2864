#include "rapporteur/fragments.h"

#include "rapporteur/agenda.h"
#include "rapporteur/crypto.h"
#include "rapporteur/diff.h"
#include "rapporteur/merge3.h"

namespace rapporteur {
namespace {

std::string fragment_name(int64_t id) { return "fragment " + std::to_string(id); }

Status fragment_not_found(const std::string& session, int64_t id) {
  return Status::not_found(fragment_name(id) + ": no such fragment in session \"" + session + "\"");
}

Status breakout_not_found(const Session& s, const std::string& breakout) {
  return Status::not_found("breakout \"" + breakout + "\": no such breakout in session \"" + s.id + "\"");
}

// The checks every save makes against fresh state, in this order: who, then when.
Status check_may_save(const Session& s, const std::string& breakout, const FragmentAuthor& author) {
  if (!author.may_write(breakout)) {
    return Status::forbidden("breakout \"" + breakout +
                             "\": only its rapporteurs, the secretariat and the president may write its fragments");
  }
  if (s.phase != SessionPhase::drafting) {
    return Status::conflict("session \"" + s.id +
                            "\": fragments are read-only once the session leaves drafting (phase " +
                            session_phase_name(s.phase) + ")");
  }
  return Status::ok();
}

nlohmann::json author_json(const FragmentVersion& v) {
  return {{"id", v.author > 0 ? nlohmann::json(v.author) : nlohmann::json(nullptr)}, {"name", v.author_name}};
}

FragmentVersion new_version(int64_t fragment, const std::string& breakout, int number, std::string title,
                            std::string body, std::string note, const FragmentAuthor& author, int64_t now) {
  FragmentVersion v;
  v.fragment = fragment;
  v.breakout = breakout;
  v.version = number;
  v.title = std::move(title);
  v.sha256 = sha256_hex(body);
  v.size = body.size();
  v.body = std::move(body);
  v.note = std::move(note);
  v.author = author.id();
  v.author_name = author.name();
  v.created_at = now;
  return v;
}

// The event of a save: enough to check a version against the log, never the body.
nlohmann::json version_event(const FragmentVersion& v) {
  nlohmann::json j = {{"fragment", v.fragment}, {"breakout", v.breakout}, {"version", v.version},
                      {"sha256", v.sha256},     {"size", v.size},         {"author", author_json(v)}};
  if (!v.note.empty()) j["note"] = v.note;
  return j;
}

}  // namespace

Result<FragmentVersion> create_fragment(Tx& tx, const Session& session, const std::string& breakout,
                                        const FragmentCreate& request, const FragmentAuthor& author, int64_t now) {
  if (!session.has_breakout(breakout)) return breakout_not_found(session, breakout);
  RAPPORTEUR_RETURN_IF_ERROR(check_may_save(session, breakout, author));
  const int64_t id = tx.fragments().insert(Fragment{0, session.id, breakout, now});
  FragmentVersion v = new_version(id, breakout, 1, request.title, request.body, request.note, author, now);
  tx.fragments().append_version(v);
  nlohmann::json event = version_event(v);
  event["title"] = v.title;
  tx.events().append(session.id, now, author.actor, "fragment_created", std::move(event));
  return v;
}

Result<FragmentVersion> put_fragment(Tx& tx, const Session& session, int64_t id, const FragmentUpdate& request,
                                     const FragmentAuthor& author, int64_t now) {
  auto fragment = tx.fragments().find(session.id, id);
  if (!fragment) return fragment_not_found(session.id, id);
  RAPPORTEUR_RETURN_IF_ERROR(check_may_save(session, fragment->breakout, author));
  auto latest = tx.fragments().latest(id);
  if (!latest) return Status::internal(fragment_name(id) + ": has no version");
  if (request.base_version > latest->version) {
    return Status::invalid(fragment_name(id) + ": base_version " + std::to_string(request.base_version) +
                               " does not exist (the latest is " + std::to_string(latest->version) + ")",
                           "base_version");
  }
  if (request.base_version < latest->version) {
    Status st = Status::version_conflict(fragment_name(id) + ": base_version " + std::to_string(request.base_version) +
                                         " is not the latest (" + std::to_string(latest->version) + ")");
    st.with_details({{"current", fragment_to_json(*latest, session)}, {"base_version", request.base_version}});
    return st;
  }
  FragmentVersion v = new_version(id, fragment->breakout, latest->version + 1, request.title.value_or(latest->title),
                                  request.body, request.note, author, now);
  tx.fragments().append_version(v);
  nlohmann::json event = version_event(v);
  if (v.title != latest->title) event["title"] = v.title;
  tx.events().append(session.id, now, author.actor, "fragment_revised", std::move(event));
  return v;
}

Status explain_version_conflict(Status conflict, const FragmentVersion& base, const std::string& submitted) {
  if (conflict.code() != Code::version_conflict || !conflict.details().contains("current")) return conflict;
  nlohmann::json details = conflict.details();
  const std::string& current = details["current"]["body"].get_ref<const std::string&>();
  const Merge3Result merged = merge3(base.body, current, submitted);
  details["diff"] = hunks_to_json(diff_words(base.body, current));
  details["merge"] = {{"clean", merged.clean}, {"body", merged.body}};
  conflict.with_details(std::move(details));
  return conflict;
}

Result<std::vector<FragmentVersion>> list_fragments(Snapshot& snap, const Session& session,
                                                    const std::string& breakout) {
  if (!session.has_breakout(breakout)) return breakout_not_found(session, breakout);
  return snap.fragments().list_by_breakout(session.id, breakout);
}

Result<FragmentVersion> load_fragment_version(Snapshot& snap, const std::string& session, int64_t id,
                                              std::optional<int> n) {
  if (!snap.fragments().find(session, id)) return fragment_not_found(session, id);
  auto v = n ? snap.fragments().version(id, *n) : snap.fragments().latest(id);
  if (!v) {
    auto latest = snap.fragments().latest(id);
    return Status::not_found(fragment_name(id) + ": no version " + std::to_string(n.value_or(0)) + " (the latest is " +
                             std::to_string(latest ? latest->version : 0) + ")");
  }
  return *v;
}

Result<std::vector<FragmentVersion>> list_fragment_versions(Snapshot& snap, const std::string& session,
                                                            int64_t id) {
  if (!snap.fragments().find(session, id)) return fragment_not_found(session, id);
  return snap.fragments().versions(id);
}

Result<std::pair<FragmentVersion, FragmentVersion>> load_fragment_pair(Snapshot& snap,
                                                                        const std::string& session, int64_t id,
                                                                        int from, int to) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto a, load_fragment_version(snap, session, id, from));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto b, load_fragment_version(snap, session, id, to));
  return std::make_pair(std::move(a), std::move(b));
}

nlohmann::json fragment_to_json(const FragmentVersion& v, const Session& session) {
  return {{"id", v.fragment},
          {"breakout", v.breakout},
          {"title", v.title},
          {"version", v.version},
          {"body", v.body},
          {"author", author_json(v)},
          {"created_at", session_time(session, v.created_at)},
          {"sha256", v.sha256},
          {"note", v.note},
          {"size", v.size}};
}

nlohmann::json fragment_summary_to_json(const FragmentVersion& v, const Session& session) {
  return {{"id", v.fragment},
          {"breakout", v.breakout},
          {"title", v.title},
          {"version", v.version},
          {"updated_at", session_time(session, v.created_at)},
          {"author", author_json(v)},
          {"sha256", v.sha256},
          {"size", v.size}};
}

nlohmann::json fragment_version_summary_to_json(const FragmentVersion& v, const Session& session) {
  return {{"version", v.version},
          {"title", v.title},
          {"author", author_json(v)},
          {"created_at", session_time(session, v.created_at)},
          {"sha256", v.sha256},
          {"note", v.note},
          {"size", v.size}};
}

}  // namespace rapporteur
