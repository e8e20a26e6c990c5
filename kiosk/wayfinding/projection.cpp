#include "wayfinding/projection.hpp"

#include <algorithm>

#include "core/venue.hpp"

namespace kiosk::wayfinding {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kMetresPerDegree = 111320.0;  // mean, on the WGS84 ellipsoid's meridian
}  // namespace

void Box::add(Vec2 p) {
  min.x = std::min(min.x, p.x);
  min.y = std::min(min.y, p.y);
  max.x = std::max(max.x, p.x);
  max.y = std::max(max.y, p.y);
}

void Box::add(const Box& other) {
  if (other.empty()) return;
  add(other.min);
  add(other.max);
}

Projection::Projection(core::LonLat origin)
    : origin_(origin),
      metres_per_deg_lon_(kMetresPerDegree * std::cos(origin.lat * kPi / 180.0)),
      metres_per_deg_lat_(kMetresPerDegree) {}

Vec2 Projection::to_local(core::LonLat p) const {
  return {static_cast<float>((p.lon - origin_.lon) * metres_per_deg_lon_),
          static_cast<float>((p.lat - origin_.lat) * metres_per_deg_lat_)};
}

core::LonLat Projection::to_lonlat(Vec2 p) const {
  return {origin_.lon + p.x / metres_per_deg_lon_, origin_.lat + p.y / metres_per_deg_lat_};
}

LocalShape Projection::project(const core::MultiPolygon& shape) const {
  LocalShape out;
  out.reserve(shape.size());
  for (const auto& polygon : shape) {
    LocalPolygon local;
    local.rings.reserve(polygon.rings.size());
    for (const auto& ring : polygon.rings) {
      LocalRing r;
      r.reserve(ring.size());
      for (auto p : ring) r.push_back(to_local(p));
      local.rings.push_back(std::move(r));
    }
    out.push_back(std::move(local));
  }
  return out;
}

std::vector<Vec2> Projection::project(const core::LineString& line) const {
  std::vector<Vec2> out;
  out.reserve(line.size());
  for (auto p : line) out.push_back(to_local(p));
  return out;
}

Projection projection_for(const core::Venue& venue) {
  if (venue.display_point) return Projection(*venue.display_point);
  double min_lon = 1e9, min_lat = 1e9, max_lon = -1e9, max_lat = -1e9;
  auto take = [&](const core::MultiPolygon& shape) {
    for (const auto& polygon : shape)
      for (const auto& ring : polygon.rings)
        for (auto p : ring) {
          min_lon = std::min(min_lon, p.lon);
          max_lon = std::max(max_lon, p.lon);
          min_lat = std::min(min_lat, p.lat);
          max_lat = std::max(max_lat, p.lat);
        }
  };
  for (const auto& level : venue.levels) take(level.shape);
  if (min_lon > max_lon)
    for (const auto& unit : venue.units) take(unit.shape);
  if (min_lon > max_lon) return Projection(core::LonLat{0, 0});
  return Projection(core::LonLat{(min_lon + max_lon) / 2, (min_lat + max_lat) / 2});
}

}  // namespace kiosk::wayfinding
