// The directory: companies, rooms and services, each group sorted in the panel's language (accents
// and case ignored), each line leading to its route. Filtered by Navigation::query, which the
// on-screen keyboard will fill.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "app/app_state.hpp"
#include "ui/frame_context.hpp"

namespace kiosk::ui {

class DirectoryScreen {
 public:
  void draw(const FrameContext& ctx, app::AppState& state);

 private:
  void rebuild(const app::AppState& state, Lang lang);
  const app::Wayfinder* built_for_ = nullptr;
  Lang built_lang_ = Lang::Fr;
  std::string built_query_;
  std::array<std::vector<std::uint32_t>, 3> groups_;  // indices into wayfinder.places, sorted
};

}  // namespace kiosk::ui
