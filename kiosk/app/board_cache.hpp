// The board before the map: a panel with a big map spends most of its start parsing GeoJSON, yet
// its board needs only names, kinds and floors. The snapshot keeps those (written by every Panel),
// so the first frame can show the last known state at once; the full panel takes over when ready.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "app/app_state.hpp"
#include "config/config.hpp"

namespace kiosk::app {

// Meta entries the cache keeps besides the spaces.
// `kiosk_key` is [panel] kiosk as written: a cache made for another place is not used.
std::map<std::string, std::string> board_meta(const AppState& state, const std::string& kiosk_key);

// A read-only state from the snapshot's board cache and latest readings: no map, no network, no
// store. Nothing (and no file is created) when the snapshot has no cache yet.
std::optional<AppState> state_from_snapshot(const config::PanelConfig& config, std::string* note);

}  // namespace kiosk::app
