// The board before the map: what a Panel leaves in its snapshot lets the next start draw the same
// board, with the same readings, before the map is parsed.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/board_cache.hpp"
#include "app/panel.hpp"
#include "store/snapshot.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using namespace std::chrono_literals;

namespace {
struct Temp {
  fs::path dir = fs::temp_directory_path() / ("kiosk-cache-" + std::to_string(::getpid()));
  Temp() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Temp() { fs::remove_all(dir); }
  fs::path panel(const std::string& name, const std::string& kiosk) {
    fs::path file = dir / (name + ".toml");
    std::ofstream(file) << "include = \"" << KIOSK_SOURCE_DIR << "/config/panels/entrance.toml\"\n"
                        << "[panel]\nkiosk = \"" << kiosk << "\"\nsnapshot = \"" << (dir / "state.db").string()
                        << "\"\n[[mqtt.broker]]\nhost = \"127.0.0.1\"\nport = 1\n";
    return file;
  }
};
}  // namespace

TEST_CASE("a panel leaves a board cache, the next start reads the same board from it") {
  Temp temp;
  fs::path file = temp.panel("entrance", "Accueil");
  app::Setup setup = app::load_setup(file);
  REQUIRE(setup.usable());
  CHECK_FALSE(app::state_from_snapshot(*setup.config, nullptr));  // no snapshot yet
  CHECK_FALSE(fs::exists(temp.dir / "state.db"));                   // and none created by looking

  core::SystemClock clock;
  std::string garonne_id;
  {
    app::SpaceDirectory directory(setup.model.spaces, setup.model.keys);
    garonne_id = setup.model.spaces[*directory.find("Salle Garonne")].id;
    auto db = store::Snapshot::open(temp.dir / "state.db");
    db->write({{garonne_id, {core::Reading::Kind::Presence, true, 0, clock.now() - 1min, 10min}}}, {});
  }
  app::Setup for_panel = app::load_setup(file);
  auto panel = std::make_unique<app::Panel>(std::move(for_panel), clock);
  const app::AppState full = panel->state();
  panel.reset();

  std::string note;
  std::optional<app::AppState> early = app::state_from_snapshot(*setup.config, &note);
  REQUIRE(early);
  CHECK(note.empty());
  REQUIRE(early->spaces.size() == full.spaces.size());
  for (std::size_t i = 0; i < full.spaces.size(); ++i) {
    CHECK(early->spaces[i].id == full.spaces[i].id);
    CHECK(early->spaces[i].name.pick("en") == full.spaces[i].name.pick("en"));
    CHECK(early->spaces[i].kind == full.spaces[i].kind);
    CHECK(early->spaces[i].seats == full.spaces[i].seats);
    CHECK(early->spaces[i].equipment == full.spaces[i].equipment);
  }
  CHECK(early->venue_name.pick("fr") == "Campus Ramassiers");
  CHECK(early->place_name.pick("en") == "Entrance");
  CHECK(early->panel_level == full.panel_level);
  auto index = early->find_space(garonne_id);
  REQUIRE(index);
  REQUIRE(early->readings[*index]);
  CHECK(early->readings[*index]->occupied);
  CHECK(early->network_enabled);
  CHECK_FALSE(early->link_known);  // "connecting", never "online" before it is

  // A panel placed elsewhere does not borrow this board.
  app::Setup elsewhere = app::load_setup(temp.panel("moved", "Palier étage 1"));
  REQUIRE(elsewhere.usable());
  CHECK_FALSE(app::state_from_snapshot(*elsewhere.config, nullptr));
}
