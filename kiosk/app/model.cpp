#include "app/model.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace kiosk::app {

namespace {

config::Diagnostic error_at(const config::Origin& origin, std::string message) {
  return {config::Diagnostic::Severity::Error, origin, std::move(message)};
}

// Levels name floors on tiles; the short name reads better ("Étage 1" vs "1") only when the full
// one is missing.
core::Labels floor_label(const core::Level* level) {
  if (!level) return {};
  return level->name.empty() ? level->short_name : level->name;
}

}  // namespace

Model build_model(const config::PanelConfig& config, const core::Venue& venue,
                  std::vector<config::Diagnostic>& diagnostics, core::LabelsPool* names) {
  Model model;
  core::LabelsPool local;
  core::LabelsPool& pool = names ? *names : local;
  model.kiosk = venue.find_kiosk(config.kiosk);
  if (!model.kiosk) {
    diagnostics.push_back(error_at(config.kiosk_origin, "kiosk '" + config.kiosk + "' is not a kiosk of the map " +
                                              config.map.string() +
                                              "; set [panel] kiosk to the id or name of a kiosk feature"));
  } else if (const core::Level* level = venue.level(model.kiosk->level_id)) {
    model.panel_level_ordinal = level->ordinal;
  }

  // Which unit each [space."..."] entry describes.
  std::unordered_map<std::string, const config::SpaceDetails*> details_by_unit;
  for (const config::SpaceDetails& details : config.spaces) {
    const core::Unit* unit = venue.find_unit(details.key);
    if (!unit) {
      diagnostics.push_back(error_at(details.origin, "space '" + details.key +
                                                         "' is not a unit of the map (by id or name); "
                                                         "check the spelling or the map's unit names"));
      continue;
    }
    details_by_unit[unit->id] = &details;
  }

  for (const core::Unit& unit : venue.units) {
    auto it = details_by_unit.find(unit.id);
    const config::SpaceDetails* details = it == details_by_unit.end() ? nullptr : it->second;
    core::SpaceKind kind = core::space_kind_for_unit_category(unit.category);
    if (details && details->kind) kind = core::space_kind_from_string(*details->kind).value_or(kind);
    if (!details && kind == core::SpaceKind::Other) continue;
    if (details && details->hidden) continue;

    core::Space space;
    space.id = unit.id;
    space.name = unit.name.empty() ? core::Labels{{"en", unit.id}} : unit.name;
    if (details)
      for (const auto& [lang, text] : details->name) space.name.set(lang, text);
    space.name = pool.intern(space.name);
    space.kind = kind;
    const core::Level* level = venue.level(unit.level_id);
    space.level_ordinal = level ? level->ordinal : 0;
    space.level_name = pool.intern(floor_label(level));
    if (details) {
      space.capacity = details->capacity;
      space.seats = details->seats;
      space.equipment = details->equipment;
      model.keys.emplace_back(details->key, static_cast<std::uint32_t>(model.spaces.size()));
    }
    model.spaces.push_back(std::move(space));
  }
  model.spaces.shrink_to_fit();
  return model;
}

std::vector<ingest::Route> build_routes(const config::PanelConfig& config, const Model& model,
                                        std::vector<config::Diagnostic>& diagnostics) {
  std::vector<ingest::Route> routes;
  // The names a fixed binding may use, made once: a search of every space per binding made a site of
  // 5,000 single-sensor bindings over 4,500 spaces check in 1.7 s (quadratic).
  std::unordered_set<std::string_view> ids;
  std::unordered_set<std::string> folded;
  auto index_names = [&] {
    if (!ids.empty() || model.spaces.empty()) return;
    for (const core::Space& s : model.spaces) {
      ids.insert(s.id);
      for (const auto& [lang, text] : s.name.entries()) folded.insert(core::fold_for_search(text));
    }
    for (const auto& key : model.keys) folded.insert(core::fold_for_search(key.first));
  };
  for (const config::Binding& binding : config.bindings) {
    std::string error;
    auto pattern = ingest::TopicPattern::parse(binding.topic, &error);
    if (!pattern) {
      diagnostics.push_back(error_at(binding.origin, "topic '" + binding.topic + "': " + error));
      continue;
    }
    ingest::Route route{std::move(*pattern), binding.space, binding.space_map, {}, binding.ttl, binding.qos, {}};
    route.origin = binding.origin.file + ":" + std::to_string(binding.origin.line) + ":" +
                   std::to_string(binding.origin.column);
    // The config's format names (validated against the same list) -> decoders.
    static const std::unordered_map<std::string_view, ingest::Format> kFormats = {
        {"words", ingest::Format::Words},       {"json", ingest::Format::Json},
        {"zigbee2mqtt", ingest::Format::Zigbee2mqtt}, {"homeassistant", ingest::Format::HomeAssistant},
        {"ttn", ingest::Format::Ttn},           {"homie", ingest::Format::Homie},
        {"tasmota", ingest::Format::Tasmota},   {"shelly", ingest::Format::Shelly}};
    const auto format = kFormats.find(binding.format);
    route.decoder.format = format == kFormats.end() ? ingest::Format::Words : format->second;
    route.decoder.value = binding.value == "count" ? ingest::ValueKind::Count : ingest::ValueKind::Presence;
    for (std::size_t start = 0; !binding.field.empty() && start <= binding.field.size();) {
      std::size_t dot = binding.field.find('.', start);
      if (dot == std::string::npos) dot = binding.field.size();
      route.decoder.path.push_back(binding.field.substr(start, dot - start));
      start = dot + 1;
    }
    if (route.ttl.count() <= 0) route.ttl = config.default_ttl;
    route.hold = binding.hold;

    // A template without captures names one space: it must exist now, not fail silently later.
    bool fixed = binding.space.find('{') == std::string::npos;
    if (fixed && binding.space_map.empty()) {
      index_names();
      const bool found = ids.count(binding.space) > 0 || folded.count(core::fold_for_search(binding.space)) > 0;
      if (!found)
        diagnostics.push_back(error_at(binding.origin, "binding names space '" + binding.space +
                                                           "', which is not a space of this panel; use a "
                                                           "unit id or name from the map, or describe it in "
                                                           "[space.\"...\"]"));
    }
    routes.push_back(std::move(route));
  }
  return routes;
}

}  // namespace kiosk::app
