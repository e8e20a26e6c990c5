// The map side of a panel: the venue's names and categories (core::VenueNames: no outlines, the plan
// holds them projected), the floor plan and navigation graph, where this panel stands and which way
// it faces, walking times from here to every unit, and the places of the directory. Built once per map load, on the loader
// thread (never in a frame), then shared read-only by the screens and `kiosk route`.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/venue.hpp"
#include "wayfinding/floor_plan.hpp"
#include "wayfinding/nav_graph.hpp"

namespace kiosk::app {

// One line of the directory: a company, a named room or a service, and the unit a route leads to.
struct Place {
  enum class Group : unsigned char { Company, Room, Service };
  core::Labels name;
  std::string category;    // occupant or unit or amenity category, for the icon
  // Folded names in every language, for the search to come: a view into Wayfinder::place_keys (one
  // buffer for all), valid while a Wayfinder holding that buffer lives.
  std::string_view search_key;
  std::uint32_t unit = wayfinding::kNone;
  Group group = Group::Room;  // (last: 64 bytes a place rather than 88)
};

struct Wayfinder {
  core::VenueNames venue;
  wayfinding::FloorPlan plan;
  wayfinding::NavGraph graph;
  wayfinding::RouteCosts costs;
  std::uint32_t kiosk = wayfinding::kNone;  // index into venue.kiosks
  std::uint32_t kiosk_level = wayfinding::kNone;
  double heading_deg = 0;                   // the direction the viewer faces: up on the map
  bool step_free_default = false;
  std::string url_template;
  std::vector<float> walk_s;                // per unit, seconds from this panel; +inf if unreachable
  std::vector<Place> places;                // the directory, unsorted (each screen sorts per language)
  std::shared_ptr<const std::string> place_keys;  // what the places' search keys view (copies share it)
  std::vector<wayfinding::MapProblem> problems;

  // A unit by id or name, or a company (occupant) by name: the unit a route should end in.
  std::optional<std::uint32_t> find_destination(std::string_view query) const;
  std::uint32_t unit_index(std::string_view unit_id) const;  // kNone if not a unit
  wayfinding::RouteResult route_to(std::uint32_t unit, bool step_free) const;
  // The QR code's address, or "" when the config has no route_url.
  std::string route_url(std::uint32_t unit, bool step_free, std::string_view language) const;
};

// `kiosk` is where the panel stands (from the model), nullptr if the config's kiosk is not on the map.
// `names`: where the kept names are interned (load_setup shares one with the model); a pool of its own
// when null.
std::shared_ptr<const Wayfinder> build_wayfinder(const config::PanelConfig& config, const core::Venue& venue,
                                                 const core::Kiosk* kiosk, core::LabelsPool* names = nullptr);

}  // namespace kiosk::app
