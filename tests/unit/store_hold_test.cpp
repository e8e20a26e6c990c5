// Schema version 3: a motion sensor's hold survives a restart, and older files migrate in place.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>

#include "fixtures/store/store_fixture.hpp"
#include "store/snapshot.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using store::test::Conn;
using store::test::presence;
using store::test::TempDir;

namespace {

constexpr long long kT0 = 1'764'000'000'000;  // Unix ms, November 2025

core::Reading held_vacant() {  // "vacant" 1 min after a motion, under a 5 min hold
  core::Reading r = presence(false, kT0 + 60'000);
  r.hold = std::chrono::seconds(300);
  r.last_motion = core::from_unix_ms(kT0);
  return r;
}

}  // namespace

TEST_CASE("store hold: the last motion and the hold round trip through latest") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  core::Reading motion_only = presence(true, kT0);
  motion_only.hold = std::chrono::seconds(120);  // a hold, no motion known yet is possible too
  {
    auto db = store::Snapshot::open(path);
    db->write({{"a-room", held_vacant()}, {"b-room", presence(true, kT0)}, {"c-room", motion_only}},
              {{"a-room", held_vacant()}});
  }
  auto db = store::Snapshot::open(path);  // what a restart sees
  const auto latest = db->load_latest();
  REQUIRE(latest.size() == 3);
  CHECK(latest[0].reading == held_vacant());
  CHECK(latest[1].reading == presence(true, kT0));  // no hold: NULL columns, read back as none
  CHECK(latest[2].reading == motion_only);
  Conn c(path);
  CHECK(c.integer("SELECT count(*) FROM latest WHERE hold_s IS NULL AND last_motion_ms IS NULL") == 1);

  // An upsert without a hold clears the old one.
  db->write({{"a-room", presence(false, kT0 + 120'000)}}, {});
  CHECK(db->load_latest()[0].reading == presence(false, kT0 + 120'000));
  // History keeps the sensor's own values only.
  const auto history = db->history("a-room", 10);
  REQUIRE(history.size() == 1);
  CHECK(history[0].reading == presence(false, kT0 + 60'000));
}

TEST_CASE("store hold: a version 2 file gains the hold columns and keeps its rows") {
  TempDir dir;
  const fs::path path = dir / "v2.db";
  {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &h) == SQLITE_OK);
    const char* v2 =
        "CREATE TABLE latest(space_id TEXT PRIMARY KEY, kind INTEGER, occupied INTEGER, count INTEGER, "
        "observed_ms INTEGER, ttl_s INTEGER);"
        "CREATE TABLE history(id INTEGER PRIMARY KEY, space_id TEXT, kind INTEGER, occupied INTEGER, "
        "count INTEGER, observed_ms INTEGER, ttl_s INTEGER);"
        "CREATE TABLE board(idx INTEGER PRIMARY KEY, space_id TEXT, kind INTEGER, level INTEGER, level_name TEXT, "
        "name TEXT, capacity INTEGER, seats INTEGER, equipment TEXT);"
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
        "INSERT INTO latest VALUES('r1', 0, 1, 0, 1764000000000, 600);"
        "INSERT INTO meta VALUES('venue', 'Campus');"
        "PRAGMA user_version = 2;";
    REQUIRE(sqlite3_exec(h, v2, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);
  }
  store::OpenReport report;
  auto db = store::Snapshot::open(path, &report);
  CHECK_FALSE(report.recovered);
  auto latest = db->load_latest();
  REQUIRE(latest.size() == 1);
  CHECK(latest[0].reading == presence(true, kT0));
  CHECK(db->load_board().meta.at("venue") == "Campus");
  db->write({{"r1", held_vacant()}}, {});
  CHECK(db->load_latest()[0].reading == held_vacant());
  Conn c(path);
  CHECK(c.integer("PRAGMA user_version") == 3);
  CHECK(db->integrity_check() == "ok");
}

TEST_CASE("store hold: a file claiming version 2 without a latest table is moved aside") {
  TempDir dir;
  const fs::path path = dir / "odd.db";
  {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &h) == SQLITE_OK);
    REQUIRE(sqlite3_exec(h, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT); PRAGMA user_version = 2;", nullptr,
                         nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);
  }
  store::OpenReport report;
  auto db = store::Snapshot::open(path, &report);
  CHECK(report.recovered);
  CHECK(report.message.find("hold columns") != std::string::npos);
  CHECK(fs::exists(report.moved_to));
  db->write({{"r1", held_vacant()}}, {});
  CHECK(db->load_latest().size() == 1);
}
