#include "platform/frame_loop.hpp"

#include <algorithm>

namespace kiosk::platform {

int wait_timeout_ms(core::TimePoint now, std::initializer_list<std::optional<core::TimePoint>> deadlines,
                    std::chrono::milliseconds cap) {
  long long best = cap.count();
  for (const auto& deadline : deadlines) {
    if (!deadline) continue;
    best = std::min<long long>(best, (*deadline - now).count());
  }
  return static_cast<int>(std::clamp(best, 0LL, static_cast<long long>(cap.count())));
}

core::TimePoint next_minute(core::TimePoint now) {
  // Minutes are aligned on the epoch in UTC; every time zone in use today is offset by whole
  // minutes (mostly whole hours), so this is also the local minute boundary.
  long long ms = core::to_unix_ms(now);
  return core::from_unix_ms((ms / 60000 + 1) * 60000);
}

}  // namespace kiosk::platform

namespace kiosk::platform {

bool FramePolicy::should_draw(std::uint64_t revision, core::TimePoint now) {
  const bool minute_changed = drawn_at_ && next_minute(*drawn_at_) <= now;
  if (extra_frames_ == 0 && !minute_changed) {
    if (revision == drawn_revision_) {
      deferred_.reset();
      return false;
    }
    if (drawn_at_ && now < *drawn_at_ + data_interval_) {
      deferred_ = *drawn_at_ + data_interval_;  // the latest state is drawn then, whatever came meanwhile
      return false;
    }
  }
  deferred_.reset();
  drawn_revision_ = revision;
  drawn_at_ = now;
  if (extra_frames_ > 0) --extra_frames_;
  ++frames_;
  return true;
}

}  // namespace kiosk::platform
