// The indoor map, as loaded from IMDF (see ../shared/reference/IMDF-NOTES.md). Plain data: the
// loader fills it, `index()` builds the look-ups, and after that it is read-only and shared.
#pragma once
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/geometry.hpp"
#include "core/labels.hpp"

namespace kiosk::core {

struct FeatureRef {
  std::string id;
  std::string feature_type;
};

struct Level {
  std::string id;
  std::string category;
  int ordinal = 0;
  bool outdoor = false;
  Labels name;
  Labels short_name;
  std::optional<LonLat> display_point;
  MultiPolygon shape;
};

struct Unit {
  std::string id;
  std::string category;  // UNIT-CATEGORY as written in the file (unknown ones kept, with a warning)
  std::string level_id;
  std::string restriction;  // "", "employeesonly", "restricted"
  std::vector<std::string> accessibility;
  Labels name;
  Labels alt_name;
  std::optional<LonLat> display_point;
  MultiPolygon shape;
};

struct Opening {
  std::string id;
  std::string category;
  std::string level_id;
  std::vector<std::string> accessibility;
  std::vector<std::string> access_control;
  std::string door_type;
  bool door_automatic = false;
  Labels name;
  std::optional<LonLat> display_point;
  LineString line;
};

struct Relationship {
  std::string id;
  std::string category;   // elevator, escalator, stairs, ramp, traversal, ...
  std::string direction;  // "directed" or "undirected"
  std::optional<FeatureRef> origin;
  std::vector<FeatureRef> intermediary;
  std::optional<FeatureRef> destination;
};

struct Amenity {
  std::string id;
  std::string category;
  std::vector<std::string> unit_ids;
  std::vector<std::string> accessibility;
  Labels name;
  Labels alt_name;
  std::optional<LonLat> point;
};

struct Anchor {
  std::string id;
  std::string unit_id;
  std::optional<LonLat> point;
};

// A company or service on site; hangs off an anchor, which sits in a unit.
struct Occupant {
  std::string id;
  std::string category;
  std::string anchor_id;
  Labels name;
  Labels alt_name;
  std::string phone;
  std::string website;
};

// Where a panel stands (IMDF models the furniture; its display point is "you are here").
struct Kiosk {
  std::string id;
  std::string level_id;
  std::string anchor_id;
  Labels name;
  Labels alt_name;
  std::optional<LonLat> display_point;
  MultiPolygon shape;
};

struct Venue {
  std::string id;
  std::string category;
  std::string language;  // manifest's default language, e.g. "fr-FR"
  Labels name;
  std::optional<LonLat> display_point;
  MultiPolygon shape;

  std::vector<Level> levels;  // sorted by ordinal after index()
  std::vector<Unit> units;
  std::vector<Opening> openings;
  std::vector<Relationship> relationships;
  std::vector<Amenity> amenities;
  std::vector<Anchor> anchors;
  std::vector<Occupant> occupants;
  std::vector<Kiosk> kiosks;

  // Sorts levels by ordinal and builds the id look-ups below. Call once after filling.
  void index();

  const Level* level(const std::string& id) const;
  const Unit* unit(const std::string& id) const;
  const Anchor* anchor(const std::string& id) const;
  const Kiosk* kiosk(const std::string& id) const;
  // The unit an occupant sits in (through its anchor), or nullptr.
  const Unit* unit_of(const Occupant& occupant) const;
  // A unit by id, or by name / alt name in any language (accents and case ignored); nullptr if
  // none or if the name is ambiguous.
  const Unit* find_unit(std::string_view id_or_name) const;
  // A kiosk by id or name, same rules.
  const Kiosk* find_kiosk(std::string_view id_or_name) const;

 private:
  std::unordered_map<std::string, std::size_t> level_by_id_, unit_by_id_, anchor_by_id_, kiosk_by_id_;
  std::unordered_map<std::string, std::vector<std::size_t>> unit_by_name_, kiosk_by_name_;
};

}  // namespace kiosk::core
