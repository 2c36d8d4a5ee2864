#include "rapporteur/live.h"

#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "rapporteur/agenda.h"
#include "rapporteur/crypto.h"
#include "rapporteur/drafts.h"
#include "rapporteur/polls.h"
#include "rapporteur/sessions.h"

namespace rapporteur {
namespace {

// The latest reissues shown in the live state (the log keeps them all).
constexpr int64_t kMaxReissuesShown = 100;

// The part of a live state read from the database: everything but the
// clock-dependent "now", "slot" and "adoption_slot".
struct LiveBase {
  Session session;
  nlohmann::json state;
  // ETags by current slot (the only part of the ETag that moves with the
  // clock alone; "now" and "ends_in_ms" are left out of it).
  mutable std::mutex etag_mu;
  mutable std::map<std::string, std::string> etags;
};

// One session's cached base. A room of phones polls /live every second; the
// base is read once per commit and every poll between two commits is served
// from memory (bench/PERFORMANCE.md). `generation` is Db::commit_generation()
// read before the base's read transaction began: the base is served only
// while no commit has happened since, so a poll never sees a state older
// than a write that was already acknowledged.
struct LiveEntry {
  std::mutex build_mu;  // one rebuild at a time; the others wait and reuse it
  std::mutex mu;        // guards generation and base
  uint64_t generation = 0;
  std::shared_ptr<const LiveBase> base;
};

std::mutex cache_mu;
std::map<std::pair<const Store*, std::string>, std::unique_ptr<LiveEntry>> cache;

LiveEntry& entry_of(const Store* snap, const std::string& session) {
  std::lock_guard<std::mutex> lock(cache_mu);
  auto& e = cache[{snap, session}];
  if (!e) e = std::make_unique<LiveEntry>();
  return *e;
}

std::shared_ptr<const LiveBase> current_base(LiveEntry& e, uint64_t generation) {
  std::lock_guard<std::mutex> lock(e.mu);
  if (e.base && e.generation == generation) return e.base;
  return nullptr;
}

Result<std::shared_ptr<const LiveBase>> read_base(App& app, const std::string& session) {
  return app.store().read<std::shared_ptr<const LiveBase>>(
      [&](Snapshot& snap) -> Result<std::shared_ptr<const LiveBase>> {
        RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, session));
        const int draft = current_draft_number(snap, session);
        nlohmann::json open = nullptr;
        if (auto p = open_poll_of(snap, session)) {
          open = poll_to_json(snap, *p, s);
          // The paragraph an amendment under vote changes, so a screen
          // without a join link (which cannot read the amendment) can
          // still bring it into view.
          if (p->subject_kind == PollSubject::amendment) {
            if (auto a = snap.amendments().find(session, p->subject_id)) open["target"] = a->target;
          }
        }
        // The latest closed poll, so screens can show its result after the
        // close (the last one in id order among equal closing times).
        const std::vector<Poll> polls = list_polls(snap, session);
        const Poll* latest = nullptr;
        for (const Poll& p : polls) {
          if (p.state == PollState::closed && (latest == nullptr || p.closed_at >= latest->closed_at)) latest = &p;
        }
        nlohmann::json last = nullptr;
        if (latest != nullptr) {
          last = poll_to_json(snap, *latest, s);
          last.erase("ballots");  // screens need the result, not 10,000 names
          last.erase("receipts");
        }
        nlohmann::json final_text = nullptr;
        if (s.phase == SessionPhase::adopted) {
          if (auto f = load_draft(snap, session, "final")) final_text = {{"n", f->n}, {"sha256", f->sha256}};
        }
        // Every reissued token, so a person (or the room) sees that someone
        // was given a new token in their name, and when.
        nlohmann::json reissues = nlohmann::json::array();
        for (const Event& e : snap.events().list_of_type(session, "token_reissued", kMaxReissuesShown)) {
          reissues.push_back({{"person", e.data.value("person", int64_t{0})},
                              {"at", session_time(s, e.at)},
                              {"by", e.actor},
                              {"seq", e.seq}});
        }
        auto base = std::make_shared<LiveBase>();
        base->state = nlohmann::json{{"session", s.id},
                                     {"phase", s.phase},
                                     {"current_draft", draft == 0 ? nlohmann::json(nullptr) : nlohmann::json(draft)},
                                     {"open_poll", open},
                                     {"last_poll", last},
                                     {"final", final_text},
                                     {"token_reissues", std::move(reissues)},
                                     {"seq", snap.events().last_seq(session)}};
        base->session = std::move(s);
        return std::shared_ptr<const LiveBase>(std::move(base));
      });
}

Result<std::shared_ptr<const LiveBase>> live_base(App& app, const std::string& session) {
  LiveEntry& e = entry_of(&app.store(), session);
  uint64_t generation = app.store().commit_generation();
  if (auto hit = current_base(e, generation)) return hit;
  std::lock_guard<std::mutex> build(e.build_mu);
  // Read again: whoever held build_mu may have read a base that is current.
  generation = app.store().commit_generation();
  if (auto hit = current_base(e, generation)) return hit;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto base, read_base(app, session));  // not found and errors are not cached
  std::lock_guard<std::mutex> lock(e.mu);
  e.generation = generation;
  e.base = base;
  return base;
}

// The full state: the base and the clock-dependent fields at `now`.
nlohmann::json assemble(const LiveBase& base, int64_t now, nlohmann::json* slot_out) {
  const Session& s = base.session;
  nlohmann::json slot = nullptr;
  if (auto cur = current_slot(s, now)) {
    slot = {{"id", cur->id}, {"title", cur->title}, {"kind", cur->kind}};
    if (auto t = slot_times(s, *cur)) {
      slot["start"] = session_time(s, t->start_ms);
      slot["end"] = session_time(s, t->end_ms);
    }
  }
  nlohmann::json adoption = nullptr;
  if (const Slot* a = s.adoption_slot()) {
    if (auto t = slot_times(s, *a)) {
      adoption = {{"start", session_time(s, t->start_ms)}, {"end", session_time(s, t->end_ms)},
                  {"ends_in_ms", t->end_ms - now}};
    }
  }
  nlohmann::json state = base.state;
  if (slot_out != nullptr) *slot_out = slot;
  state["slot"] = std::move(slot);
  state["adoption_slot"] = std::move(adoption);
  state["now"] = session_time(s, now);
  return state;
}

}  // namespace

Result<nlohmann::json> live_state(App& app, const std::string& session) {
  const int64_t now = app.now_ms();
  RAPPORTEUR_ASSIGN_OR_RETURN(auto base, live_base(app, session));
  return assemble(*base, now, nullptr);
}

Result<LiveSnapshot> live_snapshot(App& app, const std::string& session) {
  const int64_t now = app.now_ms();
  RAPPORTEUR_ASSIGN_OR_RETURN(auto base, live_base(app, session));
  const LiveBase& b = *base;
  LiveSnapshot out;
  nlohmann::json slot;
  out.state = assemble(b, now, &slot);
  const std::string key = slot.dump();
  {
    std::lock_guard<std::mutex> lock(b.etag_mu);
    auto it = b.etags.find(key);
    if (it != b.etags.end()) {
      out.etag = it->second;
      return out;
    }
  }
  out.etag = live_etag(out.state);
  std::lock_guard<std::mutex> lock(b.etag_mu);
  b.etags.emplace(key, out.etag);
  return out;
}

std::string live_etag(const nlohmann::json& state) {
  nlohmann::json copy = state;
  copy.erase("now");
  if (copy.contains("adoption_slot") && copy["adoption_slot"].is_object()) copy["adoption_slot"].erase("ends_in_ms");
  return "\"" + sha256_hex(copy.dump()).substr(0, 32) + "\"";
}

}  // namespace rapporteur
