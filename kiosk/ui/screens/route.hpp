// The route from this panel to a unit: the map of each level the route crosses with the path drawn
// (animated from "you are here"), the level changes, the steps in words, the step-free toggle and a
// QR code to take the route on a phone.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/app_state.hpp"
#include "ui/frame_context.hpp"
#include "ui/screens/unit_states.hpp"
#include "ui/widgets/qr_code.hpp"
#include "wayfinding/directions.hpp"

namespace kiosk::ui {

// Opens the route screen towards `unit` (from the board, the map or the directory).
void open_route(app::AppState& state, std::uint32_t unit, core::TimePoint now);

class RouteScreen {
 public:
  static constexpr std::chrono::milliseconds kAnimation{2500};
  void draw(const FrameContext& ctx, app::AppState& state);

 private:
  void compute(const app::AppState& state, Lang lang);
  void draw_column(const FrameContext& ctx, app::AppState& state, ImVec2 min, ImVec2 max);

  // The route is searched once per destination, mode and map, and worded once per language.
  const app::Wayfinder* for_wayfinder_ = nullptr;
  std::uint32_t for_unit_ = wayfinding::kNone;
  bool for_step_free_ = false;
  Lang for_lang_ = Lang::Fr;
  wayfinding::RouteResult result_;
  std::vector<wayfinding::Step> steps_;
  std::vector<std::string> step_text_;
  std::string totals_, failure_;
  QrImage qr_;
  UnitStates units_;
};

}  // namespace kiosk::ui
