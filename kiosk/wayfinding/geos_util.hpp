// GEOS (C API, reentrant) for the wayfinding sources only: a context with its error text kept, owning
// pointers, and builders from the plan's shapes. Nothing outside kiosk/wayfinding/*.cpp includes it.
#pragma once
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include <memory>
#include <string>

#include "wayfinding/projection.hpp"

namespace kiosk::wayfinding::detail {

class Geos {
 public:
  Geos();
  ~Geos();
  Geos(const Geos&) = delete;
  Geos& operator=(const Geos&) = delete;

  GEOSContextHandle_t handle() const { return handle_; }
  // The last error or notice GEOS reported, then cleared.
  std::string take_error();

 private:
  GEOSContextHandle_t handle_;
  std::string error_;
};

struct GeomDeleter {
  GEOSContextHandle_t handle = nullptr;
  void operator()(GEOSGeometry* g) const {
    if (g) GEOSGeom_destroy_r(handle, g);
  }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
  GEOSContextHandle_t handle = nullptr;
  void operator()(const GEOSPreparedGeometry* g) const {
    if (g) GEOSPreparedGeom_destroy_r(handle, g);
  }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

GeomPtr own(Geos& geos, GEOSGeometry* g);
// nullptr when GEOS refuses the rings (fewer than 4 points, not closed); the caller reports it.
GeomPtr make_polygon(Geos& geos, const LocalPolygon& polygon);
GeomPtr make_shape(Geos& geos, const LocalShape& shape);  // a MultiPolygon of the valid polygons
GeomPtr make_line(Geos& geos, const std::vector<Vec2>& points);
GeomPtr make_point(Geos& geos, Vec2 p);
PreparedPtr prepare(Geos& geos, const GEOSGeometry* g);

// Calls f(Vec2) for each point of a LineString / LinearRing.
template <typename F>
void for_each_point(Geos& geos, const GEOSGeometry* line, F&& f) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos.handle(), line);
  unsigned int n = 0;
  if (!seq || !GEOSCoordSeq_getSize_r(geos.handle(), seq, &n)) return;
  for (unsigned int i = 0; i < n; ++i) {
    double x = 0, y = 0;
    GEOSCoordSeq_getXY_r(geos.handle(), seq, i, &x, &y);
    f(Vec2{static_cast<float>(x), static_cast<float>(y)});
  }
}

}  // namespace kiosk::wayfinding::detail
