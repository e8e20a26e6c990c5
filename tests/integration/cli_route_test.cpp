// `kiosk route` and the map half of `kiosk check`, end to end on the sample campus and on a copy of
// it broken on purpose.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "integration/integration_helpers.hpp"

using namespace kiosk;
using namespace kiosk::integration;
namespace fs = std::filesystem;

namespace {
std::string describe(const ProcessResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\nstdout:\n" + r.out + "\nstderr:\n" + r.err;
}
const std::string kEntrance = kSource + "/config/panels/entrance.toml";

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("cli: kiosk route prints the steps, distance and time, in French and English") {
  ProcessResult fr = run_kiosk({"route", "--config", kEntrance, "--to", "salle garonne"});  // case and accents ignored
  INFO(describe(fr));
  REQUIRE(fr.exit_code == 0);
  CHECK(has(fr.out, "escalier"));
  CHECK(has(fr.out, "57\u00a0m"));  // French puts a no-break space before units
  CHECK(has(fr.out, "La salle Garonne"));

  ProcessResult en = run_kiosk({"route", "--config", kEntrance, "--to", "Salle Garonne", "--lang", "en"});
  REQUIRE(en.exit_code == 0);
  CHECK(has(en.out, "stairs up to Floor 1"));

  // Step-free: the lift instead of the stairs.
  ProcessResult lift = run_kiosk({"route", "--config", kEntrance, "--to", "Salle Garonne", "--lang", "en", "--accessible"});
  INFO(describe(lift));
  REQUIRE(lift.exit_code == 0);
  CHECK(has(lift.out, "lift"));
  CHECK_FALSE(has(lift.out, "stairs"));

  // A company leads to its office.
  ProcessResult company = run_kiosk({"route", "--config", kEntrance, "--to", "Azimut Robotics", "--lang", "en"});
  CHECK(company.exit_code == 0);
}

TEST_CASE("cli: kiosk route --json gives each level's polyline in lon/lat") {
  ProcessResult r = run_kiosk({"route", "--config", kEntrance, "--to", "Salle Garonne", "--json"});
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["found"] == true);
  CHECK(j["distance_m"].get<double>() == doctest::Approx(57.4).epsilon(0.02));  // hand-measured: 57.36 m
  REQUIRE(j["legs"].size() == 2);
  REQUIRE(j["changes"].size() == 1);
  CHECK(j["changes"][0]["via"] == "stairs");
  for (const auto& leg : j["legs"]) {
    REQUIRE(leg["polyline"].size() >= 2);
    for (const auto& p : leg["polyline"]) {
      CHECK(p[0].get<double>() == doctest::Approx(1.5100).epsilon(0.0005));   // the campus, near Labège
      CHECK(p[1].get<double>() == doctest::Approx(43.5400).epsilon(0.00005));
    }
  }
  CHECK(j["legs"][0]["ordinal"] == 0);
  CHECK(j["legs"][1]["ordinal"] == 1);
  CHECK(j["steps"].size() >= 4);
}

TEST_CASE("cli: kiosk route says clearly when it cannot") {
  ProcessResult unknown = run_kiosk({"route", "--config", kEntrance, "--to", "Salle Inexistante"});
  CHECK(unknown.exit_code == 1);
  CHECK(has(unknown.err, "no unit, room or company named \"Salle Inexistante\""));

  ProcessResult missing = run_kiosk({"route", "--config", kEntrance});
  CHECK(missing.exit_code != 0);
  CHECK(has(missing.err, "--to"));
}

TEST_CASE("cli: kiosk check reports map problems and still accepts what loads") {
  TempDir dir;
  const fs::path map = dir / "campus";
  fs::copy(kSource + "/config/campus", map, fs::copy_options::recursive);
  // A door moved 800 m east, off every wall.
  {
    std::ifstream in(map / "opening.geojson");
    auto j = nlohmann::json::parse(in);
    for (auto& p : j["features"][0]["geometry"]["coordinates"]) p[0] = p[0].get<double>() + 0.01;
    std::ofstream(map / "opening.geojson") << j.dump(1);
  }
  // A relationship whose destination is not on the map.
  std::string relationship_id;
  {
    std::ifstream in(map / "relationship.geojson");
    auto j = nlohmann::json::parse(in);
    j["features"][0]["properties"]["destination"]["id"] = "00000000-0000-0000-0000-00000000dead";
    relationship_id = j["features"][0]["id"];
    std::ofstream(map / "relationship.geojson") << j.dump(1);
  }
  const fs::path panel = dir / "panel.toml";
  write_file(panel, "include = \"" + kEntrance + "\"\n[site]\nmap = \"" + map.string() + "\"\n[panel]\nsnapshot = \"" +
                        (dir / "p.db").string() + "\"\n");
  ProcessResult r = run_kiosk({"check", "--config", panel.string()});
  INFO(describe(r));
  CHECK(r.exit_code == 0);  // map problems are warnings: the rest of the map is used
  CHECK(has(r.err, (map / "opening.geojson").string() + ": warning: door touches no wall"));
  CHECK(has(r.err, (map / "relationship.geojson").string() + ":3:3: warning:"));  // the loader knows where
  CHECK(has(r.err, relationship_id));
  CHECK(has(r.out, "ok: panel 'entrance'"));
  // And the panel still routes where the map allows.
  ProcessResult route = run_kiosk({"route", "--config", panel.string(), "--to", "Salle Capitole"});
  CHECK(route.exit_code == 0);
}

TEST_CASE("cli: the real Ulm export (no openings, no relationships) checks, and says what it inferred") {
  TempDir dir;
  const fs::path panel = dir / "panel.toml";
  write_file(panel, "[site]\nname = \"Uni Ulm\"\nmap = \"" + std::string(KIOSK_SHARED_DATA_DIR) +
                        "/imdf/uulm-osmtoimdf\"\n[panel]\nid = \"ulm\"\nkiosk = \"nowhere\"\n"
                        "snapshot = \"" + (dir / "p.db").string() + "\"\n[[mqtt.broker]]\nhost = \"127.0.0.1\"\n");
  ProcessResult r = run_kiosk({"check", "--config", panel.string()});
  INFO(describe(r));
  // The export has no kiosk at all: the panel cannot stand anywhere (a config error), but the map's
  // own findings are reported first.
  CHECK(has(r.err, "map has no openings"));
  CHECK(has(r.err, "doors inferred from shared walls"));
  CHECK(has(r.err, "map has no stairs/elevator relationships"));
  CHECK(has(r.err, "not a kiosk of the map"));
}
