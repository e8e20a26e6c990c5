#include "ui/screens/board.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "ui/screens/route.hpp"
#include "ui/widgets/header.hpp"
#include "ui/widgets/space_tile.hpp"
#include "ui/widgets/status_strip.hpp"
#include "ui/widgets/text.hpp"

namespace kiosk::ui {

namespace {
constexpr core::SpaceKind kSectionOrder[] = {core::SpaceKind::Meeting, core::SpaceKind::Nap, core::SpaceKind::Sport,
                                             core::SpaceKind::Phone, core::SpaceKind::Other};

constexpr int kMaxTileVertices = 60000;

bool dragged() { return ImGui::GetIO().MouseDragMaxDistanceSqr[0] > 20.0f * 20.0f; }

int state_rank(core::Availability a) {
  return a == core::Availability::Free ? 0 : a == core::Availability::Occupied ? 1 : 2;
}
}  // namespace

void BoardScreen::refresh_states(const FrameContext& ctx, const app::AppState& state) {
  const std::size_t n = state.spaces.size();
  statuses_.resize(n);
  for (std::size_t i = 0; i < n; ++i) statuses_[i] = core::evaluate(state.spaces[i], state.readings[i], ctx.now);
  for (Section& section : sections_) {
    section.free = 0;
    for (std::uint32_t i : section.spaces) section.free += statuses_[i].availability == core::Availability::Free;
  }
  built_revision_ = state.revision;
  valid_until_ = state.next_expiry(ctx.now);
  order_stale_ = true;
}

void BoardScreen::rebuild(const FrameContext& ctx, const app::AppState& state) {
  const std::size_t n = state.spaces.size();
  statuses_.resize(n);
  for (std::size_t i = 0; i < n; ++i) statuses_[i] = core::evaluate(state.spaces[i], state.readings[i], ctx.now);

  const int panel_level = state.panel_level;
  const int min_capacity = state.nav.min_capacity;

  sections_.clear();
  const char* lang = lang_code(ctx.lang);
  for (core::SpaceKind kind : kSectionOrder) {
    Section section{kind, {}, 0};
    for (std::uint32_t i = 0; i < n; ++i) {
      if (state.spaces[i].kind != kind) continue;
      const core::Space& space = state.spaces[i];
      if (min_capacity > 0 && std::max(space.capacity, space.seats) < min_capacity) continue;
      section.spaces.push_back(i);
      if (statuses_[i].availability == core::Availability::Free) ++section.free;
    }
    if (section.spaces.empty()) continue;
    // Keys computed once per space, not once per comparison: a board of 10,000 spaces regroups in a
    // few milliseconds when data changes.
    keys_.resize(n);
    for (std::uint32_t i : section.spaces)
      keys_[i] = {state_rank(statuses_[i].availability), state.walk_seconds(i),
                  std::abs(state.spaces[i].level_ordinal - panel_level), &state.spaces[i].name.pick(lang)};
    std::sort(section.spaces.begin(), section.spaces.end(), [&](std::uint32_t a, std::uint32_t b) {
      const SortKey& ka = keys_[a];
      const SortKey& kb = keys_[b];
      if (ka.rank != kb.rank) return ka.rank < kb.rank;
      if (ka.walk_s != kb.walk_s) return ka.walk_s < kb.walk_s;
      if (ka.floor_distance != kb.floor_distance) return ka.floor_distance < kb.floor_distance;
      return *ka.name < *kb.name;
    });
    sections_.push_back(std::move(section));
  }
  built_revision_ = state.revision;
  built_lang_ = ctx.lang;
  built_min_capacity_ = min_capacity;
  valid_until_ = state.next_expiry(ctx.now);
  built_ = true;
  order_stale_ = false;
  sorted_at_ = ctx.now;
}

// "All · ≥ 4 · ≥ 8 · ≥ 12": answers "the nearest free room for 6" in one touch. Returns its height.
float BoardScreen::draw_capacity_filter(const FrameContext& ctx, app::AppState& state, float top) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale, h = 50 * s, pad = 22 * s;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  float x = ImGui::GetWindowPos().x + theme.pad();
  const float y = ImGui::GetWindowPos().y + top + theme.gap();
  static constexpr int kChoices[] = {0, 4, 8, 12};
  char label[32];
  for (int choice : kChoices) {
    if (choice == 0) std::snprintf(label, sizeof label, "%s", tr(ctx.lang, Text::CapacityAny));
    else std::snprintf(label, sizeof label, tr(ctx.lang, Text::CapacityAtLeast), choice);
    const float w = text_size(ctx.fonts.body, label).x + 2 * pad;
    const bool active = state.nav.min_capacity == choice;
    ImGui::SetCursorScreenPos({x, y});
    ImGui::PushID(choice);
    if (ImGui::InvisibleButton("capacity", {w, h}) && !active) {
      state.nav.min_capacity = choice;
      ++state.nav.changes;
      ++state.revision;
    }
    ImGui::PopID();
    draw->AddRectFilled({x, y}, {x + w, y + h}, active ? theme.accent : theme.surface_raised, h * 0.5f);
    draw_text(draw, ctx.fonts.body, {x + pad, y + (h - ctx.fonts.body->FontSize) * 0.5f - 1 * s},
              active ? theme.text : theme.text_muted, label);
    ctx.layout.push_back({"capacity-filter", std::to_string(choice), active ? "active" : "", {x, y, w, h}});
    x += w + 10 * s;
  }
  return h + theme.gap();
}

void BoardScreen::draw(const FrameContext& ctx, app::AppState& state) {
  if (ImGui::IsMouseDown(ImGuiMouseButton_Left) || ImGui::IsMouseReleased(ImGuiMouseButton_Left)) touched_at_ = ctx.now;
  const bool layout_changed = !built_ || built_lang_ != ctx.lang || statuses_.size() != state.spaces.size() ||
                              built_min_capacity_ != state.nav.min_capacity;
  const bool states_changed = built_revision_ != state.revision || (valid_until_ && ctx.now >= *valid_until_);
  if (layout_changed) rebuild(ctx, state);
  else if (states_changed) refresh_states(ctx, state);
  if (order_stale_) {
    const core::TimePoint due = std::max(sorted_at_, touched_at_) + kSettle;
    if (ctx.now >= due && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) rebuild(ctx, state);
    else state.redraw_at = state.redraw_at ? std::min(*state.redraw_at, due) : due;
  }

  const Theme& theme = ctx.theme;
  draw_screen_header(ctx, state, tr(ctx.lang, Text::BoardTitle));
  draw_status_strip(ctx, state);

  float top = theme.header_height();
  if (state.wayfinder) top += draw_capacity_filter(ctx, state, top);
  const float body_h = ImGui::GetWindowHeight() - top - theme.status_height();
  ImGui::SetCursorPos({theme.pad(), top});
  ImGui::BeginChild("board", {ImGui::GetWindowWidth() - 2 * theme.pad(), body_h}, false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
  // Touch screens have no wheel: dragging the board scrolls it.
  if (ImGui::IsWindowHovered() && ImGui::IsMouseDragging(ImGuiMouseButton_Left))
    ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);

  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  const float gap = theme.gap();
  const int columns = std::max(1, static_cast<int>((width + gap) / (theme.tile_min_width() + gap)));
  const float tile_w = (width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
  const float tile_h = theme.tile_height();
  const float title_h = ctx.fonts.strong->FontSize + 2 * gap;
  const float visible_top = ImGui::GetWindowPos().y, visible_bottom = visible_top + body_h;

  if (sections_.empty()) {
    const char* text = tr(ctx.lang, Text::NothingToShow);
    ImVec2 size = text_size(ctx.fonts.strong, text);
    draw_text(draw, ctx.fonts.strong, {origin.x + (width - size.x) * 0.5f, origin.y + body_h * 0.4f},
              theme.text_muted, text);
  }

  // Sections flow into bands: a section with fewer tiles than columns shares its band with the
  // next ones when they fit, so a board of a few kinds does not waste whole rows on one tile.
  float y = origin.y + gap;
  char buf[64];
  std::size_t next = 0;
  while (next < sections_.size()) {
    std::size_t band_end = next;
    int used = 0;
    int band_rows = 1;
    while (band_end < sections_.size()) {
      int n = static_cast<int>(sections_[band_end].spaces.size());
      if (band_end == next) {
        used = std::min(n, columns);
        band_rows = (n + columns - 1) / columns;
        ++band_end;
        if (n >= columns) break;
        continue;
      }
      if (used + n > columns) break;
      used += n;
      ++band_end;
    }
    const float band_h = title_h + static_cast<float>(band_rows) * (tile_h + gap);
    int column = 0;
    for (std::size_t k = next; k < band_end; ++k) {
      const Section& section = sections_[k];
      const int span = std::min(static_cast<int>(section.spaces.size()), columns);
      const float x0 = origin.x + static_cast<float>(column) * (tile_w + gap);
      column += span;
      if (y + band_h < visible_top || y > visible_bottom) continue;  // off screen: nothing to draw
      const char* title = kind_title(ctx.lang, section.kind);
      draw_text(draw, ctx.fonts.strong, {x0, y + gap * 0.5f}, theme.text, title);
      std::snprintf(buf, sizeof buf, tr(ctx.lang, section.free > 1 ? Text::FreeCount : Text::FreeCountOne),
                    section.free);
      float title_w = text_size(ctx.fonts.strong, title).x;
      draw_text(draw, ctx.fonts.body,
                {x0 + title_w + gap, y + gap * 0.5f + ctx.fonts.strong->FontSize - ctx.fonts.body->FontSize - 2},
                section.free > 0 ? theme.free : theme.text_muted, buf);
      const std::size_t count = section.spaces.size();
      for (std::size_t i = 0; i < count; ++i) {
        const int row = static_cast<int>(i) / span, col = static_cast<int>(i) % span;
        const float tile_y = y + title_h + static_cast<float>(row) * (tile_h + gap);
        // Rows off screen cost nothing but this test: boards of thousands of spaces stay cheap.
        if (tile_y + tile_h < visible_top || tile_y > visible_bottom) continue;
        // Debian's ImGui indexes vertices with 16 bits: a draw list holds 65,536 at most (about 230
        // tiles). A screen tall enough for more shows what fits rather than aborting.
        if (draw->VtxBuffer.Size > kMaxTileVertices) break;
        const std::uint32_t index = section.spaces[i];
        ImVec2 min{x0 + static_cast<float>(col) * (tile_w + gap), tile_y};
        const float walk_s = state.walk_seconds(index);  // +infinity: no map, or no way there
        draw_space_tile(ctx, draw, min, {min.x + tile_w, min.y + tile_h}, state.spaces[index], statuses_[index], walk_s);
        // One touch on a space starts the route there (a drag scrolls the board instead).
        if (walk_s >= 0 && std::isfinite(walk_s)) {
          ImGui::SetCursorScreenPos(min);
          ImGui::PushID(static_cast<int>(index));
          if (ImGui::InvisibleButton("tile", {tile_w, tile_h}) && !dragged())
            open_route(state, state.space_unit[index], ctx.now);
          ImGui::PopID();
        }
      }
    }
    y += band_h + gap;
    next = band_end;
  }
  ImGui::Dummy({width, y - origin.y});
  ImGui::EndChild();
}

}  // namespace kiosk::ui
