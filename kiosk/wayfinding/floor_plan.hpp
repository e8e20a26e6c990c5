// The venue's geometry made ready to draw and to route on, computed once per map load (never per
// frame): every unit projected to metres and cut into triangles (concave rooms and holes included,
// through GEOS), a label point inside each unit, doors as segments, amenities and kiosks as points,
// and one bounding box per level. Arrays run parallel to the venue's, so index i here is index i
// there (levels: venue.levels, sorted by ordinal).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/venue.hpp"
#include "wayfinding/projection.hpp"

namespace kiosk::wayfinding {

inline constexpr std::uint32_t kNone = 0xffffffffu;

// A problem the map's geometry has, for `kiosk check` and the logs. Feature ids name the culprit.
struct MapProblem {
  enum class Severity { Warning, Error } severity = Severity::Warning;
  std::string feature_type;  // "unit", "opening", "relationship", "level", "kiosk", ...
  std::string feature_id;
  std::string message;       // what is wrong and what to do
};
std::string format(const MapProblem& problem);  // "warning: <message> [unit <id>]"

// Units people walk through or into. Structure, columns, shafts, voids, vegetation, ... are drawn
// but never routed through.
bool is_walkable_unit_category(std::string_view category);
// Vertical connectors and what a step-free route must avoid.
bool is_stairs_category(std::string_view category);     // "stairs", "steps"
bool is_elevator_category(std::string_view category);   // "elevator"
bool is_escalator_category(std::string_view category);  // "escalator"

struct PlanUnit {
  std::uint32_t level = kNone;  // index into FloorPlan::levels; kNone when its level is missing
  bool walkable = true;         // (next to `level`: 88 bytes a unit rather than 96)
  LocalShape shape;             // metres; rings closed
  std::vector<Vec2> triangles;  // three points per triangle, covering the shape exactly (holes left out)
  Box box;
  float area_m2 = 0;
  Vec2 label_point;             // inside the unit (not on a wall), where its name and icon go
  float label_radius = 0;       // radius of the largest circle around label_point inside the unit
};

struct PlanOpening {
  std::uint32_t level = kNone;
  Vec2 a, b;  // the doorway's two ends (first and last point of its line)
};

struct PlanPoint {
  std::uint32_t level = kNone;
  Vec2 point;
  bool located = false;  // false when the feature had no point and none could be derived
};

struct PlanLevel {
  Box box;                              // of its units (or its own outline when it has no units)
  LocalShape outline;                   // the level's own shape, when the export has one
  std::vector<std::uint32_t> units;     // indices into FloorPlan::units on this level
  std::vector<std::uint32_t> openings;  // indices into FloorPlan::openings
  std::vector<std::uint32_t> amenities;
  std::vector<std::uint32_t> kiosks;
};

struct FloorPlan {
  Projection projection;
  std::vector<PlanLevel> levels;       // parallel to venue.levels
  std::vector<PlanUnit> units;         // parallel to venue.units
  std::vector<PlanOpening> openings;   // parallel to venue.openings
  std::vector<PlanPoint> amenities;    // parallel to venue.amenities (point, else its unit's label point)
  std::vector<PlanPoint> kiosks;       // parallel to venue.kiosks (display point, else centroid)
  std::vector<PlanPoint> anchors;      // parallel to venue.anchors (point, else its unit's label point)
  std::vector<MapProblem> problems;    // invalid polygons, units without a level, ...

  std::uint32_t level_index(const std::string& level_id, const core::Venue& venue) const;
  std::size_t memory_bytes() const;    // approximate heap use, for the benchmarks
};

// Never throws; a broken feature gets a MapProblem and the rest still builds.
FloorPlan build_floor_plan(const core::Venue& venue);

}  // namespace kiosk::wayfinding
