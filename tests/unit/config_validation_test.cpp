// Validation: every rule reports file:line:col and what to do, and validation keeps going after an error.
// Each panel text below includes tests/fixtures/config/base.toml (a minimal valid site) on its line 1.
#include <doctest/doctest.h>

#include <string>

#include "config/config.hpp"

namespace fs = std::filesystem;
using namespace kiosk::config;
using namespace std::chrono_literals;

namespace {

fs::path fixtures() { return fs::path(KIOSK_SOURCE_DIR) / "tests" / "fixtures" / "config"; }

// A panel over base.toml; `rest` starts on line 5 (after include, [panel], id, kiosk).
LoadResult panel(const std::string& rest) {
  return load_string("include = \"base.toml\"\n[panel]\nid = \"p\"\nkiosk = \"k\"\n" + rest, "panel.toml", fixtures());
}
LoadResult standalone(const std::string& text) { return load_string(text, "panel.toml", fixtures()); }

std::string all(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += format(d) + "\n";
  return out;
}

// Exactly one diagnostic, and it is `expected`.
void check_only(const LoadResult& r, const std::string& expected) {
  INFO(all(r));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(format(r.diagnostics[0]) == expected);
  if (r.diagnostics[0].severity == Diagnostic::Severity::Error) CHECK_FALSE(r.config);
}

bool has(const LoadResult& r, const std::string& prefix, const std::string& fragment = "") {
  for (const Diagnostic& d : r.diagnostics) {
    std::string line = format(d);
    if (line.rfind(prefix, 0) == 0 && line.find(fragment) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the minimal panel over base.toml is valid") {
  LoadResult r = panel("");
  CHECK_MESSAGE(r.diagnostics.empty(), all(r));
  REQUIRE(r.config);
  CHECK(r.config->default_ttl == 600s);
  CHECK(r.config->idle_timeout == 60s);
  CHECK(r.config->keepalive_s == 30);
  CHECK(r.config->status_prefix == "kiosk");
}

TEST_CASE("unknown keys are errors, with the nearest known key suggested") {
  check_only(panel("[space.\"Salle Garonne\"]\ncapacty = 8\n"),
             "panel.toml:6:1: error: unknown key 'capacty' in [space.\"Salle Garonne\"]; did you mean 'capacity'?");
  check_only(panel("colour = \"red\"\n"),
             "panel.toml:5:1: error: unknown key 'colour' in [panel]; known keys: id, kiosk, title, heading, "
             "language, screens, snapshot, gl");
  check_only(panel("[pannel]\n"), "panel.toml:5:2: error: unknown key 'pannel' at the top level; did you mean 'panel'?");
  check_only(panel("[mqtt]\nkeepalve = 10\n"),
             "panel.toml:6:1: error: unknown key 'keepalve' in [mqtt]; did you mean 'keepalive'?");
  check_only(panel("[[mqtt.broker]]\nhost = \"h\"\nprot = 1\n"),
             "panel.toml:7:1: error: unknown key 'prot' in [[mqtt.broker]]; did you mean 'port'?");
  check_only(panel("[defaults]\nttl_s = 10\n"), "panel.toml:6:1: error: unknown key 'ttl_s' in [defaults]; did you mean 'ttl'?");
  check_only(panel("[[binding]]\ntopic = \"a/{space}\"\nfromat = \"json\"\n"),
             "panel.toml:7:1: error: unknown key 'fromat' in [[binding]]; did you mean 'format'?");
  check_only(panel("[site]\nmapp = \"x\"\n"), "panel.toml:6:1: error: unknown key 'mapp' in [site]; did you mean 'map'?");
  check_only(panel("[space.x]\nname = { fr = \"a\", de = \"b\" }\n"),
             "panel.toml:6:20: error: unknown key 'de' in [space.\"x\".name]; known keys: fr, en");
}

TEST_CASE("wrong types are errors at the value") {
  check_only(panel("[[mqtt.broker]]\nhost = \"h\"\nport = \"1883\"\n"),
             "panel.toml:7:8: error: 'port' in [[mqtt.broker]] must be a whole number, not a string");
  check_only(panel("[space.x]\ncapacity = 6.5\n"),
             "panel.toml:6:12: error: 'capacity' in [space.\"x\"] must be a whole number, not a decimal number");
  check_only(panel("[space.x]\nhidden = \"yes\"\n"),
             "panel.toml:6:10: error: 'hidden' in [space.\"x\"] must be true or false (without quotes), not a string");
  check_only(panel("[space.x]\nequipment = \"screen\"\n"),
             "panel.toml:6:13: error: 'equipment' in [space.\"x\"] must be a list of strings, like [\"a\", \"b\"], not "
             "a string");
  check_only(panel("title = 3\n"), "panel.toml:5:9: error: 'title' in [panel] must be a string (in double quotes), not an integer");
  CHECK(has(standalone("site = \"x\"\n"),
            "panel.toml:1:8: error: 'site' must be a table: write [site] on its own line, then its keys, not a string"));
  CHECK(has(panel("[binding]\ntopic = \"x\"\n"), "panel.toml:5:1: error: 'binding' must be a list of tables: write [[binding]]"));
  CHECK(has(panel("[mqtt.broker]\nhost = \"x\"\n"),
            "panel.toml:5:1: error: 'broker' in [mqtt] must be a list of tables: write [[mqtt.broker]]"));
  check_only(panel("[space]\nx = 3\n"), "panel.toml:6:1: error: space \"x\" must be a table: write [space.\"x\"] on its "
                                        "own line, then its keys (kind, capacity, ...)");
}

TEST_CASE("missing required keys") {
  check_only(load_string("include = \"base.toml\"\n[panel]\nkiosk = \"k\"\n", "panel.toml", fixtures()),
             "panel.toml:2:1: error: missing 'id' in [panel]: add id = \"entrance\" (a-z, 0-9, '_' or '-'; used in "
             "MQTT topics)");
  check_only(load_string("include = \"base.toml\"\n\n[panel]\nid = \"p\"\n", "panel.toml", fixtures()),
             "panel.toml:3:1: error: missing 'kiosk' in [panel]: add kiosk = \"...\" (the id or name of the map's "
             "kiosk where it stands)");
  LoadResult nothing = standalone("# empty\n");
  CHECK(has(nothing, "panel.toml:1:1: error: missing 'id' in [panel]"));
  CHECK(has(nothing, "panel.toml:1:1: error: missing 'kiosk' in [panel]"));
  CHECK(has(nothing, "panel.toml:1:1: error: missing 'map' in [site]: add map = "));
  CHECK(has(nothing, "panel.toml:1:1: error: missing 'broker' in [mqtt]: add a [[mqtt.broker]] table"));
  CHECK(has(nothing, "panel.toml:1:1: warning: no [[binding]]"));
  CHECK(nothing.diagnostics.size() == 5);

  LoadResult no_map = standalone("[panel]\nid = \"p\"\nkiosk = \"k\"\n[site]\nname = \"n\"\n[mqtt]\n[[binding]]\ntopic = \"{space}\"\n");
  CHECK(has(no_map, "panel.toml:4:1: error: missing 'map' in [site]"));
  CHECK(has(no_map, "panel.toml:6:1: error: missing 'broker' in [mqtt]"));
  CHECK(no_map.diagnostics.size() == 2);

  check_only(panel("[[mqtt.broker]]\nport = 1\n"),
             "panel.toml:5:1: error: missing 'host' in [[mqtt.broker]]: add host = \"127.0.0.1\" (the broker's name or "
             "address)");
  check_only(panel("[[binding]]\nspace = \"x\"\n"),
             "panel.toml:5:1: error: missing 'topic' in [[binding]]: add topic = \"campus/{floor}/{space}/occupancy\" "
             "(the sensors' topic)");
  check_only(panel("[site]\nmap = \"\"\n"), "panel.toml:6:7: error: 'map' in [site] is empty: write a value or remove the line");
}

TEST_CASE("ranges and enumerations") {
  check_only(panel("[[mqtt.broker]]\nhost = \"h\"\nport = 0\n"),
             "panel.toml:7:8: error: 'port' in [[mqtt.broker]] must be between 1 and 65535, got 0");
  check_only(panel("[[mqtt.broker]]\nhost = \"h\"\nport = 70000\n"),
             "panel.toml:7:8: error: 'port' in [[mqtt.broker]] must be between 1 and 65535, got 70000");
  check_only(panel("language = \"de\"\n"), "panel.toml:5:12: error: 'language' in [panel] must be \"fr\" or \"en\", not \"de\"");
  check_only(panel("[defaults]\nlanguage = \"eng\"\n"),
             "panel.toml:6:12: error: 'language' in [defaults] must be \"fr\" or \"en\", not \"eng\"; did you mean \"en\"?");
  check_only(panel("screens = [\"board\", \"bord\"]\n"),
             "panel.toml:5:21: error: unknown screen \"bord\" in 'screens' in [panel]; did you mean \"board\"?");
  check_only(panel("screens = []\n"),
             "panel.toml:5:11: error: 'screens' in [panel] is empty: list at least one screen, e.g. [\"board\"]");
  check_only(panel("heading = 400\n"),
             "panel.toml:5:11: error: 'heading' in [panel] must be between 0 and 360 (degrees clockwise from north the "
             "viewer faces), got 400");
  CHECK(has(panel("heading = -0.5\n"), "panel.toml:5:11: error: 'heading' in [panel] must be between 0 and 360"));
  CHECK(has(panel("heading = nan\n"), "panel.toml:5:11: error: 'heading' in [panel] must be between 0 and 360"));
  CHECK(panel("heading = 360\n").config);
  CHECK(panel("heading = 0.0\n").config);
  check_only(panel("[[binding]]\ntopic = \"a/{space}\"\nqos = 3\n"),
             "panel.toml:7:7: error: 'qos' in [[binding]] must be between 0 and 2, got 3");
  check_only(panel("[space.x]\ncapacity = -1\n"), "panel.toml:6:12: error: 'capacity' in [space.\"x\"] must be 0 or more people, got -1");
  check_only(panel("[space.x]\nseats = -2\n"), "panel.toml:6:9: error: 'seats' in [space.\"x\"] must be 0 or more, got -2");
  check_only(panel("[space.x]\nkind = \"meting\"\n"),
             "panel.toml:6:8: error: 'kind' in [space.\"x\"] must be \"meeting\", \"nap\", \"sport\", \"phone\" or "
             "\"other\", not \"meting\"; did you mean \"meeting\"?");
  check_only(panel("[[binding]]\ntopic = \"a/{space}\"\nformat = \"jsn\"\nfield = \"f\"\n"),
             "panel.toml:7:10: error: 'format' in [[binding]] must be \"words\", \"json\", \"zigbee2mqtt\", "
             "\"homeassistant\", \"ttn\", \"homie\", \"tasmota\" or \"shelly\", not \"jsn\"; did you mean \"json\"?");
  check_only(panel("[[binding]]\ntopic = \"a/{space}\"\nvalue = \"counts\"\n"),
             "panel.toml:7:9: error: 'value' in [[binding]] must be \"presence\" or \"count\", not \"counts\"; did you "
             "mean \"count\"?");
  check_only(load_string("include = \"base.toml\"\n[panel]\nid = \"Entrée 1\"\nkiosk = \"k\"\n", "panel.toml", fixtures()),
             "panel.toml:3:6: error: panel id \"Entrée 1\" may only use a-z, 0-9, '_' and '-' (it is part of MQTT "
             "topics), e.g. \"floor-2-east\"");
  CHECK(has(panel("[mqtt]\nmax_payload = 0\n"), "panel.toml:6:15: error: 'max_payload' in [mqtt] must be between 1 and"));
  CHECK(has(panel("[mqtt]\nstatus_prefix = \"kiosk/#\"\n"), "panel.toml:6:17: error: 'status_prefix' in [mqtt] must be a plain topic"));
  CHECK(has(panel("[[mqtt.broker]]\nhost = \"mqtt://h:1883\"\n"), "panel.toml:6:8: error: 'host' in [[mqtt.broker]] must be a host name"));
  check_only(panel("[mqtt]\nreconnect_min = \"2m\"\n"),
             "panel.toml:6:17: error: reconnect_min (120 s) is longer than reconnect_max (30 s); the first retry must "
             "come before the longest wait");
}

TEST_CASE("durations parse and are more than zero") {
  check_only(panel("[defaults]\nttl = \"10 minutes\"\n"),
             "panel.toml:6:7: error: 'ttl' in [defaults] must be a duration like \"90s\", \"10m\", \"2h\", \"1d\" or a "
             "number of seconds, not \"10 minutes\"");
  check_only(panel("[defaults]\nidle_timeout = 0\n"), "panel.toml:6:16: error: 'idle_timeout' in [defaults] must be more than 0 seconds");
  check_only(panel("[defaults]\nidle_timeout = -5\n"),
             "panel.toml:6:16: error: 'idle_timeout' in [defaults] must be a duration like \"90s\", \"10m\", \"2h\", "
             "\"1d\" or a number of seconds, not -5");
  check_only(panel("[[binding]]\ntopic = \"a/{space}\"\nttl = \"0s\"\n"),
             "panel.toml:7:7: error: 'ttl' in [[binding]] must be more than 0 seconds (leave ttl out to use [defaults] ttl)");
  CHECK(has(panel("[mqtt]\nkeepalive = 1.5\n"), "panel.toml:6:13: error: 'keepalive' in [mqtt] must be a duration", "not a decimal number"));
  LoadResult r = panel("[defaults]\nttl = 120\nidle_timeout = \"1h30m\"\n[mqtt]\nkeepalive = \"1m\"\n");
  REQUIRE_MESSAGE(r.config, all(r));
  CHECK(r.config->default_ttl == 120s);
  CHECK(r.config->idle_timeout == 90min);
  CHECK(r.config->keepalive_s == 60);
}

TEST_CASE("binding field is required with json and refused with words") {
  check_only(panel("[[binding]]\ntopic = \"a/{space}\"\nformat = \"json\"\n"),
             "panel.toml:5:1: error: missing 'field' in [[binding]]: format = \"json\" needs field = \"...\", the dotted "
             "path of the value in the payload, e.g. \"occupancy\"");
  check_only(panel("[[binding]]\ntopic = \"a/{space}\"\nfield = \"occupancy\"\n"),
             "panel.toml:7:9: error: 'field' in [[binding]] is not read with format = \"words\" (the whole payload is "
             "the value): remove it, or pick a format that reads a field (json, zigbee2mqtt, homeassistant, ttn, "
             "tasmota, shelly)");
  CHECK(has(panel("[[binding]]\ntopic = \"a/{space}\"\nformat = \"json\"\nfield = \"a..b\"\n"),
            "panel.toml:8:9: error: 'field' in [[binding]] must be a dotted path"));
  LoadResult ok = panel("[[binding]]\ntopic = \"ttn/+/{space}/up\"\nformat = \"json\"\n"
                        "field = \"uplink_message.decoded_payload.occupancy\"\nvalue = \"count\"\n");
  REQUIRE_MESSAGE(ok.config, all(ok));
  CHECK(ok.config->bindings.size() == 1);  // the panel's [[binding]] list replaces base.toml's
  CHECK(ok.config->bindings[0].field == "uplink_message.decoded_payload.occupancy");
  CHECK(ok.config->bindings[0].value == "count");
}

TEST_CASE("binding topic syntax") {
  auto topic = [](const std::string& t) { return panel("[[binding]]\ntopic = \"" + t + "\"\nspace = \"fixed\"\n"); };
  check_only(topic(""), "panel.toml:6:9: error: 'topic' in [[binding]] is empty: write the topic the sensors publish on");
  check_only(topic("campus/fl{floor}/x"),
             "panel.toml:6:9: error: a capture {name} must be a whole segment between '/' in topic \"campus/fl{floor}/x\", "
             "not part of \"fl{floor}\"");
  check_only(topic("campus/#/x"),
             "panel.toml:6:9: error: '#' may only be the last segment in topic \"campus/#/x\" (it matches everything below)");
  check_only(topic("campus/a+"),
             "panel.toml:6:9: error: '+' and '#' must be a whole segment between '/' in topic \"campus/a+\", not part of \"a+\"");
  check_only(topic("campus/{Floor}"),
             "panel.toml:6:9: error: capture name \"Floor\" in topic \"campus/{Floor}\" must use a-z, 0-9 and '_' and not "
             "start with a digit");
  check_only(topic("{a}/{a}"), "panel.toml:6:9: error: capture {a} appears twice in topic \"{a}/{a}\"; give each segment its own name");
  check_only(topic("{}"), "panel.toml:6:9: error: capture name \"\" in topic \"{}\" must use a-z, 0-9 and '_' and not start with a digit");
  for (const char* good : {"#", "+", "campus/+/{space}/#", "a/b/c", "{_x1}/{y}"}) {
    LoadResult r = topic(good);
    CHECK_MESSAGE(r.diagnostics.empty(), good, "\n", all(r));
  }
}

TEST_CASE("the space template may only use captures of its topic") {
  check_only(panel("[[binding]]\ntopic = \"campus/{floor}/{space}/x\"\nspace = \"salle-{room}\"\n"),
             "panel.toml:7:9: error: 'space' template \"salle-{room}\" uses {room}, which topic "
             "\"campus/{floor}/{space}/x\" does not capture; it captures {floor}, {space}");
  check_only(panel("[[binding]]\ntopic = \"campus/+/occupancy\"\n"),  // the default "{space}"
             "panel.toml:5:1: error: 'space' template \"{space}\" uses {space}, which topic \"campus/+/occupancy\" does "
             "not capture; name a topic segment {space} (instead of '+'), or write a fixed space name");
  check_only(panel("[[binding]]\ntopic = \"a/{room}\"\nspace = \"salle-{room\"\n"),
             "panel.toml:7:9: error: 'space' template \"salle-{room\" has a '{' without '}'");
  LoadResult ok = panel("[[binding]]\ntopic = \"z2m/{sensor}\"\nspace = \"{sensor}\"\n[binding.space_map]\n"
                        "\"0x00158d0001\" = \"Salle Garonne\"\n");
  REQUIRE_MESSAGE(ok.config, all(ok));
  CHECK(ok.config->bindings[0].space_map.at("0x00158d0001") == "Salle Garonne");
  check_only(panel("[[binding]]\ntopic = \"a/{space}\"\nspace_map = { s = 1 }\n"),
             "panel.toml:7:19: error: space_map entry \"s\" must name a space (a non-empty string), not an integer");
}

TEST_CASE("warnings: a short ttl, a config with only warnings still loads") {
  LoadResult r = panel("[[binding]]\ntopic = \"a/{space}\"\nttl = \"5s\"\n");
  check_only(r, "panel.toml:7:7: warning: 'ttl' in [[binding]] is only 5 s: spaces turn unknown whenever a sensor is "
                "quiet that long; use 10s or more");
  REQUIRE(r.config);
  CHECK(r.config->bindings[0].ttl == 5s);
  CHECK_FALSE(r.has_errors());
  CHECK(panel("[[binding]]\ntopic = \"a/{space}\"\nttl = \"10s\"\n").diagnostics.empty());
  CHECK(panel("[space.nap]\nkind = \"meeting\"\nseats = 4\n").diagnostics.empty());  // seats on any kind: fine
}

TEST_CASE("validation keeps going and reports every problem") {
  LoadResult r = panel("language = \"de\"\nheading = 720\n[[mqtt.broker]]\nhost = \"h\"\nport = 0\n[space.x]\ncapacty = 1\n"
                       "kind = \"desk\"\n");
  CHECK_FALSE(r.config);
  CHECK_MESSAGE(r.diagnostics.size() == 5, all(r));
  CHECK(has(r, "panel.toml:5:12: error: 'language'"));
  CHECK(has(r, "panel.toml:6:11: error: 'heading'"));
  CHECK(has(r, "panel.toml:9:8: error: 'port'"));
  CHECK(has(r, "panel.toml:11:1: error: unknown key 'capacty'"));
  CHECK(has(r, "panel.toml:12:8: error: 'kind'"));
}

TEST_CASE("gateway formats: names, and field where each needs it") {
  // Presence with the format's default field: no field needed, and one is allowed.
  for (const char* format : {"zigbee2mqtt", "homeassistant", "ttn", "shelly"}) {
    CAPTURE(format);
    LoadResult bare = panel(std::string("[[binding]]\ntopic = \"a/{space}\"\nformat = \"") + format + "\"\n");
    CHECK_MESSAGE(bare.diagnostics.empty(), all(bare));
    REQUIRE(bare.config);
    CHECK(bare.config->bindings[0].format == format);
    LoadResult with = panel(std::string("[[binding]]\ntopic = \"a/{space}\"\nformat = \"") + format +
                            "\"\nfield = \"a.b\"\n");
    CHECK_MESSAGE(with.diagnostics.empty(), all(with));
    REQUIRE(with.config);
    CHECK(with.config->bindings[0].field == "a.b");
  }
  LoadResult homie = panel("[[binding]]\ntopic = \"homie/{space}/sensor/occupancy\"\nformat = \"homie\"\n");
  CHECK_MESSAGE(homie.diagnostics.empty(), all(homie));
  check_only(panel("[[binding]]\ntopic = \"a/{space}\"\nformat = \"homie\"\nfield = \"x\"\n"),
             "panel.toml:8:9: error: 'field' in [[binding]] is not read with format = \"homie\" (the whole payload is "
             "the value): remove it, or pick a format that reads a field (json, zigbee2mqtt, homeassistant, ttn, "
             "tasmota, shelly)");
  // Tasmota always needs the field; counts need it where the default is a presence field.
  check_only(panel("[[binding]]\ntopic = \"tele/{space}/SENSOR\"\nformat = \"tasmota\"\n"),
             "panel.toml:5:1: error: missing 'field' in [[binding]]: format = \"tasmota\" needs field = \"...\", the "
             "dotted path of the value in the SENSOR JSON, e.g. \"Switch1\" or \"PIR1.Motion\"");
  LoadResult tasmota = panel("[[binding]]\ntopic = \"tele/{space}/SENSOR\"\nformat = \"tasmota\"\nfield = \"PIR1.Motion\"\n");
  CHECK_MESSAGE(tasmota.diagnostics.empty(), all(tasmota));
  check_only(panel("[[binding]]\ntopic = \"z/{space}\"\nformat = \"zigbee2mqtt\"\nvalue = \"count\"\n"),
             "panel.toml:5:1: error: missing 'field' in [[binding]]: format = \"zigbee2mqtt\" with value = \"count\" "
             "needs field = \"...\", the dotted path of the count in the payload, e.g. \"people\"");
  check_only(panel("[[binding]]\ntopic = \"v3/+/devices/{space}/up\"\nformat = \"ttn\"\nvalue = \"count\"\n"),
             "panel.toml:5:1: error: missing 'field' in [[binding]]: format = \"ttn\" with value = \"count\" needs "
             "field = \"...\", the value's path under uplink_message.decoded_payload, e.g. \"people_count\"");
  LoadResult counts = panel("[[binding]]\ntopic = \"v3/+/devices/{space}/up\"\nformat = \"ttn\"\nvalue = \"count\"\n"
                            "field = \"people_count\"\n[[binding]]\ntopic = \"ha/{space}\"\nformat = \"homeassistant\"\n"
                            "value = \"count\"\n");
  CHECK_MESSAGE(counts.diagnostics.empty(), all(counts));
  // Unknown names list every known one; a near miss is suggested.
  CHECK(has(panel("[[binding]]\ntopic = \"a/{space}\"\nformat = \"zigbee\"\n"),
            "panel.toml:7:10: error: 'format' in [[binding]] must be \"words\", \"json\", \"zigbee2mqtt\"", "not \"zigbee\""));
  CHECK(has(panel("[[binding]]\ntopic = \"a/{space}\"\nformat = \"tasmotta\"\n"), "panel.toml:7:10: error:",
            "did you mean \"tasmota\"?"));
  CHECK(panel("[[binding]]\ntopic = \"a/{space}\"\nformat = \"tasmotta\"\n").diagnostics.size() == 1);  // no field noise
}

TEST_CASE("[routing] sets walking costs and the route QR address, and refuses what cannot work") {
  auto ok = panel("[routing]\nwalk_speed = 1.1\nlift_wait = \"45s\"\nstep_free = true\n"
                  "route_url = \"https://plan.example.org/r?from={from}&to={to}&a={accessible}&l={lang}\"\n");
  INFO(all(ok));
  REQUIRE(ok.config);
  CHECK(ok.config->routing.walk_speed_mps == doctest::Approx(1.1));
  CHECK(ok.config->routing.lift_wait == 45s);
  CHECK(ok.config->routing.stairs_per_level == 20s);  // default kept
  CHECK(ok.config->routing.step_free);
  CHECK(ok.config->routing.url_template.find("{to}") != std::string::npos);

  check_only(panel("[routing]\nwalk_speed = 12\n"),
             "panel.toml:6:14: error: 'walk_speed' in [routing] must be between 0.3 and 3 metres per second (1.3 is a "
             "usual walk), got 12");
  CHECK(has(panel("[routing]\nroute_url = \"ftp://x/{to}\"\n"), "panel.toml:6:13: error:", "must start with https://"));
  CHECK(has(panel("[routing]\nroute_url = \"https://x/{room}\"\n"), "panel.toml:6:13: error:",
            "unknown field {room}; known fields: {from}, {to}, {accessible}, {lang}"));
  CHECK(has(panel("[routing]\nlift_wiat = \"30s\"\n"), "panel.toml:6:1: error:", "did you mean 'lift_wait'?"));
}
