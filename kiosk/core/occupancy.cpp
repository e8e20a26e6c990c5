#include "core/occupancy.hpp"

#include <algorithm>

namespace kiosk::core {

std::string_view to_string(Availability a) {
  switch (a) {
    case Availability::Free: return "free";
    case Availability::Occupied: return "occupied";
    case Availability::Unknown: break;
  }
  return "unknown";
}

std::string_view to_string(Load load) {
  switch (load) {
    case Load::Empty: return "empty";
    case Load::InUse: return "in_use";
    case Load::Full: return "full";
    case Load::None: break;
  }
  return "none";
}

bool shared_use(SpaceKind kind) { return kind != SpaceKind::Meeting && kind != SpaceKind::Phone; }

Reading carry_motion(const std::optional<Reading>& held, Reading next) {
  if (next.kind != Reading::Kind::Presence || next.hold.count() <= 0) return next;
  if (next.occupied && (!next.last_motion || *next.last_motion < next.observed)) next.last_motion = next.observed;
  if (held && held->kind == Reading::Kind::Presence && held->last_motion &&
      (!next.last_motion || *next.last_motion < *held->last_motion))
    next.last_motion = held->last_motion;
  return next;
}

namespace {

// The end of a motion hold that still applies to a "vacant" reading; nullopt when none does.
std::optional<TimePoint> hold_end(const Reading& r, TimePoint now) {
  if (r.kind != Reading::Kind::Presence || r.occupied || r.hold.count() <= 0 || !r.last_motion) return std::nullopt;
  return std::min(*r.last_motion, now) + r.hold;
}

}  // namespace

SpaceStatus evaluate(const Space& space, const std::optional<Reading>& last, TimePoint now) {
  SpaceStatus status;
  status.seats_total = space.seats;
  if (!last) return status;
  const Reading& r = *last;
  TimePoint observed = std::min(r.observed, now);
  status.last_seen = observed;
  if (now - observed > r.ttl) {
    status.stale = true;
    return status;
  }
  if (r.kind == Reading::Kind::Presence) {
    const auto end = hold_end(r, now);
    status.held = end && now < *end;
    const bool occupied = r.occupied || status.held;
    status.availability = occupied ? Availability::Occupied : Availability::Free;
    if (space.seats > 0) status.seats_free = occupied ? 0 : space.seats;
    return status;
  }
  int count = std::max(0, static_cast<int>(r.count));
  if (space.seats > 0) {
    status.seats_free = std::max(0, space.seats - count);
    status.load = count == 0 ? Load::Empty : status.seats_free == 0 ? Load::Full : Load::InUse;
    status.availability = status.seats_free > 0 ? Availability::Free : Availability::Occupied;
    return status;
  }
  status.people = count;
  status.load = count == 0 ? Load::Empty : space.capacity > 0 && count >= space.capacity ? Load::Full : Load::InUse;
  // Without a capacity nobody can say a shared space is not full: occupied, never a guessed "free".
  const bool joinable = shared_use(space.kind) && space.capacity > 0 && status.load == Load::InUse;
  status.availability = count == 0 || joinable ? Availability::Free : Availability::Occupied;
  return status;
}

std::optional<TimePoint> next_change(const Reading& reading, TimePoint now) {
  std::optional<TimePoint> next;
  // Staleness is "older than ttl" (strict): the answer changes 1 ms past observed + ttl.
  const TimePoint expires = std::min(reading.observed, now) + reading.ttl + Millis{1};
  if (expires > now) next = expires;
  // Held while now < end: free from `end` on, unless the reading has gone stale first.
  if (const auto end = hold_end(reading, now); end && *end > now && (!next || *end < *next)) next = *end;
  return next;
}

}  // namespace kiosk::core
