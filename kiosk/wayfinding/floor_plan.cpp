// build_floor_plan: projection, then per feature type. GEOS does the geometry that is easy to get
// wrong by hand: validity (and repair), constrained Delaunay triangles of concave rooms with holes,
// and the pole of inaccessibility (largest inscribed circle) where a room's label goes.
#include "wayfinding/floor_plan.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "wayfinding/geos_util.hpp"

namespace kiosk::wayfinding {

std::string format(const MapProblem& problem) {
  std::string out = problem.severity == MapProblem::Severity::Error ? "error: " : "warning: ";
  out += problem.message;
  if (!problem.feature_id.empty()) out += " [" + problem.feature_type + " " + problem.feature_id + "]";
  return out;
}

bool is_walkable_unit_category(std::string_view category) {
  static constexpr std::array<std::string_view, 11> kNotWalkable = {
      "column", "structure", "opentobelow", "drywall", "brick", "concrete", "glass", "wood",
      "vegetation", "road", "nonpublic"};
  return std::find(kNotWalkable.begin(), kNotWalkable.end(), category) == kNotWalkable.end();
}
bool is_stairs_category(std::string_view category) { return category == "stairs" || category == "steps"; }
bool is_elevator_category(std::string_view category) { return category == "elevator"; }
bool is_escalator_category(std::string_view category) { return category == "escalator"; }

std::uint32_t FloorPlan::level_index(const std::string& level_id, const core::Venue& venue) const {
  for (std::size_t i = 0; i < venue.levels.size(); ++i)
    if (venue.levels[i].id == level_id) return static_cast<std::uint32_t>(i);
  return kNone;
}

std::size_t FloorPlan::memory_bytes() const {
  auto shape_bytes = [](const LocalShape& shape) {
    std::size_t n = shape.capacity() * sizeof(LocalPolygon);
    for (const auto& p : shape) {
      n += p.rings.capacity() * sizeof(LocalRing);
      for (const auto& r : p.rings) n += r.capacity() * sizeof(Vec2);
    }
    return n;
  };
  std::size_t n = sizeof(*this);
  for (const auto& u : units) n += sizeof(u) + shape_bytes(u.shape) + u.triangles.capacity() * sizeof(Vec2);
  for (const auto& l : levels)
    n += sizeof(l) + shape_bytes(l.outline) +
         (l.units.capacity() + l.openings.capacity() + l.amenities.capacity() + l.kiosks.capacity()) * 4;
  n += openings.capacity() * sizeof(PlanOpening) +
       (amenities.capacity() + kiosks.capacity() + anchors.capacity()) * sizeof(PlanPoint);
  return n;
}

namespace {

using detail::Geos;
using detail::GeomPtr;

class Builder {
 public:
  Builder(const core::Venue& venue, FloorPlan& plan) : venue_(venue), plan_(plan) {
    for (std::size_t i = 0; i < venue.levels.size(); ++i) level_by_id_[venue.levels[i].id] = static_cast<std::uint32_t>(i);
  }

  void run() {
    plan_.projection = projection_for(venue_);
    plan_.levels.resize(venue_.levels.size());
    for (std::size_t i = 0; i < venue_.levels.size(); ++i)
      plan_.levels[i].outline = plan_.projection.project(venue_.levels[i].shape);
    plan_.units.resize(venue_.units.size());
    for (std::size_t i = 0; i < venue_.units.size(); ++i) build_unit(static_cast<std::uint32_t>(i));
    build_openings();
    build_points();
    for (auto& level : plan_.levels) {
      // Filled one push_back at a time; the plan lives as long as the map.
      for (auto* list : {&level.units, &level.openings, &level.amenities, &level.kiosks}) list->shrink_to_fit();
      for (auto u : level.units) level.box.add(plan_.units[u].box);
      if (level.box.empty())
        for (const auto& polygon : level.outline)
          for (const auto& ring : polygon.rings)
            for (auto p : ring) level.box.add(p);
    }
  }

 private:
  void problem(MapProblem::Severity severity, std::string type, const std::string& id, std::string message) {
    plan_.problems.push_back({severity, std::move(type), id, std::move(message)});
  }

  std::uint32_t level_of(const std::string& level_id) const {
    auto it = level_by_id_.find(level_id);
    return it == level_by_id_.end() ? kNone : it->second;
  }

  void build_unit(std::uint32_t index) {
    const core::Unit& unit = venue_.units[index];
    PlanUnit& out = plan_.units[index];
    out.walkable = is_walkable_unit_category(unit.category);
    out.shape = plan_.projection.project(unit.shape);
    out.level = level_of(unit.level_id);
    if (out.level == kNone) {
      problem(MapProblem::Severity::Error, "unit", unit.id,
              "unit is on no level of the map (level_id \"" + unit.level_id +
                  "\" is not in level.geojson): it is not drawn and no route leads to it");
    } else {
      plan_.levels[out.level].units.push_back(index);
    }
    for (const auto& polygon : out.shape)
      for (const auto& ring : polygon.rings)
        for (auto p : ring) out.box.add(p);

    if (convex_fast_path(unit, out)) return;
    GeomPtr geometry = detail::make_shape(geos_, out.shape);
    if (!geometry || GEOSGetNumGeometries_r(geos_.handle(), geometry.get()) == 0) {
      problem(MapProblem::Severity::Error, "unit", unit.id,
              "unit outline is not a polygon (rings need 4+ points and must be closed): it is not drawn");
      out.label_point = out.box.empty() ? Vec2{} : out.box.centre();
      return;
    }
    if (GEOSisValid_r(geos_.handle(), geometry.get()) != 1) {
      char* reason = GEOSisValidReason_r(geos_.handle(), geometry.get());
      std::string why = reason ? reason : "invalid";
      GEOSFree_r(geos_.handle(), reason);
      GeomPtr repaired = detail::own(geos_, GEOSMakeValid_r(geos_.handle(), geometry.get()));
      if (repaired) geometry = std::move(repaired);
      problem(MapProblem::Severity::Warning, "unit", unit.id,
              "unit outline is not a valid polygon (" + why + "): drawn and routed as repaired; fix its rings");
    }
    out.area_m2 = area(geometry.get());
    triangulate(geometry.get(), out.triangles);
    place_label(unit, geometry.get(), out);
  }

  // Most rooms are convex rings without holes (rectangles above all). Their triangles are a fan,
  // their label goes at the centroid, and GEOS's validity check, triangulation and inscribed circle
  // (most of the plan's build time on a big venue) are not needed.
  bool convex_fast_path(const core::Unit& unit, PlanUnit& out) {
    if (out.shape.size() != 1 || out.shape[0].rings.size() != 1) return false;
    const LocalRing& ring = out.shape[0].rings[0];
    const std::size_t n = ring.size() - 1;  // closed: the last point repeats the first
    if (ring.size() < 4 || !(ring.front() == ring.back())) return false;
    double turning = 0, twice_area = 0;
    int sign = 0;
    for (std::size_t i = 0; i < n; ++i) {
      Vec2 a = ring[i], b = ring[(i + 1) % n], c = ring[(i + 2) % n];
      float turn = cross(b - a, c - b);
      if (std::fabs(turn) > 1e-6f * (1 + length(b - a) * length(c - b))) {
        int here = turn > 0 ? 1 : -1;
        if (sign != 0 && here != sign) return false;
        sign = here;
      }
      turning += std::atan2(turn, dot(b - a, c - b));
      twice_area += static_cast<double>(a.x) * b.y - static_cast<double>(b.x) * a.y;
    }
    // A convex ring turns once; a star-shaped self-crossing one turns more (GEOS then reports it).
    if (sign == 0 || std::fabs(std::fabs(turning) - 2 * 3.14159265358979) > 0.01) return false;
    out.area_m2 = static_cast<float>(std::fabs(twice_area) / 2);
    out.triangles.reserve((n - 2) * 3);
    for (std::size_t i = 1; i + 1 < n; ++i) out.triangles.insert(out.triangles.end(), {ring[0], ring[i], ring[i + 1]});
    double cx = 0, cy = 0;
    for (std::size_t i = 0; i < n; ++i) {
      Vec2 a = ring[i], b = ring[i + 1];
      double k = static_cast<double>(a.x) * b.y - static_cast<double>(b.x) * a.y;
      cx += (a.x + b.x) * k;
      cy += (a.y + b.y) * k;
    }
    Vec2 centre = out.box.centre();
    if (std::fabs(twice_area) > 1e-9)
      centre = {static_cast<float>(cx / (3 * twice_area)), static_cast<float>(cy / (3 * twice_area))};
    auto clearance = [&](Vec2 p) {  // distance to the nearest edge; negative outside
      float d = INFINITY;
      for (std::size_t i = 0; i < n; ++i) {
        Vec2 a = ring[i], b = ring[i + 1];
        float edge = length(b - a);
        if (edge <= 0) continue;
        d = std::min(d, cross(b - a, p - a) * static_cast<float>(sign) / edge);
      }
      return d;
    };
    out.label_point = centre;
    out.label_radius = std::max(0.0f, clearance(centre));
    if (unit.display_point) {
      Vec2 p = plan_.projection.to_local(*unit.display_point);
      float c = clearance(p);
      if (c >= 0.5f * out.label_radius) out.label_point = p, out.label_radius = c;
    }
    return true;
  }

  float area(const GEOSGeometry* g) {
    double a = 0;
    GEOSArea_r(geos_.handle(), g, &a);
    return static_cast<float>(a);
  }

  // Constrained Delaunay triangles cover polygons (holes excluded) exactly; ImGui fills only
  // convex shapes, so the map draws these.
  void triangulate(const GEOSGeometry* g, std::vector<Vec2>& triangles) {
    GeomPtr tris = detail::own(geos_, GEOSConstrainedDelaunayTriangulation_r(geos_.handle(), g));
    if (!tris) return;
    int n = GEOSGetNumGeometries_r(geos_.handle(), tris.get());
    triangles.reserve(static_cast<std::size_t>(n) * 3);
    for (int i = 0; i < n; ++i) {
      const GEOSGeometry* triangle = GEOSGetGeometryN_r(geos_.handle(), tris.get(), i);
      const GEOSGeometry* ring = GEOSGetExteriorRing_r(geos_.handle(), triangle);
      if (!ring) continue;
      int k = 0;
      detail::for_each_point(geos_, ring, [&](Vec2 p) {
        if (k++ < 3) triangles.push_back(p);
      });
      while (k++ < 3) triangles.push_back(triangles.empty() ? Vec2{} : triangles.back());
    }
    triangles.shrink_to_fit();
  }

  // The IMDF display point when it lies well inside the unit; otherwise the centre of the largest
  // circle that fits (a centroid can fall outside an L-shaped room, or in a corridor's corner).
  void place_label(const core::Unit& unit, const GEOSGeometry* g, PlanUnit& out) {
    GeomPtr boundary = detail::own(geos_, GEOSBoundary_r(geos_.handle(), g));
    double tolerance = std::max(0.05, std::sqrt(std::max(0.0f, out.area_m2)) / 100.0);
    GeomPtr circle = detail::own(geos_, GEOSMaximumInscribedCircle_r(geos_.handle(), g, tolerance));
    Vec2 centre = out.box.centre();
    float radius = 0;
    if (circle) {
      std::vector<Vec2> ends;
      detail::for_each_point(geos_, circle.get(), [&](Vec2 p) { ends.push_back(p); });
      if (ends.size() == 2) {
        centre = ends[0];
        radius = distance(ends[0], ends[1]);
      }
    }
    if (unit.display_point && boundary) {
      Vec2 p = plan_.projection.to_local(*unit.display_point);
      GeomPtr point = detail::make_point(geos_, p);
      double clearance = 0;
      if (point && GEOSContains_r(geos_.handle(), g, point.get()) == 1 &&
          GEOSDistance_r(geos_.handle(), boundary.get(), point.get(), &clearance) == 1 &&
          clearance >= 0.5 * radius) {
        centre = p;
        radius = static_cast<float>(clearance);
      }
    }
    out.label_point = centre;
    out.label_radius = radius;
  }

  void build_openings() {
    plan_.openings.resize(venue_.openings.size());
    for (std::size_t i = 0; i < venue_.openings.size(); ++i) {
      const core::Opening& opening = venue_.openings[i];
      PlanOpening& out = plan_.openings[i];
      out.level = level_of(opening.level_id);
      if (opening.line.size() >= 2) {
        out.a = plan_.projection.to_local(opening.line.front());
        out.b = plan_.projection.to_local(opening.line.back());
      }
      if (out.level == kNone) {
        problem(MapProblem::Severity::Error, "opening", opening.id,
                "door is on no level of the map (level_id \"" + opening.level_id + "\"): it is ignored");
      } else if (opening.line.size() < 2) {
        problem(MapProblem::Severity::Error, "opening", opening.id, "door has fewer than 2 points: it is ignored");
        out.level = kNone;
      } else {
        plan_.levels[out.level].openings.push_back(static_cast<std::uint32_t>(i));
      }
    }
  }

  PlanPoint unit_point(const std::string& unit_id) const {
    const core::Unit* unit = venue_.unit(unit_id);
    if (!unit) return {};
    const PlanUnit& u = plan_.units[static_cast<std::size_t>(unit - venue_.units.data())];
    return {u.level, u.label_point, u.level != kNone};
  }

  void build_points() {
    plan_.amenities.resize(venue_.amenities.size());
    for (std::size_t i = 0; i < venue_.amenities.size(); ++i) {
      const core::Amenity& amenity = venue_.amenities[i];
      PlanPoint p = amenity.unit_ids.empty() ? PlanPoint{} : unit_point(amenity.unit_ids.front());
      if (amenity.point) {
        p.point = plan_.projection.to_local(*amenity.point);
        p.located = p.level != kNone;
      }
      plan_.amenities[i] = p;
      if (p.located) plan_.levels[p.level].amenities.push_back(static_cast<std::uint32_t>(i));
    }
    plan_.anchors.resize(venue_.anchors.size());
    for (std::size_t i = 0; i < venue_.anchors.size(); ++i) {
      const core::Anchor& anchor = venue_.anchors[i];
      PlanPoint p = unit_point(anchor.unit_id);
      if (anchor.point && p.level != kNone) p.point = plan_.projection.to_local(*anchor.point);
      plan_.anchors[i] = p;
    }
    plan_.kiosks.resize(venue_.kiosks.size());
    for (std::size_t i = 0; i < venue_.kiosks.size(); ++i) {
      const core::Kiosk& kiosk = venue_.kiosks[i];
      PlanPoint p;
      p.level = level_of(kiosk.level_id);
      if (kiosk.display_point) {
        p.point = plan_.projection.to_local(*kiosk.display_point);
        p.located = true;
      } else if (!kiosk.shape.empty()) {
        p.point = plan_.projection.to_local(core::centroid(kiosk.shape));
        p.located = true;
      }
      if (p.level == kNone) {
        p.located = false;
        problem(MapProblem::Severity::Error, "kiosk", kiosk.id,
                "kiosk is on no level of the map (level_id \"" + kiosk.level_id + "\"): a panel there has no \"you are here\"");
      } else if (!p.located) {
        problem(MapProblem::Severity::Error, "kiosk", kiosk.id,
                "kiosk has neither a display_point nor a shape: a panel there has no \"you are here\"");
      } else {
        plan_.levels[p.level].kiosks.push_back(static_cast<std::uint32_t>(i));
      }
      plan_.kiosks[i] = p;
    }
  }

  const core::Venue& venue_;
  FloorPlan& plan_;
  Geos geos_;
  std::unordered_map<std::string, std::uint32_t> level_by_id_;
};

}  // namespace

FloorPlan build_floor_plan(const core::Venue& venue) {
  FloorPlan plan;
  Builder(venue, plan).run();
  return plan;
}

}  // namespace kiosk::wayfinding
