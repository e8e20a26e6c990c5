// Where things were drawn in the last frame, by name. Render tests and `kiosk render --layout`
// use it to check pixels at the right places instead of at guessed coordinates.
#pragma once
#include <string>
#include <vector>

namespace kiosk::ui {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
};

struct LayoutItem {
  std::string kind;  // "tile", "tile-state", "status-strip", "offline-banner", "header", "lang-toggle", "clock"
  std::string id;    // space id for tiles, "" otherwise
  std::string state; // tiles: "free" / "occupied" / "unknown"
  Rect rect;
};

using Layout = std::vector<LayoutItem>;

std::string layout_to_json(const Layout& layout);

}  // namespace kiosk::ui
