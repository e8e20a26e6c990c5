// Layered config: a site file under a panel file, override rules, origins, includes, hash, sample files.
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <string>

#include "config/config.hpp"

namespace fs = std::filesystem;
using namespace kiosk::config;
using namespace std::chrono_literals;

namespace {

fs::path fixtures() { return fs::path(KIOSK_SOURCE_DIR) / "tests" / "fixtures" / "config"; }
std::string fixture(const char* name) { return (fixtures() / name).lexically_normal().string(); }

std::string all(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += format(d) + "\n";
  return out;
}

bool has(const LoadResult& r, const std::string& prefix, const std::string& fragment = "") {
  for (const Diagnostic& d : r.diagnostics) {
    std::string line = format(d);
    if (line.rfind(prefix, 0) == 0 && line.find(fragment) != std::string::npos) return true;
  }
  return false;
}

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("kiosk-config-test-" + std::to_string(std::random_device{}()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

}  // namespace

TEST_CASE("a full layered pair gives every field, the panel overriding the site") {
  LoadResult r = load(fixtures() / "panel.toml");
  REQUIRE_MESSAGE(!r.has_errors(), all(r));
  CHECK_MESSAGE(r.diagnostics.empty(), all(r));
  REQUIRE(r.config);
  const PanelConfig& c = *r.config;

  CHECK(c.panel_id == "floor-2");
  CHECK(c.kiosk == "kiosk-2");
  CHECK(c.title == "Étage 2");
  CHECK(c.heading_deg == doctest::Approx(90.5));
  CHECK(c.language == "fr");  // [panel] beats the site's [defaults]
  CHECK(c.screens == std::vector<std::string>{"board"});
  CHECK(c.site_name == "Campus Test");
  CHECK(c.map == (fixtures() / "maps/campus").lexically_normal());         // relative to site.toml
  CHECK(c.snapshot == (fixtures() / "state/site.db").lexically_normal());  // [site] snapshot

  // [[mqtt.broker]] of the panel replaces the site's list; [mqtt] merges key by key.
  REQUIRE(c.brokers.size() == 1);
  CHECK(c.brokers[0].host == "panel-broker.lan");
  CHECK(c.brokers[0].port == 1884);
  CHECK(c.client_id == "kiosk-floor-2");
  CHECK(c.status_prefix == "campus/panels");
  CHECK(c.keepalive_s == 20);
  CHECK(c.max_payload == 4096);
  CHECK(c.reconnect_min == 2s);
  CHECK(c.reconnect_max == 60s);
  CHECK(c.default_ttl == 15min);
  CHECK(c.idle_timeout == 2min);

  REQUIRE(c.bindings.size() == 2);  // the panel writes none: the site's stay
  const Binding& words = c.bindings[0];
  CHECK(words.topic == "campus/{floor}/{space}/occupancy");
  CHECK(words.space == "{space}");
  CHECK(words.format == "words");
  CHECK(words.field.empty());
  CHECK(words.value == "presence");
  CHECK(words.ttl == 10min);
  CHECK(words.qos == 1);
  CHECK(words.space_map.empty());
  const Binding& json = c.bindings[1];
  CHECK(json.topic == "zigbee2mqtt/{sensor}");
  CHECK(json.space == "{sensor}");
  CHECK(json.format == "json");
  CHECK(json.field == "occupancy");
  CHECK(json.ttl == 0s);
  CHECK(json.qos == 0);
  CHECK(json.space_map == std::map<std::string, std::string>{{"0x00158d0001", "Salle Garonne"}});

  // Space entries merge per key: the panel's capacity, the site's kind/equipment/name.
  REQUIRE(c.spaces.size() == 3);
  CHECK(c.spaces[0].key == "Box 1");
  CHECK(c.spaces[0].kind == "phone");
  CHECK(c.spaces[0].capacity == 1);
  CHECK(c.spaces[0].hidden);
  const SpaceDetails& garonne = c.spaces[1];
  CHECK(garonne.key == "Salle Garonne");
  CHECK(garonne.kind == "meeting");
  CHECK(garonne.capacity == 10);
  CHECK(garonne.equipment == std::vector<std::string>{"screen", "video"});
  CHECK(garonne.name == std::map<std::string, std::string>{{"fr", "Salle Garonne"}, {"en", "Garonne room"}});
  CHECK_FALSE(garonne.hidden);
  CHECK(c.spaces[2].key == "Sieste");
  CHECK(c.spaces[2].kind == "nap");
  CHECK(c.spaces[2].seats == 4);
  CHECK(c.spaces[2].capacity == 0);

  REQUIRE(c.files.size() == 2);
  CHECK(c.files[0] == fixtures() / "panel.toml");
  CHECK(c.files[1] == fs::path(fixture("site.toml")));
  CHECK(c.hash.size() == 16);
  CHECK(c.hash.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("origins point at the file and line that wrote the value") {
  LoadResult r = load(fixtures() / "panel.toml");
  REQUIRE(r.config);
  const PanelConfig& c = *r.config;
  const std::string panel = (fixtures() / "panel.toml").string();
  CHECK(c.brokers[0].origin.file == panel);
  CHECK(c.brokers[0].origin.line == 14);
  CHECK(c.brokers[0].origin.column == 1);
  CHECK(c.bindings[0].origin.file == fixture("site.toml"));
  CHECK(c.bindings[0].origin.line == 28);
  CHECK(c.bindings[1].origin.line == 32);
  CHECK(c.spaces[0].origin.file == panel);  // Box 1: only in the panel
  CHECK(c.spaces[0].origin.line == 21);
  CHECK(c.spaces[1].origin.file == panel);  // Salle Garonne: the panel's header overrides
  CHECK(c.spaces[1].origin.line == 18);
  CHECK(c.spaces[2].origin.file == fixture("site.toml"));  // Sieste: only in the site
  CHECK(c.spaces[2].origin.line == 47);
}

TEST_CASE("load_string resolves includes and paths against base_dir") {
  LoadResult r = load_string("include = \"site.toml\"\n[panel]\nid = \"p1\"\nkiosk = \"k\"\n[site]\nmap = \"other\"\n",
                             "mem.toml", fixtures());
  REQUIRE_MESSAGE(r.config, all(r));
  CHECK(r.config->map == (fixtures() / "other").lexically_normal());  // set by mem.toml: relative to base_dir
  CHECK(r.config->language == "en");                                 // the site's [defaults]
  CHECK(r.config->brokers.size() == 2);                              // the site's list
  CHECK(r.config->files.size() == 2);
  CHECK(r.config->files[0] == fs::path("mem.toml"));
}

TEST_CASE("the default snapshot is <panel_id>.db next to the panel file") {
  LoadResult r = load_string("include = \"base.toml\"\n[panel]\nid = \"hall\"\nkiosk = \"k\"\n", "p.toml", "/srv/kiosk");
  CHECK(has(r, "p.toml:1:11: error: cannot read included file \"base.toml\""));  // not there
  r = load_string("include = \"" + fixture("base.toml") + "\"\n[panel]\nid = \"hall\"\nkiosk = \"k\"\n", "p.toml",
                  "/srv/kiosk");
  REQUIRE_MESSAGE(r.config, all(r));
  CHECK(r.config->snapshot == fs::path("/srv/kiosk/hall.db"));
  CHECK(r.config->map == (fixtures() / "map").lexically_normal());
  CHECK(r.config->client_id == "kiosk-hall");
}

TEST_CASE("include errors: cycle, missing file, too deep, and errors inside an included file") {
  LoadResult cycle = load(fixtures() / "cycle_a.toml");
  CHECK_FALSE(cycle.config);
  CHECK_MESSAGE(has(cycle, fixture("cycle_b.toml") + ":2:11: error: include cycle: ", "remove one of these includes"),
                all(cycle));

  LoadResult missing = load(fixtures() / "missing_include.toml");
  CHECK_FALSE(missing.config);
  CHECK_MESSAGE(has(missing, (fixtures() / "missing_include.toml").string() +
                                 ":1:11: error: cannot read included file \"no_such_site.toml\"",
                    "no such file"),
                all(missing));

  LoadResult four = load_string("include = \"deep1.toml\"\n[panel]\nid = \"d\"\nkiosk = \"k\"\n", "deep.toml", fixtures());
  CHECK_MESSAGE(!four.has_errors(), all(four));  // 4 levels of include are allowed
  LoadResult five = load_string("include = \"deep0.toml\"\n[panel]\nid = \"d\"\nkiosk = \"k\"\n", "deep.toml", fixtures());
  CHECK_MESSAGE(has(five, fixture("deep3.toml") + ":2:11: error: too many levels of include (at most 4)"), all(five));

  LoadResult typo = load_string("include = \"typo_site.toml\"\n[panel]\nid = \"t\"\nkiosk = \"k\"\n", "t.toml", fixtures());
  CHECK_MESSAGE(has(typo, fixture("typo_site.toml") +
                              ":3:1: error: unknown key 'nmae' in [site]; did you mean 'name'?"),
                all(typo));

  LoadResult bad = load_string("include = 'bad_syntax_site.toml'\n", "b.toml", fixtures());
  CHECK_MESSAGE(has(bad, fixture("bad_syntax_site.toml") + ":4:8: error: TOML syntax error: "), all(bad));
  CHECK(bad.diagnostics.size() == 1);

  LoadResult not_string = load_string("include = 3\n", "n.toml", fixtures());
  CHECK(has(not_string, "n.toml:1:11: error: 'include' must be the path of the file"));

  LoadResult no_file = load(fixtures() / "nothing_here.toml");
  CHECK(has(no_file, (fixtures() / "nothing_here.toml").string() + ": error: cannot read the config file: no such file"));
}

TEST_CASE("syntax errors point at their position") {
  LoadResult r = load_string("[panel]\nid = \"p\"\nkiosk = Accueil\n", "s.toml", fixtures());
  CHECK_FALSE(r.config);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].origin.line == 3);
  CHECK(r.diagnostics[0].origin.column == 9);
  CHECK(format(r.diagnostics[0]).rfind("s.toml:3:9: error: TOML syntax error: ", 0) == 0);

  LoadResult twice = load_string("[panel]\nid = \"a\"\nid = \"b\"\n", "s.toml", fixtures());
  CHECK(has(twice, "s.toml:3:", "TOML syntax error"));
}

TEST_CASE("the hash follows the bytes of every file read") {
  TempDir dir;
  const std::string site = "[site]\nmap = \"m\"\n[[mqtt.broker]]\nhost = \"h\"\n[[binding]]\ntopic = \"a/{space}\"\n";
  dir.write("site.toml", site);
  dir.write("p.toml", "include = \"site.toml\"\n[panel]\nid = \"p\"\nkiosk = \"k\"\n");
  LoadResult first = load(dir.path / "p.toml");
  REQUIRE_MESSAGE(first.config, all(first));
  CHECK(first.config->files == std::vector<fs::path>{dir.path / "p.toml", dir.path / "site.toml"});

  LoadResult again = load(dir.path / "p.toml");
  REQUIRE(again.config);
  CHECK(again.config->hash == first.config->hash);

  dir.write("site.toml", site + "# a comment changes the bytes\n");
  LoadResult changed = load(dir.path / "p.toml");
  REQUIRE(changed.config);
  CHECK(changed.config->hash != first.config->hash);

  dir.write("site.toml", site);
  dir.write("p.toml", "include = \"site.toml\"\n[panel]\nid = \"p\"\nkiosk = \"k2\"\n");
  LoadResult panel_changed = load(dir.path / "p.toml");
  REQUIRE(panel_changed.config);
  CHECK(panel_changed.config->hash != first.config->hash);
}

TEST_CASE("the sample config/panels/entrance.toml over config/site.toml loads without errors") {
  const fs::path panel = fs::path(KIOSK_SOURCE_DIR) / "config" / "panels" / "entrance.toml";
  LoadResult r = load(panel);
  REQUIRE_MESSAGE(!r.has_errors(), all(r));
  CHECK_MESSAGE(r.diagnostics.empty(), all(r));
  REQUIRE(r.config);
  const PanelConfig& c = *r.config;
  CHECK(c.panel_id == "entrance");
  CHECK(c.kiosk == "Accueil");
  CHECK(c.heading_deg == 0);
  CHECK(c.language == "fr");
  CHECK(c.map == (fs::path(KIOSK_SOURCE_DIR) / "config" / "campus").lexically_normal());
  CHECK(c.snapshot == (panel.parent_path() / "entrance.db").lexically_normal());
  REQUIRE(c.brokers.size() == 1);
  CHECK(c.brokers[0].host == "127.0.0.1");
  CHECK(c.brokers[0].port == 1883);
  REQUIRE(c.bindings.size() == 2);
  CHECK(c.bindings[0].topic == "campus/{floor}/{space}/occupancy");
  CHECK(c.bindings[0].format == "words");
  CHECK(c.bindings[0].value == "presence");
  CHECK(c.bindings[0].ttl == 10min);
  CHECK(c.bindings[1].topic == "campus/{floor}/{space}/seats");
  CHECK(c.bindings[1].format == "json");
  CHECK(c.bindings[1].field == "taken");
  CHECK(c.bindings[1].value == "count");
  bool garonne = false;
  for (const SpaceDetails& s : c.spaces)
    if (s.key == "Salle Garonne") garonne = s.kind == "meeting" && s.capacity > 0 && !s.equipment.empty();
  CHECK(garonne);
  CHECK(c.files.size() == 2);
}
