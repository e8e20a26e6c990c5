#include "app/app_state.hpp"

#include <algorithm>
#include <atomic>
#include <limits>

namespace kiosk::app {

std::uint64_t AppState::fresh_revision_range() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1) << 32;
}

std::vector<AppState::Update> AppState::apply(const core::Inbox::Batch& batch) {
  std::vector<Update> changed;
  for (const auto& [index, posted] : batch.readings) {
    if (index >= readings.size()) continue;
    auto& held = readings[index];
    if (held && posted.observed < held->observed) continue;
    // The held reading may know a motion this one does not (a router started after the snapshot).
    const core::Reading reading = core::carry_motion(held, posted);
    if (held && *held == reading) continue;
    bool value_changed = !held || held->kind != reading.kind || held->occupied != reading.occupied ||
                         held->count != reading.count;
    held = reading;
    if (!newest_data || reading.observed > *newest_data) newest_data = reading.observed;
    changed.push_back({index, value_changed});
  }
  if (batch.link) {
    link = *batch.link;
    link_known = true;
  }
  if (!changed.empty() || batch.link) ++revision;
  return changed;
}

std::optional<core::TimePoint> AppState::next_expiry(core::TimePoint now) const {
  std::optional<core::TimePoint> next;
  for (const auto& reading : readings) {
    if (!reading) continue;
    const auto change = core::next_change(*reading, now);
    if (change && (!next || *change < *next)) next = change;
  }
  return next;
}

}  // namespace kiosk::app

namespace kiosk::app {

float AppState::walk_seconds(std::uint32_t space) const {
  if (!wayfinder || space >= space_unit.size() || space_unit[space] >= wayfinder->walk_s.size())
    return std::numeric_limits<float>::infinity();
  return wayfinder->walk_s[space_unit[space]];
}

void AppState::reset_navigation() {
  Navigation fresh;
  fresh.step_free = wayfinder && wayfinder->step_free_default;
  fresh.changes = nav.changes + 1;
  nav = fresh;
  screen = home_screen;
  ++revision;
}

}  // namespace kiosk::app
