// When to draw. A panel runs for weeks: it draws when something changed (data, input, the
// clock's minute, a space reaching its time-to-live) and sleeps in the event wait otherwise.
#pragma once
#include <chrono>
#include <optional>

#include "core/clock.hpp"

namespace kiosk::platform {

// Milliseconds to wait for events before the next thing that must be drawn or done by itself.
// `deadlines` are absolute; the result is clamped to [0, cap].
int wait_timeout_ms(core::TimePoint now, std::initializer_list<std::optional<core::TimePoint>> deadlines,
                    std::chrono::milliseconds cap);

// The instant the clock's text ("14:02") next changes.
core::TimePoint next_minute(core::TimePoint now);

}  // namespace kiosk::platform
