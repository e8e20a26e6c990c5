// [SECTION] schema (the layout, version by version)  [SECTION] configure (pragmas, statements)
// [SECTION] migrations
// Everything that decides what the file holds: a new column or table changes only this file.
#include <cstring>

#include "store/sqlite_util.hpp"

namespace kiosk::store {
using namespace detail;

// [SECTION] schema ----------------------------------------------------------------------------
// Version 1 (PRAGMA user_version = 1):
//   latest (space_id TEXT PRIMARY KEY, kind INTEGER, occupied INTEGER, count INTEGER,
//           observed_ms INTEGER, ttl_s INTEGER)           one row per space, upserted
//   history(id INTEGER PRIMARY KEY, space_id TEXT, kind INTEGER, occupied INTEGER, count INTEGER,
//           observed_ms INTEGER, ttl_s INTEGER)           one row per change, appended
//   INDEX history_space_time ON history(space_id, observed_ms)
// kind: 0 presence, 1 count (core::Reading::Kind); occupied: 0/1; observed_ms: Unix time in ms (UTC);
// ttl_s: seconds. Pragmas on every open: journal_mode=WAL, synchronous=NORMAL (a commit survives a
// process crash; a power cut may lose the last few), busy_timeout, journal_size_limit.
// Version 2 adds the board cache, so a panel can draw its first frame before its map is parsed:
//   board(idx INTEGER PRIMARY KEY, space_id TEXT, kind INTEGER, level INTEGER, level_name TEXT,
//         name TEXT, capacity INTEGER, seats INTEGER, equipment TEXT)    the spaces, in board order
//   meta (key TEXT PRIMARY KEY, value TEXT)                             venue and place names
// Labels are stored as "lang\x1Ftext" entries joined by \x1E; equipment words joined by \x1E.
// Version 3 adds a motion sensor's hold to latest, so a restart keeps a space held after a "vacant":
//   latest + (hold_s INTEGER, last_motion_ms INTEGER)   both NULL without a hold (core::Reading::hold)
// History keeps the sensors' own values; the hold is a display rule, not a change of state.
// Migrations: version N adds `if (version < N) { ... }` to migrate(), inside the transaction that
// sets user_version = N. A file written by a newer build is moved aside, never altered.
namespace {

constexpr int kSchemaVersion = 3;
constexpr long long kJournalSizeLimit = 4 * 1024 * 1024;  // shrink the -wal back after a big batch

constexpr const char* kCreateSchema = R"sql(
CREATE TABLE IF NOT EXISTS latest(
  space_id TEXT PRIMARY KEY, kind INTEGER, occupied INTEGER, count INTEGER,
  observed_ms INTEGER, ttl_s INTEGER, hold_s INTEGER, last_motion_ms INTEGER);
CREATE TABLE IF NOT EXISTS history(
  id INTEGER PRIMARY KEY, space_id TEXT, kind INTEGER, occupied INTEGER, count INTEGER,
  observed_ms INTEGER, ttl_s INTEGER);
CREATE INDEX IF NOT EXISTS history_space_time ON history(space_id, observed_ms);
CREATE TABLE IF NOT EXISTS board(
  idx INTEGER PRIMARY KEY, space_id TEXT, kind INTEGER, level INTEGER, level_name TEXT, name TEXT,
  capacity INTEGER, seats INTEGER, equipment TEXT);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
)sql";

constexpr const char* kUpsertLatest =
    "INSERT INTO latest(space_id, kind, occupied, count, observed_ms, ttl_s, hold_s, last_motion_ms) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT(space_id) DO UPDATE SET kind = excluded.kind, occupied = excluded.occupied, "
    "count = excluded.count, observed_ms = excluded.observed_ms, ttl_s = excluded.ttl_s, "
    "hold_s = excluded.hold_s, last_motion_ms = excluded.last_motion_ms";
constexpr const char* kInsertHistory =
    "INSERT INTO history(space_id, kind, occupied, count, observed_ms, ttl_s) VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
constexpr const char* kSelectLatest =
    "SELECT space_id, kind, occupied, count, observed_ms, ttl_s, hold_s, last_motion_ms FROM latest "
    "ORDER BY space_id";
constexpr const char* kSelectHistory =
    "SELECT space_id, kind, occupied, count, observed_ms, ttl_s FROM history WHERE space_id = ?1 "
    "ORDER BY observed_ms DESC, id DESC LIMIT ?2";
constexpr const char* kPruneHistory = "DELETE FROM history WHERE observed_ms < ?1";
// Oldest first, a bounded batch per call, so the store thread never holds a long transaction:
// rows older than ?1, or beyond the newest ?2 rows (ids only grow: INTEGER PRIMARY KEY, no deletes at the top).
constexpr const char* kTrimHistory =
    "DELETE FROM history WHERE id IN (SELECT id FROM history WHERE observed_ms < ?1 "
    "OR id <= (SELECT max(id) FROM history) - ?2 ORDER BY id LIMIT ?3)";
}  // namespace

// [SECTION] configure -------------------------------------------------------------------------
void Snapshot::Impl::configure(std::string* note) {
  sqlite3* h = db.get();
  sqlite3_busy_timeout(h, kBusyTimeoutMs);
  const long long version = check_version();  // before anything changes the file
  {
    Stmt s = prepare(h, "PRAGMA journal_mode=WAL", where + ": cannot set WAL mode");
    if (sqlite3_step(s.get()) != SQLITE_ROW) fail(h, sqlite3_errcode(h), where + ": cannot set WAL mode");
    const auto* mode = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
    if (note && (!mode || std::strcmp(mode, "wal") != 0))
      *note = "WAL mode unavailable on this file system (journal_mode=" + std::string(mode ? mode : "?") + ")";
  }
  exec(h, "PRAGMA synchronous=NORMAL", where + ": cannot set synchronous");
  // 512 KiB of page cache instead of 2 MiB: the panel reads the file once at start and then only
  // appends; a big cache would only hold pages it never reads again (1 GB boards count every MB).
  exec(h, "PRAGMA cache_size=-512", where + ": cannot set cache_size");
  exec(h, ("PRAGMA journal_size_limit=" + std::to_string(kJournalSizeLimit)).c_str(), where);
  if (version < kSchemaVersion) migrate(version);
  const auto prepare_own = [&](const char* sql) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    Stmt stmt(raw);
    if (rc == SQLITE_ERROR)  // "no such column": tables of the same name, another layout
      throw Incompatible("its tables do not have the expected columns (" + std::string(sqlite3_errmsg(h)) + ")");
    if (rc != SQLITE_OK) fail(h, rc, where + ": cannot prepare statements");
    return stmt;
  };
  begin = prepare_own("BEGIN IMMEDIATE");
  commit = prepare_own("COMMIT");
  rollback = prepare_own("ROLLBACK");
  upsert = prepare_own(kUpsertLatest);
  insert_history = prepare_own(kInsertHistory);
  select_latest = prepare_own(kSelectLatest);
  select_history = prepare_own(kSelectHistory);
  prune = prepare_own(kPruneHistory);
  trim = prepare_own(kTrimHistory);
}

void Snapshot::Impl::prepare_reads() {
  sqlite3* h = db.get();
  const long long version = pragma_int(h, "PRAGMA user_version", where + ": cannot read user_version");
  if (version != kSchemaVersion)
    throw std::runtime_error(where + ": schema version " + std::to_string(version) + ", this build reads " +
                             std::to_string(kSchemaVersion) + " only when it can write the file");
  select_latest = prepare(h, kSelectLatest, where + ": cannot prepare reads");
  select_history = prepare(h, kSelectHistory, where + ": cannot prepare reads");
}

// [SECTION] migrations ------------------------------------------------------------------------
// The schema version, or Incompatible for a file from a newer build or another program's database
// (tables but no version: adding ours to it would be meddling).
long long Snapshot::Impl::check_version() {
  sqlite3* h = db.get();
  const long long version = pragma_int(h, "PRAGMA user_version", where + ": cannot read user_version");
  if (version > kSchemaVersion)
    throw Incompatible("it was written by a newer kiosk (schema version " + std::to_string(version) +
                       ", this build knows " + std::to_string(kSchemaVersion) + ")");
  if (version == 0 && pragma_int(h, "SELECT count(*) FROM sqlite_schema", where + ": cannot read the schema") > 0)
    throw Incompatible("it holds tables but no kiosk schema version (another program's database?)");
  return version;
}

void Snapshot::Impl::migrate(long long version) {
  sqlite3* h = db.get();
  exec(h, "BEGIN IMMEDIATE", where + ": cannot start the schema transaction");
  try {
    // 1 or 2 -> 3: the latest table predates the hold columns (NULL in old rows: no hold).
    constexpr const char* kAddHold =
        "ALTER TABLE latest ADD COLUMN hold_s INTEGER; ALTER TABLE latest ADD COLUMN last_motion_ms INTEGER";
    if (version >= 1 && version < 3 && sqlite3_exec(h, kAddHold, nullptr, nullptr, nullptr) != SQLITE_OK) {
      if ((sqlite3_extended_errcode(h) & 0xff) != SQLITE_ERROR)
        fail(h, SQLITE_ERROR, where + ": cannot add the hold columns");
      // No latest table, or one already holding such columns: not the layout its version says.
      throw Incompatible("its latest table cannot take the hold columns (" + std::string(sqlite3_errmsg(h)) + ")");
    }
    exec(h, kCreateSchema, where + ": cannot create the schema");  // the rest: IF NOT EXISTS
    exec(h, ("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str(), where + ": cannot set user_version");
    exec(h, "COMMIT", where + ": cannot commit the schema");
  } catch (...) {
    if (!sqlite3_get_autocommit(h)) sqlite3_exec(h, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}
}  // namespace kiosk::store
