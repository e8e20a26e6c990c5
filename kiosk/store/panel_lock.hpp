// One panel per snapshot: an exclusive flock on "<db>.lock", held for the panel's life. The kernel
// drops it when the process dies (kill -9 included), so a restart never meets a stale lock.
#pragma once
#include <filesystem>
#include <memory>
#include <string>

namespace kiosk::store {

class PanelLock {
 public:
  enum class Outcome { Held, InUse, Unavailable };
  // Held: the lock (shared within this process: a config reload opens the new panel while the old
  // one still runs, and flock would refuse the same process a second time). InUse: another process
  // holds it; `*why` = "snapshot X is in use by another panel (pid N)". Unavailable: the lock file
  // cannot be made (a read-only folder): no proof of another panel, and the snapshot itself will
  // say what is wrong; `*why` says why.
  static std::shared_ptr<PanelLock> acquire(const std::filesystem::path& db, Outcome* outcome, std::string* why);
  ~PanelLock();
  PanelLock(const PanelLock&) = delete;
  PanelLock& operator=(const PanelLock&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  PanelLock(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_;
};

}  // namespace kiosk::store
