// IMDF category lists (OGC 20-094, Categories page) for the feature types whose lists are short
// enough to check. Amenity and occupant lists are huge and any string is accepted there.
#pragma once
#include <string_view>

namespace kiosk::imdf::detail {

bool is_unit_category(std::string_view category);
bool is_level_category(std::string_view category);
bool is_opening_category(std::string_view category);
bool is_relationship_category(std::string_view category);
bool is_venue_category(std::string_view category);

}  // namespace kiosk::imdf::detail
