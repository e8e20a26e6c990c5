// CPU cost of one board frame on the ImGui side (NewFrame + Ui::draw + Render, no GPU: Dear ImGui's
// "null" setup, as in tests/unit/ui_board_test.cpp), 1920x1080, with 300 and with 10,000 spaces in
// mixed states (plus 300 spaces on a display tall enough to draw all 300 tiles: "_all"). Two cases each:
//   live:   one reading changes before every frame (AppState::revision bumped), as when the panel
//           draws because data arrived; the board regroups and resorts;
//   static: nothing changed (a frame for the clock's minute or an input).
//   bench_board_frame [frames (default 2000)]
// Prints name=value lines; times in milliseconds, first 10 frames excluded.
#include <imgui.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/app_state.hpp"
#include "core/clock.hpp"
#include "ui/ui.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

app::AppState make_state(int count, core::TimePoint now) {
  app::AppState state;
  state.panel_id = "bench";
  state.site_name = "Bench";
  state.language = "fr";
  state.network_enabled = true;
  state.link_known = true;
  state.link.connected = true;
  state.link.broker = "127.0.0.1:1883";
  state.link.since = now - 1h;
  const char* equipment[][3] = {{"screen", "video", "whiteboard"}, {"screen", "", ""}, {"", "", ""}};
  for (int i = 0; i < count; ++i) {
    core::Space space;
    space.id = "space-" + std::to_string(i);
    space.name = {{"fr", "Salle " + std::to_string(i / 100) + "-" + std::to_string(i % 100)},
                  {"en", "Room " + std::to_string(i / 100) + "-" + std::to_string(i % 100)}};
    space.kind = static_cast<core::SpaceKind>(i % core::kSpaceKindCount);
    space.level_ordinal = (i / 7) % 6;
    space.level_name = {{"fr", "Étage " + std::to_string(space.level_ordinal)},
                        {"en", "Floor " + std::to_string(space.level_ordinal)}};
    space.capacity = 2 + i % 12;
    space.seats = space.kind == core::SpaceKind::Nap ? 4 : 0;
    for (const char* e : equipment[i % 3])
      if (*e) space.equipment.emplace_back(e);
    state.spaces.push_back(std::move(space));
  }
  state.readings.resize(state.spaces.size());
  for (int i = 0; i < count; ++i) {
    const bool nap = state.spaces[i].seats > 0;
    switch (i % 5) {
      case 0:  // free
      case 1:
        state.readings[i] = nap ? core::Reading{core::Reading::Kind::Count, false, 1, now - 1min, 10min}
                                : core::Reading{core::Reading::Kind::Presence, false, 0, now - 1min, 10min};
        break;
      case 2:  // occupied
        state.readings[i] = nap ? core::Reading{core::Reading::Kind::Count, false, 4, now - 2min, 10min}
                                : core::Reading{core::Reading::Kind::Presence, true, 0, now - 2min, 10min};
        break;
      case 3:  // stale: unknown, "last seen"
        state.readings[i] = core::Reading{core::Reading::Kind::Presence, false, 0, now - 2h, 10min};
        break;
      default:  // never heard from
        break;
    }
  }
  state.newest_data = now - 1min;
  return state;
}

struct Stats {
  double median = 0, p99 = 0, max = 0, mean = 0;
};
Stats stats_of(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.median = v[v.size() / 2];
  s.p99 = v[std::min(v.size() - 1, static_cast<std::size_t>(static_cast<double>(v.size()) * 0.99))];
  s.max = v.back();
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / static_cast<double>(v.size());
  return s;
}

void run(ui::Ui& ui, int count, bool live, int frames, core::TimePoint now, float height = 1080,
         const char* suffix = "") {
  ImGui::GetIO().DisplaySize = ImVec2(1920, height);
  app::AppState state = make_state(count, now);
  std::vector<double> wall, cpu;
  wall.reserve(static_cast<std::size_t>(frames));
  cpu.reserve(static_cast<std::size_t>(frames));
  constexpr int kWarmup = 10;
  std::size_t tiles = 0;
  for (int f = 0; f < frames + kWarmup; ++f) {
    if (live) {
      // One sensor says something new: what makes the panel draw a frame.
      const std::size_t i = static_cast<std::size_t>(f * 7919) % state.spaces.size();
      state.readings[i] = core::Reading{core::Reading::Kind::Presence, (f & 1) != 0, 0, now, 10min};
      ++state.revision;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = thread_cpu_ms();
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ui.draw(state, now);
    ImGui::Render();
    const double c1 = thread_cpu_ms();
    const auto t1 = std::chrono::steady_clock::now();
    if (f >= kWarmup) {
      wall.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      cpu.push_back(c1 - c0);
    }
    if (f == frames + kWarmup - 1)
      tiles = static_cast<std::size_t>(std::count_if(ui.layout().begin(), ui.layout().end(),
                                                     [](const ui::LayoutItem& it) { return it.kind == "tile"; }));
  }
  const std::string p = "board_" + std::to_string(count) + suffix + (live ? "_live" : "_static");
  const Stats w = stats_of(wall), c = stats_of(cpu);
  const ImDrawData* dd = ImGui::GetDrawData();
  std::printf("%s_tiles_drawn=%zu\n", p.c_str(), tiles);
  std::printf("%s_vertices=%d\n", p.c_str(), dd ? dd->TotalVtxCount : 0);
  std::printf("%s_median_ms=%.4f\n", p.c_str(), w.median);
  std::printf("%s_p99_ms=%.4f\n", p.c_str(), w.p99);
  std::printf("%s_max_ms=%.4f\n", p.c_str(), w.max);
  std::printf("%s_mean_ms=%.4f\n", p.c_str(), w.mean);
  std::printf("%s_cpu_median_ms=%.4f\n", p.c_str(), c.median);
  std::printf("%s_cpu_p99_ms=%.4f\n", p.c_str(), c.p99);
}

}  // namespace

int main(int argc, char** argv) {
  const int frames = argc > 1 ? std::atoi(argv[1]) : 2000;
  if (frames < 1) {
    std::fprintf(stderr, "usage: bench_board_frame [frames]\n");
    return 2;
  }
  const float w = 1920, h = 1080;
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::GetIO().DisplaySize = ImVec2(w, h);
  ui::Ui ui;
  std::string error;
  if (!ui.init(w, h, &error)) std::fprintf(stderr, "bench_board_frame: fonts: %s (ImGui's own font used)\n", error.c_str());
  unsigned char* pixels;
  int tw, th;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);

  const core::TimePoint now = core::SystemClock().now();
  std::printf("board_frames=%d\n", frames);
  for (int count : {300, 10000}) {
    run(ui, count, true, frames, now);
    run(ui, count, false, frames, now);
  }
  // A 1080-pixel-high screen shows about 30 tiles: to draw all 300 tiles in one frame, a display
  // ten screens high (fonts and tiles keep their 1080p size).
  run(ui, 300, true, frames, now, 6000, "_tall");
  run(ui, 300, false, frames, now, 6000, "_tall");
  ImGui::DestroyContext();
  return 0;
}
