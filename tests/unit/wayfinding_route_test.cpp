// Routes on the sample campus (config/campus) against lengths measured by hand, and properties every
// route must have: it stays inside the units it crosses, step-free means no stairs, restricted units
// are not crossed.
//
// How the expected lengths were measured: a Python snippet read config/campus/*.geojson, projected
// lon/lat to metres around the venue's display point (same equirectangular projection), and summed
// the straight segments kiosk display point -> door midpoints (opening.geojson) -> unit display point;
// the doors are those the shortest path must take (checked against the alternatives, below each case).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "imdf/loader.hpp"
#include "wayfinding/floor_plan.hpp"
#include "wayfinding/nav_graph.hpp"

using namespace kiosk;
using namespace kiosk::wayfinding;

namespace {

struct Campus {
  core::Venue venue;
  FloorPlan plan;
  NavGraph graph;
  std::vector<MapProblem> problems;
};

const Campus& campus() {
  static const Campus c = [] {
    Campus out;
    auto loaded = imdf::load(std::string(KIOSK_SOURCE_DIR) + "/config/campus");
    REQUIRE(loaded.venue);
    out.venue = *loaded.venue;
    out.plan = build_floor_plan(out.venue);
    out.graph = NavGraph::build(out.venue, out.plan, {}, &out.problems);
    return out;
  }();
  return c;
}

std::uint32_t kiosk_index(const core::Venue& v, const char* name) {
  const core::Kiosk* k = v.find_kiosk(name);
  REQUIRE_MESSAGE(k, "kiosk " << name);
  return static_cast<std::uint32_t>(k - v.kiosks.data());
}
std::uint32_t unit_index(const core::Venue& v, const char* name) {
  const core::Unit* u = v.find_unit(name);
  REQUIRE_MESSAGE(u, "unit " << name);
  return static_cast<std::uint32_t>(u - v.units.data());
}

// Distance from p to a unit's area: 0 inside, else to its nearest wall.
float distance_to(const PlanUnit& unit, Vec2 p) {
  bool inside = false;
  float best = INFINITY;
  for (const auto& polygon : unit.shape)
    for (const auto& ring : polygon.rings)
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const Vec2 a = ring[i], b = ring[i + 1];
        if ((a.y > p.y) != (b.y > p.y) && a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y) > p.x) inside = !inside;
        const Vec2 ab = b - a;
        const float t = std::clamp(dot(p - a, ab) / std::max(dot(ab, ab), 1e-12f), 0.0f, 1.0f);
        best = std::min(best, distance(p, a + ab * t));
      }
  return inside ? 0.0f : best;
}

// Samples every 0.25 m of each leg; each sample lies within 5 cm of a unit the leg crosses.
void check_inside(const Campus& c, const Route& route) {
  for (const RouteLeg& leg : route.legs)
    for (std::size_t i = 0; i + 1 < leg.points.size(); ++i) {
      const Vec2 a = leg.points[i], b = leg.points[i + 1];
      const int steps = std::max(1, static_cast<int>(std::ceil(distance(a, b) / 0.25f)));
      for (int s = 0; s <= steps; ++s) {
        const Vec2 p = a + (b - a) * (static_cast<float>(s) / steps);
        float best = INFINITY;
        for (std::uint32_t u : leg.units) best = std::min(best, distance_to(c.plan.units[u], p));
        REQUIRE_MESSAGE(best <= 0.05f, "route to " << c.venue.units[route.to_unit].id << " leaves its units at ("
                                                  << p.x << ", " << p.y << ") by " << best << " m");
      }
    }
}

bool uses_stairs(const core::Venue& v, const Route& route) {
  for (const LevelChange& ch : route.changes)
    if (ch.via == Connector::Stairs || ch.via == Connector::Escalator) return true;
  for (const RouteLeg& leg : route.legs)
    for (std::uint32_t u : leg.units)
      if (u != route.to_unit && (is_stairs_category(v.units[u].category) || is_escalator_category(v.units[u].category)))
        return true;
  return false;
}

}  // namespace

TEST_CASE("campus graph builds without problems and with every unit reachable") {
  const Campus& c = campus();
  for (const auto& p : c.problems) INFO(format(p));
  CHECK(c.problems.empty());
  CHECK(c.graph.node_count() > c.venue.units.size());
  CHECK(check_reachability(c.venue, c.plan, c.graph).empty());
}

TEST_CASE("same level: Accueil to Salle Capitole is 36.25 m (lobby door, corridor wall, Capitole door)") {
  const Campus& c = campus();
  const RouteResult r = c.graph.route(kiosk_index(c.venue, "Accueil"), unit_index(c.venue, "Salle Capitole"));
  REQUIRE_MESSAGE(r.route, r.detail);
  CHECK(r.route->distance_m == doctest::Approx(36.25).epsilon(0.002));
  CHECK(r.route->changes.empty());
  REQUIRE(r.route->legs.size() == 1);
  CHECK(r.route->legs[0].openings.size() == 2);
  CHECK(r.route->legs[0].units.front() == unit_index(c.venue, "Hall d'accueil"));
  CHECK(r.route->legs[0].units.back() == unit_index(c.venue, "Salle Capitole"));
  check_inside(c, *r.route);
}

// Stairs: 57.36 m walked + 20 s = 64.1 s; the lift would be 43.56 m + 35 s = 68.5 s.
TEST_CASE("across levels by the stairs: Accueil to Salle Garonne is 57.36 m by the west stairs") {
  const Campus& c = campus();
  const RouteResult r = c.graph.route(kiosk_index(c.venue, "Accueil"), unit_index(c.venue, "Salle Garonne"));
  REQUIRE_MESSAGE(r.route, r.detail);
  CHECK(r.route->distance_m == doctest::Approx(57.36).epsilon(0.002));
  CHECK(r.route->time_s == doctest::Approx(64.12).epsilon(0.002));
  REQUIRE(r.route->changes.size() == 1);
  CHECK(r.route->changes[0].via == Connector::Stairs);
  CHECK(c.venue.units[r.route->changes[0].from_unit].category == "stairs");
  REQUIRE(r.route->legs.size() == 2);
  CHECK(r.route->legs[0].level == 0);
  CHECK(r.route->legs[1].level == 1);
  check_inside(c, *r.route);
}

// Lift: 34.95 m + 30 s wait + 2 x 5 s = 66.9 s; east stairs 88.7 s, west stairs 111.7 s.
TEST_CASE("across levels by lift: Accueil to Salle Oenologie is 34.95 m and one ride from 0 to 2") {
  const Campus& c = campus();
  const RouteResult r = c.graph.route(kiosk_index(c.venue, "Accueil"), unit_index(c.venue, "Salle Œnologie"));
  REQUIRE_MESSAGE(r.route, r.detail);
  CHECK(r.route->distance_m == doctest::Approx(34.95).epsilon(0.002));
  CHECK(r.route->time_s == doctest::Approx(66.89).epsilon(0.002));
  REQUIRE(r.route->changes.size() == 1);  // one ride, not one per floor
  CHECK(r.route->changes[0].via == Connector::Elevator);
  CHECK(r.route->changes[0].from_level == 0);
  CHECK(r.route->changes[0].to_level == 2);
  CHECK(r.route->legs.size() == 2);
  check_inside(c, *r.route);
}

TEST_CASE("step-free: Accueil to Salle Garonne takes the lift, 43.56 m, and no stairs") {
  const Campus& c = campus();
  const RouteResult r =
      c.graph.route(kiosk_index(c.venue, "Accueil"), unit_index(c.venue, "Salle Garonne"), RouteOptions{true});
  REQUIRE_MESSAGE(r.route, r.detail);
  CHECK(r.route->step_free);
  CHECK(r.route->distance_m == doctest::Approx(43.56).epsilon(0.002));
  CHECK(r.route->time_s == doctest::Approx(68.51).epsilon(0.002));
  CHECK_FALSE(uses_stairs(c.venue, *r.route));
  REQUIRE(r.route->changes.size() == 1);
  CHECK(r.route->changes[0].via == Connector::Elevator);
}

TEST_CASE("every route from every campus kiosk stays inside walkable space and agrees with times_from") {
  const Campus& c = campus();
  for (const char* name : {"Accueil", "Palier étage 1", "Palier étage 2"}) {
    const std::uint32_t k = kiosk_index(c.venue, name);
    for (bool step_free : {false, true}) {
      const std::vector<float> times = c.graph.times_from(k, RouteOptions{step_free});
      REQUIRE(times.size() == c.venue.units.size());
      for (std::uint32_t u = 0; u < c.venue.units.size(); ++u) {
        CAPTURE(name);
        CAPTURE(c.venue.units[u].id);
        const RouteResult r = c.graph.route(k, u, RouteOptions{step_free});
        REQUIRE_MESSAGE(r.route, r.detail);
        check_inside(c, *r.route);
        CHECK(r.route->time_s == doctest::Approx(times[u]).epsilon(0.001));
        if (step_free) CHECK_FALSE(uses_stairs(c.venue, *r.route));
        for (std::size_t i = 0; i + 1 < r.route->legs.size(); ++i)
          CHECK(r.route->legs[i].level == r.route->changes[i].from_level);
      }
    }
  }
}

TEST_CASE("a restricted unit is crossed only as the destination") {
  core::Venue venue = campus().venue;
  const std::uint32_t corridor = unit_index(venue, "Couloir RDC");
  venue.units[corridor].restriction = "employeesonly";
  const FloorPlan plan = build_floor_plan(venue);
  const NavGraph graph = NavGraph::build(venue, plan);
  const std::uint32_t accueil = kiosk_index(venue, "Accueil");
  const RouteResult blocked = graph.route(accueil, unit_index(venue, "Salle Capitole"));
  CHECK_FALSE(blocked.route);
  CHECK(blocked.reason == NoRouteReason::Unreachable);
  CHECK(blocked.detail.find("restricted") != std::string::npos);
  const RouteResult into = graph.route(accueil, corridor);
  REQUIRE_MESSAGE(into.route, into.detail);
  const std::vector<float> times = graph.times_from(accueil);
  CHECK(std::isfinite(times[corridor]));
  CHECK(std::isinf(times[unit_index(venue, "Salle Capitole")]));
  // From the floor-1 landing, routes never go down through the restricted corridor.
  const std::uint32_t landing = kiosk_index(venue, "Palier étage 1");
  for (std::uint32_t u = 0; u < venue.units.size(); ++u) {
    const RouteResult r = graph.route(landing, u);
    if (!r.route || u == corridor) continue;
    for (const RouteLeg& leg : r.route->legs)
      for (std::uint32_t crossed : leg.units) CHECK(crossed != corridor);
  }
}
