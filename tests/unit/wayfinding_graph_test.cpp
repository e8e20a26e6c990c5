// NavGraph on small venues built in code (bad input, missing connectors, rooms without doors, exports
// without openings or relationships) and on the real Ulm export (no openings, no relationships, no
// kiosks). Every case must end with a route or a reason, never a crash or an endless search.
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

constexpr double kLon = 1.51, kLat = 43.54;
const double kMx = 111320.0 * std::cos(kLat * 3.14159265358979323846 / 180.0), kMy = 111320.0;

core::LonLat at(double x, double y) { return {kLon + x / kMx, kLat + y / kMy}; }

core::MultiPolygon rect(double x0, double y0, double x1, double y1) {
  return {core::Polygon{{{at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)}}}};
}

// A small building in metres: add levels, units, doors and kiosks, then index().
struct Venue {
  core::Venue v;
  Venue() { v.display_point = at(0, 0); }
  Venue& level(const std::string& id, int ordinal) {
    core::Level l;
    l.id = id;
    l.ordinal = ordinal;
    l.name.set("en", id);
    v.levels.push_back(l);
    return *this;
  }
  Venue& unit(const std::string& id, const std::string& category, const std::string& level, double x0, double y0,
              double x1, double y1) {
    core::Unit u;
    u.id = id;
    u.category = category;
    u.level_id = level;
    u.name.set("en", id);
    u.shape = rect(x0, y0, x1, y1);
    v.units.push_back(u);
    return *this;
  }
  Venue& door(const std::string& id, const std::string& level, double x0, double y0, double x1, double y1) {
    core::Opening o;
    o.id = id;
    o.category = "pedestrian";
    o.level_id = level;
    o.line = {at(x0, y0), at(x1, y1)};
    v.openings.push_back(o);
    return *this;
  }
  Venue& kiosk(const std::string& id, const std::string& level, double x, double y) {
    core::Kiosk k;
    k.id = id;
    k.level_id = level;
    k.name.set("en", id);
    k.display_point = at(x, y);
    v.kiosks.push_back(k);
    return *this;
  }
  Venue& link(const std::string& category, const std::string& from, const std::string& to,
              const std::string& direction = "undirected") {
    core::Relationship r;
    r.id = "rel-" + from + "-" + to;
    r.category = category;
    r.direction = direction;
    r.origin = core::FeatureRef{from, "unit"};
    r.destination = core::FeatureRef{to, "unit"};
    v.relationships.push_back(r);
    return *this;
  }
  core::Venue done() {
    v.index();
    return v;
  }
};

// Two floors: a corridor (0..20 x 0..3) with a room A south of it and stairs (20..24) at its east
// end, on each level; doors on the shared walls.
Venue two_floors() {
  Venue b;
  b.level("L0", 0).level("L1", 1);
  for (const char* l : {"L0", "L1"}) {
    const std::string s = l;
    b.unit("corridor-" + s, "walkway", s, 0, 0, 20, 3)
        .unit("room-" + s, "office", s, 0, -6, 8, 0)
        .unit("stairs-" + s, "stairs", s, 20, 0, 24, 3)
        .door("d-room-" + s, s, 3.5, 0, 4.5, 0)
        .door("d-stairs-" + s, s, 20, 1, 20, 2);
  }
  b.kiosk("k0", "L0", 10, 1.5);
  return b;
}

std::uint32_t unit_of(const core::Venue& v, const char* id) {
  return static_cast<std::uint32_t>(v.unit(id) - v.units.data());
}

bool mentions(const std::vector<MapProblem>& problems, const std::string& type, const std::string& text) {
  for (const auto& p : problems)
    if (p.feature_type == type && p.message.find(text) != std::string::npos) return true;
  return false;
}

std::string listing(const std::vector<MapProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += format(p) + "\n";
  return out;
}

}  // namespace

TEST_CASE("stacked stairs are linked when a venue has no relationships, with one warning") {
  const core::Venue v = two_floors().done();
  const FloorPlan plan = build_floor_plan(v);
  std::vector<MapProblem> problems;
  const NavGraph g = NavGraph::build(v, plan, {}, &problems);
  INFO(listing(problems));
  CHECK(mentions(problems, "relationship", "1 level connections inferred from stairs/lift units stacked"));
  const RouteResult r = g.route(0, unit_of(v, "room-L1"));
  REQUIRE_MESSAGE(r.route, r.detail);
  REQUIRE(r.route->changes.size() == 1);
  CHECK(r.route->changes[0].via == Connector::Stairs);
  // Kiosk (10,1.5) -> stairs door (20,1.5) -> stairs centre (22,1.5); up; back -> room door (4,0) -> room centre (4,-3).
  CHECK(r.route->distance_m == doctest::Approx(10 + 2 + 2 + std::hypot(16.0, 1.5) + 3).epsilon(0.002));
  const RouteResult step_free = g.route(0, unit_of(v, "room-L1"), RouteOptions{true});
  CHECK_FALSE(step_free.route);
  CHECK(step_free.reason == NoRouteReason::NoStepFreeWay);
  CHECK(step_free.detail.find("stairs") != std::string::npos);
}

TEST_CASE("a directed escalator is used one way only") {
  Venue b = two_floors();
  for (auto& u : b.v.units)
    if (u.category == "stairs") u.category = "escalator";
  b.link("escalator", "stairs-L1", "stairs-L0", "directed");  // down only
  const core::Venue v = b.done();
  const FloorPlan plan = build_floor_plan(v);
  const NavGraph g = NavGraph::build(v, plan);
  const RouteResult up = g.route(0, unit_of(v, "room-L1"));
  CHECK_FALSE(up.route);
  CHECK(up.reason == NoRouteReason::Unreachable);
}

TEST_CASE("a destination on a level with no connector: clear reason and a level warning") {
  Venue b = two_floors();
  b.v.units.erase(std::remove_if(b.v.units.begin(), b.v.units.end(), [](const core::Unit& u) { return u.id == "stairs-L1"; }),
                  b.v.units.end());
  const core::Venue v = b.done();
  const FloorPlan plan = build_floor_plan(v);
  const NavGraph g = NavGraph::build(v, plan);
  const RouteResult r = g.route(0, unit_of(v, "room-L1"));
  REQUIRE_FALSE(r.route);
  CHECK(r.reason == NoRouteReason::Unreachable);
  CHECK(r.detail.find("no stairs, lift, escalator or ramp") != std::string::npos);
  const auto reach = check_reachability(v, plan, g);
  INFO(listing(reach));
  CHECK(mentions(reach, "level", "no way up or down"));
  CHECK(mentions(reach, "unit", "no kiosk reaches unit \"room-L1\""));
}

TEST_CASE("a room without a door: clear reason, the rest still routes") {
  Venue b = two_floors();
  b.unit("closet", "storage", "L0", 8, -6, 12, 0);  // shares the corridor wall, no opening
  const core::Venue v = b.done();
  const FloorPlan plan = build_floor_plan(v);
  const NavGraph g = NavGraph::build(v, plan);
  const RouteResult r = g.route(0, unit_of(v, "closet"));
  REQUIRE_FALSE(r.route);
  CHECK(r.reason == NoRouteReason::Unreachable);
  CHECK(r.detail.find("has no door") != std::string::npos);
  CHECK(g.route(0, unit_of(v, "room-L0")).route);
}

TEST_CASE("bad input: missing relationship ends, a door off every wall, a unit on no level") {
  Venue b = two_floors();
  b.link("stairs", "stairs-L0", "stairs-L1");
  b.link("elevator", "no-such-unit", "stairs-L1");
  b.door("floating", "L0", 50, 50, 51, 50);
  b.unit("lost", "office", "no-such-level", 30, 30, 34, 34);
  const core::Venue v = b.done();
  const FloorPlan plan = build_floor_plan(v);
  std::vector<MapProblem> problems;
  const NavGraph g = NavGraph::build(v, plan, {}, &problems);
  INFO(listing(problems));
  CHECK(mentions(problems, "relationship", "no-such-unit, which is not in the map"));
  CHECK(mentions(problems, "relationship", "fewer than two levels"));
  CHECK(mentions(problems, "opening", "door touches no wall"));
  CHECK_FALSE(mentions(problems, "relationship", "inferred"));  // the venue has relationships
  const RouteResult lost = g.route(0, unit_of(v, "lost"));
  CHECK_FALSE(lost.route);
  CHECK(lost.detail.find("not routed") != std::string::npos);
  const RouteResult ok = g.route(0, unit_of(v, "room-L1"));
  CHECK_MESSAGE(ok.route, ok.detail);
  CHECK(g.route(7, 0).reason == NoRouteReason::NoKiosk);
  CHECK(g.route(0, 999).reason == NoRouteReason::UnknownDestination);
}

TEST_CASE("no openings: doors are inferred from walls shared with a corridor, or NoDoors") {
  Venue b = two_floors();
  b.v.openings.clear();
  b.unit("island", "office", "L0", 40, 40, 44, 44);  // touches nothing
  const core::Venue v = b.done();
  const FloorPlan plan = build_floor_plan(v);
  std::vector<MapProblem> problems;
  const NavGraph g = NavGraph::build(v, plan, {}, &problems);
  INFO(listing(problems));
  // Per level: room-corridor and corridor-stairs.
  CHECK(mentions(problems, "opening", "map has no openings: 4 doors inferred from shared walls"));
  const RouteResult r = g.route(0, unit_of(v, "room-L1"));
  CHECK_MESSAGE(r.route, r.detail);
  CHECK_FALSE(g.route(0, unit_of(v, "island")).route);

  Venue bare;
  bare.level("L0", 0).unit("a", "office", "L0", 0, 0, 4, 4).unit("b", "office", "L0", 10, 0, 14, 4).kiosk("k", "L0", 2, 2);
  const core::Venue v2 = bare.done();
  const FloorPlan plan2 = build_floor_plan(v2);
  const NavGraph g2 = NavGraph::build(v2, plan2);
  const RouteResult none = g2.route(0, 1);
  CHECK(none.reason == NoRouteReason::NoDoors);
  CHECK(none.detail.find("opening.geojson") != std::string::npos);
  CHECK(g2.route(0, 0).route);  // the kiosk's own room needs no door
}

TEST_CASE("a concave room is walked around its corner, never through the wall") {
  Venue b;
  // An L-shaped hall: 0..10 x 0..4 plus 0..4 x 4..10; the kiosk at the foot, the room at the top.
  b.level("L0", 0);
  core::Unit hall;
  hall.id = "hall";
  hall.category = "lobby";
  hall.level_id = "L0";
  hall.shape = {core::Polygon{{{at(0, 0), at(10, 0), at(10, 4), at(4, 4), at(4, 10), at(0, 10), at(0, 0)}}}};
  b.v.units.push_back(hall);
  b.unit("room", "office", "L0", 10, 0, 14, 4).door("d", "L0", 10, 1.5, 10, 2.5).kiosk("k", "L0", 2, 9);
  const core::Venue v = b.done();
  const FloorPlan plan = build_floor_plan(v);
  const NavGraph g = NavGraph::build(v, plan);
  const RouteResult r = g.route(0, unit_of(v, "room"));
  REQUIRE_MESSAGE(r.route, r.detail);
  // Straight would cross the wall; the path bends near (4,4), inset 0.35 m diagonally.
  const Vec2 corner = plan.projection.to_local(at(4, 4));
  bool bends = false;
  for (Vec2 p : r.route->legs[0].points) bends |= distance(p, corner) < 0.6f;
  CHECK(bends);
  const float straight = distance(plan.kiosks[0].point, plan.units[unit_of(v, "room")].label_point);
  CHECK(r.route->distance_m > straight);
}

TEST_CASE("Ulm export: doors and level links are inferred, and a route across levels is found") {
  auto loaded = imdf::load(std::string(KIOSK_SHARED_DATA_DIR) + "/imdf/uulm-osmtoimdf");
  REQUIRE(loaded.venue);
  core::Venue v = *loaded.venue;
  const FloorPlan plan = build_floor_plan(v);
  std::vector<MapProblem> problems;
  const NavGraph g = NavGraph::build(v, plan, {}, &problems);
  INFO(listing(problems));
  CHECK(mentions(problems, "opening", "map has no openings:"));
  CHECK(mentions(problems, "relationship", "level connections inferred from stairs/lift units stacked"));
  // The export has no kiosk: a route says so.
  REQUIRE(v.kiosks.empty());
  CHECK(g.route(0, 0).reason == NoRouteReason::NoKiosk);
  CHECK(check_reachability(v, plan, g).size() >= 1);

  // Stand a kiosk in a walkway (the ground floor has none: the first floor's), then route to the
  // rooms of other levels: some must be reached; each failure must say why.
  std::size_t reached = 0, tried = 0;
  for (std::uint32_t w = 0; w < v.units.size() && reached == 0; ++w) {
    const std::uint32_t level = plan.units[w].level;
    if (v.units[w].category != "walkway" || level == kNone) continue;
    core::Venue with_kiosk = v;
    core::Kiosk k;
    k.id = "test-kiosk";
    k.level_id = v.levels[level].id;
    k.display_point = plan.projection.to_lonlat(plan.units[w].label_point);
    with_kiosk.kiosks.push_back(k);
    with_kiosk.index();
    const FloorPlan p2 = build_floor_plan(with_kiosk);
    const NavGraph g2 = NavGraph::build(with_kiosk, p2);
    const std::vector<float> times = g2.times_from(0);
    for (std::uint32_t u = 0; u < with_kiosk.units.size(); ++u) {
      if (p2.units[u].level == kNone || p2.units[u].level == level || with_kiosk.units[u].category != "room") continue;
      const RouteResult r = g2.route(0, u);
      ++tried;
      if (r.route) {
        ++reached;
        CHECK(r.route->time_s == doctest::Approx(times[u]).epsilon(0.001));
        CHECK_FALSE(r.route->changes.empty());
      } else {
        CHECK(r.reason == NoRouteReason::Unreachable);
        CHECK_FALSE(r.detail.empty());
      }
    }
  }
  MESSAGE("Ulm: " << reached << " of " << tried << " rooms on other levels reached from a walkway");
  CHECK(reached > 0);
}
