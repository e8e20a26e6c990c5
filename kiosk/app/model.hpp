// From a validated config and a loaded map to what the panel runs on: the list of spaces (the
// Inbox's index space) and the ingest routes. Cross-checks the two files against each other.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "core/space.hpp"
#include "core/venue.hpp"
#include "ingest/router.hpp"

namespace kiosk::app {

struct Model {
  std::vector<core::Space> spaces;
  // Extra names a space answers to (the config key as written), for topic resolution.
  std::vector<std::pair<std::string, std::uint32_t>> keys;
  const core::Kiosk* kiosk = nullptr;  // where this panel stands
  int panel_level_ordinal = 0;
};

// Spaces: every unit whose category says meeting/phone/sport/nap, plus every unit the config
// describes in [space."..."] (unless hidden). Config errors (unknown space, unknown kiosk) are
// appended to `diagnostics` with the position of the config entry.
// Names (of the spaces and their floors) are interned in `names` when given: thousands of spaces on
// one floor then share one floor name, and a space shares its unit's name with the wayfinder.
Model build_model(const config::PanelConfig& config, const core::Venue& venue,
                  std::vector<config::Diagnostic>& diagnostics, core::LabelsPool* names = nullptr);

// One ingest route per [[binding]]; a binding whose fixed space is not a space of the model is an error.
std::vector<ingest::Route> build_routes(const config::PanelConfig& config, const Model& model,
                                        std::vector<config::Diagnostic>& diagnostics);

}  // namespace kiosk::app
