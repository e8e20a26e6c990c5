// What a sensor said about a space, and what the panel may honestly show from it.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.hpp"
#include "core/space.hpp"

namespace kiosk::core {

// One decoded sensor value. `observed` is when it was true (the payload's own time when it has one,
// else the arrival time); `ttl` is how long it may be believed, from the binding that produced it.
struct Reading {
  enum class Kind : std::uint8_t { Presence, Count };
  Kind kind = Kind::Presence;
  bool occupied = false;  // Kind::Presence
  std::int32_t count = 0;  // Kind::Count: people in the room, or seats taken in a seat-counted space
  TimePoint observed{};
  std::chrono::seconds ttl{600};

  bool operator==(const Reading&) const = default;
};

enum class Availability : std::uint8_t { Unknown, Free, Occupied };
std::string_view to_string(Availability a);  // "unknown", "free", "occupied"

// What the board shows for one space at one instant.
struct SpaceStatus {
  Availability availability = Availability::Unknown;
  bool stale = false;                   // had data, but older than its time-to-live
  std::optional<TimePoint> last_seen;   // when the data was observed (absent if never)
  int seats_free = -1;                  // seat-counted spaces with a count; -1 otherwise
  int seats_total = 0;
  int people = -1;                      // people counters: people in the room; -1 otherwise
};

// The staleness rule lives here and nowhere else: data older than its ttl is Unknown, never Free.
// A reading observed in the future (clock skew) counts as observed now.
SpaceStatus evaluate(const Space& space, const std::optional<Reading>& last, TimePoint now);

}  // namespace kiosk::core
