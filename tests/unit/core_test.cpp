#include <doctest/doctest.h>

#include <thread>

#include "core/clock.hpp"
#include "core/geometry.hpp"
#include "core/inbox.hpp"
#include "core/labels.hpp"
#include "core/occupancy.hpp"
#include "core/space.hpp"
#include "core/venue.hpp"

using namespace kiosk::core;
using namespace std::chrono_literals;

TEST_CASE("labels pick the best language") {
  Labels labels{{"fr-FR", "Salle Garonne"}, {"en", "Garonne Room"}};
  CHECK(labels.pick("fr") == "Salle Garonne");
  CHECK(labels.pick("fr-FR") == "Salle Garonne");
  CHECK(labels.pick("en-GB") == "Garonne Room");
  CHECK(labels.pick("de") == "Garonne Room");  // English before the first entry
  Labels german{{"de", "Hörsaal"}};
  CHECK(german.pick("fr") == "Hörsaal");
  CHECK(Labels{}.pick("fr").empty());
}

TEST_CASE("folding ignores accents, case and punctuation") {
  CHECK(fold_for_search("Salle Œnologie") == "salle oenologie");
  CHECK(fold_for_search("  Été-Hiver  ") == "ete hiver");
  CHECK(fold_for_search("salle-garonne") == fold_for_search("SALLE GARONNE"));
  CHECK(fold_for_search("Straße") == "strasse");
  CHECK(fold_for_search("L’Atelier") == "l atelier");
  CHECK(fold_for_search("Çà et là") == "ca et la");
  // Invalid UTF-8 never throws or reads past the end.
  CHECK(fold_for_search(std::string("ab\xC3", 3)) == "ab");
  CHECK(fold_for_search(std::string("\xE2\x82", 2)).empty());
  CHECK(fold_for_search(std::string("a\xFF" "b", 3)) == "a b");
}

TEST_CASE("staleness: data older than its ttl is unknown, never free") {
  ManualClock clock;
  Space room;
  room.id = "r1";
  Reading free_reading{Reading::Kind::Presence, false, 0, clock.now(), 600s};
  CHECK(evaluate(room, std::nullopt, clock.now()).availability == Availability::Unknown);
  CHECK_FALSE(evaluate(room, std::nullopt, clock.now()).last_seen);

  SpaceStatus fresh = evaluate(room, free_reading, clock.now() + 599s);
  CHECK(fresh.availability == Availability::Free);
  CHECK_FALSE(fresh.stale);

  SpaceStatus old = evaluate(room, free_reading, clock.now() + 601s);
  CHECK(old.availability == Availability::Unknown);
  CHECK(old.stale);
  REQUIRE(old.last_seen);
  CHECK(*old.last_seen == clock.now());

  // A reading from the future (sensor clock ahead) counts as now, and cannot extend its own life.
  Reading future = free_reading;
  future.observed = clock.now() + 3600s;
  CHECK(evaluate(room, future, clock.now()).availability == Availability::Free);
  CHECK(evaluate(room, future, clock.now() + 601s).availability == Availability::Free);
}

TEST_CASE("seat-counted and people-counted spaces") {
  TimePoint now = ManualClock().now();
  Space nap;
  nap.seats = 4;
  Reading two_taken{Reading::Kind::Count, false, 2, now, 600s};
  SpaceStatus s = evaluate(nap, two_taken, now);
  CHECK(s.availability == Availability::Free);
  CHECK(s.seats_free == 2);
  CHECK(s.seats_total == 4);
  Reading full{Reading::Kind::Count, false, 5, now, 600s};
  CHECK(evaluate(nap, full, now).seats_free == 0);
  CHECK(evaluate(nap, full, now).availability == Availability::Occupied);

  Space room;
  room.kind = SpaceKind::Meeting;  // booked whole: one person makes it occupied (core_counts_test: shared spaces)
  room.capacity = 8;
  CHECK(evaluate(room, Reading{Reading::Kind::Count, false, 0, now, 600s}, now).availability == Availability::Free);
  SpaceStatus busy = evaluate(room, Reading{Reading::Kind::Count, false, 3, now, 600s}, now);
  CHECK(busy.availability == Availability::Occupied);
  CHECK(busy.people == 3);
}

TEST_CASE("a panel up for weeks keeps exact times") {
  ManualClock clock;
  TimePoint start = clock.now();
  for (int day = 0; day < 60; ++day) clock.advance(24h);
  CHECK(clock.now() - start == 60 * 24h);
  Space room;
  Reading r{Reading::Kind::Presence, true, 0, clock.now() - 599s, 600s};
  CHECK(evaluate(room, r, clock.now()).availability == Availability::Occupied);
  clock.advance(2s);
  CHECK(evaluate(room, r, clock.now()).availability == Availability::Unknown);
  CHECK(format_iso8601(from_unix_ms(1764000000123)) == "2025-11-24T16:00:00.123Z");
}

TEST_CASE("inbox keeps the latest value per space and wakes once per batch") {
  int wakes = 0;
  Inbox inbox(3, [&] { ++wakes; });
  TimePoint t = ManualClock().now();
  inbox.post(1, Reading{Reading::Kind::Presence, true, 0, t, 60s});
  inbox.post(1, Reading{Reading::Kind::Presence, false, 0, t + 1s, 60s});
  inbox.post(2, Reading{Reading::Kind::Count, false, 3, t, 60s});
  inbox.post(7, Reading{});  // out of range: ignored
  CHECK(wakes == 1);
  CHECK(inbox.superseded() == 1);
  Inbox::Batch batch;
  inbox.drain(batch);
  REQUIRE(batch.readings.size() == 2);
  CHECK(batch.readings[0].first == 1);
  CHECK_FALSE(batch.readings[0].second.occupied);
  CHECK(batch.readings[1].second.count == 3);
  inbox.drain(batch);
  CHECK(batch.empty());
  inbox.post_link(LinkStatus{true, "127.0.0.1:1883", "", t});
  CHECK(wakes == 2);
  inbox.drain(batch);
  REQUIRE(batch.link);
  CHECK(batch.link->connected);
}

TEST_CASE("inbox stays bounded under a flood from another thread") {
  Inbox inbox(100);
  std::thread producer([&] {
    TimePoint t = ManualClock().now();
    for (int i = 0; i < 200000; ++i) inbox.post(static_cast<std::uint32_t>(i % 100), Reading{Reading::Kind::Count, false, i, t, 60s});
  });
  Inbox::Batch batch;
  std::size_t max_batch = 0;
  while (inbox.posted() < 200000) {
    inbox.drain(batch);
    max_batch = std::max(max_batch, batch.readings.size());
  }
  producer.join();
  inbox.drain(batch);
  max_batch = std::max(max_batch, batch.readings.size());
  CHECK(max_batch <= 100);
}

TEST_CASE("venue lookups by id and by name") {
  Venue venue;
  venue.levels.push_back(Level{"L1", "unspecified", 1, false, {{"fr", "Étage 1"}}, {}, {}, {}});
  venue.levels.push_back(Level{"L0", "unspecified", 0, false, {{"fr", "RDC"}}, {}, {}, {}});
  Unit garonne;
  garonne.id = "u1";
  garonne.level_id = "L1";
  garonne.name = {{"fr", "Salle Garonne"}, {"en", "Garonne Room"}};
  Unit twin_a, twin_b;
  twin_a.id = "u2";
  twin_a.name = {{"fr", "Cabine"}};
  twin_b.id = "u3";
  twin_b.name = {{"fr", "Cabine"}};
  venue.units = {garonne, twin_a, twin_b};
  venue.index();
  CHECK(venue.levels.front().ordinal == 0);
  CHECK(venue.level("L1")->ordinal == 1);
  CHECK(venue.find_unit("u1") == venue.unit("u1"));
  CHECK(venue.find_unit("salle-garonne") == venue.unit("u1"));
  CHECK(venue.find_unit("GARONNE room") == venue.unit("u1"));
  CHECK(venue.find_unit("cabine") == nullptr);  // ambiguous names find nothing rather than a guess
  CHECK(venue.find_unit("nowhere") == nullptr);
}

TEST_CASE("space kinds") {
  CHECK(space_kind_for_unit_category("conferenceroom") == SpaceKind::Meeting);
  CHECK(space_kind_for_unit_category("phoneroom") == SpaceKind::Phone);
  CHECK(space_kind_for_unit_category("fitnessroom") == SpaceKind::Sport);
  CHECK(space_kind_for_unit_category("walkway") == SpaceKind::Other);
  CHECK(space_kind_from_string("nap") == SpaceKind::Nap);
  CHECK_FALSE(space_kind_from_string("napp"));
}

TEST_CASE("centroid of a square") {
  MultiPolygon square{Polygon{{Ring{{1.5, 43.5}, {1.5002, 43.5}, {1.5002, 43.5002}, {1.5, 43.5002}, {1.5, 43.5}}}}};
  LonLat c = centroid(square);
  CHECK(c.lon == doctest::Approx(1.5001).epsilon(1e-9));
  CHECK(c.lat == doctest::Approx(43.5001).epsilon(1e-9));
}
