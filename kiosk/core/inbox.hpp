// Hand-off from the network thread to the main thread. Keeps only the latest reading per space, so
// a flood of any size costs O(number of spaces) memory; wakes the main loop once per batch, not
// once per message.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/occupancy.hpp"

namespace kiosk::core {

// The state of the link to the brokers, as the network thread last saw it.
struct LinkStatus {
  bool connected = false;
  std::string broker;        // "host:port" of the broker in use or last tried
  std::string error;         // why the last attempt failed, for the status strip and logs
  TimePoint since{};         // when `connected` last changed
};

class Inbox {
 public:
  using Wake = std::function<void()>;

  explicit Inbox(std::size_t space_count, Wake wake = {});

  // Any thread. Replaces whatever was pending for `space`. Out-of-range indices are ignored.
  void post(std::uint32_t space, const Reading& reading);
  void post_link(LinkStatus status);

  struct Batch {
    std::vector<std::pair<std::uint32_t, Reading>> readings;
    std::optional<LinkStatus> link;
    bool empty() const { return readings.empty() && !link; }
  };
  // Main thread: everything pending since the last drain. `batch` is reused to avoid allocation.
  void drain(Batch& batch);

  std::size_t space_count() const { return slots_.size(); }
  std::uint64_t posted() const { return posted_.load(std::memory_order_relaxed); }
  // Readings replaced before the main thread saw them (the price of a bounded hand-off).
  std::uint64_t superseded() const { return superseded_.load(std::memory_order_relaxed); }

 private:
  void wake_if_first(bool was_empty);

  struct Slot {
    Reading reading;
    bool pending = false;
  };
  std::mutex mutex_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> pending_;  // indices with pending == true, in arrival order
  std::optional<LinkStatus> link_;
  Wake wake_;
  std::atomic<std::uint64_t> posted_{0};
  std::atomic<std::uint64_t> superseded_{0};
};

}  // namespace kiosk::core
