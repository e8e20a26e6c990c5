// `kiosk run`: the panel. Plain order, as in Dear ImGui's SDL2 + OpenGL3 example: set up, loop,
// clean up; print and return early on errors.
#include <SDL.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>
#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <iostream>

#include "app/panel.hpp"
#include "app/setup.hpp"
#include "platform/commands.hpp"
#include "platform/frame_loop.hpp"
#include "platform/gl_window.hpp"
#include "ui/ui.hpp"

namespace kiosk::platform {

namespace {

constexpr std::chrono::seconds kHealthInterval{30};

// Once a second at most, even when nothing happens: the watchdog and the health timer need it,
// and it bounds the damage of a missed wake-up.
constexpr std::chrono::milliseconds kMaxSleep{1000};

std::optional<core::TimePoint> watchdog_deadline(core::TimePoint last_ping) {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return std::nullopt;
  return last_ping + core::Millis{static_cast<long long>(usec / 2000)};
}

}  // namespace

int run_command(const RunOptions& options) {
  app::Setup setup = app::load_setup(options.config);
  for (const std::string& line : setup.messages) std::cerr << line << '\n';
  if (!setup.usable()) {
    std::cerr << "kiosk: the configuration has errors; fix them (kiosk check --config " << options.config.string()
              << ") and start again\n";
    return 1;
  }

  core::SystemClock clock;
  std::unique_ptr<app::Panel> panel;
  try {
    panel = std::make_unique<app::Panel>(std::move(setup), clock);  // reads the snapshot before any frame
  } catch (const std::exception& e) {
    std::cerr << "kiosk: " << e.what() << '\n';
    return 1;
  }

  WindowOptions window_options;
  window_options.fullscreen = !options.windowed;
  window_options.width = options.width;
  window_options.height = options.height;
  std::string error;
  auto window = GlWindow::create(window_options, &error);
  if (!window) {
    std::cerr << "kiosk: " << error << '\n';
    return 1;
  }
  ui::Ui ui;
  int font_w = window->width(), font_h = window->height();
  if (!ui.init(static_cast<float>(font_w), static_cast<float>(font_h), &error)) std::cerr << "kiosk: " << error << '\n';

  // Other threads wake the loop with an event of our own; SDL_PushEvent is thread-safe.
  const Uint32 wake_event = SDL_RegisterEvents(1);
  panel->start_network([wake_event] {
    SDL_Event event{};
    event.type = wake_event;
    SDL_PushEvent(&event);
  });
  sd_notify(0, "READY=1");

  std::uint64_t drawn_revision = 0;
  core::TimePoint drawn_minute{};
  int extra_frames = 1;  // ImGui settles hover/active states one frame after input
  core::TimePoint last_health = clock.now(), last_watchdog = clock.now();
  std::uint64_t frames_since_health = 0;
  bool running = true;

  while (running) {
    core::TimePoint now = clock.now();
    int timeout = extra_frames > 0 ? 0
                                   : wait_timeout_ms(now,
                                                     {next_minute(now), panel->state().next_expiry(now),
                                                      last_health + kHealthInterval, watchdog_deadline(last_watchdog)},
                                                     kMaxSleep);
    SDL_Event event;
    bool have_event = SDL_WaitEventTimeout(&event, timeout) != 0;
    while (have_event) {
      if (event.type == SDL_QUIT) running = false;
      if (event.type != wake_event) {
        ImGui_ImplSDL2_ProcessEvent(&event);
        extra_frames = 2;
      }
      have_event = SDL_PollEvent(&event) != 0;
    }
    panel->pump();
    now = clock.now();

    if (window->width() != font_w || window->height() != font_h) {
      font_w = window->width();
      font_h = window->height();
      ui.init(static_cast<float>(font_w), static_cast<float>(font_h), nullptr);
      ImGui_ImplOpenGL3_DestroyFontsTexture();
      extra_frames = 2;
    }

    bool minute_changed = next_minute(drawn_minute) <= now;
    if (panel->state().revision != drawn_revision || minute_changed || extra_frames > 0) {
      drawn_revision = panel->state().revision;
      drawn_minute = now;
      window->new_frame();
      ui.draw(panel->state(), now);
      window->render();
      window->swap();
      ++frames_since_health;
      if (extra_frames > 0) --extra_frames;
    }

    if (auto deadline = watchdog_deadline(last_watchdog); deadline && now >= *deadline) {
      sd_notify(0, "WATCHDOG=1");
      last_watchdog = now;
    }
    if (now - last_health >= kHealthInterval) {
      double seconds = std::chrono::duration<double>(now - last_health).count();
      panel->publish_health(static_cast<double>(frames_since_health) / seconds);
      frames_since_health = 0;
      last_health = now;
    }
  }
  sd_notify(0, "STOPPING=1");
  panel->stop();
  return 0;
}

}  // namespace kiosk::platform
