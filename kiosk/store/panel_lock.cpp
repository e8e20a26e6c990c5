#include "store/panel_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

namespace kiosk::store {
namespace fs = std::filesystem;

namespace {
std::mutex registry_mutex;
std::map<std::string, std::weak_ptr<PanelLock>>& registry() {
  static std::map<std::string, std::weak_ptr<PanelLock>> locks;
  return locks;
}

std::string holder_pid(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos ? "unknown" : pid;
}
}  // namespace

std::shared_ptr<PanelLock> PanelLock::acquire(const fs::path& db, Outcome* outcome, std::string* why) {
  std::error_code ec;
  fs::path absolute = fs::absolute(db, ec);
  const fs::path lock_path = (ec ? db : absolute).lexically_normal().string() + ".lock";
  std::lock_guard guard(registry_mutex);
  auto& locks = registry();
  if (auto held = locks[lock_path.string()].lock()) {
    *outcome = Outcome::Held;
    return held;
  }
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0 && (errno == EROFS || errno == EACCES || errno == EPERM))
    fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);  // flock works on a read-only file
  if (fd < 0) {
    *outcome = Outcome::Unavailable;
    *why = "cannot create the lock file " + lock_path.string() + " (" + std::strerror(errno) + ")";
    return nullptr;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string pid = holder_pid(fd);
    ::close(fd);
    if (error == EWOULDBLOCK) {
      *outcome = Outcome::InUse;
      *why = "snapshot " + db.string() + " is in use by another panel (pid " + pid +
             "); two panels cannot share one snapshot: give each panel its own [panel] snapshot file";
    } else {
      *outcome = Outcome::Unavailable;
      *why = "cannot lock " + lock_path.string() + " (" + std::strerror(error) + ")";
    }
    return nullptr;
  }
  // Our pid, for the message the next panel gets (best effort: a read-only lock file keeps the old one).
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0 && ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // Nothing to do: the lock holds; only the message would name an older pid.
  }
  auto lock = std::shared_ptr<PanelLock>(new PanelLock(lock_path, fd));
  locks[lock_path.string()] = lock;
  *outcome = Outcome::Held;
  return lock;
}

PanelLock::~PanelLock() {
  // Unlocked by close; the file stays (removing it would race with a panel that just opened it).
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace kiosk::store
