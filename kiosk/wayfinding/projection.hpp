// Lon/lat (WGS84, as IMDF writes it) to local metres and back: an equirectangular projection around
// the venue's centre. Over a campus (a few km) its error is far below a door's width, and it keeps
// distances and angles honest, which is all routing and drawing need.
#pragma once
#include <cmath>
#include <vector>

#include "core/geometry.hpp"

namespace kiosk::core {
struct Venue;
}

namespace kiosk::wayfinding {

// Metres east (x) and north (y) of the projection's origin. Float: a campus fits in ±10 km, where a
// float still resolves a millimetre, and the plan's memory halves.
struct Vec2 {
  float x = 0, y = 0;
  friend Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
  friend Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
  friend Vec2 operator*(Vec2 a, float k) { return {a.x * k, a.y * k}; }
  friend bool operator==(Vec2 a, Vec2 b) { return a.x == b.x && a.y == b.y; }
};
inline float dot(Vec2 a, Vec2 b) { return a.x * b.x + a.y * b.y; }
inline float cross(Vec2 a, Vec2 b) { return a.x * b.y - a.y * b.x; }
inline float length(Vec2 a) { return std::hypot(a.x, a.y); }
inline float distance(Vec2 a, Vec2 b) { return length(b - a); }

struct Box {
  Vec2 min{INFINITY, INFINITY}, max{-INFINITY, -INFINITY};
  void add(Vec2 p);
  void add(const Box& other);
  bool empty() const { return min.x > max.x; }
  bool contains(Vec2 p) const { return p.x >= min.x && p.x <= max.x && p.y >= min.y && p.y <= max.y; }
  Vec2 centre() const { return {(min.x + max.x) / 2, (min.y + max.y) / 2}; }
};

using LocalRing = std::vector<Vec2>;  // closed like GeoJSON: first point repeated last
struct LocalPolygon {
  std::vector<LocalRing> rings;  // [0] outer, the rest holes
};
using LocalShape = std::vector<LocalPolygon>;

class Projection {
 public:
  Projection() = default;
  explicit Projection(core::LonLat origin);

  Vec2 to_local(core::LonLat p) const;
  core::LonLat to_lonlat(Vec2 p) const;
  LocalShape project(const core::MultiPolygon& shape) const;
  std::vector<Vec2> project(const core::LineString& line) const;
  core::LonLat origin() const { return origin_; }

 private:
  core::LonLat origin_;
  double metres_per_deg_lon_ = 111320.0, metres_per_deg_lat_ = 111320.0;
};

// The projection a venue's plan uses: centred on the venue's display point, or on the middle of
// every level's outline, or of every unit.
Projection projection_for(const core::Venue& venue);

}  // namespace kiosk::wayfinding
