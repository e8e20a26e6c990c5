// The bottom band: is the panel online, how fresh is what it shows. Offline, it turns into a
// banner that cannot be missed ("Offline since 14:02 — showing the last known state").
#pragma once
#include <optional>
#include <string>

#include "app/app_state.hpp"
#include "ui/frame_context.hpp"

namespace kiosk::ui {

void draw_status_strip(const FrameContext& ctx, const app::AppState& state);

}  // namespace kiosk::ui
