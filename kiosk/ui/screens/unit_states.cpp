#include "ui/screens/unit_states.hpp"

namespace kiosk::ui {

void UnitStates::update(const app::AppState& state, core::TimePoint now) {
  const std::size_t units = state.wayfinder ? state.wayfinder->venue.units.size() : 0;
  if (revision_ == state.revision && status_.size() == units && !(valid_until_ && now >= *valid_until_)) return;
  status_.assign(units, core::SpaceStatus{});
  is_space_.assign(units, false);
  space_index_.assign(units, wayfinding::kNone);
  for (std::uint32_t i = 0; i < state.spaces.size() && i < state.space_unit.size(); ++i) {
    std::uint32_t u = state.space_unit[i];
    if (u >= units) continue;
    status_[u] = core::evaluate(state.spaces[i], state.readings[i], now);
    is_space_[u] = true;
    space_index_[u] = i;
  }
  revision_ = state.revision;
  valid_until_ = state.next_expiry(now);
}

const core::Space* UnitStates::space_of(const app::AppState& state, std::uint32_t unit) const {
  if (unit >= space_index_.size() || space_index_[unit] >= state.spaces.size()) return nullptr;
  return &state.spaces[space_index_[unit]];
}

}  // namespace kiosk::ui
