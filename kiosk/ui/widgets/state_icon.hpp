// The shape that goes with each state, so colour is never the only cue (colour-blind viewers,
// sunlight on the screen): free = check mark, occupied = bar, unknown = question mark.
#pragma once
#include <imgui.h>

#include "core/occupancy.hpp"
#include "ui/theme.hpp"

namespace kiosk::ui {

void draw_state_icon(ImDrawList* draw, const Theme& theme, const Fonts& fonts, ImVec2 centre, float radius,
                     core::Availability availability);

}  // namespace kiosk::ui
