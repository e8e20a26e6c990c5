// A frame that redraws only what changed must leave the screen exactly as a whole redraw would:
// the panel's own window (platform::GlWindow, headless Mesa, the framebuffer presenter that the
// offscreen driver gets), the panel's UI and state, a few spaces changed, the partial picture read
// back, then the same state drawn whole and compared pixel for pixel.
#include <doctest/doctest.h>

#include <cstdlib>

#include "app/panel.hpp"
#include "platform/gl_window.hpp"
#include "render/render_helpers.hpp"
#include "ui/ui.hpp"

using namespace kiosk;
using namespace kiosk::render_testing;

namespace {

struct Screen {
  std::unique_ptr<platform::GlWindow> window;
  ui::Ui ui;
  explicit Screen(const std::string& gl) {
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    setenv("KIOSK_PRESENT", "framebuffer", 1);
    platform::WindowOptions options;
    options.width = 1920;
    options.height = 1080;
    options.fullscreen = false;
    options.hidden = true;
    options.gl = gl;
    std::string error;
    window = platform::GlWindow::create(options, &error);
    REQUIRE_MESSAGE(window, error);
    CHECK(window->info().present == platform::PresentMode::Framebuffer);
    CHECK(ui.init(1920, 1080, &error));
  }
  ~Screen() {
    window.reset();
    ImGui::DestroyContext();
    unsetenv("KIOSK_PRESENT");
  }
  platform::FrameResult frame(app::AppState& state, core::TimePoint now) {
    window->new_frame();
    ui.draw(state, now);
    platform::FrameResult result = window->render();
    if (result.drawn) window->present();
    return result;
  }
};

void set(app::AppState& state, std::size_t i, bool occupied, core::TimePoint now) {
  state.readings[i] = core::Reading{core::Reading::Kind::Presence, occupied, 0, now, std::chrono::minutes(10)};
  ++state.revision;
}

}  // namespace

TEST_CASE("a partial redraw leaves the screen exactly as a whole redraw would (board and map, GL and GLES)") {
  for (const char* gl : {"gl3", "gles3"}) {
    CAPTURE(gl);
    Fixture f;
    core::ManualClock clock(now());
    app::Panel panel(std::move(f.setup), clock);
    app::AppState& state = panel.state();
    Screen screen(gl);
    const core::TimePoint t = clock.now();
    for (std::size_t i = 0; i < state.spaces.size(); ++i) set(state, i, i % 2 == 0, t);

    for (const char* name : {"board", "map"}) {
      CAPTURE(name);
      state.screen = name;
      ++state.revision;
      screen.frame(state, t);
      screen.frame(state, t);  // ImGui settles its layout in the second frame
      // Three spaces on screen change state: only their tiles (or units) are redrawn.
      std::vector<std::uint32_t> shown;
      for (const ui::LayoutItem& item : screen.ui.layout())
        if (item.kind == (std::string(name) == "board" ? "tile" : "map-unit"))
          if (auto space = state.find_space(item.id); space && shown.size() < 3) shown.push_back(*space);
      REQUIRE(shown.size() == 3);
      for (std::uint32_t i : shown) set(state, i, i % 2 != 0, t + std::chrono::seconds(1));
      const platform::FrameResult partial = screen.frame(state, t + std::chrono::seconds(1));
      REQUIRE(partial.drawn);
      CHECK(partial.pixels > 0);
      CHECK(partial.pixels < 1920LL * 1080 / 4);
      const std::vector<std::uint8_t> after_partial = screen.window->read_pixels();
      // Nothing changed since: nothing is drawn.
      CHECK_FALSE(screen.frame(state, t + std::chrono::seconds(1)).drawn);

      screen.window->invalidate();
      const platform::FrameResult whole = screen.frame(state, t + std::chrono::seconds(1));
      CHECK(whole.pixels == 1920LL * 1080);
      const std::vector<std::uint8_t> after_whole = screen.window->read_pixels();
      REQUIRE(after_partial.size() == after_whole.size());
      std::size_t differing = 0;
      for (std::size_t i = 0; i < after_whole.size(); ++i) differing += after_partial[i] != after_whole[i];
      CHECK_MESSAGE(differing == 0, differing << " bytes differ");
    }
    panel.stop();
  }
}
