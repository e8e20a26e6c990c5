// The indoor map, as loaded from IMDF (see ../shared/reference/IMDF-NOTES.md). Plain data: the
// loader fills it, `index()` builds the look-ups, and after that it is read-only and shared.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

struct NameKey {  // a folded name's hash and the position of a feature that has it (look-ups)
  std::uint32_t hash;
  std::uint32_t index;
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
  // The look-ups, as sorted arrays rather than hash maps (on a 10,000-room map the maps cost ~4 MB
  // and tens of thousands of small blocks): positions sorted by id (equal ids keep file order, so the
  // first one wins), and (hash of a folded name, position) pairs sorted by hash. A name hit is checked
  // against the feature's names again, so a hash collision never returns the wrong feature.
  std::vector<std::uint32_t> level_by_id_, unit_by_id_, anchor_by_id_, kiosk_by_id_;
  std::vector<NameKey> unit_by_name_, kiosk_by_name_;

  template <typename T>
  friend struct VenueLookup;
  friend struct VenueNames;
};

// What stays of a venue once its floor plan and navigation graph are built, for the screens, the
// directions and `kiosk route` (app::Wayfinder keeps one): ids, names and categories, the units of
// the amenities and the unit of each company. No geometry, doors or relationships, and none of what
// only the build reads (levels by id, display points, restrictions, anchors): on an 11,000-room map
// a Unit here is 80 bytes where a core::Unit is 216. Arrays run parallel to the venue's (levels
// sorted by ordinal), so an index into one is an index into the other. Read-only once made.
struct VenueNames {
  static constexpr std::uint32_t kNoUnit = 0xffffffffu;
  struct Level {
    std::string id;
    int ordinal = 0;
    Labels name;
    Labels short_name;
  };
  struct Unit {
    std::string id;
    std::string category;
    Labels name;
    Labels alt_name;
  };
  struct Kiosk {
    std::string id;
    Labels name;
    Labels alt_name;
  };
  struct Amenity {
    std::string category;
    std::vector<std::string> unit_ids;
    Labels name;
    Labels alt_name;
  };
  struct Occupant {
    std::string category;
    Labels name;
    Labels alt_name;
    std::uint32_t unit = kNoUnit;  // the unit it sits in (through its anchor), or kNoUnit
  };

  std::string id;
  std::string language;
  Labels name;
  std::vector<Level> levels;
  std::vector<Unit> units;
  std::vector<Kiosk> kiosks;
  std::vector<Amenity> amenities;
  std::vector<Occupant> occupants;

  // From an indexed venue. Every name goes through `names` when given (see LabelsPool).
  static VenueNames of(const Venue& venue, LabelsPool* names = nullptr);
  // Every name interned again in `names` (a copy made on another thread gets blocks of its own).
  void intern_names(LabelsPool& names);

  // The same look-ups as the venue's (same rules: first id wins, a name must be unambiguous).
  const Unit* unit(std::string_view id) const;
  const Unit* find_unit(std::string_view id_or_name) const;
  const Unit* unit_of(const Occupant& occupant) const {
    return occupant.unit < units.size() ? &units[occupant.unit] : nullptr;
  }

 private:
  std::vector<std::uint32_t> unit_by_id_;
  std::vector<NameKey> unit_by_name_;

  template <typename T>
  friend struct VenueLookup;
};

}  // namespace kiosk::core
