#include <catch2/catch.hpp>

#include "rapporteur/clock.h"

#include <memory>
#include <thread>
#include <vector>

using namespace rapporteur;

TEST_CASE("FakeClock only moves when told to", "[clock]") {
  // 2022-05-19T12:20:00+03:00, in the middle of the Kisumu adoption slot.
  constexpr int64_t kTwelveTwenty = 1652952000000;
  FakeClock clock(kTwelveTwenty);
  CHECK(clock.now_ms() == kTwelveTwenty);
  CHECK(clock.now_ms() == kTwelveTwenty);

  CHECK(clock.advance_ms(10 * 60 * 1000) == kTwelveTwenty + 600000);
  CHECK(clock.now_ms() == kTwelveTwenty + 600000);
  CHECK(clock.advance_ms(-600000) == kTwelveTwenty);

  clock.set_ms(0);
  CHECK(clock.now_ms() == 0);
  clock.set_ms(-1);  // before the epoch is allowed
  CHECK(clock.now_ms() == -1);
}

TEST_CASE("FakeClock defaults to the epoch and works through the base class", "[clock]") {
  std::unique_ptr<Clock> clock = std::make_unique<FakeClock>();
  CHECK(clock->now_ms() == 0);
}

TEST_CASE("FakeClock advances are atomic across threads", "[clock]") {
  FakeClock clock(1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&clock] {
      for (int i = 0; i < 10000; ++i) clock.advance_ms(1);
    });
  }
  for (auto& th : threads) th.join();
  CHECK(clock.now_ms() == 1000 + 4 * 10000);
}

TEST_CASE("SystemClock reads the real time", "[clock]") {
  SystemClock clock;
  const int64_t a = clock.now_ms();
  CHECK(a > 1652952000000);   // after May 2022
  CHECK(a < 4102444800000);   // before 2100
  CHECK(clock.now_ms() >= a - 1000);  // tolerates a small host clock step
}
