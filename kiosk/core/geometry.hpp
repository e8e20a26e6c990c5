// Geometry as IMDF gives it: WGS84 longitude/latitude. Projection to metres comes with wayfinding.
#pragma once
#include <vector>

namespace kiosk::core {

struct LonLat {
  double lon = 0;
  double lat = 0;
};

using Ring = std::vector<LonLat>;  // closed: first point repeated last, as GeoJSON wants

struct Polygon {
  std::vector<Ring> rings;  // rings[0] is the outer boundary, the rest are holes
};

using MultiPolygon = std::vector<Polygon>;
using LineString = std::vector<LonLat>;

// Area-weighted centre of the outer rings, or the mean of the points for degenerate shapes.
LonLat centroid(const MultiPolygon& shape);

}  // namespace kiosk::core
