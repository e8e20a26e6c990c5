#include "core/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace kiosk::core {

namespace {

// Closes the descriptor on every way out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

FileRead fail(FileRead::Status status, std::string why) {
  FileRead out;
  out.status = status;
  out.why = std::move(why);
  return out;
}

// stat()/open() errno -> a failure in words.
FileRead from_errno(int err, const std::filesystem::path& path) {
  switch (err) {
    case ENOENT: {
      struct stat link {};
      if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))  // a dangling symbolic link
        return fail(FileRead::Status::Missing, "no such file (it is a symbolic link to a file that does not exist)");
      return fail(FileRead::Status::Missing, "no such file");
    }
    case ENOTDIR: return fail(FileRead::Status::Missing, "no such file (a part of its path is not a folder)");
    case ELOOP:
      return fail(FileRead::Status::SymlinkLoop,
                  "a symlink loop (its symbolic links point at each other); make the link point at the real file");
    case EACCES:
    case EPERM:
      return fail(FileRead::Status::NoAccess, "permission denied (check the owner and permissions of the file and "
                                              "of its folders)");
    case ENXIO:  // open() of a socket
      return fail(FileRead::Status::NotRegular, "is a socket, not a regular file");
    default: return fail(FileRead::Status::Error, std::strerror(err));
  }
}

FileRead not_regular(std::uint32_t mode) {
  FileRead out = fail(FileRead::Status::NotRegular, "is " + describe_file_type(mode) + ", not a regular file");
  out.what = describe_file_type(mode);
  return out;
}

std::string mib_text(std::uintmax_t bytes) { return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB"; }

}  // namespace

std::string describe_file_type(std::uint32_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISREG(mode)) return "a regular file";
  return "not a file";
}

FileRead read_regular_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  // stat() first: it never blocks and opens nothing, so a FIFO or a device is refused before any open().
  struct stat before {};
  if (::stat(path.c_str(), &before) != 0) return from_errno(errno, path);
  if (!S_ISREG(before.st_mode)) return not_regular(before.st_mode);

  Fd file;
  do {
    file.fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  } while (file.fd < 0 && errno == EINTR);
  if (file.fd < 0) return from_errno(errno, path);
  // What was opened, not what the path named a moment ago (it may have been replaced by a FIFO since).
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) return from_errno(errno, path);
  if (!S_ISREG(st.st_mode)) return not_regular(st.st_mode);

  FileRead out;
  out.size = static_cast<std::uintmax_t>(st.st_size);
  out.mode = st.st_mode;
  out.uid = st.st_uid;
  out.gid = st.st_gid;
  auto too_large = [&](std::uintmax_t at_least) {
    FileRead big = fail(FileRead::Status::TooLarge, "it is " + mib_text(at_least) + ", above the limit of " +
                                                        mib_text(max_bytes));
    big.size = at_least;
    return big;
  };
  if (out.size > max_bytes) return too_large(out.size);
  out.text.resize(static_cast<std::size_t>(out.size) + 1);  // one more byte: a file that grew is seen
  std::size_t used = 0;
  for (;;) {
    if (used == out.text.size()) {
      if (used > max_bytes) return too_large(used);
      out.text.resize(std::min<std::uintmax_t>(used * 2 + 4096, max_bytes + 1));
    }
    const ssize_t n = ::read(file.fd, out.text.data() + used, out.text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(FileRead::Status::Error, std::string("read error: ") + std::strerror(errno));
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) return too_large(used);
  out.text.resize(used);
  return out;
}

}  // namespace kiosk::core
