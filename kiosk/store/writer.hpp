// The store thread: takes readings from the main thread without ever making it wait on the disk, and
// commits them to the snapshot in batches (one transaction at most every flush_interval, WAL).
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "core/occupancy.hpp"
#include "store/panel_lock.hpp"
#include "store/snapshot.hpp"

namespace kiosk::store {

// The main thread calls record() (cheap: a lock and a map insert, never I/O); the thread commits
// everything pending in ONE transaction at most every `flush_interval`, and sleeps when nothing is
// pending. Bounded: pending latest is keyed by space (latest wins); pending history is capped (beyond
// the cap the oldest rows are dropped and counted). A failed commit (disk full, SQLITE_BUSY, damage)
// never throws out of the thread: it is counted, the batch stays pending and is retried next interval.
// How much history the file keeps: a panel runs for years, and start-up time (quick_check) grows
// with the file. Trimmed from the store thread, oldest first, in small batches after commits.
struct HistoryLimits {
  std::chrono::hours retention{24 * 90};
  std::size_t max_rows = 1'000'000;
  std::size_t batch = 5'000;
};

// How the snapshot is doing, for the log, the status topic and the staff view. The panel keeps
// running whatever it says: what could not be written waits in the (bounded) pending queue.
struct Health {
  bool ok = true;
  std::string kind;     // "full", "read-only", "io", "not-a-file", "in-use", "cannot-open", "damaged", "busy"
  std::string problem;  // what is wrong and what to do, in words staff can act on; empty when ok
  std::string note;     // the last recovery ("recreated after it was deleted", "moved aside"); may be set when ok
  std::chrono::system_clock::time_point since{};  // when it last changed
  std::uint64_t changes = 0;                      // changes of state so far
};

struct WriterOptions {
  std::chrono::milliseconds flush_interval{250};
  std::size_t max_pending_history = 10000;
  HistoryLimits limits{};
  // While storage fails: retry (open or commit) after retry_min, doubling up to retry_max.
  std::chrono::milliseconds retry_min{1000}, retry_max{30000};
  // How often the store thread compares the open file with a stat of the path (deleted, replaced).
  std::chrono::milliseconds identity_every{2000};
  OpenOptions open;  // how to (re)open the file: the tests' fault-injecting VFS
  bool lock = true;  // hold "<db>.lock": one panel per snapshot
  // Store thread, once per change of state (never per failed commit): `now`, what it was before.
  std::function<void(const Health& now, const Health& before)> on_change;
};

class Writer {
 public:
  // What a panel opens before its first frame: the lock, the file (null when it cannot be opened),
  // and what is wrong. Never throws: a panel runs without storage rather than not at all.
  struct Start {
    std::filesystem::path path;
    std::shared_ptr<PanelLock> lock;
    std::unique_ptr<Snapshot> db;
    OpenReport report;
    Health health;
  };
  static Start open(const std::filesystem::path& path, const WriterOptions& options);
  // The writer of a panel: owns what open() gave; reopens (with backoff) when the file is missing,
  // deleted, replaced or unwritable, and writes what waited once it can.
  Writer(Start start, WriterOptions options);

  // Pending history is capped at 10,000 rows (~1.5 MB, twice that while a commit runs): when a flood of
  // changes outruns the disk, the oldest pending history rows are dropped and counted; the latest state
  // of every space is never dropped. A 100,000 cap let a 10-minute flood grow the panel by ~27 MB.
  static constexpr std::size_t kMaxPendingHistory = 10000;
  Writer(std::unique_ptr<Snapshot> db, std::chrono::milliseconds flush_interval = std::chrono::milliseconds(250),
         std::size_t max_pending_history = kMaxPendingHistory, HistoryLimits limits = {});
  ~Writer();  // one last attempt to commit what is pending, then joins
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Any thread. `changed` => also a history row.
  void record(std::string_view space_id, const core::Reading& reading, bool changed);
  // Blocks until everything recorded so far is committed, or until a commit attempt that started after
  // this call has failed (then stats() says why): it never waits forever on a full disk.
  void flush_now();

  struct Stats {
    std::uint64_t commits = 0, rows_written = 0, history_dropped = 0, errors = 0;
    std::string last_error;
    std::uint64_t history_trimmed = 0;  // rows removed by the retention limits
    std::uint64_t corrupt = 0;  // failures that were SQLITE_CORRUPT/NOTADB: the file is damaged; the
                                // next start moves it aside (nothing is deleted while running)
  };
  Stats stats() const;
  Health health() const;

 private:
  void run();
  // Store thread, lock not held. Each returns the new health.
  Health try_open();         // the lock and the file, when there is no open file
  Health check_identity();   // the path still names the open file? else reopen (or recreate) it
  void set_health(Health next);  // lock held by the caller? no: takes it; calls on_change outside it
  std::chrono::milliseconds next_backoff();

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Latest = std::unordered_map<std::string, core::Reading, Hash, std::equal_to<>>;

  std::filesystem::path path_;
  std::shared_ptr<PanelLock> lock_;  // store thread only
  std::unique_ptr<Snapshot> db_;     // store thread only; null while the file cannot be opened
  WriterOptions options_;
  const std::chrono::milliseconds interval_;
  const std::size_t max_history_;
  std::uint64_t file_dev_ = 0, file_ino_ = 0;  // what db_ opened (store thread)
  std::chrono::steady_clock::time_point next_open_{}, next_identity_{};  // store thread
  std::chrono::milliseconds backoff_{0};  // store thread: the last retry delay (0: not failing)
  int busy_in_a_row_ = 0;                 // store thread
  Health health_;                         // under mutex_

  mutable std::mutex mutex_;
  std::condition_variable wake_;  // the store thread: work to do, a flush, or stop
  std::condition_variable done_;  // flush_now(): an attempt finished
  Latest latest_;
  std::deque<HistoryRow> history_;
  std::uint64_t recorded_ = 0;     // record() calls so far
  std::uint64_t committed_ = 0;    // every record() up to this count is on disk
  std::uint64_t started_ = 0;      // commit attempts started
  std::uint64_t last_failed_ = 0;  // the number of the last attempt that failed
  bool flush_requested_ = false;
  bool stop_ = false;
  std::chrono::steady_clock::time_point next_commit_{};  // no commit before this
  const HistoryLimits limits_;
  std::chrono::steady_clock::time_point next_trim_{};    // store thread only
  Stats stats_;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace kiosk::store
