// The session's event log rows.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "rapporteur/event_log.h"

namespace rapporteur {

class EventReads {
 public:
  virtual ~EventReads() = default;
  // Events with seq > after, in order, at most `limit`.
  virtual std::vector<Event> list(const std::string& session, int64_t after, int64_t limit) = 0;
  // The latest `limit` events of one type, in seq order (a scan of the
  // session's events: for views rebuilt once per commit, not per request).
  virtual std::vector<Event> list_of_type(const std::string& session, const std::string& type, int64_t limit) = 0;
  // The last seq, 0 when the log is empty.
  virtual int64_t last_seq(const std::string& session) = 0;
};

class EventWrites : public EventReads {
 public:
  // Appends the next event of `session` (seq and hashes computed here) and
  // marks the session touched, so live views wake up after the commit.
  virtual Event append(const std::string& session, int64_t at, const std::string& actor, const std::string& type,
                       nlohmann::json data) = 0;
};

}  // namespace rapporteur
