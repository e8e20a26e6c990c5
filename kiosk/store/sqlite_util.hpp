// Internal to store/: the RAII handles and statement helpers every part of the snapshot shares, and
// the private state of a connection (Snapshot::Impl). Only the .cpp files of this folder include it,
// so sqlite3.h stays out of every other module.
#pragma once
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "store/snapshot.hpp"

namespace kiosk::store::detail {

constexpr int kBusyTimeoutMs = 1000;  // the store thread may wait; the UI never does

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

[[noreturn]] inline void fail(sqlite3* db, int rc, const std::string& what) {
  const int code = db ? sqlite3_extended_errcode(db) : rc;
  throw Error(code, what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

inline void exec(sqlite3* db, const char* sql, const std::string& what) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, what);
}

inline Stmt prepare(sqlite3* db, const char* sql, const std::string& what) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  Stmt stmt(raw);
  if (rc != SQLITE_OK) fail(db, rc, what);
  return stmt;
}

inline void step_done(sqlite3* db, sqlite3_stmt* s, const std::string& what) {
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) fail(db, rc, what);
}

// Every row of a PRAGMA check joined by newlines: "ok" when the file is sound.
inline std::string run_check(sqlite3* db, const char* pragma, const std::string& what) {
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

inline long long pragma_int(sqlite3* db, const char* pragma, const std::string& what) {
  Stmt s = prepare(db, pragma, what);
  const int rc = sqlite3_step(s.get());
  if (rc != SQLITE_ROW) fail(db, rc, what);
  return sqlite3_column_int64(s.get(), 0);
}

inline void bind_row(sqlite3_stmt* s, const std::string& space_id, const core::Reading& r) {
  sqlite3_bind_text(s, 1, space_id.data(), static_cast<int>(space_id.size()), SQLITE_STATIC);
  sqlite3_bind_int(s, 2, r.kind == core::Reading::Kind::Count ? 1 : 0);
  sqlite3_bind_int(s, 3, r.occupied ? 1 : 0);
  sqlite3_bind_int(s, 4, r.count);
  sqlite3_bind_int64(s, 5, core::to_unix_ms(r.observed));
  sqlite3_bind_int64(s, 6, r.ttl.count());
}

// Columns space_id, kind, occupied, count, observed_ms, ttl_s. False for a row that cannot be
// trusted (no id, unknown kind): it is skipped rather than shown.
inline bool read_row(sqlite3_stmt* s, std::string& space_id, core::Reading& r) {
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
inline void bind_motion(sqlite3_stmt* s, const core::Reading& r) {
  if (r.hold.count() <= 0) return;  // unbound parameters are NULL
  sqlite3_bind_int64(s, 7, r.hold.count());
  if (r.last_motion) sqlite3_bind_int64(s, 8, core::to_unix_ms(*r.last_motion));
}

// Columns hold_s and last_motion_ms at `first`, `first` + 1. A negative hold cannot be ours: no hold.
inline void read_motion(sqlite3_stmt* s, int first, core::Reading& r) {
  r.hold = std::chrono::seconds(std::max<long long>(0, sqlite3_column_int64(s, first)));
  r.last_motion.reset();
  if (r.hold.count() > 0 && sqlite3_column_type(s, first + 1) != SQLITE_NULL)
    r.last_motion = core::from_unix_ms(sqlite3_column_int64(s, first + 1));
}

}  // namespace kiosk::store::detail

namespace kiosk::store {

// The connection and its prepared statements. Opened in open.cpp, configured (pragmas, schema,
// statements) in schema.cpp, used by writes.cpp and board_cache.cpp.
struct Snapshot::Impl {
  std::filesystem::path path;
  std::string where;  // "snapshot database <path>", for messages
  detail::Db db;      // declared before the statements: they are finalized first
  detail::Stmt begin, commit, rollback, upsert, insert_history, select_latest, select_history, prune, trim;

  static std::unique_ptr<Impl> connect(const std::filesystem::path& path, int flags, const OpenOptions& options,
                                       sqlite3** out_db, int* out_rc);
  static std::unique_ptr<Impl> open_existing(const std::filesystem::path& path, const OpenOptions& options,
                                             std::string* note);
  static std::unique_ptr<Impl> create_fresh(const std::filesystem::path& path, const OpenOptions& options,
                                            std::string* note);

  // Pragmas, schema creation or migration, statements. Throws Incompatible when the file is a sound
  // database that this build cannot use, Error otherwise.
  void configure(std::string* note);
  // The schema version, or Incompatible for a file from a newer build or another program's database
  // (tables but no version: adding ours to it would be meddling).
  long long check_version();
  // Read-only connections: the version must be this build's; only the read statements.
  void prepare_reads();
  void migrate(long long version);
};

}  // namespace kiosk::store
