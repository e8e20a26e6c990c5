// The navigation graph derived from the plan's geometry, and the router on it.
//
// Doors are the portals between units; a path inside a unit stays inside it (around the corners of
// concave rooms); level changes go through the relationships (stairs, elevator, escalator, ramp), or,
// where an export has none, through stairs/elevator units stacked on consecutive levels (reported as a
// MapProblem warning so `kiosk check` says so). Restricted units (IMDF `restriction`) are crossed only
// when they are the destination. Built once per map load; queries are read-only and thread-safe.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/venue.hpp"
#include "wayfinding/floor_plan.hpp"
#include "wayfinding/route.hpp"

namespace kiosk::wayfinding {

class NavGraph;
// Map problems that need the whole graph: units no kiosk can reach, levels with no way up or down.
std::vector<MapProblem> check_reachability(const core::Venue& venue, const FloorPlan& plan, const NavGraph& graph);

class NavGraph {
 public:
  NavGraph();
  ~NavGraph();
  NavGraph(NavGraph&&) noexcept;
  NavGraph& operator=(NavGraph&&) noexcept;
  // A copy holds arrays of its own, exactly as long as they need to be (allocated by the copying thread).
  NavGraph(const NavGraph& other);
  NavGraph& operator=(const NavGraph& other);

  // Problems found while building (doors on no wall, missing relationship ends, inferred
  // connections) are appended to `problems` when it is given.
  static NavGraph build(const core::Venue& venue, const FloorPlan& plan, const RouteCosts& costs = {},
                        std::vector<MapProblem>* problems = nullptr);

  // The fastest route from a kiosk (index into venue.kiosks) to a unit (index into venue.units).
  RouteResult route(std::uint32_t from_kiosk, std::uint32_t to_unit, const RouteOptions& options = {}) const;

  // Seconds from a kiosk to every unit (parallel to venue.units; +infinity where unreachable):
  // one search, for the board's walking times.
  std::vector<float> times_from(std::uint32_t from_kiosk, const RouteOptions& options = {}) const;

  std::size_t node_count() const;
  std::size_t edge_count() const;
  std::size_t memory_bytes() const;

  struct Impl;  // nav_graph_impl.hpp

 private:
  friend std::vector<MapProblem> check_reachability(const core::Venue&, const FloorPlan&, const NavGraph&);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::wayfinding
