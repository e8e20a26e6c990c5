// [SECTION] helpers (move aside, explain)  [SECTION] open / recovery
// How a file becomes a connection: checked before anything writes to it, moved aside when damaged,
// created fresh when missing. Every fault met while opening has its home here.
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>

#include "store/sqlite_util.hpp"

namespace kiosk::store {
namespace fs = std::filesystem;
using namespace detail;

// [SECTION] helpers ---------------------------------------------------------------------------
namespace {

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

// Empty for a regular file (through symlinks) or nothing at all; else what is there instead, with
// the fix. A symlink to /dev/null would otherwise "work": every write gone, and a -wal beside it in /dev.
std::string not_a_file(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || status.type() == fs::file_type::not_found || status.type() == fs::file_type::regular) return {};
  const char* kind = status.type() == fs::file_type::directory   ? "a directory"
                     : status.type() == fs::file_type::character ? "a character device"
                     : status.type() == fs::file_type::block     ? "a block device"
                     : status.type() == fs::file_type::fifo      ? "a FIFO"
                     : status.type() == fs::file_type::socket    ? "a socket"
                                                                 : "not a regular file";
  std::string what = std::string("it is ") + kind;
  if (fs::is_symlink(fs::symlink_status(path, ec))) what += " (a symlink to " + fs::read_symlink(path, ec).string() + ")";
  return what + ", not a database file; remove it, or point [panel] snapshot at a file";
}

// Percent-encodes a path for a file: URI (SQLite reads ?, # and % in it as URI syntax).
std::string file_uri(const fs::path& path, const char* query) {
  std::string uri = "file:";
  for (unsigned char c : fs::absolute(path).string()) {
    if (c == '?' || c == '#' || c == '%' || c < 0x20 || c >= 0x7f) {
      static const char* hex = "0123456789ABCDEF";
      uri += '%';
      uri += hex[c >> 4];
      uri += hex[c & 15];
    } else {
      uri += static_cast<char>(c);
    }
  }
  return uri + "?" + query;
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

// [SECTION] open / recovery -------------------------------------------------------------------
bool Error::corrupt() const {
  const int primary = code_ & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}
bool Error::busy() const {
  const int primary = code_ & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

std::unique_ptr<Snapshot::Impl> Snapshot::Impl::connect(const fs::path& path, int flags, const OpenOptions& options,
                                                        sqlite3** out_rc_db, int* out_rc) {
  auto impl = std::make_unique<Snapshot::Impl>();
  impl->path = path;
  impl->where = "snapshot database " + path.string();
  sqlite3* raw = nullptr;
  *out_rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX,
                           options.vfs.empty() ? nullptr : options.vfs.c_str());
  impl->db.reset(raw);
  *out_rc_db = raw;
  return impl;
}

// An existing file: check it before anything writes to it. Throws Damaged or Incompatible (move it
// aside) or std::runtime_error (leave it alone and tell the caller).
std::unique_ptr<Snapshot::Impl> Snapshot::Impl::open_existing(const fs::path& path, const OpenOptions& options,
                                                              std::string* note) {
  sqlite3* h = nullptr;
  int rc = SQLITE_OK;
  auto impl = connect(path, SQLITE_OPEN_READWRITE, options, &h, &rc);
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

std::unique_ptr<Snapshot::Impl> Snapshot::Impl::create_fresh(const fs::path& path, const OpenOptions& options,
                                                             std::string* note) {
  sqlite3* h = nullptr;
  int rc = SQLITE_OK;
  auto impl = connect(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options, &h, &rc);
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

std::unique_ptr<Snapshot> Snapshot::open(const fs::path& path, OpenReport* report, const OpenOptions& options) {
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
  if (std::string what = not_a_file(path); !what.empty())
    throw std::runtime_error("cannot open snapshot database " + path.string() + ": " + what);

  std::string note;
  if (fs::exists(path, ec)) {
    std::string reason;
    try {
      return std::unique_ptr<Snapshot>(new Snapshot(Impl::open_existing(path, options, &note)));
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
  auto snapshot = std::unique_ptr<Snapshot>(new Snapshot(Impl::create_fresh(path, options, &note)));
  if (!note.empty()) rep.message += (rep.message.empty() ? "" : " ") + note;
  return snapshot;
}

std::string location_problem(const fs::path& path) {
  if (std::string what = not_a_file(path); !what.empty()) return "the snapshot path is unusable: " + what;
  const passwd* pw = ::getpwuid(::geteuid());
  const std::string user = "user " + std::string(pw ? pw->pw_name : "?") + " (uid " + std::to_string(::geteuid()) + ")";
  const std::string tail = "; the panel runs without saving its state (\"state not saved\") until this is fixed";
  std::error_code ec;
  if (fs::exists(path, ec) && ::access(path.c_str(), R_OK | W_OK) != 0)
    return "the snapshot " + path.string() + " is not writable for " + user + " (" + std::strerror(errno) + ")" + tail;
  // The folder too: SQLite creates the -wal and -shm beside the file. A missing folder is created,
  // so the nearest one that exists must take it.
  fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  while (!fs::exists(dir, ec) && dir.has_parent_path() && dir != dir.parent_path()) dir = dir.parent_path();
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return "the folder " + dir.string() + " that holds the snapshot " + path.string() + " is not writable for " + user +
           " (" + std::strerror(errno) + ")" + tail;
  return {};
}

std::unique_ptr<Snapshot> Snapshot::open_read_only(const fs::path& path, const OpenOptions& options) {
  if (std::string what = not_a_file(path); !what.empty())
    throw std::runtime_error("cannot read snapshot database " + path.string() + ": " + what);
  std::error_code ec;
  if (!fs::exists(path, ec)) throw std::runtime_error("snapshot database " + path.string() + " does not exist");
  std::string first_error;
  // Plain read-only first (sees a -wal); immutable when the folder cannot hold the -shm that WAL needs.
  for (bool immutable : {false, true}) {
    sqlite3* h = nullptr;
    int rc = SQLITE_OK;
    const std::string name = immutable ? file_uri(path, "immutable=1") : path.string();
    auto impl = Impl::connect(name, SQLITE_OPEN_READONLY | (immutable ? SQLITE_OPEN_URI : 0), options, &h, &rc);
    impl->path = path;
    impl->where = "snapshot database " + path.string();
    try {
      if (rc != SQLITE_OK) fail(h, rc, "cannot read " + impl->where);
      sqlite3_busy_timeout(h, kBusyTimeoutMs);
      impl->prepare_reads();
      return std::unique_ptr<Snapshot>(new Snapshot(std::move(impl)));
    } catch (const std::exception& e) {
      if (first_error.empty()) first_error = e.what();
    }
  }
  throw std::runtime_error(first_error);
}

Snapshot::Snapshot(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Snapshot::~Snapshot() = default;

const fs::path& Snapshot::path() const { return impl_->path; }
}  // namespace kiosk::store
