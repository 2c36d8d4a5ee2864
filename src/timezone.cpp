#include "rapporteur/timezone.h"

#include <date/date.h>
#include <date/tz.h>

// Debian's ptz.h (date 3.0.1) names hh_mm_ss unqualified after
// `using namespace date; using namespace std::chrono;`, which C++20 makes
// ambiguous with std::chrono::hh_mm_ss. An alias with another name keeps both
// its uses pointing at date's class; nothing else in the header is touched
// (everything it includes is included before the macro).
#include <cctype>
#include <ostream>
#include <string>
namespace date {
template <class Duration>
using hh_mm_ss_for_ptz = hh_mm_ss<Duration>;
}  // namespace date
#define hh_mm_ss hh_mm_ss_for_ptz
#include <date/ptz.h>
#undef hh_mm_ss

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "calendar_text.h"

namespace rapporteur {
namespace {

using calendar_text::days_since_epoch;
using calendar_text::is_digit;
using calendar_text::kSecondsPerDay;
using calendar_text::parse_date;
using calendar_text::parse_time;
using calendar_text::quoted;
using std::chrono::seconds;

constexpr const char* kZoneRoot = "/usr/share/zoneinfo/";
constexpr size_t kMaxNameLength = 64;
constexpr size_t kMaxTzifSize = 1 << 20;  // real files are a few KiB
// Years 0000 to 9999: instants outside are clamped, which keeps the
// library's calendar (16-bit years, 32-bit day counts) far from overflow.
constexpr int64_t kMinSeconds = -62167219200;  // 0000-01-01T00:00:00Z
constexpr int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z

int64_t clamp_seconds(int64_t t) { return std::clamp(t, kMinSeconds, kMaxSeconds); }

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

date::sys_seconds instant(int64_t t) { return date::sys_seconds{seconds{t}}; }

date::year_month_day civil_from_days(int64_t days) {
  return date::year_month_day{date::sys_days{date::days{static_cast<int>(days)}}};
}

Status unknown_zone(std::string_view name) {
  return Status::invalid("timezone " + quoted(name) + " is not a known IANA time zone", "timezone");
}

bool valid_zone_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength || name.front() == '/' || name.back() == '/')
    return false;
  if (name.find("..") != std::string_view::npos) return false;  // cannot happen ('.' is refused)
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '/' || c == '_' ||
           c == '+' || c == '-';
  });
}

// The POSIX TZ rule at the end of a version 2+ zone file (RFC 8536 section
// 3.3, "\nCET-1CEST,M3.5.0,M10.5.0/3\n"), which governs the times after the
// file's last transition. The date library reads the transitions but not
// this rule, and Debian's files stop listing transitions in 2037. No rule, or
// one the library cannot read, leaves the last transition in force.
std::optional<Posix::time_zone> read_footer(const std::string& name) {
  const std::filesystem::path path = std::filesystem::path(kZoneRoot) / name;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxTzifSize) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) return std::nullopt;
  if (bytes.size() < 6 || bytes.compare(0, 4, "TZif") != 0 || bytes[4] == '\0' || bytes.back() != '\n')
    return std::nullopt;  // version 1 files have no footer
  const size_t open = bytes.rfind('\n', bytes.size() - 2);
  if (open == std::string::npos || open + 2 >= bytes.size()) return std::nullopt;
  try {
    return Posix::time_zone(std::string_view(bytes).substr(open + 1, bytes.size() - open - 2));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

struct TimeZone::Data {
  std::string name;
  const date::time_zone* zone = nullptr;   // nullptr: UTC
  std::optional<Posix::time_zone> footer;  // in force from `footer_from` on
  int64_t footer_from = 0;                 // the file's last transition, UTC seconds
};

TimeZone::TimeZone() {
  static const auto kUtc = std::make_shared<const Data>(Data{"UTC", nullptr, std::nullopt, 0});
  data_ = kUtc;
}

TimeZone::TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

Result<TimeZone> TimeZone::load(std::string_view name) {
  if (!valid_zone_name(name)) return unknown_zone(name);
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const Data>> cache;
  const std::string key(name);
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache.find(key); it != cache.end()) return TimeZone(it->second);
  }
  auto data = std::make_shared<Data>();
  data->name = key;
  try {
    // Throws for a name the system database does not hold, or a file it
    // cannot read (the library reads a zone's file on first use).
    data->zone = date::locate_zone(key);
    data->footer_from = data->zone->get_info(instant(kMaxSeconds)).begin.time_since_epoch().count();
  } catch (const std::exception&) {
    return unknown_zone(name);
  }
  data->footer = read_footer(key);
  std::lock_guard<std::mutex> lock(mu);
  return TimeZone(cache.emplace(key, std::move(data)).first->second);
}

const std::string& TimeZone::name() const { return data_->name; }

int TimeZone::offset_seconds_at(int64_t utc_seconds) const {
  const Data& d = *data_;
  if (d.zone == nullptr) return 0;
  const auto t = instant(clamp_seconds(utc_seconds));
  const auto& info = (d.footer && utc_seconds >= d.footer_from) ? d.footer->get_info(t) : d.zone->get_info(t);
  return static_cast<int>(info.offset.count());
}

Result<int64_t> TimeZone::local_to_utc_ms(std::string_view date, std::string_view time) const {
  const auto ymd = parse_date(date);
  if (!ymd) return Status::invalid("date " + quoted(date) + " is not a valid YYYY-MM-DD date", "date");
  const auto secs = parse_time(time, true);
  if (!secs) {
    return Status::invalid("time " + quoted(time) + " is not a valid HH:MM or HH:MM:SS time (00:00 to 23:59:59)",
                           "time");
  }
  const int64_t local = days_since_epoch(*ymd) * kSecondsPerDay + *secs;

  // Offsets in force around that wall time; UTC offsets stay within +-26 h,
  // so two days either side covers every transition that could matter.
  std::vector<int64_t> candidates;
  for (int64_t k = -2; k <= 2; ++k) candidates.push_back(offset_seconds_at(local + k * kSecondsPerDay));
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  std::optional<int64_t> earliest;
  for (int64_t off : candidates) {
    const int64_t t = local - off;
    if (offset_seconds_at(t) == off && (!earliest || t < *earliest)) earliest = t;
  }
  // In a gap no offset fits: use the one before the change (the smallest,
  // since clocks moved forward), which places the time after the gap.
  const int64_t utc = earliest ? *earliest : local - candidates.front();
  return utc * 1000;
}

std::string TimeZone::format_rfc3339(int64_t utc_ms) const {
  const int64_t secs = clamp_seconds(floor_div(utc_ms, 1000));
  const int offset_min = offset_seconds_at(secs) / 60;  // truncated towards zero
  const int64_t local = secs + int64_t{offset_min} * 60;
  const int64_t days = floor_div(local, kSecondsPerDay);
  const int64_t sod = local - days * kSecondsPerDay;
  const date::year_month_day c = civil_from_days(days);
  const int abs_min = offset_min < 0 ? -offset_min : offset_min;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", static_cast<int>(c.year()),
                static_cast<unsigned>(c.month()), static_cast<unsigned>(c.day()), static_cast<int>(sod / 3600),
                static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60), offset_min < 0 ? '-' : '+',
                abs_min / 60, abs_min % 60);
  return buf;
}

std::string TimeZone::local_date(int64_t utc_ms) const {
  const int64_t secs = clamp_seconds(floor_div(utc_ms, 1000));
  const date::year_month_day c = civil_from_days(floor_div(secs + offset_seconds_at(secs), kSecondsPerDay));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(c.year()), static_cast<unsigned>(c.month()),
                static_cast<unsigned>(c.day()));
  return buf;
}

}  // namespace rapporteur
