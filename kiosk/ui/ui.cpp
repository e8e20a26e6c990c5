#include "ui/ui.hpp"

#include <imgui.h>

#include <algorithm>

namespace kiosk::ui {

const std::vector<std::string>& screen_names() {
  static const std::vector<std::string> names{"board", "map", "route", "directory", "admin"};
  return names;
}

bool has_screen(std::string_view name) {
  const auto& names = screen_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool Ui::init(float width, float height, std::string* error) {
  theme_ = make_theme(width, height);
  apply_style(theme_);
  return load_fonts(theme_, fonts_, error);
}

void Ui::draw(app::AppState& state, core::TimePoint now) {
  layout_.clear();
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(viewport->Size);
  constexpr ImGuiWindowFlags kFullscreen = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                           ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                           ImGuiWindowFlags_NoScrollWithMouse;
  ImGui::Begin("kiosk", nullptr, kFullscreen);
  FrameContext ctx{theme_, fonts_, lang_from_code(state.language), now, layout_};
  state.animate_until.reset();  // a screen that animates sets it again
  state.redraw_at.reset();      // likewise a screen that changes by itself later
  if (state.screen == "map") map_.draw(ctx, state);
  else if (state.screen == "route") route_.draw(ctx, state);
  else if (state.screen == "directory") directory_.draw(ctx, state);
  else if (state.screen == "admin") admin_.draw(ctx, state);
  else board_.draw(ctx, state);
  ImGui::End();
}

}  // namespace kiosk::ui
