#include "ui/screens/route.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/screens/map.hpp"
#include "ui/widgets/header.hpp"
#include "ui/widgets/map_canvas.hpp"
#include "ui/widgets/status_strip.hpp"
#include "ui/widgets/text.hpp"

namespace kiosk::ui {

using wayfinding::kNone;

void open_route(app::AppState& state, std::uint32_t unit, core::TimePoint now) {
  state.screen = "route";
  state.nav.route_unit = unit;
  state.nav.route_started = now;
  state.nav.selected_unit = kNone;
  ++state.nav.changes;
  ++state.revision;
}

void RouteScreen::compute(const app::AppState& state, Lang lang) {
  const app::Wayfinder* way = state.wayfinder.get();
  if (way != for_wayfinder_ || state.nav.route_unit != for_unit_ || state.nav.step_free != for_step_free_) {
    for_wayfinder_ = way;
    for_unit_ = state.nav.route_unit;
    for_step_free_ = state.nav.step_free;
    result_ = way ? way->route_to(for_unit_, for_step_free_) : wayfinding::RouteResult{};
    steps_ = result_.route ? wayfinding::directions(*result_.route, way->venue, way->plan) : std::vector<wayfinding::Step>{};
    step_text_.clear();  // worded below
  }
  if (step_text_.size() != steps_.size() || lang != for_lang_) {
    for_lang_ = lang;
    step_text_.clear();
    for (const auto& step : steps_) step_text_.push_back(wayfinding::describe(step, way->venue, lang_code(lang)));
    totals_ = result_.route ? wayfinding::describe_totals(*result_.route, lang_code(lang)) : "";
    failure_ = result_.route ? "" : wayfinding::describe(result_, lang_code(lang));
  }
}

void RouteScreen::draw(const FrameContext& ctx, app::AppState& state) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  const app::Wayfinder* way = state.wayfinder.get();
  std::string title = tr(ctx.lang, Text::RouteTitle);
  if (way && state.nav.route_unit < way->venue.units.size()) {
    const std::string& name = way->venue.units[state.nav.route_unit].name.pick(lang_code(ctx.lang));
    if (!name.empty()) title += " · " + name;
  }
  draw_screen_header(ctx, state, title);
  draw_status_strip(ctx, state);
  const ImVec2 win = ImGui::GetWindowPos();
  const float width = ImGui::GetWindowWidth(), height = ImGui::GetWindowHeight();
  const ImVec2 body_min{win.x + theme.pad(), win.y + theme.header_height() + theme.gap()};
  const ImVec2 body_max{win.x + width - theme.pad(), win.y + height - theme.status_height() - theme.gap()};
  if (!way) {
    draw_centred_message(ctx, body_min, body_max, tr(ctx.lang, Text::NoMapForPanel));
    return;
  }
  compute(state, ctx.lang);
  units_.update(state, ctx.now);

  const bool landscape = width >= height;
  const float column = landscape ? 600 * s : 0;
  const ImVec2 maps_min = body_min;
  const ImVec2 maps_max{body_max.x - (landscape ? column + theme.gap() : 0),
                        landscape ? body_max.y : body_min.y + (body_max.y - body_min.y) * 0.55f};
  ImVec2 col_min = landscape ? ImVec2{maps_max.x + theme.gap(), body_min.y} : ImVec2{body_min.x, maps_max.y + theme.gap()};
  draw_column(ctx, state, col_min, body_max);

  ImDrawList* draw = ImGui::GetWindowDrawList();
  if (!result_.route) {
    draw->AddRectFilled(maps_min, maps_max, theme.surface, theme.rounding());
    draw_centred_message(ctx, maps_min, maps_max, failure_);
    return;
  }
  const wayfinding::Route& route = *result_.route;
  const auto elapsed = ctx.now - state.nav.route_started;
  float progress = std::clamp(std::chrono::duration<float>(elapsed).count() /
                                  std::chrono::duration<float>(kAnimation).count(), 0.0f, 1.0f);
  if (progress < 1) state.animate_until = state.nav.route_started + kAnimation;

  // One map per leg, side by side (stacked on a portrait screen), in walking order.
  const int legs = static_cast<int>(std::min<std::size_t>(route.legs.size(), 4));
  const float gap = theme.gap();
  const bool side_by_side = (maps_max.x - maps_min.x) >= (maps_max.y - maps_min.y) * 0.9f;
  for (int i = 0; i < legs; ++i) {
    const auto& leg = route.legs[static_cast<std::size_t>(i)];
    const float fi = static_cast<float>(i), n = static_cast<float>(legs);
    ImVec2 min = side_by_side ? ImVec2{maps_min.x + fi * ((maps_max.x - maps_min.x - (n - 1) * gap) / n + gap), maps_min.y}
                              : ImVec2{maps_min.x, maps_min.y + fi * ((maps_max.y - maps_min.y - (n - 1) * gap) / n + gap)};
    ImVec2 max = side_by_side ? ImVec2{min.x + (maps_max.x - maps_min.x - (n - 1) * gap) / n, maps_max.y}
                              : ImVec2{maps_max.x, min.y + (maps_max.y - maps_min.y - (n - 1) * gap) / n};
    draw->AddRectFilled(min, max, theme.surface, theme.rounding());
    // Caption: the level, and how the walk goes on from it.
    std::string caption = level_label(*way, leg.level, ctx.lang, false);
    const float caption_h = ctx.fonts.strong->FontSize + 20 * s;
    // Right of the caption: how the walk goes on to the next map ("↑ stairs", "↓ lift").
    float caption_w = max.x - min.x - 32 * s;
    if (static_cast<std::size_t>(i) < route.changes.size()) {
      const auto& change = route.changes[static_cast<std::size_t>(i)];
      const Text via = change.via == wayfinding::Connector::Elevator    ? Text::ViaLift
                       : change.via == wayfinding::Connector::Escalator ? Text::ViaEscalator
                       : change.via == wayfinding::Connector::Ramp      ? Text::ViaRamp
                                                                        : Text::ViaStairs;
      const bool up = way->venue.levels[change.to_level].ordinal > way->venue.levels[change.from_level].ordinal;
      std::string next = std::string(up ? "↑ " : "↓ ") + tr(ctx.lang, via) + "  " +
                         level_label(*way, change.to_level, ctx.lang, true);
      ImVec2 size = text_size(ctx.fonts.body, next);
      ImVec2 pill{max.x - 16 * s - size.x - 20 * s, min.y + 10 * s};
      draw->AddRectFilled(pill, {max.x - 16 * s, pill.y + ctx.fonts.strong->FontSize}, theme.route, 8 * s);
      draw_text(draw, ctx.fonts.body, {pill.x + 10 * s, pill.y + (ctx.fonts.strong->FontSize - size.y) * 0.5f}, theme.text,
                next);
      caption_w -= size.x + 36 * s;
    }
    draw_text(draw, ctx.fonts.strong, {min.x + 16 * s, min.y + 10 * s}, theme.text,
              fit_text(ctx.fonts.strong, std::to_string(i + 1) + ".  " + caption, caption_w));
    // Frame the path on this level with some of the building around it.
    wayfinding::Box box;
    for (auto p : leg.points) box.add(p);
    if (route.to_unit < way->plan.units.size() && way->plan.units[route.to_unit].level == leg.level)
      box.add(way->plan.units[route.to_unit].box);
    box.min = box.min - wayfinding::Vec2{8, 8};
    box.max = box.max + wayfinding::Vec2{8, 8};
    ImVec2 map_min{min.x, min.y + caption_h};
    MapView view(box, way->heading_deg, map_min, max);
    MapLayer layer;
    layer.level = leg.level;
    layer.unit_status = &units_.status();
    layer.is_space = &units_.is_space();
    layer.highlight_unit = route.to_unit;
    layer.route = &route;
    layer.route_progress = progress;
    draw_map(ctx, draw, *way, view, layer, map_min, max);
    ctx.layout.push_back({"route-map", std::to_string(leg.level), "", {min.x, min.y, max.x - min.x, max.y - min.y}});
    // Every drawn route vertex, for render tests that check the path's colour along it.
    for (std::size_t p = 0; p < leg.points.size(); ++p) {
      ImVec2 at = view.to_screen(leg.points[p]);
      ctx.layout.push_back({"route-point", std::to_string(leg.level), std::to_string(p), {at.x, at.y, 0, 0}});
    }
  }
}

void RouteScreen::draw_column(const FrameContext& ctx, app::AppState& state, ImVec2 min, ImVec2 max) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float w = max.x - min.x;
  float y = min.y;

  // Back, and the step-free switch.
  const float button_h = 64 * s;
  if (touch_button(ctx, "back", {min.x, y}, {w * 0.38f, button_h}, std::string("←  ") + tr(ctx.lang, Text::Back), false)) {
    state.screen = state.home_screen;
    ++state.nav.changes;
    ++state.revision;
  }
  const ImVec2 toggle_min{min.x + w * 0.38f + 10 * s, y};
  if (touch_button(ctx, "step-free", toggle_min, {w * 0.62f - 10 * s, button_h},
                   std::string("     ") + tr(ctx.lang, Text::StepFree), state.nav.step_free)) {
    state.nav.step_free = !state.nav.step_free;
    state.nav.route_started = ctx.now;
    ++state.nav.changes;
    ++state.revision;
  }
  {  // the switch's box: ticked when on, so the state reads without colour
    const float b = 26 * s;
    ImVec2 box_min{toggle_min.x + 22 * s, y + (button_h - b) * 0.5f};
    draw->AddRect(box_min, {box_min.x + b, box_min.y + b}, theme.text, 4 * s, 0, 2.5f * s);
    if (state.nav.step_free) {
      ImVec2 tick[3] = {{box_min.x + b * 0.2f, box_min.y + b * 0.52f}, {box_min.x + b * 0.42f, box_min.y + b * 0.74f},
                        {box_min.x + b * 0.8f, box_min.y + b * 0.26f}};
      draw->AddPolyline(tick, 3, theme.text, 0, 3.5f * s);
    }
  }
  y += button_h + theme.gap();

  if (!result_.route) return;
  // Totals, big: the first thing a visitor wants to know.
  draw_text(draw, ctx.fonts.title, {min.x, y}, theme.text, fit_text(ctx.fonts.title, totals_, w));
  y += ctx.fonts.title->FontSize + theme.gap();

  // The QR code at the bottom; the steps fill what is between.
  const app::Wayfinder& way = *state.wayfinder;
  std::string url = way.route_url(state.nav.route_unit, state.nav.step_free, lang_code(ctx.lang));
  float qr_side = 0;
  if (qr_.set_text(url)) {
    qr_side = std::min(230 * s, w * 0.45f);
    ImVec2 qr_min{min.x, max.y - qr_side};
    qr_.draw(draw, qr_min, qr_side);
    draw_text(draw, ctx.fonts.body, {min.x + qr_side + 16 * s, max.y - qr_side * 0.6f}, theme.text_muted,
              fit_text(ctx.fonts.body, tr(ctx.lang, Text::ScanToTakeRoute), w - qr_side - 16 * s));
    ctx.layout.push_back({"qr", "", url, {qr_min.x, qr_min.y, qr_side, qr_side}});
  }
  const float steps_bottom = max.y - (qr_side > 0 ? qr_side + theme.gap() : 0);
  const float number_r = 15 * s, text_left = min.x + 2 * number_r + 14 * s, text_w = max.x - text_left;
  char number[24];
  for (std::size_t i = 0; i < step_text_.size(); ++i) {
    // Long steps wrap onto two lines at most.
    ImVec2 size = ctx.fonts.body->CalcTextSizeA(ctx.fonts.body->FontSize, text_w, text_w, step_text_[i].c_str());
    float h = std::max(2 * number_r, std::min(size.y, ctx.fonts.body->FontSize * 2.2f)) + 12 * s;
    if (y + h > steps_bottom) break;
    std::snprintf(number, sizeof number, "%zu", i + 1);
    ImVec2 c{min.x + number_r, y + number_r};
    draw->AddCircleFilled(c, number_r, theme.accent, 20);
    ImVec2 ns = text_size(ctx.fonts.small_strong, number);
    draw_text(draw, ctx.fonts.small_strong, {c.x - ns.x * 0.5f, c.y - ns.y * 0.5f}, theme.text, number);
    draw->AddText(ctx.fonts.body, ctx.fonts.body->FontSize, {text_left, y + 2 * s}, theme.text, step_text_[i].c_str(),
                  nullptr, text_w);
    ctx.layout.push_back({"step", std::to_string(i), "", {min.x, y, w, h}});
    y += h;
  }
}

}  // namespace kiosk::ui
