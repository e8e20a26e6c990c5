// Every screen drawn in a frame with no GPU (Dear ImGui's "null" example): Debian's ImGui aborts on
// a Begin/End mismatch, so this catches misuse; the layout log says what was drawn where.
#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>

#include "app/app_state.hpp"
#include "ui/ui.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

struct NullFrame {
  NullFrame(float w, float h) {
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::GetIO().DisplaySize = ImVec2(w, h);
    std::string error;
    CHECK(ui.init(w, h, &error));  // Noto or DejaVu must be found: scripts/setup installs them
    unsigned char* pixels;
    int tw, th;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
  }
  ~NullFrame() { ImGui::DestroyContext(); }
  void draw(app::AppState& state, core::TimePoint now) {
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ui.draw(state, now);
    ImGui::Render();
  }
  ui::Ui ui;
};

app::AppState sample_state(core::TimePoint now) {
  app::AppState state;
  state.panel_id = "entrance";
  state.language = "fr";
  auto add = [&](std::string id, std::string name, core::SpaceKind kind, int level, int seats) {
    core::Space space;
    space.id = std::move(id);
    space.name = {{"fr", std::move(name)}};
    space.kind = kind;
    space.level_ordinal = level;
    space.level_name = {{"fr", "Étage " + std::to_string(level)}, {"en", "Floor " + std::to_string(level)}};
    space.capacity = 8;
    space.seats = seats;
    space.equipment = {"screen", "video"};
    state.spaces.push_back(space);
  };
  add("garonne", "Salle Garonne", core::SpaceKind::Meeting, 1, 0);
  add("oeno", "Salle Œnologie — très long nom qui ne tient pas dans une tuile", core::SpaceKind::Meeting, 0, 0);
  add("canal", "Salle Canal du Midi", core::SpaceKind::Meeting, 2, 0);
  add("sieste", "Salle de sieste Nord", core::SpaceKind::Nap, 1, 4);
  add("cabine", "Cabine 1", core::SpaceKind::Phone, 0, 0);
  state.readings.resize(state.spaces.size());
  state.readings[0] = core::Reading{core::Reading::Kind::Presence, true, 0, now - 1min, 10min};
  state.readings[1] = core::Reading{core::Reading::Kind::Presence, false, 0, now - 1min, 10min};
  state.readings[2] = core::Reading{core::Reading::Kind::Presence, false, 0, now - 2h, 10min};  // stale
  state.readings[3] = core::Reading{core::Reading::Kind::Count, false, 2, now, 10min};
  return state;
}

const ui::LayoutItem* find(const ui::Layout& layout, std::string_view kind, std::string_view id = "") {
  auto it = std::find_if(layout.begin(), layout.end(),
                         [&](const ui::LayoutItem& item) { return item.kind == kind && item.id == id; });
  return it == layout.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("board: every tile drawn with its honest state, landscape and portrait, FR and EN") {
  core::TimePoint now = core::ManualClock().now();
  for (auto [w, h] : {std::pair{1920.f, 1080.f}, std::pair{1080.f, 1920.f}}) {
    for (const char* lang : {"fr", "en"}) {
      CAPTURE(w);
      CAPTURE(lang);
      NullFrame frame(w, h);
      app::AppState state = sample_state(now);
      state.language = lang;
      frame.draw(state, now);
      frame.draw(state, now);
      const ui::Layout& layout = frame.ui.layout();
      REQUIRE(find(layout, "tile", "garonne"));
      CHECK(find(layout, "tile", "garonne")->state == "occupied");
      CHECK(find(layout, "tile", "oeno")->state == "free");
      CHECK(find(layout, "tile", "canal")->state == "unknown");  // stale data is never shown as free
      CHECK(find(layout, "tile", "sieste")->state == "free");    // 2 of 4 seats free
      CHECK(find(layout, "tile", "cabine")->state == "unknown");  // never heard from
      // Free before occupied before unknown within a section.
      CHECK(find(layout, "tile", "oeno")->rect.y <= find(layout, "tile", "garonne")->rect.y);
      if (find(layout, "tile", "oeno")->rect.y == find(layout, "tile", "garonne")->rect.y)
        CHECK(find(layout, "tile", "oeno")->rect.x < find(layout, "tile", "garonne")->rect.x);
      // Tiles stay inside the screen and do not overlap.
      for (const auto& a : layout) {
        if (a.kind != "tile") continue;
        CHECK(a.rect.x >= 0);
        CHECK(a.rect.x + a.rect.w <= w);
        for (const auto& b : layout)
          if (b.kind == "tile" && &a != &b)
            CHECK_FALSE((a.rect.x < b.rect.x + b.rect.w && b.rect.x < a.rect.x + a.rect.w &&
                         a.rect.y < b.rect.y + b.rect.h && b.rect.y < a.rect.y + a.rect.h));
      }
      CHECK(find(layout, "offline-banner"));  // a state with no network says offline
    }
  }
}

TEST_CASE("board: status strip follows the link") {
  core::TimePoint now = core::ManualClock().now();
  NullFrame frame(1920, 1080);
  app::AppState state = sample_state(now);
  state.network_enabled = true;
  frame.draw(state, now);
  CHECK(find(frame.ui.layout(), "status-strip"));
  CHECK(find(frame.ui.layout(), "status-strip")->state == "connecting");
  state.link_known = true;
  state.link.connected = true;
  frame.draw(state, now);
  CHECK(find(frame.ui.layout(), "status-strip")->state == "online");
  state.link.connected = false;
  state.link.since = now - 5min;
  frame.draw(state, now);
  CHECK(find(frame.ui.layout(), "offline-banner"));
  CHECK_FALSE(find(frame.ui.layout(), "status-strip"));
}

TEST_CASE("board: a reading reaching its ttl turns the tile unknown without any new data") {
  core::TimePoint now = core::ManualClock().now();
  NullFrame frame(1920, 1080);
  app::AppState state = sample_state(now);
  frame.draw(state, now);
  CHECK(find(frame.ui.layout(), "tile", "oeno")->state == "free");
  auto expiry = state.next_expiry(now);
  REQUIRE(expiry);
  CHECK(*expiry == now - 1min + 10min + core::Millis{1});
  frame.draw(state, *expiry);
  CHECK(find(frame.ui.layout(), "tile", "oeno")->state == "unknown");
}

TEST_CASE("board: empty config and thousands of spaces") {
  core::TimePoint now = core::ManualClock().now();
  NullFrame frame(1920, 1080);
  app::AppState empty;
  frame.draw(empty, now);
  CHECK(std::none_of(frame.ui.layout().begin(), frame.ui.layout().end(),
                     [](const ui::LayoutItem& i) { return i.kind == "tile"; }));

  app::AppState many;
  for (int i = 0; i < 10000; ++i) {
    core::Space space;
    space.id = "s" + std::to_string(i);
    space.name = {{"fr", "Salle " + std::to_string(i)}};
    space.kind = static_cast<core::SpaceKind>(i % 4);
    many.spaces.push_back(space);
  }
  many.readings.resize(many.spaces.size());
  frame.draw(many, now);
  std::size_t tiles = std::count_if(frame.ui.layout().begin(), frame.ui.layout().end(),
                                    [](const ui::LayoutItem& i) { return i.kind == "tile"; });
  CHECK(tiles > 0);
  CHECK(tiles < 200);  // only what is on screen is drawn
}

TEST_CASE("language toggle switches the whole board") {
  core::TimePoint now = core::ManualClock().now();
  NullFrame frame(1920, 1080);
  app::AppState state = sample_state(now);
  frame.draw(state, now);
  const ui::LayoutItem* toggle = find(frame.ui.layout(), "lang-toggle");
  REQUIRE(toggle);
  ImGuiIO& io = ImGui::GetIO();
  // Click the right half ("EN"): press on one frame, release on the next.
  ImVec2 en{toggle->rect.x + toggle->rect.w * 0.75f, toggle->rect.y + toggle->rect.h * 0.5f};
  io.MousePos = en;
  frame.draw(state, now);
  io.MouseDown[0] = true;
  frame.draw(state, now);
  io.MouseDown[0] = false;
  frame.draw(state, now);
  CHECK(state.language == "en");
}

TEST_CASE("board: a screen tall enough for thousands of tiles draws what fits instead of aborting") {
  // Debian's ImGui has 16-bit vertex indices: one draw list holds 65,536 vertices, about 230 tiles.
  core::TimePoint now = core::ManualClock().now();
  NullFrame frame(1920, 30000);
  app::AppState many;
  for (int i = 0; i < 5000; ++i) {
    core::Space space;
    space.id = "s" + std::to_string(i);
    space.name = {{"fr", "Salle " + std::to_string(i)}};
    space.equipment = {"screen", "video"};
    many.spaces.push_back(space);
  }
  many.readings.resize(many.spaces.size());
  frame.draw(many, now);
  std::size_t tiles = std::count_if(frame.ui.layout().begin(), frame.ui.layout().end(),
                                    [](const ui::LayoutItem& i) { return i.kind == "tile"; });
  CHECK(tiles > 100);
  CHECK(tiles < 5000);
}

TEST_CASE("board: a small staff badge 'state not saved' while storage fails, and the staff view gives the whole cause") {
  core::TimePoint now = core::ManualClock().now();
  NullFrame frame(800, 480);  // the smallest panel: the badge must still fit without hiding the title
  app::AppState state = sample_state(now);
  frame.draw(state, now);
  CHECK_FALSE(find(frame.ui.layout(), "storage-badge"));

  state.storage = {false, "full",
                   "snapshot database /var/lib/kiosk/entrance.db: cannot commit: database or disk is full. The disk "
                   "holding /var/lib/kiosk is full: free space there. The panel keeps showing live data and keeps "
                   "what it could not write until it can.",
                   "", now - 5min};
  for (const char* lang : {"fr", "en"}) {
    CAPTURE(lang);
    state.language = lang;
    state.screen = "board";
    ++state.revision;
    frame.draw(state, now);
    const ui::LayoutItem* badge = find(frame.ui.layout(), "storage-badge");
    REQUIRE(badge);
    CHECK(badge->state == (std::string(lang) == "fr" ? "état non enregistré" : "state not saved"));
    const ui::LayoutItem* header = find(frame.ui.layout(), "header");
    REQUIRE(header);
    CHECK(badge->rect.y >= header->rect.y);
    CHECK(badge->rect.y + badge->rect.h <= header->rect.y + header->rect.h);
    CHECK(badge->rect.h < header->rect.h / 2);  // small: staff read it, visitors need not notice it
    for (const ui::LayoutItem& item : frame.ui.layout())
      if (item.kind == "tab" || item.kind == "lang-toggle") CHECK(badge->rect.x + badge->rect.w <= item.rect.x);

    state.screen = "admin";
    ++state.revision;
    frame.draw(state, now);
    std::string shown;
    for (const ui::LayoutItem& item : frame.ui.layout())
      if (item.kind == "admin-line" && item.state.empty()) shown += item.id + " ";
    CHECK(shown.find("database or disk is full") != std::string::npos);
    CHECK(shown.find("until it can.") != std::string::npos);  // wrapped, not cut off
  }
}
