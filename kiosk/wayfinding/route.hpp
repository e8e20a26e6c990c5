// A route through the venue, as the router returns it and as directions, screens and `kiosk route`
// read it. Positions are in the plan's metres (FloorPlan::projection turns them back into lon/lat).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wayfinding/projection.hpp"

namespace kiosk::wayfinding {

enum class Connector : unsigned char { Stairs, Elevator, Escalator, Ramp };

// Seconds and speeds the router charges; [routing] in the config can change them.
struct RouteCosts {
  float walk_speed_mps = 1.3f;
  float stairs_s_per_level = 20;     // climbing or going down one floor by the stairs
  float elevator_wait_s = 30;        // waiting for the lift, once per ride
  float elevator_s_per_level = 5;
  float escalator_s_per_level = 25;
  float ramp_s_per_level = 30;
};

struct RouteOptions {
  bool step_free = false;  // never stairs, steps or escalators
};

struct RouteLeg {
  std::uint32_t level = 0;                // index into FloorPlan::levels
  std::vector<Vec2> points;               // the walked polyline on this level, in order
  std::vector<std::uint32_t> units;       // units crossed on this level, in order (indices into venue.units)
  std::vector<std::uint32_t> openings;    // doors passed on this level, in order
};

struct LevelChange {
  Connector via = Connector::Stairs;
  std::uint32_t from_level = 0, to_level = 0;
  std::uint32_t from_unit = 0, to_unit = 0;  // the connector's unit on each level (kNone if not a unit)
};

struct Route {
  std::uint32_t from_kiosk = 0;        // index into venue.kiosks
  std::uint32_t to_unit = 0;           // index into venue.units
  std::vector<RouteLeg> legs;          // walking order; legs[i] and legs[i+1] are joined by changes[i]
  std::vector<LevelChange> changes;
  float distance_m = 0;                // walked on the levels (level changes count as their time only)
  float time_s = 0;                    // walking + level changes, with the costs used
  bool step_free = false;
};

enum class NoRouteReason : unsigned char {
  UnknownDestination,   // the destination is not a unit of the map
  NoKiosk,              // the panel's kiosk is not on the map or has no position
  NoDoors,              // the export has no openings at all and no door could be inferred
  Unreachable,          // the graph has no path (closed doors, missing connectors, restricted)
  NoStepFreeWay,        // a path exists, but only with stairs, steps or escalators
};

struct RouteResult {
  std::optional<Route> route;
  NoRouteReason reason = NoRouteReason::Unreachable;  // when route is empty
  std::string detail;  // English, for logs and `kiosk route`: what is missing and where
};

}  // namespace kiosk::wayfinding
