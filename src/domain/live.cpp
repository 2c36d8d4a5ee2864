#include "rapporteur/live.h"

#include <SQLiteCpp/Database.h>

#include "rapporteur/agenda.h"
#include "rapporteur/crypto.h"
#include "rapporteur/sessions.h"
#include "store/event_store.h"
#include "rapporteur/drafts.h"
#include "rapporteur/polls.h"

namespace rapporteur {

Result<nlohmann::json> live_state(App& app, const std::string& session) {
  const int64_t now = app.now_ms();
  return app.db().read<nlohmann::json>([&](SQLite::Database& db) -> Result<nlohmann::json> {
    auto s = load_session(db, session);
    if (!s) return s.status();
    nlohmann::json slot = nullptr;
    if (auto cur = current_slot(*s, now)) {
      slot = {{"id", cur->id}, {"title", cur->title}, {"kind", cur->kind}};
      if (auto t = slot_times(*s, *cur)) {
        slot["start"] = session_time(*s, t->start_ms);
        slot["end"] = session_time(*s, t->end_ms);
      }
    }
    nlohmann::json adoption = nullptr;
    if (const Slot* a = s->adoption_slot()) {
      if (auto t = slot_times(*s, *a)) {
        adoption = {{"start", session_time(*s, t->start_ms)}, {"end", session_time(*s, t->end_ms)},
                    {"ends_in_ms", t->end_ms - now}};
      }
    }
    const int draft = current_draft_number(db, session);
    nlohmann::json open = nullptr;
    if (auto p = open_poll_of(db, session)) open = poll_to_json(db, *p, *s);
    // The latest closed poll, so screens can show its result after the close.
    nlohmann::json last = nullptr;
    for (const Poll& p : list_polls(db, session)) {
      if (p.state == "closed" && (last.is_null() || p.closed_at >= last["closed_at_ms"].get<int64_t>())) {
        last = poll_to_json(db, p, *s);
        last["closed_at_ms"] = p.closed_at;
      }
    }
    if (!last.is_null()) {
      last.erase("closed_at_ms");
      last.erase("ballots");  // screens need the result, not 10,000 names
      last.erase("receipts");
    }
    nlohmann::json final_text = nullptr;
    if (s->phase == "adopted") {
      if (auto f = load_draft(db, session, "final")) final_text = {{"n", f->n}, {"sha256", f->sha256}};
    }
    return nlohmann::json{{"session", s->id},
                          {"phase", s->phase},
                          {"current_draft", draft == 0 ? nlohmann::json(nullptr) : nlohmann::json(draft)},
                          {"open_poll", open},
                          {"last_poll", last},
                          {"final", final_text},
                          {"slot", slot},
                          {"adoption_slot", adoption},
                          {"now", session_time(*s, now)},
                          {"seq", event_store::last_seq(db, session)}};
  });
}

std::string live_etag(const nlohmann::json& state) {
  nlohmann::json copy = state;
  copy.erase("now");
  if (copy.contains("adoption_slot") && copy["adoption_slot"].is_object()) copy["adoption_slot"].erase("ends_in_ms");
  return "\"" + sha256_hex(copy.dump()).substr(0, 32) + "\"";
}

}  // namespace rapporteur
