// The top band of every screen: where you are, what this screen is, the clock, the language toggle.
#pragma once
#include <string>

#include "ui/frame_context.hpp"

namespace kiosk::ui {

// Returns the language the viewer picked with the toggle (or `ctx.lang` when untouched).
Lang draw_header(const FrameContext& ctx, const std::string& place, const std::string& title);

}  // namespace kiosk::ui
