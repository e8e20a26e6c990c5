#include "core/geometry.hpp"

#include <cmath>

namespace kiosk::core {

LonLat centroid(const MultiPolygon& shape) {
  double area_sum = 0, cx = 0, cy = 0, mean_x = 0, mean_y = 0;
  std::size_t points = 0;
  for (const Polygon& polygon : shape) {
    if (polygon.rings.empty()) continue;
    const Ring& ring = polygon.rings.front();
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
      const LonLat& a = ring[i];
      const LonLat& b = ring[i + 1];
      // Relative to the first point, so the products do not lose precision at lon/lat magnitudes.
      double ax = a.lon - ring[0].lon, ay = a.lat - ring[0].lat;
      double bx = b.lon - ring[0].lon, by = b.lat - ring[0].lat;
      double cross = ax * by - bx * ay;
      area_sum += cross;
      cx += (ax + bx) * cross + 3 * ring[0].lon * cross;
      cy += (ay + by) * cross + 3 * ring[0].lat * cross;
      mean_x += a.lon;
      mean_y += a.lat;
      ++points;
    }
  }
  if (std::abs(area_sum) > 1e-18) return {cx / (3 * area_sum), cy / (3 * area_sum)};
  if (points == 0) return {};
  return {mean_x / static_cast<double>(points), mean_y / static_cast<double>(points)};
}

}  // namespace kiosk::core
