#include "imdf/categories.hpp"

#include <algorithm>
#include <array>

namespace kiosk::imdf::detail {

namespace {

// Transcribed from OGC 20-094's Categories page. Each list is sorted (checked below), so a lookup
// is a binary search.
// clang-format off
constexpr std::array<std::string_view, 63> kUnit = {
    "auditorium", "brick", "classroom", "column", "concrete", "conferenceroom", "drywall", "elevator",
    "escalator", "fieldofplay", "firstaid", "fitnessroom", "foodservice", "footbridge", "glass",
    "huddleroom", "kitchen", "laboratory", "library", "lobby", "lounge", "mailroom", "mothersroom",
    "movietheater", "movingwalkway", "nonpublic", "office", "opentobelow", "parking", "phoneroom",
    "platform", "privatelounge", "ramp", "recreation", "restroom", "restroom.family", "restroom.female",
    "restroom.female.wheelchair", "restroom.male", "restroom.male.wheelchair", "restroom.transgender",
    "restroom.transgender.wheelchair", "restroom.unisex", "restroom.unisex.wheelchair",
    "restroom.wheelchair", "road", "room", "serverroom", "shower", "smokingarea", "stairs", "steps",
    "storage", "structure", "terrace", "theater", "unenclosedarea", "unspecified", "vegetation",
    "waitingroom", "walkway", "walkway.island", "wood"};

constexpr std::array<std::string_view, 9> kLevel = {
    "arrivals", "arrivals.domestic", "arrivals.intl", "departures", "departures.domestic",
    "departures.intl", "parking", "transit", "unspecified"};

constexpr std::array<std::string_view, 7> kOpening = {
    "automobile", "bicycle", "emergencyexit", "pedestrian", "pedestrian.principal", "pedestrian.transit",
    "service"};

constexpr std::array<std::string_view, 7> kRelationship = {
    "elevator", "escalator", "movingwalkway", "ramp", "stairs", "traversal", "traversal.path"};

constexpr std::array<std::string_view, 22> kVenue = {
    "airport", "airport.intl", "aquarium", "businesscampus", "casino", "communitycenter", "conventioncenter",
    "governmentfacility", "healthcarefacility", "hotel", "museum", "parkingfacility", "resort", "retailstore",
    "shoppingcenter", "stadium", "stripmall", "theater", "themepark", "trainstation", "transitstation",
    "university"};
// clang-format on

static_assert(std::is_sorted(kUnit.begin(), kUnit.end()) && std::is_sorted(kLevel.begin(), kLevel.end()) &&
              std::is_sorted(kOpening.begin(), kOpening.end()) &&
              std::is_sorted(kRelationship.begin(), kRelationship.end()) &&
              std::is_sorted(kVenue.begin(), kVenue.end()));

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::binary_search(list.begin(), list.end(), value);
}

}  // namespace

bool is_unit_category(std::string_view category) { return contains(kUnit, category); }
bool is_level_category(std::string_view category) { return contains(kLevel, category); }
bool is_opening_category(std::string_view category) { return contains(kOpening, category); }
bool is_relationship_category(std::string_view category) { return contains(kRelationship, category); }
bool is_venue_category(std::string_view category) { return contains(kVenue, category); }

}  // namespace kiosk::imdf::detail
