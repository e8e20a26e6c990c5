// The staff view: what the panel knows about itself, the same counters as the metrics topic (messages,
// decoded, rejected by reason, dropped, data age, store health), the broker link, the config hash and
// the map's problems. Reached by holding the header's place name for 3 seconds; left by Back or the
// idle timeout.
#pragma once
#include "app/app_state.hpp"
#include "ui/frame_context.hpp"

namespace kiosk::ui {

class AdminScreen {
 public:
  void draw(const FrameContext& ctx, app::AppState& state);

 private:
  std::uint64_t last_received_ = 0;  // for messages per second between redraws
  core::TimePoint last_at_{};
  double rate_ = 0;
};

}  // namespace kiosk::ui
