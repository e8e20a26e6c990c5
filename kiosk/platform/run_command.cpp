// `kiosk run`: the panel. Plain order, as in Dear ImGui's SDL2 + OpenGL3 example: set up, loop,
// clean up; print and return early on errors.
#include <SDL.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>
#include <systemd/sd-daemon.h>

#include <time.h>
#include <unistd.h>

#include <malloc.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>

#include "app/board_cache.hpp"
#include "app/config_watcher.hpp"
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
// 30 frames a second while a route draws itself: smooth enough, and half the cost of 60 on a Pi.
constexpr std::chrono::milliseconds kAnimationFrame{33};

std::optional<core::TimePoint> watchdog_deadline(core::TimePoint last_ping) {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return std::nullopt;
  return last_ping + core::Millis{static_cast<long long>(usec / 2000)};
}

// Milliseconds since this process was started by the kernel (for the start-to-first-frame benchmark:
// it counts the dynamic loader and static initialisers too).
double ms_since_process_start() {
  std::ifstream stat("/proc/self/stat");
  std::string line;
  std::getline(stat, line);
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
  }
  timespec boot{};
  clock_gettime(CLOCK_BOOTTIME, &boot);
  double start_s = std::stod(field) / static_cast<double>(sysconf(_SC_CLK_TCK));
  return (static_cast<double>(boot.tv_sec) + static_cast<double>(boot.tv_nsec) * 1e-9 - start_s) * 1000.0;
}

}  // namespace

int run_command(const RunOptions& options) {
  // Start-up phases, printed with the first-frame benchmark line.
  std::string phases;
  auto phase_start = std::chrono::steady_clock::now();
  auto mark = [&](const char* name) {
    auto now = std::chrono::steady_clock::now();
    phases += std::string(" ") + name + "_ms=" +
              std::to_string(std::chrono::duration<double, std::milli>(now - phase_start).count());
    phase_start = now;
  };
  // The files load on a helper thread while this one brings up the window and GL: on a small board
  // both take hundreds of milliseconds and neither needs the other. The loader first reads the
  // snapshot's board cache (milliseconds), so the first frame can show the last known state while
  // the map is still being parsed; then it builds the full panel, which takes over.
  core::SystemClock clock;
  struct Loaded {
    std::unique_ptr<app::Panel> panel;
    std::vector<std::string> messages;
    std::string error;
    double ms = 0;
  };
  std::promise<std::optional<app::AppState>> early_promise;
  std::future<std::optional<app::AppState>> early = early_promise.get_future();
  std::future<Loaded> loading =
      std::async(std::launch::async, [&options, &clock, early_promise = std::move(early_promise)]() mutable {
        auto started = std::chrono::steady_clock::now();
        Loaded loaded;
        config::LoadResult config = config::load(options.config);
        std::string snapshot_note;  // e.g. a damaged file moved aside: the panel must still say so
        early_promise.set_value(config.config ? app::state_from_snapshot(*config.config, &snapshot_note)
                                              : std::nullopt);
        app::Setup setup = app::load_setup(std::move(config));
        loaded.messages = setup.messages;
        if (!setup.usable()) {
          loaded.error = "the configuration has errors; fix them (kiosk check --config " + options.config.string() +
                         ") and start again";
          return loaded;
        }
        try {
          loaded.panel = std::make_unique<app::Panel>(std::move(setup), clock);  // reads the snapshot
          if (!snapshot_note.empty()) loaded.panel->state().notices.push_back(snapshot_note);
        } catch (const std::exception& e) {
          loaded.error = e.what();
        }
        // Parsing the map leaves freed pages in the heap: hand them back, a panel has 1 GB in all.
        malloc_trim(0);
        loaded.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        return loaded;
      });

  WindowOptions window_options;
  window_options.fullscreen = !options.windowed;
  window_options.width = options.width;
  window_options.height = options.height;
  std::string error;
  auto window = GlWindow::create(window_options, &error);
  mark("window");
  if (!window) {
    // The configuration's own problems first: they are what staff can fix from the panel's files.
    Loaded loaded = loading.get();
    for (const std::string& line : loaded.messages) std::cerr << line << '\n';
    if (!loaded.error.empty()) std::cerr << "kiosk: " << loaded.error << '\n';
    std::cerr << "kiosk: " << error << '\n';
    return 1;
  }
  ui::Ui ui;
  int font_w = window->width(), font_h = window->height();
  if (!ui.init(static_cast<float>(font_w), static_cast<float>(font_h), &error)) std::cerr << "kiosk: " << error << '\n';
  mark("fonts");

  // Other threads wake the loop with an event of our own; SDL_PushEvent is thread-safe.
  const Uint32 wake_event = SDL_RegisterEvents(1);
  const core::Inbox::Wake wake = [wake_event] {
    SDL_Event event{};
    event.type = wake_event;
    SDL_PushEvent(&event);
  };

  std::optional<app::AppState> early_state = early.get();
  mark("early");
  std::unique_ptr<app::Panel> panel;
  std::unique_ptr<app::ConfigWatcher> watcher;
  // Takes the full panel over once it is loaded. False if the loading failed: the panel cannot run.
  auto take_over = [&]() {
    Loaded loaded = loading.get();
    for (const std::string& line : loaded.messages) std::cerr << line << '\n';
    if (!loaded.panel) {
      std::cerr << "kiosk: " << loaded.error << '\n';
      return false;
    }
    panel = std::move(loaded.panel);
    if (early_state) panel->state().language = early_state->language;  // the viewer's choice stands
    early_state.reset();
    malloc_trim(0);  // the early board is gone: give its pages back
    panel->start_network(wake);
    watcher = std::make_unique<app::ConfigWatcher>(options.config, panel->setup(), std::chrono::seconds(2), wake);
    phases += " load_ms=" + std::to_string(loaded.ms);
    return true;
  };
  if (!early_state && !take_over()) return 1;  // first start, or no cache: wait for the full load
  sd_notify(0, "READY=1");

  FramePolicy frames;
  core::TimePoint last_health = clock.now(), last_watchdog = clock.now();
  // The idle timeout: nobody touched the screen for that long -> home screen, default map view.
  core::TimePoint last_input = clock.now();
  bool idle_reset_done = true;
  std::uint64_t frames_since_health = 0;
  bool running = true;
  // Benchmarks only: report the time to the first frame on screen, then leave.
  const bool exit_after_first_frame = std::getenv("KIOSK_EXIT_AFTER_FIRST_FRAME") != nullptr;

  while (running) {
    app::AppState& state = panel ? panel->state() : *early_state;
    core::TimePoint now = clock.now();
    // While the full panel loads, look for it every 50 ms.
    const bool animating = state.animate_until && now < *state.animate_until;
    int timeout = frames.busy() ? 0
                                : wait_timeout_ms(now,
                                                  {next_minute(now), state.next_expiry(now),
                                                   last_health + kHealthInterval, watchdog_deadline(last_watchdog),
                                                   panel ? std::nullopt : std::optional(now + core::Millis{50}),
                                                   animating ? std::optional(now + kAnimationFrame) : std::nullopt,
                                                   idle_reset_done ? std::nullopt
                                                                   : std::optional(last_input + state.idle_timeout)},
                                                  kMaxSleep);
    SDL_Event event;
    bool have_event = SDL_WaitEventTimeout(&event, timeout) != 0;
    while (have_event) {
      if (event.type == SDL_QUIT) running = false;
      if (event.type != wake_event) {
        ImGui_ImplSDL2_ProcessEvent(&event);
        // A pinch on a touch screen zooms the map like a mouse wheel does.
        if (event.type == SDL_MULTIGESTURE && std::fabs(event.mgesture.dDist) > 0.002f)
          ImGui::GetIO().MouseWheel += event.mgesture.dDist * 25.0f;
        frames.input();
        last_input = clock.now();
        idle_reset_done = false;
      }
      have_event = SDL_PollEvent(&event) != 0;
    }
    if (!panel && !exit_after_first_frame &&
        loading.wait_for(std::chrono::seconds(0)) == std::future_status::ready && !take_over())
      return 1;
    if (panel) {
      if (auto fresh = watcher->take()) app::reload_panel(panel, std::move(*fresh), clock, wake);
      panel->pump();
    }
    app::AppState& shown = panel ? panel->state() : *early_state;
    now = clock.now();
    if (!idle_reset_done && now - last_input >= shown.idle_timeout) {
      shown.reset_navigation();
      idle_reset_done = true;
    }

    if (window->width() != font_w || window->height() != font_h) {
      font_w = window->width();
      font_h = window->height();
      ui.init(static_cast<float>(font_w), static_cast<float>(font_h), nullptr);
      ImGui_ImplOpenGL3_DestroyFontsTexture();
      frames.input();
    }

    const bool animation_frame = shown.animate_until && now < *shown.animate_until + kAnimationFrame;
    if (frames.should_draw(shown.revision, now) || animation_frame) {
      window->new_frame();
      ui.draw(shown, now);
      window->render();
      window->swap();
      ++frames_since_health;
      if (exit_after_first_frame) {
        mark("frame");
        std::cerr << "first_frame_ms=" << ms_since_process_start() << phases
                  << (panel ? " from=panel" : " from=snapshot") << std::endl;
        running = false;
      }
    }

    if (auto deadline = watchdog_deadline(last_watchdog); deadline && now >= *deadline) {
      sd_notify(0, "WATCHDOG=1");
      last_watchdog = now;
    }
    if (panel && now - last_health >= kHealthInterval) {
      double seconds = std::chrono::duration<double>(now - last_health).count();
      panel->publish_health(static_cast<double>(frames_since_health) / seconds);
      panel->publish_metrics(static_cast<double>(frames_since_health) / seconds);
      frames_since_health = 0;
      last_health = now;
    }
  }
  sd_notify(0, "STOPPING=1");
  if (panel) panel->stop();
  return 0;
}

}  // namespace kiosk::platform
