// Reading GeoJSON geometry and IMDF property values out of nlohmann::json, defensively: every
// accessor checks the JSON type first, nothing throws, nothing recurses. Problems that the value
// survives become warnings on the feature; problems that make it unusable are returned as a
// reason (`why`) so that the caller decides between skipping the feature and keeping it.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "core/labels.hpp"
#include "imdf/report.hpp"

namespace kiosk::imdf::detail {

using nlohmann::json;

// The member `key` of `object`; nullptr when `object` is not an object, or the member is absent or
// null (IMDF's "null or X" properties and absent ones are read alike).
const json* member(const json& object, const char* key);
const json& empty_object();

// A string property; nullopt when absent or null, and a warning when it is another JSON type.
std::optional<std::string> read_string(const json& props, const char* key, const FeatureContext& f);
// A boolean property; `fallback` when absent or null, and a warning when it is another type.
bool read_bool(const json& props, const char* key, bool fallback, const FeatureContext& f);
// An array of strings; a lone string is accepted with a warning, other values are warned about.
std::vector<std::string> read_string_list(const json& props, const char* key, const FeatureContext& f);
// LABELS: {"en": "...", "fr": "..."}; a plain string is read as `default_language`, with a warning.
core::Labels read_labels(const json& props, const char* key, const std::string& default_language,
                         const FeatureContext& f);
// The "display_point" property (a GeoJSON Point or null); a warning when present but unusable.
std::optional<core::LonLat> read_display_point(const json& props, const FeatureContext& f);

// Geometry. `geometry` is the feature's "geometry" member (nullptr when null or absent).
std::optional<core::LonLat> read_point(const json* geometry, std::string& why);
bool read_line(const json* geometry, core::LineString& out, std::string& why);
// Polygon or MultiPolygon. Unclosed rings are closed and unusable holes or (in a MultiPolygon)
// unusable polygons are dropped, with warnings on `f`; false with `why` when nothing usable is left.
bool read_polygonal(const json* geometry, const FeatureContext& f, core::MultiPolygon& out, std::string& why);

// Whether `p` lies inside `shape` (inside an outer ring and outside its holes).
bool contains(const core::MultiPolygon& shape, core::LonLat p);

// "a number", "an array", ...: the JSON type of `value`, for messages.
std::string describe_type(const json& value);

}  // namespace kiosk::imdf::detail
