// AppState and motion holds: a "vacant" never erases the motion before it, and the board wakes
// when a hold ends.
#include <doctest/doctest.h>

#include "app/app_state.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

const core::TimePoint kT0 = core::ManualClock().now();

core::Reading motion(bool occupied, core::TimePoint at) {
  core::Reading r{core::Reading::Kind::Presence, occupied, 0, at, 10min};
  r.hold = 5min;
  if (occupied) r.last_motion = at;  // what the router stamps; a fresh router knows no earlier motion
  return r;
}

app::AppState one_room() {
  app::AppState state;
  core::Space room;
  room.id = "garonne";
  room.kind = core::SpaceKind::Meeting;
  state.spaces.push_back(room);
  state.readings.resize(1);
  return state;
}

void post(app::AppState& state, const core::Reading& r) {
  core::Inbox::Batch batch;
  batch.readings.emplace_back(0, r);
  state.apply(batch);
}

}  // namespace

TEST_CASE("app hold: a vacant reading keeps the motion held before it, and the board wakes at its end") {
  app::AppState state = one_room();
  post(state, motion(true, kT0));
  post(state, motion(false, kT0 + 1min));  // e.g. from the snapshot's reading and a restarted router
  REQUIRE(state.readings[0]);
  CHECK(state.readings[0]->last_motion == kT0);
  CHECK_FALSE(state.readings[0]->occupied);  // the sensor's own word is kept as is

  CHECK(core::evaluate(state.spaces[0], state.readings[0], kT0 + 2min).availability == core::Availability::Occupied);
  const auto wake = state.next_expiry(kT0 + 2min);
  REQUIRE(wake);
  CHECK(*wake == kT0 + 5min);
  CHECK(core::evaluate(state.spaces[0], state.readings[0], *wake).availability == core::Availability::Free);
  CHECK(state.next_expiry(*wake) == kT0 + 1min + 10min + core::Millis{1});  // then the ttl

  // An older motion arriving late changes nothing; a new motion restarts the hold.
  post(state, motion(true, kT0 - 1min));
  CHECK(state.readings[0]->last_motion == kT0);
  post(state, motion(true, kT0 + 3min));
  post(state, motion(false, kT0 + 4min));
  CHECK(state.readings[0]->last_motion == kT0 + 3min);
  CHECK(state.next_expiry(kT0 + 4min) == kT0 + 8min);
}
