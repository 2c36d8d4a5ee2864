// valid_date, valid_hhmm and parse_rfc3339 (rapporteur/timezone.h).
#include <cstdint>
#include <string_view>

#include "calendar_text.h"
#include "rapporteur/timezone.h"

namespace rapporteur {
namespace {

using calendar_text::days_since_epoch;
using calendar_text::fixed_digits;
using calendar_text::is_digit;
using calendar_text::kSecondsPerDay;
using calendar_text::parse_date;
using calendar_text::parse_time;
using calendar_text::quoted;

}  // namespace

bool valid_date(std::string_view yyyy_mm_dd) { return parse_date(yyyy_mm_dd).has_value(); }

bool valid_hhmm(std::string_view hh_mm) { return parse_time(hh_mm, false).has_value(); }

Result<int64_t> parse_rfc3339(std::string_view text) {
  const auto fail = [&](const char* rule) {
    return Status::invalid("timestamp " + quoted(text) + " is not an RFC 3339 date-time: " + rule);
  };
  if (text.size() < 20) return fail("expected YYYY-MM-DDTHH:MM:SS followed by Z or +HH:MM");
  const auto ymd = parse_date(text.substr(0, 10));
  if (!ymd) return fail("invalid date");
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return fail("expected 'T' after the date");
  const auto secs = parse_time(text.substr(11, 8), true);
  if (!secs) return fail("invalid time of day (00:00:00 to 23:59:59)");
  size_t pos = 19;
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t first = pos;
    int64_t scale = 100;
    for (; pos < text.size() && is_digit(text[pos]); ++pos, scale /= 10) millis += (text[pos] - '0') * scale;
    if (pos == first) return fail("expected digits after '.'");
  }
  const std::string_view zone = text.substr(pos);
  int64_t offset = 0;
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    const auto h = fixed_digits(zone, 1, 2), m = fixed_digits(zone, 4, 2);
    if (!h || !m || *h > 23 || *m > 59) return fail("invalid offset");
    offset = (zone[0] == '-' ? -1 : 1) * (*h * 3600 + *m * 60);
  } else {
    return fail("expected Z or an offset +HH:MM / -HH:MM at the end");
  }
  const int64_t local = days_since_epoch(*ymd) * kSecondsPerDay + *secs;
  return (local - offset) * 1000 + millis;
}

}  // namespace rapporteur
