// Panel configuration: layered TOML files (a site file included by one small file per panel) read into
// a validated, immutable PanelConfig. Every problem is a Diagnostic with the file:line:col that wrote it.
// Reload = call load() again aside and swap only when it has no errors (the caller keeps the last good one).
// The TOML parser (toml++) stays inside kiosk/config/*.cpp: nothing here depends on it.
#pragma once
#include <array>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::config {

// Screens a panel can show, in [panel]/[defaults] screens. The one list to extend when a screen lands.
inline constexpr std::array<std::string_view, 3> kScreens = {"board", "map", "directory"};
// Languages of the panel, [panel]/[defaults] language and the keys of [space."..."] name.
inline constexpr std::array<std::string_view, 2> kLanguages = {"fr", "en"};
// Deepest include chain: a panel file, its site file and up to 3 more levels.
inline constexpr int kMaxIncludeDepth = 4;

struct Origin {  // where a value was written (line and column start at 1; 0 = the whole file)
  std::string file;
  int line = 0, column = 0;
};

struct Diagnostic {
  enum class Severity { Warning, Error } severity = Severity::Error;
  Origin origin;
  std::string message;
};
std::string format(const Diagnostic&);  // "file:line:col: error: message" ("file: error: ..." without a line)

struct Broker {
  std::string host;
  int port = 1883;   // 8883 when tls is on and no port is written
  bool tls = false;  // verified TLS with [mqtt] ca_file (cert_file, key_file); per broker, so a list may mix
  Origin origin;     // of the [[mqtt.broker]] table
};

struct Binding {
  std::string topic;               // pattern with named captures, e.g. "campus/{floor}/{space}/occupancy"; '+' and '#' too
  std::string space = "{space}";   // template naming the space: "{space}", "salle-{room}", or a fixed name/id
  std::map<std::string, std::string> space_map;  // optional: sensor name -> space name/id
  std::string format = "words";    // "words" (plain payload) or "json"
  std::string field;               // json: dotted path "occupancy", "uplink_message.decoded_payload.occupancy"
  std::string value = "presence";  // "presence" (occupied or not) or "count" (people, or seats taken)
  std::chrono::seconds ttl{0};     // 0 = use PanelConfig::default_ttl
  std::chrono::seconds hold{0};    // presence from motion sensors: occupied this long after the last motion; 0 = none
  int qos = 1;                     // 0..2
  Origin origin;                   // of the [[binding]] table header
};

struct SpaceDetails {
  std::string key;                   // as written: unit id or name
  std::optional<std::string> kind;   // "meeting" | "nap" | "sport" | "phone" | "other"
  int capacity = 0, seats = 0;
  std::vector<std::string> equipment;
  std::map<std::string, std::string> name;  // optional override labels {"fr": "...", "en": "..."}
  bool hidden = false;               // listed in config but not on the board
  Origin origin;                     // of the [space."key"] table header (the panel file's when it overrides)
};

// [routing]: what walking costs, and the QR code's address. Defaults are a usual adult walk.
struct Routing {
  double walk_speed_mps = 1.3;
  std::chrono::seconds stairs_per_level{20}, lift_wait{30}, lift_per_level{5}, escalator_per_level{25};
  bool step_free = false;    // start routes step-free (a panel by the wheelchair entrance)
  std::string url_template;  // "https://…?from={from}&to={to}&accessible={accessible}&lang={lang}"; empty = no QR
};

struct PanelConfig {
  std::string panel_id;             // [panel] id, required, [a-z0-9_-]+ (used in MQTT topics)
  std::string kiosk;                // [panel] kiosk: IMDF kiosk id or name where the panel stands, required
  Origin kiosk_origin;              // where that was written, for map cross-checks
  std::string title;                // [panel] title: optional heading for the board (empty = site name)
  std::string gl = "auto";          // [panel] gl: "auto" (GL 3.3 core, GL 3.1/3.0, then GLES 3.0), "gl3", "gles3"
  double heading_deg = 0;           // [panel] heading: direction the viewer faces, degrees clockwise from north
  std::string language = "fr";      // [panel] language, else [defaults] language: "fr" | "en"
  std::vector<std::string> screens = {"board"};  // [panel] screens, else [defaults] screens; see kScreens
  std::filesystem::path map;        // [site] map: IMDF folder, relative to the file that set it
  std::filesystem::path snapshot;   // [panel] or [site] snapshot; default "<panel_id>.db" next to the panel file
  std::string site_name;            // [site] name
  std::vector<Broker> brokers;      // [[mqtt.broker]]; at least one
  std::string client_id;            // [mqtt] client_id, default "kiosk-<panel_id>"
  std::string status_prefix = "kiosk";  // [mqtt] status_prefix: health on <prefix>/<panel_id>/status
  int keepalive_s = 30;             // [mqtt] keepalive
  std::size_t max_payload = 65536;  // [mqtt] max_payload bytes
  std::chrono::seconds reconnect_min{1}, reconnect_max{30};  // [mqtt] reconnect_min, reconnect_max
  int protocol = 5;                 // [mqtt] protocol: 5 (MQTT 5) or 311 (written "3.1.1")
  std::chrono::seconds session_expiry{0};  // [mqtt] session_expiry, MQTT 5 only; 0 = a fresh session each time
  std::string username;             // [mqtt] username; empty = anonymous
  std::filesystem::path password_file;  // [mqtt] password_file (the password is never written in TOML)
  std::filesystem::path ca_file, cert_file, key_file;  // [mqtt]: TLS files for brokers with tls = true
  std::chrono::seconds default_ttl{600};   // [defaults] ttl
  std::chrono::seconds idle_timeout{60};   // [defaults] idle_timeout
  Routing routing;                  // [routing]
  std::vector<Binding> bindings;    // [[binding]], in file order
  std::vector<SpaceDetails> spaces; // [space."<key>"], sorted by key
  std::vector<std::filesystem::path> files;  // every file read, panel first (to watch for reload)
  std::string hash;                 // FNV-1a 64 of the files' bytes, 16 hex digits, for health reports
};

struct LoadResult {
  std::optional<PanelConfig> config;  // set when there is no error (warnings allowed)
  std::vector<Diagnostic> diagnostics;
  bool has_errors() const;
};

LoadResult load(const std::filesystem::path& panel_file);
// For tests and the fuzzer: load from memory. `name` is used in diagnostics; includes resolve relative
// to base_dir (and so do map/snapshot paths written in `text`).
LoadResult load_string(std::string_view text, const std::string& name, const std::filesystem::path& base_dir);

// Parses "90s", "10m", "2h", "1d", a sum of them ("1h30m") or an integer of seconds. nullopt otherwise.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace kiosk::config
