#include <catch2/catch.hpp>

#include "rapporteur/timezone.h"

#include <string>
#include <vector>

using namespace rapporteur;

namespace {

TimeZone zone(const char* name) {
  auto tz = TimeZone::load(name);
  INFO(name << ": " << tz.status().message());
  REQUIRE(tz.ok());
  return *tz;
}

int64_t at(std::string_view rfc3339) {
  auto ms = parse_rfc3339(rfc3339);
  INFO(rfc3339 << ": " << ms.status().message());
  REQUIRE(ms.ok());
  return *ms;
}

int offset_at(const TimeZone& tz, std::string_view rfc3339) { return tz.offset_seconds_at(at(rfc3339) / 1000); }

int64_t local(const TimeZone& tz, std::string_view date, std::string_view time) {
  auto ms = tz.local_to_utc_ms(date, time);
  INFO(date << " " << time << ": " << ms.status().message());
  REQUIRE(ms.ok());
  return *ms;
}

}  // namespace

TEST_CASE("Africa/Nairobi is UTC+3 and maps the Kisumu adoption slot", "[timezone]") {
  const TimeZone tz = zone("Africa/Nairobi");
  CHECK(tz.name() == "Africa/Nairobi");
  CHECK(tz.offset_seconds_at(1652951700) == 3 * 3600);

  const int64_t start = local(tz, "2022-05-19", "12:15");
  CHECK(start == 1652951700000);  // 2022-05-19T09:15:00Z
  CHECK(start == at("2022-05-19T09:15:00Z"));
  CHECK(local(tz, "2022-05-19", "12:30") - start == 15 * 60 * 1000);
  CHECK(local(tz, "2022-05-19", "12:15:30") - start == 30 * 1000);
  CHECK(tz.format_rfc3339(start) == "2022-05-19T12:15:00+03:00");
  CHECK(tz.format_rfc3339(start + 999) == "2022-05-19T12:15:00+03:00");  // truncated
  CHECK(tz.local_date(start) == "2022-05-19");
  CHECK(tz.local_date(at("2022-05-19T21:00:00Z")) == "2022-05-20");  // midnight in Kisumu
  CHECK(tz.local_date(at("2022-05-19T20:59:59Z")) == "2022-05-19");
}

TEST_CASE("Europe/Paris across daylight saving time", "[timezone]") {
  const TimeZone tz = zone("Europe/Paris");
  CHECK(offset_at(tz, "2022-07-01T12:00:00Z") == 7200);
  CHECK(offset_at(tz, "2022-01-15T12:00:00Z") == 3600);
  CHECK(tz.format_rfc3339(at("2022-07-01T10:00:00Z")) == "2022-07-01T12:00:00+02:00");
  CHECK(tz.format_rfc3339(at("2022-01-15T10:00:00Z")) == "2022-01-15T11:00:00+01:00");
  CHECK(local(tz, "2022-07-01", "12:00") == at("2022-07-01T10:00:00Z"));
  CHECK(local(tz, "2022-01-15", "12:00") == at("2022-01-15T11:00:00Z"));

  // The changes themselves, to the second (2022-03-27 and 2022-10-30 at 01:00Z).
  CHECK(tz.offset_seconds_at(1648342800 - 1) == 3600);
  CHECK(tz.offset_seconds_at(1648342800) == 7200);
  CHECK(tz.offset_seconds_at(1667091600 - 1) == 7200);
  CHECK(tz.offset_seconds_at(1667091600) == 3600);

  // 02:30 does not exist on 27 March: read as 02:30 CET, i.e. 03:30 CEST.
  CHECK(local(tz, "2022-03-27", "02:30") == at("2022-03-27T01:30:00Z"));
  CHECK(tz.format_rfc3339(local(tz, "2022-03-27", "02:30")) == "2022-03-27T03:30:00+02:00");
  CHECK(local(tz, "2022-03-27", "01:59:59") == at("2022-03-27T00:59:59Z"));
  CHECK(local(tz, "2022-03-27", "03:00") == at("2022-03-27T01:00:00Z"));
  // 02:30 happens twice on 30 October: the earlier one (CEST) is chosen.
  CHECK(local(tz, "2022-10-30", "02:30") == at("2022-10-30T00:30:00Z"));
  CHECK(local(tz, "2022-10-30", "03:00") == at("2022-10-30T02:00:00Z"));
}

TEST_CASE("times after the last transition follow the TZif footer", "[timezone]") {
  // Debian's files list transitions up to 2037; later ones come from the
  // POSIX rule "CET-1CEST,M3.5.0,M10.5.0/3" and "EST5EDT,M3.2.0,M11.1.0".
  const TimeZone paris = zone("Europe/Paris");
  CHECK(paris.offset_seconds_at(2531955600 - 1) == 3600);  // 2050-03-27T01:00:00Z
  CHECK(paris.offset_seconds_at(2531955600) == 7200);
  CHECK(paris.offset_seconds_at(2550704400 - 1) == 7200);  // 2050-10-30T01:00:00Z
  CHECK(paris.offset_seconds_at(2550704400) == 3600);
  CHECK(paris.format_rfc3339(at("2050-07-01T10:00:00Z")) == "2050-07-01T12:00:00+02:00");

  const TimeZone ny = zone("America/New_York");
  CHECK(ny.offset_seconds_at(2215062000 - 1) == -5 * 3600);  // 2040-03-11T07:00:00Z
  CHECK(ny.offset_seconds_at(2215062000) == -4 * 3600);
  CHECK(ny.offset_seconds_at(2235621600 - 1) == -4 * 3600);  // 2040-11-04T06:00:00Z
  CHECK(ny.offset_seconds_at(2235621600) == -5 * 3600);
  CHECK(local(ny, "2040-07-01", "08:00") == at("2040-07-01T12:00:00Z"));
}

TEST_CASE("America/New_York, UTC and other offsets", "[timezone]") {
  const TimeZone ny = zone("America/New_York");
  CHECK(ny.format_rfc3339(at("2022-07-01T16:00:00Z")) == "2022-07-01T12:00:00-04:00");
  CHECK(ny.format_rfc3339(at("2022-12-01T17:00:00Z")) == "2022-12-01T12:00:00-05:00");
  CHECK(ny.offset_seconds_at(1647154800 - 1) == -5 * 3600);  // 2022-03-13T07:00:00Z
  CHECK(ny.offset_seconds_at(1647154800) == -4 * 3600);
  CHECK(ny.offset_seconds_at(1667714400) == -5 * 3600);       // 2022-11-06T06:00:00Z
  CHECK(local(ny, "2022-11-06", "01:30") == at("2022-11-06T05:30:00Z"));  // earlier (EDT)
  CHECK(local(ny, "2022-03-13", "02:30") == at("2022-03-13T07:30:00Z"));  // gap: 03:30 EDT
  CHECK(ny.local_date(at("2022-05-20T03:00:00Z")) == "2022-05-19");

  for (const char* name : {"UTC", "Etc/UTC"}) {
    const TimeZone utc = zone(name);
    CHECK(utc.offset_seconds_at(1652951700) == 0);
    CHECK(utc.format_rfc3339(1652951700000) == "2022-05-19T09:15:00+00:00");
  }
  const TimeZone fallback;
  CHECK(fallback.name() == "UTC");
  CHECK(fallback.format_rfc3339(0) == "1970-01-01T00:00:00+00:00");
  CHECK(fallback.format_rfc3339(-1) == "1969-12-31T23:59:59+00:00");
  CHECK(fallback.local_date(-1) == "1969-12-31");

  CHECK(zone("Asia/Kolkata").format_rfc3339(0) == "1970-01-01T05:30:00+05:30");
  CHECK(zone("Etc/GMT+5").format_rfc3339(0) == "1969-12-31T19:00:00-05:00");  // POSIX sign

  // Southern hemisphere: DST spans the new year.
  const TimeZone sydney = zone("Australia/Sydney");
  CHECK(offset_at(sydney, "2022-01-15T00:00:00Z") == 11 * 3600);
  CHECK(offset_at(sydney, "2022-07-15T00:00:00Z") == 10 * 3600);
  CHECK(offset_at(sydney, "2041-01-15T00:00:00Z") == 11 * 3600);  // footer
  CHECK(offset_at(sydney, "2041-07-15T00:00:00Z") == 10 * 3600);
  CHECK(offset_at(sydney, "2041-04-06T15:59:59Z") == 11 * 3600);  // first Sunday of April, 03:00
  CHECK(offset_at(sydney, "2041-04-06T16:00:00Z") == 10 * 3600);

  // Local mean time before standard time: offsets with seconds are shown
  // truncated to minutes, with a wall time that still names the same instant.
  const TimeZone paris = zone("Europe/Paris");
  CHECK(paris.offset_seconds_at(-2208988800) == 561);  // 1900-01-01, +00:09:21
  CHECK(paris.format_rfc3339(-2208988800000) == "1900-01-01T00:09:00+00:09");
  CHECK(at("1900-01-01T00:09:00+00:09") == -2208988800000);
}

TEST_CASE("unknown and malicious zone names are refused", "[timezone]") {
  auto missing = TimeZone::load("Mars/Olympus_Mons");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Code::validation_failed);
  CHECK(missing.status().field() == "timezone");
  CHECK(missing.status().message() == "timezone \"Mars/Olympus_Mons\" is not a known IANA time zone");

  const std::vector<std::string> bad = {
      "",
      "../../etc/passwd",
      "/etc/passwd",
      "Europe/../../../etc/passwd",
      "Europe/..",
      "..",
      "./UTC",
      "Europe/Paris/",
      "Europe",  // a directory, not a zone
      "Europe\\Paris",
      "Europe/Paris ",
      std::string("UTC\0x", 5),
      "Europe/Paris\n",
      "zone.tab",  // a zoneinfo file that is not TZif ('.' is refused anyway)
      "tzdata.zi",
      std::string(65, 'A'),
      "Eur%2e%2e/passwd",
      "\xc3\xa9t\xc3\xa9",
  };
  for (const auto& name : bad) {
    auto tz = TimeZone::load(name);
    INFO("name: " << name);
    REQUIRE_FALSE(tz.ok());
    CHECK(tz.status().code() == Code::validation_failed);
    CHECK(tz.status().field() == "timezone");
    // Messages stay printable ASCII (they are sent as JSON).
    const std::string message = tz.status().message();  // status() returns a copy
    CHECK(message.find(" is not a known IANA time zone") != std::string::npos);
    for (char c : message) CHECK((c >= 0x20 && c < 0x7f));
  }
  CHECK(TimeZone::load("America/Argentina/Buenos_Aires").ok());  // two slashes
  CHECK(TimeZone::load("Etc/GMT-14").ok());                      // '-' allowed
}

TEST_CASE("loading the same zone twice gives the same rules", "[timezone]") {
  const TimeZone a = zone("Europe/Paris");
  const TimeZone b = zone("Europe/Paris");
  CHECK(a.name() == b.name());
  CHECK(a.offset_seconds_at(1652951700) == b.offset_seconds_at(1652951700));
}

TEST_CASE("local_to_utc_ms validates date and time", "[timezone]") {
  const TimeZone tz = zone("Africa/Nairobi");
  for (const char* date : {"2022-02-30", "2023-02-29", "2022-13-01", "2022-00-10", "2022-05-00", "2022-05-32",
                           "22-05-19", "2022-5-19", "2022/05/19", "2022-05-19 ", "", "abcd-ef-gh", "+022-05-19"}) {
    auto r = tz.local_to_utc_ms(date, "12:15");
    INFO("date: " << date);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::validation_failed);
    CHECK(r.status().field() == "date");
    CHECK_FALSE(valid_date(date));
  }
  for (const char* time : {"24:00", "12:60", "12:15:60", "1215", "12:5", "12:15 ", "", "-1:00", "12:15:00.5",
                           "12h15", "12:15:0"}) {
    auto r = tz.local_to_utc_ms("2022-05-19", time);
    INFO("time: " << time);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().field() == "time");
    CHECK_FALSE(valid_hhmm(time));
  }
  CHECK(valid_date("2024-02-29"));
  CHECK(valid_date("2000-02-29"));
  CHECK_FALSE(valid_date("1900-02-29"));
  CHECK(valid_date("2022-12-31"));
  CHECK(valid_hhmm("00:00"));
  CHECK(valid_hhmm("23:59"));
  CHECK_FALSE(valid_hhmm("12:15:00"));  // HH:MM only
  CHECK(local(tz, "2024-02-29", "00:00") == at("2024-02-28T21:00:00Z"));
  CHECK(local(tz, "2022-05-19", "23:59:59") == at("2022-05-19T20:59:59Z"));
}

TEST_CASE("parse_rfc3339 accepts offsets and Z", "[timezone]") {
  CHECK(at("2022-05-19T12:15:00+03:00") == 1652951700000);
  CHECK(at("2022-05-19T09:15:00Z") == 1652951700000);
  CHECK(at("2022-05-19t09:15:00z") == 1652951700000);
  CHECK(at("2022-05-19 09:15:00Z") == 1652951700000);
  CHECK(at("2022-05-19T05:15:00-04:00") == 1652951700000);
  CHECK(at("2022-05-19T09:15:00.250Z") == 1652951700250);
  CHECK(at("2022-05-19T09:15:00.1Z") == 1652951700100);
  CHECK(at("2022-05-19T09:15:00.123456789Z") == 1652951700123);
  CHECK(at("2000-02-29T23:59:59Z") == 951868799000);
  CHECK(at("1970-01-01T00:00:00Z") == 0);
  CHECK(at("1969-12-31T23:59:59Z") == -1000);
  CHECK(at("1970-01-01T00:00:00-00:00") == 0);

  for (const char* bad : {"2022-05-19T09:15:00", "2022-05-19T09:15Z", "2022-05-19", "2022-05-19T24:00:00Z",
                          "2022-05-19T09:15:60Z", "2022-02-30T09:15:00Z", "2022-05-19X09:15:00Z",
                          "2022-05-19T09:15:00+3:00", "2022-05-19T09:15:00+0300", "2022-05-19T09:15:00+24:00",
                          "2022-05-19T09:15:00.Z", "2022-05-19T09:15:00ZZ", "2022-05-19T09:15:00 Z", "",
                          "2022-05-19T09:15:00+03:00 "}) {
    auto r = parse_rfc3339(bad);
    INFO("text: " << bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::validation_failed);
  }
}

TEST_CASE("RFC 3339 round trips through every zone", "[timezone]") {
  for (const char* name : {"Africa/Nairobi", "Europe/Paris", "America/New_York", "UTC", "Asia/Kolkata",
                           "Australia/Sydney", "America/St_Johns", "Pacific/Chatham"}) {
    const TimeZone tz = zone(name);
    // About every two days from 1890 to 2060, at shifting times of day.
    for (int64_t s = -2524521600; s < 2840140800; s += 2 * 86400 + 7 * 3600 + 13 * 60 + 7) {
      const int64_t ms = s * 1000 + 999;
      const std::string text = tz.format_rfc3339(ms);
      auto back = parse_rfc3339(text);
      INFO(name << " " << text);
      REQUIRE(back.ok());
      REQUIRE(*back == s * 1000);
    }
  }
  // Wall time -> UTC -> formatted wall time, away from transitions.
  const TimeZone paris = zone("Europe/Paris");
  CHECK(paris.format_rfc3339(local(paris, "2022-05-19", "12:15")) == "2022-05-19T12:15:00+02:00");
  CHECK(paris.format_rfc3339(local(paris, "2022-12-24", "18:00:05")) == "2022-12-24T18:00:05+01:00");
}
