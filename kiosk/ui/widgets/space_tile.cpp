#include "ui/widgets/space_tile.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "ui/widgets/state_icon.hpp"
#include "ui/widgets/text.hpp"

namespace kiosk::ui {

namespace {

std::string details_line(const FrameContext& ctx, const core::Space& space) {
  const char* dot = " · ";
  std::string line = space.level_name.pick(lang_code(ctx.lang));
  char buf[64];
  if (space.seats > 0 || space.capacity > 0) {
    if (space.seats > 0) std::snprintf(buf, sizeof buf, tr(ctx.lang, Text::Seats), space.seats);
    else std::snprintf(buf, sizeof buf, tr(ctx.lang, Text::People), space.capacity);
    line += (line.empty() ? "" : dot) + std::string(buf);
  }
  for (std::size_t i = 0; i < space.equipment.size(); ++i)
    line += (i == 0 && !line.empty() ? dot : i == 0 ? "" : ", ") + equipment_word(ctx.lang, space.equipment[i]);
  return line;
}

}  // namespace

std::string state_text(Lang lang, const core::Space& space, const core::SpaceStatus& status) {
  char buf[96];
  if (status.availability == core::Availability::Unknown) {
    if (!status.last_seen) return tr(lang, Text::NeverSeen);
    std::snprintf(buf, sizeof buf, tr(lang, Text::LastSeen), core::format_hhmm(*status.last_seen).c_str());
    return std::string(tr(lang, Text::Unknown)) + " · " + buf;
  }
  if (status.seats_free >= 0 && space.seats > 0) {
    // Counted full says so; a presence sensor's "occupied" still reads "0 of 4 seats free".
    if (status.load == core::Load::Full) return tr(lang, Text::Full);
    std::snprintf(buf, sizeof buf, tr(lang, Text::SeatsFreeOf), status.seats_free, space.seats);
    return buf;
  }
  // The word follows the availability (and so the colour); "Full" is the occupied that a count explains.
  const Text state = status.load == core::Load::Full                 ? Text::Full
                     : status.availability == core::Availability::Free ? Text::Free
                                                                       : Text::Occupied;
  std::string word = tr(lang, state);
  if (status.people > 0) {
    if (space.capacity > 0)
      std::snprintf(buf, sizeof buf, tr(lang, Text::PeopleOfCapacity), status.people, space.capacity);
    else
      std::snprintf(buf, sizeof buf, tr(lang, Text::PeopleInside), status.people);
    word += std::string(" · ") + buf;
  }
  return word;
}

std::string walk_text(Lang lang, float walk_s) {
  char buf[32];
  int minutes = static_cast<int>(std::ceil(walk_s / 60.0f));
  if (walk_s < 45) return tr(lang, Text::WalkUnderMinute);
  std::snprintf(buf, sizeof buf, tr(lang, Text::WalkMinutes), std::max(1, minutes));
  return buf;
}

void draw_space_tile(const FrameContext& ctx, ImDrawList* draw, ImVec2 min, ImVec2 max, const core::Space& space,
                     const core::SpaceStatus& status, float walk_s) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  ImU32 state_colour = theme.state_colour(status.availability);
  draw->AddRectFilled(min, max, theme.surface, theme.rounding());
  const float stripe = 10 * s;
  draw->AddRectFilled(min, {min.x + stripe, max.y}, state_colour, theme.rounding(), ImDrawFlags_RoundCornersLeft);

  const float left = min.x + stripe + 20 * s;
  float width = max.x - left - 18 * s;
  // Walking time from this panel, top right: what the board is sorted by.
  if (walk_s >= 0 && std::isfinite(walk_s)) {
    std::string walk = walk_text(ctx.lang, walk_s);
    ImVec2 size = text_size(ctx.fonts.body, walk);
    draw_text(draw, ctx.fonts.body, {max.x - 18 * s - size.x, min.y + 14 * s + (ctx.fonts.strong->FontSize - size.y) * 0.5f},
              theme.accent, walk);
    width -= size.x + 12 * s;
  }
  const char* lang = lang_code(ctx.lang);
  ImFont* name_font = ctx.fonts.strong;
  draw_text(draw, name_font, {left, min.y + 14 * s}, theme.text, fit_text(name_font, space.name.pick(lang), width));
  draw_text(draw, ctx.fonts.body, {left, min.y + 14 * s + name_font->FontSize + 4 * s}, theme.text_muted,
            fit_text(ctx.fonts.body, details_line(ctx, space), max.x - left - 18 * s));

  const float icon_radius = 14 * s;
  ImVec2 icon_centre{left + icon_radius, max.y - 18 * s - icon_radius};
  draw_state_icon(draw, theme, ctx.fonts, icon_centre, icon_radius, status.availability);
  ImFont* state_font = status.availability == core::Availability::Unknown ? ctx.fonts.body : ctx.fonts.strong;
  float text_x = icon_centre.x + icon_radius + 12 * s;
  draw_text(draw, state_font, {text_x, icon_centre.y - state_font->FontSize * 0.55f}, state_colour,
            fit_text(state_font, state_text(ctx.lang, space, status), max.x - text_x - 18 * s));

  ctx.layout.push_back({"tile", space.id, std::string(core::to_string(status.availability)),
                        {min.x, min.y, max.x - min.x, max.y - min.y}});
}

}  // namespace kiosk::ui
