// One space on the board: name, floor, capacity, equipment, and its state in colour, shape and
// words. Drawn straight into the draw list: a board of hundreds of tiles costs no widget state.
#pragma once
#include <imgui.h>

#include "core/occupancy.hpp"
#include "core/space.hpp"
#include "ui/frame_context.hpp"

namespace kiosk::ui {

void draw_space_tile(const FrameContext& ctx, ImDrawList* draw, ImVec2 min, ImVec2 max, const core::Space& space,
                     const core::SpaceStatus& status);

}  // namespace kiosk::ui
