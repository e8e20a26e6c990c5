// The map's costs a panel pays: loading the sample campus and cutting its rooms into triangles (once
// per map load), and the CPU of one map frame on the ImGui side (no GPU: Dear ImGui's "null" setup,
// with the vertex offsets the GL3 backend enables) on the busiest level of a big venue.
//   bench_map_frame PANEL.toml [frames (default 500)]
// PANEL.toml: a panel over a synthetic venue (scripts/gen-synthetic-venue --config). Prints
// name=value lines; times in milliseconds, first 10 frames excluded.
#include <imgui.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "app/panel.hpp"
#include "imdf/loader.hpp"
#include "ui/ui.hpp"
#include "wayfinding/floor_plan.hpp"

using namespace kiosk;

namespace {

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}
double since_ms(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(static_cast<double>(v.size()) * p))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_map_frame PANEL.toml [frames]\n");
    return 2;
  }
  const int frames = argc > 2 ? std::max(20, std::atoi(argv[2])) : 500;

  // The sample campus: parse + plan (projection, triangles, label points), median of 5.
  std::vector<double> campus;
  for (int i = 0; i < 5; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto loaded = imdf::load(std::filesystem::path(KIOSK_SOURCE_DIR) / "config" / "campus");
    if (!loaded.venue) return 1;
    auto plan = wayfinding::build_floor_plan(*loaded.venue);
    campus.push_back(since_ms(t0));
    if (plan.units.empty()) return 1;
  }
  std::printf("campus_map_load_plan_ms=%.2f\n", percentile(campus, 0.5));

  auto t0 = std::chrono::steady_clock::now();
  app::Setup setup = app::load_setup(argv[1]);
  std::printf("synthetic_setup_ms=%.1f\n", since_ms(t0));  // config + map + plan + graph + walking times
  if (!setup.usable() || !setup.wayfinder) {
    for (const auto& m : setup.messages) std::fprintf(stderr, "%s\n", m.c_str());
    return 1;
  }
  std::printf("wayfinder_plan_kb=%zu\nwayfinder_graph_kb=%zu\n", setup.wayfinder->plan.memory_bytes() / 1024,
              setup.wayfinder->graph.memory_bytes() / 1024);
  core::SystemClock clock;
  app::Panel panel(std::move(setup), clock);
  app::AppState& state = panel.state();
  const auto& plan = state.wayfinder->plan;
  std::uint32_t busiest = 0;
  for (std::uint32_t l = 0; l < plan.levels.size(); ++l)
    if (plan.levels[l].units.size() > plan.levels[busiest].units.size()) busiest = l;
  std::printf("busiest_level_units=%zu\n", plan.levels[busiest].units.size());
  // Half the spaces have a reading: free and occupied fills, icons and labels all drawn.
  const core::TimePoint now = clock.now();
  for (std::size_t i = 0; i < state.spaces.size(); i += 2)
    state.readings[i] = core::Reading{core::Reading::Kind::Presence, (i / 2) % 2 == 1, 0, now - std::chrono::minutes(1),
                                      std::chrono::minutes(10)};
  ++state.revision;

  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(1920, 1080);
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as imgui_impl_opengl3 sets on GL 3.2+
  ui::Ui ui;
  ui.init(1920, 1080, nullptr);
  unsigned char* pixels;
  int tw, th;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
  state.screen = "map";
  state.nav.map_level = busiest;

  for (const bool live : {false, true}) {
    std::vector<double> cpu, wall;
    std::size_t vertices = 0;
    for (int f = 0; f < frames + 10; ++f) {
      if (live) {  // a sensor changed: unit states are recomputed for the fills
        std::size_t i = static_cast<std::size_t>(f * 7919) % state.spaces.size();
        state.readings[i] = core::Reading{core::Reading::Kind::Presence, (f & 1) != 0, 0, now, std::chrono::minutes(10)};
        ++state.revision;
      }
      auto w0 = std::chrono::steady_clock::now();
      double c0 = thread_cpu_ms();
      io.DeltaTime = 1.0f / 60.0f;
      ImGui::NewFrame();
      ui.draw(state, now);
      ImGui::Render();
      if (f >= 10) {
        cpu.push_back(thread_cpu_ms() - c0);
        wall.push_back(since_ms(w0));
      }
      vertices = static_cast<std::size_t>(ImGui::GetDrawData()->TotalVtxCount);
    }
    const char* name = live ? "map_frame_live" : "map_frame_static";
    std::printf("%s_cpu_median_ms=%.3f\n%s_cpu_p99_ms=%.3f\n%s_wall_median_ms=%.3f\n%s_vertices=%zu\n", name,
                percentile(cpu, 0.5), name, percentile(cpu, 0.99), name, percentile(wall, 0.5), name, vertices);
  }
  ImGui::DestroyContext();
  panel.stop();
  return 0;
}
