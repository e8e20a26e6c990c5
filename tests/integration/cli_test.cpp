// The `kiosk` executable as staff and scripts use it: check, state, simulate. Each test spawns the real
// binary (KIOSK_BINARY), captures stdout, stderr and the exit code.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/occupancy.hpp"
#include "integration/integration_helpers.hpp"

using namespace kiosk;
using namespace kiosk::integration;

namespace {

std::string describe(const ProcessResult& r) {
  return "exit " + std::to_string(r.exit_code) + (r.timed_out ? " (timed out)" : "") + "\n--- stdout\n" + r.out +
         "--- stderr\n" + r.err;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A panel file with no broker needed: commands that read files only. Port 1 is never dialled.
fs::path offline_panel(const TempDir& dir, const std::string& extra, const std::string& name = "panel.toml",
                       const std::string& snapshot = "panel.db") {
  return write_entrance_panel(dir, 1, extra, name, snapshot);
}

}  // namespace

TEST_CASE("cli: kiosk check accepts the sample entrance panel") {
  const ProcessResult r = run_kiosk({"check", "--config", kSource + "/config/panels/entrance.toml"});
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("ok: panel 'entrance'") != std::string::npos);
  CHECK(r.err.find("error") == std::string::npos);
}

TEST_CASE("cli: kiosk check refuses a typo with file:line:col and a suggestion") {
  TempDir dir;
  const fs::path file = offline_panel(dir,
                                      "\n"                         // line 10
                                      "[space.\"Salle Garonne\"]\n"  // line 11
                                      "capacty = 14\n");           // line 12
  const ProcessResult r = run_kiosk({"check", "--config", file.string()});
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(file.string() + ":12:1: error:") != std::string::npos);
  CHECK(r.err.find("capacty") != std::string::npos);
  CHECK(r.err.find("did you mean 'capacity'") != std::string::npos);
  CHECK(r.out.find("refused") != std::string::npos);
}

TEST_CASE("cli: kiosk check refuses a binding naming a space that does not exist") {
  TempDir dir;
  const fs::path file = offline_panel(dir,
                                      "[[binding]]\n"  // line 10
                                      "topic = \"x/y\"\n"
                                      "space = \"Salle Inexistante\"\n");
  const ProcessResult r = run_kiosk({"check", "--config", file.string()});
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(file.string() + ":10:1: error:") != std::string::npos);
  CHECK(r.err.find("'Salle Inexistante'") != std::string::npos);
  CHECK(r.err.find("not a space of this panel") != std::string::npos);
}

TEST_CASE("cli: kiosk check refuses a panel whose kiosk is not on the map") {
  TempDir dir;
  const fs::path file = dir / "panel.toml";
  write_file(file, "include = \"" + kSource + "/config/panels/entrance.toml\"\n"
                   "[panel]\n"
                   "kiosk = \"Borne Fantôme\"\n"
                   "snapshot = \"" + (dir / "panel.db").string() + "\"\n");
  const ProcessResult r = run_kiosk({"check", "--config", file.string()});
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(file.string() + ":3:9: error:") != std::string::npos);  // where [panel] kiosk is written
  CHECK(r.err.find("'Borne Fantôme'") != std::string::npos);
  CHECK(r.err.find("not a kiosk of the map") != std::string::npos);
}

TEST_CASE("cli: kiosk state --json lists what a panel stored, with states and ages") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  const fs::path file = write_entrance_panel(dir, broker.port());
  core::SystemClock clock;
  std::size_t space_count = 0;
  {
    Pumper pumper;
    app::Panel panel(load_usable(file), clock);
    space_count = panel.state().spaces.size();
    panel.start_network(pumper.wake());
    settle(panel, pumper, broker.port());
    auto sensor = connect_publisher(broker.port(), "test-sensor");
    send(*sensor, "campus/1/salle-garonne/occupancy", "occupied");
    send(*sensor, "campus/2/salle-de-sieste-nord/seats", R"({"taken":3})");
    REQUIRE(pumper.until(panel,
                         [&] {
                           const auto& g = reading_of(panel, "Salle Garonne");
                           const auto& n = reading_of(panel, "Salle de sieste Nord");
                           return g && g->occupied && n && n->count == 3;
                         },
                         5s));
    panel.stop();
  }

  const ProcessResult r = run_kiosk({"state", "--config", file.string(), "--json"});
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  const auto json = nlohmann::json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(json.is_discarded());
  REQUIRE(json.is_array());
  CHECK(json.size() == space_count);
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& row : json) by_name[row.at("name").get<std::string>()] = row;

  REQUIRE(by_name.count("Salle Garonne") == 1);
  const auto& garonne = by_name["Salle Garonne"];
  CHECK(garonne["state"] == "occupied");
  CHECK(garonne["stale"] == false);
  REQUIRE(garonne.contains("age_s"));
  CHECK(garonne["age_s"].get<long long>() >= 0);
  CHECK(garonne["age_s"].get<long long>() < 60);
  CHECK(garonne["observed"].is_string());
  CHECK(garonne["ttl_s"] == 600);

  REQUIRE(by_name.count("Salle de sieste Nord") == 1);
  CHECK(by_name["Salle de sieste Nord"]["seats_free"] == 1);
  CHECK(by_name["Salle de sieste Nord"]["seats"] == 4);

  REQUIRE(by_name.count("Salle Capitole") == 1);
  CHECK(by_name["Salle Capitole"]["state"] == "unknown");
  CHECK(by_name["Salle Capitole"]["why_unknown"] == "never heard from");
  CHECK_FALSE(by_name["Salle Capitole"].contains("age_s"));
}

TEST_CASE("cli: kiosk state without a snapshot says so and lists every space as unknown") {
  TempDir dir;
  const fs::path file = offline_panel(dir, "", "panel.toml", "never-written.db");
  const std::size_t space_count = load_usable(file).model.spaces.size();
  REQUIRE(space_count > 0);
  const ProcessResult r = run_kiosk({"state", "--config", file.string()});
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("no snapshot") != std::string::npos);
  CHECK(r.err.find((dir / "never-written.db").string()) != std::string::npos);
  const auto lines = lines_of(r.out);
  CHECK(lines.size() == space_count);
  for (const auto& line : lines) {
    INFO(line);
    CHECK(line.find("unknown") != std::string::npos);
    CHECK(line.find("never heard from") != std::string::npos);
  }
  CHECK(r.out.find("Salle Garonne") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "never-written.db"));  // reading the state writes nothing
}

TEST_CASE("cli: kiosk state on a corrupt snapshot moves it aside, keeps its bytes and still answers") {
  TempDir dir;
  const fs::path file = offline_panel(dir, "", "panel.toml", "broken.db");
  std::string garbage(8192, '\0');
  std::mt19937 random(42);
  for (char& c : garbage) c = static_cast<char>(random() & 0xff);
  write_file(dir / "broken.db", garbage);

  const ProcessResult r = run_kiosk({"state", "--config", file.string()});
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("moved aside") != std::string::npos);
  CHECK(lines_of(r.out).size() == load_usable(file).model.spaces.size());
  CHECK(r.out.find("Salle Garonne") != std::string::npos);

  std::vector<fs::path> moved;
  for (const auto& entry : fs::directory_iterator(dir.path()))
    if (entry.path().filename().string().rfind("broken.db.corrupt-", 0) == 0) moved.push_back(entry.path());
  REQUIRE(moved.size() == 1);
  CHECK(r.err.find(moved.front().string()) != std::string::npos);  // the message names where it went
  CHECK(read_file(moved.front()) == garbage);                        // byte for byte
}

TEST_CASE("cli: kiosk simulate feeds every space of the sample config to a running panel") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  const fs::path file = write_entrance_panel(dir, broker.port());
  core::SystemClock clock;
  Pumper pumper;
  app::Panel panel(load_usable(file), clock);
  const std::size_t space_count = panel.state().spaces.size();
  panel.start_network(pumper.wake());
  REQUIRE(pumper.until(panel, [&] { return connected(panel); }, 5s));

  const ProcessResult r =
      run_kiosk({"simulate", "--config", file.string(), "--rate", "50", "--duration", "1"}, 15s);
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("simulate: " + std::to_string(space_count) + " sensors") != std::string::npos);

  auto heard_from_all = [&] {
    for (const auto& reading : panel.state().readings)
      if (!reading) return false;
    return true;
  };
  const bool all = pumper.until(panel, heard_from_all, 5s);
  for (std::size_t i = 0; i < space_count; ++i) {
    INFO(panel.state().spaces[i].name.pick("fr"));
    CHECK(panel.state().readings[i].has_value());
  }
  CHECK(all);
  panel.pump();
  CHECK(panel.state().figures.rejected == 0);
  CHECK(panel.state().figures.unknown_space == 0);
  CHECK(panel.state().figures.received >= space_count + 40);  // the first picture + ~50 msg/s for 1 s
  for (std::size_t i = 0; i < space_count; ++i) {
    const auto status = core::evaluate(panel.state().spaces[i], panel.state().readings[i], clock.now());
    CHECK(status.availability != core::Availability::Unknown);
  }
}

TEST_CASE("cli: kiosk simulate speaks every gateway format, and the panel decodes all of it") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  const fs::path file = write_entrance_panel(dir, broker.port(),
                                             "[[binding]]\ntopic = \"z2m/{space}\"\nformat = \"zigbee2mqtt\"\n"
                                             "[[binding]]\ntopic = \"ha/{space}/state\"\nformat = \"homeassistant\"\n"
                                             "[[binding]]\ntopic = \"ttn/{space}/up\"\nformat = \"ttn\"\n"
                                             "[[binding]]\ntopic = \"homie/{space}/occupancy\"\nformat = \"homie\"\n"
                                             "[[binding]]\ntopic = \"tele/{space}/SENSOR\"\nformat = \"tasmota\"\n"
                                             "field = \"PIR1.Motion\"\n"
                                             "[[binding]]\ntopic = \"shellies/{space}/sensor\"\nformat = \"shelly\"\n"
                                             "[[binding]]\ntopic = \"seats/{space}\"\nformat = \"ttn\"\n"
                                             "value = \"count\"\nfield = \"seats_taken\"\n");
  core::SystemClock clock;
  Pumper pumper;
  app::Panel panel(load_usable(file), clock);
  panel.start_network(pumper.wake());
  REQUIRE(pumper.until(panel, [&] { return connected(panel); }, 5s));

  const ProcessResult r = run_kiosk({"simulate", "--config", file.string(), "--rate", "50", "--duration", "1"}, 15s);
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  auto heard_from_all = [&] {
    for (const auto& reading : panel.state().readings)
      if (!reading) return false;
    return true;
  };
  CHECK(pumper.until(panel, heard_from_all, 5s));
  panel.pump();
  CHECK(panel.state().figures.received > panel.state().spaces.size() * 6);
  CHECK(panel.state().figures.rejected == 0);
  CHECK(panel.state().figures.unknown_space == 0);
}

TEST_CASE("cli: kiosk --config with a broken file and no screen says what is wrong with the file first") {
  TempDir dir;
  const fs::path file = offline_panel(dir, "[space.\"Salle Garonne\"]\ncapacty = 3\n");
  // No display to be had: the window fails too, but the file's problem is what staff can act on.
  ::setenv("SDL_VIDEODRIVER", "kiosk-test-no-such-driver", 1);
  const ProcessResult r = run_kiosk({"--config", file.string()});
  ::unsetenv("SDL_VIDEODRIVER");
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  const std::size_t typo = r.err.find("did you mean 'capacity'");
  const std::size_t window = r.err.find("cannot start SDL video");
  CHECK(typo != std::string::npos);
  CHECK(r.err.find("kiosk check --config") != std::string::npos);
  CHECK(window != std::string::npos);
  CHECK(typo < window);
}
