// Text helpers for fixed-size boxes: a panel never lets a long name run over its neighbour.
#pragma once
#include <imgui.h>

#include <string>
#include <string_view>

namespace kiosk::ui {

// `text` cut at a UTF-8 boundary and ended with "…" so that it fits in `max_width` at `font`.
std::string fit_text(ImFont* font, std::string_view text, float max_width);
ImVec2 text_size(ImFont* font, std::string_view text);
void draw_text(ImDrawList* draw, ImFont* font, ImVec2 pos, ImU32 colour, std::string_view text);

}  // namespace kiosk::ui
