#include "app/wayfinder.hpp"

#include <cctype>
#include <cmath>
#include <limits>

namespace kiosk::app {

namespace {

// Units a visitor asks for by name even when no company sits there.
bool is_named_room(const core::VenueNames::Unit& unit) {
  if (unit.name.empty()) return false;
  static constexpr std::string_view kPassages[] = {"walkway", "lobby", "stairs", "steps", "elevator",
                                                   "escalator", "ramp", "unenclosedarea", "opentobelow"};
  for (auto c : kPassages)
    if (unit.category == c) return false;
  return true;
}

bool is_service_category(std::string_view category) {
  return category.rfind("restroom", 0) == 0 || category == "information" || category == "reception.desk" ||
         category == "firstaid" || category == "meetingpoint" || category == "atm" ||
         category == "foodservice" || category == "vendingmachine";
}

std::string fold_all(const core::Labels& a, const core::Labels& b = {}) {
  std::string key;
  for (const auto* labels : {&a, &b})
    for (const auto& [lang, text] : labels->entries()) key += core::fold_for_search(text) + " ";
  return key;
}

// The places, their search keys in one buffer (`keys`, which the places' views point into).
std::vector<Place> directory_places(const core::VenueNames& venue, const wayfinding::FloorPlan& plan,
                                    std::shared_ptr<const std::string>& keys) {
  std::vector<Place> places;
  std::string chars;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // each place's key in `chars`
  auto key = [&](const core::Labels& a, const core::Labels& b) {
    const std::string k = fold_all(a, b);
    spans.emplace_back(chars.size(), k.size());
    chars += k;
    return std::string_view{};  // pointed at `keys` below, once `chars` has stopped growing
  };
  for (const auto& occupant : venue.occupants) {
    const core::VenueNames::Unit* unit = venue.unit_of(occupant);
    if (!unit || occupant.name.empty()) continue;
    places.push_back({occupant.name, occupant.category, key(occupant.name, occupant.alt_name),
                      static_cast<std::uint32_t>(unit - venue.units.data()), Place::Group::Company});
  }
  for (std::size_t i = 0; i < venue.units.size(); ++i) {
    const core::VenueNames::Unit& unit = venue.units[i];
    if (!is_named_room(unit) || plan.units[i].level == wayfinding::kNone) continue;
    Place::Group group = is_service_category(unit.category) ? Place::Group::Service : Place::Group::Room;
    places.push_back({unit.name, unit.category, key(unit.name, unit.alt_name), static_cast<std::uint32_t>(i), group});
  }
  // Services often exist only as amenities (toilets in a corridor): one line per named amenity, or
  // per amenity of a service category, leading to its unit.
  for (const auto& amenity : venue.amenities) {
    if (amenity.unit_ids.empty() || !is_service_category(amenity.category)) continue;
    const core::VenueNames::Unit* unit = venue.unit(amenity.unit_ids.front());
    if (!unit) continue;
    std::uint32_t index = static_cast<std::uint32_t>(unit - venue.units.data());
    bool listed = false;
    for (const auto& p : places) listed |= p.unit == index && p.group == Place::Group::Service;
    if (listed) continue;
    core::Labels name = amenity.name.empty() ? unit->name : amenity.name;
    if (name.empty()) continue;
    places.push_back({name, amenity.category, key(name, amenity.alt_name), index, Place::Group::Service});
  }
  auto buffer = std::make_shared<const std::string>(std::move(chars));
  for (std::size_t i = 0; i < places.size(); ++i)
    places[i].search_key = std::string_view(*buffer).substr(spans[i].first, spans[i].second);
  keys = std::move(buffer);
  places.shrink_to_fit();
  return places;
}

}  // namespace

std::shared_ptr<const Wayfinder> build_wayfinder(const config::PanelConfig& config, const core::Venue& venue,
                                                 const core::Kiosk* kiosk, core::LabelsPool* names) {
  auto w = std::make_shared<Wayfinder>();
  w->plan = wayfinding::build_floor_plan(venue);
  const auto& r = config.routing;
  w->costs.walk_speed_mps = static_cast<float>(r.walk_speed_mps);
  w->costs.stairs_s_per_level = static_cast<float>(r.stairs_per_level.count());
  w->costs.elevator_wait_s = static_cast<float>(r.lift_wait.count());
  w->costs.elevator_s_per_level = static_cast<float>(r.lift_per_level.count());
  w->costs.escalator_s_per_level = static_cast<float>(r.escalator_per_level.count());
  w->problems = w->plan.problems;
  w->graph = wayfinding::NavGraph::build(venue, w->plan, w->costs, &w->problems);
  for (auto& p : wayfinding::check_reachability(venue, w->plan, w->graph)) w->problems.push_back(std::move(p));
  w->heading_deg = config.heading_deg;
  w->step_free_default = r.step_free;
  w->url_template = r.url_template;
  if (kiosk) {
    w->kiosk = static_cast<std::uint32_t>(kiosk - venue.kiosks.data());
    w->kiosk_level = w->plan.kiosks[w->kiosk].level;
    w->walk_s = w->graph.times_from(w->kiosk, {r.step_free});
  }
  w->walk_s.resize(venue.units.size(), std::numeric_limits<float>::infinity());
  // What the screens read of the venue: names and categories, no geometry (the plan has it projected),
  // no doors or relationships (the plan and graph hold them by index).
  w->venue = core::VenueNames::of(venue, names);
  w->places = directory_places(w->venue, w->plan, w->place_keys);  // names shared with the venue's
  return w;
}

std::uint32_t Wayfinder::unit_index(std::string_view unit_id) const {
  const core::VenueNames::Unit* unit = venue.unit(unit_id);
  return unit ? static_cast<std::uint32_t>(unit - venue.units.data()) : wayfinding::kNone;
}

std::optional<std::uint32_t> Wayfinder::find_destination(std::string_view query) const {
  if (const core::VenueNames::Unit* unit = venue.find_unit(query))
    return static_cast<std::uint32_t>(unit - venue.units.data());
  std::string folded = core::fold_for_search(query);
  std::optional<std::uint32_t> found;
  for (const auto& place : places) {
    bool match = false;
    for (const auto& [lang, text] : place.name.entries()) match |= core::fold_for_search(text) == folded;
    if (!match) continue;
    if (found && *found != place.unit) return std::nullopt;  // ambiguous
    found = place.unit;
  }
  return found;
}

wayfinding::RouteResult Wayfinder::route_to(std::uint32_t unit, bool step_free) const {
  if (kiosk == wayfinding::kNone) {
    wayfinding::RouteResult r;
    r.reason = wayfinding::NoRouteReason::NoKiosk;
    r.detail = "this panel's kiosk is not on the map: set [panel] kiosk to a kiosk of kiosk.geojson";
    return r;
  }
  return graph.route(kiosk, unit, {step_free});
}

std::string Wayfinder::route_url(std::uint32_t unit, bool step_free, std::string_view language) const {
  if (url_template.empty() || unit >= venue.units.size()) return {};
  auto encode = [](std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    }
    return out;
  };
  std::string out;
  const std::string& t = url_template;
  for (std::size_t i = 0; i < t.size();) {
    auto field = [&](std::string_view name) { return t.compare(i, name.size(), name) == 0; };
    if (field("{from}")) {
      out += kiosk < venue.kiosks.size() ? encode(venue.kiosks[kiosk].id) : "";
      i += 6;
    } else if (field("{to}")) {
      out += encode(venue.units[unit].id);
      i += 4;
    } else if (field("{accessible}")) {
      out += step_free ? "1" : "0";
      i += 12;
    } else if (field("{lang}")) {
      out += encode(language);
      i += 6;
    } else {
      out += t[i++];
    }
  }
  return out;
}

}  // namespace kiosk::app
