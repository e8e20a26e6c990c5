// What every screen and widget gets for one frame: the theme, fonts, language, time, and the
// layout log to fill. Passed by reference; no globals.
#pragma once
#include "core/clock.hpp"
#include "ui/i18n.hpp"
#include "ui/layout.hpp"
#include "ui/theme.hpp"

namespace kiosk::ui {

struct FrameContext {
  const Theme& theme;
  const Fonts& fonts;
  Lang lang;
  core::TimePoint now;
  Layout& layout;
};

}  // namespace kiosk::ui
