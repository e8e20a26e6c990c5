// The GL floor for the memory comparison: the same SDL2 + OpenGL 3.3 + Dear ImGui window as the panel
// (platform::GlWindow, windowed 1920x1080) with the panel's fonts (ui::Ui::init), drawing empty frames,
// and nothing else. Run it under the same display/driver as the panel (e.g. xvfb-run).
//   bench_empty_window [seconds (default 5)]
// Prints empty_window_frames=N and empty_window_rss_kb=K (VmRSS at the end).
#include <SDL2/SDL.h>  // SDL is a private dependency of kiosk_platform: no include path here
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "bench_util.hpp"
#include "platform/gl_window.hpp"
#include "ui/ui.hpp"

namespace {


}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 5.0;
  kiosk::platform::WindowOptions options;
  options.fullscreen = false;
  options.width = 1920;
  options.height = 1080;
  std::string error;
  auto window = kiosk::platform::GlWindow::create(options, &error);
  if (!window) {
    std::fprintf(stderr, "bench_empty_window: %s\n", error.c_str());
    return 1;
  }
  kiosk::ui::Ui ui;
  if (!ui.init(static_cast<float>(window->width()), static_cast<float>(window->height()), &error))
    std::fprintf(stderr, "bench_empty_window: fonts: %s\n", error.c_str());

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  long frames = 0;
  bool running = true;
  while (running && std::chrono::steady_clock::now() < deadline) {
    SDL_Event event;
    // Like the panel: block for events, draw now and then (10 frames/s here).
    if (SDL_WaitEventTimeout(&event, 100) != 0) {
      do {
        if (event.type == SDL_QUIT) running = false;
      } while (SDL_PollEvent(&event) != 0);
    }
    window->new_frame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("empty", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::End();
    if (window->render().drawn) window->present();
    ++frames;
  }
  std::printf("empty_window_frames=%ld\n", frames);
  std::printf("empty_window_rss_kb=%ld\n", kiosk::bench::status_kb("VmRSS"));
  std::printf("empty_window_hwm_kb=%ld\n", kiosk::bench::status_kb("VmHWM"));
  std::fflush(stdout);
  return 0;
}
