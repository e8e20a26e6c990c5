// Colours, type sizes and spacing. One place, so every screen looks like the same product.
// Sizes are in pixels at a 1080-pixel short side and scale with the screen.
#pragma once
#include <imgui.h>

#include <string>

#include "core/occupancy.hpp"

namespace kiosk::ui {

struct Fonts {
  ImFont* small = nullptr;   // map labels, captions
  ImFont* small_strong = nullptr;
  ImFont* body = nullptr;    // tile details, status strip
  ImFont* strong = nullptr;  // tile names, section titles
  ImFont* title = nullptr;   // screen titles
  ImFont* clock = nullptr;   // the big clock
};

struct Theme {
  float scale = 1;  // min(width, height) / 1080

  // Dark surfaces: a panel in a lobby is looked at from metres away, often against daylight;
  // light text on dark with saturated state colours reads best there.
  ImU32 background = IM_COL32(0x10, 0x17, 0x21, 0xFF);
  ImU32 surface = IM_COL32(0x1B, 0x25, 0x33, 0xFF);
  ImU32 surface_raised = IM_COL32(0x24, 0x30, 0x40, 0xFF);
  ImU32 text = IM_COL32(0xF2, 0xF5, 0xF8, 0xFF);
  ImU32 text_muted = IM_COL32(0xA4, 0xB1, 0xC2, 0xFF);
  ImU32 accent = IM_COL32(0x4C, 0x9A, 0xFF, 0xFF);

  // State colours were picked to stay apart for deuteranopia and protanopia (green vs orange-red
  // differ in lightness too); each state also has its own icon shape and word.
  ImU32 free = IM_COL32(0x1F, 0xB5, 0x6B, 0xFF);
  ImU32 occupied = IM_COL32(0xE5, 0x53, 0x3B, 0xFF);
  ImU32 unknown = IM_COL32(0x6B, 0x77, 0x86, 0xFF);
  ImU32 offline_banner = IM_COL32(0xC2, 0x41, 0x0C, 0xFF);
  ImU32 online_dot = IM_COL32(0x1F, 0xB5, 0x6B, 0xFF);

  // The map: the state colours above fill spaces; everything else stays quiet so they stand out.
  ImU32 map_floor = IM_COL32(0x2A, 0x36, 0x47, 0xFF);      // corridors, lobbies, other walkable units
  ImU32 map_room = IM_COL32(0x33, 0x40, 0x52, 0xFF);       // rooms that are not live spaces
  ImU32 map_structure = IM_COL32(0x16, 0x1E, 0x29, 0xFF);  // walls, shafts, voids
  ImU32 map_connector = IM_COL32(0x3B, 0x4A, 0x6E, 0xFF);  // stairs, lifts, escalators
  ImU32 map_wall = IM_COL32(0x0B, 0x10, 0x17, 0xFF);
  ImU32 map_door = IM_COL32(0x8A, 0x99, 0xAD, 0xFF);
  ImU32 route = IM_COL32(0x4C, 0x9A, 0xFF, 0xFF);          // the path: the accent, thick
  ImU32 you_are_here = IM_COL32(0xFF, 0xC8, 0x2E, 0xFF);    // amber: apart from every state colour
  ImU32 selection = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);

  float pad() const { return 28 * scale; }
  float gap() const { return 16 * scale; }
  float rounding() const { return 12 * scale; }
  float header_height() const { return 112 * scale; }
  float status_height() const { return 56 * scale; }
  float tile_min_width() const { return 330 * scale; }
  float tile_height() const { return 136 * scale; }

  ImU32 state_colour(core::Availability a) const {
    return a == core::Availability::Free ? free : a == core::Availability::Occupied ? occupied : unknown;
  }
};

Theme make_theme(float width, float height);

// Loads Noto Sans (or DejaVu Sans) at the theme's sizes with the glyphs French needs (Œ œ € ’ — …).
// Returns false with `error` set if no usable font file is found; ImGui's default font is used then.
bool load_fonts(const Theme& theme, Fonts& fonts, std::string* error);

// ImGui's own style, matched to the theme.
void apply_style(const Theme& theme);

}  // namespace kiosk::ui
