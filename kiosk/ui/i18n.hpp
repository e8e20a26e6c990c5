// Every word the UI shows, in French and English. Screens ask for a key; nothing else holds text.
#pragma once
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/space.hpp"

namespace kiosk::ui {

enum class Lang { Fr, En };
Lang lang_from_code(std::string_view code);  // "en..." -> En, anything else -> Fr
const char* lang_code(Lang lang);

enum class Text {
  Free, Occupied, Unknown, NeverSeen, LastSeen,     // tile states
  SeatsFreeOf,                                      // "%d of %d seats free"
  People, Seats,                                    // "%d people" (capacity), "%d seats"
  PeopleInside,                                     // "%d inside"
  Full, PeopleOfCapacity,                           // "Full", "%d / %d people" (a count against capacity)
  Online, Offline, OfflineSince, Connecting, DataAt, NoDataYet, ShowingLastKnown,
  KindMeeting, KindNap, KindSport, KindPhone, KindOther,
  FreeCount, FreeCountOne,                          // "%d free" (French: singular for 0 and 1)
  NothingToShow, BoardTitle, OfflineNoData,
  TabBoard, TabMap, TabDirectory,                   // screen tabs
  YouAreHere, MapTitle, DirectoryTitle, RouteTitle, // "Itinéraire"
  TakeMeThere, StepFree, Back, Legend,
  WalkMinutes, WalkUnderMinute,                     // "%d min" / "< 1 min"
  NoRoute, NoMapForPanel,
  GroupCompanies, GroupRooms, GroupServices,
  CapacityAny, CapacityAtLeast,                     // "Toutes" / "≥ %d"
  ScanToTakeRoute, RouteSteps, NoPlaceListed,
  ViaStairs, ViaLift, ViaEscalator, ViaRamp,        // route map captions: how the walk leaves a level
  StateNotSaved,                                    // the staff badge while the snapshot cannot be written
  Count_
};

const char* tr(Lang lang, Text key);
const char* kind_title(Lang lang, core::SpaceKind kind);
// "mercredi 25 novembre" / "Wednesday 25 November", local time.
std::string long_date(Lang lang, core::TimePoint t);
// Translates an equipment word from the config ("screen", "video"...) when known, else returns it.
std::string equipment_word(Lang lang, std::string_view word);

}  // namespace kiosk::ui
