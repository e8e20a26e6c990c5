// The home screen: which spaces are free right now, grouped by kind, free ones first and nearest
// floors first, each with its floor, capacity, equipment and state.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "app/app_state.hpp"
#include "ui/frame_context.hpp"

namespace kiosk::ui {

class BoardScreen {
 public:
  // Tiles keep their places at least this long between two reorders, and this long after a touch.
  static constexpr std::chrono::seconds kSettle{10};
  void draw(const FrameContext& ctx, app::AppState& state);

 private:
  struct Section {
    core::SpaceKind kind;
    std::vector<std::uint32_t> spaces;  // sorted for display
    int free = 0;
  };
  void rebuild(const FrameContext& ctx, const app::AppState& state);
  void refresh_states(const FrameContext& ctx, const app::AppState& state);
  float draw_capacity_filter(const FrameContext& ctx, app::AppState& state, float top);

  // Grouping and sorting cost O(n log n): redone only when the data, the language or some
  // space's freshness changed, not every frame. A change of state alone is shown in place at once;
  // the order follows calmly (kSettle after the last reorder, never under a finger), so tiles do
  // not jump about under a stream of changes and a frame redraws only the tiles that changed.
  std::uint64_t built_revision_ = 0;
  bool built_ = false;
  bool order_stale_ = false;       // states changed since the last sort
  core::TimePoint sorted_at_{};
  core::TimePoint touched_at_{};   // the last press or release on the screen
  Lang built_lang_ = Lang::Fr;
  int built_min_capacity_ = 0;
  std::optional<core::TimePoint> valid_until_;
  std::vector<Section> sections_;
  std::vector<core::SpaceStatus> statuses_;
  struct SortKey {
    int rank;            // free, occupied, unknown
    float walk_s;        // from this panel; +inf without a map
    int floor_distance;  // from this panel's floor
    const std::string* name;
  };
  std::vector<SortKey> keys_;
};

}  // namespace kiosk::ui
