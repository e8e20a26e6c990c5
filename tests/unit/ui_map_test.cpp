// The map, route and directory screens in frames with no GPU, on the sample campus: they draw in
// every size and language without tripping ImGui, and touches do what a visitor expects (a unit's
// card, "take me there", a tile starting its route, the capacity filter, the idle reset).
#include <doctest/doctest.h>
#include <imgui.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/panel.hpp"
#include "ui/ui.hpp"

using namespace kiosk;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct CampusPanel {
  fs::path dir = fs::temp_directory_path() / ("kiosk-ui-map-" + std::to_string(::getpid()));
  core::SystemClock clock;
  std::unique_ptr<app::Panel> panel;
  CampusPanel() {
    fs::create_directories(dir);
    fs::path file = dir / "panel.toml";
    std::ofstream(file) << "include = \"" << KIOSK_SOURCE_DIR << "/config/panels/entrance.toml\"\n[panel]\nsnapshot = \""
                        << (dir / "state.db").string() << "\"\n";
    app::Setup setup = app::load_setup(file);
    REQUIRE(setup.usable());
    panel = std::make_unique<app::Panel>(std::move(setup), clock);
  }
  ~CampusPanel() {
    panel.reset();
    fs::remove_all(dir);
  }
  app::AppState& state() { return panel->state(); }
};

struct NullFrame {
  NullFrame(float w, float h) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(w, h);
    std::string error;
    CHECK(ui.init(w, h, &error));
    unsigned char* pixels;
    int tw, th;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
  }
  ~NullFrame() { ImGui::DestroyContext(); }
  void draw(app::AppState& state, core::TimePoint now) {
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ui.draw(state, now);
    ImGui::Render();
  }
  // A touch: press at (x, y) for one frame, release the next, then one more frame for the result.
  void tap(app::AppState& state, core::TimePoint now, float x, float y) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = {x, y};
    draw(state, now);
    io.MouseDown[0] = true;
    draw(state, now);
    io.MouseDown[0] = false;
    draw(state, now);
    draw(state, now);
  }
  const ui::LayoutItem* find(const std::string& kind, const std::string& id = "") const {
    for (const auto& item : ui.layout())
      if (item.kind == kind && (id.empty() || item.id == id)) return &item;
    return nullptr;
  }
  int count(const std::string& kind) const {
    int n = 0;
    for (const auto& item : ui.layout()) n += item.kind == kind;
    return n;
  }
  ui::Ui ui;
};

void centre_tap(NullFrame& frame, app::AppState& state, core::TimePoint now, const ui::LayoutItem& item) {
  frame.tap(state, now, item.rect.x + item.rect.w / 2, item.rect.y + item.rect.h / 2);
}

}  // namespace

TEST_CASE("map, route and directory draw in both orientations and languages") {
  CampusPanel campus;
  auto& state = campus.state();
  REQUIRE(state.wayfinder);
  const core::TimePoint now = campus.clock.now();
  auto garonne = state.wayfinder->find_destination("Salle Garonne");
  REQUIRE(garonne);
  for (auto [w, h] : {std::pair{1920.0f, 1080.0f}, std::pair{1080.0f, 1920.0f}, std::pair{800.0f, 480.0f}}) {
    NullFrame frame(w, h);
    for (const char* lang : {"fr", "en"}) {
      CAPTURE(w);
      CAPTURE(lang);
      state.language = lang;
      state.screen = "map";
      frame.draw(state, now);
      CHECK(frame.find("map") != nullptr);
      CHECK(frame.find("you-are-here") != nullptr);
      CHECK(frame.count("button") >= 3);  // the three levels
      state.screen = "route";
      state.nav.route_unit = *garonne;
      state.nav.route_started = now - 1h;
      frame.draw(state, now);
      CHECK(frame.count("route-map") == 2);
      CHECK(frame.count("step") >= 3);
      state.screen = "directory";
      frame.draw(state, now);
      CHECK(frame.count("place") >= 8);
    }
  }
}

TEST_CASE("a touch on a unit opens its card, and take me there opens its route") {
  CampusPanel campus;
  auto& state = campus.state();
  const core::TimePoint now = campus.clock.now();
  NullFrame frame(1920, 1080);
  state.screen = "map";
  frame.draw(state, now);
  auto capitole = state.wayfinder->find_destination("Salle Capitole");
  REQUIRE(capitole);
  const ui::LayoutItem* unit = frame.find("map-unit", state.wayfinder->venue.units[*capitole].id);
  REQUIRE(unit);
  frame.tap(state, now, unit->rect.x + unit->rect.w * 0.8f, unit->rect.y + unit->rect.h / 2);
  CHECK(state.nav.selected_unit == *capitole);
  const ui::LayoutItem* go = frame.find("button", "take-me-there");
  REQUIRE(go);
  centre_tap(frame, state, now, *go);
  CHECK(state.screen == "route");
  CHECK(state.nav.route_unit == *capitole);
  // The route animates: the frame loop is told to keep drawing until it is whole.
  frame.draw(state, now);
  REQUIRE(state.animate_until);
  CHECK(*state.animate_until > now);
  // Back leads home.
  const ui::LayoutItem* back = frame.find("button", "back");
  REQUIRE(back);
  centre_tap(frame, state, now + 5s, *back);
  CHECK(state.screen == state.home_screen);
}

TEST_CASE("the map pans with a drag and zooms with the wheel, and the idle reset brings the default view back") {
  CampusPanel campus;
  auto& state = campus.state();
  const core::TimePoint now = campus.clock.now();
  NullFrame frame(1920, 1080);
  state.screen = "map";
  frame.draw(state, now);
  const ui::LayoutItem* map = frame.find("map");
  REQUIRE(map);
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = {map->rect.x + map->rect.w / 2, map->rect.y + map->rect.h / 2};
  frame.draw(state, now);
  io.MouseWheel = 2;
  frame.draw(state, now);
  CHECK(state.nav.zoom > 1.3f);
  io.MouseDown[0] = true;
  frame.draw(state, now);
  for (int i = 0; i < 6; ++i) {
    io.MousePos.x += 20;
    frame.draw(state, now);
  }
  io.MouseDown[0] = false;
  frame.draw(state, now);
  CHECK(state.nav.pan_x > 60);
  CHECK(state.nav.selected_unit == wayfinding::kNone);  // a drag is not a touch
  // A level button shows that level.
  const ui::LayoutItem* level2 = frame.find("button", "level-2");
  REQUIRE(level2);
  centre_tap(frame, state, now, *level2);
  CHECK(state.nav.map_level == 2);
  CHECK(state.nav.zoom == 1);

  state.reset_navigation();
  CHECK(state.screen == state.home_screen);
  CHECK(state.nav.zoom == 1);
  CHECK(state.nav.pan_x == 0);
  CHECK(state.nav.map_level == wayfinding::kNone);
}

TEST_CASE("on the board a tile starts its route and the capacity filter keeps rooms big enough") {
  CampusPanel campus;
  auto& state = campus.state();
  const core::TimePoint now = campus.clock.now();
  NullFrame frame(1920, 1080);
  state.screen = "board";
  frame.draw(state, now);
  const int all = frame.count("tile");
  CHECK(all >= 10);
  const ui::LayoutItem* twelve = frame.find("capacity-filter", "12");
  REQUIRE(twelve);
  centre_tap(frame, state, now, *twelve);
  CHECK(state.nav.min_capacity == 12);
  const int big = frame.count("tile");
  CHECK(big > 0);
  CHECK(big < all);
  for (const auto& item : frame.ui.layout()) {
    if (item.kind != "tile") continue;
    auto index = state.find_space(item.id);
    REQUIRE(index);
    const core::Space& space = state.spaces[*index];
    CHECK(std::max(space.capacity, space.seats) >= 12);
  }
  const ui::LayoutItem* tile = frame.find("tile");
  REQUIRE(tile);
  const std::string id = tile->id;
  centre_tap(frame, state, now, *tile);
  CHECK(state.screen == "route");
  CHECK(state.wayfinder->venue.units[state.nav.route_unit].id == id);
}

TEST_CASE("staff hold the place name for 3 seconds to see the counters, rejected ones by reason") {
  CampusPanel campus;
  auto& state = campus.state();
  const core::TimePoint now = campus.clock.now();
  NullFrame frame(1920, 1080);
  state.screen = "board";
  state.figures.received = 120;
  state.figures.rejected = 3;
  state.figures.rejected_by_reason[static_cast<std::size_t>(ingest::Reject::TooLarge)] = 3;
  frame.draw(state, now);
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = {40, 40};
  frame.draw(state, now);
  io.MouseDown[0] = true;
  frame.draw(state, now);  // pressed: the hold starts
  CHECK(state.animate_until);  // frames keep coming while the finger is down
  for (int i = 0; i < 100 && state.screen != "admin"; ++i) {
    io.DeltaTime = 0.05f;  // 100 frames of 50 ms: 5 s, past the 3 s hold
    ImGui::NewFrame();
    frame.ui.draw(state, now);
    ImGui::Render();
  }
  io.MouseDown[0] = false;
  CHECK(state.screen == "admin");
  frame.draw(state, now);
  bool too_large = false;
  for (const auto& item : frame.ui.layout())
    if (item.kind == "admin-line" && item.id.find("too_large") != std::string::npos) too_large = item.state == "3";
  CHECK(too_large);
  // A short touch is not a hold.
  state.screen = "board";
  frame.tap(state, now, 40, 40);
  CHECK(state.screen == "board");
}
