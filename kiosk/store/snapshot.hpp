// The snapshot: the last known state of every space and the history of changes, in one SQLite file
// (WAL mode), so the panel starts from it in well under a second and keeps showing it offline.
// The only files that include sqlite3.h are this folder's .cpp files and its internal sqlite_util.hpp.
// open.cpp: open / recovery; schema.cpp: layout and migrations; writes.cpp: reads, writes, retention;
// board_cache.cpp: the board cache.
#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/labels.hpp"
#include "core/occupancy.hpp"
#include "core/space.hpp"

namespace kiosk::store {

struct Row {  // last known state of a space
  std::string space_id;
  core::Reading reading;
};
struct BoardCache {
  std::vector<core::Space> spaces;
  std::map<std::string, std::string> meta;
};
// Labels in one TEXT column ("lang\x1Ftext" entries joined by \x1E).
std::string encode_labels(const core::Labels& labels);
core::Labels decode_labels(std::string_view encoded);

struct HistoryRow {  // one change of a space, for "usually free around 14:30"
  std::string space_id;
  core::Reading reading;
};

struct OpenReport {
  bool recovered = false;  // the file was corrupt (or unreadable by this build) and was moved aside
  std::string moved_to;    // where it went ("<path>.corrupt-20261125-140203"), with its -wal/-shm
  std::string message;     // for the log and the status strip: what happened, what to do
};

// What Snapshot throws when SQLite fails; a std::runtime_error whose what() names the operation,
// the file and SQLite's message. The writer thread uses corrupt() to tell damage from a full disk.
class Error : public std::runtime_error {
 public:
  Error(int sqlite_code, const std::string& what) : std::runtime_error(what), code_(sqlite_code) {}
  int sqlite_code() const { return code_; }  // extended result code
  bool corrupt() const;                       // SQLITE_CORRUPT or SQLITE_NOTADB
  bool busy() const;                          // SQLITE_BUSY or SQLITE_LOCKED

 private:
  int code_;
};

// How to open: `vfs` names a registered SQLite VFS (empty: the default). Tests register a
// fault-injecting one to make writes fail with SQLITE_FULL or SQLITE_IOERR on demand.
struct OpenOptions {
  std::string vfs;
};

// Empty when a panel run by the current user could write a snapshot at `path` (the file, or the
// folder that would hold it, and the -wal/-shm beside it); else why not, naming the user. For
// `kiosk check`: run it as the panel's user to learn what the panel will meet.
std::string location_problem(const std::filesystem::path& path);

// One connection; not thread-safe; used by the store thread, or alone by CLI commands.
class Snapshot {
 public:
  // Opens or creates (and creates the parent directory if missing). A file that is not a database,
  // fails `PRAGMA quick_check`, or has a schema this build cannot use is renamed aside with its
  // -wal/-shm, never deleted, and a fresh one is created; `report` says so. Other failures on an
  // existing file (permissions, locked for longer than the busy timeout) leave it untouched and throw.
  // Throws std::runtime_error with a clear message if even a fresh file cannot be created.
  static std::unique_ptr<Snapshot> open(const std::filesystem::path& path, OpenReport* report = nullptr,
                                        const OpenOptions& options = {});
  // For showing the last state when the file cannot be written (a read-only folder or file system,
  // a full disk): no check, no migration, no recovery, and write() fails. WAL needs a -shm beside
  // the file, so in a read-only folder it falls back to SQLite's immutable mode (which does not see
  // a -wal that a crash left there). Throws when the file cannot be read.
  static std::unique_ptr<Snapshot> open_read_only(const std::filesystem::path& path, const OpenOptions& options = {});
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  std::vector<Row> load_latest();  // every space's last state, ordered by space id
  std::vector<HistoryRow> history(std::string_view space_id, std::size_t limit);  // newest first
  // One transaction: upsert latest rows and append history rows for changes. Throws Error and
  // rolls back on failure (nothing of the batch is written).
  void write(const std::vector<Row>& latest, const std::vector<HistoryRow>& history);
  std::string integrity_check();  // "ok" or SQLite's report, one problem a line
  // Deletes history observed before `before`; keeps the table bounded on a panel that runs for years.
  std::size_t prune_history(core::TimePoint before);
  // Deletes at most `batch` of the oldest history rows that are older than `before` or beyond the
  // newest `max_rows`. Returns how many went; == batch means more may remain.
  std::size_t trim_history(core::TimePoint before, std::size_t max_rows, std::size_t batch);

  const std::filesystem::path& path() const;

  // The board cache: what the board needs to draw before the map is parsed (spaces in board order,
  // venue and place names). Replaced whole, in one transaction.
  void save_board(const std::vector<core::Space>& spaces, const std::map<std::string, std::string>& meta);
  BoardCache load_board();  // empty when never saved

 private:
  struct Impl;
  explicit Snapshot(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::store
