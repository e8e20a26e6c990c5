// `kiosk check` on files that are not files: an include that is a FIFO (which used to hang check for
// good in open()), a map whose unit file is a FIFO, a symlink loop. The real binary, with a timeout:
// it must answer at once, exit 1, and name the file and what it is.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include "integration/integration_helpers.hpp"

using namespace kiosk;
using namespace kiosk::integration;

namespace {

std::string describe(const ProcessResult& r) {
  return "exit " + std::to_string(r.exit_code) + (r.timed_out ? " (timed out)" : "") + "\n--- stdout\n" + r.out +
         "--- stderr\n" + r.err;
}

}  // namespace

TEST_CASE("cli files: kiosk check refuses a FIFO include and a symlink loop at once, naming them") {
  TempDir dir;
  REQUIRE(::mkfifo((dir / "fifo.toml").c_str(), 0600) == 0);
  write_file(dir / "panel.toml", "include = \"fifo.toml\"\n");
  const ProcessResult fifo = run_kiosk({"check", "--config", (dir / "panel.toml").string()});
  INFO(describe(fifo));
  CHECK_FALSE(fifo.timed_out);
  CHECK(fifo.exit_code == 1);
  CHECK(fifo.err.find((dir / "panel.toml").string() + ":1:11: error: cannot read included file \"fifo.toml\" (" +
                      (dir / "fifo.toml").string() + "): is a FIFO, not a regular file") != std::string::npos);

  fs::create_symlink("loop.toml", dir / "loop.toml");
  write_file(dir / "looping.toml", "include = \"loop.toml\"\n");
  const ProcessResult loop = run_kiosk({"check", "--config", (dir / "looping.toml").string()});
  INFO(describe(loop));
  CHECK(loop.exit_code == 1);
  CHECK(loop.err.find("\"loop.toml\" (" + (dir / "loop.toml").string() + "): a symlink loop") != std::string::npos);
}

TEST_CASE("cli files: kiosk check refuses a map whose unit file is a FIFO, without blocking") {
  TempDir dir;
  fs::copy(kSource + "/config/campus", dir / "map", fs::copy_options::recursive);
  fs::remove(dir / "map" / "unit.geojson");
  REQUIRE(::mkfifo((dir / "map" / "unit.geojson").c_str(), 0600) == 0);
  const fs::path panel = write_entrance_panel(dir, 1, "[site]\nmap = \"map\"\n");
  const ProcessResult r = run_kiosk({"check", "--config", panel.string()});
  INFO(describe(r));
  CHECK_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find((dir / "map" / "unit.geojson").string() +
                   ": error: cannot read the file: it is a FIFO, not a regular file") != std::string::npos);
}
