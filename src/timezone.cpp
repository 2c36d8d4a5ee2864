#include "rapporteur/timezone.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace rapporteur {
namespace {

constexpr const char* kZoneRoot = "/usr/share/zoneinfo/";
constexpr size_t kMaxNameLength = 64;
constexpr size_t kMaxTzifSize = 1 << 20;  // real files are a few KiB
constexpr int64_t kSecondsPerDay = 86400;

// ---- Calendar arithmetic (proleptic Gregorian, no libc) -------------------

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int64_t y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && is_leap(y)) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01. Counts years from March so that the leap day is the
// last day of the counted year, then uses the 400-year (146097-day) cycle.
int64_t days_from_civil(int64_t y, int m, int d) {
  if (m <= 2) --y;
  const int64_t era = floor_div(y, 400);
  const int64_t year_of_era = y - era * 400;                             // [0, 399]
  const int64_t month_from_march = m > 2 ? m - 3 : m + 9;                // [0, 11]
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1;  // [0, 365]
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468: 0000-03-01 to 1970-01-01
}

struct Civil {
  int64_t year;
  int month;
  int day;
};

// Inverse of days_from_civil.
Civil civil_from_days(int64_t days) {
  days += 719468;
  const int64_t era = floor_div(days, 146097);
  const int64_t day_of_era = days - era * 146097;  // [0, 146096]
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month = static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

// 0 = Sunday; 1970-01-01 was a Thursday.
int weekday(int64_t days) {
  const int64_t r = (days + 4) % 7;
  return static_cast<int>(r < 0 ? r + 7 : r);
}

// ---- Small text helpers ----------------------------------------------------

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `pos`.
std::optional<int> fixed_digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// A user-supplied value made safe to quote in a message: printable ASCII
// only (messages end up in JSON, which needs valid UTF-8), at most 64 bytes.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < 64; ++i) {
    const char c = s[i];
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (s.size() > 64) out += "...";
  return out + "\"";
}

struct Ymd {
  int year, month, day;
};

std::optional<Ymd> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const auto y = fixed_digits(s, 0, 4), m = fixed_digits(s, 5, 2), d = fixed_digits(s, 8, 2);
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m)) return std::nullopt;
  return Ymd{*y, *m, *d};
}

// "HH:MM" or, when `allow_seconds`, "HH:MM:SS"; seconds of the day.
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

// ---- POSIX TZ strings (the TZif footer) -----------------------------------

// When, within a year, a daylight-saving change happens.
struct ChangeRule {
  enum class Kind { julian_no_leap, zero_based, month_week_day } kind = Kind::month_week_day;
  int day = 0;            // Jn: 1..365; n: 0..365
  int month = 0, week = 0, wday = 0;  // Mm.w.d
  int64_t time = 7200;    // seconds after local midnight; may be negative or > 24 h
};

struct PosixTz {
  int32_t std_offset = 0;  // local = UTC + offset
  bool has_dst = false;
  int32_t dst_offset = 0;
  ChangeRule start, end;
};

class TzStringParser {
 public:
  explicit TzStringParser(std::string_view s) : s_(s) {}

  std::optional<PosixTz> parse() {
    PosixTz tz;
    std::optional<int64_t> off;
    if (!name() || !(off = offset(24))) return std::nullopt;
    tz.std_offset = static_cast<int32_t>(-*off);  // POSIX offsets count westwards
    if (at_end()) return tz;
    tz.has_dst = true;
    if (!name()) return std::nullopt;
    tz.dst_offset = tz.std_offset + 3600;
    if (!at_end() && peek() != ',') {
      if (!(off = offset(24))) return std::nullopt;
      tz.dst_offset = static_cast<int32_t>(-*off);
    }
    if (at_end()) {  // no rule: the traditional US default
      tz.start = {ChangeRule::Kind::month_week_day, 0, 3, 2, 0, 7200};
      tz.end = {ChangeRule::Kind::month_week_day, 0, 11, 1, 0, 7200};
      return tz;
    }
    if (!eat(',') || !rule(tz.start) || !eat(',') || !rule(tz.end) || !at_end()) return std::nullopt;
    return tz;
  }

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  // "EAT" (3+ letters) or "<+03>" (quoted, letters, digits, + and -).
  bool name() {
    size_t n = 0;
    if (eat('<')) {
      while (!at_end() && peek() != '>') {
        const char c = peek();
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-')) return false;
        ++pos_, ++n;
      }
      return eat('>') && n >= 1;
    }
    while (std::isalpha(static_cast<unsigned char>(peek()))) ++pos_, ++n;
    return n >= 3;
  }

  std::optional<int64_t> number(int max_digits, int64_t max) {
    int64_t v = 0;
    int n = 0;
    while (n < max_digits && is_digit(peek())) v = v * 10 + (s_[pos_++] - '0'), ++n;
    if (n == 0 || v > max) return std::nullopt;
    return v;
  }

  // [+-]hh[:mm[:ss]] in seconds, hours up to `max_hours`.
  std::optional<int64_t> offset(int max_hours) {
    int64_t sign = 1;
    if (eat('-')) {
      sign = -1;
    } else {
      eat('+');
    }
    auto h = number(3, max_hours);
    if (!h) return std::nullopt;
    int64_t total = *h * 3600;
    if (eat(':')) {
      auto m = number(2, 59);
      if (!m) return std::nullopt;
      total += *m * 60;
      if (eat(':')) {
        auto sec = number(2, 59);
        if (!sec) return std::nullopt;
        total += *sec;
      }
    }
    return sign * total;
  }

  bool rule(ChangeRule& r) {
    std::optional<int64_t> a, b, c;
    if (eat('J')) {
      if (!(a = number(3, 365)) || *a < 1) return false;
      r.kind = ChangeRule::Kind::julian_no_leap;
      r.day = static_cast<int>(*a);
    } else if (eat('M')) {
      if (!(a = number(2, 12)) || *a < 1 || !eat('.') || !(b = number(1, 5)) || *b < 1 || !eat('.') ||
          !(c = number(1, 6)))
        return false;
      r.kind = ChangeRule::Kind::month_week_day;
      r.month = static_cast<int>(*a), r.week = static_cast<int>(*b), r.wday = static_cast<int>(*c);
    } else {
      if (!(a = number(3, 365))) return false;
      r.kind = ChangeRule::Kind::zero_based;
      r.day = static_cast<int>(*a);
    }
    r.time = 7200;
    if (eat('/')) {
      auto t = offset(167);  // RFC 8536 extension: -167..167 hours
      if (!t) return false;
      r.time = *t;
    }
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// Day (since the epoch) on which `r` falls in year `y`.
int64_t rule_day(const ChangeRule& r, int64_t y) {
  const int64_t jan1 = days_from_civil(y, 1, 1);
  switch (r.kind) {
    case ChangeRule::Kind::julian_no_leap:
      return jan1 + r.day - 1 + ((is_leap(y) && r.day >= 60) ? 1 : 0);
    case ChangeRule::Kind::zero_based:
      return jan1 + r.day;
    case ChangeRule::Kind::month_week_day:
      break;
  }
  const int64_t first = days_from_civil(y, r.month, 1);
  int64_t day = first + (r.wday - weekday(first) + 7) % 7 + 7 * (r.week - 1);
  while (day >= first + days_in_month(y, r.month)) day -= 7;  // week 5 = last
  return day;
}

int32_t posix_offset_at(const PosixTz& tz, int64_t t) {
  if (!tz.has_dst) return tz.std_offset;
  const int64_t year = civil_from_days(floor_div(t + tz.std_offset, kSecondsPerDay)).year;
  // The start is given in standard local time, the end in daylight time.
  const int64_t start = rule_day(tz.start, year) * kSecondsPerDay + tz.start.time - tz.std_offset;
  const int64_t end = rule_day(tz.end, year) * kSecondsPerDay + tz.end.time - tz.dst_offset;
  const bool dst = start < end ? (start <= t && t < end)  // northern hemisphere
                               : !(end <= t && t < start);  // southern: DST spans new year
  return dst ? tz.dst_offset : tz.std_offset;
}

// ---- TZif (RFC 8536) -------------------------------------------------------

class ByteReader {
 public:
  explicit ByteReader(std::string_view d) : d_(d) {}
  bool has(uint64_t n) const { return n <= d_.size() - pos_; }
  bool skip(uint64_t n) {
    if (!has(n)) return false;
    pos_ += static_cast<size_t>(n);
    return true;
  }
  uint8_t u8() { return static_cast<uint8_t>(d_[pos_++]); }
  int64_t be(int bytes) {  // sign-extended big-endian integer of 4 or 8 bytes
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | u8();
    if (bytes == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
    return static_cast<int64_t>(v);
  }
  std::string_view rest() const { return d_.substr(pos_); }

 private:
  std::string_view d_;
  size_t pos_ = 0;
};

struct Header {
  char version;
  uint64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
  uint64_t block_size(int time_bytes) const {
    return timecnt * time_bytes + timecnt + typecnt * 6 + charcnt + leapcnt * (time_bytes + 4) +
           isstdcnt + isutcnt;
  }
};

std::optional<Header> read_header(ByteReader& r) {
  if (!r.has(44) || r.rest().substr(0, 4) != "TZif") return std::nullopt;
  r.skip(4);
  Header h{};
  h.version = static_cast<char>(r.u8());
  r.skip(15);
  h.isutcnt = static_cast<uint32_t>(r.be(4));
  h.isstdcnt = static_cast<uint32_t>(r.be(4));
  h.leapcnt = static_cast<uint32_t>(r.be(4));
  h.timecnt = static_cast<uint32_t>(r.be(4));
  h.typecnt = static_cast<uint32_t>(r.be(4));
  h.charcnt = static_cast<uint32_t>(r.be(4));
  if (h.typecnt == 0 || h.typecnt > 256 || h.charcnt == 0) return std::nullopt;
  if ((h.isutcnt != 0 && h.isutcnt != h.typecnt) || (h.isstdcnt != 0 && h.isstdcnt != h.typecnt))
    return std::nullopt;
  return h;
}

// What a TZif file says about offsets.
struct Rules {
  std::vector<int64_t> transitions;  // strictly ascending UTC seconds
  std::vector<uint8_t> type_of;      // local time type from each transition on
  std::vector<int32_t> offsets;      // UT offset of each local time type
  std::optional<PosixTz> footer;     // rule after the last transition

  int32_t offset_at(int64_t t) const {
    if (transitions.empty()) return footer ? posix_offset_at(*footer, t) : offsets[0];
    if (t < transitions.front()) return offsets[0];
    if (t >= transitions.back() && footer) return posix_offset_at(*footer, t);
    const auto it = std::upper_bound(transitions.begin(), transitions.end(), t);
    return offsets[type_of[static_cast<size_t>(it - transitions.begin()) - 1]];
  }
};

std::optional<Rules> parse_tzif(std::string_view bytes) {
  ByteReader r(bytes);
  auto h = read_header(r);
  if (!h) return std::nullopt;
  int time_bytes = 4;
  if (h->version != '\0') {  // version 2+: skip the 32-bit data, use the 64-bit one
    if (!r.skip(h->block_size(4)) || !(h = read_header(r))) return std::nullopt;
    time_bytes = 8;
  }
  if (!r.has(h->block_size(time_bytes))) return std::nullopt;

  Rules rules;
  rules.transitions.reserve(h->timecnt);
  for (uint64_t i = 0; i < h->timecnt; ++i) {
    const int64_t t = r.be(time_bytes);
    if (!rules.transitions.empty() && t <= rules.transitions.back()) return std::nullopt;
    rules.transitions.push_back(t);
  }
  rules.type_of.reserve(h->timecnt);
  for (uint64_t i = 0; i < h->timecnt; ++i) {
    const uint8_t idx = r.u8();
    if (idx >= h->typecnt) return std::nullopt;
    rules.type_of.push_back(idx);
  }
  for (uint64_t i = 0; i < h->typecnt; ++i) {
    const int64_t utoff = r.be(4);
    const uint8_t isdst = r.u8();
    const uint8_t desigidx = r.u8();
    if (utoff < -89999 || utoff > 93599 || isdst > 1 || desigidx >= h->charcnt) return std::nullopt;
    rules.offsets.push_back(static_cast<int32_t>(utoff));
  }
  // Designations, leap seconds and the std/wall and UT/local indicators are
  // not needed to map instants to offsets.
  r.skip(h->charcnt + h->leapcnt * (time_bytes + 4) + h->isstdcnt + h->isutcnt);

  if (time_bytes == 8) {
    const std::string_view rest = r.rest();
    if (rest.empty() || rest[0] != '\n') return std::nullopt;
    const size_t close = rest.find('\n', 1);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view tz = rest.substr(1, close - 1);
    // An empty or unsupported footer leaves the last transition in force.
    if (!tz.empty()) rules.footer = TzStringParser(tz).parse();
  }
  return rules;
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

std::optional<std::string> read_small_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxTzifSize) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) return std::nullopt;
  return bytes;
}

}  // namespace

struct TimeZone::Data {
  std::string name;
  Rules rules;
};

TimeZone::TimeZone() {
  static const std::shared_ptr<const Data> kUtc = [] {
    auto d = std::make_shared<Data>();
    d->name = "UTC";
    d->rules.offsets.push_back(0);
    return d;
  }();
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
  const auto bytes = read_small_file(std::filesystem::path(kZoneRoot) / key);
  if (!bytes) return unknown_zone(name);
  auto rules = parse_tzif(*bytes);
  if (!rules) return unknown_zone(name);
  std::shared_ptr<const Data> data(new Data{key, std::move(*rules)});
  std::lock_guard<std::mutex> lock(mu);
  return TimeZone(cache.emplace(key, std::move(data)).first->second);
}

Result<TimeZone> TimeZone::from_tzif(std::string name, std::string_view tzif) {
  auto rules = parse_tzif(tzif);
  if (!rules) return unknown_zone(name);
  return TimeZone(std::shared_ptr<const Data>(new Data{std::move(name), std::move(*rules)}));
}

const std::string& TimeZone::name() const { return data_->name; }

int TimeZone::offset_seconds_at(int64_t utc_seconds) const { return data_->rules.offset_at(utc_seconds); }

Result<int64_t> TimeZone::local_to_utc_ms(std::string_view date, std::string_view time) const {
  const auto ymd = parse_date(date);
  if (!ymd) return Status::invalid("date " + quoted(date) + " is not a valid YYYY-MM-DD date", "date");
  const auto secs = parse_time(time, true);
  if (!secs) {
    return Status::invalid("time " + quoted(time) + " is not a valid HH:MM or HH:MM:SS time (00:00 to 23:59:59)",
                           "time");
  }
  const int64_t local = days_from_civil(ymd->year, ymd->month, ymd->day) * kSecondsPerDay + *secs;

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
  const int64_t secs = floor_div(utc_ms, 1000);
  const int offset_min = offset_seconds_at(secs) / 60;  // truncated towards zero
  const int64_t local = secs + int64_t{offset_min} * 60;
  const int64_t days = floor_div(local, kSecondsPerDay);
  const int64_t sod = local - days * kSecondsPerDay;
  const Civil c = civil_from_days(days);
  const int abs_min = offset_min < 0 ? -offset_min : offset_min;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", static_cast<long long>(c.year),
                c.month, c.day, static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                static_cast<int>(sod % 60), offset_min < 0 ? '-' : '+', abs_min / 60, abs_min % 60);
  return buf;
}

std::string TimeZone::local_date(int64_t utc_ms) const {
  const int64_t secs = floor_div(utc_ms, 1000);
  const Civil c = civil_from_days(floor_div(secs + offset_seconds_at(secs), kSecondsPerDay));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(c.year), c.month, c.day);
  return buf;
}

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
  const int64_t local = days_from_civil(ymd->year, ymd->month, ymd->day) * kSecondsPerDay + *secs;
  return (local - offset) * 1000 + millis;
}

}  // namespace rapporteur
