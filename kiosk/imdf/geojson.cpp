#include "imdf/geojson.hpp"

#include <cmath>
#include <cstdio>

namespace kiosk::imdf::detail {

namespace {

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

const std::string& as_string(const json& value) { return value.get_ref<const std::string&>(); }

// `*value`, or a null value: never `value ? *value : json()`, which would copy `*value` (deeply,
// recursively: a stack overflow on hostile nesting).
const json& or_null(const json* value) {
  static const json kNull;
  return value ? *value : kNull;
}

bool same(core::LonLat a, core::LonLat b) { return a.lon == b.lon && a.lat == b.lat; }

bool read_position(const json& value, core::LonLat& out, std::string& why) {
  // `why` completes "the position ..." / "a position ...".
  if (!value.is_array() || value.size() < 2 || !value[0].is_number() || !value[1].is_number()) {
    why = "is " + describe_type(value) + ", not [longitude, latitude] numbers";
    return false;
  }
  const double lon = value[0].get<double>(), lat = value[1].get<double>();
  if (!std::isfinite(lon) || !std::isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    why = "[" + number(lon) + ", " + number(lat) +
          "] is not a WGS84 longitude/latitude in degrees (IMDF uses RFC 7946 coordinates; reproject the export)";
    return false;
  }
  out = {lon, lat};
  return true;
}

bool read_ring(const json& value, core::Ring& out, bool& closed_it, std::string& why) {
  closed_it = false;
  if (!value.is_array()) {
    why = "is " + describe_type(value) + ", not an array of positions";
    return false;
  }
  out.reserve(value.size() + 1);
  for (const json& position : value) {
    core::LonLat point;
    if (!read_position(position, point, why)) {
      why = "has a position that " + why;
      return false;
    }
    out.push_back(point);
  }
  if (!out.empty() && !same(out.front(), out.back())) {
    out.push_back(out.front());
    closed_it = true;
  }
  if (out.size() < 4) {
    why = "has " + std::to_string(value.size()) +
          " position(s); a ring needs at least 4 (3 corners and the first repeated)";
    return false;
  }
  return true;
}

struct ShapeIssues {
  int unclosed = 0;
  int dropped = 0;
  std::string first_drop;
};

// One Polygon's "coordinates"; `name` says which polygon, for messages ("polygon 2").
bool read_polygon(const json& value, const std::string& name, core::Polygon& out, ShapeIssues& issues,
                  std::string& why) {
  if (!value.is_array() || value.empty()) {
    why = name + " has no rings";
    return false;
  }
  for (std::size_t k = 0; k < value.size(); ++k) {
    core::Ring ring;
    bool closed_it = false;
    std::string ring_why;
    if (!read_ring(value[k], ring, closed_it, ring_why)) {
      if (k == 0) {
        why = "the outer ring of " + name + " " + ring_why;
        return false;
      }
      if (issues.dropped++ == 0) issues.first_drop = "hole " + std::to_string(k) + " of " + name + " " + ring_why;
      continue;
    }
    issues.unclosed += closed_it ? 1 : 0;
    out.rings.push_back(std::move(ring));
  }
  return true;
}

bool in_ring(const core::Ring& ring, core::LonLat p) {
  bool inside = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const core::LonLat a = ring[i], b = ring[j];
    if ((a.lat > p.lat) != (b.lat > p.lat) && p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon)
      inside = !inside;
  }
  return inside;
}

// The geometry's "type" as a string ("" when missing or not a string).
std::string geometry_type(const json& geometry) {
  const json* type = member(geometry, "type");
  return type && type->is_string() ? as_string(*type) : std::string();
}

}  // namespace

std::string describe_type(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::binary:
      return "binary data";
    case json::value_t::discarded:
      return "nothing";
    default:
      return "a number";
  }
}

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

const json& empty_object() {
  static const json kEmpty = json::object();
  return kEmpty;
}

std::optional<std::string> read_string(const json& props, const char* key, const FeatureContext& f) {
  const json* value = member(props, key);
  if (!value) return std::nullopt;
  if (value->is_string()) return as_string(*value);
  f.warn(std::string(key) + " is " + describe_type(*value) + ", not a string; it was ignored");
  return std::nullopt;
}

bool read_bool(const json& props, const char* key, bool fallback, const FeatureContext& f) {
  const json* value = member(props, key);
  if (!value) return fallback;
  if (value->is_boolean()) return value->get<bool>();
  f.warn(std::string(key) + " is " + describe_type(*value) + ", not true/false; read as " +
         (fallback ? "true" : "false"));
  return fallback;
}

std::vector<std::string> read_string_list(const json& props, const char* key, const FeatureContext& f) {
  std::vector<std::string> out;
  const json* value = member(props, key);
  if (!value) return out;
  if (value->is_string()) {
    f.warn(std::string(key) + " is a single string, not an array of strings; read as a list of one");
    out.push_back(as_string(*value));
  } else if (value->is_array()) {
    int ignored = 0;
    for (const json& item : *value) {
      if (item.is_string())
        out.push_back(as_string(item));
      else
        ++ignored;
    }
    if (ignored > 0)
      f.warn(std::string(key) + " holds " + std::to_string(ignored) +
             " value(s) that are not strings; they were ignored");
  } else {
    f.warn(std::string(key) + " is " + describe_type(*value) + ", not an array of strings; it was ignored");
  }
  return out;
}

core::Labels read_labels(const json& props, const char* key, const std::string& default_language,
                         const FeatureContext& f) {
  core::Labels labels;
  const json* value = member(props, key);
  if (!value) return labels;
  if (value->is_string()) {
    f.warn(std::string(key) + " is a plain string, not LABELS; read as language \"" + default_language +
           "\" — write it as {\"" + default_language + "\": \"...\"}");
    labels.set(default_language, as_string(*value));
  } else if (value->is_object()) {
    int ignored = 0;
    for (const auto& [language, text] : value->items()) {
      if (text.is_string())
        labels.set(language, as_string(text));
      else if (!text.is_null())
        ++ignored;
    }
    if (ignored > 0)
      f.warn(std::string(key) + " has " + std::to_string(ignored) +
             " language(s) whose text is not a string; they were ignored");
  } else {
    f.warn(std::string(key) + " is " + describe_type(*value) +
           ", not LABELS ({\"en\": \"...\", \"fr\": \"...\"}); it was ignored");
  }
  return labels;
}

std::optional<core::LonLat> read_display_point(const json& props, const FeatureContext& f) {
  const json* value = member(props, "display_point");
  if (!value) return std::nullopt;
  std::string why;
  auto point = read_point(value, why);
  if (!point) f.warn("display_point is unusable (" + why + "); it was ignored");
  return point;
}

std::optional<core::LonLat> read_point(const json* geometry, std::string& why) {
  if (!geometry) {
    why = "geometry is null";
    return std::nullopt;
  }
  const std::string type = geometry_type(*geometry);
  if (type != "Point") {
    why = type.empty() ? "it is not a GeoJSON geometry" : "it is a " + printable(type, 40) + ", not a Point";
    return std::nullopt;
  }
  const json* coordinates = member(*geometry, "coordinates");
  core::LonLat point;
  if (!read_position(or_null(coordinates), point, why)) {
    why = "the position " + why;
    return std::nullopt;
  }
  return point;
}

bool read_line(const json* geometry, core::LineString& out, std::string& why) {
  if (!geometry) {
    why = "geometry is null";
    return false;
  }
  const std::string type = geometry_type(*geometry);
  if (type != "LineString") {
    why = type.empty() ? "it is not a GeoJSON geometry" : "it is a " + printable(type, 40) + ", not a LineString";
    return false;
  }
  const json* coordinates = member(*geometry, "coordinates");
  if (!coordinates || !coordinates->is_array() || coordinates->size() < 2) {
    why = "a LineString needs at least 2 positions";
    return false;
  }
  out.reserve(coordinates->size());
  for (const json& position : *coordinates) {
    core::LonLat point;
    if (!read_position(position, point, why)) {
      why = "a position " + why;
      return false;
    }
    out.push_back(point);
  }
  return true;
}

bool read_polygonal(const json* geometry, const FeatureContext& f, core::MultiPolygon& out, std::string& why) {
  if (!geometry) {
    why = "geometry is null";
    return false;
  }
  const std::string type = geometry_type(*geometry);
  const json* coordinates = member(*geometry, "coordinates");
  ShapeIssues issues;
  if (type == "Polygon") {
    core::Polygon polygon;
    if (!read_polygon(or_null(coordinates), "the polygon", polygon, issues, why)) return false;
    out.push_back(std::move(polygon));
  } else if (type == "MultiPolygon") {
    if (!coordinates || !coordinates->is_array() || coordinates->empty()) {
      why = "the MultiPolygon has no polygons";
      return false;
    }
    for (std::size_t k = 0; k < coordinates->size(); ++k) {
      core::Polygon polygon;
      std::string polygon_why;
      if (!read_polygon((*coordinates)[k], "polygon " + std::to_string(k + 1), polygon, issues, polygon_why)) {
        if (issues.dropped++ == 0) issues.first_drop = polygon_why;
        continue;
      }
      out.push_back(std::move(polygon));
    }
    if (out.empty()) {
      why = "no polygon of the MultiPolygon is usable; " + issues.first_drop;
      return false;
    }
  } else {
    why = type.empty() ? "it is not a GeoJSON geometry"
                       : "it is a " + printable(type, 40) + ", not a Polygon or MultiPolygon";
    return false;
  }
  if (issues.unclosed > 0)
    f.warn(std::to_string(issues.unclosed) +
           " ring(s) of the geometry were not closed; they were closed by repeating "
           "their first position — close rings in the export (first position = last)");
  if (issues.dropped > 0)
    f.warn(std::to_string(issues.dropped) + " part(s) of the geometry were unusable and dropped (" + issues.first_drop +
           ")");
  return true;
}

bool contains(const core::MultiPolygon& shape, core::LonLat p) {
  for (const core::Polygon& polygon : shape) {
    if (polygon.rings.empty() || !in_ring(polygon.rings.front(), p)) continue;
    bool in_hole = false;
    for (std::size_t k = 1; k < polygon.rings.size() && !in_hole; ++k) in_hole = in_ring(polygon.rings[k], p);
    if (!in_hole) return true;
  }
  return false;
}

}  // namespace kiosk::imdf::detail
