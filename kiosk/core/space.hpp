// A space people can use and that the board lists: a unit of the map (or a config-only space) with
// what staff said about it (kind, capacity, seats, equipment).
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/labels.hpp"

namespace kiosk::core {

enum class SpaceKind : unsigned char { Meeting, Nap, Sport, Phone, Other };
constexpr int kSpaceKindCount = 5;

std::string_view to_string(SpaceKind kind);  // "meeting", "nap", "sport", "phone", "other"
std::optional<SpaceKind> space_kind_from_string(std::string_view word);
// The kind an IMDF unit category suggests (conferenceroom -> Meeting, phoneroom -> Phone, ...).
SpaceKind space_kind_for_unit_category(std::string_view category);

struct Space {
  std::string id;  // the IMDF unit id, or the config key for a space that is not on the map
  Labels name;
  SpaceKind kind = SpaceKind::Other;
  int level_ordinal = 0;
  Labels level_name;   // "Floor 1" / "Étage 1": the level's short name when the map has one
  int capacity = 0;    // people; 0 = not said
  int seats = 0;       // seat-counted spaces (nap rooms): number of seats; 0 = whole-room state
  std::vector<std::string> equipment;  // words from the config ("screen", "video", "whiteboard")
};

}  // namespace kiosk::core
