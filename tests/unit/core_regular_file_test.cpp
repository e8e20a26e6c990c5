// core::read_regular_file with real files of every kind: a FIFO nobody writes to (a blocking open()
// would hang the test), /dev/zero, a listening UNIX socket, a folder, a symlink loop, a dangling link,
// a file above the cap. Each is refused at once with words a staff member can act on.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/regular_file.hpp"

namespace fs = std::filesystem;
using kiosk::core::FileRead;
using kiosk::core::read_regular_file;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char pattern[] = "/tmp/kiosk-files-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    REQUIRE(made != nullptr);
    path = made;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

TEST_CASE("regular file: read whole, with its mode, owner and group") {
  TempDir dir;
  const fs::path file = dir.path / "site.toml";
  std::ofstream(file, std::ios::binary) << "name = \"x\"\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  const FileRead read = read_regular_file(file, 1024);
  REQUIRE(read.ok());
  CHECK(read.text == "name = \"x\"\n");
  CHECK(read.size == 11);
  CHECK((read.mode & 07777) == 0640);
  CHECK(read.uid == ::geteuid());
  CHECK(read.gid == ::getegid());
  // Through a symbolic link, too.
  fs::create_symlink(file, dir.path / "link.toml");
  CHECK(read_regular_file(dir.path / "link.toml", 1024).text == read.text);
  // An empty file is a file.
  std::ofstream(dir.path / "empty");
  CHECK(read_regular_file(dir.path / "empty", 1024).ok());
}

TEST_CASE("regular file: a FIFO is refused at once, without blocking, and says it is a FIFO") {
  TempDir dir;
  const fs::path fifo = dir.path / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const FileRead read = read_regular_file(fifo, 1024);  // a plain open() would wait for a writer forever
  CHECK(read.status == FileRead::Status::NotRegular);
  CHECK(read.what == "a FIFO");
  CHECK(read.why == "is a FIFO, not a regular file");
  // A link to it is judged by what it points at.
  fs::create_symlink(fifo, dir.path / "link");
  CHECK(read_regular_file(dir.path / "link", 1024).why == "is a FIFO, not a regular file");
}

TEST_CASE("regular file: a device, a socket and a folder are refused by what they are") {
  const FileRead zero = read_regular_file("/dev/zero", 1024);
  CHECK(zero.status == FileRead::Status::NotRegular);
  CHECK(zero.why == "is a character device, not a regular file");

  TempDir dir;
  CHECK(read_regular_file(dir.path, 1024).why == "is a folder, not a regular file");

  const fs::path socket_path = dir.path / "sock";
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(fd, 1) == 0);
  const FileRead sock = read_regular_file(socket_path, 1024);
  ::close(fd);
  CHECK(sock.status == FileRead::Status::NotRegular);
  CHECK(sock.why == "is a socket, not a regular file");
}

TEST_CASE("regular file: a symlink loop is reported as one, a dangling link and a missing file as missing") {
  TempDir dir;
  fs::create_symlink(dir.path / "b", dir.path / "a");
  fs::create_symlink(dir.path / "a", dir.path / "b");
  const FileRead loop = read_regular_file(dir.path / "a", 1024);
  CHECK(loop.status == FileRead::Status::SymlinkLoop);
  CHECK(loop.why.find("a symlink loop") == 0);

  fs::create_symlink(dir.path / "gone", dir.path / "dangling");
  const FileRead dangling = read_regular_file(dir.path / "dangling", 1024);
  CHECK(dangling.status == FileRead::Status::Missing);
  CHECK(dangling.why.find("symbolic link to a file that does not exist") != std::string::npos);

  const FileRead missing = read_regular_file(dir.path / "nothing", 1024);
  CHECK(missing.status == FileRead::Status::Missing);
  CHECK(missing.why == "no such file");
  std::ofstream(dir.path / "plain");
  CHECK(read_regular_file(dir.path / "plain" / "below", 1024).status == FileRead::Status::Missing);
}

TEST_CASE("regular file: the size cap is kept, at the byte") {
  TempDir dir;
  const fs::path file = dir.path / "big";
  std::ofstream(file, std::ios::binary) << std::string(4096, 'x');
  CHECK(read_regular_file(file, 4096).ok());
  const FileRead big = read_regular_file(file, 4095);
  CHECK(big.status == FileRead::Status::TooLarge);
  CHECK(big.text.empty());
  CHECK(big.size == 4096);
}
