// What the panel tells staff about its screen (staff view, status topic), from what the window got.
#pragma once
#include "app/app_state.hpp"
#include "platform/gl_window.hpp"

namespace kiosk::platform {

inline app::DisplayInfo display_info(const GlInfo& info) {
  app::DisplayInfo display;
  display.open = true;
  display.api = info.attempt;
  display.version = info.version;
  display.renderer = info.renderer;
  display.redraw = present_mode_name(info.present);
  for (const GlFailure& failure : info.failures) {
    if (!display.problem.empty()) display.problem += "; ";
    display.problem += failure.attempt + " failed: " + failure.reason;
  }
  return display;
}

}  // namespace kiosk::platform
