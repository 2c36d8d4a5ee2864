#include "rapporteur/clock.h"

#include <chrono>

namespace rapporteur {

Clock::~Clock() = default;

int64_t SystemClock::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t FakeClock::now_ms() const { return ms_.load(std::memory_order_acquire); }

void FakeClock::set_ms(int64_t ms) { ms_.store(ms, std::memory_order_release); }

int64_t FakeClock::advance_ms(int64_t delta_ms) {
  return ms_.fetch_add(delta_ms, std::memory_order_acq_rel) + delta_ms;
}

}  // namespace rapporteur
