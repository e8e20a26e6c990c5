// Directions: turns, landmarks, doors, level changes and arrivals on a small hand-made plan, the
// sentences in French and English, and (at the end) real routes on the sample campus.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "wayfinding/directions.hpp"

using namespace kiosk::wayfinding;
using kiosk::core::Labels;

namespace {

// An L of corridors on level 0: A runs east (y 0..2.4, x 0..30), B runs north from its east end
// (x 27.6..30). Rooms open off B; toilets sit at the corner; a hall closes A's west end. Level 1 has
// the lift's twin and a stairwell.
//
//        y
//   30 ..|B|
//        | |  Garonne (x 30..38, y 10..18), door x=30 y 13..14
//        | |  Office 12 (x 30..38, y 2.4..10), door x=30 y 5..6
//   2.4 -+-+  toilets (x 24..27.6, y 2.4..6), amenity at (25.8, 4.2)
//   hall |A (x 0..30)
enum UnitIndex : std::uint32_t { kCorridorA, kCorridorB, kGaronne, kOffice12, kToilets, kHall, kLift0, kLift1, kStairs0, kStairs1, kLift2 };
enum OpeningIndex : std::uint32_t { kGaronneDoor, kOfficeDoor, kHallDoor, kLiftDoor0, kLiftDoor1 };

LocalShape rect(float x0, float y0, float x1, float y1) {
  return {LocalPolygon{{LocalRing{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}};
}

struct Map {
  kiosk::core::Venue venue;
  FloorPlan plan;
};

Map make_map(Vec2 toilets_amenity = {25.8f, 4.2f}) {
  Map m;
  auto level = [&](const char* id, int ordinal, Labels name) {
    kiosk::core::Level l;
    l.id = id;
    l.ordinal = ordinal;
    l.name = std::move(name);
    m.venue.levels.push_back(l);
    m.plan.levels.emplace_back();
  };
  level("L0", 0, {{"fr", "Rez-de-chaussée"}, {"en", "Ground floor"}});
  level("L1", 1, {{"fr", "Étage 1"}, {"en", "Floor 1"}});
  level("L2", 2, {{"fr", "Étage 2"}, {"en", "Floor 2"}});
  auto unit = [&](const char* id, std::uint32_t lvl, const char* category, Labels name, LocalShape shape) {
    kiosk::core::Unit u;
    u.id = id;
    u.category = category;
    u.level_id = m.venue.levels[lvl].id;
    u.name = std::move(name);
    m.venue.units.push_back(u);
    PlanUnit p;
    p.level = lvl;
    p.shape = std::move(shape);
    Box box;
    for (Vec2 q : p.shape[0].rings[0]) box.add(q);
    p.box = box;
    p.label_point = box.centre();
    m.plan.units.push_back(p);
    m.plan.levels[lvl].units.push_back(static_cast<std::uint32_t>(m.plan.units.size() - 1));
  };
  unit("corridor-a", 0, "walkway", {{"fr", "Couloir RDC"}, {"en", "Ground floor corridor"}}, rect(0, 0, 30, 2.4f));
  unit("corridor-b", 0, "walkway", {{"fr", "Couloir Est"}, {"en", "East corridor"}}, rect(27.6f, 2.4f, 30, 30));
  unit("garonne", 0, "conferenceroom", {{"fr", "Salle Garonne"}, {"en", "Garonne Room"}}, rect(30, 10, 38, 18));
  unit("office-12", 0, "office", {{"fr", "Bureau 12"}, {"en", "Office 12"}}, rect(30, 2.4f, 38, 10));
  unit("toilets", 0, "restroom", {{"fr", "Toilettes"}, {"en", "Toilets"}}, rect(24, 2.4f, 27.6f, 6));
  unit("hall", 0, "lobby", {{"fr", "Hall d’accueil"}, {"en", "Entrance hall"}}, rect(-8, -2, 0, 4));
  unit("lift-0", 0, "elevator", {{"fr", "Ascenseur"}, {"en", "Lift"}}, rect(4, 2.4f, 6, 5));
  unit("lift-1", 1, "elevator", {{"fr", "Ascenseur"}, {"en", "Lift"}}, rect(4, 2.4f, 6, 5));
  unit("stairs-0", 0, "stairs", {{"fr", "Escalier Ouest"}, {"en", "West stairs"}}, rect(8, 2.4f, 11, 8));
  unit("stairs-1", 1, "stairs", {{"fr", "Escalier Ouest"}, {"en", "West stairs"}}, rect(8, 2.4f, 11, 8));
  unit("lift-2", 2, "elevator", {{"fr", "Ascenseur"}, {"en", "Lift"}}, rect(4, 2.4f, 6, 5));
  auto opening = [&](std::uint32_t lvl, Vec2 a, Vec2 b) {
    kiosk::core::Opening o;
    o.level_id = m.venue.levels[lvl].id;
    o.door_type = "swinging";
    m.venue.openings.push_back(o);
    m.plan.openings.push_back({lvl, a, b});
    m.plan.levels[lvl].openings.push_back(static_cast<std::uint32_t>(m.plan.openings.size() - 1));
  };
  opening(0, {30, 13}, {30, 14});
  opening(0, {30, 5}, {30, 6});
  opening(0, {0, 0.7f}, {0, 1.7f});
  opening(0, {4.5f, 2.4f}, {5.5f, 2.4f});
  opening(1, {4.5f, 2.4f}, {5.5f, 2.4f});
  kiosk::core::Amenity toilets;
  toilets.id = "amenity-toilets";
  toilets.category = "restroom.unisex";
  toilets.unit_ids = {"toilets"};
  m.venue.amenities.push_back(toilets);
  m.plan.amenities.push_back({0, toilets_amenity, true});
  m.plan.levels[0].amenities.push_back(0);
  m.venue.index();
  return m;
}

RouteLeg leg(std::uint32_t level, std::vector<Vec2> points, std::vector<std::uint32_t> units,
             std::vector<std::uint32_t> openings = {}) {
  return {level, std::move(points), std::move(units), std::move(openings)};
}

Route one_leg(RouteLeg l, std::uint32_t to_unit) {
  Route r;
  r.to_unit = to_unit;
  r.legs.push_back(std::move(l));
  return r;
}

std::vector<std::string> sentences(const std::vector<Step>& steps, const kiosk::core::Venue& venue, const char* lang) {
  std::vector<std::string> out;
  for (const Step& s : steps) out.push_back(describe(s, venue, lang));
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

long count_kind(const std::vector<Step>& steps, Step::Kind kind) {
  return std::count_if(steps.begin(), steps.end(), [&](const Step& s) { return s.kind == kind; });
}

// East along A, left into B, to Garonne's door on the right.
Route l_shaped_to_garonne() {
  return one_leg(leg(0, {{2, 1.2f}, {28.8f, 1.2f}, {28.8f, 13.5f}, {34, 14}}, {kCorridorA, kCorridorB, kGaronne}, {kGaronneDoor}),
                 kGaronne);
}

}  // namespace

TEST_CASE("an L-shaped route turns left at the toilets and arrives at the 2nd door on the right") {
  Map m = make_map();
  std::vector<Step> steps = directions(l_shaped_to_garonne(), m.venue, m.plan);
  auto en = sentences(steps, m.venue, "en");
  auto fr = sentences(steps, m.venue, "fr");
  INFO((joined(en) + joined(fr)));
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].kind == Step::Kind::Start);
  CHECK(steps[1].kind == Step::Kind::Turn);
  CHECK(steps[1].turn == Turn::Left);
  CHECK(steps[1].landmark_amenity == 0);
  CHECK(steps[1].landmark_at == Relation::After);
  CHECK(steps[1].distance_m == doctest::Approx(26.8f).epsilon(0.01));
  CHECK(steps[2].kind == Step::Kind::Arrive);
  CHECK(steps[2].side == Side::Right);
  CHECK(steps[2].opening == kGaronneDoor);
  CHECK(steps[2].door_number == 2);
  CHECK(en[0] == "Head towards the toilets");
  CHECK(en[1] == "Turn left after the toilets");
  CHECK(en[2] == "The Garonne Room is the 2nd door on your right");
  CHECK(fr[0] == "Dirigez-vous vers les toilettes");
  CHECK(fr[1] == "Tournez à gauche après les toilettes");
  CHECK(fr[2] == "La salle Garonne est la 2e porte sur votre droite");
}

TEST_CASE("the mirrored walk turns right and arrives on the left") {
  Map m = make_map();
  // South down B to Garonne's door: it is on the left, the first door on that wall.
  auto steps = directions(one_leg(leg(0, {{28.8f, 28}, {28.8f, 13.5f}, {34, 14}}, {kCorridorB, kGaronne}, {kGaronneDoor}), kGaronne),
                          m.venue, m.plan);
  REQUIRE(steps.size() == 2);
  CHECK(steps[1].side == Side::Left);
  CHECK(steps[1].door_number == 1);
  CHECK(describe(steps[1], m.venue, "en") == "The Garonne Room is the 1st door on your left");
  CHECK(describe(steps[1], m.venue, "fr") == "La salle Garonne est la 1re porte sur votre gauche");

  // South down B, right along A, into the hall straight ahead.
  steps = directions(one_leg(leg(0, {{28.8f, 28}, {28.8f, 1.2f}, {-4, 1.2f}}, {kCorridorB, kCorridorA, kHall}, {kHallDoor}), kHall),
                     m.venue, m.plan);
  auto en = sentences(steps, m.venue, "en");
  auto fr = sentences(steps, m.venue, "fr");
  INFO((joined(en) + joined(fr)));
  REQUIRE(steps.size() == 3);
  CHECK(steps[1].turn == Turn::Right);
  CHECK(en[1] == "Turn right after the toilets");  // passed on the right, 3 m before the corner
  CHECK(fr[1] == "Tournez à droite après les toilettes");
  CHECK(steps[2].side == Side::Ahead);
  CHECK(en[2] == "The Entrance hall is straight ahead");
  CHECK(fr[2] == "Le hall d’accueil est en face");
}

TEST_CASE("turn angles are classified from the simplified geometry") {
  Map m = make_map();
  auto turn_of = [&](Vec2 out) {
    auto steps = directions(one_leg(leg(0, {{0, -40}, {0, 0}, out * 20}, {}), kNone), m.venue, m.plan);
    auto it = std::find_if(steps.begin(), steps.end(), [](const Step& s) { return s.kind == Step::Kind::Turn; });
    return it == steps.end() ? Turn::Straight : it->turn;
  };
  CHECK(turn_of({0.2f, 1}) == Turn::Straight);   // 11°
  CHECK(turn_of({-0.7f, 1}) == Turn::SlightLeft);  // 35°
  CHECK(turn_of({1, 0.1f}) == Turn::Right);        // 84°
  CHECK(turn_of({-1, -1.2f}) == Turn::SharpLeft);  // 140°
  CHECK(turn_of({0.05f, -1}) == Turn::UTurn);
  // A 0.4 m jog in a straight corridor and a short dog-leg at a door are no turns.
  auto steps = directions(one_leg(leg(0, {{0, 1.2f}, {10, 1.2f}, {10.5f, 1.6f}, {11, 1.2f}, {25, 1.2f}, {25.6f, 1.9f}, {26, 1.2f}, {40, 1.2f}}, {}),
                                  kNone),
                          m.venue, m.plan);
  CHECK(count_kind(steps, Step::Kind::Turn) == 0);
}

TEST_CASE("a landmark is named when near and left out when far") {
  Map near_map = make_map();
  auto steps = directions(l_shaped_to_garonne(), near_map.venue, near_map.plan);
  CHECK(steps[1].landmark_amenity == 0);

  // Same walk, the toilets' amenity moved far away: the nearest named unit takes its place (the
  // toilets' and Office 12's corners are both 1.7 m away; the toilets' label is nearer; corridors
  // never count).
  Map far_map = make_map({-20, 20});
  steps = directions(l_shaped_to_garonne(), far_map.venue, far_map.plan);
  CHECK(steps[1].landmark_amenity == kNone);
  CHECK(steps[1].landmark_unit == kToilets);
  CHECK(describe(steps[1], far_map.venue, "fr") == "Tournez à gauche au niveau des toilettes");

  // A turn in the middle of A, over 6 m from anything named: no landmark at all.
  steps = directions(one_leg(leg(0, {{2, 1.2f}, {18, 1.2f}, {18, -10}}, {kCorridorA}), kNone), far_map.venue, far_map.plan);
  REQUIRE(steps.size() == 3);
  CHECK(steps[1].turn == Turn::Right);
  CHECK(steps[1].landmark_amenity == kNone);
  CHECK(steps[1].landmark_unit == kNone);
  CHECK(describe(steps[1], far_map.venue, "en") == "Turn right");
  CHECK(describe(steps[1], far_map.venue, "fr") == "Tournez à droite");
}

TEST_CASE("landmark relations and doors read naturally") {
  Map m = make_map();
  Step s;
  s.kind = Step::Kind::Turn;
  s.turn = Turn::SlightLeft;
  s.landmark_unit = kHall;
  s.landmark_at = Relation::Before;
  CHECK(describe(s, m.venue, "en") == "Bear left before the Entrance hall");
  CHECK(describe(s, m.venue, "fr") == "Tournez légèrement à gauche avant le hall d’accueil");
  s.landmark_at = Relation::At;
  CHECK(describe(s, m.venue, "fr") == "Tournez légèrement à gauche au niveau du hall d’accueil");
  s.landmark_unit = kLift0;  // a lift called just "Lift" is "the lift"
  s.turn = Turn::Right;
  CHECK(describe(s, m.venue, "en") == "Turn right at the lift");
  CHECK(describe(s, m.venue, "fr") == "Tournez à droite au niveau de l’ascenseur");
  s.opening = kHallDoor;
  CHECK(describe(s, m.venue, "en") == "Go through the door, then turn right at the lift");
  CHECK(describe(s, m.venue, "fr") == "Passez la porte, puis tournez à droite au niveau de l’ascenseur");
  s.door_after = true;
  s.landmark_unit = kNone;
  CHECK(describe(s, m.venue, "en") == "Turn right through the door");
  CHECK(describe(s, m.venue, "fr") == "Tournez à droite et passez la porte");
  s.turn = Turn::Straight;
  CHECK(describe(s, m.venue, "en") == "Go straight on through the door");
  CHECK(describe(s, m.venue, "fr-FR") == "Continuez tout droit et passez la porte");
}

TEST_CASE("doors on the way become steps, joined to a turn when close to it") {
  Map m = make_map();
  // Out of the hall through its door, straight on along A: a door step.
  auto steps = directions(one_leg(leg(0, {{-6, 1.2f}, {20, 1.2f}}, {kHall, kCorridorA}, {kHallDoor}), kNone), m.venue, m.plan);
  REQUIRE(steps.size() == 3);
  CHECK(steps[1].opening == kHallDoor);
  CHECK(steps[1].turn == Turn::Straight);
  CHECK(describe(steps[1], m.venue, "en") == "Leave the Entrance hall and go straight on");
  CHECK(describe(steps[1], m.venue, "fr") == "Sortez du hall d’accueil et continuez tout droit");
  CHECK(steps[2].kind == Step::Kind::Arrive);

  // Out of Office 12 through its door, then left (north) up B: one step.
  steps = directions(one_leg(leg(0, {{34, 5.5f}, {30, 5.5f}, {28.8f, 5.5f}, {28.8f, 13.5f}, {34, 14}},
                                 {kOffice12, kCorridorB, kGaronne}, {kOfficeDoor, kGaronneDoor}),
                             kGaronne),
                     m.venue, m.plan);
  auto en = sentences(steps, m.venue, "en");
  INFO(joined(en));
  REQUIRE(steps.size() == 3);
  CHECK(steps[1].turn == Turn::Right);
  CHECK(steps[1].opening == kOfficeDoor);
  CHECK(steps[1].unit == kOffice12);
  CHECK_FALSE(steps[1].door_after);
  CHECK(en[1] == "Leave Office 12, then turn right opposite the toilets");
  CHECK(describe(steps[1], m.venue, "fr") == "Sortez du bureau 12, puis tournez à droite face aux toilettes");
  CHECK(steps[2].side == Side::Right);
  CHECK(steps[2].door_number == 1);  // the office's own door, just come through, is not counted
}

TEST_CASE("level changes say how and where, up and down") {
  Map m = make_map();
  Route r;
  r.to_unit = kCorridorA;
  r.legs.push_back(leg(0, {{20, 1.2f}, {5, 1.2f}, {5, 3.5f}}, {kCorridorA, kLift0}, {kLiftDoor0}));
  r.changes.push_back({Connector::Elevator, 0, 1, kLift0, kLift1});
  r.legs.push_back(leg(1, {{5, 3.5f}, {5, 1.2f}, {20, 1.2f}}, {kLift1}, {kLiftDoor1}));
  auto steps = directions(r, m.venue, m.plan);
  auto en = sentences(steps, m.venue, "en");
  auto fr = sentences(steps, m.venue, "fr");
  INFO((joined(en) + joined(fr)));
  CHECK(count_kind(steps, Step::Kind::LevelChange) == 1);
  auto change = std::find_if(steps.begin(), steps.end(), [](const Step& s) { return s.kind == Step::Kind::LevelChange; });
  REQUIRE(change != steps.end());
  CHECK(change->to_level == 1);
  CHECK(en[0] == "Head towards the lift");
  CHECK(describe(*change, m.venue, "en") == "Take the lift to Floor 1");
  CHECK(describe(*change, m.venue, "fr") == "Prenez l’ascenseur jusqu’à l’étage 1");
  CHECK(steps.back().kind == Step::Kind::Arrive);

  Step s;
  s.kind = Step::Kind::LevelChange;
  s.via = Connector::Stairs;
  s.level = 1;
  s.to_level = 0;
  s.landmark_unit = kStairs1;
  CHECK(describe(s, m.venue, "en") == "Take the West stairs down to the Ground floor");
  CHECK(describe(s, m.venue, "fr") == "Descendez par l’escalier Ouest jusqu’au rez-de-chaussée");
  std::swap(s.level, s.to_level);
  s.landmark_unit = kNone;
  CHECK(describe(s, m.venue, "en") == "Take the stairs up to Floor 1");
  CHECK(describe(s, m.venue, "fr") == "Montez par l’escalier jusqu’à l’étage 1");
  s.via = Connector::Escalator;
  CHECK(describe(s, m.venue, "fr") == "Montez par l’escalator jusqu’à l’étage 1");
  s.via = Connector::Elevator;
  s.level = 2;
  CHECK(describe(s, m.venue, "en") == "Take the lift to Floor 1");
}

TEST_CASE("a ride through several floors in the same lift is one step") {
  Map m = make_map();
  Route r;
  r.to_unit = kLift2;
  r.legs.push_back(leg(0, {{20, 1.2f}, {5, 1.2f}, {5, 3.5f}}, {kCorridorA, kLift0}, {kLiftDoor0}));
  r.changes.push_back({Connector::Elevator, 0, 1, kLift0, kLift1});
  r.legs.push_back(leg(1, {{5, 3.5f}}, {kLift1}));
  r.changes.push_back({Connector::Elevator, 1, 2, kLift1, kLift2});
  r.legs.push_back(leg(2, {{5, 3.5f}}, {kLift2}));
  auto steps = directions(r, m.venue, m.plan);
  REQUIRE(count_kind(steps, Step::Kind::LevelChange) == 1);
  CHECK(steps[steps.size() - 2].to_level == 2);
  CHECK(describe(steps[steps.size() - 2], m.venue, "fr") == "Prenez l’ascenseur jusqu’à l’étage 2");
  CHECK(steps.back().kind == Step::Kind::Arrive);
}

TEST_CASE("a walk that starts in its destination says so") {
  Map m = make_map();
  auto steps = directions(one_leg(leg(0, {{32, 12}, {34, 14}}, {kGaronne}), kGaronne), m.venue, m.plan);
  REQUIRE(steps.size() == 2);
  CHECK(steps[1].already_there);
  CHECK(describe(steps[1], m.venue, "en") == "You are there: the Garonne Room");
  CHECK(describe(steps[1], m.venue, "fr") == "Vous y êtes\u00A0: la salle Garonne");
  CHECK(describe(steps[0], m.venue, "fr") == "Vous êtes ici\u00A0: Salle Garonne");
  // A route with no legs at all still starts and arrives.
  steps = directions(Route{}, m.venue, m.plan);
  REQUIRE(steps.size() == 2);
  CHECK(steps.front().kind == Step::Kind::Start);
  CHECK(steps.back().kind == Step::Kind::Arrive);
}

TEST_CASE("totals give distance and walking time, rounded for a wall panel") {
  Route r;
  r.distance_m = 120;
  r.time_s = 100;
  CHECK(describe_totals(r, "en") == "120 m · 2 min");
  CHECK(describe_totals(r, "fr") == "120\u00A0m · 2\u00A0min");
  r.distance_m = 37.4f;
  r.time_s = 29;
  CHECK(describe_totals(r, "en") == "37 m · < 1 min");
  CHECK(describe_totals(r, "fr") == "37\u00A0m · <\u00A01\u00A0min");
  r.distance_m = 123;
  r.time_s = 60;
  CHECK(describe_totals(r, "en") == "125 m · 1 min");
  r.distance_m = 1234;
  r.time_s = 961;
  CHECK(describe_totals(r, "en") == "1.2 km · 17 min");
  CHECK(describe_totals(r, "fr") == "1,2\u00A0km · 17\u00A0min");
}

TEST_CASE("every reason for no route has a sentence in both languages") {
  for (auto reason : {NoRouteReason::UnknownDestination, NoRouteReason::NoKiosk, NoRouteReason::NoDoors,
                      NoRouteReason::Unreachable, NoRouteReason::NoStepFreeWay}) {
    RouteResult failure;
    failure.reason = reason;
    std::string en = describe(failure, "en"), fr = describe(failure, "fr");
    CAPTURE(en);
    CAPTURE(fr);
    CHECK_FALSE(en.empty());
    CHECK_FALSE(fr.empty());
    CHECK(en != fr);
    CHECK(describe(failure, "de") == en);  // any other language: English
  }
  RouteResult found;
  found.route = Route{};
  CHECK(describe(found, "en").empty());
}

TEST_CASE("directions are deterministic") {
  Map m = make_map();
  auto a = sentences(directions(l_shaped_to_garonne(), m.venue, m.plan), m.venue, "fr");
  auto b = sentences(directions(l_shaped_to_garonne(), m.venue, m.plan), m.venue, "fr");
  CHECK(a == b);
}

// ---- Real routes on the sample campus ------------------------------------------------------------

#include "imdf/loader.hpp"
#include "wayfinding/nav_graph.hpp"

namespace {

struct Campus {
  kiosk::core::Venue venue;
  FloorPlan plan;
  NavGraph graph;
};

const Campus& campus() {
  static const Campus c = [] {
    auto loaded = kiosk::imdf::load(std::string(KIOSK_SOURCE_DIR) + "/config/campus");
    REQUIRE(loaded.venue);
    Campus out{*loaded.venue, {}, {}};
    out.plan = build_floor_plan(out.venue);
    out.graph = NavGraph::build(out.venue, out.plan);
    return out;
  }();
  return c;
}

std::uint32_t kiosk_named(const char* name) {
  const auto* k = campus().venue.find_kiosk(name);
  REQUIRE(k != nullptr);
  return static_cast<std::uint32_t>(k - campus().venue.kiosks.data());
}

std::uint32_t unit_named(const char* name) {
  const auto* u = campus().venue.find_unit(name);
  REQUIRE(u != nullptr);
  return static_cast<std::uint32_t>(u - campus().venue.units.data());
}

}  // namespace

TEST_CASE("campus routes from every panel to every named room start, change level and arrive") {
  const Campus& c = campus();
  int routes = 0;
  for (const char* from : {"Accueil", "Palier étage 1", "Palier étage 2"}) {
    for (std::uint32_t to = 0; to < c.venue.units.size(); ++to) {
      if (c.venue.units[to].name.empty() || !c.plan.units[to].walkable) continue;
      RouteResult result = c.graph.route(kiosk_named(from), to);
      if (!result.route) continue;
      const Route& route = *result.route;
      ++routes;
      auto steps = directions(route, c.venue, c.plan);
      auto en = sentences(steps, c.venue, "en");
      auto fr = sentences(steps, c.venue, "fr");
      INFO((std::string(from) + " -> " + c.venue.units[to].name.pick("fr") + "\n" + joined(en) + joined(fr)));
      REQUIRE(steps.size() >= 2);
      CHECK(steps.front().kind == Step::Kind::Start);
      CHECK(steps.back().kind == Step::Kind::Arrive);
      CHECK(steps.back().unit == to);
      CHECK(count_kind(steps, Step::Kind::Start) == 1);
      CHECK(count_kind(steps, Step::Kind::Arrive) == 1);
      // The sample campus has one relationship per ride, so one step per change.
      CHECK(count_kind(steps, Step::Kind::LevelChange) == static_cast<long>(route.changes.size()));
      if (!route.changes.empty()) {
        auto last = std::find_if(steps.rbegin(), steps.rend(), [](const Step& s) { return s.kind == Step::Kind::LevelChange; });
        CHECK(last->to_level == route.legs.back().level);
      }
      float walked = 0;
      for (const Step& s : steps) walked += s.distance_m;
      CHECK(walked <= route.distance_m + 1.f);
      for (std::size_t i = 0; i < steps.size(); ++i) {
        CHECK_FALSE(en[i].empty());
        CHECK_FALSE(fr[i].empty());
        CHECK(en[i].find("  ") == std::string::npos);
        CHECK(fr[i].find("  ") == std::string::npos);
      }
    }
  }
  CHECK(routes >= 3 * 40);
}

TEST_CASE("campus directions from the entrance name the side and count doors") {
  const Campus& c = campus();
  // The Capitole Room opens off the ground-floor corridor, west of the entrance hall, on its south
  // wall: out of the hall, left, and it is on the left, after one other door on that wall.
  RouteResult result = c.graph.route(kiosk_named("Accueil"), unit_named("Salle Capitole"));
  REQUIRE(result.route);
  auto steps = directions(*result.route, c.venue, c.plan);
  auto fr = sentences(steps, c.venue, "fr");
  INFO(joined(fr));
  REQUIRE(steps.size() == 3);
  CHECK(steps[1].turn == Turn::Left);
  CHECK(steps[1].unit == unit_named("Hall d'accueil"));
  CHECK(fr[1].rfind("Sortez du hall d'accueil, puis tournez à gauche", 0) == 0);
  CHECK(steps[2].side == Side::Left);
  CHECK(fr[2] == "La salle Capitole est la 2e porte sur votre gauche");

  // Upstairs from the floor 1 landing: one level change, by the lift (the landing faces it).
  result = c.graph.route(kiosk_named("Palier étage 1"), unit_named("Salle Pyrénées"));
  REQUIRE(result.route);
  steps = directions(*result.route, c.venue, c.plan);
  REQUIRE(count_kind(steps, Step::Kind::LevelChange) == 1);
  auto change = std::find_if(steps.begin(), steps.end(), [](const Step& s) { return s.kind == Step::Kind::LevelChange; });
  CHECK(describe(*change, c.venue, "en").find("to Floor 2") != std::string::npos);
  CHECK(describe(*change, c.venue, "fr").find("jusqu’à l’étage 2") != std::string::npos);
}
