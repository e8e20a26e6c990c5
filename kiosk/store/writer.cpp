// [SECTION] open (before the first frame)  [SECTION] record / flush  [SECTION] the store thread
// [SECTION] faults: classify, reopen, health
#include "store/writer.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <ctime>
#include <stdexcept>
#include <utility>
#include <vector>

namespace kiosk::store {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

Health failing(std::string kind, std::string problem) {
  Health h;
  h.ok = false;
  h.kind = std::move(kind);
  h.problem = std::move(problem);
  return h;
}

// A failed commit, in the words of its cause. SQLITE_READONLY_DBMOVED (the file was renamed or
// deleted under us) is handled by reopening, like a failed identity check.
Health classify(int code, const std::string& what, const fs::path& path) {
  const int primary = code & 0xff;
  const std::string keep = " The panel keeps showing live data and keeps what it could not write until it can.";
  if (primary == SQLITE_FULL)
    return failing("full", what + ". The disk holding " + path.parent_path().string() + " is full: free space there." + keep);
  if (primary == SQLITE_READONLY)
    return failing("read-only", what + ". Make " + path.string() + " and its folder writable for the panel's user." + keep);
  if (primary == SQLITE_IOERR) return failing("io", what + ". The disk may be failing or gone." + keep);
  if (primary == SQLITE_CANTOPEN) return failing("cannot-open", what + "." + keep);
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    return failing("damaged", what + ". The file is damaged; the next start moves it aside and starts a fresh one." + keep);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return failing("busy", what + ". Another program holds the file's write lock." + keep);
  return failing("error", what + "." + keep);
}

bool stat_path(const fs::path& path, std::uint64_t* dev, std::uint64_t* ino) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  *dev = static_cast<std::uint64_t>(st.st_dev);
  *ino = static_cast<std::uint64_t>(st.st_ino);
  return true;
}

}  // namespace

// [SECTION] open ------------------------------------------------------------------------------
Writer::Start Writer::open(const fs::path& path, const WriterOptions& options) {
  Start start;
  start.path = path;
  if (options.lock) {
    PanelLock::Outcome outcome{};
    std::string why;
    start.lock = PanelLock::acquire(path, &outcome, &why);
    if (outcome == PanelLock::Outcome::InUse) {
      start.health = failing("in-use", why + ". This panel runs without storing its state.");
      return start;
    }
  }
  try {
    start.db = Snapshot::open(path, &start.report, options.open);
    if (start.report.recovered) start.health.note = start.report.message;
  } catch (const std::exception& e) {
    const std::string what = e.what();
    const bool not_file = what.find(", not a database file") != std::string::npos;
    start.health = failing(not_file ? "not-a-file" : "cannot-open",
                           what + ". The panel keeps showing live data, and retries.");
  }
  return start;
}

Writer::Writer(Start start, WriterOptions options)
    : path_(std::move(start.path)),
      lock_(std::move(start.lock)),
      db_(std::move(start.db)),
      options_(std::move(options)),
      interval_(std::max(options_.flush_interval, std::chrono::milliseconds(0))),
      max_history_(options_.max_pending_history),
      limits_(options_.limits) {
  health_ = std::move(start.health);
  health_.since = std::chrono::system_clock::now();
  if (db_) stat_path(path_, &file_dev_, &file_ino_);
  if (!health_.ok) backoff_ = options_.retry_min;
  next_open_ = next_identity_ = Clock::now() + (db_ ? options_.identity_every : options_.retry_min);
  thread_ = std::thread([this] { run(); });
}

Writer::Writer(std::unique_ptr<Snapshot> db, std::chrono::milliseconds flush_interval, std::size_t max_pending_history,
               HistoryLimits limits)
    : Writer(
          [&] {
            if (!db) throw std::invalid_argument("store::Writer needs an open Snapshot");
            Start start;
            start.path = db->path();
            start.db = std::move(db);
            return start;
          }(),
          [&] {
            WriterOptions options;
            options.flush_interval = flush_interval;
            options.max_pending_history = max_pending_history;
            options.limits = limits;
            options.lock = false;
            return options;
          }()) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

// [SECTION] record / flush --------------------------------------------------------------------
void Writer::record(std::string_view space_id, const core::Reading& reading, bool changed) {
  bool was_empty;
  {
    std::lock_guard lock(mutex_);
    was_empty = latest_.empty() && history_.empty();
    if (auto it = latest_.find(space_id); it != latest_.end())
      it->second = reading;
    else
      latest_.emplace(std::string(space_id), reading);
    if (changed) {
      if (max_history_ == 0) {
        ++stats_.history_dropped;
      } else {
        if (history_.size() >= max_history_) {
          history_.pop_front();
          ++stats_.history_dropped;
        }
        history_.push_back(HistoryRow{std::string(space_id), reading});
      }
    }
    ++recorded_;
  }
  // Only the first pending record wakes a sleeping thread; otherwise it is already timed to wake.
  if (was_empty) wake_.notify_one();
}

void Writer::flush_now() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = recorded_;
  if (committed_ >= target) return;
  const std::uint64_t first_attempt = started_ + 1;
  flush_requested_ = true;
  wake_.notify_one();
  done_.wait(lock, [&] { return committed_ >= target || last_failed_ >= first_attempt; });
}

Writer::Stats Writer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

Health Writer::health() const {
  std::lock_guard lock(mutex_);
  return health_;
}

// [SECTION] the store thread ------------------------------------------------------------------
void Writer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // Sleep until something is due: a commit (pending data and the interval or the retry delay
    // passed, or a flush asked), an attempt to open, or a look at the path.
    bool open_due = false, identity_due = false;
    for (;;) {
      const bool pending = !latest_.empty() || !history_.empty();
      const auto now = Clock::now();
      if (stop_) {
        if (!pending || !db_) return;  // nothing to write, or nowhere to write it: do not hang
        break;
      }
      if (!db_ && (now >= next_open_ || flush_requested_)) {
        open_due = true;
        break;
      }
      if (db_ && options_.identity_every.count() > 0 && now >= next_identity_) {
        identity_due = true;
        break;
      }
      if (db_ && pending && (flush_requested_ || now >= next_commit_)) break;
      auto until = Clock::time_point::max();
      if (!db_) until = next_open_;
      else {
        if (pending) until = next_commit_;
        if (options_.identity_every.count() > 0) until = std::min(until, next_identity_);
      }
      if (until == Clock::time_point::max()) wake_.wait(lock);
      else wake_.wait_until(lock, until);
    }

    if (open_due || identity_due) {
      const bool flush_waiting = flush_requested_;
      lock.unlock();
      Health next = open_due ? try_open() : check_identity();
      set_health(std::move(next));
      lock.lock();
      if (open_due && !db_ && flush_waiting) {
        // flush_now() must not wait for a file that cannot be opened: this attempt failed.
        flush_requested_ = false;
        last_failed_ = ++started_;
        done_.notify_all();
      }
      continue;
    }

    // Take the whole batch under the lock (O(1) swaps); build and write it outside.
    Latest taken;
    taken.swap(latest_);
    std::deque<HistoryRow> taken_history;
    taken_history.swap(history_);
    const std::uint64_t seq = recorded_;
    const std::uint64_t attempt = ++started_;
    const bool stopping = stop_;
    flush_requested_ = false;
    lock.unlock();

    std::vector<Row> rows;
    rows.reserve(taken.size());
    for (auto& [id, reading] : taken) rows.push_back(Row{id, reading});
    std::vector<HistoryRow> history(std::make_move_iterator(taken_history.begin()),
                                    std::make_move_iterator(taken_history.end()));
    bool ok = true;
    int code = 0;
    std::string error;
    try {
      db_->write(rows, history);
    } catch (const Error& e) {
      ok = false;
      code = e.sqlite_code();
      error = e.what();
    } catch (const std::exception& e) {
      ok = false;
      code = SQLITE_ERROR;
      error = e.what();
    }

    // Retention: a small batch after a commit, hourly, or at every commit while a backlog remains.
    std::size_t trimmed = 0;
    if (ok && Clock::now() >= next_trim_) {
      try {
        auto cutoff = std::chrono::time_point_cast<core::Millis>(std::chrono::system_clock::now() - limits_.retention);
        trimmed = db_->trim_history(core::TimePoint{cutoff.time_since_epoch()}, limits_.max_rows, limits_.batch);
      } catch (const std::exception&) {
        // Not worth failing a commit for: the next hour tries again.
      }
      next_trim_ = Clock::now() + (trimmed >= limits_.batch ? Clock::duration(interval_)
                                                            : Clock::duration(std::chrono::hours(1)));
    }

    // The state of storage after this attempt. A lock held a moment by another program (a backup,
    // `kiosk state`) is not a change worth a log line until it lasts three attempts.
    Health next;
    std::chrono::milliseconds delay = interval_;
    if (ok) {
      backoff_ = std::chrono::milliseconds(0);
      busy_in_a_row_ = 0;
    } else {
      next = classify(code, error, path_);
      const bool busy = next.kind == "busy";
      busy_in_a_row_ = busy ? busy_in_a_row_ + 1 : 0;
      if (busy && busy_in_a_row_ < 3) next = health();
      else delay = std::max(interval_, next_backoff());
      if (code == SQLITE_READONLY_DBMOVED) next_identity_ = Clock::now();  // reopen at once
    }
    if (!stopping) set_health(std::move(next));

    lock.lock();
    next_commit_ = Clock::now() + delay;
    stats_.history_trimmed += trimmed;
    if (ok) {
      committed_ = seq;
      ++stats_.commits;
      stats_.rows_written += rows.size() + history.size();
    } else {
      ++stats_.errors;
      if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB) ++stats_.corrupt;
      stats_.last_error = std::move(error);
      last_failed_ = attempt;
      // Back into pending: anything recorded meanwhile is newer and wins; the failed history is older
      // than what arrived meanwhile, so it goes in front, and the cap drops the oldest first.
      for (Row& row : rows) latest_.try_emplace(std::move(row.space_id), row.reading);
      history_.insert(history_.begin(), std::make_move_iterator(history.begin()),
                      std::make_move_iterator(history.end()));
      while (history_.size() > max_history_) {
        history_.pop_front();
        ++stats_.history_dropped;
      }
    }
    done_.notify_all();
    if (stopping && !ok) return;  // the last attempt at shutdown failed: give up rather than hang
  }
}

// [SECTION] faults ----------------------------------------------------------------------------
std::chrono::milliseconds Writer::next_backoff() {
  backoff_ = backoff_.count() == 0 ? options_.retry_min : std::min(backoff_ * 2, options_.retry_max);
  return backoff_;
}

Health Writer::try_open() {
  Start start = open(path_, [&] {
    WriterOptions o;
    o.open = options_.open;
    o.lock = options_.lock && !lock_;  // keep the lock already held
    return o;
  }());
  if (start.lock) lock_ = std::move(start.lock);
  if (!start.db) {
    next_open_ = Clock::now() + next_backoff();
    return start.health;
  }
  db_ = std::move(start.db);
  stat_path(path_, &file_dev_, &file_ino_);
  backoff_ = std::chrono::milliseconds(0);
  next_identity_ = Clock::now() + options_.identity_every;
  {
    std::lock_guard lock(mutex_);
    next_commit_ = Clock::now();  // what waited goes now
  }
  Health ok;
  ok.note = start.health.note;
  return ok;
}

Health Writer::check_identity() {
  next_identity_ = Clock::now() + options_.identity_every;
  std::uint64_t dev = 0, ino = 0;
  const bool present = stat_path(path_, &dev, &ino);
  if (present && dev == file_dev_ && ino == file_ino_) return health();
  // Deleted or replaced: the open connection still reads the old file (its inode lives while open),
  // so the last state of every space and the board cache move into the new one; history stays behind.
  std::vector<Row> carried;
  BoardCache board;
  try {
    carried = db_->load_latest();
    board = db_->load_board();
  } catch (const std::exception&) {
    // What cannot be read stays behind; the panel refills the file from live data.
  }
  db_.reset();
  // SQLite does not checkpoint a moved file on close, and leaves its -wal (and -shm) at the path: a
  // stale log that the next file there would replay over its own pages. Moved aside, never deleted.
  std::string orphans;
  for (const char* suffix : {"-wal", "-shm"}) {
    const fs::path companion = path_.string() + suffix;
    std::error_code ec;
    if (!fs::exists(companion, ec)) continue;
    fs::path target = companion.string() + ".orphan-" + std::to_string(std::time(nullptr));
    for (int n = 2; fs::exists(target, ec); ++n) target = companion.string() + ".orphan-" + std::to_string(n);
    fs::rename(companion, target, ec);
    if (!ec) orphans += (orphans.empty() ? "" : ", ") + target.filename().string();
  }
  const std::string what = present ? "was replaced by another file" : "was deleted";
  Health next = try_open();
  if (!db_) {
    next.problem = "snapshot database " + path_.string() + " " + what + " while the panel ran, and " + next.problem;
    std::lock_guard lock(mutex_);
    for (Row& row : carried) latest_.try_emplace(std::move(row.space_id), row.reading);
    return next;
  }
  try {
    if (!board.spaces.empty()) db_->save_board(board.spaces, board.meta);
  } catch (const std::exception&) {
    // The next start is slower without it, nothing worse.
  }
  {
    std::lock_guard lock(mutex_);
    for (Row& row : carried) latest_.try_emplace(std::move(row.space_id), row.reading);
    next_commit_ = Clock::now();
  }
  next.note = "snapshot database " + path_.string() + " " + what + " while the panel ran; " +
              (present ? "the panel now writes to the new file" : "it was recreated") + ", with the last state of " +
              std::to_string(carried.size()) + " spaces (older history stayed in the old file)" +
              (orphans.empty() ? std::string() : "; the old log beside it was moved aside: " + orphans);
  return next;
}

void Writer::set_health(Health next) {
  Health before;
  {
    std::lock_guard lock(mutex_);
    if (next.ok == health_.ok && next.kind == health_.kind && next.problem == health_.problem &&
        (next.note.empty() || next.note == health_.note))
      return;
    if (next.note.empty()) next.note = health_.note;
    before = health_;
    next.since = std::chrono::system_clock::now();
    next.changes = health_.changes + 1;
    health_ = next;
  }
  if (options_.on_change) options_.on_change(next, before);
  wake_.notify_one();  // the loop recomputes its deadlines
}

}  // namespace kiosk::store
