// `kiosk route`: the route from this panel to a space, as steps in words or as JSON with each level's
// polyline in lon/lat. Same setup and router as the panel, so what it prints is what the panel shows.
#include <nlohmann/json.hpp>

#include <cmath>
#include <ostream>

#include "app/commands.hpp"
#include "app/setup.hpp"
#include "wayfinding/directions.hpp"

namespace kiosk::app {

namespace {

const char* connector_word(wayfinding::Connector via) {
  switch (via) {
    case wayfinding::Connector::Stairs: return "stairs";
    case wayfinding::Connector::Elevator: return "elevator";
    case wayfinding::Connector::Escalator: return "escalator";
    case wayfinding::Connector::Ramp: return "ramp";
  }
  return "?";
}

const char* reason_word(wayfinding::NoRouteReason reason) {
  switch (reason) {
    case wayfinding::NoRouteReason::UnknownDestination: return "unknown-destination";
    case wayfinding::NoRouteReason::NoKiosk: return "no-kiosk";
    case wayfinding::NoRouteReason::NoDoors: return "no-doors";
    case wayfinding::NoRouteReason::Unreachable: return "unreachable";
    case wayfinding::NoRouteReason::NoStepFreeWay: return "no-step-free-way";
  }
  return "?";
}

}  // namespace

int route_command(const RouteOptions& options, std::ostream& out, std::ostream& err) {
  Setup setup = load_setup(options.config);
  // Warnings about the map are `kiosk check`'s business; only what stops a route is printed here.
  for (const std::string& line : setup.messages)
    if (line.find(": error: ") != std::string::npos) err << line << '\n';
  if (!setup.usable() || !setup.wayfinder) {
    err << "kiosk route: the config or the map has errors (run `kiosk check --config " << options.config.string()
        << "`)\n";
    return 1;
  }
  const Wayfinder& way = *setup.wayfinder;
  const std::string lang = options.lang.empty() ? setup.config->language : options.lang;
  auto unit = way.find_destination(options.to);
  if (!unit) {
    err << "kiosk route: no unit, room or company named \"" << options.to
        << "\" on the map (or the name is ambiguous); use a unit id or a name from `kiosk state`\n";
    return 1;
  }
  const bool step_free = options.accessible || setup.config->routing.step_free;
  wayfinding::RouteResult result = way.route_to(*unit, step_free);
  const char* lang_code = lang.c_str();
  if (!result.route) {
    if (options.json) {
      nlohmann::json j = {{"to", way.venue.units[*unit].id}, {"accessible", step_free}, {"found", false},
                          {"reason", reason_word(result.reason)}, {"detail", result.detail},
                          {"message", wayfinding::describe(result, lang_code)}};
      out << j.dump(2) << '\n';
    } else {
      err << "kiosk route: " << wayfinding::describe(result, lang_code) << " (" << result.detail << ")\n";
    }
    return 1;
  }
  const wayfinding::Route& route = *result.route;
  std::vector<wayfinding::Step> steps = wayfinding::directions(route, way.venue, way.plan);
  const core::VenueNames::Unit& dest = way.venue.units[*unit];
  const core::VenueNames::Kiosk& from = way.venue.kiosks[way.kiosk];
  auto level_name = [&](std::uint32_t level) {
    return level < way.venue.levels.size() ? way.venue.levels[level].name.pick(lang_code) : std::string("?");
  };

  if (!options.json) {
    out << from.name.pick(lang_code) << " → " << dest.name.pick(lang_code) << " (" << level_name(way.plan.units[*unit].level)
        << ")" << (step_free ? (lang == "en" ? ", step-free" : ", sans marches") : "") << '\n';
    for (std::size_t i = 0; i < steps.size(); ++i)
      out << "  " << (i + 1) << ". " << wayfinding::describe(steps[i], way.venue, lang_code) << '\n';
    out << wayfinding::describe_totals(route, lang_code) << '\n';
    return 0;
  }
  nlohmann::json legs = nlohmann::json::array();
  for (const auto& leg : route.legs) {
    nlohmann::json line = nlohmann::json::array();
    for (auto p : leg.points) {
      core::LonLat ll = way.plan.projection.to_lonlat(p);
      line.push_back({std::round(ll.lon * 1e7) / 1e7, std::round(ll.lat * 1e7) / 1e7});
    }
    nlohmann::json units = nlohmann::json::array();
    for (auto u : leg.units) units.push_back(way.venue.units[u].id);
    legs.push_back({{"level", way.venue.levels[leg.level].id}, {"level_name", level_name(leg.level)},
                    {"ordinal", way.venue.levels[leg.level].ordinal}, {"polyline", line}, {"units", units}});
  }
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : route.changes)
    changes.push_back({{"via", connector_word(c.via)}, {"from", way.venue.levels[c.from_level].id},
                       {"to", way.venue.levels[c.to_level].id}});
  nlohmann::json step_list = nlohmann::json::array();
  for (const auto& step : steps) step_list.push_back(wayfinding::describe(step, way.venue, lang_code));
  nlohmann::json j = {{"from", {{"kiosk", from.id}, {"name", from.name.pick(lang_code)}}},
                      {"to", {{"unit", dest.id}, {"name", dest.name.pick(lang_code)}, {"level", level_name(way.plan.units[*unit].level)}}},
                      {"accessible", step_free},
                      {"found", true},
                      {"distance_m", std::round(route.distance_m * 10) / 10},
                      {"time_s", std::round(route.time_s)},
                      {"summary", wayfinding::describe_totals(route, lang_code)},
                      {"steps", step_list},
                      {"changes", changes},
                      {"legs", legs}};
  out << j.dump(2) << '\n';
  return 0;
}

}  // namespace kiosk::app
