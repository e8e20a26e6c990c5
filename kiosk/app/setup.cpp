#include "app/setup.hpp"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <exception>
#include <functional>
#include <system_error>
#include <thread>

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

// Everything made from the files, as first built: the parsed map with its JSON gone, and the model,
// routes and wayfinder made from it, with every temporary of their making freed among them.
struct Draft {
  imdf::LoadResult map;
  std::shared_ptr<const core::Venue> venue;
  Model model;
  std::vector<ingest::Route> routes;
  std::vector<config::Diagnostic> cross;
  std::shared_ptr<const Wayfinder> wayfinder;
  std::exception_ptr error;
};

void build(const config::PanelConfig& config, Draft& d) {
  try {
    d.map = imdf::load(config.map);
    if (!d.map.venue) return;
    d.venue = std::make_shared<const core::Venue>(std::move(*d.map.venue));
    d.map.venue.reset();
    // One pool for the names: a space's name is its unit's, thousands of spaces share a floor name.
    core::LabelsPool names(d.venue->units.size() + d.venue->occupants.size() + d.venue->levels.size());
    d.model = build_model(config, *d.venue, d.cross, &names);
    d.routes = build_routes(config, d.model, d.cross);
    // Geometry problems never stop a panel: what is broken is left out of the map and the routes.
    d.wayfinder = build_wayfinder(config, *d.venue, d.model.kiosk, &names);
  } catch (...) {
    d.error = std::current_exception();
  }
}

// Runs `f` on a thread of its own, and waits for it; runs it here when no thread can be had.
template <typename F>
void on_own_thread(F&& f) {
  std::thread thread;
  try {
    thread = std::thread(std::ref(f));
  } catch (const std::system_error&) {
    f();
    return;
  }
  thread.join();
}

// The panel's part of a draft, copied: arrays of their own at their exact size, strings of their own,
// and names interned in `names` (one block per distinct name, shared by the venue, spaces and places).
void rehome(core::Labels& labels, core::LabelsPool& names) { labels = names.intern(labels); }

Model kept_model(const Model& draft, core::LabelsPool& names) {
  Model model = draft;  // `kiosk` points into the parsed venue, which the Setup keeps
  for (core::Space& space : model.spaces) {
    rehome(space.name, names);
    rehome(space.level_name, names);
  }
  return model;
}

std::shared_ptr<const Wayfinder> kept_wayfinder(const Wayfinder& draft, core::LabelsPool& names) {
  auto w = std::make_shared<Wayfinder>(draft);
  w->venue.intern_names(names);
  if (draft.place_keys) {  // a buffer of this thread's own, the places' keys pointed into it
    w->place_keys = std::make_shared<const std::string>(*draft.place_keys);
    for (auto& place : w->places)
      place.search_key = std::string_view(*w->place_keys)
                             .substr(static_cast<std::size_t>(place.search_key.data() - draft.place_keys->data()),
                                     place.search_key.size());
  }
  for (auto& place : w->places) rehome(place.name, names);
  return w;
}
}  // namespace

Setup load_setup(const std::filesystem::path& panel_file) { return load_setup(config::load(panel_file)); }

Setup load_setup(config::LoadResult loaded) {
  Setup setup;
  for (const auto& d : loaded.diagnostics) add(setup, d);
  if (!loaded.config) return setup;
  setup.config = std::make_shared<const config::PanelConfig>(std::move(*loaded.config));

  // Built on a thread of its own, then copied here. glibc gives each thread its own heap (arena):
  // the JSON of the files, the parsed venue and every temporary of the plan's and the graph's making
  // (tens of MB on a big map) then land in the helper's arena, and what the panel keeps is copied into
  // this thread's in one go, packed. Built in one arena and kept there, the kept blocks (names, ids,
  // outlines) stayed sprinkled over the freed pages and held them: ~10 MB of an 11,000-room panel.
  // Once the draft is dropped (on a helper too, so that its blocks go back to its own arena) and the
  // panel releases the parsed venue, the helper's arena is empty and malloc_trim hands it back.
  Draft draft;
  on_own_thread([&] { build(*setup.config, draft); });
  if (draft.error) std::rethrow_exception(draft.error);
#ifdef __GLIBC__
  malloc_trim(0);  // the freed JSON pages go back before the copy adds its own: the start's peak stays put
#endif
  for (const auto& d : draft.map.diagnostics) add(setup, d);
  if (draft.venue) {
    setup.venue = draft.venue;
    core::LabelsPool names(draft.venue->units.size() + draft.venue->occupants.size() + draft.venue->levels.size());
    setup.model = kept_model(draft.model, names);
    setup.routes = draft.routes;
    for (const auto& d : draft.cross) add(setup, d);
    setup.wayfinder = kept_wayfinder(*draft.wayfinder, names);
  }
  on_own_thread([&draft] { draft = Draft{}; });
  if (!setup.venue) return setup;

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
