// [SECTION] schema  [SECTION] helpers  [SECTION] open / recovery  [SECTION] reads and writes  [SECTION] board cache
// One file past 500 lines on purpose: every statement shares the connection's private Impl and helpers.
#include "store/snapshot.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <limits>
#include <system_error>

namespace kiosk::store {
namespace fs = std::filesystem;

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
constexpr int kBusyTimeoutMs = 1000;                    // the store thread may wait; the UI never does
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

// [SECTION] helpers ---------------------------------------------------------------------------
struct DbClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, DbClose>;
struct StmtFinalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

// Resets a reused statement however the scope is left, so it never holds a read transaction open.
struct Using {
  sqlite3_stmt* s;
  ~Using() {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
};

// The file is damaged: move it aside. The file is fine but this build cannot use it: move it aside too.
struct Damaged : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Incompatible : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(sqlite3* db, int rc, const std::string& what) {
  const int code = db ? sqlite3_extended_errcode(db) : rc;
  throw Error(code, what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

void exec(sqlite3* db, const char* sql, const std::string& what) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, what);
}

Stmt prepare(sqlite3* db, const char* sql, const std::string& what) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  Stmt stmt(raw);
  if (rc != SQLITE_OK) fail(db, rc, what);
  return stmt;
}

void step_done(sqlite3* db, sqlite3_stmt* s, const std::string& what) {
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) fail(db, rc, what);
}

// Every row of a PRAGMA check joined by newlines: "ok" when the file is sound.
std::string run_check(sqlite3* db, const char* pragma, const std::string& what) {
  Stmt s = prepare(db, pragma, what);
  std::string out;
  for (;;) {
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail(db, rc, what);
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
    if (!out.empty()) out += '\n';
    out += text ? text : "";
  }
  return out;
}

long long pragma_int(sqlite3* db, const char* pragma, const std::string& what) {
  Stmt s = prepare(db, pragma, what);
  const int rc = sqlite3_step(s.get());
  if (rc != SQLITE_ROW) fail(db, rc, what);
  return sqlite3_column_int64(s.get(), 0);
}

void bind_row(sqlite3_stmt* s, const std::string& space_id, const core::Reading& r) {
  sqlite3_bind_text(s, 1, space_id.data(), static_cast<int>(space_id.size()), SQLITE_STATIC);
  sqlite3_bind_int(s, 2, r.kind == core::Reading::Kind::Count ? 1 : 0);
  sqlite3_bind_int(s, 3, r.occupied ? 1 : 0);
  sqlite3_bind_int(s, 4, r.count);
  sqlite3_bind_int64(s, 5, core::to_unix_ms(r.observed));
  sqlite3_bind_int64(s, 6, r.ttl.count());
}

// Columns space_id, kind, occupied, count, observed_ms, ttl_s. False for a row that cannot be
// trusted (no id, unknown kind): it is skipped rather than shown.
bool read_row(sqlite3_stmt* s, std::string& space_id, core::Reading& r) {
  const auto* id = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  const long long kind = sqlite3_column_int64(s, 1);
  if (!id || (kind != 0 && kind != 1)) return false;
  space_id.assign(id, static_cast<std::size_t>(sqlite3_column_bytes(s, 0)));
  r.kind = kind == 1 ? core::Reading::Kind::Count : core::Reading::Kind::Presence;
  r.occupied = sqlite3_column_int64(s, 2) != 0;
  const long long count = sqlite3_column_int64(s, 3);
  r.count = static_cast<std::int32_t>(std::clamp<long long>(count, std::numeric_limits<std::int32_t>::min(),
                                                             std::numeric_limits<std::int32_t>::max()));
  r.observed = core::from_unix_ms(sqlite3_column_int64(s, 4));
  r.ttl = std::chrono::seconds(sqlite3_column_int64(s, 5));
  return true;
}

// latest only: columns 7 and 8 (NULL without a hold, so rows of readings without one look as before).
void bind_motion(sqlite3_stmt* s, const core::Reading& r) {
  if (r.hold.count() <= 0) return;  // unbound parameters are NULL
  sqlite3_bind_int64(s, 7, r.hold.count());
  if (r.last_motion) sqlite3_bind_int64(s, 8, core::to_unix_ms(*r.last_motion));
}

// Columns hold_s and last_motion_ms at `first`, `first` + 1. A negative hold cannot be ours: no hold.
void read_motion(sqlite3_stmt* s, int first, core::Reading& r) {
  r.hold = std::chrono::seconds(std::max<long long>(0, sqlite3_column_int64(s, first)));
  r.last_motion.reset();
  if (r.hold.count() > 0 && sqlite3_column_type(s, first + 1) != SQLITE_NULL)
    r.last_motion = core::from_unix_ms(sqlite3_column_int64(s, first + 1));
}

std::string local_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &local);
  return buf;
}

fs::path with_suffix(const fs::path& p, const char* suffix) { return fs::path(p.string() + suffix); }

// Renames the file and its companions to "<path>.corrupt-<stamp>[-N]"; never deletes anything.
fs::path move_aside(const fs::path& path) {
  const std::string base = path.string() + ".corrupt-" + local_stamp();
  fs::path target = base;
  std::error_code ec;
  for (int n = 2; fs::exists(target, ec) || fs::exists(with_suffix(target, "-wal"), ec); ++n)
    target = base + "-" + std::to_string(n);
  fs::rename(path, target, ec);
  if (ec)
    throw std::runtime_error("snapshot database " + path.string() + " is damaged and could not be moved aside to " +
                             target.string() + " (" + ec.message() + "); move it away by hand");
  // The old -wal must not meet the fresh file: a stale log next to a new database is a hazard.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    const fs::path companion = with_suffix(path, suffix);
    if (!fs::exists(companion, ec)) continue;
    fs::rename(companion, with_suffix(target, suffix), ec);
    if (ec)
      throw std::runtime_error("snapshot database " + path.string() + " was moved aside to " + target.string() +
                               " but its " + suffix + " file could not follow (" + ec.message() +
                               "); move " + companion.string() + " away by hand");
  }
  return target;
}

// Why a file could not be created, in words a person can act on.
std::string explain_cannot_create(const fs::path& path) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::exists(dir, ec)) return dir.string() + " does not exist";
  if (!fs::is_directory(dir, ec)) return dir.string() + " is not a directory";
  if (::access(dir.c_str(), W_OK) != 0) return "directory " + dir.string() + " is not writable (" + std::strerror(errno) + ")";
  return "check the path and its permissions";
}

}  // namespace

bool Error::corrupt() const {
  const int primary = code_ & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}
bool Error::busy() const {
  const int primary = code_ & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// [SECTION] open / recovery -------------------------------------------------------------------
struct Snapshot::Impl {
  fs::path path;
  std::string where;  // "snapshot database <path>", for messages
  Db db;              // declared before the statements: they are finalized first
  Stmt begin, commit, rollback, upsert, insert_history, select_latest, select_history, prune, trim;

  static std::unique_ptr<Impl> connect(const fs::path& path, int flags, sqlite3** out_db, int* out_rc);
  static std::unique_ptr<Impl> open_existing(const fs::path& path, std::string* note);
  static std::unique_ptr<Impl> create_fresh(const fs::path& path, std::string* note);

  // Pragmas, schema creation or migration, statements. Throws Incompatible when the file is a sound
  // database that this build cannot use, Error otherwise.
  void configure(std::string* note) {
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

  // The schema version, or Incompatible for a file from a newer build or another program's database
  // (tables but no version: adding ours to it would be meddling).
  long long check_version() {
    sqlite3* h = db.get();
    const long long version = pragma_int(h, "PRAGMA user_version", where + ": cannot read user_version");
    if (version > kSchemaVersion)
      throw Incompatible("it was written by a newer kiosk (schema version " + std::to_string(version) +
                         ", this build knows " + std::to_string(kSchemaVersion) + ")");
    if (version == 0 && pragma_int(h, "SELECT count(*) FROM sqlite_schema", where + ": cannot read the schema") > 0)
      throw Incompatible("it holds tables but no kiosk schema version (another program's database?)");
    return version;
  }

  void migrate(long long version) {
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
};

std::unique_ptr<Snapshot::Impl> Snapshot::Impl::connect(const fs::path& path, int flags, sqlite3** out_rc_db,
                                                        int* out_rc) {
  auto impl = std::make_unique<Snapshot::Impl>();
  impl->path = path;
  impl->where = "snapshot database " + path.string();
  sqlite3* raw = nullptr;
  *out_rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  impl->db.reset(raw);
  *out_rc_db = raw;
  return impl;
}

// An existing file: check it before anything writes to it. Throws Damaged or Incompatible (move it
// aside) or std::runtime_error (leave it alone and tell the caller).
std::unique_ptr<Snapshot::Impl> Snapshot::Impl::open_existing(const fs::path& path, std::string* note) {
  sqlite3* h = nullptr;
  int rc = SQLITE_OK;
  auto impl = connect(path, SQLITE_OPEN_READWRITE, &h, &rc);
  const std::string untouched = " (the file was left untouched)";
  if (rc != SQLITE_OK)
    throw std::runtime_error("cannot open " + impl->where + ": " + (h ? sqlite3_errmsg(h) : sqlite3_errstr(rc)) +
                             untouched);
  if (sqlite3_db_readonly(h, "main") == 1)
    throw std::runtime_error("cannot open " + impl->where + ": the file is not writable" + untouched);
  // Until the file is known good, closing must not checkpoint a -wal into it.
  sqlite3_db_config(h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_busy_timeout(h, kBusyTimeoutMs);
  try {
    const std::string verdict = run_check(h, "PRAGMA quick_check", impl->where + ": quick_check failed");
    if (verdict != "ok") throw Damaged("PRAGMA quick_check reported: " + verdict.substr(0, 300));
    impl->configure(note);
  } catch (const Error& e) {
    if (e.corrupt()) throw Damaged(e.what());
    throw std::runtime_error(std::string(e.what()) + untouched);
  }
  sqlite3_db_config(h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
  return impl;
}

std::unique_ptr<Snapshot::Impl> Snapshot::Impl::create_fresh(const fs::path& path, std::string* note) {
  sqlite3* h = nullptr;
  int rc = SQLITE_OK;
  auto impl = connect(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &h, &rc);
  const std::string head = "cannot create " + impl->where + ": ";
  if (rc != SQLITE_OK)
    throw std::runtime_error(head + (h ? sqlite3_errmsg(h) : sqlite3_errstr(rc)) + "; " + explain_cannot_create(path));
  try {
    impl->configure(note);
  } catch (const std::exception& e) {
    throw std::runtime_error(head + e.what() + "; " + explain_cannot_create(path));
  }
  return impl;
}

std::unique_ptr<Snapshot> Snapshot::open(const fs::path& path, OpenReport* report) {
  OpenReport local;
  OpenReport& rep = report ? *report : local;
  rep = OpenReport{};
  std::error_code ec;
  if (path.has_parent_path() && !fs::is_directory(path.parent_path(), ec)) {
    fs::create_directories(path.parent_path(), ec);
    if (ec)
      throw std::runtime_error("cannot create snapshot database " + path.string() + ": its directory " +
                               path.parent_path().string() + " cannot be created (" + ec.message() + ")");
  }
  if (fs::is_directory(path, ec))
    throw std::runtime_error("cannot open snapshot database " + path.string() + ": it is a directory");

  std::string note;
  if (fs::exists(path, ec)) {
    std::string reason;
    try {
      return std::unique_ptr<Snapshot>(new Snapshot(Impl::open_existing(path, &note)));
    } catch (const Damaged& e) {
      reason = std::string("it is damaged: ") + e.what();
    } catch (const Incompatible& e) {
      reason = std::string("it cannot be used: ") + e.what();
    }
    const fs::path moved = move_aside(path);  // the connection is closed by now
    rep.recovered = true;
    rep.moved_to = moved.string();
    rep.message = "snapshot database " + path.string() + " was moved aside to " + moved.string() + " because " +
                  reason + ". A fresh one was created; the panel refills it from live sensor data. Keep the " +
                  "moved file for diagnosis, or delete it.";
  }
  auto snapshot = std::unique_ptr<Snapshot>(new Snapshot(Impl::create_fresh(path, &note)));
  if (!note.empty()) rep.message += (rep.message.empty() ? "" : " ") + note;
  return snapshot;
}

Snapshot::Snapshot(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Snapshot::~Snapshot() = default;

const fs::path& Snapshot::path() const { return impl_->path; }

// [SECTION] reads and writes ------------------------------------------------------------------
std::vector<Row> Snapshot::load_latest() {
  sqlite3* h = impl_->db.get();
  sqlite3_stmt* s = impl_->select_latest.get();
  Using use{s};
  std::vector<Row> rows;
  Row row;
  for (;;) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail(h, rc, impl_->where + ": cannot read latest");
    if (!read_row(s, row.space_id, row.reading)) continue;
    read_motion(s, 6, row.reading);
    rows.push_back(row);
  }
  return rows;
}

std::vector<HistoryRow> Snapshot::history(std::string_view space_id, std::size_t limit) {
  std::vector<HistoryRow> rows;
  if (limit == 0) return rows;
  sqlite3* h = impl_->db.get();
  sqlite3_stmt* s = impl_->select_history.get();
  Using use{s};
  sqlite3_bind_text(s, 1, space_id.data(), static_cast<int>(space_id.size()), SQLITE_STATIC);
  const auto max = static_cast<std::size_t>(std::numeric_limits<sqlite3_int64>::max());
  sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(std::min(limit, max)));
  HistoryRow row;
  for (;;) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail(h, rc, impl_->where + ": cannot read history");
    if (read_row(s, row.space_id, row.reading)) rows.push_back(row);
  }
  return rows;
}

void Snapshot::write(const std::vector<Row>& latest, const std::vector<HistoryRow>& history) {
  if (latest.empty() && history.empty()) return;
  sqlite3* h = impl_->db.get();
  const std::string& where = impl_->where;
  {
    Using use{impl_->begin.get()};
    step_done(h, impl_->begin.get(), where + ": cannot begin a write");
  }
  try {
    sqlite3_stmt* upsert = impl_->upsert.get();
    for (const Row& row : latest) {
      Using use{upsert};
      bind_row(upsert, row.space_id, row.reading);
      bind_motion(upsert, row.reading);
      step_done(h, upsert, where + ": cannot write latest");
    }
    sqlite3_stmt* insert = impl_->insert_history.get();
    for (const HistoryRow& row : history) {
      Using use{insert};
      bind_row(insert, row.space_id, row.reading);
      step_done(h, insert, where + ": cannot append history");
    }
    Using use{impl_->commit.get()};
    step_done(h, impl_->commit.get(), where + ": cannot commit");
  } catch (...) {
    // SQLite may already have rolled back (disk full, I/O error); otherwise undo the partial batch.
    if (!sqlite3_get_autocommit(h)) {
      Using use{impl_->rollback.get()};
      sqlite3_step(impl_->rollback.get());
    }
    throw;
  }
}

std::string Snapshot::integrity_check() {
  try {
    return run_check(impl_->db.get(), "PRAGMA integrity_check", impl_->where + ": integrity_check failed");
  } catch (const Error& e) {
    return e.what();
  }
}

std::size_t Snapshot::prune_history(core::TimePoint before) {
  sqlite3* h = impl_->db.get();
  sqlite3_stmt* s = impl_->prune.get();
  Using use{s};
  sqlite3_bind_int64(s, 1, core::to_unix_ms(before));
  step_done(h, s, impl_->where + ": cannot prune history");
  return static_cast<std::size_t>(sqlite3_changes64(h));
}

std::size_t Snapshot::trim_history(core::TimePoint before, std::size_t max_rows, std::size_t batch) {
  sqlite3* h = impl_->db.get();
  sqlite3_stmt* s = impl_->trim.get();
  Using use{s};
  sqlite3_bind_int64(s, 1, core::to_unix_ms(before));
  sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(max_rows));
  sqlite3_bind_int64(s, 3, static_cast<sqlite3_int64>(batch));
  step_done(h, s, impl_->where + ": cannot trim history");
  return static_cast<std::size_t>(sqlite3_changes64(h));
}

// [SECTION] board cache ------------------------------------------------------------------------

namespace {
constexpr char kUnit = '\x1F', kRecord = '\x1E';

std::string clean(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == kUnit || c == kRecord) c = ' ';
  return out;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  if (text.empty()) return parts;
  for (std::size_t start = 0;;) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

std::string column_text(sqlite3_stmt* s, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, column))) : std::string();
}
}  // namespace

std::string encode_labels(const core::Labels& labels) {
  std::string out;
  for (const auto& [lang, text] : labels.entries()) {
    if (!out.empty()) out += kRecord;
    out += clean(lang) + kUnit + clean(text);
  }
  return out;
}

core::Labels decode_labels(std::string_view encoded) {
  core::Labels labels;
  for (std::string_view entry : split(encoded, kRecord)) {
    std::size_t unit = entry.find(kUnit);
    if (unit == std::string_view::npos) continue;
    labels.set(std::string(entry.substr(0, unit)), std::string(entry.substr(unit + 1)));
  }
  return labels;
}

void Snapshot::save_board(const std::vector<core::Space>& spaces, const std::map<std::string, std::string>& meta) {
  sqlite3* h = impl_->db.get();
  const std::string& where = impl_->where;
  exec(h, "BEGIN IMMEDIATE", where + ": cannot begin the board cache");
  try {
    exec(h, "DELETE FROM board; DELETE FROM meta", where + ": cannot clear the board cache");
    Stmt insert = prepare(h,
                          "INSERT INTO board(idx, space_id, kind, level, level_name, name, capacity, seats, "
                          "equipment) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                          where + ": cannot prepare the board cache");
    for (std::size_t i = 0; i < spaces.size(); ++i) {
      const core::Space& space = spaces[i];
      std::string equipment;
      for (const std::string& word : space.equipment) {
        if (!equipment.empty()) equipment += kRecord;
        equipment += clean(word);
      }
      std::string level_name = encode_labels(space.level_name), name = encode_labels(space.name);
      sqlite3_stmt* s = insert.get();
      Using use{s};
      sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(i));
      sqlite3_bind_text(s, 2, space.id.data(), static_cast<int>(space.id.size()), SQLITE_STATIC);
      sqlite3_bind_int(s, 3, static_cast<int>(space.kind));
      sqlite3_bind_int(s, 4, space.level_ordinal);
      sqlite3_bind_text(s, 5, level_name.data(), static_cast<int>(level_name.size()), SQLITE_STATIC);
      sqlite3_bind_text(s, 6, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
      sqlite3_bind_int(s, 7, space.capacity);
      sqlite3_bind_int(s, 8, space.seats);
      sqlite3_bind_text(s, 9, equipment.data(), static_cast<int>(equipment.size()), SQLITE_STATIC);
      step_done(h, s, where + ": cannot write the board cache");
    }
    Stmt put = prepare(h, "INSERT INTO meta(key, value) VALUES(?1, ?2)", where + ": cannot prepare the board cache");
    for (const auto& [key, value] : meta) {
      Using use{put.get()};
      sqlite3_bind_text(put.get(), 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
      sqlite3_bind_text(put.get(), 2, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
      step_done(h, put.get(), where + ": cannot write the board cache");
    }
    exec(h, "COMMIT", where + ": cannot commit the board cache");
  } catch (...) {
    if (!sqlite3_get_autocommit(h)) sqlite3_exec(h, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

BoardCache Snapshot::load_board() {
  sqlite3* h = impl_->db.get();
  const std::string& where = impl_->where;
  BoardCache cache;
  Stmt rows = prepare(h,
                      "SELECT space_id, kind, level, level_name, name, capacity, seats, equipment FROM board "
                      "ORDER BY idx",
                      where + ": cannot read the board cache");
  for (int rc; (rc = sqlite3_step(rows.get())) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) fail(h, rc, where + ": cannot read the board cache");
    core::Space space;
    space.id = column_text(rows.get(), 0);
    int kind = sqlite3_column_int(rows.get(), 1);
    if (space.id.empty() || kind < 0 || kind >= core::kSpaceKindCount) continue;  // not ours: skip
    space.kind = static_cast<core::SpaceKind>(kind);
    space.level_ordinal = sqlite3_column_int(rows.get(), 2);
    space.level_name = decode_labels(column_text(rows.get(), 3));
    space.name = decode_labels(column_text(rows.get(), 4));
    space.capacity = std::max(0, sqlite3_column_int(rows.get(), 5));
    space.seats = std::max(0, sqlite3_column_int(rows.get(), 6));
    std::string equipment = column_text(rows.get(), 7);
    for (std::string_view word : split(equipment, kRecord)) space.equipment.emplace_back(word);
    cache.spaces.push_back(std::move(space));
  }
  Stmt meta = prepare(h, "SELECT key, value FROM meta", where + ": cannot read the board cache");
  for (int rc; (rc = sqlite3_step(meta.get())) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) fail(h, rc, where + ": cannot read the board cache");
    cache.meta[column_text(meta.get(), 0)] = column_text(meta.get(), 1);
  }
  return cache;
}

}  // namespace kiosk::store
