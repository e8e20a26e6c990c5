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
// Where a landmark stands, seen from the walk coming into the step: passed already ("after the
// lift"), beside it ("at"), straight ahead ("opposite"), or ahead to one side ("before").
enum class Relation : unsigned char { At, After, Before, Facing };

struct Step {
  enum class Kind : unsigned char { Start, Turn, LevelChange, Arrive } kind = Kind::Start;
  std::uint32_t level = 0;          // index into FloorPlan::levels where the step happens
  Vec2 at;                          // where (metres), for highlighting on the map
  float distance_m = 0;             // walked from the previous step to here
  Turn turn = Turn::Straight;       // Turn
  Side side = Side::Ahead;          // Arrive: where the destination is
  Connector via = Connector::Stairs;  // LevelChange
  std::uint32_t to_level = 0;       // LevelChange
  // A named unit or an amenity near the step, or kNone. Start: what the first stretch heads for;
  // LevelChange: the lift or stairwell taken.
  std::uint32_t landmark_unit = kNone;
  std::uint32_t landmark_amenity = kNone;
  Relation landmark_at = Relation::At;     // Turn: where the landmark is, seen from the walk
  std::uint32_t unit = kNone;       // Start: the unit the walk starts in; Turn: the unit its door leaves
                                    // (kNone if unknown); Arrive: the destination
  std::uint32_t opening = kNone;    // Turn: a door passed at the turn; Arrive: the destination's door
  bool door_after = false;          // Turn: that door comes just after the turn, not just before it
  std::uint8_t door_number = 0;     // Arrive: the destination's door is the n-th on that side; 0: not counted
  bool already_there = false;       // Arrive: the walk starts inside the destination
};

// Start first, Arrive last; one LevelChange per ride (a lift or stairwell kept across several floors
// is one ride).
//
// Decisions, tuned on the sample campus (corridors 2.4 m wide, doors 0.9 m):
// - Each leg's polyline is simplified: Douglas–Peucker at 0.5 m, then any segment shorter than 1.5 m
//   is folded away (a door approached square-on or a jog around a column is not a turn).
// - Turn angle between the simplified segments in and out of a corner: |a| < 25° straight, < 60°
//   slight, < 135° left/right, < 170° sharp, else a U-turn.
// - Doors are located where the walk crosses them. A door within 2.5 m of a turn belongs to it ("go
//   through the door, then turn left"); a door on a straight stretch is a step of its own. A straight
//   corner is a step only after 30 m without one, and only if a landmark makes it worth saying.
// - Landmarks: an amenity with a plain category word within 5 m (people know "the toilets" without
//   reading a sign), else the nearest named unit within 6 m of the step (its boundary or its label
//   point), else a named amenity within 5 m. Never a corridor, nor a unit the route walks through
//   (nobody turns "after" the room they stand in). Seen from the walk coming in: more than 1.5 m
//   behind is "after" (if the walk since the last step went past it; else no landmark), within
//   1.5 m "at", ahead within 45° "opposite", ahead to a side "before".
// - Arrival: where the walk enters the destination (its door when the last door passed is on its
//   boundary), the side of that door seen from the walk before it; a corner less than 4 m before
//   the door is the step towards it, so the walk before that corner counts (and that corner makes
//   no step of its own; the same holds for the door of a lift or stairwell). Within 45° of straight
//   on is "ahead". Doors are counted ("3rd door on your left") only when the last stretch runs along
//   the door's wall and every door on that wall is clearly apart (0.8 m) from the target and from
//   where counting starts (1.5 m); doors the walk came through are not counted; at most 5.
// - Consecutive level changes by the same connector, with nothing but the connector in between, are
//   one ride: "take the lift to Floor 2", not two steps through Floor 1.
std::vector<Step> directions(const Route& route, const core::VenueNames& venue, const FloorPlan& plan);
std::vector<Step> directions(const Route& route, const core::Venue& venue, const FloorPlan& plan);  // same

// Whether an amenity category has a plain word in the sentences ("the toilets", "l’ascenseur"), which
// makes it a landmark people recognise without reading a sign.
bool is_landmark_amenity_category(std::string_view category);

// One sentence for a step in "fr" or "en" (any other language: English), e.g.
// "Turn left after Salle Garonne" / "Tournez à gauche après la salle Garonne".
std::string describe(const Step& step, const core::VenueNames& venue, std::string_view language);
std::string describe(const Step& step, const core::Venue& venue, std::string_view language);  // same
// "120 m · 2 min" — total distance and walking time, in the panel's language.
std::string describe_totals(const Route& route, std::string_view language);
// Why there is no route, for the screen, in the panel's language (empty when there is a route).
std::string describe(const RouteResult& failure, std::string_view language);

}  // namespace kiosk::wayfinding
