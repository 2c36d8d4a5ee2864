#include "rapporteur/live.h"

#include <SQLiteCpp/Database.h>

#include "rapporteur/agenda.h"
#include "rapporteur/crypto.h"
#include "rapporteur/sessions.h"
#include "store/event_store.h"
#include "store/live_store.h"

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
    return nlohmann::json{{"session", s->id},
                          {"phase", s->phase},
                          {"current_draft", live_store::current_draft(db, session)},
                          {"open_poll", live_store::open_poll(db, session)},
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
