// The words of a tile's state for counts and holds, in French and English.
#include <doctest/doctest.h>

#include <string>

#include "core/occupancy.hpp"
#include "ui/widgets/space_tile.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

const core::TimePoint kNow = core::ManualClock().now();

core::Space space_of(core::SpaceKind kind, int capacity, int seats = 0) {
  core::Space s;
  s.id = "s";
  s.kind = kind;
  s.capacity = capacity;
  s.seats = seats;
  return s;
}

std::string words(ui::Lang lang, const core::Space& space, int count) {
  const core::Reading r{core::Reading::Kind::Count, false, count, kNow, 600s};
  return ui::state_text(lang, space, core::evaluate(space, r, kNow));
}

}  // namespace

TEST_CASE("ui counts: people against capacity, FR and EN") {
  const core::Space gym = space_of(core::SpaceKind::Sport, 15);
  CHECK(words(ui::Lang::Fr, gym, 0) == "Libre");
  CHECK(words(ui::Lang::Fr, gym, 3) == "Libre · 3 / 15 personnes");
  CHECK(words(ui::Lang::En, gym, 3) == "Free · 3 / 15 people");
  CHECK(words(ui::Lang::Fr, gym, 15) == "Complet · 15 / 15 personnes");
  CHECK(words(ui::Lang::En, gym, 16) == "Full · 16 / 15 people");

  const core::Space meeting = space_of(core::SpaceKind::Meeting, 8);
  CHECK(words(ui::Lang::Fr, meeting, 3) == "Occupé · 3 / 8 personnes");
  CHECK(words(ui::Lang::En, meeting, 8) == "Full · 8 / 8 people");

  const core::Space unsized = space_of(core::SpaceKind::Other, 0);
  CHECK(words(ui::Lang::Fr, unsized, 2) == "Occupé · 2 à l’intérieur");
  CHECK(words(ui::Lang::En, unsized, 2) == "Occupied · 2 inside");
}

TEST_CASE("ui counts: seats free of N, full when every seat is taken") {
  const core::Space nap = space_of(core::SpaceKind::Nap, 0, 4);
  CHECK(words(ui::Lang::Fr, nap, 2) == "2 places libres sur 4");
  CHECK(words(ui::Lang::En, nap, 3) == "1 of 4 seats free");
  CHECK(words(ui::Lang::Fr, nap, 4) == "Complet");
  CHECK(words(ui::Lang::En, nap, 6) == "Full");
}

TEST_CASE("ui counts: a held space reads occupied") {
  const core::Space room = space_of(core::SpaceKind::Meeting, 8);
  core::Reading vacant{core::Reading::Kind::Presence, false, 0, kNow, 600s};
  vacant.hold = 300s;
  vacant.last_motion = kNow - 1min;
  CHECK(ui::state_text(ui::Lang::Fr, room, core::evaluate(room, vacant, kNow)) == "Occupé");
  CHECK(ui::state_text(ui::Lang::En, room, core::evaluate(room, vacant, kNow + 4min)) == "Free");
}
