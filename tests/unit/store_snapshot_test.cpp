// Snapshot: round trips, schema, recovery from damaged files, clear errors, and its speed.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "fixtures/store/store_fixture.hpp"
#include "store/snapshot.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using store::test::Conn;
using store::test::people;
using store::test::presence;
using store::test::TempDir;

namespace {

constexpr long long kT0 = 1'764'000'000'000;  // Unix ms, November 2025

// A file of `rows` history rows and 10 latest rows, closed (so fully checkpointed, no -wal).
void fill(const fs::path& path, int rows) {
  auto db = store::Snapshot::open(path);
  std::vector<store::Row> latest;
  for (int i = 0; i < 10; ++i) latest.push_back({"room-" + std::to_string(i), presence(i % 2 == 0, kT0 + i)});
  std::vector<store::HistoryRow> history;
  for (int i = 0; i < rows; ++i)
    history.push_back({"room-" + std::to_string(i % 10), presence(i % 3 == 0, kT0 + i * 1000)});
  db->write(latest, history);
}

// Opens a damaged file and checks what every recovery must guarantee.
void expect_recovered(const fs::path& path, const std::string& original_bytes) {
  store::OpenReport report;
  auto db = store::Snapshot::open(path, &report);
  REQUIRE(db);
  CHECK(report.recovered);
  CHECK(report.moved_to.rfind(path.string() + ".corrupt-", 0) == 0);
  CHECK(report.message.find(report.moved_to) != std::string::npos);
  REQUIRE(fs::exists(report.moved_to));
  CHECK(store::test::read_bytes(report.moved_to) == original_bytes);  // moved, never rewritten
  // The fresh file works.
  CHECK(db->load_latest().empty());
  db->write({{"a", presence(true, kT0)}}, {{"a", presence(true, kT0)}});
  CHECK(db->load_latest().size() == 1);
  CHECK(db->integrity_check() == "ok");
}

}  // namespace

TEST_CASE("latest and history round trip") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  {
    auto db = store::Snapshot::open(path);
    db->write({{"b-room", people(3, kT0 + 5, 120)}, {"a-room", presence(true, kT0)}},
              {{"a-room", presence(false, kT0 - 1000)}, {"a-room", presence(true, kT0)}});
  }
  auto db = store::Snapshot::open(path);  // reopened: what a restart sees
  auto latest = db->load_latest();
  REQUIRE(latest.size() == 2);
  CHECK(latest[0].space_id == "a-room");  // ordered by space id
  CHECK(latest[0].reading == presence(true, kT0));
  CHECK(latest[1].space_id == "b-room");
  CHECK(latest[1].reading == people(3, kT0 + 5, 120));
  auto history = db->history("a-room", 10);
  REQUIRE(history.size() == 2);
  CHECK(history[0].reading == presence(true, kT0));
  CHECK(history[1].reading == presence(false, kT0 - 1000));
  CHECK(db->history("b-room", 10).empty());
  CHECK(db->integrity_check() == "ok");
}

TEST_CASE("upsert replaces the latest row of a space") {
  TempDir dir;
  auto db = store::Snapshot::open(dir / "state.db");
  db->write({{"r1", presence(false, kT0)}, {"r2", presence(false, kT0)}}, {});
  db->write({{"r1", people(7, kT0 + 60'000, 30)}}, {});
  auto latest = db->load_latest();
  REQUIRE(latest.size() == 2);
  CHECK(latest[0].reading == people(7, kT0 + 60'000, 30));
  CHECK(latest[1].reading == presence(false, kT0));
  db->write({}, {});  // nothing to do is not an error
  CHECK(db->load_latest().size() == 2);
}

TEST_CASE("history is newest first, limited, per space") {
  TempDir dir;
  auto db = store::Snapshot::open(dir / "state.db");
  std::vector<store::HistoryRow> rows;
  for (int i : {3, 1, 4, 0, 2}) rows.push_back({"nap", presence(i % 2 == 1, kT0 + i * 1000)});
  rows.push_back({"other", presence(true, kT0 + 99'000)});
  db->write({}, rows);
  auto h = db->history("nap", 3);
  REQUIRE(h.size() == 3);
  CHECK(h[0].reading.observed == core::from_unix_ms(kT0 + 4000));
  CHECK(h[1].reading.observed == core::from_unix_ms(kT0 + 3000));
  CHECK(h[2].reading.observed == core::from_unix_ms(kT0 + 2000));
  CHECK(db->history("nap", 100).size() == 5);
  CHECK(db->history("nap", 0).empty());
  CHECK(db->history("nobody", 10).empty());
}

TEST_CASE("prune_history deletes only older rows") {
  TempDir dir;
  auto db = store::Snapshot::open(dir / "state.db");
  std::vector<store::HistoryRow> rows;
  for (int i = 0; i < 10; ++i) rows.push_back({"r", presence(i % 2 == 0, kT0 + i * 1000)});
  db->write({{"r", presence(true, kT0)}}, rows);
  CHECK(db->prune_history(core::from_unix_ms(kT0 + 4000)) == 4);  // 0..3 s
  auto h = db->history("r", 100);
  REQUIRE(h.size() == 6);
  CHECK(h.back().reading.observed == core::from_unix_ms(kT0 + 4000));
  CHECK(db->prune_history(core::from_unix_ms(kT0)) == 0);
  CHECK(db->load_latest().size() == 1);  // latest is never pruned
}

TEST_CASE("schema, version and pragmas as documented") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  auto db = store::Snapshot::open(path);
  Conn c(path);
  CHECK(c.integer("PRAGMA user_version") == 3);
  CHECK(c.text("PRAGMA journal_mode") == "wal");
  CHECK(c.integer("SELECT count(*) FROM sqlite_schema WHERE name IN ('latest', 'history', 'history_space_time')") == 3);
  c.exec("INSERT INTO latest(space_id, kind, occupied, count, observed_ms, ttl_s) VALUES('x', 1, 1, 4, 5, 6)");
  auto latest = db->load_latest();
  REQUIRE(latest.size() == 1);
  CHECK(latest[0].reading == people(4, 5, 6));
}

TEST_CASE("rows that cannot be trusted are skipped, not shown") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  auto db = store::Snapshot::open(path);
  Conn c(path);
  c.exec("INSERT INTO latest(space_id, kind, occupied, count, observed_ms, ttl_s) "
         "VALUES('ok', 0, 1, 0, 5, 6), ('bad-kind', 7, 1, 0, 5, 6), (NULL, 0, 1, 0, 5, 6)");
  auto latest = db->load_latest();
  REQUIRE(latest.size() == 1);
  CHECK(latest[0].space_id == "ok");
}

TEST_CASE("a file of garbage is moved aside and a fresh one created") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  std::string garbage;
  for (int i = 0; i < 10'000; ++i) garbage += static_cast<char>((i * 7919 + 13) % 251);
  store::test::write_bytes(path, garbage);
  expect_recovered(path, garbage);
}

TEST_CASE("a text file (a config written to the wrong path) is moved aside") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  const std::string text = "[panel]\nid = \"entrance\"\n";
  store::test::write_bytes(path, text);
  expect_recovered(path, text);
}

TEST_CASE("a database with pages zeroed in the middle is moved aside") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  fill(path, 5000);
  std::string bytes = store::test::read_bytes(path);
  const std::size_t page = 4096;
  REQUIRE(bytes.size() >= 20 * page);
  const std::size_t middle = bytes.size() / page / 2;
  for (std::size_t p = middle - 2; p < middle + 2; ++p) std::fill_n(bytes.begin() + static_cast<long>(p * page), page, '\0');
  store::test::write_bytes(path, bytes);
  expect_recovered(path, bytes);
}

TEST_CASE("a truncated database is moved aside") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  fill(path, 5000);
  std::string bytes = store::test::read_bytes(path);
  bytes.resize(bytes.size() / 2);
  store::test::write_bytes(path, bytes);
  expect_recovered(path, bytes);
}

TEST_CASE("the -wal and -shm go aside with the damaged file") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  store::test::write_bytes(path, std::string(8192, 'x'));
  store::test::write_bytes(path.string() + "-wal", "old log");
  store::test::write_bytes(path.string() + "-shm", std::string(32768, '\0'));
  store::OpenReport report;
  auto db = store::Snapshot::open(path, &report);
  CHECK(report.recovered);
  CHECK(store::test::read_bytes(report.moved_to + "-wal") == "old log");
  CHECK(fs::exists(report.moved_to + "-shm"));
  CHECK(db->load_latest().empty());
}

TEST_CASE("two recoveries in the same second keep both files") {
  TempDir dir;
  const fs::path path = dir / "state.db";
  store::test::write_bytes(path, std::string(4096, 'a'));
  store::OpenReport first;
  store::Snapshot::open(path, &first).reset();
  store::test::write_bytes(path, std::string(4096, 'b'));
  store::OpenReport second;
  store::Snapshot::open(path, &second).reset();
  CHECK(first.recovered);
  CHECK(second.recovered);
  CHECK(first.moved_to != second.moved_to);
  CHECK(store::test::read_bytes(first.moved_to) == std::string(4096, 'a'));
  CHECK(store::test::read_bytes(second.moved_to) == std::string(4096, 'b'));
}

TEST_CASE("sound files are not moved: empty file, garbage -wal beside a good file") {
  TempDir dir;
  const fs::path empty = dir / "empty.db";
  store::test::write_bytes(empty, "");
  store::OpenReport report;
  store::Snapshot::open(empty, &report).reset();
  CHECK_FALSE(report.recovered);

  const fs::path path = dir / "state.db";
  fill(path, 100);
  store::test::write_bytes(path.string() + "-wal", std::string(5000, 'w'));  // not a log SQLite wrote
  auto db = store::Snapshot::open(path, &report);
  CHECK_FALSE(report.recovered);
  CHECK(db->load_latest().size() == 10);
  CHECK(db->integrity_check() == "ok");
}

TEST_CASE("a file this build cannot use is moved aside, not altered") {
  TempDir dir;
  const fs::path newer = dir / "newer.db";
  {
    store::Snapshot::open(newer).reset();
    Conn c(newer);
    c.exec("PRAGMA user_version = 4");
  }
  const std::string bytes = store::test::read_bytes(newer);
  store::OpenReport report;
  store::Snapshot::open(newer, &report).reset();
  CHECK(report.recovered);
  CHECK(report.message.find("newer") != std::string::npos);
  CHECK(store::test::read_bytes(report.moved_to) == bytes);

  const fs::path foreign = dir / "foreign.db";
  {
    sqlite3* h = nullptr;
    sqlite3_open(foreign.c_str(), &h);
    sqlite3_exec(h, "CREATE TABLE invoices(id INTEGER PRIMARY KEY, amount REAL)", nullptr, nullptr, nullptr);
    sqlite3_close(h);
  }
  store::Snapshot::open(foreign, &report).reset();
  CHECK(report.recovered);
  CHECK(report.message.find("another program") != std::string::npos);
}

TEST_CASE("an impossible location throws a clear message") {
  // We run as root, so a read-only directory would still be writable: use a regular file as the
  // parent directory, and a directory under /proc, which nobody can create.
  TempDir dir;
  const fs::path file = dir / "not-a-dir";
  store::test::write_bytes(file, "x");
  const fs::path under_file = file / "state.db";
  CHECK_THROWS_WITH_AS(store::Snapshot::open(under_file),
                       doctest::Contains(("cannot create snapshot database " + under_file.string()).c_str()),
                       std::runtime_error);
  CHECK(store::test::read_bytes(file) == "x");
  CHECK_THROWS_WITH_AS(store::Snapshot::open("/proc/kiosk-no-such/state.db"),
                       doctest::Contains("cannot create snapshot database /proc/kiosk-no-such/state.db"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(store::Snapshot::open(dir.path()), doctest::Contains("is a directory"), std::runtime_error);
}

TEST_CASE("timings for 10,000 rows") {
  using Clock = std::chrono::steady_clock;
  const auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  TempDir dir;
  const fs::path path = dir / "state.db";
  std::vector<store::Row> latest;
  std::vector<store::HistoryRow> history;
  for (int i = 0; i < 10'000; ++i) {
    latest.push_back({"space-" + std::to_string(i), presence(i % 2 == 0, kT0 + i)});
    history.push_back({"space-" + std::to_string(i), presence(i % 2 == 0, kT0 + i)});
  }
  double insert_latest = 0, append_history = 0, update_both = 0;
  {
    auto db = store::Snapshot::open(path);
    auto t = Clock::now();
    db->write(latest, {});
    insert_latest = ms(Clock::now() - t);
    t = Clock::now();
    db->write({}, history);
    append_history = ms(Clock::now() - t);
    for (auto& row : latest) row.reading.occupied = !row.reading.occupied;
    t = Clock::now();
    db->write(latest, history);
    update_both = ms(Clock::now() - t);
  }
  auto t = Clock::now();
  auto db = store::Snapshot::open(path);  // includes quick_check
  const double open = ms(Clock::now() - t);
  t = Clock::now();
  const auto rows = db->load_latest();
  const double load = ms(Clock::now() - t);
  CHECK(rows.size() == 10'000);
  CHECK(load < 1000.0);  // "start from the snapshot in well under a second", with a wide margin
  MESSAGE("10,000 rows: commit latest " << insert_latest << " ms, commit history " << append_history
                                        << " ms, commit 10k latest + 10k history " << update_both << " ms; open "
                                        << open << " ms; load_latest " << load << " ms");
}

TEST_CASE("board cache: spaces and names round trip, replaced whole") {
  TempDir dir;
  auto db = store::Snapshot::open(dir / "state.db");
  CHECK(db->load_board().spaces.empty());
  core::Space nap;
  nap.id = "u-nap";
  nap.name = {{"fr", "Salle de sieste Nord"}, {"en", "Nap room North"}};
  nap.kind = core::SpaceKind::Nap;
  nap.level_ordinal = -1;
  nap.level_name = {{"fr", "Sous-sol"}};
  nap.seats = 4;
  nap.capacity = 4;
  nap.equipment = {"blackout", "shower"};
  core::Space odd;
  odd.id = "u-odd";
  odd.name = {{"fr", std::string("Salle\x1E\x1F Œ")}};  // our separators inside a name
  db->save_board({nap, odd}, {{"venue_name", store::encode_labels({{"fr", "Campus"}})}});
  db.reset();

  auto again = store::Snapshot::open(dir / "state.db");
  store::BoardCache cache = again->load_board();
  REQUIRE(cache.spaces.size() == 2);
  const core::Space& n = cache.spaces[0];
  CHECK(n.id == "u-nap");
  CHECK(n.name.pick("en") == "Nap room North");
  CHECK(n.name.pick("fr") == "Salle de sieste Nord");
  CHECK(n.kind == core::SpaceKind::Nap);
  CHECK(n.level_ordinal == -1);
  CHECK(n.level_name.pick("fr") == "Sous-sol");
  CHECK(n.seats == 4);
  CHECK(n.equipment == std::vector<std::string>{"blackout", "shower"});
  CHECK(cache.spaces[1].name.pick("fr") == "Salle   Œ");
  CHECK(store::decode_labels(cache.meta["venue_name"]).pick("fr") == "Campus");

  again->save_board({odd}, {});
  CHECK(again->load_board().spaces.size() == 1);
  CHECK(again->load_board().meta.empty());
}

TEST_CASE("a version 1 file gains the board cache and keeps its rows") {
  TempDir dir;
  const fs::path path = dir / "v1.db";
  {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &h) == SQLITE_OK);
    const char* v1 =
        "CREATE TABLE latest(space_id TEXT PRIMARY KEY, kind INTEGER, occupied INTEGER, count INTEGER, "
        "observed_ms INTEGER, ttl_s INTEGER);"
        "CREATE TABLE history(id INTEGER PRIMARY KEY, space_id TEXT, kind INTEGER, occupied INTEGER, "
        "count INTEGER, observed_ms INTEGER, ttl_s INTEGER);"
        "INSERT INTO latest VALUES('r1', 0, 1, 0, 1764000000000, 600);"
        "PRAGMA user_version = 1;";
    REQUIRE(sqlite3_exec(h, v1, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);
  }
  store::OpenReport report;
  auto db = store::Snapshot::open(path, &report);
  CHECK_FALSE(report.recovered);
  REQUIRE(db->load_latest().size() == 1);
  CHECK(db->load_latest()[0].reading.occupied);
  CHECK(db->load_board().spaces.empty());
  Conn c(path);
  CHECK(c.integer("PRAGMA user_version") == 3);
}
