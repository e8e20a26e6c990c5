// People counts against capacity, seat counts, and motion holds: what evaluate() makes of them.
#include <doctest/doctest.h>

#include <string>

#include "core/clock.hpp"
#include "core/occupancy.hpp"
#include "core/space.hpp"

using namespace kiosk::core;
using namespace std::chrono_literals;

namespace {

const TimePoint kNow = ManualClock().now();

Space space_of(SpaceKind kind, int capacity, int seats = 0) {
  Space s;
  s.id = "s";
  s.kind = kind;
  s.capacity = capacity;
  s.seats = seats;
  return s;
}

Reading people(int count, TimePoint at = kNow) { return Reading{Reading::Kind::Count, false, count, at, 600s}; }

// A motion sensor's message: presence with a 5 min hold, as the router stamps it.
Reading motion(bool occupied, TimePoint at, std::optional<TimePoint> last_motion, std::chrono::seconds ttl = 600s) {
  Reading r{Reading::Kind::Presence, occupied, 0, at, ttl};
  r.hold = 300s;
  r.last_motion = last_motion;
  return r;
}

}  // namespace

TEST_CASE("people counts: shared spaces with a capacity are free until full") {
  for (SpaceKind kind : {SpaceKind::Sport, SpaceKind::Nap, SpaceKind::Other}) {
    const std::string name(to_string(kind));
    CAPTURE(name);
    const Space gym = space_of(kind, 15);
    SpaceStatus empty = evaluate(gym, people(0), kNow);
    CHECK(empty.availability == Availability::Free);
    CHECK(empty.load == Load::Empty);
    CHECK(empty.people == 0);

    SpaceStatus some = evaluate(gym, people(3), kNow);
    CHECK(some.availability == Availability::Free);
    CHECK(some.load == Load::InUse);
    CHECK(some.people == 3);

    CHECK(evaluate(gym, people(14), kNow).availability == Availability::Free);
    SpaceStatus full = evaluate(gym, people(15), kNow);
    CHECK(full.availability == Availability::Occupied);
    CHECK(full.load == Load::Full);
    CHECK(evaluate(gym, people(40), kNow).load == Load::Full);  // over capacity is full, not an error
    CHECK(evaluate(gym, people(-2), kNow).load == Load::Empty);  // a negative count means nobody
  }
}

TEST_CASE("people counts: meeting rooms and phone booths are occupied by one person") {
  for (SpaceKind kind : {SpaceKind::Meeting, SpaceKind::Phone}) {
    const std::string name(to_string(kind));
    CAPTURE(name);
    const Space room = space_of(kind, 8);
    CHECK(evaluate(room, people(0), kNow).availability == Availability::Free);
    SpaceStatus one = evaluate(room, people(1), kNow);
    CHECK(one.availability == Availability::Occupied);
    CHECK(one.load == Load::InUse);
    CHECK(one.people == 1);
    CHECK(evaluate(room, people(8), kNow).load == Load::Full);
  }
  CHECK_FALSE(shared_use(SpaceKind::Meeting));
  CHECK(shared_use(SpaceKind::Sport));
}

TEST_CASE("people counts: without a capacity nobody can say there is room left") {
  const Space gym = space_of(SpaceKind::Sport, 0);
  CHECK(evaluate(gym, people(0), kNow).availability == Availability::Free);
  SpaceStatus some = evaluate(gym, people(3), kNow);
  CHECK(some.availability == Availability::Occupied);
  CHECK(some.load == Load::InUse);
  CHECK(some.people == 3);
}

TEST_CASE("seat counts: seats taken of N, full when every seat is taken") {
  const Space nap = space_of(SpaceKind::Nap, 6, 4);
  SpaceStatus none = evaluate(nap, people(0), kNow);
  CHECK(none.seats_free == 4);
  CHECK(none.load == Load::Empty);
  CHECK(none.people == -1);  // seats, not people
  SpaceStatus three = evaluate(nap, people(3), kNow);
  CHECK(three.availability == Availability::Free);
  CHECK(three.seats_free == 1);
  CHECK(three.load == Load::InUse);
  SpaceStatus four = evaluate(nap, people(4), kNow);
  CHECK(four.availability == Availability::Occupied);
  CHECK(four.seats_free == 0);
  CHECK(four.load == Load::Full);
  CHECK(evaluate(nap, people(9), kNow).seats_free == 0);
  // A presence sensor on a seat-counted room says nothing of seats: no load.
  CHECK(evaluate(nap, Reading{Reading::Kind::Presence, true, 0, kNow, 600s}, kNow).load == Load::None);
}

TEST_CASE("counts past their ttl are unknown, full or not") {
  const Space gym = space_of(SpaceKind::Sport, 15);
  SpaceStatus old = evaluate(gym, people(3, kNow - 11min), kNow);
  CHECK(old.availability == Availability::Unknown);
  CHECK(old.stale);
  CHECK(old.load == Load::None);
}

TEST_CASE("motion hold: occupied until the hold after the last motion") {
  const Space room = space_of(SpaceKind::Meeting, 8);
  const TimePoint t0 = kNow;
  SpaceStatus moving = evaluate(room, motion(true, t0, t0), t0 + 1min);
  CHECK(moving.availability == Availability::Occupied);
  CHECK_FALSE(moving.held);

  // "vacant" 1 min after the motion: still occupied, by the hold, until t0 + 5 min.
  const Reading vacant = motion(false, t0 + 1min, t0);
  SpaceStatus held = evaluate(room, vacant, t0 + 2min);
  CHECK(held.availability == Availability::Occupied);
  CHECK(held.held);
  CHECK(*held.last_seen == t0 + 1min);
  CHECK(evaluate(room, vacant, t0 + 5min - 1ms).availability == Availability::Occupied);
  SpaceStatus freed = evaluate(room, vacant, t0 + 5min);
  CHECK(freed.availability == Availability::Free);
  CHECK_FALSE(freed.held);
  CHECK(next_change(vacant, t0 + 2min) == t0 + 5min);
  CHECK(next_change(vacant, t0 + 5min) == t0 + 1min + 600s + 1ms);  // then only the ttl is pending

  // A "vacant" without any motion seen, or from a binding without a hold, frees at once.
  CHECK(evaluate(room, motion(false, t0, std::nullopt), t0).availability == Availability::Free);
  Reading plain{Reading::Kind::Presence, false, 0, t0, 600s};
  plain.last_motion = t0;  // ignored: no hold
  CHECK(evaluate(room, plain, t0 + 1s).availability == Availability::Free);

  // The latest "occupied" stays occupied past the hold: the sensor still says someone is there.
  CHECK(evaluate(room, motion(true, t0, t0), t0 + 9min).availability == Availability::Occupied);
}

TEST_CASE("motion hold: staleness wins over the hold") {
  const Space room = space_of(SpaceKind::Meeting, 8);
  const TimePoint t0 = kNow;
  // A hold longer than the ttl (the config warns): the silent sensor turns unknown, never held forever.
  Reading vacant = motion(false, t0, t0, 60s);
  vacant.hold = 600s;
  CHECK(evaluate(room, vacant, t0 + 60s).availability == Availability::Occupied);
  SpaceStatus silent = evaluate(room, vacant, t0 + 61s);
  CHECK(silent.availability == Availability::Unknown);
  CHECK(silent.stale);
  CHECK_FALSE(silent.held);
  CHECK(next_change(vacant, t0) == t0 + 60s + 1ms);
}

TEST_CASE("motion hold: a motion from the future counts as now") {
  const Space room = space_of(SpaceKind::Meeting, 8);
  const TimePoint t0 = kNow;
  Reading vacant = motion(false, t0, t0 + 1h);  // the sensor's clock is an hour ahead
  CHECK(evaluate(room, vacant, t0).availability == Availability::Occupied);
  CHECK(next_change(vacant, t0) == t0 + 5min);
  CHECK(evaluate(room, vacant, t0 + 10min + 1ms).availability == Availability::Unknown);  // the ttl still applies
}

TEST_CASE("carry_motion keeps the latest motion across readings") {
  const TimePoint t0 = kNow;
  const Reading moved = carry_motion(std::nullopt, motion(true, t0, std::nullopt));
  CHECK(moved.last_motion == t0);
  const Reading vacant = carry_motion(moved, motion(false, t0 + 1min, std::nullopt));
  CHECK(vacant.last_motion == t0);
  CHECK(carry_motion(vacant, motion(false, t0 + 2min, std::nullopt)).last_motion == t0);
  CHECK(carry_motion(vacant, motion(true, t0 + 3min, std::nullopt)).last_motion == t0 + 3min);
  // A later motion already known to the new reading is not replaced by an older one.
  CHECK(carry_motion(vacant, motion(false, t0 + 4min, t0 + 3min)).last_motion == t0 + 3min);
  // Readings without a hold (or counts) pass unchanged.
  const Reading plain{Reading::Kind::Presence, false, 0, t0 + 5min, 600s};
  CHECK(carry_motion(moved, plain) == plain);
  CHECK(carry_motion(moved, people(2)) == people(2));
}
