// The map, route and directory screens drawn by the real binary: "you are here" where the kiosk
// stands, a free unit filled with the free colour, the route's colour along the path, the QR code.
#include <doctest/doctest.h>

#include <cmath>

#include "render/render_helpers.hpp"

using namespace kiosk;
using namespace kiosk::render_testing;

namespace {
constexpr Rgb kYouAreHere{0xFF, 0xC8, 0x2E}, kRoute{0x4C, 0x9A, 0xFF};
// A live space's fill: its state colour softened towards the room colour (map_canvas.cpp, unit_fill).
Rgb softened(Rgb state) {
  const Rgb room{0x33, 0x40, 0x52};
  auto mix = [](int a, int b) { return static_cast<int>(a + (b - a) * 0.35f + 0.5f); };
  return {mix(state.r, room.r), mix(state.g, room.g), mix(state.b, room.b)};
}
double num(const nlohmann::json& item, const char* key) { return item[key].get<double>(); }
}  // namespace

TEST_CASE("map screen: you are here at the kiosk, free and occupied units filled by state, turned by the heading") {
  Fixture f;
  const core::TimePoint t = now();
  f.store({{"Salle Capitole", {core::Reading::Kind::Presence, false, 0, t - 1min, 10min}},
           {"Salle de sport", {core::Reading::Kind::Presence, true, 0, t - 1min, 10min}}});
  for (const char* size : {"1920x1080", "1080x1920"}) {
    CAPTURE(size);
    fs::path png = f.dir / "map.png", layout_file = f.dir / "map.json";
    REQUIRE(f.render(std::string("--screen map --size ") + size, png, layout_file) == 0);
    Image image = load_png(png);
    nlohmann::json layout = read_json(layout_file);

    nlohmann::json kiosk = nullptr;
    for (const auto& item : layout)
      if (item["kind"] == "kiosk-point") kiosk = item;
    REQUIRE(!kiosk.is_null());
    // The marker's ring is amber around a dark centre: sample the ring.
    Rgb ring = image.at(static_cast<int>(num(kiosk, "x")) + 9, static_cast<int>(num(kiosk, "y")));
    CHECK_MESSAGE(near(ring, kYouAreHere), show(ring));
    // And the cone in front of it points up: the viewer's way is the top of the screen.
    Rgb ahead = image.at(static_cast<int>(num(kiosk, "x")), static_cast<int>(num(kiosk, "y")) - 30);
    CHECK_MESSAGE(near(ahead, kYouAreHere), show(ahead));

    auto fill_of = [&](const char* name) {
      nlohmann::json unit = find(layout, "map-unit", f.id_of(name));
      REQUIRE_MESSAGE(!unit.is_null(), name);
      // Beside the label's circle centre, away from the icon and the name under it.
      int x = static_cast<int>(num(unit, "x") + num(unit, "w") * 0.5 + num(unit, "w") * 0.42);
      int y = static_cast<int>(num(unit, "y") + num(unit, "h") * 0.5 - num(unit, "h") * 0.3);
      return image.at(x, y);
    };
    CHECK_MESSAGE(near(fill_of("Salle Capitole"), softened(kFree)), show(fill_of("Salle Capitole")));
    CHECK_MESSAGE(near(fill_of("Salle de sport"), softened(kOccupied)), show(fill_of("Salle de sport")));
    CHECK(find(layout, "map-unit", f.id_of("Salle Capitole"))["state"] == "free");
  }
}

TEST_CASE("map screen turned: a panel facing east puts east at the top") {
  Fixture f;
  std::ofstream(f.panel, std::ios::app) << "";  // the fixture's panel faces north (entrance.toml: heading 0)
  fs::path north_png = f.dir / "north.png", north_json = f.dir / "north.json";
  REQUIRE(f.render("--screen map", north_png, north_json) == 0);
  // Same panel, heading 90: rewrite the panel file with its own [panel] heading.
  fs::path east_panel = f.dir / "east.toml";
  std::ofstream(east_panel) << "include = \"" << f.panel.string() << "\"\n[panel]\nheading = 90\n";
  fs::path east_png = f.dir / "east.png", east_json = f.dir / "east.json";
  std::string command = std::string(KIOSK_BINARY) + " render --config " + east_panel.string() + " --screen map --out " +
                        east_png.string() + " --layout " + east_json.string() + " 2>/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  auto units = [&](const fs::path& path) {
    std::map<std::string, std::pair<double, double>> at;
    for (const auto& item : read_json(path))
      if (item["kind"] == "map-unit") at[item["id"]] = {num(item, "x") + num(item, "w") / 2, num(item, "y") + num(item, "h") / 2};
    return at;
  };
  auto north = units(north_json), east = units(east_json);
  // Salle Capitole lies west of Salle de sport: left of it facing north, below it facing east.
  auto capitole = f.id_of("Salle Capitole"), sport = f.id_of("Salle de sport");
  REQUIRE(north.count(capitole));
  REQUIRE(east.count(sport));
  CHECK(north[capitole].first < north[sport].first);
  CHECK(east[capitole].second > east[sport].second);
}

TEST_CASE("route screen: the path's colour along the route, the steps, a QR code") {
  Fixture f;
  fs::path png = f.dir / "route.png", layout_file = f.dir / "route.json";
  REQUIRE(f.render("--screen route --to \"Salle Garonne\"", png, layout_file) == 0);
  Image image = load_png(png);
  nlohmann::json layout = read_json(layout_file);

  // Two maps (ground floor, floor 1): the path crosses both.
  int maps = 0, steps = 0;
  std::vector<std::pair<std::string, std::pair<double, double>>> points;
  for (const auto& item : layout) {
    maps += item["kind"] == "route-map";
    steps += item["kind"] == "step";
    if (item["kind"] == "route-point") points.push_back({item["id"], {num(item, "x"), num(item, "y")}});
  }
  CHECK(maps == 2);
  CHECK(steps >= 4);
  REQUIRE(points.size() >= 4);
  // Midpoints of the path's segments carry the route colour (labels may cover a few).
  int sampled = 0, blue = 0;
  for (std::size_t i = 1; i < points.size(); ++i) {
    if (points[i].first != points[i - 1].first) continue;  // the next level's map
    auto [x0, y0] = points[i - 1].second;
    auto [x1, y1] = points[i].second;
    if (std::hypot(x1 - x0, y1 - y0) < 30) continue;
    Rgb c = image.at(static_cast<int>((x0 + x1) / 2), static_cast<int>((y0 + y1) / 2));
    ++sampled;
    if (near(c, kRoute, 16)) ++blue;
    else MESSAGE("not route-coloured at a midpoint: " << show(c));
  }
  CHECK(sampled >= 3);
  CHECK(blue >= sampled - 1);

  // The QR code: a white square with black modules (the config has a route_url), and its address.
  nlohmann::json qr = find(layout, "qr");
  REQUIRE(!qr.is_null());
  CHECK(qr["state"].get<std::string>().find("to=") != std::string::npos);
  int black = 0, white = 0;
  for (int y = static_cast<int>(num(qr, "y")); y < num(qr, "y") + num(qr, "h"); y += 3)
    for (int x = static_cast<int>(num(qr, "x")); x < num(qr, "x") + num(qr, "w"); x += 3) {
      Rgb c = image.at(x, y);
      black += near(c, {0, 0, 0}, 8);
      white += near(c, {255, 255, 255}, 8);
    }
  CHECK(black > 200);
  CHECK(white > black);  // the quiet zone is white too
}

TEST_CASE("directory screen: companies, rooms and services, each leading to a unit of the map") {
  Fixture f;
  fs::path png = f.dir / "directory.png", layout_file = f.dir / "directory.json";
  REQUIRE(f.render("--screen directory --lang en", png, layout_file) == 0);
  Image image = load_png(png);
  nlohmann::json layout = read_json(layout_file);
  int places = 0;
  for (const auto& item : layout) {
    if (item["kind"] != "place") continue;
    ++places;
    // Each row is a raised surface.
    Rgb c = image.at(static_cast<int>(num(item, "x") + num(item, "w") * 0.5), static_cast<int>(num(item, "y") + 6));
    CHECK_MESSAGE(near(c, kSurface), show(c));
  }
  CHECK(places >= 20);
}

TEST_CASE("render --screen route refuses an unknown destination and a missing --to") {
  Fixture f;
  CHECK(f.render("--screen route --to \"Salle Inexistante\"", f.dir / "x.png", f.dir / "x.json") == 2);
  CHECK(f.render("--screen route", f.dir / "x.png", f.dir / "x.json") == 2);
}
