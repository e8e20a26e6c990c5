#include "wayfinding/geos_util.hpp"

#include <vector>

namespace kiosk::wayfinding::detail {

namespace {
// GEOS formats the message itself for the reentrant handlers.
void keep_message(const char* message, void* user) { *static_cast<std::string*>(user) = message ? message : ""; }
}  // namespace

Geos::Geos() : handle_(GEOS_init_r()) {
  GEOSContext_setErrorMessageHandler_r(handle_, keep_message, &error_);
  GEOSContext_setNoticeMessageHandler_r(handle_, keep_message, &error_);
}

Geos::~Geos() { GEOS_finish_r(handle_); }

std::string Geos::take_error() {
  std::string e = std::move(error_);
  error_.clear();
  return e;
}

GeomPtr own(Geos& geos, GEOSGeometry* g) { return GeomPtr(g, GeomDeleter{geos.handle()}); }

namespace {
GEOSCoordSequence* sequence(Geos& geos, const std::vector<Vec2>& points) {
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(geos.handle(), static_cast<unsigned>(points.size()), 2);
  if (!seq) return nullptr;
  for (unsigned i = 0; i < points.size(); ++i) GEOSCoordSeq_setXY_r(geos.handle(), seq, i, points[i].x, points[i].y);
  return seq;
}

GEOSGeometry* ring(Geos& geos, const LocalRing& points) {
  if (points.size() < 4 || !(points.front() == points.back())) return nullptr;
  GEOSCoordSequence* seq = sequence(geos, points);
  return seq ? GEOSGeom_createLinearRing_r(geos.handle(), seq) : nullptr;  // takes seq, even on failure
}
}  // namespace

GeomPtr make_polygon(Geos& geos, const LocalPolygon& polygon) {
  if (polygon.rings.empty()) return own(geos, nullptr);
  GEOSGeometry* shell = ring(geos, polygon.rings[0]);
  if (!shell) return own(geos, nullptr);
  std::vector<GEOSGeometry*> holes;
  for (std::size_t i = 1; i < polygon.rings.size(); ++i)
    if (GEOSGeometry* hole = ring(geos, polygon.rings[i])) holes.push_back(hole);
  return own(geos, GEOSGeom_createPolygon_r(geos.handle(), shell, holes.data(), static_cast<unsigned>(holes.size())));
}

GeomPtr make_shape(Geos& geos, const LocalShape& shape) {
  std::vector<GEOSGeometry*> parts;
  for (const auto& polygon : shape)
    if (GeomPtr p = make_polygon(geos, polygon)) parts.push_back(p.release());
  return own(geos, GEOSGeom_createCollection_r(geos.handle(), GEOS_MULTIPOLYGON, parts.data(),
                                               static_cast<unsigned>(parts.size())));
}

GeomPtr make_line(Geos& geos, const std::vector<Vec2>& points) {
  if (points.size() < 2) return own(geos, nullptr);
  GEOSCoordSequence* seq = sequence(geos, points);
  return own(geos, seq ? GEOSGeom_createLineString_r(geos.handle(), seq) : nullptr);
}

GeomPtr make_point(Geos& geos, Vec2 p) { return own(geos, GEOSGeom_createPointFromXY_r(geos.handle(), p.x, p.y)); }

PreparedPtr prepare(Geos& geos, const GEOSGeometry* g) {
  return PreparedPtr(g ? GEOSPrepare_r(geos.handle(), g) : nullptr, PreparedDeleter{geos.handle()});
}

}  // namespace kiosk::wayfinding::detail
