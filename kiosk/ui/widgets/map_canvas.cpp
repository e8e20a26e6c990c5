// [SECTION] MapView: world metres <-> screen, forward-up
// [SECTION] Fills, walls and doors
// [SECTION] Route path
// [SECTION] Markers, icons and labels (placed greedily, most important first, never overlapping)
#include "ui/widgets/map_canvas.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ui/widgets/state_icon.hpp"
#include "ui/widgets/text.hpp"

namespace kiosk::ui {

using wayfinding::kNone;
using wayfinding::Vec2;

namespace {
constexpr double kPi = 3.14159265358979323846;
// Without the renderer's vertex offsets (GPU-less tests), a draw list indexes 65,536 vertices at most.
constexpr int kMaxVerticesWithoutOffsets = 60000;

ImU32 mix(ImU32 a, ImU32 b, float t) {
  auto channel = [&](int shift) {
    float ca = static_cast<float>((a >> shift) & 0xFF), cb = static_cast<float>((b >> shift) & 0xFF);
    return static_cast<ImU32>(ca + (cb - ca) * t + 0.5f) << shift;
  };
  return channel(IM_COL32_R_SHIFT) | channel(IM_COL32_G_SHIFT) | channel(IM_COL32_B_SHIFT) | (0xFFu << IM_COL32_A_SHIFT);
}

struct ScreenRect {
  ImVec2 Min, Max;
  ScreenRect(ImVec2 a, ImVec2 b) : Min(a), Max(b) {}
  void Translate(ImVec2 d) { Min = {Min.x + d.x, Min.y + d.y}, Max = {Max.x + d.x, Max.y + d.y}; }
};

bool overlaps(const ScreenRect& a, const ScreenRect& b) {
  return a.Min.x < b.Max.x && b.Min.x < a.Max.x && a.Min.y < b.Max.y && b.Min.y < a.Max.y;
}

bool room_for_vertices(const ImDrawList* draw, int more) {
  return (draw->Flags & ImDrawListFlags_AllowVtxOffset) || draw->VtxBuffer.Size + more < kMaxVerticesWithoutOffsets;
}
}  // namespace

// ============================================================================================
// [SECTION] MapView
// ============================================================================================

MapView::MapView(const wayfinding::Box& box, double heading_deg, ImVec2 min, ImVec2 max, float zoom, ImVec2 pan) {
  // Turning the world counter-clockwise by the heading brings the direction faced to the top.
  double h = heading_deg * kPi / 180.0;
  cos_ = static_cast<float>(std::cos(h));
  sin_ = static_cast<float>(std::sin(h));
  centre_world_ = box.empty() ? Vec2{} : box.centre();
  float w = 1, hgt = 1;
  if (!box.empty()) {
    float lo_x = INFINITY, hi_x = -INFINITY, lo_y = INFINITY, hi_y = -INFINITY;
    for (Vec2 corner : {box.min, box.max, Vec2{box.min.x, box.max.y}, Vec2{box.max.x, box.min.y}}) {
      Vec2 d = corner - centre_world_;
      float rx = d.x * cos_ - d.y * sin_, ry = d.x * sin_ + d.y * cos_;
      lo_x = std::min(lo_x, rx), hi_x = std::max(hi_x, rx), lo_y = std::min(lo_y, ry), hi_y = std::max(hi_y, ry);
    }
    w = std::max(1.0f, hi_x - lo_x);
    hgt = std::max(1.0f, hi_y - lo_y);
  }
  const float margin = 0.06f * std::min(max.x - min.x, max.y - min.y);
  scale_ = std::min((max.x - min.x - 2 * margin) / w, (max.y - min.y - 2 * margin) / hgt);
  scale_ = std::max(scale_, 0.01f) * zoom;
  centre_screen_ = {(min.x + max.x) * 0.5f + pan.x, (min.y + max.y) * 0.5f + pan.y};
}

ImVec2 MapView::to_screen(Vec2 p) const {
  Vec2 d = p - centre_world_;
  return {centre_screen_.x + (d.x * cos_ - d.y * sin_) * scale_, centre_screen_.y - (d.x * sin_ + d.y * cos_) * scale_};
}

Vec2 MapView::to_world(ImVec2 s) const {
  float rx = (s.x - centre_screen_.x) / scale_, ry = -(s.y - centre_screen_.y) / scale_;
  return centre_world_ + Vec2{rx * cos_ + ry * sin_, -rx * sin_ + ry * cos_};
}

ImVec2 MapView::screen_direction(double bearing_deg) const {
  double b = bearing_deg * kPi / 180.0;
  float vx = static_cast<float>(std::sin(b)), vy = static_cast<float>(std::cos(b));
  return {vx * cos_ - vy * sin_, -(vx * sin_ + vy * cos_)};
}

// ============================================================================================
// [SECTION] Fills, walls and doors
// ============================================================================================

namespace {

ImU32 unit_fill(const Theme& theme, const core::VenueNames::Unit& unit, const wayfinding::PlanUnit& plan_unit,
                bool space, core::Availability availability) {
  // Live spaces take their state's colour, softened so that names on them stay readable.
  if (space) return mix(theme.state_colour(availability), theme.map_room, 0.35f);
  if (!plan_unit.walkable) return theme.map_structure;
  std::string_view c = unit.category;
  if (wayfinding::is_stairs_category(c) || wayfinding::is_elevator_category(c) || wayfinding::is_escalator_category(c))
    return theme.map_connector;
  if (c == "walkway" || c == "lobby" || c == "unenclosedarea" || c == "ramp" || c == "footbridge") return theme.map_floor;
  return theme.map_room;
}

void fill_triangles(ImDrawList* draw, const MapView& view, const std::vector<Vec2>& triangles, ImU32 colour) {
  const int n = static_cast<int>(triangles.size());
  if (n == 0 || !room_for_vertices(draw, n)) return;
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
  draw->PrimReserve(n, n);
  const ImDrawIdx base = static_cast<ImDrawIdx>(draw->_VtxCurrentIdx);
  for (int i = 0; i < n; ++i) {
    draw->PrimWriteVtx(view.to_screen(triangles[static_cast<std::size_t>(i)]), uv, colour);
    draw->PrimWriteIdx(static_cast<ImDrawIdx>(base + i));
  }
}

void outline(ImDrawList* draw, const MapView& view, const wayfinding::LocalShape& shape, ImU32 colour, float thickness) {
  static std::vector<ImVec2> points;  // the UI runs on one thread; reused to spare allocations per frame
  for (const auto& polygon : shape)
    for (const auto& ring : polygon.rings) {
      if (ring.size() < 3 || !room_for_vertices(draw, static_cast<int>(ring.size()) * 4)) continue;
      points.clear();
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) points.push_back(view.to_screen(ring[i]));
      draw->AddPolyline(points.data(), static_cast<int>(points.size()), colour, ImDrawFlags_Closed, thickness);
    }
}

// ============================================================================================
// [SECTION] Route path
// ============================================================================================

void draw_route(const FrameContext& ctx, ImDrawList* draw, const MapView& view, const wayfinding::Route& route,
                std::uint32_t level, float progress) {
  const float s = ctx.theme.scale;
  float total = 0;
  for (const auto& leg : route.legs)
    for (std::size_t i = 1; i < leg.points.size(); ++i) total += wayfinding::distance(leg.points[i - 1], leg.points[i]);
  float budget = total * std::clamp(progress, 0.0f, 1.0f);
  std::vector<ImVec2> points;
  for (const auto& leg : route.legs) {
    points.clear();
    for (std::size_t i = 0; i < leg.points.size() && budget >= 0; ++i) {
      if (i > 0) {
        float step = wayfinding::distance(leg.points[i - 1], leg.points[i]);
        if (step > budget) {  // the animation's head, part way along this segment
          Vec2 head = leg.points[i - 1] + (leg.points[i] - leg.points[i - 1]) * (budget / step);
          if (leg.level == level) points.push_back(view.to_screen(head));
          budget = -1;
          break;
        }
        budget -= step;
      }
      if (leg.level == level) points.push_back(view.to_screen(leg.points[i]));
    }
    if (leg.level != level || points.size() < 2) continue;
    const int n = static_cast<int>(points.size());
    draw->AddPolyline(points.data(), n, ctx.theme.map_wall, 0, 13 * s);   // a dark edge: the path reads on any fill
    draw->AddPolyline(points.data(), n, ctx.theme.route, 0, 8 * s);
    for (const ImVec2& p : points) draw->AddCircleFilled(p, 4 * s, ctx.theme.route, 12);  // round joints
    if (budget < 0) draw->AddCircleFilled(points.back(), 9 * s, ctx.theme.route, 20);
  }
}

// ============================================================================================
// [SECTION] Markers, icons and labels
// ============================================================================================

void draw_you_are_here(const FrameContext& ctx, ImDrawList* draw, const MapView& view, ImVec2 at, double heading_deg,
                       std::vector<ScreenRect>& taken) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  ImVec2 dir = view.screen_direction(heading_deg);
  ImVec2 side{-dir.y, dir.x};
  // A cone ahead of the dot: the way the viewer faces.
  const float r = 13 * s, reach = 46 * s, half = 20 * s;
  ImVec2 tip{at.x + dir.x * reach, at.y + dir.y * reach};
  ImVec2 base{at.x + dir.x * r * 0.6f, at.y + dir.y * r * 0.6f};
  draw->AddTriangleFilled(tip, {base.x + side.x * half, base.y + side.y * half}, {base.x - side.x * half, base.y - side.y * half},
                          theme.you_are_here);
  draw->AddCircleFilled(at, r + 4 * s, theme.map_wall, 28);
  draw->AddCircleFilled(at, r, theme.you_are_here, 28);
  draw->AddCircleFilled(at, r * 0.4f, theme.map_wall, 16);
  const char* text = tr(ctx.lang, Text::YouAreHere);
  ImVec2 size = text_size(ctx.fonts.small_strong, text);
  ImVec2 pill_min{at.x - size.x * 0.5f - 8 * s, at.y + r + 10 * s};
  ImVec2 pill_max{pill_min.x + size.x + 16 * s, pill_min.y + size.y + 6 * s};
  draw->AddRectFilled(pill_min, pill_max, theme.you_are_here, 6 * s);
  draw_text(draw, ctx.fonts.small_strong, {pill_min.x + 8 * s, pill_min.y + 3 * s}, theme.map_wall, text);
  taken.push_back(ScreenRect({at.x - reach, at.y - reach}, {at.x + reach, at.y + reach}));
  taken.push_back(ScreenRect(pill_min, pill_max));
  ctx.layout.push_back({"you-are-here", "", "", {at.x - r, at.y - r, 2 * r, 2 * r}});
}

}  // namespace

bool draw_amenity_icon(ImDrawList* draw, const Theme& theme, const Fonts& fonts, ImVec2 c, float r,
                       std::string_view category) {
  const ImU32 ink = theme.text, disc = IM_COL32(0x45, 0x55, 0x6B, 0xFF);
  auto word = [&](const char* text) {
    ImVec2 size = text_size(fonts.small_strong, text);
    draw_text(draw, fonts.small_strong, {c.x - size.x * 0.5f, c.y - size.y * 0.5f}, ink, text);
  };
  if (category.rfind("restroom", 0) == 0 || category == "toilets") {
    draw->AddCircleFilled(c, r, disc, 24);
    word("WC");
  } else if (category == "elevator") {
    draw->AddCircleFilled(c, r, disc, 24);
    const float w = r * 0.55f;  // a lift car with its up and down arrows
    draw->AddRect({c.x - w, c.y - w}, {c.x + w, c.y + w}, ink, 0, 0, r * 0.12f);
    draw->AddTriangleFilled({c.x, c.y - w * 0.75f}, {c.x - w * 0.45f, c.y - w * 0.1f}, {c.x + w * 0.45f, c.y - w * 0.1f}, ink);
    draw->AddTriangleFilled({c.x, c.y + w * 0.75f}, {c.x + w * 0.45f, c.y + w * 0.1f}, {c.x - w * 0.45f, c.y + w * 0.1f}, ink);
  } else if (category == "stairs" || category == "escalator") {
    draw->AddCircleFilled(c, r, disc, 24);
    const float u = r * 0.3f;  // three steps going up to the right
    ImVec2 p[] = {{c.x - 1.6f * u, c.y + 1.4f * u}, {c.x - 0.6f * u, c.y + 1.4f * u}, {c.x - 0.6f * u, c.y + 0.4f * u},
                  {c.x + 0.4f * u, c.y + 0.4f * u}, {c.x + 0.4f * u, c.y - 0.6f * u}, {c.x + 1.4f * u, c.y - 0.6f * u},
                  {c.x + 1.4f * u, c.y - 1.6f * u}};
    draw->AddPolyline(p, 7, ink, 0, r * 0.14f);
  } else if (category == "information" || category.rfind("reception", 0) == 0 || category == "meetingpoint") {
    draw->AddCircleFilled(c, r, theme.accent, 24);
    word("i");
  } else {
    return false;
  }
  return true;
}

std::uint32_t unit_at(const app::Wayfinder& wayfinder, std::uint32_t level, Vec2 p) {
  if (level >= wayfinder.plan.levels.size()) return kNone;
  std::uint32_t best = kNone;
  float best_area = INFINITY;
  for (std::uint32_t u : wayfinder.plan.levels[level].units) {
    const auto& unit = wayfinder.plan.units[u];
    if (!unit.box.contains(p) || unit.area_m2 >= best_area) continue;
    const auto& t = unit.triangles;
    for (std::size_t i = 0; i + 2 < t.size(); i += 3) {
      float d1 = wayfinding::cross(t[i + 1] - t[i], p - t[i]), d2 = wayfinding::cross(t[i + 2] - t[i + 1], p - t[i + 1]),
            d3 = wayfinding::cross(t[i] - t[i + 2], p - t[i + 2]);
      bool negative = d1 < 0 || d2 < 0 || d3 < 0, positive = d1 > 0 || d2 > 0 || d3 > 0;
      if (!(negative && positive)) {
        best = u;
        best_area = unit.area_m2;
        break;
      }
    }
  }
  return best;
}

int draw_map(const FrameContext& ctx, ImDrawList* draw, const app::Wayfinder& wayfinder, const MapView& view,
             const MapLayer& layer, ImVec2 min, ImVec2 max) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  const auto& plan = wayfinder.plan;
  const auto& venue = wayfinder.venue;
  if (layer.level >= plan.levels.size()) return 0;
  const auto& level = plan.levels[layer.level];
  draw->PushClipRect(min, max, true);
  auto status_of = [&](std::uint32_t u) {
    return layer.unit_status && u < layer.unit_status->size() ? (*layer.unit_status)[u].availability
                                                               : core::Availability::Unknown;
  };
  auto is_space = [&](std::uint32_t u) { return layer.is_space && u < layer.is_space->size() && (*layer.is_space)[u]; };

  // Fills first, then every wall over them, then doors as gaps in the walls.
  for (std::uint32_t u : level.units)
    fill_triangles(draw, view, plan.units[u].triangles, unit_fill(theme, venue.units[u], plan.units[u], is_space(u), status_of(u)));
  for (std::uint32_t u : level.units) outline(draw, view, plan.units[u].shape, theme.map_wall, 2.5f * s);
  for (std::uint32_t o : level.openings)
    draw->AddLine(view.to_screen(plan.openings[o].a), view.to_screen(plan.openings[o].b), theme.map_door, 4 * s);
  if (layer.highlight_unit < plan.units.size() && plan.units[layer.highlight_unit].level == layer.level)
    outline(draw, view, plan.units[layer.highlight_unit].shape, theme.selection, 4 * s);
  if (layer.route) draw_route(ctx, draw, view, *layer.route, layer.level, layer.route_progress);

  std::vector<ScreenRect> taken;
  if (wayfinder.kiosk_level == layer.level && wayfinder.kiosk < plan.kiosks.size())
    draw_you_are_here(ctx, draw, view, view.to_screen(plan.kiosks[wayfinder.kiosk].point), wayfinder.heading_deg, taken);

  const float icon_r = 13 * s;
  for (std::uint32_t a : level.amenities) {
    ImVec2 c = view.to_screen(plan.amenities[a].point);
    ScreenRect box({c.x - icon_r, c.y - icon_r}, {c.x + icon_r, c.y + icon_r});
    if (std::any_of(taken.begin(), taken.end(), [&](const ScreenRect& t) { return overlaps(t, box); })) continue;
    if (draw_amenity_icon(draw, theme, ctx.fonts, c, icon_r, venue.amenities[a].category)) taken.push_back(box);
  }

  // Labels: the highlighted unit, then live spaces, then other named rooms, larger first. A name is
  // shown only where it fits inside its unit and clears every name already placed.
  int placed = 0;
  if (layer.labels) {
    std::vector<std::uint32_t> order;
    for (std::uint32_t u : level.units)
      if (!venue.units[u].name.empty() || is_space(u)) order.push_back(u);
    auto rank = [&](std::uint32_t u) { return u == layer.highlight_unit ? 0 : is_space(u) ? 1 : 2; };
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (rank(a) != rank(b)) return rank(a) < rank(b);
      return plan.units[a].area_m2 > plan.units[b].area_m2;
    });
    const char* lang = lang_code(ctx.lang);
    for (std::uint32_t u : order) {
      const auto& unit = plan.units[u];
      const float room = 2.0f * unit.label_radius * view.pixels_per_metre();
      const bool space = is_space(u);
      ImVec2 c = view.to_screen(unit.label_point);
      if (c.x < min.x || c.x > max.x || c.y < min.y || c.y > max.y) continue;
      if (space && room > 2.2f * icon_r) {
        ScreenRect box({c.x - icon_r, c.y - icon_r}, {c.x + icon_r, c.y + icon_r});
        if (std::none_of(taken.begin(), taken.end(), [&](const ScreenRect& t) { return overlaps(t, box); })) {
          draw_state_icon(draw, theme, ctx.fonts, c, icon_r * 0.85f, status_of(u));
          taken.push_back(box);
          c.y += icon_r + 4 * s;
        }
      }
      ImFont* font = space || u == layer.highlight_unit ? ctx.fonts.small_strong : ctx.fonts.small;
      const std::string& name = venue.units[u].name.pick(lang);
      if (name.empty()) continue;
      ImVec2 size = text_size(font, name);
      if (size.x > std::max(room * 1.25f, 40 * s) && u != layer.highlight_unit) continue;
      ScreenRect box({c.x - size.x * 0.5f - 3 * s, c.y - 1 * s}, {c.x + size.x * 0.5f + 3 * s, c.y + size.y + 1 * s});
      if (!space) box.Translate({0, -size.y * 0.5f});
      if (box.Min.x < min.x || box.Max.x > max.x || box.Min.y < min.y || box.Max.y > max.y) continue;  // no half names
      if (std::any_of(taken.begin(), taken.end(), [&](const ScreenRect& t) { return overlaps(t, box); })) continue;
      draw_text(draw, font, {box.Min.x + 3 * s, box.Min.y + 1 * s}, theme.text, name);
      taken.push_back(box);
      ++placed;
    }
  }
  draw->PopClipRect();
  return placed;
}

}  // namespace kiosk::ui
