// Writer: batching, latest wins, bounded history, failures kept and retried, damage reported.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "fixtures/store/store_fixture.hpp"
#include "store/writer.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using namespace std::chrono_literals;
using store::test::Conn;
using store::test::presence;
using store::test::TempDir;

namespace {

// The fixtures' times are fixed instants in the past: keep every row whatever its age, so the
// retention trimming (tested on its own below) does not blur what these tests count.
const store::HistoryLimits kKeepAll{std::chrono::hours(24 * 365 * 100), 100'000'000, 5'000};
constexpr long long kT0 = 1'764'000'000'000;
}

TEST_CASE("10,000 records become a few commits, flush_now makes them visible") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  store::Writer writer(store::Snapshot::open(path), 250ms, 100000, kKeepAll);
  for (int i = 0; i < 10'000; ++i)
    writer.record("space-" + std::to_string(i % 500), presence(i % 2 == 0, kT0 + i), i % 4 == 0);
  writer.flush_now();
  const auto stats = writer.stats();
  CHECK(stats.commits >= 1);
  CHECK(stats.commits <= 10);  // one per 250 ms at most, against 10,000 records
  CHECK(stats.errors == 0);
  CHECK(stats.history_dropped == 0);

  Conn other(path);  // another connection (another process would see the same)
  CHECK(other.integer("SELECT count(*) FROM latest") == 500);
  CHECK(other.integer("SELECT count(*) FROM history") == 2500);
  CHECK(other.integer("SELECT max(observed_ms) FROM latest") == kT0 + 9'999);
  CHECK(stats.rows_written >= 500 + 2500);
}

TEST_CASE("the latest record of a space wins") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  store::Writer writer(store::Snapshot::open(path), 1h, 100000, kKeepAll);
  for (int i = 0; i < 100; ++i) writer.record("nap", presence(i % 2 == 0, kT0 + i), false);
  writer.flush_now();
  Conn other(path);
  CHECK(other.integer("SELECT count(*) FROM latest") == 1);
  CHECK(other.integer("SELECT observed_ms FROM latest WHERE space_id = 'nap'") == kT0 + 99);
  CHECK(other.integer("SELECT occupied FROM latest WHERE space_id = 'nap'") == 0);
  CHECK(other.integer("SELECT count(*) FROM history") == 0);  // nothing was a change
}

TEST_CASE("commits are paced by the interval and stop when idle") {
  TempDir dir;
  store::Writer writer(store::Snapshot::open(dir / "state.db"), 100ms, 100000, kKeepAll);
  const auto start = std::chrono::steady_clock::now();
  int i = 0;
  while (std::chrono::steady_clock::now() - start < 550ms) {
    writer.record("r", presence(true, kT0 + i++), true);
    std::this_thread::sleep_for(1ms);
  }
  writer.flush_now();
  const auto busy = writer.stats().commits;
  CHECK(busy >= 3);
  CHECK(busy <= 8);  // ~550 ms / 100 ms, +1 for the first record after idle, +1 for flush_now
  std::this_thread::sleep_for(300ms);
  CHECK(writer.stats().commits == busy);  // nothing pending: no commits
  writer.flush_now();                     // nothing to flush returns at once
  CHECK(writer.stats().commits == busy);
}

TEST_CASE("pending history is capped, the oldest rows are dropped and counted") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  store::Writer writer(store::Snapshot::open(path), 1h, 100, kKeepAll);
  for (int i = 0; i < 1000; ++i) writer.record("r", presence(i % 2 == 0, kT0 + i), true);
  writer.flush_now();
  const auto stats = writer.stats();
  Conn other(path);
  const long long kept = other.integer("SELECT count(*) FROM history");
  CHECK(stats.history_dropped > 0);
  CHECK(kept + static_cast<long long>(stats.history_dropped) == 1000);
  CHECK(kept <= 200);  // at most two batches of at most the cap each: the first record after idle
                      // commits at once, the rest waits for flush_now (the interval is an hour)
  CHECK(other.integer("SELECT max(observed_ms) FROM history") == kT0 + 999);  // the newest is kept
}

TEST_CASE("a busy database is counted, kept pending and retried") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  store::Writer writer(store::Snapshot::open(path), 50ms, 100000, kKeepAll);
  writer.record("r0", presence(true, kT0), true);
  writer.flush_now();

  Conn blocker(path);
  blocker.exec("BEGIN IMMEDIATE");  // holds the write lock longer than the busy timeout
  for (int i = 1; i <= 20; ++i) writer.record("r" + std::to_string(i), presence(true, kT0 + i), true);
  writer.flush_now();  // returns after a failed attempt instead of hanging
  auto stats = writer.stats();
  CHECK(stats.errors >= 1);
  CHECK(stats.corrupt == 0);
  CHECK(stats.last_error.find("locked") != std::string::npos);
  blocker.exec("ROLLBACK");

  writer.record("r21", presence(true, kT0 + 21), true);
  writer.flush_now();
  Conn other(path);
  CHECK(other.integer("SELECT count(*) FROM latest") == 22);
  CHECK(other.integer("SELECT count(*) FROM history") == 22);  // none lost, none twice
  CHECK(writer.stats().history_dropped == 0);
}

TEST_CASE("damage found while running is counted and reported, nothing deleted") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  store::Writer writer(store::Snapshot::open(path), 10ms, 100000, kKeepAll);
  for (int i = 0; i < 50; ++i) writer.record("r" + std::to_string(i), presence(true, kT0 + i), true);
  writer.flush_now();
  REQUIRE(writer.stats().errors == 0);

  long long root = 0, page_size = 0;
  {
    Conn c(path);
    c.exec("PRAGMA wal_checkpoint(TRUNCATE)");  // every page now lives in the main file
    root = c.integer("SELECT rootpage FROM sqlite_schema WHERE name = 'latest'");
    page_size = c.integer("PRAGMA page_size");
  }
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * page_size);
    const std::string zeros(static_cast<std::size_t>(page_size), '\0');
    f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  }
  {
    Conn c(path);  // a commit elsewhere makes the writer drop its page cache and read the damage
    c.exec("INSERT INTO history(space_id, kind, occupied, count, observed_ms, ttl_s) VALUES('x', 0, 0, 0, 0, 0)");
  }
  writer.record("r0", presence(false, kT0 + 100), true);
  writer.flush_now();
  const auto stats = writer.stats();
  CHECK(stats.errors >= 1);
  CHECK(stats.corrupt >= 1);
  CHECK(stats.last_error.find("malformed") != std::string::npos);
  CHECK(fs::exists(path));
}

TEST_CASE("the destructor commits what is pending") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  {
    store::Writer writer(store::Snapshot::open(path), 1h, 100000, kKeepAll);
    writer.record("a", presence(true, kT0), true);
    writer.flush_now();
    writer.record("b", presence(true, kT0 + 1), true);  // waits for an interval that never comes
  }
  auto db = store::Snapshot::open(path);
  CHECK(db->load_latest().size() == 2);
  CHECK(db->history("b", 10).size() == 1);
}

TEST_CASE("a writer needs a snapshot") {
  CHECK_THROWS_AS(store::Writer(nullptr), std::invalid_argument);
}

TEST_CASE("writer trims history by age and by count, in batches, keeping the newest") {
  TempDir dir;
  auto path = dir.path() / "trim.db";
  auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  kiosk::core::TimePoint t{now.time_since_epoch()};
  {
    auto db = kiosk::store::Snapshot::open(path);
    std::vector<kiosk::store::HistoryRow> rows;
    for (int i = 0; i < 50; ++i)  // 50 rows a year old
      rows.push_back({"old", kiosk::core::Reading{kiosk::core::Reading::Kind::Count, false, i, t - std::chrono::hours(24 * 365), std::chrono::seconds(60)}});
    for (int i = 0; i < 200; ++i)
      rows.push_back({"new", kiosk::core::Reading{kiosk::core::Reading::Kind::Count, false, i, t, std::chrono::seconds(60)}});
    db->write({}, rows);
  }
  kiosk::store::HistoryLimits limits;
  limits.retention = std::chrono::hours(24 * 30);
  limits.max_rows = 120;
  limits.batch = 40;
  {
    kiosk::store::Writer writer(kiosk::store::Snapshot::open(path), std::chrono::milliseconds(1), 1000, limits);
    // Each commit may trim one batch while a backlog remains: 130 rows to go, 40 at a time.
    for (int i = 0; i < 8; ++i) {
      writer.record("tick", kiosk::core::Reading{kiosk::core::Reading::Kind::Count, false, i, t, std::chrono::seconds(60)}, false);
      writer.flush_now();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(writer.stats().history_trimmed == 130);
  }
  auto db = kiosk::store::Snapshot::open(path);
  CHECK(db->history("old", 100).empty());
  auto kept = db->history("new", 1000);
  REQUIRE(kept.size() == 120);
  CHECK(kept.front().reading.count == 199);  // the newest survive
  CHECK(kept.back().reading.count == 80);
}

// Regression: with 100,000 pending history rows allowed, a 10-minute flood of changes that outran the
// disk grew a panel by ~27 MB (bench_flood_memory). The default cap now keeps that queue small; the
// latest state of every space is still written.
TEST_CASE("a flood of changes that outruns the store drops the oldest pending history, never the latest state") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  store::Writer writer(store::Snapshot::open(path), 1h, store::Writer::kMaxPendingHistory, kKeepAll);  // the disk "stalls"
  const int records = 50'000;
  for (int i = 0; i < records; ++i) writer.record("space-" + std::to_string(i % 900), presence(i % 2 == 0, kT0 + i), true);
  writer.flush_now();
  const auto stats = writer.stats();
  Conn other(path);
  const long long kept = other.integer("SELECT count(*) FROM history");
  const long long cap = static_cast<long long>(store::Writer::kMaxPendingHistory);
  // The thread may commit a first handful at once; after that nothing more than the cap waits.
  CHECK(static_cast<long long>(stats.history_dropped) + kept == records);
  CHECK(kept <= 2 * cap);
  CHECK(static_cast<long long>(stats.history_dropped) >= records - 2 * cap);
  CHECK(other.integer("SELECT count(*) FROM latest") == 900);
  CHECK(other.integer("SELECT max(observed_ms) FROM latest") == kT0 + records - 1);
}
