// `kiosk run`: the panel. Plain order, as in Dear ImGui's SDL2 + OpenGL3 example: set up, loop,
// clean up; print and return early on errors. Index:
//   [start]   the files load on a helper thread while this one opens the window
//   [screen]  the window comes and goes: none at start (no display yet), lost context, display back
//   [loop]    wait for events, pump, draw only what changed, health
#include <SDL.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>
#include <systemd/sd-daemon.h>

#include <time.h>
#include <unistd.h>

#include <malloc.h>

#include <algorithm>
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
#include "platform/display_info.hpp"
#include "platform/display_loss.hpp"
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
// Without a window (no display yet, a lost context) the panel keeps its data and tries again,
// waiting longer each time up to a minute.
constexpr std::chrono::seconds kFirstRetry{5}, kLongestRetry{60};

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

bool window_content_lost(const SDL_Event& event) {
  if (event.type != SDL_WINDOWEVENT) return false;
  switch (event.window.event) {
    case SDL_WINDOWEVENT_EXPOSED:
    case SDL_WINDOWEVENT_SHOWN:
    case SDL_WINDOWEVENT_RESTORED:
    case SDL_WINDOWEVENT_SIZE_CHANGED:
      return true;
    default:
      return false;
  }
}

}  // namespace

int run_command(const RunOptions& options) {
  // glibc raises its trim threshold after big blocks are freed (the map's text, the graph's edges),
  // and then keeps the top of each thread's heap however much is free: ~4 MB on a large map. A fixed
  // threshold hands it back; a panel has 1 GB in all.
  mallopt(M_TRIM_THRESHOLD, 128 * 1024);
  // Start-up phases, printed with the first-frame benchmark line.
  std::string phases;
  auto phase_start = std::chrono::steady_clock::now();
  auto mark = [&](const char* name) {
    auto now = std::chrono::steady_clock::now();
    phases += std::string(" ") + name + "_ms=" +
              std::to_string(std::chrono::duration<double, std::milli>(now - phase_start).count());
    phase_start = now;
  };

  // ---- [start] ----
  // The files load on a helper thread while this one brings up the window and GL: on a small board
  // both take hundreds of milliseconds and neither needs the other (but for `[panel] gl`, known
  // milliseconds after the config is parsed). The loader then reads the snapshot's board cache, so
  // the first frame can show the last known state while the map is still being parsed; then it
  // builds the full panel, which takes over.
  core::SystemClock clock;
  struct Loaded {
    std::unique_ptr<app::Panel> panel;
    std::vector<std::string> messages;
    std::string error;
    double ms = 0;
  };
  std::promise<std::string> gl_promise;
  std::future<std::string> gl_choice = gl_promise.get_future();
  std::promise<std::optional<app::AppState>> early_promise;
  std::future<std::optional<app::AppState>> early = early_promise.get_future();
  std::future<Loaded> loading = std::async(
      std::launch::async, [&options, &clock, gl_promise = std::move(gl_promise),
                           early_promise = std::move(early_promise)]() mutable {
        auto started = std::chrono::steady_clock::now();
        Loaded loaded;
        config::LoadResult config = config::load(options.config);
        gl_promise.set_value(config.config ? config.config->gl : "auto");
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

  // Events and timers work without a display: other threads wake the loop with an event of our
  // own (SDL_PushEvent is thread-safe) whether or not a window is open.
  if (SDL_Init(SDL_INIT_EVENTS | SDL_INIT_TIMER) != 0) {
    std::cerr << "kiosk: cannot start SDL: " << SDL_GetError() << '\n';
    loading.wait();
    return 1;
  }
  watch_stop_signals();
  const Uint32 wake_event = SDL_RegisterEvents(1);
  const core::Inbox::Wake wake = [wake_event] {
    SDL_Event event{};
    event.type = wake_event;
    SDL_PushEvent(&event);
  };

  // ---- [screen] ----
  WindowOptions window_options;
  window_options.fullscreen = !options.windowed;
  window_options.width = options.width;
  window_options.height = options.height;
  window_options.gl = gl_choice.get();
  std::unique_ptr<GlWindow> window;
  std::unique_ptr<app::Panel> panel;
  ui::Ui ui;
  app::DisplayInfo display;
  int font_w = 0, font_h = 0;
  auto open_window = [&]() {
    std::string error;
    window = GlWindow::create(window_options, &error);
    if (!window) {
      display = {};
      display.problem = error;
      return false;
    }
    display = display_info(window->info());
    // Whatever ends the process from here on, the snapshot gets what the panel knows.
    on_display_lost([&panel] {
      if (panel) panel->stop();
    });
    std::cerr << ("kiosk: graphics: " + window->info().summary() + "\n");
    for (const GlFailure& failure : window->info().failures)
      std::cerr << ("kiosk: graphics: " + failure.attempt + " did not work: " + failure.reason + "\n");
    font_w = window->width();
    font_h = window->height();
    if (!ui.init(static_cast<float>(font_w), static_cast<float>(font_h), &error)) std::cerr << "kiosk: " << error << '\n';
    return true;
  };
  const bool first_window = open_window();
  mark("window");

  std::optional<app::AppState> early_state = early.get();
  mark("early");
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
    panel->state().display = display;
    panel->start_network(wake);
    watcher = std::make_unique<app::ConfigWatcher>(options.config, panel->setup(), std::chrono::seconds(2), wake);
    phases += " load_ms=" + std::to_string(loaded.ms);
    return true;
  };
  // First start, no cache, or no screen: wait for the full load. A bad configuration ends here
  // (its problems are what staff can fix from the panel's files); a good one runs on without a
  // screen and tries again.
  if ((!early_state || !first_window) && !take_over()) {
    if (!first_window) std::cerr << "kiosk: no screen either: " << display.problem << '\n';
    return 1;
  }
  // One write per line (stderr is unbuffered): whoever reads the journal or the log sees it whole.
  if (!first_window)
    std::cerr << ("kiosk: no screen: " + display.problem + "; the panel keeps taking in data and tries again in " +
                  std::to_string(kFirstRetry.count()) + " s\n");
  if (early_state) early_state->display = display;
  sd_notify(0, "READY=1");

  // ---- [loop] ----
  FramePolicy frames;
  core::TimePoint last_health = clock.now(), last_watchdog = clock.now();
  std::chrono::seconds retry_wait = kFirstRetry;
  core::TimePoint next_retry = clock.now() + retry_wait;
  // The idle timeout: nobody touched the screen for that long -> home screen, default map view.
  core::TimePoint last_input = clock.now();
  bool idle_reset_done = true;
  std::uint64_t frames_since_health = 0;
  bool running = true;
  int exit_code = 0;
  // Benchmarks only: report the time to the first frame on screen, then leave.
  const bool exit_after_first_frame = std::getenv("KIOSK_EXIT_AFTER_FIRST_FRAME") != nullptr;
  // Benchmarks only: one line per drawn frame on stderr (time, rectangles, pixels redrawn).
  const bool log_frames = std::getenv("KIOSK_LOG_FRAMES") != nullptr;

  while (running) {
    app::AppState& state = panel ? panel->state() : *early_state;
    core::TimePoint now = clock.now();
    const bool animating = state.animate_until && now < *state.animate_until;
    int timeout =
        window && frames.busy()
            ? 0
            : wait_timeout_ms(now,
                              {next_minute(now), state.next_expiry(now), last_health + kHealthInterval,
                               watchdog_deadline(last_watchdog),
                               // While the full panel loads, look for it every 50 ms.
                               panel ? std::nullopt : std::optional(now + core::Millis{50}),
                               window && animating ? std::optional(now + kAnimationFrame) : std::nullopt,
                               window ? state.redraw_at : std::nullopt,
                               window ? frames.deferred_until() : std::optional(next_retry),
                               idle_reset_done ? std::nullopt : std::optional(last_input + state.idle_timeout)},
                              kMaxSleep);
    SDL_Event event;
    bool have_event = SDL_WaitEventTimeout(&event, timeout) != 0;
    while (have_event) {
      if (event.type == SDL_QUIT) {
        running = false;
        // Not a signal: the display server closed the window (a Wayland compositor that stopped).
        // A fullscreen panel says so and asks to be started again; a window on a desktop just closes.
        if (!stop_signal_received() && !options.windowed) {
          std::cerr << "kiosk: the display closed the panel's window (a Wayland compositor that stopped?); "
                       "stopping so that the service starts the panel again\n";
          exit_code = kDisplayLostExitCode;
        }
      }
      if (event.type != wake_event && window) {
        if (window_content_lost(event)) window->invalidate();
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
      if (auto fresh = watcher->take()) {
        app::reload_panel(panel, std::move(*fresh), clock, wake);
        panel->state().display = display;
      }
      panel->pump();
    }
    app::AppState& shown = panel ? panel->state() : *early_state;
    now = clock.now();
    if (!idle_reset_done && now - last_input >= shown.idle_timeout) {
      shown.reset_navigation();
      idle_reset_done = true;
    }

    if (!window && now >= next_retry) {
      if (open_window()) {
        std::cerr << "kiosk: the screen is back\n";
        retry_wait = kFirstRetry;
        frames.input();
      } else {
        retry_wait = std::min<std::chrono::seconds>(retry_wait * 2, kLongestRetry);
        std::cerr << ("kiosk: still no screen: " + display.problem + "; next try in " +
                      std::to_string(retry_wait.count()) + " s\n");
      }
      next_retry = now + retry_wait;
      shown.display = display;
      ++shown.revision;
    }

    if (window && (window->width() != font_w || window->height() != font_h)) {
      font_w = window->width();
      font_h = window->height();
      ui.init(static_cast<float>(font_w), static_cast<float>(font_h), nullptr);  // new_frame uploads the atlas
      frames.input();
    }

    const bool animation_frame = shown.animate_until && now < *shown.animate_until + kAnimationFrame;
    const bool redraw_due = shown.redraw_at && now >= *shown.redraw_at;
    if (window && (frames.should_draw(shown.revision, now) || animation_frame || redraw_due)) {
      const auto frame_start = std::chrono::steady_clock::now();
      window->new_frame();
      ui.draw(shown, now);
      const FrameResult frame = window->render();
      if (frame.drawn) window->present();
      ++frames_since_health;
      if (log_frames)
        std::cerr << "frame t_ms=" << core::to_unix_ms(clock.now()) << " rects=" << frame.rects
                  << " pixels=" << frame.pixels << " triangles=" << frame.triangles << " ms="
                  << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - frame_start).count()
                  << '\n';
      if (exit_after_first_frame) {
        mark("frame");
        std::cerr << "first_frame_ms=" << ms_since_process_start() << phases
                  << (panel ? " from=panel" : " from=snapshot") << std::endl;
        running = false;
      }
      if (frame.context_lost) {
        std::cerr << "kiosk: the GPU reset and the OpenGL context is lost; opening the window again\n";
        window.reset();
        display = {};
        display.problem = "the OpenGL context was lost (GPU reset)";
        shown.display = display;
        next_retry = now;  // at once: the next loop opens a new one
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
  window.reset();
  if (ImGui::GetCurrentContext()) ImGui::DestroyContext();
  SDL_Quit();
  return exit_code;
}

}  // namespace kiosk::platform
