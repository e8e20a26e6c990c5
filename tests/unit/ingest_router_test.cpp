#include <doctest/doctest.h>

#include <map>
#include <string>
#include <unordered_map>

#include "core/inbox.hpp"
#include "ingest/router.hpp"

using namespace kiosk;
using namespace kiosk::ingest;

namespace {

const core::TimePoint kT0{core::Millis{1'700'000'000'000}};

Route route(std::string_view pattern, std::string space_template, DecoderSpec decoder = {},
            std::string origin = "site.toml:40:1") {
  std::string error;
  auto p = TopicPattern::parse(pattern, &error);
  INFO(error);
  REQUIRE(p);
  Route r;
  r.pattern = std::move(*p);
  r.space_template = std::move(space_template);
  r.decoder = std::move(decoder);
  r.ttl = std::chrono::seconds(300);
  r.origin = std::move(origin);
  return r;
}

struct Spaces {
  std::unordered_map<std::string, std::uint32_t> index;
  int calls = 0;
  Router::Resolve resolver() {
    return [this](std::string_view name) -> std::optional<std::uint32_t> {
      ++calls;
      const auto it = index.find(std::string(name));
      if (it == index.end()) return std::nullopt;
      return it->second;
    };
  }
};

std::map<std::uint32_t, core::Reading> drain(core::Inbox& inbox) {
  core::Inbox::Batch batch;
  inbox.drain(batch);
  std::map<std::uint32_t, core::Reading> out;
  for (auto& [i, r] : batch.readings) out[i] = r;
  return out;
}

}  // namespace

TEST_CASE("router: delivers readings with template expansion and space_map") {
  Spaces spaces{{{"garonne", 0}, {"salle-sieste", 1}, {"nap-2", 2}, {"hall", 3}}};
  Route r1 = route("campus/{floor}/{space}/occupancy", "{space}");
  Route r2 = route("naps/{room}/seats", "salle-{room}", {Format::Json, {"taken"}, ValueKind::Count});
  r2.space_map = {{"salle-b", "nap-2"}};
  Route r3 = route("lobby/motion", "hall", {Format::Json, {"motion"}, ValueKind::Presence});
  r3.ttl = std::chrono::seconds(60);
  Router router({r1, r2, r3}, spaces.resolver(), 65536);
  core::Inbox inbox(4);

  CHECK(router.handle("campus/1/garonne/occupancy", "ON", kT0, inbox) == Router::Outcome::Delivered);
  CHECK(router.handle("naps/sieste/seats", R"({"taken":2})", kT0, inbox) == Router::Outcome::Delivered);
  CHECK(router.handle("naps/b/seats", R"({"taken":1})", kT0 + core::Millis(5), inbox) == Router::Outcome::Delivered);
  CHECK(router.handle("lobby/motion", R"({"motion":false})", kT0, inbox) == Router::Outcome::Delivered);

  const auto got = drain(inbox);
  REQUIRE(got.size() == 4);
  CHECK(got.at(0) == core::Reading{core::Reading::Kind::Presence, true, 0, kT0, std::chrono::seconds(300)});
  CHECK(got.at(1) == core::Reading{core::Reading::Kind::Count, false, 2, kT0, std::chrono::seconds(300)});
  CHECK(got.at(2).count == 1);
  CHECK(got.at(2).observed == kT0 + core::Millis(5));
  CHECK(got.at(3) == core::Reading{core::Reading::Kind::Presence, false, 0, kT0, std::chrono::seconds(60)});

  const CounterValues c = router.counters().snapshot();
  CHECK(c.received == 4);
  CHECK(c.delivered == 4);
  CHECK(c.rejected_total() == 0);
}

TEST_CASE("router: first matching route decides, unknown topics and spaces are counted") {
  Spaces spaces{{{"garonne", 0}}};
  Router router({route("campus/{floor}/{space}/occupancy", "{space}"), route("campus/#", "garonne")},
                spaces.resolver(), 65536);
  core::Inbox inbox(1);
  CHECK(router.handle("campus/1/loire/occupancy", "1", kT0, inbox) == Router::Outcome::UnknownSpace);
  CHECK(router.handle("campus/1/loire/occupancy", "1", kT0, inbox) == Router::Outcome::UnknownSpace);
  CHECK(router.handle("campus/1/garonne/temperature", "1", kT0, inbox) == Router::Outcome::Delivered);
  CHECK(router.handle("elsewhere/x", "1", kT0, inbox) == Router::Outcome::UnmatchedTopic);
  CHECK(router.handle("$SYS/broker/uptime", "1", kT0, inbox) == Router::Outcome::UnmatchedTopic);
  const CounterValues c = router.counters().snapshot();
  CHECK(c.received == 5);
  CHECK(c.unknown_space == 2);
  CHECK(c.unmatched_topic == 2);
  CHECK(c.delivered == 1);
  CHECK(spaces.calls == 2);  // the repeated topic was answered from the cache
  const auto problems = router.recent_problems();
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "campus/1/loire/occupancy: unknown space \"loire\" (binding site.toml:40:1)");
}

TEST_CASE("router: rejections are counted by reason and described") {
  Spaces spaces{{{"garonne", 0}}};
  Router router({route("z2m/{space}", "{space}", {Format::Json, {"occupancy"}, ValueKind::Presence})},
                spaces.resolver(), 64);
  core::Inbox inbox(1);
  CHECK(router.handle("z2m/garonne", "not json", kT0, inbox) == Router::Outcome::Rejected);
  CHECK(router.handle("z2m/garonne", R"({"battery":3})", kT0, inbox) == Router::Outcome::Rejected);
  CHECK(router.handle("z2m/garonne", R"({"occupancy":"perhaps"})", kT0, inbox) == Router::Outcome::Rejected);
  CHECK(router.handle("z2m/garonne", std::string(65, ' '), kT0, inbox) == Router::Outcome::Rejected);
  CHECK(router.handle("z2m/garonne", "\n", kT0, inbox) == Router::Outcome::Rejected);
  const CounterValues c = router.counters().snapshot();
  CHECK(c.rejected_for(Reject::NotJson) == 1);
  CHECK(c.rejected_for(Reject::MissingField) == 1);
  CHECK(c.rejected_for(Reject::UnknownWord) == 1);
  CHECK(c.rejected_for(Reject::TooLarge) == 1);
  CHECK(c.rejected_for(Reject::Empty) == 1);
  CHECK(c.rejected_total() == 5);
  CHECK(c.delivered == 0);
  CHECK(drain(inbox).empty());
  const auto problems = router.recent_problems();
  REQUIRE(problems.size() == 5);
  CHECK(problems[0] == "z2m/garonne: not JSON (binding site.toml:40:1)");
  CHECK(problems[1] == "z2m/garonne: missing field \"occupancy\" (binding site.toml:40:1)");
  CHECK(problems[2] == "z2m/garonne: unknown word: {\"occupancy\":\"perhaps\"} (binding site.toml:40:1)");
  CHECK(problems[3] == "z2m/garonne: payload too large (65 bytes, limit 64) (binding site.toml:40:1)");
  CHECK(problems[4] == "z2m/garonne: empty payload (binding site.toml:40:1)");
}

TEST_CASE("router: the problem ring keeps the last 16, oldest first, and cleans text") {
  Spaces spaces{{{"a", 0}}};
  Router router({route("t/{space}", "{space}", {}, "")}, spaces.resolver(), 65536);
  core::Inbox inbox(1);
  for (int i = 0; i < 40; ++i) router.handle("t/a", "bad" + std::to_string(i), kT0, inbox);
  router.handle("t/a", "x\ny", kT0, inbox);
  const auto problems = router.recent_problems();
  REQUIRE(problems.size() == Router::kProblemRing);
  CHECK(problems.front() == "t/a: unknown word: bad25");
  CHECK(problems.back() == "t/a: unknown word: x?y");  // no origin: no "(binding ...)"
}

TEST_CASE("router: subscriptions are deduplicated, highest qos wins") {
  Spaces spaces;
  Route a = route("campus/{floor}/{space}/occupancy", "{space}");
  a.qos = 0;
  Route b = route("campus/+/+/occupancy", "x");
  b.qos = 2;
  Route c = route("naps/#", "y");
  Router router({a, b, c}, spaces.resolver(), 1024);
  const auto subs = router.subscriptions();
  REQUIRE(subs.size() == 2);
  CHECK(subs[0] == std::pair<std::string, int>{"campus/+/+/occupancy", 2});
  CHECK(subs[1] == std::pair<std::string, int>{"naps/#", 1});
}

TEST_CASE("router: space templates are checked") {
  CHECK(check_space_template(route("a/{space}", "{space}")).empty());
  CHECK(check_space_template(route("a/{room}", "salle-{room}")).empty());
  CHECK(check_space_template(route("a/b", "fixed")).empty());
  CHECK(check_space_template(route("a/{room}", "{space}")).find("{space}") != std::string::npos);
  CHECK_FALSE(check_space_template(route("a/{room}", "")).empty());
}

TEST_CASE("router: the topic cache stays bounded under a flood of unknown topics") {
  Spaces spaces{{{"space-1", 0}}};
  constexpr std::size_t kLimit = 200'000;
  Router router({route("campus/{floor}/{space}/occupancy", "{space}")}, spaces.resolver(), 65536, kLimit);
  core::Inbox inbox(1);
  std::size_t largest = 0;
  std::string topic;
  for (int i = 0; i < 300'000; ++i) {
    topic = "campus/1/unknown-" + std::to_string(i) + "/occupancy";
    router.handle(topic, "1", kT0, inbox);
    largest = std::max(largest, router.cache_size());
  }
  CHECK(largest <= kLimit);
  CHECK(router.cache_size() <= kLimit);
  const CounterValues c = router.counters().snapshot();
  CHECK(c.unknown_space == 300'000);
  CHECK(c.cache_clears == 1);
  CHECK(router.recent_problems().size() == Router::kProblemRing);
  // Known topics still work after the clear.
  CHECK(router.handle("campus/1/space-1/occupancy", "1", kT0, inbox) == Router::Outcome::Delivered);
}

TEST_CASE("router: a payload above the limit is too_large before any other reason, whatever its topic") {
  Spaces spaces{{{"garonne", 0}}};
  Router router({route("campus/{space}/occupancy", "{space}")}, spaces.resolver(), 1024);
  core::Inbox inbox(1);
  const std::string megabyte(1 << 20, '1');
  // An unknown space, an unmatched topic, a known space: all too_large, none resolved nor cached.
  CHECK(router.handle("campus/nowhere/occupancy", megabyte, kT0, inbox) == Router::Outcome::Rejected);
  CHECK(router.handle("elsewhere/x", megabyte, kT0, inbox) == Router::Outcome::Rejected);
  CHECK(router.handle("campus/garonne/occupancy", megabyte, kT0, inbox) == Router::Outcome::Rejected);
  CHECK(router.handle("campus/garonne/occupancy", std::string(1025, ' '), kT0, inbox) == Router::Outcome::Rejected);
  CounterValues c = router.counters().snapshot();
  CHECK(c.received == 4);
  CHECK(c.rejected_for(Reject::TooLarge) == 4);
  CHECK(c.rejected_total() == 4);
  CHECK(c.unknown_space == 0);
  CHECK(c.unmatched_topic == 0);
  CHECK(spaces.calls == 0);
  CHECK(router.cache_size() == 0);
  const auto problems = router.recent_problems();
  REQUIRE(problems.size() == 4);
  CHECK(problems[0] ==
        "campus/nowhere/occupancy: payload too large (1048576 bytes, limit 1024) (binding site.toml:40:1)");
  CHECK(problems[1] == "elsewhere/x: payload too large (1048576 bytes, limit 1024)");
  // At the limit, the other reasons apply as before.
  CHECK(router.handle("campus/nowhere/occupancy", std::string(1024, '1'), kT0, inbox) == Router::Outcome::UnknownSpace);
  CHECK(router.handle("campus/garonne/occupancy", "1", kT0, inbox) == Router::Outcome::Delivered);
  c = router.counters().snapshot();
  CHECK(c.unknown_space == 1);
  CHECK(c.delivered == 1);
}
