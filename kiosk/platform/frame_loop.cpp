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
