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
    status.availability = r.occupied ? Availability::Occupied : Availability::Free;
    if (space.seats > 0) status.seats_free = r.occupied ? 0 : space.seats;
    return status;
  }
  int count = std::max(0, static_cast<int>(r.count));
  if (space.seats > 0) {
    status.seats_free = std::max(0, space.seats - count);
    status.availability = status.seats_free > 0 ? Availability::Free : Availability::Occupied;
  } else {
    status.people = count;
    status.availability = count == 0 ? Availability::Free : Availability::Occupied;
  }
  return status;
}

}  // namespace kiosk::core
