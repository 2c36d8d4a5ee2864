// Where the agenda stands at a given instant, in the session's time zone.
#pragma once

#include <cstdint>
#include <optional>

#include "rapporteur/session.h"
#include "rapporteur/status.h"

namespace rapporteur {

struct SlotTimes {
  int64_t start_ms = 0;  // UTC, inclusive
  int64_t end_ms = 0;    // UTC, exclusive
};

// The UTC bounds of `slot` on the session's date in its time zone.
Result<SlotTimes> slot_times(const Session& session, const Slot& slot);

// The slot running at `now_ms` (start <= now < end), if any.
std::optional<Slot> current_slot(const Session& session, int64_t now_ms);

// "2022-05-19T12:15:00+03:00" in the session's time zone.
std::string session_time(const Session& session, int64_t utc_ms);

}  // namespace rapporteur
