// Router and motion holds: each presence reading of a route with a hold carries the space's last
// motion, so the Inbox keeping only the latest reading loses no motion.
#include <doctest/doctest.h>

#include "core/inbox.hpp"
#include "ingest/router.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

const core::TimePoint kT0{core::Millis{1'700'000'000'000}};

ingest::Route motion_route(std::chrono::seconds hold) {
  std::string error;
  auto pattern = ingest::TopicPattern::parse("campus/{space}/motion", &error);
  REQUIRE_MESSAGE(pattern, error);
  ingest::Route r;
  r.pattern = std::move(*pattern);
  r.space_template = "{space}";
  r.ttl = 600s;
  r.hold = hold;
  return r;
}

core::Reading drain_one(core::Inbox& inbox) {
  core::Inbox::Batch batch;
  inbox.drain(batch);
  REQUIRE(batch.readings.size() == 1);
  return batch.readings[0].second;
}

ingest::Router::Resolve garonne() {
  return [](std::string_view name) -> std::optional<std::uint32_t> {
    if (name == "garonne") return 0;
    return std::nullopt;
  };
}

}  // namespace

TEST_CASE("router hold: a vacant superseding a motion in the inbox still carries it") {
  std::vector<ingest::Route> routes;
  routes.push_back(motion_route(300s));
  ingest::Router router(std::move(routes), garonne(), 65536);
  core::Inbox inbox(1);

  router.handle("campus/garonne/motion", "vacant", kT0, inbox);
  core::Reading first = drain_one(inbox);
  CHECK(first.hold == 300s);
  CHECK_FALSE(first.last_motion);  // no motion seen yet

  router.handle("campus/garonne/motion", "occupied", kT0 + 1s, inbox);
  router.handle("campus/garonne/motion", "vacant", kT0 + 2s, inbox);  // before the main thread drains
  core::Reading latest = drain_one(inbox);
  CHECK_FALSE(latest.occupied);
  CHECK(latest.observed == kT0 + 2s);
  CHECK(latest.last_motion == kT0 + 1s);

  router.handle("campus/garonne/motion", "vacant", kT0 + 10min, inbox);
  CHECK(drain_one(inbox).last_motion == kT0 + 1s);
}

TEST_CASE("router hold: routes without a hold leave readings as before") {
  std::vector<ingest::Route> routes;
  routes.push_back(motion_route(0s));
  ingest::Router router(std::move(routes), garonne(), 65536);
  core::Inbox inbox(1);
  router.handle("campus/garonne/motion", "occupied", kT0, inbox);
  core::Reading r = drain_one(inbox);
  CHECK(r.hold == 0s);
  CHECK_FALSE(r.last_motion);
}
