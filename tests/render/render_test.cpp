// `kiosk render` end to end: the real binary, real config and map, a real SQLite snapshot, real GL
// (Mesa, headless). Pixels are checked where the layout log says things were drawn.
#include <doctest/doctest.h>
#include <stb_image.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "app/setup.hpp"
#include "app/space_directory.hpp"
#include "ingest/mqtt/client.hpp"
#include "store/snapshot.hpp"
#include "render/render_helpers.hpp"
#include "unit/ingest_broker_helper.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using namespace std::chrono_literals;

using namespace kiosk::render_testing;

TEST_CASE("board from the snapshot, offline: tile colours, banner, FR and EN, landscape and portrait") {
  Fixture f;
  const core::TimePoint t = now();
  f.store({{"Salle Garonne", {core::Reading::Kind::Presence, false, 0, t - 1min, 10min}},
           {"Salle Capitole", {core::Reading::Kind::Presence, true, 0, t - 1min, 10min}},
           {"Salle Pyrénées", {core::Reading::Kind::Presence, false, 0, t - 2h, 10min}},  // stale: never free
           {"Salle de sieste Nord", {core::Reading::Kind::Count, false, 3, t - 1min, 10min}}});

  std::map<std::string, Image> images;
  for (const char* size : {"1920x1080", "1080x1920"}) {
    for (const char* lang : {"fr", "en"}) {
      CAPTURE(size);
      CAPTURE(lang);
      fs::path png = f.dir / (std::string("board-") + size + "-" + lang + ".png");
      fs::path layout_file = f.dir / "layout.json";
      REQUIRE(f.render(std::string("--size ") + size + " --lang " + lang, png, layout_file) == 0);
      Image image = load_png(png);
      nlohmann::json layout = read_json(layout_file);
      int w = std::stoi(size), h = std::stoi(std::string(size).substr(5));
      CHECK(image.w == w);
      CHECK(image.h == h);

      // The state stripe on the left of each tile carries its state colour.
      auto stripe = [&](const char* name) {
        nlohmann::json tile = find(layout, "tile", f.id_of(name));
        REQUIRE_MESSAGE(!tile.is_null(), name);
        int x = static_cast<int>(tile["x"].get<double>()) + 4;
        int y = static_cast<int>(tile["y"].get<double>() + tile["h"].get<double>() / 2);
        return image.at(x, y);
      };
      CHECK_MESSAGE(near(stripe("Salle Garonne"), kFree), show(stripe("Salle Garonne")));
      CHECK_MESSAGE(near(stripe("Salle Capitole"), kOccupied), show(stripe("Salle Capitole")));
      CHECK_MESSAGE(near(stripe("Salle Pyrénées"), kUnknown), show(stripe("Salle Pyrénées")));
      CHECK_MESSAGE(near(stripe("Salle de sieste Nord"), kFree), show(stripe("Salle de sieste Nord")));  // 1 of 4
      CHECK_MESSAGE(near(stripe("Salle Occitanie"), kUnknown), show(stripe("Salle Occitanie")));  // never seen
      CHECK(find(layout, "tile", f.id_of("Salle Pyrénées"))["state"] == "unknown");

      // No network in a plain render: the offline banner, across the bottom.
      nlohmann::json banner = find(layout, "offline-banner");
      REQUIRE(!banner.is_null());
      CHECK(banner["y"].get<double>() + banner["h"].get<double>() == doctest::Approx(h));
      CHECK(near(image.at(4, h - 4), kOfflineBanner));
      images[std::string(size) + lang] = std::move(image);
    }
  }
  // The languages differ where the title is written, and nowhere on a free tile's stripe.
  const Image& fr = images["1920x1080fr"];
  const Image& en = images["1920x1080en"];
  int differing = 0;
  for (int y = 40; y < 110; ++y)
    for (int x = 20; x < 500; ++x)
      if (!near(fr.at(x, y), en.at(x, y), 0)) ++differing;
  CHECK(differing > 500);
}

TEST_CASE("board online: live data through a real broker, no banner") {
  testing::Broker broker;
  Fixture f(broker.port());
  {
    ingest::mqtt::Publisher publisher({"127.0.0.1", broker.port()}, "render-test");
    std::string error;
    REQUIRE_MESSAGE(publisher.connect(5s, &error), error);
    REQUIRE(publisher.publish("campus/1/salle-garonne/occupancy", "occupied", 1, true));
    REQUIRE(publisher.publish("campus/0/salle-capitole/occupancy", "vacant", 1, true));
    REQUIRE(publisher.flush(5s));
  }
  fs::path png = f.dir / "online.png", layout_file = f.dir / "online.json";
  REQUIRE(f.render("--wait 1.5", png, layout_file) == 0);
  Image image = load_png(png);
  nlohmann::json layout = read_json(layout_file);
  CHECK(find(layout, "offline-banner").is_null());
  nlohmann::json strip = find(layout, "status-strip");
  REQUIRE(!strip.is_null());
  CHECK(strip["state"] == "online");
  CHECK(near(image.at(image.w - 4, image.h - 4), kSurface));
  CHECK(find(layout, "tile", f.id_of("Salle Garonne"))["state"] == "occupied");
  CHECK(find(layout, "tile", f.id_of("Salle Capitole"))["state"] == "free");
  // Rendering with a wait stored what it received: the snapshot has both spaces.
  auto db = store::Snapshot::open(f.dir / "state.db");
  CHECK(db->load_latest().size() == 2);
}

TEST_CASE("render refuses what it cannot draw") {
  Fixture f;
  CHECK(f.render("--screen nowhere", f.dir / "x.png", f.dir / "x.json") == 2);
  CHECK_FALSE(fs::exists(f.dir / "x.png"));
  CHECK(f.render("--size 10x10", f.dir / "x.png", f.dir / "x.json") == 2);
}
