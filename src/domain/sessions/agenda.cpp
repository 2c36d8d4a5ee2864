#include "rapporteur/agenda.h"

#include "rapporteur/timezone.h"

namespace rapporteur {

Result<SlotTimes> slot_times(const Session& session, const Slot& slot) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto tz, TimeZone::load(session.timezone));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto start, tz.local_to_utc_ms(session.date, slot.start));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto end, tz.local_to_utc_ms(session.date, slot.end));
  return SlotTimes{start, end};
}

std::optional<Slot> current_slot(const Session& session, int64_t now_ms) {
  for (const Slot& s : session.agenda) {
    auto t = slot_times(session, s);
    if (t && t->start_ms <= now_ms && now_ms < t->end_ms) return s;
  }
  return std::nullopt;
}

std::string session_time(const Session& session, int64_t utc_ms) {
  auto tz = TimeZone::load(session.timezone);
  return tz ? tz->format_rfc3339(utc_ms) : TimeZone().format_rfc3339(utc_ms);
}

}  // namespace rapporteur
