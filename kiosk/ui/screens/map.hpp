// The floor map: one level at a time with a level switcher, units filled by live state, "you are
// here", pan and zoom; a touch on a unit opens its card with "take me there".
#pragma once
#include "app/app_state.hpp"
#include "ui/frame_context.hpp"
#include "ui/screens/unit_states.hpp"

namespace kiosk::ui {

class MapScreen {
 public:
  void draw(const FrameContext& ctx, app::AppState& state);

 private:
  void draw_side_panel(const FrameContext& ctx, app::AppState& state, ImVec2 min, ImVec2 max, std::uint32_t level);
  UnitStates units_;
};

// The level a screen shows: the one chosen, else the panel's own, else the first.
std::uint32_t shown_level(const app::AppState& state);
// A level's short name in the language ("RDC" / "1"), else its name.
std::string level_label(const app::Wayfinder& wayfinder, std::uint32_t level, Lang lang, bool short_name);
// A big rounded button drawn into the window's draw list; true when touched (not at the end of a drag).
bool touch_button(const FrameContext& ctx, const char* id, ImVec2 min, ImVec2 size, const std::string& label,
                  bool primary, ImFont* font = nullptr);
// Draws the message centred in [min, max] (no map, no route).
void draw_centred_message(const FrameContext& ctx, ImVec2 min, ImVec2 max, const std::string& text);

}  // namespace kiosk::ui
