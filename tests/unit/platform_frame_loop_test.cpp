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
  CHECK(policy.should_draw(2, t + 500ms));  // new data after a quiet spell: at once
  CHECK_FALSE(policy.should_draw(2, t + 510ms));
  policy.input();
  CHECK(policy.busy());
  CHECK(policy.should_draw(2, t + 520ms));
  CHECK(policy.should_draw(2, t + 530ms));
  CHECK_FALSE(policy.busy());
  CHECK_FALSE(policy.should_draw(2, t + 540ms));
}

TEST_CASE("a stream of data changes is coalesced: a bounded frame rate, and the last state always drawn") {
  platform::FramePolicy policy(200ms);
  core::TimePoint t = core::from_unix_ms(1'764'000'000'000);
  CHECK(policy.should_draw(1, t));
  // 50 changes a second for 10 s, each waking the loop; the loop also wakes at the deferred deadline.
  std::uint64_t revision = 1, drawn_revision = 1;
  int frames = 0;
  core::TimePoint last_frame = t, now = t;
  std::chrono::milliseconds longest_wait{0};
  core::TimePoint first_pending{};
  bool pending = false;
  auto step = [&](core::TimePoint when) {
    now = when;
    if (policy.should_draw(revision, now)) {
      ++frames;
      CHECK(now - last_frame >= 200ms);  // never faster than the interval
      last_frame = now;
      if (pending) longest_wait = std::max(longest_wait, std::chrono::duration_cast<std::chrono::milliseconds>(now - first_pending));
      pending = false;
      drawn_revision = revision;
    }
  };
  for (int i = 1; i <= 500; ++i) {
    const core::TimePoint arrival = t + i * 20ms;
    // A deferred frame falls due before this message: the loop wakes for it.
    while (auto due = policy.deferred_until()) {
      if (*due > arrival) break;
      step(*due);
    }
    ++revision;
    if (!pending) first_pending = arrival;
    pending = true;
    step(arrival);
  }
  while (auto due = policy.deferred_until()) step(*due);
  CHECK(drawn_revision == revision);  // the last state reached the screen
  CHECK(frames >= 45);                // about 5 a second
  CHECK(frames <= 52);
  CHECK(longest_wait <= 200ms);       // every change seen within the interval
}

TEST_CASE("input is never delayed by the data interval") {
  platform::FramePolicy policy(200ms);
  core::TimePoint t = core::from_unix_ms(1'764'000'000'000);
  CHECK(policy.should_draw(1, t));
  CHECK_FALSE(policy.should_draw(2, t + 20ms));  // data: deferred
  CHECK(policy.deferred_until() == t + 200ms);
  policy.input();
  CHECK(policy.should_draw(3, t + 25ms));  // a touch: at once, with the latest data
  CHECK(policy.should_draw(3, t + 41ms));
  CHECK_FALSE(policy.deferred_until());
  CHECK_FALSE(policy.should_draw(3, t + 60ms));
}

TEST_CASE("the wait ends at the nearest deadline, within the cap") {
  core::TimePoint t = core::from_unix_ms(1'764'000'000'000 + 59'500);
  CHECK(platform::next_minute(t) == core::from_unix_ms(1'764'000'020'000 + 40'000));
  CHECK(platform::wait_timeout_ms(t, {platform::next_minute(t)}, 1000ms) == 500);
  CHECK(platform::wait_timeout_ms(t, {std::nullopt, t + 200ms}, 1000ms) == 200);
  CHECK(platform::wait_timeout_ms(t, {t - 5s}, 1000ms) == 0);
  CHECK(platform::wait_timeout_ms(t, {t + 1h}, 1000ms) == 1000);
}
