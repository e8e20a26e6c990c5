// VenueBuilder: collections, features, ids and references; venue and level features.
// Units, openings and kiosks are in spaces.cpp; amenities, anchors, occupants and relationships
// in links.cpp.
#include "imdf/venue_builder.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "imdf/categories.hpp"
#include "imdf/geojson.hpp"

namespace kiosk::imdf::detail {

namespace {
constexpr auto kError = Diagnostic::Severity::Error;
}

VenueBuilder::VenueBuilder(std::string language) : language_(std::move(language)) {}

void VenueBuilder::read_collection(const json& root, std::string_view type, Report& report) {
  const std::string skipped = "; the " + std::string(type) + " features were skipped";
  if (!root.is_object()) {
    report.add(kError, "the file holds " + describe_type(root) + ", not a GeoJSON FeatureCollection" + skipped +
                           " — write {\"type\": \"FeatureCollection\", \"features\": [...]}");
    return;
  }
  const json* kind = member(root, "type");
  if (!kind || !kind->is_string() || kind->get_ref<const std::string&>() != "FeatureCollection") {
    const bool single = kind && kind->is_string() && kind->get_ref<const std::string&>() == "Feature";
    report.add(kError, std::string(single ? "the file holds a single Feature"
                                          : "the top-level \"type\" is not \"FeatureCollection\"") +
                           skipped + " — write {\"type\": \"FeatureCollection\", \"features\": [...]}");
    return;
  }
  const json* features = member(root, "features");
  if (!features || !features->is_array()) {
    report.add(kError, "the FeatureCollection has no \"features\" array" + skipped);
    return;
  }
  for (std::size_t i = 0; i < features->size(); ++i) read_feature((*features)[i], static_cast<int>(i), type, report);
}

void VenueBuilder::read_feature(const json& feature, int index, std::string_view type, Report& report) {
  FeatureContext f{report, index, {}, type};
  const std::string kind(type);
  if (!feature.is_object()) {
    f.error("this element of \"features\" is " + describe_type(feature) + ", not a GeoJSON Feature; it was skipped");
    return;
  }
  const json* id = member(feature, "id");
  if (!id || !id->is_string() || id->get_ref<const std::string&>().empty()) {
    f.error(kind + " has " +
            (id && !id->is_string() ? "an id that is " + describe_type(*id) + ", not a string" : "no id") +
            "; it was skipped — give every feature a unique UUID string \"id\"");
    return;
  }
  f.id = id->get_ref<const std::string&>();
  if (auto it = ids_.find(f.id); it != ids_.end()) {
    f.error("duplicate id: a " + std::string(it->second) + " already has it (the first one was kept); this " + kind +
            " was skipped — give every feature its own id");
    return;
  }
  const json* feature_type = member(feature, "feature_type");
  if (!feature_type) {
    f.warn(kind + " has no feature_type; read as a " + kind + " (from the file name) — add \"feature_type\": \"" +
           kind + "\"");
  } else if (!feature_type->is_string() || feature_type->get_ref<const std::string&>() != type) {
    const std::string written =
        feature_type->is_string() ? quote(feature_type->get_ref<const std::string&>()) : describe_type(*feature_type);
    f.warn("feature_type is " + written + " but the feature is in the " + kind + " file; read as a " + kind);
  }
  const json* props = member(feature, "properties");
  if (props && !props->is_object()) {
    f.warn("properties is " + describe_type(*props) + ", not an object; it was ignored");
    props = nullptr;
  }
  const json& p = props ? *props : empty_object();
  const json* geometry = member(feature, "geometry");

  if (type == "venue")
    read_venue(f, p, geometry);
  else if (type == "level")
    read_level(f, p, geometry);
  else if (type == "unit")
    read_unit(f, p, geometry);
  else if (type == "opening")
    read_opening(f, p, geometry);
  else if (type == "amenity")
    read_amenity(f, p, geometry);
  else if (type == "anchor")
    read_anchor(f, p, geometry);
  else if (type == "occupant")
    read_occupant(f, p);
  else if (type == "kiosk")
    read_kiosk(f, p, geometry);
  else if (type == "relationship")
    read_relationship(f, p);
}

void VenueBuilder::accept(const FeatureContext& f) {
  // The type strings live in kFeatureTypes, so the views stay valid.
  for (std::string_view type : kFeatureTypes)
    if (type == f.type) ids_.emplace(f.id, type);
}

bool VenueBuilder::is(const std::string& id, std::string_view type) const {
  auto it = ids_.find(id);
  return it != ids_.end() && it->second == type;
}

std::string VenueBuilder::why_not(const std::string& id, std::string_view type) const {
  if (auto it = ids_.find(id); it != ids_.end())
    return "is a " + std::string(it->second) + ", not a " + std::string(type);
  if (refused_.contains(id)) return "names a " + std::string(type) + " that was skipped (see the error about it)";
  return "matches no " + std::string(type) + " in this map";
}

std::string VenueBuilder::reference(const json& props, const char* key, std::string_view type,
                                    std::string& problem) const {
  problem.clear();
  const json* value = member(props, key);
  if (!value) return {};
  if (!value->is_string()) {
    problem = std::string(key) + " is " + describe_type(*value) + ", not an id";
    return {};
  }
  const std::string& id = value->get_ref<const std::string&>();
  if (is(id, type)) return id;
  problem = std::string(key) + " " + quote(id) + " " + why_not(id, type);
  return {};
}

void VenueBuilder::check_inside(const FeatureContext& f, const std::optional<core::LonLat>& point,
                                const core::MultiPolygon& shape) {
  if (point && !shape.empty() && !contains(shape, *point))
    f.warn("display_point lies outside the " + std::string(f.type) +
           "'s shape; labels and markers placed there would be wrong — move it inside");
}

void VenueBuilder::read_venue(const FeatureContext& f, const json& props, const json* geometry) {
  if (venue_read_) {
    f.warn("a second venue feature; only the first one is used — an IMDF map describes one venue");
    return;
  }
  venue_read_ = true;
  core::Venue& v = venue_;
  v.id = f.id;
  if (auto category = read_string(props, "category", f)) {
    if (!is_venue_category(*category))
      f.warn("venue category " + quote(*category) + " is not an IMDF venue category; kept as written");
    v.category = std::move(*category);
  }
  v.name = read_labels(props, "name", language_, f);
  v.display_point = read_display_point(props, f);
  std::string why;
  if (!read_polygonal(geometry, f, v.shape, why)) {
    v.shape.clear();
    f.warn("venue geometry is unusable (" + why + "); the venue has no outline — give it a Polygon or MultiPolygon");
  }
  check_inside(f, v.display_point, v.shape);
  accept(f);
}

namespace {

// IMDF ordinals are integers; 2.0 and "2" are read with a warning. nullopt when not an integer.
std::optional<int> read_ordinal(const nlohmann::json& value, const FeatureContext& f) {
  constexpr double kLimit = 1000;  // no building has a thousand floors; beyond is a broken value
  double number = std::numeric_limits<double>::quiet_NaN();
  if (value.is_number_integer() || value.is_number_float()) {
    number = value.get<double>();
    if (value.is_number_float() && number == std::floor(number) && std::abs(number) <= kLimit)
      f.warn("ordinal is written as a decimal number; read as " + std::to_string(static_cast<int>(number)) +
             " — write it as an integer");
  } else if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    int parsed = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (ec == std::errc() && end == text.data() + text.size()) {
      number = parsed;
      f.warn("ordinal is a string; read as " + std::to_string(parsed) + " — write it as an integer");
    }
  }
  if (!(number == std::floor(number)) || std::abs(number) > kLimit) return std::nullopt;
  return static_cast<int>(number);
}

}  // namespace

void VenueBuilder::read_level(const FeatureContext& f, const json& props, const json* geometry) {
  core::Level level;
  level.id = f.id;
  const json* ordinal = member(props, "ordinal");
  std::optional<int> value = ordinal ? read_ordinal(*ordinal, f) : std::nullopt;
  if (!value) {
    f.error(std::string(ordinal ? "level ordinal is not an integer from -1000 to 1000" : "level has no ordinal") +
            "; the level was skipped — set ordinal to an integer (0 = ground floor, negative below)");
    refuse(f);
    return;
  }
  level.ordinal = *value;
  if (auto category = read_string(props, "category", f)) {
    if (!is_level_category(*category))
      f.warn("level category " + quote(*category) + " is not an IMDF level category; kept as written");
    level.category = std::move(*category);
  } else {
    f.warn("level has no category; read as \"unspecified\"");
    level.category = "unspecified";
  }
  level.outdoor = read_bool(props, "outdoor", false, f);
  level.name = read_labels(props, "name", language_, f);
  level.short_name = read_labels(props, "short_name", language_, f);
  level.display_point = read_display_point(props, f);
  std::string why;
  if (!read_polygonal(geometry, f, level.shape, why)) {
    level.shape.clear();
    f.warn("level geometry is unusable (" + why + "); the level was kept without an outline");
  }
  check_inside(f, level.display_point, level.shape);
  accept(f);
  venue_.levels.push_back(std::move(level));
}

}  // namespace kiosk::imdf::detail
