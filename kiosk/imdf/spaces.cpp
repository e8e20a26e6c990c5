// VenueBuilder: unit, opening and kiosk features (the ones that stand on a level).
#include "imdf/categories.hpp"
#include "imdf/geojson.hpp"
#include "imdf/venue_builder.hpp"

namespace kiosk::imdf::detail {

void VenueBuilder::read_unit(const FeatureContext& f, const json& props, const json* geometry) {
  core::Unit unit;
  unit.id = f.id;
  std::string problem;
  unit.level_id = reference(props, "level_id", "level", problem);
  if (unit.level_id.empty()) {
    f.error((problem.empty() ? std::string("unit has no level_id") : "unit " + problem) +
            "; it was skipped — set level_id to one of the level ids");
    refuse(f);
    return;
  }
  std::string why;
  if (!read_polygonal(geometry, f, unit.shape, why)) {
    f.error("unit geometry is unusable (" + why +
            "); the unit was skipped — give it a Polygon or MultiPolygon in longitude/latitude");
    refuse(f);
    return;
  }
  if (auto category = read_string(props, "category", f)) {
    if (!is_unit_category(*category))
      f.warn("unit category " + quote(*category) +
             " is not an IMDF unit category; kept as written — use one of UNIT-CATEGORY (room, office, "
             "conferenceroom, restroom, ...)");
    unit.category = std::move(*category);
  } else {
    f.warn("unit has no category; read as \"unspecified\"");
    unit.category = "unspecified";
  }
  if (auto restriction = read_string(props, "restriction", f)) {
    if (*restriction != "employeesonly" && *restriction != "restricted")
      f.warn("unit restriction " + quote(*restriction) +
             " is not \"employeesonly\" or \"restricted\"; kept as written");
    unit.restriction = std::move(*restriction);
  }
  unit.accessibility = read_string_list(props, "accessibility", f);
  unit.name = read_labels(props, "name", language_, f);
  unit.alt_name = read_labels(props, "alt_name", language_, f);
  unit.display_point = read_display_point(props, f);
  check_inside(f, unit.display_point, unit.shape);
  accept(f);
  venue_.units.push_back(std::move(unit));
}

void VenueBuilder::read_opening(const FeatureContext& f, const json& props, const json* geometry) {
  core::Opening opening;
  opening.id = f.id;
  std::string problem;
  opening.level_id = reference(props, "level_id", "level", problem);
  if (opening.level_id.empty()) {
    f.warn((problem.empty() ? std::string("opening has no level_id") : "opening " + problem) +
           "; it was skipped — set level_id to one of the level ids");
    refuse(f);
    return;
  }
  std::string why;
  if (!read_line(geometry, opening.line, why)) {
    f.error("opening geometry is unusable (" + why +
            "); the opening was skipped — an opening is a LineString across the doorway");
    refuse(f);
    return;
  }
  if (auto category = read_string(props, "category", f)) {
    if (!is_opening_category(*category))
      f.warn("opening category " + quote(*category) + " is not an IMDF opening category; kept as written");
    opening.category = std::move(*category);
  } else {
    f.warn("opening has no category; read as \"pedestrian\"");
    opening.category = "pedestrian";
  }
  opening.accessibility = read_string_list(props, "accessibility", f);
  opening.access_control = read_string_list(props, "access_control", f);
  if (const json* door = member(props, "door")) {
    if (door->is_object()) {
      if (auto type = read_string(*door, "type", f)) opening.door_type = std::move(*type);
      opening.door_automatic = read_bool(*door, "automatic", false, f);
    } else {
      f.warn("door is " + describe_type(*door) + ", not an object {type, automatic, material}; it was ignored");
    }
  }
  opening.name = read_labels(props, "name", language_, f);
  opening.display_point = read_display_point(props, f);
  accept(f);
  venue_.openings.push_back(std::move(opening));
}

void VenueBuilder::read_kiosk(const FeatureContext& f, const json& props, const json* geometry) {
  core::Kiosk kiosk;
  kiosk.id = f.id;
  std::string problem;
  kiosk.level_id = reference(props, "level_id", "level", problem);
  if (kiosk.level_id.empty()) {
    f.error((problem.empty() ? std::string("kiosk has no level_id") : "kiosk " + problem) +
            "; it was skipped — set level_id to the level the panel stands on");
    refuse(f);
    return;
  }
  kiosk.display_point = read_display_point(props, f);
  std::string why;
  if (!read_polygonal(geometry, f, kiosk.shape, why)) {
    kiosk.shape.clear();
    if (!kiosk.display_point) {
      f.error("kiosk geometry is unusable (" + why +
              ") and it has no display_point, so it has no position; it was skipped — give it a Polygon");
      refuse(f);
      return;
    }
    f.warn("kiosk geometry is unusable (" + why + "); the kiosk was kept at its display_point");
  }
  kiosk.anchor_id = reference(props, "anchor_id", "anchor", problem);
  if (!problem.empty()) f.warn("kiosk " + problem + "; the anchor was ignored");
  kiosk.name = read_labels(props, "name", language_, f);
  kiosk.alt_name = read_labels(props, "alt_name", language_, f);
  check_inside(f, kiosk.display_point, kiosk.shape);
  accept(f);
  venue_.kiosks.push_back(std::move(kiosk));
}

}  // namespace kiosk::imdf::detail
