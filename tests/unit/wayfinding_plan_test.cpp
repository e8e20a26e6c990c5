// The floor plan: projection, triangles, label points and broken geometry, on the sample campus,
// the real Ulm export and venues built in code.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "imdf/loader.hpp"
#include "wayfinding/floor_plan.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using wayfinding::Vec2;

namespace {

core::Venue load_venue(const fs::path& folder) {
  auto result = imdf::load(folder);
  REQUIRE(result.venue);
  return std::move(*result.venue);
}

float triangle_area(Vec2 a, Vec2 b, Vec2 c) { return std::fabs(wayfinding::cross(b - a, c - a)) / 2; }

// Even-odd rule over every ring: inside the outer ring and outside the holes.
bool inside(const wayfinding::LocalShape& shape, Vec2 p) {
  bool in = false;
  for (const auto& polygon : shape)
    for (const auto& ring : polygon.rings)
      for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        if ((ring[i].y > p.y) != (ring[j].y > p.y) &&
            p.x < (ring[j].x - ring[i].x) * (p.y - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x)
          in = !in;
  return in;
}

core::Polygon square(double lon, double lat, double size_deg) {
  return core::Polygon{{{{lon, lat}, {lon + size_deg, lat}, {lon + size_deg, lat + size_deg}, {lon, lat + size_deg}, {lon, lat}}}};
}

}  // namespace

TEST_CASE("the sample campus projects to metres, and every unit is covered by its triangles") {
  core::Venue venue = load_venue(fs::path(KIOSK_SOURCE_DIR) / "config" / "campus");
  auto plan = wayfinding::build_floor_plan(venue);
  CHECK(plan.problems.empty());
  REQUIRE(plan.units.size() == venue.units.size());
  REQUIRE(plan.levels.size() == 3);
  for (std::size_t i = 0; i < plan.units.size(); ++i) {
    const auto& unit = plan.units[i];
    CAPTURE(venue.units[i].id);
    REQUIRE(unit.level != wayfinding::kNone);
    REQUIRE(unit.triangles.size() % 3 == 0);
    float sum = 0;
    for (std::size_t t = 0; t < unit.triangles.size(); t += 3)
      sum += triangle_area(unit.triangles[t], unit.triangles[t + 1], unit.triangles[t + 2]);
    CHECK(sum == doctest::Approx(unit.area_m2).epsilon(0.001));
    CHECK(unit.area_m2 > 1.0f);
    CHECK(inside(unit.shape, unit.label_point));
    CHECK(unit.label_radius > 0.3f);
  }
  // The building is a few tens of metres across, around the projection's origin.
  const auto& ground = plan.levels[0].box;
  CHECK(ground.max.x - ground.min.x > 20);
  CHECK(ground.max.x - ground.min.x < 200);
  CHECK(std::fabs(ground.centre().x) < 100);
  // Every kiosk stands inside a unit of its level.
  for (std::size_t k = 0; k < plan.kiosks.size(); ++k) {
    const auto& kiosk = plan.kiosks[k];
    REQUIRE(kiosk.located);
    bool in_a_unit = false;
    for (auto u : plan.levels[kiosk.level].units) in_a_unit |= inside(plan.units[u].shape, kiosk.point);
    CHECK(in_a_unit);
  }
  // Concave rooms (the campus has six) keep their notch: the triangles do not cover it.
  int concave = 0;
  for (const auto& unit : plan.units) {
    float box_area = (unit.box.max.x - unit.box.min.x) * (unit.box.max.y - unit.box.min.y);
    if (unit.area_m2 < 0.99f * box_area) ++concave;
  }
  CHECK(concave >= 6);
  // Round trip through lon/lat within a millimetre.
  core::LonLat p = venue.units[0].shape[0].rings[0][1];
  core::LonLat back = plan.projection.to_lonlat(plan.projection.to_local(p));
  CHECK(std::fabs(back.lon - p.lon) * 111320 * std::cos(p.lat * 3.14159 / 180) < 0.001);
  CHECK(std::fabs(back.lat - p.lat) * 111320 < 0.001);
}

TEST_CASE("the real Ulm export builds a plan with every unit triangulated") {
  core::Venue venue = load_venue(fs::path(KIOSK_SHARED_DATA_DIR) / "imdf" / "uulm-osmtoimdf");
  auto plan = wayfinding::build_floor_plan(venue);
  std::size_t drawn = 0;
  for (const auto& unit : plan.units) drawn += !unit.triangles.empty();
  CHECK(drawn == venue.units.size());
  for (const auto& p : plan.problems) MESSAGE(wayfinding::format(p));
  CHECK(plan.memory_bytes() > 0);
}

TEST_CASE("broken geometry is reported and the rest of the plan still builds") {
  core::Venue venue;
  venue.display_point = core::LonLat{1.51, 43.54};
  core::Level level;
  level.id = "L0";
  venue.levels.push_back(level);
  core::Unit good;
  good.id = "good";
  good.level_id = "L0";
  good.category = "room";
  good.shape = {square(1.51, 43.54, 0.0001)};
  core::Unit bowtie = good;  // a self-intersecting ring: the figure of eight
  bowtie.id = "bowtie";
  bowtie.shape = {core::Polygon{{{{1.5102, 43.54}, {1.5103, 43.5401}, {1.5103, 43.54}, {1.5102, 43.5401}, {1.5102, 43.54}}}}};
  core::Unit orphan = good;
  orphan.id = "orphan";
  orphan.level_id = "nowhere";
  core::Unit open_ring = good;
  open_ring.id = "open";
  open_ring.shape = {core::Polygon{{{{1.5104, 43.54}, {1.5105, 43.54}, {1.5105, 43.5401}}}}};
  venue.units = {good, bowtie, orphan, open_ring};
  core::Opening door;
  door.id = "door";
  door.level_id = "gone";
  door.line = {{1.51, 43.54}, {1.51001, 43.54}};
  venue.openings.push_back(door);
  venue.index();

  auto plan = wayfinding::build_floor_plan(venue);
  auto about = [&](const std::string& id) {
    for (const auto& p : plan.problems)
      if (p.feature_id == id) return wayfinding::format(p);
    return std::string();
  };
  CHECK(about("good").empty());
  CHECK(about("bowtie").find("not a valid polygon") != std::string::npos);
  CHECK(about("orphan").find("on no level") != std::string::npos);
  CHECK(about("open").find("not a polygon") != std::string::npos);
  CHECK(about("door").find("on no level") != std::string::npos);
  CHECK(!plan.units[0].triangles.empty());
  CHECK(!plan.units[1].triangles.empty());  // drawn as repaired
  CHECK(plan.levels[0].units.size() == 3);  // good, bowtie, open (not drawn, but on the level)
}
