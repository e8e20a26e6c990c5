// What load_setup keeps of a map, after copying it out of the thread that built it: the same
// names, ids and look-ups as the parsed venue, names shared (a space and its unit, the spaces of one
// floor), and the directory's search keys, which live in one buffer, intact in copies.
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "app/setup.hpp"
#include "core/labels.hpp"

using namespace kiosk;

namespace {

std::string folded_key(const core::Labels& a, const core::Labels& b) {  // the key as it was always made
  std::string key;
  for (const auto* labels : {&a, &b})
    for (const auto& [lang, text] : labels->entries()) key += core::fold_for_search(text) + " ";
  return key;
}

}  // namespace

TEST_CASE("setup: the kept venue, spaces and places answer as the parsed map does") {
  const app::Setup setup = app::load_setup(std::filesystem::path(KIOSK_SOURCE_DIR) / "config/panels/entrance.toml");
  REQUIRE(setup.usable());
  REQUIRE(setup.wayfinder);
  const core::Venue& parsed = *setup.venue;
  const app::Wayfinder& way = *setup.wayfinder;

  REQUIRE(way.venue.units.size() == parsed.units.size());
  REQUIRE(way.venue.levels.size() == parsed.levels.size());
  REQUIRE(way.venue.kiosks.size() == parsed.kiosks.size());
  for (std::size_t i = 0; i < parsed.units.size(); ++i) {
    CAPTURE(parsed.units[i].id);
    const auto& kept = way.venue.units[i];
    CHECK(kept.id == parsed.units[i].id);
    CHECK(kept.category == parsed.units[i].category);
    for (const char* lang : {"fr", "en"}) {
      CHECK(kept.name.pick(lang) == parsed.units[i].name.pick(lang));
      CHECK(kept.alt_name.pick(lang) == parsed.units[i].alt_name.pick(lang));
    }
    CHECK(way.unit_index(parsed.units[i].id) == i);
    // A unit's name finds the same unit (or, ambiguous, nothing) on both.
    const std::string& name = parsed.units[i].name.pick("fr");
    const core::Unit* a = parsed.find_unit(name);
    const core::VenueNames::Unit* b = way.venue.find_unit(name);
    CHECK((a ? a - parsed.units.data() : -1) == (b ? b - way.venue.units.data() : -1));
  }
  for (std::size_t l = 0; l < parsed.levels.size(); ++l) {
    CHECK(way.venue.levels[l].id == parsed.levels[l].id);
    CHECK(way.venue.levels[l].ordinal == parsed.levels[l].ordinal);
    CHECK(way.venue.levels[l].short_name.pick("fr") == parsed.levels[l].short_name.pick("fr"));
  }
  for (std::size_t o = 0; o < parsed.occupants.size(); ++o) {
    const core::Unit* in = parsed.unit_of(parsed.occupants[o]);
    const core::VenueNames::Unit* kept = way.venue.unit_of(way.venue.occupants[o]);
    CHECK((in ? in - parsed.units.data() : -1) == (kept ? kept - way.venue.units.data() : -1));
    CHECK(way.venue.occupants[o].name.pick("en") == parsed.occupants[o].name.pick("en"));
  }

  // Spaces share their unit's name, and the spaces of one floor share one floor name.
  REQUIRE_FALSE(setup.model.spaces.empty());
  std::size_t shared = 0;
  for (const core::Space& space : setup.model.spaces) {
    const std::uint32_t u = way.unit_index(space.id);
    REQUIRE(u < way.venue.units.size());
    shared += space.name.shares_with(way.venue.units[u].name);
    for (const core::Space& other : setup.model.spaces)
      if (other.level_ordinal == space.level_ordinal && !space.level_name.empty())
        CHECK(other.level_name.shares_with(space.level_name));
  }
  CHECK(shared >= setup.model.spaces.size() - setup.config->spaces.size());  // renamed in the config: own names

  // Places: every name and its search key, as the directory always made them.
  REQUIRE(way.places.size() > 10);
  REQUIRE(way.place_keys);
  for (const app::Place& place : way.places) {
    CAPTURE(place.name.pick("fr"));
    REQUIRE(place.unit < way.venue.units.size());
    CHECK_FALSE(place.name.empty());
    CHECK(place.search_key.data() >= way.place_keys->data());
    CHECK(place.search_key.data() + place.search_key.size() <= way.place_keys->data() + way.place_keys->size());
  }
  for (std::size_t i = 0; i < way.places.size(); ++i) {
    const app::Place& place = way.places[i];
    if (place.group != app::Place::Group::Company) continue;
    bool found = false;
    for (const auto& occupant : way.venue.occupants)
      found |= occupant.name.shares_with(place.name) && place.search_key == folded_key(occupant.name, occupant.alt_name);
    CHECK(found);
  }
  for (const app::Place& place : way.places)
    if (place.group == app::Place::Group::Room)
      CHECK(place.search_key == folded_key(way.venue.units[place.unit].name, way.venue.units[place.unit].alt_name));

  // A copy of the wayfinder keeps its keys when the original goes.
  auto copy = std::make_unique<app::Wayfinder>(way);
  const std::string first_key(way.places.front().search_key);
  {
    app::Setup again = app::load_setup(std::filesystem::path(KIOSK_SOURCE_DIR) / "config/panels/entrance.toml");
    auto alone = std::make_unique<app::Wayfinder>(*again.wayfinder);
    again = app::Setup{};
    CHECK(std::string(alone->places.front().search_key) == first_key);
    CHECK(alone->find_destination("salle garonne") == copy->find_destination("Salle Garonne"));
    CHECK(alone->find_destination("salle garonne").has_value());
  }
}
