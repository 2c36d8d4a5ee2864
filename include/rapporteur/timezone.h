// IANA time zones and RFC 3339 timestamps, without the process-global TZ
// environment (setenv/tzset/localtime are not thread-safe) and without the
// C++20 chrono time-zone database (missing from GCC 12's libstdc++).
//
// Zones come from the system's compiled zone files (/usr/share/zoneinfo),
// read by Howard Hinnant's date library (Debian's libhowardhinnant-date-dev,
// built with USE_OS_TZDB). Times after a file's last transition follow the
// POSIX TZ rule at its end ("CET-1CEST,M3.5.0,M10.5.0/3", read by the same
// library's ptz.h); a rule it cannot read leaves the last transition's
// offset in force. Leap seconds are ignored: all times here are POSIX times.
//
// All times are int64 milliseconds (or seconds where named so) since the Unix
// epoch, UTC. Dates use the proleptic Gregorian calendar, years 0000-9999;
// instants outside those years are clamped to them.
#pragma once

#include "rapporteur/status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace rapporteur {

// An immutable time zone. Cheap to copy (shares its transition table) and
// safe to use from several threads at once.
class TimeZone {
 public:
  // UTC (offset 0 at every instant), named "UTC".
  TimeZone();

  // Loads the IANA zone `name` ("Africa/Nairobi", "Europe/Paris", "UTC").
  // The name is checked before any file is touched: 1 to 64 characters from
  // [A-Za-z0-9/_+-], no leading '/', no "..". A bad name, a name the system
  // database does not list (the posix/ and right/ copies are not listed) or
  // an unreadable file all give
  //   Status::invalid("timezone \"X\" is not a known IANA time zone", "timezone").
  // Successful loads are cached for the life of the process (thread-safe).
  static Result<TimeZone> load(std::string_view name);

  const std::string& name() const;

  // Offset from UTC (local = UTC + offset), in seconds, at the instant
  // `utc_seconds`. Before the first transition the zone's first local time
  // type applies (RFC 8536).
  int offset_seconds_at(int64_t utc_seconds) const;

  // The instant at which the wall clock in this zone shows `date` ("YYYY-MM-DD")
  // `time` ("HH:MM" or "HH:MM:SS", 00:00 to 23:59:59), in UTC milliseconds.
  // A wall time that occurs twice (clocks turned back) gives the earlier
  // instant; one that does not occur (clocks turned forward) is read with the
  // offset in force before the change, i.e. it lands after the gap
  // (02:30 on a spring-forward night in Paris gives 03:30 CEST).
  // Malformed or impossible values give Status::invalid naming "date"/"time".
  Result<int64_t> local_to_utc_ms(std::string_view date, std::string_view time) const;

  // "2022-05-19T12:15:00+03:00": seconds precision (milliseconds are
  // truncated towards the past), always a numeric +HH:MM / -HH:MM offset
  // (never "Z"), the zone's offset at that instant. Historical offsets with
  // seconds (local mean time) are truncated to whole minutes, and the wall
  // time shown matches the truncated offset, so the string still names
  // exactly the instant `utc_ms` (to the second).
  std::string format_rfc3339(int64_t utc_ms) const;

  // The local calendar date "YYYY-MM-DD" at the instant `utc_ms`.
  std::string local_date(int64_t utc_ms) const;

 private:
  struct Data;
  explicit TimeZone(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

// "YYYY-MM-DD" with exactly those digits and a day that exists
// (2022-02-30 and 2023-02-29 are false, 2024-02-29 is true).
bool valid_date(std::string_view yyyy_mm_dd);

// "HH:MM", 00:00 to 23:59 ("24:00" is false).
bool valid_hhmm(std::string_view hh_mm);

// Parses an RFC 3339 date-time, "2022-05-19T12:15:00+03:00",
// "2022-05-19T09:15:00Z", "2022-05-19t09:15:00.250z", to UTC milliseconds.
// 'T' may also be 't' or a space; fractional seconds are truncated to
// milliseconds; the offset (Z, z or +HH:MM / -HH:MM, up to 23:59) is
// required. A leap second (:60) is rejected. Failure: Status::invalid naming
// the text and the rule, without a field (callers add their own).
Result<int64_t> parse_rfc3339(std::string_view text);

}  // namespace rapporteur
