// One space on the board: name, floor, capacity, equipment, and its state in colour, shape and
// words. Drawn straight into the draw list: a board of hundreds of tiles costs no widget state.
#pragma once
#include <imgui.h>

#include <string>

#include "core/occupancy.hpp"
#include "core/space.hpp"
#include "ui/frame_context.hpp"

namespace kiosk::ui {

// The state line of a tile: "Libre", "Complet · 15 / 15 personnes", "2 places libres sur 4", "Inconnu · Vu à 14:02".
std::string state_text(Lang lang, const core::Space& space, const core::SpaceStatus& status);

// "3 min" / "< 1 min": a walk from this panel, rounded up.
std::string walk_text(Lang lang, float walk_s);

void draw_space_tile(const FrameContext& ctx, ImDrawList* draw, ImVec2 min, ImVec2 max, const core::Space& space,
                     const core::SpaceStatus& status, float walk_s = -1);

}  // namespace kiosk::ui
