// The live state of every venue unit that is a space, for the map screens: recomputed when the
// data changes or a reading expires, not every frame.
#pragma once
#include <optional>
#include <vector>

#include "app/app_state.hpp"

namespace kiosk::ui {

class UnitStates {
 public:
  void update(const app::AppState& state, core::TimePoint now);
  const std::vector<core::SpaceStatus>& status() const { return status_; }  // per venue unit
  const std::vector<bool>& is_space() const { return is_space_; }
  // The space shown for a unit, or nullptr.
  const core::Space* space_of(const app::AppState& state, std::uint32_t unit) const;

 private:
  std::uint64_t revision_ = 0;
  std::optional<core::TimePoint> valid_until_;
  std::vector<core::SpaceStatus> status_;
  std::vector<bool> is_space_;
  std::vector<std::uint32_t> space_index_;  // per unit: index into state.spaces, or kNone
};

}  // namespace kiosk::ui
