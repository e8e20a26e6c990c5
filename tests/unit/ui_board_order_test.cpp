// The board under a stream of changes: a new state shows in its tile at once, tiles change place
// only calmly (BoardScreen::kSettle after the last reorder, never under a finger), and the frame
// loop is asked for the frame that settles the order. GPU-less ImGui frames.
#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>

#include "app/app_state.hpp"
#include "ui/ui.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

struct Frame {
  Frame() {
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::GetIO().DisplaySize = ImVec2(1920, 1080);
    std::string error;
    CHECK(ui.init(1920, 1080, &error));
    unsigned char* pixels;
    int tw, th;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
  }
  ~Frame() { ImGui::DestroyContext(); }
  void draw(app::AppState& state, core::TimePoint now) {
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ui.draw(state, now);
    ImGui::Render();
  }
  // Space ids in the order their tiles are drawn, with their shown state.
  std::vector<std::pair<std::string, std::string>> tiles() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& item : ui.layout())
      if (item.kind == "tile") out.emplace_back(item.id, item.state);
    return out;
  }
  ui::Ui ui;
};

app::AppState meeting_rooms(core::TimePoint now, int n) {
  app::AppState state;
  state.language = "fr";
  for (int i = 0; i < n; ++i) {
    core::Space space;
    space.id = "room-" + std::to_string(i);
    space.name = {{"fr", "Salle " + std::to_string(i)}};
    space.kind = core::SpaceKind::Meeting;
    space.level_name = {{"fr", "Niveau 0"}};
    state.spaces.push_back(space);
    state.readings.push_back(core::Reading{core::Reading::Kind::Presence, true, 0, now - 1min, 10min});
  }
  return state;
}

void set(app::AppState& state, int i, bool occupied, core::TimePoint now) {
  state.readings[static_cast<std::size_t>(i)] = core::Reading{core::Reading::Kind::Presence, occupied, 0, now, 10min};
  ++state.revision;
}

}  // namespace

TEST_CASE("board: a change shows in place at once, and the order follows after the settle time") {
  Frame frame;
  core::TimePoint t = core::ManualClock().now();
  app::AppState state = meeting_rooms(t, 6);  // all occupied: sorted by name
  frame.draw(state, t);
  const auto before = frame.tiles();
  REQUIRE(before.size() == 6);
  CHECK(before[0].first == "room-0");

  set(state, 4, false, t + 1s);  // room 4 frees up
  frame.draw(state, t + 1s);
  auto now_shown = frame.tiles();
  // Same places, the new state on room 4's own tile.
  for (std::size_t i = 0; i < 6; ++i) CHECK(now_shown[i].first == before[i].first);
  CHECK(now_shown[4] == std::pair<std::string, std::string>{"room-4", "free"});
  // The frame loop is asked to come back when the order may settle.
  REQUIRE(state.redraw_at);
  CHECK(*state.redraw_at == t + ui::BoardScreen::kSettle);

  frame.draw(state, t + 5s);  // still within the settle time (counted from the first sort)
  CHECK(frame.tiles()[0].first == "room-0");
  frame.draw(state, t + ui::BoardScreen::kSettle);
  CHECK(frame.tiles()[0] == std::pair<std::string, std::string>{"room-4", "free"});  // free first, now
  CHECK_FALSE(state.redraw_at);  // nothing left to settle
}

TEST_CASE("board: under a stream of changes tiles move at most once per settle time") {
  Frame frame;
  core::TimePoint t = core::ManualClock().now();
  app::AppState state = meeting_rooms(t, 20);
  frame.draw(state, t);
  auto order = [&] {
    std::vector<std::string> ids;
    for (const auto& [id, shown] : frame.tiles()) ids.push_back(id);
    return ids;
  };
  std::vector<std::string> last = order();
  int reorders = 0;
  // 60 s of a change every 100 ms, a frame after each.
  for (int step = 1; step <= 600; ++step) {
    const core::TimePoint now = t + step * 100ms;
    set(state, (step * 7) % 20, step % 3 == 0, now);
    frame.draw(state, now);
    auto current = order();
    if (current != last) ++reorders;
    last = current;
    // Whatever the order, every tile shows its space's current state.
    for (const auto& [id, shown] : frame.tiles()) {
      const int i = std::stoi(id.substr(5));
      CHECK(shown == (state.readings[static_cast<std::size_t>(i)]->occupied ? "occupied" : "free"));
    }
  }
  CHECK(reorders >= 1);
  CHECK(reorders <= 60 / static_cast<int>(ui::BoardScreen::kSettle.count()) + 1);
}

TEST_CASE("board: no tile changes place while a finger is down, nor for the settle time after") {
  Frame frame;
  core::TimePoint t = core::ManualClock().now();
  app::AppState state = meeting_rooms(t, 6);
  frame.draw(state, t);
  set(state, 5, false, t + 1s);
  ImGui::GetIO().MousePos = ImVec2(300, 400);
  ImGui::GetIO().MouseDown[0] = true;  // a finger on the screen from t + 1 s to t + 30 s
  for (core::TimePoint now = t + 1s; now <= t + 30s; now += 1s) {
    frame.draw(state, now);
    CHECK(frame.tiles()[0].first == "room-0");
  }
  ImGui::GetIO().MouseDown[0] = false;
  frame.draw(state, t + 31s);  // lifted: the settle time counts from here
  CHECK(frame.tiles()[0].first == "room-0");
  frame.draw(state, t + 40s);
  CHECK(frame.tiles()[0].first == "room-0");
  frame.draw(state, t + 31s + ui::BoardScreen::kSettle);
  CHECK(frame.tiles()[0].first == "room-5");
}
