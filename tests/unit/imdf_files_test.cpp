// Map files that are not files: a FIFO named unit.geojson (which a plain open() would wait on forever,
// hanging a reload), /dev/zero linked in as a feature file, a symlink loop as the manifest or as the
// folder. Each is refused at once with the file's name and what it is, never called "missing".
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "imdf/loader.hpp"

namespace fs = std::filesystem;
using kiosk::imdf::Diagnostic;
using kiosk::imdf::LoadResult;

namespace {

// A copy of tests/fixtures/imdf/minimal in a fresh folder, removed at the end.
struct TempMap {
  fs::path dir;
  TempMap() {
    char pattern[] = "/tmp/kiosk-imdf-files-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    REQUIRE(made != nullptr);
    dir = fs::path(made) / "map";
    fs::copy(fs::path(KIOSK_SOURCE_DIR) / "tests" / "fixtures" / "imdf" / "minimal", dir);
  }
  ~TempMap() {
    std::error_code ec;
    fs::remove_all(dir.parent_path(), ec);
  }
};

std::string listing(const LoadResult& result) {
  std::string out;
  for (const Diagnostic& d : result.diagnostics) out += kiosk::imdf::format(d) + "\n";
  return out;
}

// The formatted diagnostic about `file` (exactly one is expected).
std::string about(const LoadResult& result, const fs::path& file) {
  std::string found;
  int n = 0;
  for (const Diagnostic& d : result.diagnostics)
    if (d.file == file.string()) {
      found = kiosk::imdf::format(d);
      ++n;
    }
  CHECK_MESSAGE(n == 1, listing(result));
  return found;
}

}  // namespace

TEST_CASE("imdf files: a FIFO as unit.geojson is refused at once, as a FIFO, and the map has no units") {
  TempMap map;
  fs::remove(map.dir / "unit.geojson");
  REQUIRE(::mkfifo((map.dir / "unit.geojson").c_str(), 0600) == 0);
  const LoadResult result = kiosk::imdf::load(map.dir);
  CHECK_FALSE(result.venue);
  CHECK(about(result, map.dir / "unit.geojson") ==
        (map.dir / "unit.geojson").string() +
            ": error: cannot read the file: it is a FIFO, not a regular file; the unit features were skipped");
  CHECK(listing(result).find("unit.geojson is missing") == std::string::npos);
}

TEST_CASE("imdf files: a device linked in as a feature file is refused, the rest of the map loads") {
  TempMap map;
  fs::remove(map.dir / "amenity.geojson");
  fs::create_symlink("/dev/zero", map.dir / "amenity.geojson");
  const LoadResult result = kiosk::imdf::load(map.dir);
  CHECK(result.venue);
  CHECK(about(result, map.dir / "amenity.geojson").find("error: cannot read the file: it is a character device, "
                                                        "not a regular file") != std::string::npos);
}

TEST_CASE("imdf files: a symlink loop as the manifest or as the folder is reported as one, a FIFO as the folder too") {
  TempMap map;
  fs::remove(map.dir / "manifest.json");
  fs::create_symlink("manifest-b.json", map.dir / "manifest.json");
  fs::create_symlink("manifest.json", map.dir / "manifest-b.json");
  const LoadResult result = kiosk::imdf::load(map.dir);
  CHECK(result.venue);  // read as IMDF 1.0.0 "en"
  const std::string manifest = about(result, map.dir / "manifest.json");
  CHECK_MESSAGE(manifest.find("error: cannot read the file: a symlink loop") != std::string::npos, manifest);
  CHECK(manifest.find("missing") == std::string::npos);

  const fs::path fifo = map.dir.parent_path() / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(about(kiosk::imdf::load(fifo), fifo) == fifo.string() + ": error: this is a FIFO, not a folder; give the "
                                                                "IMDF folder (manifest.json and the .geojson files)");

  const fs::path loop = map.dir.parent_path() / "loop";
  fs::create_symlink(loop, loop);
  const LoadResult folder = kiosk::imdf::load(loop);
  CHECK_FALSE(folder.venue);
  CHECK(about(folder, loop).find("error: a symlink loop") != std::string::npos);
}
