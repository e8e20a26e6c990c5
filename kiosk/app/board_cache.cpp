#include "app/board_cache.hpp"

#include <filesystem>

#include "store/snapshot.hpp"

namespace kiosk::app {

std::map<std::string, std::string> board_meta(const AppState& state, const std::string& kiosk_key) {
  return {{"kiosk_key", kiosk_key},
          {"venue_name", store::encode_labels(state.venue_name)},
          {"place_name", store::encode_labels(state.place_name)},
          {"kiosk_id", state.kiosk_id},
          {"panel_level", std::to_string(state.panel_level)}};
}

std::optional<AppState> state_from_snapshot(const config::PanelConfig& config, std::string* note) {
  std::error_code ec;
  if (!std::filesystem::exists(config.snapshot, ec)) return std::nullopt;
  try {
    store::OpenReport report;
    std::unique_ptr<store::Snapshot> db;
    try {
      db = store::Snapshot::open(config.snapshot, &report);
    } catch (const std::exception&) {
      // Not writable (a read-only folder, a full disk): still the last state for the first frame.
      // The panel that follows says what is wrong with storage, once.
      db = store::Snapshot::open_read_only(config.snapshot);
    }
    if (report.recovered && note) *note = report.message;
    store::BoardCache cache = db->load_board();
    // The cache belongs to the panel that wrote it: another kiosk means another board order.
    if (cache.spaces.empty() || cache.meta["kiosk_key"] != config.kiosk) return std::nullopt;

    AppState state;
    state.panel_id = config.panel_id;
    state.site_name = config.site_name;
    state.config_hash = config.hash;
    state.language = config.language;
    state.kiosk_id = cache.meta["kiosk_id"];
    state.venue_name = store::decode_labels(cache.meta["venue_name"]);
    state.place_name = store::decode_labels(cache.meta["place_name"]);
    try {
      state.panel_level = std::stoi(cache.meta["panel_level"]);
    } catch (const std::exception&) {
      state.panel_level = 0;
    }
    state.spaces = std::move(cache.spaces);
    state.readings.assign(state.spaces.size(), std::nullopt);
    state.directory = std::make_shared<const SpaceDirectory>(state.spaces, std::vector<std::pair<std::string, std::uint32_t>>{});
    for (const store::Row& row : db->load_latest()) {
      auto index = state.directory->find(row.space_id);
      if (!index) continue;
      state.readings[*index] = row.reading;
      if (!state.newest_data || row.reading.observed > *state.newest_data) state.newest_data = row.reading.observed;
    }
    state.network_enabled = true;  // it is about to connect: "connecting", not "offline"
    return state;
  } catch (const std::exception& e) {
    if (note) *note = e.what();
    return std::nullopt;
  }
}

}  // namespace kiosk::app
