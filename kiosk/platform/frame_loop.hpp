// When to draw. A panel runs for weeks: it draws when something changed (data, input, the
// clock's minute, a space reaching its time-to-live) and sleeps in the event wait otherwise.
#pragma once
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>

#include "core/clock.hpp"

namespace kiosk::platform {

// Milliseconds to wait for events before the next thing that must be drawn or done by itself.
// `deadlines` are absolute; the result is clamped to [0, cap].
int wait_timeout_ms(core::TimePoint now, std::initializer_list<std::optional<core::TimePoint>> deadlines,
                    std::chrono::milliseconds cap);

// The instant the clock's text ("14:02") next changes.
core::TimePoint next_minute(core::TimePoint now);

class FramePolicy {
 public:
  // Input arrived: ImGui settles hover and press states one frame later, so draw two.
  void input() { extra_frames_ = 2; }
  // Whether to draw now, given the state's revision; records the frame if so.
  bool should_draw(std::uint64_t revision, core::TimePoint now);
  // True while frames are owed regardless of events (the wait must not block).
  bool busy() const { return extra_frames_ > 0; }
  std::uint64_t frames() const { return frames_; }

 private:
  std::uint64_t drawn_revision_ = 0;
  std::optional<core::TimePoint> drawn_at_;
  int extra_frames_ = 1;  // the first frame
  std::uint64_t frames_ = 0;
};

}  // namespace kiosk::platform
