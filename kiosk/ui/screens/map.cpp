#include "ui/screens/map.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/screens/route.hpp"
#include "ui/widgets/header.hpp"
#include "ui/widgets/map_canvas.hpp"
#include "ui/widgets/space_tile.hpp"
#include "ui/widgets/state_icon.hpp"
#include "ui/widgets/status_strip.hpp"
#include "ui/widgets/text.hpp"

namespace kiosk::ui {

using wayfinding::kNone;

std::uint32_t shown_level(const app::AppState& state) {
  const auto* way = state.wayfinder.get();
  if (!way || way->plan.levels.empty()) return kNone;
  if (state.nav.map_level < way->plan.levels.size()) return state.nav.map_level;
  if (way->kiosk_level < way->plan.levels.size()) return way->kiosk_level;
  return 0;
}

std::string level_label(const app::Wayfinder& wayfinder, std::uint32_t level, Lang lang, bool short_name) {
  if (level >= wayfinder.venue.levels.size()) return "?";
  const auto& l = wayfinder.venue.levels[level];
  const std::string& text = (short_name && !l.short_name.empty() ? l.short_name : l.name).pick(lang_code(lang));
  return text.empty() ? std::to_string(l.ordinal) : text;
}

bool touch_button(const FrameContext& ctx, const char* id, ImVec2 min, ImVec2 size, const std::string& label,
                  bool primary, ImFont* font) {
  const Theme& theme = ctx.theme;
  font = font ? font : ctx.fonts.strong;
  ImGui::SetCursorScreenPos(min);
  bool pressed = ImGui::InvisibleButton(id, size) && ImGui::GetIO().MouseDragMaxDistanceSqr[0] < 400.0f;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImVec2 max{min.x + size.x, min.y + size.y};
  draw->AddRectFilled(min, max, primary ? theme.accent : theme.surface_raised, theme.rounding() * 0.7f);
  std::string text = fit_text(font, label, size.x - 16 * theme.scale);
  ImVec2 t = text_size(font, text);
  draw_text(draw, font, {min.x + (size.x - t.x) * 0.5f, min.y + (size.y - t.y) * 0.5f}, theme.text, text);
  ctx.layout.push_back({"button", id, primary ? "primary" : "", {min.x, min.y, size.x, size.y}});
  return pressed;
}

void draw_centred_message(const FrameContext& ctx, ImVec2 min, ImVec2 max, const std::string& text) {
  ImVec2 size = text_size(ctx.fonts.strong, text);
  draw_text(ImGui::GetWindowDrawList(), ctx.fonts.strong, {(min.x + max.x - size.x) * 0.5f, (min.y + max.y) * 0.45f},
            ctx.theme.text_muted, fit_text(ctx.fonts.strong, text, max.x - min.x));
}

void MapScreen::draw(const FrameContext& ctx, app::AppState& state) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  draw_screen_header(ctx, state, tr(ctx.lang, Text::MapTitle));
  draw_status_strip(ctx, state);
  const ImVec2 win = ImGui::GetWindowPos();
  const float width = ImGui::GetWindowWidth(), height = ImGui::GetWindowHeight();
  const ImVec2 body_min{win.x, win.y + theme.header_height()};
  const ImVec2 body_max{win.x + width, win.y + height - theme.status_height()};
  const app::Wayfinder* way = state.wayfinder.get();
  const std::uint32_t level = shown_level(state);
  if (!way || level == kNone) {
    draw_centred_message(ctx, body_min, body_max, tr(ctx.lang, Text::NoMapForPanel));
    return;
  }
  units_.update(state, ctx.now);

  // Landscape: the panel on the right; portrait: below the map.
  const bool landscape = width >= height;
  const float side = landscape ? 440 * s : 0, below = landscape ? 0 : 330 * s;
  const ImVec2 map_min{body_min.x + theme.pad(), body_min.y + theme.gap()};
  const ImVec2 map_max{body_max.x - theme.pad() - (landscape ? side + theme.gap() : 0),
                       body_max.y - theme.gap() - (landscape ? 0 : below + theme.gap())};
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(map_min, map_max, theme.surface, theme.rounding());

  // Pan with a drag, zoom with the wheel or a pinch, about the finger; a touch without a drag selects.
  app::Navigation& nav = state.nav;
  const ImVec2 map_size{map_max.x - map_min.x, map_max.y - map_min.y};
  ImGui::SetCursorScreenPos(map_min);
  const bool released = ImGui::InvisibleButton("map", map_size);
  const ImGuiIO& io = ImGui::GetIO();
  MapView view(way->plan.levels[level].box, way->heading_deg, map_min, map_max, nav.zoom, {nav.pan_x, nav.pan_y});
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 12 * s)) {
    nav.pan_x += io.MouseDelta.x;
    nav.pan_y += io.MouseDelta.y;
    ++nav.changes;
  }
  if (ImGui::IsItemHovered() && io.MouseWheel != 0) {
    float zoom = std::clamp(nav.zoom * std::pow(1.2f, io.MouseWheel), 0.5f, 12.0f);
    // Keep the point under the finger where it is.
    ImVec2 centre{(map_min.x + map_max.x) * 0.5f + nav.pan_x, (map_min.y + map_max.y) * 0.5f + nav.pan_y};
    float k = zoom / nav.zoom;
    nav.pan_x += (io.MousePos.x - centre.x) * (1 - k);
    nav.pan_y += (io.MousePos.y - centre.y) * (1 - k);
    nav.zoom = zoom;
    ++nav.changes;
  }
  if (released && io.MouseDragMaxDistanceSqr[0] < 144 * s * s) {
    nav.selected_unit = unit_at(*way, level, view.to_world(io.MousePos));
    ++nav.changes;
  }
  view = MapView(way->plan.levels[level].box, way->heading_deg, map_min, map_max, nav.zoom, {nav.pan_x, nav.pan_y});

  MapLayer layer;
  layer.level = level;
  layer.unit_status = &units_.status();
  layer.is_space = &units_.is_space();
  layer.highlight_unit = nav.selected_unit;
  draw_map(ctx, draw, *way, view, layer, map_min, map_max);
  ctx.layout.push_back({"map", std::to_string(level), "", {map_min.x, map_min.y, map_size.x, map_size.y}});
  // The kiosk's and each live space's position on screen, for render tests and `--layout`.
  if (way->kiosk_level == level && way->kiosk < way->plan.kiosks.size()) {
    ImVec2 k = view.to_screen(way->plan.kiosks[way->kiosk].point);
    ctx.layout.push_back({"kiosk-point", way->venue.kiosks[way->kiosk].id, "", {k.x, k.y, 0, 0}});
  }
  for (std::uint32_t u : way->plan.levels[level].units) {
    if (!units_.is_space()[u]) continue;
    ImVec2 p = view.to_screen(way->plan.units[u].label_point);
    float r = way->plan.units[u].label_radius * view.pixels_per_metre();
    ctx.layout.push_back({"map-unit", way->venue.units[u].id,
                          std::string(core::to_string(units_.status()[u].availability)), {p.x - r, p.y - r, 2 * r, 2 * r}});
  }

  ImVec2 side_min = landscape ? ImVec2{map_max.x + theme.gap(), map_min.y} : ImVec2{map_min.x, map_max.y + theme.gap()};
  ImVec2 side_max{body_max.x - theme.pad(), body_max.y - theme.gap()};
  draw_side_panel(ctx, state, side_min, side_max, level);
}

void MapScreen::draw_side_panel(const FrameContext& ctx, app::AppState& state, ImVec2 min, ImVec2 max,
                                std::uint32_t level) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  const app::Wayfinder& way = *state.wayfinder;
  app::Navigation& nav = state.nav;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float w = max.x - min.x;

  // Levels, highest first as in a lift: the panel's own marked with a dot.
  const auto& levels = way.plan.levels;
  const float button_h = 60 * s;
  const bool vertical = w < max.y - min.y || levels.size() <= 6;
  float y = min.y;
  const int count = static_cast<int>(levels.size());
  const float row_w = vertical ? w : (w - 8 * s * static_cast<float>(count - 1)) / static_cast<float>(count);
  for (int i = count - 1, k = 0; i >= 0; --i, ++k) {
    const std::uint32_t l = static_cast<std::uint32_t>(i);
    ImVec2 at = vertical ? ImVec2{min.x, y} : ImVec2{min.x + static_cast<float>(k) * (row_w + 8 * s), min.y};
    std::string label = level_label(way, l, ctx.lang, false);
    char id[32];
    std::snprintf(id, sizeof id, "level-%d", i);
    if (touch_button(ctx, id, at, {row_w, button_h}, label, l == level) && l != level) {
      nav.map_level = l;
      nav.zoom = 1, nav.pan_x = nav.pan_y = 0;
      nav.selected_unit = kNone;
      ++nav.changes;
    }
    if (l == way.kiosk_level)
      draw->AddCircleFilled({at.x + 22 * s, at.y + button_h * 0.5f}, 8 * s, theme.you_are_here, 16);
    if (vertical) y += button_h + 8 * s;
  }
  if (!vertical) y = min.y + button_h + 8 * s;
  y += theme.gap();

  // The selected unit's card: name, floor, state, capacity, who is there, and the way there.
  if (nav.selected_unit < way.venue.units.size()) {
    const std::uint32_t u = nav.selected_unit;
    const auto& unit = way.venue.units[u];
    const float card_h = std::min(max.y - y, 330 * s);
    ImVec2 card_min{min.x, y}, card_max{max.x, y + card_h};
    draw->AddRectFilled(card_min, card_max, theme.surface, theme.rounding());
    float ty = y + 18 * s;
    const float left = min.x + 20 * s, text_w = w - 40 * s;
    const char* lang = lang_code(ctx.lang);
    std::string name = unit.name.pick(lang);
    for (const auto& occupant : way.venue.occupants)  // a company's office is known by the company
      if (way.venue.unit_of(occupant) == &unit && !occupant.name.empty()) name = occupant.name.pick(lang);
    if (name.empty()) name = unit.category;
    draw_text(draw, ctx.fonts.strong, {left, ty}, theme.text, fit_text(ctx.fonts.strong, name, text_w));
    ty += ctx.fonts.strong->FontSize + 6 * s;
    std::string where = level_label(way, way.plan.units[u].level, ctx.lang, false);
    if (u < way.walk_s.size() && std::isfinite(way.walk_s[u])) where += " · " + walk_text(ctx.lang, way.walk_s[u]);
    draw_text(draw, ctx.fonts.body, {left, ty}, theme.text_muted, fit_text(ctx.fonts.body, where, text_w));
    ty += ctx.fonts.body->FontSize + 10 * s;
    if (const core::Space* space = units_.space_of(state, u)) {
      const core::SpaceStatus& status = units_.status()[u];
      draw_state_icon(draw, theme, ctx.fonts, {left + 14 * s, ty + 14 * s}, 14 * s, status.availability);
      std::string line = tr(ctx.lang, status.availability == core::Availability::Free       ? Text::Free
                                      : status.availability == core::Availability::Occupied ? Text::Occupied
                                                                                            : Text::Unknown);
      char buf[64];
      if (space->capacity > 0) {
        std::snprintf(buf, sizeof buf, tr(ctx.lang, Text::People), space->capacity);
        line += std::string(" · ") + buf;
      }
      draw_text(draw, ctx.fonts.body, {left + 40 * s, ty + 14 * s - ctx.fonts.body->FontSize * 0.55f},
                theme.state_colour(status.availability), fit_text(ctx.fonts.body, line, text_w - 40 * s));
      ty += 40 * s;
    }
    const bool reachable = u < way.walk_s.size() && way.kiosk != kNone;
    if (reachable && card_max.y - ty > 70 * s &&
        touch_button(ctx, "take-me-there", {left, card_max.y - 84 * s}, {text_w, 66 * s}, tr(ctx.lang, Text::TakeMeThere), true))
      open_route(state, u, ctx.now);
    y = card_max.y + theme.gap();
  }

  // Legend: each state's colour and shape, so the map reads without colour too.
  if (max.y - y > 150 * s) {
    const core::Availability states[] = {core::Availability::Free, core::Availability::Occupied,
                                         core::Availability::Unknown};
    const Text words[] = {Text::Free, Text::Occupied, Text::Unknown};
    float ly = max.y - 3 * 42 * s;
    for (int i = 0; i < 3; ++i, ly += 42 * s) {
      draw_state_icon(draw, theme, ctx.fonts, {min.x + 16 * s, ly + 16 * s}, 14 * s, states[i]);
      draw_text(draw, ctx.fonts.body, {min.x + 44 * s, ly + 16 * s - ctx.fonts.body->FontSize * 0.55f}, theme.text_muted,
                tr(ctx.lang, words[i]));
    }
  }
}

}  // namespace kiosk::ui
