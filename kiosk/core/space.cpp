#include "core/space.hpp"

namespace kiosk::core {

std::string_view to_string(SpaceKind kind) {
  switch (kind) {
    case SpaceKind::Meeting: return "meeting";
    case SpaceKind::Nap: return "nap";
    case SpaceKind::Sport: return "sport";
    case SpaceKind::Phone: return "phone";
    case SpaceKind::Other: break;
  }
  return "other";
}

std::optional<SpaceKind> space_kind_from_string(std::string_view word) {
  for (int k = 0; k < kSpaceKindCount; ++k)
    if (to_string(static_cast<SpaceKind>(k)) == word) return static_cast<SpaceKind>(k);
  return std::nullopt;
}

SpaceKind space_kind_for_unit_category(std::string_view category) {
  if (category == "conferenceroom" || category == "huddleroom" || category == "classroom" ||
      category == "auditorium")
    return SpaceKind::Meeting;
  if (category == "phoneroom") return SpaceKind::Phone;
  if (category == "fitnessroom" || category == "recreation" || category == "fieldofplay") return SpaceKind::Sport;
  if (category == "privatelounge" || category == "mothersroom") return SpaceKind::Nap;
  return SpaceKind::Other;
}

}  // namespace kiosk::core
