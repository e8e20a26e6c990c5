// The default snapshot under systemd: $STATE_DIRECTORY/<panel id>.db (StateDirectory=), else next to the
// panel file; an explicit `snapshot =` always wins.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <string>

#include "config/config.hpp"

namespace fs = std::filesystem;
using namespace kiosk::config;

namespace {

std::string all(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += format(d) + "\n";
  return out;
}

// A site and a panel file in a folder of their own, as staff lay them out in /etc/kiosk.
struct Files {
  fs::path dir;
  explicit Files(const std::string& panel_extra = "", const std::string& site_extra = "") {
    dir = fs::temp_directory_path() / ("kiosk-state-dir-test-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir / "panels");
    std::ofstream(dir / "site.toml") << "[site]\nmap = \"campus\"\n" << site_extra
                                     << "[[mqtt.broker]]\nhost = \"h\"\n[[binding]]\ntopic = \"a/{space}\"\n";
    std::ofstream(dir / "panels" / "hall.toml")
        << "include = \"../site.toml\"\n[panel]\nid = \"hall\"\nkiosk = \"k\"\n" << panel_extra;
  }
  ~Files() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  fs::path panel() const { return dir / "panels" / "hall.toml"; }
};

// Sets (or, with nullopt, unsets) STATE_DIRECTORY for one scope and puts the old value back.
class StateDirectory {
 public:
  explicit StateDirectory(const std::optional<std::string>& value) {
    if (const char* old = std::getenv("STATE_DIRECTORY")) old_ = old;
    if (value)
      ::setenv("STATE_DIRECTORY", value->c_str(), 1);
    else
      ::unsetenv("STATE_DIRECTORY");
  }
  ~StateDirectory() {
    if (old_)
      ::setenv("STATE_DIRECTORY", old_->c_str(), 1);
    else
      ::unsetenv("STATE_DIRECTORY");
  }
  StateDirectory(const StateDirectory&) = delete;
  StateDirectory& operator=(const StateDirectory&) = delete;

 private:
  std::optional<std::string> old_;
};

fs::path snapshot_of(const Files& files) {
  LoadResult r = load(files.panel());
  REQUIRE_MESSAGE(!r.has_errors(), all(r));
  REQUIRE(r.config);
  return r.config->snapshot;
}

}  // namespace

TEST_CASE("STATE_DIRECTORY set by systemd: the default snapshot is $STATE_DIRECTORY/<panel id>.db") {
  Files files;
  StateDirectory env("/var/lib/kiosk");
  CHECK(snapshot_of(files) == fs::path("/var/lib/kiosk/hall.db"));
}

TEST_CASE("STATE_DIRECTORY with several folders: the first one holds the snapshot") {
  Files files;
  StateDirectory env("/var/lib/kiosk:/var/lib/kiosk-extra");
  CHECK(snapshot_of(files) == fs::path("/var/lib/kiosk/hall.db"));
}

TEST_CASE("without STATE_DIRECTORY, or with an empty one, the snapshot stays next to the panel file") {
  Files files;
  const fs::path beside = (files.dir / "panels" / "hall.db").lexically_normal();
  {
    StateDirectory env(std::nullopt);
    CHECK(snapshot_of(files) == beside);
  }
  {
    StateDirectory env("");
    CHECK(snapshot_of(files) == beside);
  }
  {
    StateDirectory env(":/var/lib/kiosk");  // an empty first entry is no folder
    CHECK(snapshot_of(files) == beside);
  }
}

TEST_CASE("an explicit snapshot key wins over STATE_DIRECTORY, in [panel] and in [site]") {
  StateDirectory env("/var/lib/kiosk");
  Files in_panel("snapshot = \"/srv/panel.db\"\n");
  CHECK(snapshot_of(in_panel) == fs::path("/srv/panel.db"));
  Files in_site("", "snapshot = \"state/campus.db\"\n");  // relative to the site file
  CHECK(snapshot_of(in_site) == (in_site.dir / "state" / "campus.db").lexically_normal());
}
