// Config files that are not files: `include = "fifo"` used to hang `kiosk check` and the panel's
// watcher in open(); /dev/zero, a folder and a symlink loop must each be refused at once, naming the
// file and what it is, at the include's file:line:col.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.hpp"

namespace fs = std::filesystem;
using namespace kiosk::config;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char pattern[] = "/tmp/kiosk-config-files-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    REQUIRE(made != nullptr);
    path = made;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string all(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += format(d) + "\n";
  return out;
}

// The one error of a panel file "include = TARGET" read from `dir`.
std::string include_error(const fs::path& dir, const std::string& target) {
  LoadResult r = load_string("include = \"" + target + "\"\n[panel]\nid = \"p\"\nkiosk = \"k\"\n", "panel.toml", dir);
  CHECK_FALSE(r.config);
  REQUIRE_MESSAGE(r.diagnostics.size() == 1, all(r));
  return format(r.diagnostics[0]);
}

}  // namespace

TEST_CASE("config files: an include that is a FIFO, a device or a folder is refused, saying what it is") {
  TempDir dir;
  REQUIRE(::mkfifo((dir.path / "site.toml").c_str(), 0600) == 0);
  CHECK(include_error(dir.path, "site.toml") ==
        "panel.toml:1:11: error: cannot read included file \"site.toml\" (" + (dir.path / "site.toml").string() +
            "): is a FIFO, not a regular file; the path is relative to the folder of this file");
  CHECK(include_error(dir.path, "/dev/zero").find("(/dev/zero): is a character device, not a regular file") !=
        std::string::npos);
  fs::create_directory(dir.path / "folder");
  CHECK(include_error(dir.path, "folder").find("): is a folder, not a regular file") != std::string::npos);
}

TEST_CASE("config files: the 16 MiB cap is kept, without reading the file") {
  TempDir dir;
  std::ofstream(dir.path / "huge.toml");
  fs::resize_file(dir.path / "huge.toml", (16u << 20) + 1);  // sparse: nothing written
  CHECK(include_error(dir.path, "huge.toml").find("): larger than 16 MiB, which no config file is") !=
        std::string::npos);
}

TEST_CASE("config files: an include that is a symlink loop is reported as one, not as missing") {
  TempDir dir;
  fs::create_symlink("b.toml", dir.path / "a.toml");
  fs::create_symlink("a.toml", dir.path / "b.toml");
  const std::string error = include_error(dir.path, "a.toml");
  CHECK_MESSAGE(error.find("cannot read included file \"a.toml\" (" + (dir.path / "a.toml").string() +
                           "): a symlink loop") != std::string::npos,
                error);
  CHECK(error.find("no such file") == std::string::npos);
}

TEST_CASE("config files: the panel file itself may not be a FIFO either") {
  TempDir dir;
  const fs::path panel = dir.path / "panel.toml";
  REQUIRE(::mkfifo(panel.c_str(), 0600) == 0);
  LoadResult r = load(panel);
  CHECK_FALSE(r.config);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(format(r.diagnostics[0]) ==
        panel.string() + ": error: cannot read the config file: is a FIFO, not a regular file");
}
