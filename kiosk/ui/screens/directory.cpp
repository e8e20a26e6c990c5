#include "ui/screens/directory.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "ui/screens/map.hpp"
#include "ui/screens/route.hpp"
#include "ui/widgets/header.hpp"
#include "ui/widgets/map_canvas.hpp"
#include "ui/widgets/space_tile.hpp"
#include "ui/widgets/status_strip.hpp"
#include "ui/widgets/text.hpp"

namespace kiosk::ui {

void DirectoryScreen::rebuild(const app::AppState& state, Lang lang) {
  const app::Wayfinder* way = state.wayfinder.get();
  built_for_ = way;
  built_lang_ = lang;
  built_query_ = state.nav.query;
  for (auto& g : groups_) g.clear();
  if (!way) return;
  const std::string query = core::fold_for_search(state.nav.query);
  std::vector<std::string> keys(way->places.size());
  for (std::uint32_t i = 0; i < way->places.size(); ++i) {
    const app::Place& place = way->places[i];
    if (!query.empty() && place.search_key.find(query) == std::string::npos) continue;
    keys[i] = core::fold_for_search(place.name.pick(lang_code(lang)));
    groups_[static_cast<std::size_t>(place.group)].push_back(i);
  }
  for (auto& g : groups_)
    std::sort(g.begin(), g.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (keys[a] != keys[b]) return keys[a] < keys[b];
      return way->places[a].name.pick(lang_code(lang)) < way->places[b].name.pick(lang_code(lang));
    });
}

void DirectoryScreen::draw(const FrameContext& ctx, app::AppState& state) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  draw_screen_header(ctx, state, tr(ctx.lang, Text::DirectoryTitle));
  draw_status_strip(ctx, state);
  const ImVec2 win = ImGui::GetWindowPos();
  const float width = ImGui::GetWindowWidth(), height = ImGui::GetWindowHeight();
  const ImVec2 body_min{win.x + theme.pad(), win.y + theme.header_height() + theme.gap()};
  const ImVec2 body_max{win.x + width - theme.pad(), win.y + height - theme.status_height() - theme.gap()};
  const app::Wayfinder* way = state.wayfinder.get();
  if (!way) {
    draw_centred_message(ctx, body_min, body_max, tr(ctx.lang, Text::NoMapForPanel));
    return;
  }
  if (way != built_for_ || ctx.lang != built_lang_ || state.nav.query != built_query_) rebuild(state, ctx.lang);

  std::vector<int> shown;
  for (int g = 0; g < 3; ++g)
    if (!groups_[static_cast<std::size_t>(g)].empty()) shown.push_back(g);
  if (shown.empty()) {
    draw_centred_message(ctx, body_min, body_max, tr(ctx.lang, Text::NoPlaceListed));
    return;
  }
  // One column per group on a landscape screen, stacked on a portrait one.
  const bool landscape = width >= height;
  const float gap = theme.gap();
  const float n = static_cast<float>(shown.size());
  const float col_w = landscape ? (body_max.x - body_min.x - (n - 1) * gap) / n : body_max.x - body_min.x;
  const float col_h = landscape ? body_max.y - body_min.y : (body_max.y - body_min.y - (n - 1) * gap) / n;
  const Text titles[] = {Text::GroupCompanies, Text::GroupRooms, Text::GroupServices};
  const float row_h = 74 * s;
  for (std::size_t c = 0; c < shown.size(); ++c) {
    const int g = shown[c];
    const float fc = static_cast<float>(c);
    ImVec2 min = landscape ? ImVec2{body_min.x + fc * (col_w + gap), body_min.y} : ImVec2{body_min.x, body_min.y + fc * (col_h + gap)};
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw_text(draw, ctx.fonts.strong, {min.x, min.y}, theme.text, tr(ctx.lang, titles[g]));
    const float list_top = min.y + ctx.fonts.strong->FontSize + 14 * s;
    ImGui::SetCursorScreenPos({min.x, list_top});
    ImGui::PushID(g);
    ImGui::BeginChild("places", {col_w, min.y + col_h - list_top}, false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
    if (ImGui::IsWindowHovered() && ImGui::IsMouseDragging(ImGuiMouseButton_Left))
      ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
    ImDrawList* list = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float top = ImGui::GetWindowPos().y, bottom = top + ImGui::GetWindowHeight();
    const auto& entries = groups_[static_cast<std::size_t>(g)];
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const app::Place& place = way->places[entries[i]];
      ImVec2 rmin{origin.x, origin.y + static_cast<float>(i) * (row_h + 8 * s)};
      ImVec2 rmax{rmin.x + col_w, rmin.y + row_h};
      if (rmax.y < top || rmin.y > bottom) continue;  // rows off screen cost nothing
      ImGui::SetCursorScreenPos(rmin);
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::InvisibleButton("place", {col_w, row_h}) && ImGui::GetIO().MouseDragMaxDistanceSqr[0] < 400 * s * s)
        open_route(state, place.unit, ctx.now);
      ImGui::PopID();
      list->AddRectFilled(rmin, rmax, theme.surface, theme.rounding() * 0.7f);
      const float icon_r = 17 * s;
      float left = rmin.x + 18 * s;
      if (draw_amenity_icon(list, theme, ctx.fonts, {left + icon_r, (rmin.y + rmax.y) * 0.5f}, icon_r, place.category))
        left += 2 * icon_r + 14 * s;
      // Right: floor and walking time; left: the name, cut to what is left.
      std::string where = level_label(*way, way->plan.units[place.unit].level, ctx.lang, false);
      if (place.unit < way->walk_s.size() && std::isfinite(way->walk_s[place.unit]))
        where += " · " + walk_text(ctx.lang, way->walk_s[place.unit]);
      ImVec2 ws = text_size(ctx.fonts.body, where);
      draw_text(list, ctx.fonts.body, {rmax.x - 18 * s - ws.x, (rmin.y + rmax.y - ws.y) * 0.5f}, theme.text_muted, where);
      std::string name = fit_text(ctx.fonts.body, place.name.pick(lang_code(ctx.lang)), rmax.x - 36 * s - ws.x - left);
      draw_text(list, ctx.fonts.body, {left, (rmin.y + rmax.y - ctx.fonts.body->FontSize) * 0.5f - 2 * s}, theme.text, name);
      ctx.layout.push_back({"place", way->venue.units[place.unit].id, "", {rmin.x, rmin.y, col_w, row_h}});
    }
    ImGui::Dummy({col_w, static_cast<float>(entries.size()) * (row_h + 8 * s)});
    ImGui::EndChild();
    ImGui::PopID();
  }
}

}  // namespace kiosk::ui
