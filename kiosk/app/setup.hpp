// Everything a panel is made of that comes from files: config, map, model, routes, with every
// diagnostic found on the way. Loading it touches no network and no database, so `kiosk check`
// can run it anywhere, and a reload can build one aside while the live one keeps running.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/model.hpp"
#include "app/wayfinder.hpp"
#include "config/config.hpp"
#include "core/venue.hpp"
#include "ingest/router.hpp"

namespace kiosk::app {

struct Setup {
  std::shared_ptr<const config::PanelConfig> config;
  std::shared_ptr<const core::Venue> venue;
  Model model;
  std::vector<ingest::Route> routes;
  std::shared_ptr<const Wayfinder> wayfinder;  // floor plan, graph, directory; set with the venue
  std::vector<std::string> messages;  // formatted "file:line:col: error|warning: ..." lines
  int errors = 0;
  int warnings = 0;
  bool usable() const { return config && venue && errors == 0; }
};

Setup load_setup(const std::filesystem::path& panel_file);
// The same, from a config already loaded (start-up reads it early for the board cache).
Setup load_setup(config::LoadResult loaded);

}  // namespace kiosk::app
