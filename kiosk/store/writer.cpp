#include "store/writer.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

namespace kiosk::store {

Writer::Writer(std::unique_ptr<Snapshot> db, std::chrono::milliseconds flush_interval, std::size_t max_pending_history,
               HistoryLimits limits)
    : db_(std::move(db)),
      interval_(std::max(flush_interval, std::chrono::milliseconds(0))),
      max_history_(max_pending_history),
      limits_(limits) {
  if (!db_) throw std::invalid_argument("store::Writer needs an open Snapshot");
  thread_ = std::thread([this] { run(); });
}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

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

void Writer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // Sleep while nothing is pending; with something pending, until the interval has passed since
    // the last attempt, unless a flush or the destructor asks for it now.
    for (;;) {
      const bool pending = !latest_.empty() || !history_.empty();
      if (!pending) {
        if (stop_) return;
        wake_.wait(lock);
        continue;
      }
      if (stop_ || flush_requested_ || std::chrono::steady_clock::now() >= next_commit_) break;
      wake_.wait_until(lock, next_commit_);
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
    next_commit_ = std::chrono::steady_clock::now() + interval_;
    lock.unlock();

    std::vector<Row> rows;
    rows.reserve(taken.size());
    for (auto& [id, reading] : taken) rows.push_back(Row{id, reading});
    std::vector<HistoryRow> history(std::make_move_iterator(taken_history.begin()),
                                    std::make_move_iterator(taken_history.end()));
    bool ok = true;
    bool corrupt = false;
    std::string error;
    try {
      db_->write(rows, history);
    } catch (const Error& e) {
      ok = false;
      corrupt = e.corrupt();
      error = e.what();
    } catch (const std::exception& e) {
      ok = false;
      error = e.what();
    } catch (...) {
      ok = false;
      error = "unknown error while writing the snapshot";
    }

    // Retention: a small batch after a commit, hourly, or at every commit while a backlog remains.
    std::size_t trimmed = 0;
    if (ok && std::chrono::steady_clock::now() >= next_trim_) {
      try {
        auto cutoff = std::chrono::time_point_cast<core::Millis>(std::chrono::system_clock::now() - limits_.retention);
        trimmed = db_->trim_history(core::TimePoint{cutoff.time_since_epoch()}, limits_.max_rows, limits_.batch);
      } catch (const std::exception&) {
        // Not worth failing a commit for: the next hour tries again.
      }
      next_trim_ = std::chrono::steady_clock::now() +
                   (trimmed >= limits_.batch ? std::chrono::steady_clock::duration(interval_)
                                             : std::chrono::steady_clock::duration(std::chrono::hours(1)));
    }

    lock.lock();
    stats_.history_trimmed += trimmed;
    if (ok) {
      committed_ = seq;
      ++stats_.commits;
      stats_.rows_written += rows.size() + history.size();
    } else {
      ++stats_.errors;
      if (corrupt) ++stats_.corrupt;
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

}  // namespace kiosk::store
