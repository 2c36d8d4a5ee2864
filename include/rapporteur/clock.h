// Injectable wall clock: every "now" in the service comes from a Clock, so
// tests can put a session at 12:20 without sleeping or touching the system
// time.
#pragma once

#include <atomic>
#include <cstdint>

namespace rapporteur {

// Source of the current time as UTC milliseconds since the Unix epoch
// (1970-01-01T00:00:00Z, leap seconds not counted, as in POSIX time).
// Implementations must be safe to call from any thread.
class Clock {
 public:
  virtual ~Clock();
  virtual int64_t now_ms() const = 0;
};

// The operating system's real-time clock (std::chrono::system_clock). It may
// jump backwards or forwards when the host clock is adjusted.
class SystemClock : public Clock {
 public:
  int64_t now_ms() const override;
};

// A clock that only moves when told to. Thread-safe: set_ms() and
// advance_ms() may race with now_ms() on other threads; every reader sees
// either the old or the new value, never a torn one.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 0) : ms_(start_ms) {}

  int64_t now_ms() const override;
  void set_ms(int64_t ms);
  // Moves the clock by `delta_ms` (may be negative); returns the new time.
  int64_t advance_ms(int64_t delta_ms);

 private:
  std::atomic<int64_t> ms_;
};

}  // namespace rapporteur
