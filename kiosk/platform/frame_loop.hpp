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

// Under a stream of data changes, at most one data-driven frame per interval: a person sees every
// change within it, and a flood of messages costs a few frames a second, not one per message.
inline constexpr std::chrono::milliseconds kDataFrameInterval{200};

class FramePolicy {
 public:
  explicit FramePolicy(std::chrono::milliseconds data_interval = kDataFrameInterval) : data_interval_(data_interval) {}
  // Input arrived: ImGui settles hover and press states one frame later, so draw two, at once.
  void input() { extra_frames_ = 2; }
  // Whether to draw now, given the state's revision; records the frame if so. Input frames and the
  // clock's minute draw at once; so does the first data change after a quiet spell; later data
  // changes wait until the interval since the last frame has passed (deferred_until()).
  bool should_draw(std::uint64_t revision, core::TimePoint now);
  // The moment a deferred data frame is due; the event wait must not sleep past it.
  std::optional<core::TimePoint> deferred_until() const { return deferred_; }
  // True while frames are owed regardless of events (the wait must not block).
  bool busy() const { return extra_frames_ > 0; }
  std::uint64_t frames() const { return frames_; }

 private:
  std::chrono::milliseconds data_interval_;
  std::uint64_t drawn_revision_ = 0;
  std::optional<core::TimePoint> drawn_at_;
  std::optional<core::TimePoint> deferred_;
  int extra_frames_ = 1;  // the first frame
  std::uint64_t frames_ = 0;
};

}  // namespace kiosk::platform
