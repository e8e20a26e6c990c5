#include "ui/widgets/header.hpp"

#include <imgui.h>

#include "ui/widgets/text.hpp"

namespace kiosk::ui {

const char* screen_label(Lang lang, std::string_view screen) {
  if (screen == "map") return tr(lang, Text::TabMap);
  if (screen == "directory") return tr(lang, Text::TabDirectory);
  return tr(lang, Text::TabBoard);
}

void draw_screen_header(const FrameContext& ctx, app::AppState& state, const std::string& title) {
  std::string place = state.venue_name.empty() ? state.site_name : state.venue_name.pick(lang_code(ctx.lang));
  if (!state.place_name.empty()) place += "  ·  " + state.place_name.pick(lang_code(ctx.lang));
  // The route screen belongs to no tab: it highlights the tab it was opened from (the home one).
  std::string_view current = state.screen == "route" ? std::string_view(state.home_screen) : std::string_view(state.screen);
  const char* badge = state.storage.ok ? nullptr : tr(ctx.lang, Text::StateNotSaved);
  HeaderPick pick = draw_header(ctx, place, title, state.screens, current, badge);
  // Staff: holding the place name for a few seconds opens the status view. Frames keep coming while
  // the finger is down, so the hold is noticed without any other event.
  const Theme& theme = ctx.theme;
  const ImVec2 origin = ImGui::GetWindowPos();
  ImGui::SetCursorScreenPos({origin.x, origin.y});
  ImGui::InvisibleButton("staff-hold", {ImGui::GetWindowWidth() * 0.3f, theme.header_height()});
  if (ImGui::IsItemActive()) {
    state.animate_until = ctx.now + std::chrono::milliseconds(200);
    if (ImGui::GetIO().MouseDownDuration[0] >= static_cast<float>(kStaffHold.count()) && state.screen != "admin") {
      state.screen = "admin";
      ++state.revision;
    }
  }
  if (pick.lang != ctx.lang) {
    state.language = lang_code(pick.lang);
    ++state.revision;
  }
  if (!pick.screen.empty() && pick.screen != state.screen) {
    state.screen = pick.screen;
    state.nav.selected_unit = wayfinding::kNone;
    ++state.nav.changes;
    ++state.revision;
  }
}

HeaderPick draw_header(const FrameContext& ctx, const std::string& place, const std::string& title,
                       const std::vector<std::string>& screens, std::string_view current, const char* badge) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetWindowPos();
  float width = ImGui::GetWindowWidth();
  float height = theme.header_height();
  draw->AddRectFilled(origin, {origin.x + width, origin.y + height}, theme.surface);
  draw->AddRectFilled({origin.x, origin.y + height - 3 * s}, {origin.x + width, origin.y + height}, theme.accent);

  // Right: clock over date.
  std::string clock = core::format_hhmm(ctx.now);
  std::string date = long_date(ctx.lang, ctx.now);
  ImVec2 clock_size = text_size(ctx.fonts.clock, clock);
  ImVec2 date_size = text_size(ctx.fonts.body, date);
  float right = origin.x + width - theme.pad();
  float block = clock_size.y + date_size.y * 0.9f;
  float top = origin.y + (height - block) * 0.5f - 2 * s;
  draw_text(draw, ctx.fonts.clock, {right - clock_size.x, top}, theme.text, clock);
  ctx.layout.push_back({"clock", "", clock, {right - clock_size.x, top, clock_size.x, clock_size.y}});
  draw_text(draw, ctx.fonts.body, {right - date_size.x, top + clock_size.y - 4 * s}, theme.text_muted, date);

  // Language toggle, left of the clock: both codes always visible, the current one highlighted.
  Lang picked = ctx.lang;
  float toggle_w = 64 * s, toggle_h = 52 * s;
  float toggle_right = right - std::max(clock_size.x, date_size.x) - theme.pad();
  ImVec2 toggle_min{toggle_right - 2 * toggle_w, origin.y + (height - toggle_h) * 0.5f};
  for (int i = 0; i < 2; ++i) {
    Lang lang = i == 0 ? Lang::Fr : Lang::En;
    ImVec2 min{toggle_min.x + i * toggle_w, toggle_min.y};
    ImVec2 max{min.x + toggle_w, min.y + toggle_h};
    ImGui::SetCursorScreenPos(min);
    ImGui::PushID(i);
    if (ImGui::InvisibleButton("lang", {toggle_w, toggle_h})) picked = lang;
    ImGui::PopID();
    bool chosen = lang == ctx.lang;
    draw->AddRectFilled(min, max, chosen ? theme.accent : theme.surface_raised, theme.rounding() * 0.6f,
                        i == 0 ? ImDrawFlags_RoundCornersLeft : ImDrawFlags_RoundCornersRight);
    const char* code = i == 0 ? "FR" : "EN";
    ImVec2 size = text_size(ctx.fonts.strong, code);
    draw_text(draw, ctx.fonts.strong, {min.x + (toggle_w - size.x) * 0.5f, min.y + (toggle_h - size.y) * 0.5f},
              chosen ? theme.text : theme.text_muted, code);
  }
  ctx.layout.push_back({"lang-toggle", "", "", {toggle_min.x, toggle_min.y, 2 * toggle_w, toggle_h}});

  // Tabs, left of the language toggle: big enough for a thumb, the current one underlined.
  HeaderPick pick{picked, {}};
  float tabs_left = toggle_min.x;
  if (screens.size() > 1) {
    const float tab_h = toggle_h, tab_pad = 26 * s;
    float x = toggle_min.x - theme.pad();
    for (std::size_t i = screens.size(); i-- > 0;) {
      const char* label = screen_label(ctx.lang, screens[i]);
      float w = text_size(ctx.fonts.strong, label).x + 2 * tab_pad;
      x -= w;
      ImVec2 min{x, toggle_min.y}, max{x + w, toggle_min.y + tab_h};
      ImGui::SetCursorScreenPos(min);
      ImGui::PushID(static_cast<int>(100 + i));
      if (ImGui::InvisibleButton("tab", {w, tab_h})) pick.screen = screens[i];
      ImGui::PopID();
      bool active = screens[i] == current;
      draw->AddRectFilled(min, max, active ? theme.surface_raised : theme.surface, theme.rounding() * 0.6f);
      if (active) draw->AddRectFilled({min.x + 10 * s, max.y - 5 * s}, {max.x - 10 * s, max.y}, theme.accent, 2 * s);
      ImVec2 size = text_size(ctx.fonts.strong, label);
      draw_text(draw, ctx.fonts.strong, {min.x + (w - size.x) * 0.5f, min.y + (tab_h - size.y) * 0.5f - 2 * s},
                active ? theme.text : theme.text_muted, label);
      ctx.layout.push_back({"tab", screens[i], active ? "active" : "", {min.x, min.y, w, tab_h}});
      x -= 8 * s;
    }
    tabs_left = x;
  }

  // Left: the place over the screen's title.
  float left = origin.x + theme.pad();
  float text_width = tabs_left - left - theme.pad();
  float title_top = origin.y + (height - ctx.fonts.title->FontSize - ctx.fonts.body->FontSize) * 0.5f - 2 * s;
  // The staff badge takes its room from the place line, never from the title.
  float place_width = text_width;
  if (badge) {
    const ImVec2 size = text_size(ctx.fonts.body, badge);
    const float pad_x = 8 * s, w = size.x + 2 * pad_x;
    const std::string shown = fit_text(ctx.fonts.body, place, std::max(0.0f, text_width - w - theme.gap()));
    place_width = std::max(0.0f, text_width - w - theme.gap());
    const float x = left + std::min(text_size(ctx.fonts.body, shown).x + theme.gap(), std::max(0.0f, text_width - w));
    const ImVec2 min{x, title_top}, max{x + w, title_top + size.y};
    draw->AddRect(min, max, theme.text_muted, theme.rounding() * 0.4f, 0, 1.5f * s);
    draw_text(draw, ctx.fonts.body, {min.x + pad_x, min.y}, theme.text_muted, badge);
    ctx.layout.push_back({"storage-badge", "", badge, {min.x, min.y, w, size.y}});
  }
  draw_text(draw, ctx.fonts.body, {left, title_top}, theme.text_muted, fit_text(ctx.fonts.body, place, place_width));
  draw_text(draw, ctx.fonts.title, {left, title_top + ctx.fonts.body->FontSize}, theme.text,
            fit_text(ctx.fonts.title, title, text_width));
  ctx.layout.push_back({"header", "", "", {origin.x, origin.y, width, height}});
  return pick;
}

}  // namespace kiosk::ui
