// The strict text forms of dates and times that rapporteur/timezone.h reads
// ("YYYY-MM-DD", "HH:MM[:SS]"), shared by TimeZone (timezone.cpp) and the
// RFC 3339 parser (rfc3339.cpp). Not part of the public contract.
#pragma once

#include <date/date.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rapporteur::calendar_text {

inline constexpr int64_t kSecondsPerDay = 86400;

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `pos`.
std::optional<int> fixed_digits(std::string_view s, size_t pos, size_t n);

// A user-supplied value made safe to quote in a message: printable ASCII
// only (messages end up in JSON, which needs valid UTF-8), at most 64 bytes.
std::string quoted(std::string_view s);

// "YYYY-MM-DD", a day that exists.
std::optional<date::year_month_day> parse_date(std::string_view s);

// "HH:MM" or, when `allow_seconds`, "HH:MM:SS"; seconds of the day.
std::optional<int> parse_time(std::string_view s, bool allow_seconds);

// Days from 1970-01-01 to `ymd`.
int64_t days_since_epoch(const date::year_month_day& ymd);

}  // namespace rapporteur::calendar_text
