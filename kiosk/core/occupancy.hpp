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
  // Motion sensors (a presence binding with `hold`): "occupied" means someone moved at that instant,
  // so the space stays occupied until `hold` after the last motion, whatever "vacant" says meanwhile.
  // The last motion travels with every later reading of the space (see carry_motion), so the latest
  // reading alone (the Inbox, the snapshot) still knows it.
  std::chrono::seconds hold{0};          // 0: no hold
  std::optional<TimePoint> last_motion;  // set only when hold > 0 and motion was seen

  bool operator==(const Reading&) const = default;
};

// `next` replacing `held` for the same space: a held presence reading keeps the later of the two
// last motions, so a "vacant" never erases the motion seen just before it. Other readings pass as is.
Reading carry_motion(const std::optional<Reading>& held, Reading next);

enum class Availability : std::uint8_t { Unknown, Free, Occupied };
std::string_view to_string(Availability a);  // "unknown", "free", "occupied"

// A count judged against the space's size, apart from Availability: a sport room with 3 of 15 people
// is Free and InUse. None when the reading is not a count (or there is none).
enum class Load : std::uint8_t { None, Empty, InUse, Full };
std::string_view to_string(Load load);  // "none", "empty", "in_use", "full"

// What the board shows for one space at one instant.
struct SpaceStatus {
  Availability availability = Availability::Unknown;
  bool stale = false;                   // had data, but older than its time-to-live
  std::optional<TimePoint> last_seen;   // when the data was observed (absent if never)
  int seats_free = -1;                  // seat-counted spaces with a count; -1 otherwise
  int seats_total = 0;
  int people = -1;                      // people counters: people in the room; -1 otherwise
  Load load = Load::None;               // counts only: Full = every seat taken, or people >= capacity
  bool held = false;                    // occupied only by a motion hold (the sensor last said vacant)
};

// Whether people may join a space that others already use, until it is full. Meeting rooms and
// phone booths are booked whole: one person inside makes them occupied. Sport rooms, nap rooms and
// other open spaces are shared: with a capacity, they stay free ("3 / 15 people") until full.
bool shared_use(SpaceKind kind);

// The staleness rule lives here and nowhere else: data older than its ttl is Unknown, never Free;
// staleness wins over a motion hold. A reading (or a motion) observed in the future (clock skew)
// counts as observed now.
// Counts: seat-counted spaces (seats > 0) are free while a seat is left. Other spaces: 0 people is
// free; for shared_use kinds with a capacity, fewer people than the capacity is free (in use) and
// as many or more is occupied (full); any other count above 0 is occupied.
SpaceStatus evaluate(const Space& space, const std::optional<Reading>& last, TimePoint now);

// The first instant after `now` at which evaluate() changes its answer by itself, without new data:
// the reading reaching its ttl, or a motion hold ending. nullopt when nothing is pending.
std::optional<TimePoint> next_change(const Reading& reading, TimePoint now);

}  // namespace kiosk::core
