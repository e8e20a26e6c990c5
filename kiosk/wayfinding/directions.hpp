// Directions people can follow, from a Route: turns taken from the geometry (left / right / straight
// on), with a landmark where one is near (a named unit or an amenity), level changes ("take the lift
// to floor 2"), and the arrival ("the room is on your left"); in French and English.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/venue.hpp"
#include "wayfinding/floor_plan.hpp"
#include "wayfinding/route.hpp"

namespace kiosk::wayfinding {

enum class Turn : unsigned char { Straight, SlightLeft, Left, SharpLeft, SlightRight, Right, SharpRight, UTurn };
enum class Side : unsigned char { Ahead, Left, Right };

struct Step {
  enum class Kind : unsigned char { Start, Turn, LevelChange, Arrive } kind = Kind::Start;
  std::uint32_t level = 0;          // index into FloorPlan::levels where the step happens
  Vec2 at;                          // where (metres), for highlighting on the map
  float distance_m = 0;             // walked from the previous step to here
  Turn turn = Turn::Straight;       // Turn
  Side side = Side::Ahead;          // Arrive: where the destination is
  Connector via = Connector::Stairs;  // LevelChange
  std::uint32_t to_level = 0;       // LevelChange
  std::uint32_t landmark_unit = kNone;     // a named unit near the step, or kNone
  std::uint32_t landmark_amenity = kNone;  // an amenity near the step, or kNone
  std::uint32_t unit = kNone;       // Start: the unit the walk starts in; Arrive: the destination
};

std::vector<Step> directions(const Route& route, const core::Venue& venue, const FloorPlan& plan);

// One sentence for a step in "fr" or "en" (any other language: English), e.g.
// "Turn left after Salle Garonne" / "Tournez à gauche après la salle Garonne".
std::string describe(const Step& step, const core::Venue& venue, std::string_view language);
// "120 m · 2 min" — total distance and walking time, in the panel's language.
std::string describe_totals(const Route& route, std::string_view language);
// Why there is no route, for the screen, in the panel's language.
std::string describe(const RouteResult& failure, std::string_view language);

}  // namespace kiosk::wayfinding
