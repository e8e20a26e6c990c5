// Reading a whole file that staff named (a config or include file, a map file, a password or key file)
// without ever blocking: the one place that opens them. A FIFO would block open() forever (and with it
// `kiosk check` or the panel's config watcher), /dev/zero never ends, and opening some devices has side
// effects; so the path is stat()ed first, opened with O_NONBLOCK | O_CLOEXEC, fstat()ed again (it may
// have been swapped in between) and read only if it is a regular file, up to a size cap.
//
// POSIX calls in core: core is otherwise the standard library only, but config/, imdf/ and ingest/ all
// read such files and core is the one module below all three.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

namespace kiosk::core {

struct FileRead {
  enum class Status : std::uint8_t {
    Ok,
    Missing,      // no such file (or a folder of its path is missing or not a folder)
    SymlinkLoop,  // ELOOP: symbolic links that point at each other
    NotRegular,   // a folder, FIFO, socket or device: `what` says which
    TooLarge,     // above the cap: nothing was kept
    NoAccess,     // EACCES / EPERM
    Error,        // any other failure: `why` has the system's words
  };
  Status status = Status::Ok;
  std::string text;           // the bytes, when Ok
  std::string what;           // NotRegular: "a FIFO", "a folder", "a socket", "a character device", ...
  std::string why;            // every failure: words for a message, e.g. "is a FIFO, not a regular file"
  std::uintmax_t size = 0;    // from fstat (TooLarge: at least this many bytes)
  std::uint32_t mode = 0;     // st_mode of the file read (permission bits and type), when Ok
  std::uint32_t uid = 0, gid = 0;  // its owner and group, when Ok

  bool ok() const { return status == Status::Ok; }
};

// Reads `path` (symbolic links followed) if it is a regular file of at most `max_bytes`. Never blocks
// on a FIFO or a device, never throws except std::bad_alloc.
FileRead read_regular_file(const std::filesystem::path& path, std::uintmax_t max_bytes);

// "a FIFO", "a socket", "a folder", "a character device", "a block device", "a regular file" from st_mode.
std::string describe_file_type(std::uint32_t mode);

}  // namespace kiosk::core
