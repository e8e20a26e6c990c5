#include "app/setup.hpp"

#include "imdf/loader.hpp"

namespace kiosk::app {

namespace {
void add(Setup& setup, const config::Diagnostic& d) {
  setup.messages.push_back(config::format(d));
  (d.severity == config::Diagnostic::Severity::Error ? setup.errors : setup.warnings)++;
}
void add(Setup& setup, const imdf::Diagnostic& d) {
  setup.messages.push_back(imdf::format(d));
  (d.severity == imdf::Diagnostic::Severity::Error ? setup.errors : setup.warnings)++;
}
}  // namespace

Setup load_setup(const std::filesystem::path& panel_file) { return load_setup(config::load(panel_file)); }

Setup load_setup(config::LoadResult loaded) {
  Setup setup;
  for (const auto& d : loaded.diagnostics) add(setup, d);
  if (!loaded.config) return setup;
  setup.config = std::make_shared<const config::PanelConfig>(std::move(*loaded.config));

  imdf::LoadResult map = imdf::load(setup.config->map);
  for (const auto& d : map.diagnostics) add(setup, d);
  if (!map.venue) return setup;
  setup.venue = std::make_shared<const core::Venue>(std::move(*map.venue));

  std::vector<config::Diagnostic> cross;
  setup.model = build_model(*setup.config, *setup.venue, cross);
  setup.routes = build_routes(*setup.config, setup.model, cross);
  for (const auto& d : cross) add(setup, d);

  // Geometry problems never stop a panel: what is broken is left out of the map and the routes.
  setup.wayfinder = build_wayfinder(*setup.config, *setup.venue, setup.model.kiosk);
  for (const auto& problem : setup.wayfinder->problems) {
    auto file = setup.config->map / ((problem.feature_type.empty() ? "unit" : problem.feature_type) + ".geojson");
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) file.replace_extension(".json");  // real exports' habit
    std::string line = file.string() + ": warning: " + problem.message;
    if (!problem.feature_id.empty()) line += " [" + problem.feature_type + " " + problem.feature_id + "]";
    setup.messages.push_back(std::move(line));
    ++setup.warnings;
  }
  return setup;
}

}  // namespace kiosk::app
