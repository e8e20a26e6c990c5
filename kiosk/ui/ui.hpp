// The UI entry point: theme, fonts and the screens. The frame loop calls draw() between
// ImGui::NewFrame() and ImGui::Render(); nothing here knows about SDL, GL, MQTT or SQLite.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "app/app_state.hpp"
#include "ui/layout.hpp"
#include "ui/screens/admin.hpp"
#include "ui/screens/board.hpp"
#include "ui/screens/directory.hpp"
#include "ui/screens/map.hpp"
#include "ui/screens/route.hpp"
#include "ui/theme.hpp"

namespace kiosk::ui {

// Screens that exist, for `kiosk render --screen` and config validation messages.
const std::vector<std::string>& screen_names();
bool has_screen(std::string_view name);

class Ui {
 public:
  // Needs a current ImGui context. Loads fonts sized for the screen; the caller builds the atlas
  // texture afterwards (the GL backend does it on its first frame). False: fell back to ImGui's font.
  bool init(float width, float height, std::string* error);
  void draw(app::AppState& state, core::TimePoint now);
  const Layout& layout() const { return layout_; }
  const Theme& theme() const { return theme_; }

 private:
  Theme theme_;
  Fonts fonts_;
  Layout layout_;
  BoardScreen board_;
  MapScreen map_;
  RouteScreen route_;
  DirectoryScreen directory_;
  AdminScreen admin_;
};

}  // namespace kiosk::ui
