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
  return setup;
}

}  // namespace kiosk::app
