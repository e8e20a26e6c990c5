// Config changes on a running panel: picked up without a restart, bad files refused with the
// last good configuration kept. Real files, the sample campus, a real snapshot.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "app/config_watcher.hpp"
#include "store/snapshot.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using namespace std::chrono_literals;

namespace {

struct TempPanel {
  fs::path dir = fs::temp_directory_path() / ("kiosk-reload-" + std::to_string(::getpid()));
  fs::path file = dir / "panel.toml";
  TempPanel() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~TempPanel() { fs::remove_all(dir); }
  void write(const std::string& language, const std::string& extra = "") {
    std::ofstream(file) << "include = \"" << KIOSK_SOURCE_DIR << "/config/panels/entrance.toml\"\n"
                        << "[panel]\nlanguage = \"" << language << "\"\nsnapshot = \"" << (dir / "state.db").string()
                        << "\"\n"
                        << extra << "[[mqtt.broker]]\nhost = \"127.0.0.1\"\nport = 1\n";
    // A different size or time is what the watcher sees; make sure the time moves even on coarse clocks.
    fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(++bumps));
  }
  int bumps = 0;
};

std::optional<app::Setup> wait_for(app::ConfigWatcher& watcher) {
  for (int i = 0; i < 100; ++i) {
    if (auto setup = watcher.take()) return setup;
    std::this_thread::sleep_for(50ms);
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("a changed config is loaded aside and swapped in, a bad one is refused and the last good kept") {
  TempPanel temp;
  temp.write("fr");
  core::SystemClock clock;
  app::Setup first = app::load_setup(temp.file);
  REQUIRE(first.usable());
  {
    // A reading in the snapshot, to see it survive the swap.
    app::SpaceDirectory directory(first.model.spaces, first.model.keys);
    auto garonne = directory.find("Salle Garonne");
    REQUIRE(garonne);
    auto db = store::Snapshot::open(temp.dir / "state.db");
    db->write({{first.model.spaces[*garonne].id, {core::Reading::Kind::Presence, true, 0, clock.now(), 600s}}}, {});
  }
  auto panel = std::make_unique<app::Panel>(std::move(first), clock);
  CHECK(panel->state().language == "fr");
  int wakes = 0;
  app::ConfigWatcher watcher(temp.file, panel->setup(), 50ms, [&] { ++wakes; });
  CHECK_FALSE(watcher.take());

  SUBCASE("a clean change") {
    temp.write("en");
    auto fresh = wait_for(watcher);
    REQUIRE(fresh);
    CHECK(wakes >= 1);
    CHECK(fresh->usable());
    std::uint64_t old_revision = panel->state().revision;
    CHECK(app::reload_panel(panel, std::move(*fresh), clock, {}));
    CHECK(panel->state().language == "en");
    CHECK(panel->state().revision != old_revision);
    auto garonne = panel->state().find_space("Salle Garonne");
    REQUIRE(garonne);
    REQUIRE(panel->state().readings[*garonne]);
    CHECK(panel->state().readings[*garonne]->occupied);
  }
  SUBCASE("a typo") {
    app::Panel* before = panel.get();
    temp.write("en", "[space.\"Salle Garonne\"]\ncapacty = 3\n");
    auto fresh = wait_for(watcher);
    REQUIRE(fresh);
    CHECK_FALSE(fresh->usable());
    CHECK_FALSE(app::reload_panel(panel, std::move(*fresh), clock, {}));
    CHECK(panel.get() == before);
    CHECK(panel->state().language == "fr");
    REQUIRE_FALSE(panel->state().notices.empty());
    CHECK_MESSAGE(panel->state().notices.back().find("panel.toml:6:1: error: unknown key 'capacty'") != std::string::npos, panel->state().notices.back());
  }
}

TEST_CASE("fingerprints change with a file's content and with files added to a folder") {
  TempPanel temp;
  temp.write("fr");
  std::string a = app::files_fingerprint({temp.file, temp.dir});
  std::ofstream(temp.dir / "new.geojson") << "{}";
  std::string b = app::files_fingerprint({temp.file, temp.dir});
  CHECK(a != b);
  CHECK(app::files_fingerprint({temp.dir / "missing"}).find("missing") != std::string::npos);
}
