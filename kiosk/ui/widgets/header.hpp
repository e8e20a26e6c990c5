// The top band of every screen: where you are, what this screen is, the clock, the language toggle.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "app/app_state.hpp"
#include "ui/frame_context.hpp"

namespace kiosk::ui {

struct HeaderPick {
  Lang lang;           // the language the viewer picked with the toggle (or ctx.lang)
  std::string screen;  // the tab touched, or "" when none
};
// `screens`: the tabs to offer (none when fewer than two), `current` the one highlighted. `badge`: a
// small staff note after the place name ("state not saved"), muted: it tells staff, not visitors.
HeaderPick draw_header(const FrameContext& ctx, const std::string& place, const std::string& title,
                       const std::vector<std::string>& screens = {}, std::string_view current = {},
                       const char* badge = nullptr);

// How long staff hold the header's place name to open the status view ("admin").
inline constexpr std::chrono::seconds kStaffHold{3};

// What every screen draws on top: the header (place, title, tabs, language, clock) with the
// viewer's picks applied to `state`.
void draw_screen_header(const FrameContext& ctx, app::AppState& state, const std::string& title);

// The tab label of a screen name ("board" -> "Espaces"/"Spaces").
const char* screen_label(Lang lang, std::string_view screen);

}  // namespace kiosk::ui
