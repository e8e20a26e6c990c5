// Injected time. Every time the panel keeps is an integer count of milliseconds since the Unix
// epoch: floats drift after weeks of uptime, integers do not.
#pragma once
#include <atomic>
#include <chrono>
#include <string>

namespace kiosk::core {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<Millis>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override {
    return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  }
};

// For tests: time moves only when told to. Thread-safe so other threads may read it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{Millis{1'700'000'000'000}}) : ms_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint{Millis{ms_.load()}}; }
  void set(TimePoint t) { ms_.store(t.time_since_epoch().count()); }
  void advance(Millis d) { ms_.fetch_add(d.count()); }

 private:
  std::atomic<long long> ms_;
};

// "14:02" in the machine's local time zone (the panel shows the building's wall clock).
std::string format_hhmm(TimePoint t);
// "2026-11-25T14:02:03.123Z", for logs, JSON and the snapshot's human-readable output.
std::string format_iso8601(TimePoint t);
long long to_unix_ms(TimePoint t);
TimePoint from_unix_ms(long long ms);

}  // namespace kiosk::core
