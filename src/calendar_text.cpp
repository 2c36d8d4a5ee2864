#include "calendar_text.h"

namespace rapporteur::calendar_text {

std::optional<int> fixed_digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < 64; ++i) {
    const char c = s[i];
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (s.size() > 64) out += "...";
  return out + "\"";
}

std::optional<date::year_month_day> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const auto y = fixed_digits(s, 0, 4), m = fixed_digits(s, 5, 2), d = fixed_digits(s, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                 date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::optional<int> parse_time(std::string_view s, bool allow_seconds) {
  if (!(s.size() == 5 || (allow_seconds && s.size() == 8)) || s[2] != ':') return std::nullopt;
  const auto h = fixed_digits(s, 0, 2), m = fixed_digits(s, 3, 2);
  if (!h || !m || *h > 23 || *m > 59) return std::nullopt;
  int sec = 0;
  if (s.size() == 8) {
    const auto ss = fixed_digits(s, 6, 2);
    if (s[5] != ':' || !ss || *ss > 59) return std::nullopt;
    sec = *ss;
  }
  return *h * 3600 + *m * 60 + sec;
}

int64_t days_since_epoch(const date::year_month_day& ymd) {
  return date::sys_days{ymd}.time_since_epoch().count();
}

}  // namespace rapporteur::calendar_text
