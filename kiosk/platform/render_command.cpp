// `kiosk render`: one screen drawn headless to a PNG, exactly as the panel would draw it.
#include <imgui.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/panel.hpp"
#include "app/setup.hpp"
#include "platform/commands.hpp"
#include "platform/display_info.hpp"
#include "platform/gl_window.hpp"
#include "ui/ui.hpp"

namespace kiosk::platform {

int render_command(const RenderOptions& options) {
  if (!ui::has_screen(options.screen)) {
    std::cerr << "kiosk render: no screen named '" << options.screen << "'; screens:";
    for (const auto& name : ui::screen_names()) std::cerr << ' ' << name;
    std::cerr << '\n';
    return 2;
  }
  if (options.width < 64 || options.height < 64 || options.width > 8192 || options.height > 8192) {
    std::cerr << "kiosk render: --size must be between 64x64 and 8192x8192\n";
    return 2;
  }
  app::Setup setup = app::load_setup(options.config);
  for (const std::string& line : setup.messages) std::cerr << line << '\n';
  if (!setup.usable()) return 1;

  core::SystemClock clock;
  std::unique_ptr<app::Panel> panel;
  try {
    panel = std::make_unique<app::Panel>(std::move(setup), clock);
  } catch (const std::exception& e) {
    std::cerr << "kiosk render: " << e.what() << '\n';
    return 1;
  }
  app::AppState& state = panel->state();
  // Beside a running panel the snapshot is locked: this render only reads it, and its picture is of
  // the panel, whose storage is fine; "state not saved" would be about this process, not the panel.
  if (state.storage.kind == "in-use") state.storage = {};
  state.screen = options.screen;
  if (!options.to.empty() || options.screen == "route") {
    auto unit = state.wayfinder ? state.wayfinder->find_destination(options.to) : std::nullopt;
    if (!unit) {
      std::cerr << "kiosk render: " << (options.to.empty() ? "--screen route needs --to SPACE"
                                                           : "no unit, room or company named \"" + options.to + "\" on the map")
                << '\n';
      return 2;
    }
    if (options.screen == "route") {
      state.nav.route_unit = *unit;
      state.nav.route_started = clock.now() - std::chrono::hours(1);  // the path drawn whole
    } else {
      state.nav.selected_unit = *unit;
      state.nav.map_level = state.wayfinder->plan.units[*unit].level;
    }
  }
  if (!options.lang.empty()) state.language = options.lang;
  if (options.wait_s > 0) {
    panel->start_network({});
    auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(options.wait_s);
    while (std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      panel->pump();
    }
  }
  panel->pump();

  // Headless by default: Mesa through EGL, no X server needed.
  setenv("SDL_VIDEODRIVER", "offscreen", 0);
  WindowOptions window_options;
  window_options.width = options.width;
  window_options.height = options.height;
  window_options.fullscreen = false;
  window_options.hidden = true;
  window_options.gl = panel->setup().config->gl;
  window_options.partial_redraw = false;  // one picture: drawn whole
  std::string error;
  auto window = GlWindow::create(window_options, &error);
  if (!window) {
    std::cerr << "kiosk render: " << error << '\n';
    return 1;
  }
  state.display = display_info(window->info());
  ui::Ui ui;
  if (!ui.init(static_cast<float>(options.width), static_cast<float>(options.height), &error))
    std::cerr << "kiosk render: " << error << '\n';

  // Two frames: the first one lays out, the second one is the picture.
  std::vector<std::uint8_t> pixels;
  for (int frame = 0; frame < 2; ++frame) {
    window->new_frame();
    ui.draw(state, clock.now());
    window->render();
    if (frame == 1) pixels = window->read_pixels();
    window->present();
  }
  if (!write_png(options.out.string(), window->width(), window->height(), pixels)) {
    std::cerr << "kiosk render: cannot write " << options.out.string() << '\n';
    return 1;
  }
  if (!options.layout_out.empty()) {
    std::ofstream layout(options.layout_out);
    layout << ui::layout_to_json(ui.layout());
    if (!layout) {
      std::cerr << "kiosk render: cannot write " << options.layout_out.string() << '\n';
      return 1;
    }
  }
  for (const GlFailure& failure : window->info().failures)
    std::cerr << "kiosk render: graphics: " << failure.attempt << " did not work: " << failure.reason << '\n';
  std::cerr << "kiosk render: graphics: " << window->info().summary() << '\n';
  panel->stop();
  return 0;
}

}  // namespace kiosk::platform
