#include <doctest/doctest.h>

#include "platform/frame_loop.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

TEST_CASE("idle panel: no frame but when the clock's minute changes") {
  platform::FramePolicy policy;
  core::TimePoint t = core::from_unix_ms(1'764'000'000'000 + 15'000);  // 15 s past a minute
  CHECK(policy.should_draw(1, t));  // the first frame
  int frames = 0;
  // An hour with no data and no input, polled every 100 ms as a wake-up storm would.
  for (core::TimePoint now = t; now < t + 1h; now += 100ms) frames += policy.should_draw(1, now);
  CHECK(frames == 60);
}

TEST_CASE("data and input draw, input draws twice, then stops") {
  platform::FramePolicy policy;
  core::TimePoint t = core::from_unix_ms(1'764'000'000'000);
  CHECK(policy.should_draw(1, t));
  CHECK_FALSE(policy.should_draw(1, t + 10ms));
  CHECK(policy.should_draw(2, t + 20ms));  // new data
  CHECK_FALSE(policy.should_draw(2, t + 30ms));
  policy.input();
  CHECK(policy.busy());
  CHECK(policy.should_draw(2, t + 40ms));
  CHECK(policy.should_draw(2, t + 50ms));
  CHECK_FALSE(policy.busy());
  CHECK_FALSE(policy.should_draw(2, t + 60ms));
}

TEST_CASE("the wait ends at the nearest deadline, within the cap") {
  core::TimePoint t = core::from_unix_ms(1'764'000'000'000 + 59'500);
  CHECK(platform::next_minute(t) == core::from_unix_ms(1'764'000'020'000 + 40'000));
  CHECK(platform::wait_timeout_ms(t, {platform::next_minute(t)}, 1000ms) == 500);
  CHECK(platform::wait_timeout_ms(t, {std::nullopt, t + 200ms}, 1000ms) == 200);
  CHECK(platform::wait_timeout_ms(t, {t - 5s}, 1000ms) == 0);
  CHECK(platform::wait_timeout_ms(t, {t + 1h}, 1000ms) == 1000);
}
