// Validation of the merged config tree, section by section. Keeps going after an error so that one
// `kiosk check` lists every problem; each message says where and what to write instead.
//
// [SECTION] Reporting and typed reads
// [SECTION] [site] and [panel]
// [SECTION] [mqtt] and [[mqtt.broker]]
// [SECTION] [defaults] and [routing]
// [SECTION] [[binding]]
// [SECTION] [space."key"]
#include "config/validate.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <utility>

#include "core/regular_file.hpp"
#include "core/space.hpp"

namespace kiosk::config::detail {
namespace {

using Keys = std::vector<std::string_view>;

const Keys kTopKeys = {"include", "site", "panel", "mqtt", "defaults", "routing", "binding", "space"};
const Keys kSiteKeys = {"name", "map", "snapshot"};
const Keys kPanelKeys = {"id", "kiosk", "title", "heading", "language", "screens", "snapshot", "gl"};
// [panel] gl: which OpenGL to ask for (platform/gl_profile.hpp says what each word tries).
const Keys kGlChoices = {"auto", "gl3", "gles3"};
const Keys kMqttKeys = {"client_id", "status_prefix", "keepalive", "max_payload", "reconnect_min", "reconnect_max",
                        "protocol", "session_expiry", "username", "password_file", "ca_file", "cert_file", "key_file",
                        "password",  // known only to say where a password goes instead
                        "broker"};
const Keys kBrokerKeys = {"host", "port", "tls"};
const Keys kProtocols = {"5", "3.1.1"};
const Keys kDefaultsKeys = {"language", "screens", "ttl", "idle_timeout"};
const Keys kRoutingKeys = {"walk_speed", "stairs_per_level", "lift_wait", "lift_per_level", "escalator_per_level",
                          "step_free", "route_url"};
const Keys kRouteUrlFields = {"{from}", "{to}", "{accessible}", "{lang}"};
const Keys kBindingKeys = {"topic", "space", "space_map", "format", "field", "value", "ttl", "hold", "qos"};
const Keys kSpaceKeys = {"kind", "capacity", "seats", "equipment", "name", "hidden"};
const Keys kFormats = {"words", "json", "zigbee2mqtt", "homeassistant", "ttn", "homie", "tasmota", "shelly"};

// How each format uses [[binding]] field.
enum class FieldUse : std::uint8_t {
  Refused,             // words, homie: the whole payload is the value
  Required,            // json, tasmota: no sensible default
  Optional,            // homeassistant: "state" by default
  RequiredForCounts,   // zigbee2mqtt, ttn, shelly: presence has a default field, counts do not
};
FieldUse field_use(std::string_view format) {
  if (format == "words" || format == "homie") return FieldUse::Refused;
  if (format == "json" || format == "tasmota") return FieldUse::Required;
  if (format == "homeassistant") return FieldUse::Optional;
  return FieldUse::RequiredForCounts;
}
// The example in "needs field = ..." messages.
std::string_view field_example(std::string_view format, bool counting) {
  if (format == "tasmota") return "the dotted path of the value in the SENSOR JSON, e.g. \"Switch1\" or \"PIR1.Motion\"";
  if (format == "ttn") return "the value's path under uplink_message.decoded_payload, e.g. \"people_count\"";
  if (counting && format != "json") return "the dotted path of the count in the payload, e.g. \"people\"";
  return "the dotted path of the value in the payload, e.g. \"occupancy\"";
}
const Keys kValues = {"presence", "count"};
const Keys kLanguageList(kLanguages.begin(), kLanguages.end());
const Keys kScreenList(kScreens.begin(), kScreens.end());
constexpr std::int64_t kMqttMaxPacket = 268435455;  // MQTT's largest remaining length
constexpr std::chrono::seconds kShortTtl{10};

// "a, b or c" (last = " or "), each word between `quote`s.
std::string join(const Keys& words, std::string_view quote = "", std::string_view last = " or ") {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += i + 1 == words.size() ? last : ", ";
    out += quote;
    out += words[i];
    out += quote;
  }
  return out;
}

std::string number_text(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", x);
  return text;
}

std::string seconds_text(std::chrono::seconds s) { return std::to_string(s.count()) + " s"; }

// ============================================================================================
// [SECTION] Reporting and typed reads
// ============================================================================================

class Validator {
 public:
  Validator(const Sources& sources, std::vector<Diagnostic>& out) : sources_(sources), out_(out) {}

  PanelConfig run(const Node& root) {
    root_ = &root;
    check_keys(root, kTopKeys, "the top level");
    const Node* site = table(root, "site", "");
    const Node* panel = table(root, "panel", "");
    const Node* mqtt = table(root, "mqtt", "");
    const Node* defaults = table(root, "defaults", "");
    read_site_and_panel(site, panel);
    read_defaults(defaults);
    read_routing(table(root, "routing", ""));
    read_language_and_screens(panel, defaults);
    read_mqtt(mqtt);
    read_bindings(root);
    read_spaces(root);
    return std::move(config_);
  }

 private:
  void error(const Origin& at, std::string message) {
    out_.push_back({Diagnostic::Severity::Error, at, std::move(message)});
  }
  void warning(const Origin& at, std::string message) {
    out_.push_back({Diagnostic::Severity::Warning, at, std::move(message)});
  }

  static std::string key_in(std::string_view key, const std::string& where) {
    std::string text(1, '\'');  // built by appends: GCC 12 warns falsely (-Wrestrict) on "'" + string
    text.append(key).append(1, '\'');
    if (!where.empty()) text.append(" in ").append(where);
    return text;
  }

  void check_keys(const Node& table, const Keys& known, const std::string& where) {
    for (const Node& child : table.items) {
      if (std::find(known.begin(), known.end(), child.key) != known.end()) continue;
      std::string message = "unknown key '" + child.key + "' " + (where == "the top level" ? "at " : "in ") + where;
      std::string_view guess = nearest(child.key, known);
      if (!guess.empty())
        message += "; did you mean '" + std::string(guess) + "'?";
      else
        message += "; known keys: " + join(known, "", ", ");
      error(child.key_origin, std::move(message));
    }
  }

  void wrong_type(const Node& value, const std::string& where, std::string_view expected) {
    error(value.origin, key_in(value.key, where) + " must be " + std::string(expected) + ", not " +
                            std::string(describe(value.type)));
  }

  // The child table `key` of `parent` (nullptr when absent or of another type, which is reported).
  const Node* table(const Node& parent, std::string_view key, const std::string& where) {
    const Node* node = parent.find(key);
    if (!node) return nullptr;
    if (!node->is_table()) {
      wrong_type(*node, where, "a table: write [" + std::string(key) + "] on its own line, then its keys");
      return nullptr;
    }
    return node;
  }

  const Node* value(const Node* table, std::string_view key) const { return table ? table->find(key) : nullptr; }

  void missing(const Node* table, std::string_view key, const std::string& where, std::string_view hint) {
    error(table ? table->origin : root_->origin,
          "missing '" + std::string(key) + "' in " + where + ": " + std::string(hint));
  }

  std::optional<std::string> read_string(const Node* table, std::string_view key, const std::string& where) {
    const Node* node = value(table, key);
    if (!node) return std::nullopt;
    if (node->type != Node::Type::String) {
      wrong_type(*node, where, "a string (in double quotes)");
      return std::nullopt;
    }
    if (node->string.empty()) {
      error(node->origin, key_in(key, where) + " is empty: write a value or remove the line");
      return std::nullopt;
    }
    return node->string;
  }

  std::optional<std::int64_t> read_int(const Node* table, std::string_view key, const std::string& where,
                                       std::int64_t min, std::int64_t max, std::string_view unit = "") {
    const Node* node = value(table, key);
    if (!node) return std::nullopt;
    if (node->type != Node::Type::Integer) {
      wrong_type(*node, where, "a whole number");
      return std::nullopt;
    }
    if (node->integer < min || node->integer > max) {
      std::string range = max == INT_MAX ? std::to_string(min) + " or more"
                                         : "between " + std::to_string(min) + " and " + std::to_string(max);
      error(node->origin, key_in(key, where) + " must be " + range + std::string(unit) + ", got " +
                              std::to_string(node->integer));
      return std::nullopt;
    }
    return node->integer;
  }

  std::optional<bool> read_bool(const Node* table, std::string_view key, const std::string& where) {
    const Node* node = value(table, key);
    if (!node) return std::nullopt;
    if (node->type != Node::Type::Boolean) {
      wrong_type(*node, where, "true or false (without quotes)");
      return std::nullopt;
    }
    return node->boolean;
  }

  // A word from a fixed list, with a suggestion for a near miss.
  std::optional<std::string> read_enum(const Node* table, std::string_view key, const std::string& where,
                                       const Keys& allowed) {
    std::optional<std::string> word = read_string(table, key, where);
    if (!word) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), *word) != allowed.end()) return word;
    std::string message = key_in(key, where) + " must be " + join(allowed, "\"") + ", not \"" + *word + "\"";
    std::string_view guess = nearest(*word, allowed);
    if (!guess.empty()) message += "; did you mean \"" + std::string(guess) + "\"?";
    error(value(table, key)->origin, std::move(message));
    return std::nullopt;
  }

  // "90s", "10m", "2h", "1d" or a number of seconds; must be more than 0.
  std::optional<std::chrono::seconds> read_duration(const Node* table, std::string_view key, const std::string& where,
                                                    std::string_view zero_hint = "") {
    const Node* node = value(table, key);
    if (!node) return std::nullopt;
    std::optional<std::chrono::seconds> d;
    if (node->type == Node::Type::Integer)
      d = node->integer >= 0 ? std::optional(std::chrono::seconds(node->integer)) : std::nullopt;
    else if (node->type == Node::Type::String)
      d = parse_duration(node->string);
    if (!d) {
      std::string got = node->type == Node::Type::String ? "\"" + node->string + "\""
                        : node->type == Node::Type::Integer ? std::to_string(node->integer)
                                                            : std::string(describe(node->type));
      error(node->origin, key_in(key, where) + " must be a duration like \"90s\", \"10m\", \"2h\", \"1d\" or a "
                          "number of seconds, not " + got);
      return std::nullopt;
    }
    if (d->count() <= 0) {
      error(node->origin, key_in(key, where) + " must be more than 0 seconds" + std::string(zero_hint));
      return std::nullopt;
    }
    return d;
  }

  std::optional<std::vector<std::string>> read_string_list(const Node* table, std::string_view key,
                                                           const std::string& where) {
    const Node* node = value(table, key);
    if (!node) return std::nullopt;
    if (node->type != Node::Type::Array) {
      wrong_type(*node, where, "a list of strings, like [\"a\", \"b\"]");
      return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (const Node& item : node->items) {
      if (item.type != Node::Type::String || item.string.empty()) {
        error(item.origin, "each entry of " + key_in(key, where) + " must be a non-empty string, not " +
                               std::string(item.type == Node::Type::String ? "an empty one" : describe(item.type)));
        ok = false;
        continue;
      }
      out.push_back(item.string);
    }
    if (!ok) return std::nullopt;
    return out;
  }

  // A path written in a file, taken relative to that file's folder.
  std::filesystem::path resolve(const Node& node) const {
    std::filesystem::path written(node.string);
    if (written.is_absolute()) return written.lexically_normal();
    auto dir = sources_.dir_of.find(node.origin.file);
    const std::filesystem::path& base = dir == sources_.dir_of.end() ? sources_.panel_dir : dir->second;
    return (base / written).lexically_normal();
  }

  // ============================================================================================
  // [SECTION] [site] and [panel]
  // ============================================================================================

  void read_site_and_panel(const Node* site, const Node* panel) {
    if (site) check_keys(*site, kSiteKeys, "[site]");
    if (panel) check_keys(*panel, kPanelKeys, "[panel]");

    if (auto name = read_string(site, "name", "[site]")) config_.site_name = *name;
    if (read_string(site, "map", "[site]"))
      config_.map = resolve(*value(site, "map"));
    else if (!value(site, "map"))
      missing(site, "map", "[site]", "add map = \"path/to/imdf\" (the IMDF folder, relative to this file)");

    if (auto id = read_string(panel, "id", "[panel]")) {
      bool ok = std::all_of(id->begin(), id->end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      });
      if (ok)
        config_.panel_id = *id;
      else
        error(value(panel, "id")->origin, "panel id \"" + *id + "\" may only use a-z, 0-9, '_' and '-' "
                                          "(it is part of MQTT topics), e.g. \"floor-2-east\"");
    } else if (!value(panel, "id")) {
      missing(panel, "id", "[panel]", "add id = \"entrance\" (a-z, 0-9, '_' or '-'; used in MQTT topics)");
    }
    if (auto kiosk = read_string(panel, "kiosk", "[panel]")) {
      config_.kiosk = *kiosk;
      config_.kiosk_origin = value(panel, "kiosk")->origin;
    }
    else if (!value(panel, "kiosk"))
      missing(panel, "kiosk", "[panel]", "add kiosk = \"...\" (the id or name of the map's kiosk where it stands)");
    if (auto title = read_string(panel, "title", "[panel]")) config_.title = *title;
    if (auto gl = read_enum(panel, "gl", "[panel]", kGlChoices)) config_.gl = *gl;

    if (const Node* heading = value(panel, "heading")) {
      double deg = heading->type == Node::Type::Integer ? static_cast<double>(heading->integer) : heading->floating;
      if (heading->type != Node::Type::Integer && heading->type != Node::Type::Float)
        wrong_type(*heading, "[panel]", "a number of degrees");
      else if (!std::isfinite(deg) || deg < 0 || deg > 360)
        error(heading->origin, "'heading' in [panel] must be between 0 and 360 (degrees clockwise from north "
                               "the viewer faces), got " + (heading->type == Node::Type::Integer
                                                                ? std::to_string(heading->integer)
                                                                : std::to_string(deg)));
      else
        config_.heading_deg = deg;
    }

    // Snapshot: [panel] beats [site]; default "<panel_id>.db" in the service's state folder, else next to
    // the panel file. systemd sets STATE_DIRECTORY from StateDirectory= (colon-separated when the unit
    // names several; the first is ours): the hardened unit can write nowhere else, not in /etc/kiosk.
    const Node* snapshot_table = value(panel, "snapshot") ? panel : site;
    if (value(panel, "snapshot") && value(site, "snapshot")) read_string(site, "snapshot", "[site]");
    const std::string where = snapshot_table == panel ? "[panel]" : "[site]";
    if (read_string(snapshot_table, "snapshot", where)) {
      config_.snapshot = resolve(*value(snapshot_table, "snapshot"));
    } else {
      std::filesystem::path folder = sources_.panel_dir;
      if (const char* state_dirs = std::getenv("STATE_DIRECTORY")) {
        std::string_view first(state_dirs);
        first = first.substr(0, first.find(':'));
        if (!first.empty()) folder = std::filesystem::path(first);
      }
      config_.snapshot = (folder / ((config_.panel_id.empty() ? "panel" : config_.panel_id) + ".db")).lexically_normal();
    }
  }

  void read_language_and_screens(const Node* panel, const Node* defaults) {
    for (const Node* table : {defaults, panel}) {  // panel last: it wins
      const std::string where = table == panel ? "[panel]" : "[defaults]";
      if (auto language = read_enum(table, "language", where, kLanguageList)) config_.language = *language;
      if (auto screens = read_string_list(table, "screens", where)) {
        const Node* node = value(table, "screens");
        bool ok = true;
        if (screens->empty()) {
          error(node->origin, "'screens' in " + where + " is empty: list at least one screen, e.g. [\"board\"]");
          ok = false;
        }
        for (std::size_t i = 0; i < screens->size(); ++i) {
          const std::string& screen = (*screens)[i];
          if (std::find(kScreenList.begin(), kScreenList.end(), screen) != kScreenList.end()) continue;
          std::string message = "unknown screen \"" + screen + "\" in 'screens' in " + where;
          std::string_view guess = nearest(screen, kScreenList);
          message += guess.empty() ? "; known screens: " + join(kScreenList, "\"")
                                   : "; did you mean \"" + std::string(guess) + "\"?";
          error(node->items[i].origin, std::move(message));
          ok = false;
        }
        if (ok) config_.screens = std::move(*screens);
      }
    }
  }

  // ============================================================================================
  // [SECTION] [mqtt] and [[mqtt.broker]]
  // ============================================================================================

  void read_mqtt(const Node* mqtt) {
    if (mqtt) check_keys(*mqtt, kMqttKeys, "[mqtt]");
    config_.client_id = "kiosk-" + config_.panel_id;
    if (auto id = read_string(mqtt, "client_id", "[mqtt]")) config_.client_id = *id;
    if (auto prefix = read_string(mqtt, "status_prefix", "[mqtt]")) {
      if (prefix->find_first_of("+#") != std::string::npos || prefix->front() == '/' || prefix->back() == '/')
        error(value(mqtt, "status_prefix")->origin,
              "'status_prefix' in [mqtt] must be a plain topic like \"kiosk\" or \"campus/panels\": no '+', '#', "
              "or '/' at either end");
      else
        config_.status_prefix = *prefix;
    }
    if (auto keepalive = read_duration(mqtt, "keepalive", "[mqtt]")) {
      if (keepalive->count() > 65535)
        error(value(mqtt, "keepalive")->origin, "'keepalive' in [mqtt] must be at most 65535 seconds (MQTT limit)");
      else
        config_.keepalive_s = static_cast<int>(keepalive->count());
    }
    if (auto max = read_int(mqtt, "max_payload", "[mqtt]", 1, kMqttMaxPacket, " bytes"))
      config_.max_payload = static_cast<std::size_t>(*max);
    auto rmin = read_duration(mqtt, "reconnect_min", "[mqtt]");
    auto rmax = read_duration(mqtt, "reconnect_max", "[mqtt]");
    if (rmin) config_.reconnect_min = *rmin;
    if (rmax) config_.reconnect_max = *rmax;
    if (config_.reconnect_min > config_.reconnect_max && (rmin || rmax))
      error(value(mqtt, rmin ? "reconnect_min" : "reconnect_max")->origin,
            "reconnect_min (" + seconds_text(config_.reconnect_min) + ") is longer than reconnect_max (" +
                seconds_text(config_.reconnect_max) + "); the first retry must come before the longest wait");
    read_mqtt_session(mqtt);
    read_mqtt_credentials(mqtt);
    read_mqtt_tls_files(mqtt);

    const Node* brokers = value(mqtt, "broker");
    if (!brokers) {
      missing(mqtt, "broker", "[mqtt]",
              "add a [[mqtt.broker]] table with host = \"...\" (and port = 1883), usually in the site file");
      return;
    }
    if (!(brokers->is_array_of_tables())) {
      if (brokers->type == Node::Type::Array && brokers->items.empty())
        error(brokers->origin, "'broker' in [mqtt] is empty: add at least one [[mqtt.broker]] with host = \"...\"");
      else
        wrong_type(*brokers, "[mqtt]", "a list of tables: write [[mqtt.broker]] (two brackets) before each broker");
      return;
    }
    for (const Node& b : brokers->items) {
      check_keys(b, kBrokerKeys, "[[mqtt.broker]]");
      Broker broker;
      broker.origin = b.origin;
      if (auto host = read_string(&b, "host", "[[mqtt.broker]]")) {
        if (host->find("://") != std::string::npos || host->find_first_of(" /") != std::string::npos)
          error(b.find("host")->origin, "'host' in [[mqtt.broker]] must be a host name or address only, like "
                                        "\"mqtt.campus.lan\" or \"127.0.0.1\" (the port goes in 'port')");
        else
          broker.host = *host;
      } else if (!b.find("host")) {
        missing(&b, "host", "[[mqtt.broker]]", "add host = \"127.0.0.1\" (the broker's name or address)");
      }
      if (auto tls = read_bool(&b, "tls", "[[mqtt.broker]]")) broker.tls = *tls;
      if (!b.find("port") && broker.tls) broker.port = 8883;
      if (auto port = read_int(&b, "port", "[[mqtt.broker]]", 1, 65535)) {
        broker.port = static_cast<int>(*port);
        if (broker.tls && broker.port == 1883)
          warning(b.find("port")->origin, "port 1883 is MQTT without TLS, yet this broker has tls = true: TLS "
                                          "listeners usually use 8883; check the broker's listener");
        else if (!broker.tls && broker.port == 8883)
          warning(b.find("port")->origin, "port 8883 is usually MQTT over TLS: add tls = true to this "
                                          "[[mqtt.broker]] if the broker expects TLS");
      }
      config_.brokers.push_back(std::move(broker));
    }
    check_mqtt_security(mqtt);
  }

  // [mqtt] protocol and session_expiry.
  void read_mqtt_session(const Node* mqtt) {
    if (const Node* protocol = value(mqtt, "protocol"); protocol && protocol->type == Node::Type::Integer) {
      if (protocol->integer == 5)
        config_.protocol = 5;
      else
        error(protocol->origin, "'protocol' in [mqtt] must be \"5\" or \"3.1.1\" (in quotes), got " +
                                    std::to_string(protocol->integer));
    } else if (auto word = read_enum(mqtt, "protocol", "[mqtt]", kProtocols)) {
      config_.protocol = *word == "5" ? 5 : 311;
    }
    if (auto expiry = read_duration(mqtt, "session_expiry", "[mqtt]",
                                    " (leave session_expiry out for a fresh session at each connection)")) {
      const Node& node = *value(mqtt, "session_expiry");
      if (expiry->count() > 4294967294LL)
        error(node.origin, "'session_expiry' in [mqtt] must be at most 4294967294 seconds (MQTT limit)");
      else if (config_.protocol != 5)
        error(node.origin, "'session_expiry' in [mqtt] needs protocol = \"5\": MQTT 3.1.1 has no session expiry");
      else
        config_.session_expiry = *expiry;
    }
  }

  // [mqtt] username and password_file. A password never goes in TOML: site files are shared, copied
  // to every panel and kept in version control.
  void read_mqtt_credentials(const Node* mqtt) {
    if (const Node* password = value(mqtt, "password"))
      error(password->key_origin, "'password' in [mqtt] is not allowed: config files are shared and copied; write "
                                  "the password alone in a file only the panel's user can read, and set "
                                  "password_file = \"path/to/file\" instead");
    if (auto user = read_string(mqtt, "username", "[mqtt]")) config_.username = *user;
    std::string text;
    FileOwner owner;
    if (auto path = read_mqtt_file(mqtt, "password_file", "the file holding the broker password", "", &text, &owner)) {
      const Node& node = *value(mqtt, "password_file");
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      // The mode of the file that was read (fstat), not of whatever the path names a moment later.
      if (std::string open = secret_file_problem(*path, owner.mode, owner.uid, owner.gid); !open.empty())
        error(node.origin, "'password_file' in [mqtt]: " + open);
      else if (text.empty())
        error(node.origin, "'password_file' in [mqtt]: " + path->string() + " is empty; write the password in it");
      else if (config_.username.empty())
        error(node.origin, "'password_file' in [mqtt] needs username = \"...\": brokers take a password only "
                           "with a user name");
      else
        config_.password_file = *path;
    }
  }

  // [mqtt] ca_file, cert_file and key_file (PEM), for the brokers with tls = true.
  void read_mqtt_tls_files(const Node* mqtt) {
    if (auto ca = read_mqtt_file(mqtt, "ca_file", "the CA certificate that signed the broker's (PEM)",
                                 "-----BEGIN CERTIFICATE-----"))
      config_.ca_file = *ca;
    if (auto cert = read_mqtt_file(mqtt, "cert_file", "the panel's certificate (PEM)", "-----BEGIN CERTIFICATE-----"))
      config_.cert_file = *cert;
    std::string key_text;
    if (auto key = read_mqtt_file(mqtt, "key_file", "the private key of cert_file (PEM)", "PRIVATE KEY-----",
                                  &key_text)) {
      const Node& node = *value(mqtt, "key_file");
      if (key_text.find("ENCRYPTED") != std::string::npos)
        error(node.origin, "'key_file' in [mqtt]: " + key->string() + " is protected by a passphrase, which nobody "
                           "can type on a panel; write a decrypted copy (openssl pkey -in KEY -out PLAIN) readable "
                           "only by the panel's user, and name that one");
      else
        config_.key_file = *key;
      private_file_warning(node, *key);
    }
    const Node* cert = value(mqtt, "cert_file");
    const Node* key = value(mqtt, "key_file");
    if (cert && !key)
      error(cert->key_origin, "'cert_file' in [mqtt] needs key_file = \"...\" (the certificate's private key)");
    if (key && !cert)
      error(key->key_origin, "'key_file' in [mqtt] needs cert_file = \"...\" (the certificate of that key)");
  }

  // Settings that do nothing, or send secrets in clear, with the brokers as written.
  void check_mqtt_security(const Node* mqtt) {
    const bool any_tls = std::any_of(config_.brokers.begin(), config_.brokers.end(), [](const Broker& b) { return b.tls; });
    const bool all_tls = std::all_of(config_.brokers.begin(), config_.brokers.end(), [](const Broker& b) { return b.tls; });
    for (std::string_view key : {"ca_file", "cert_file", "key_file"}) {
      const Node* node = value(mqtt, key);
      if (!node || any_tls) continue;
      warning(node->key_origin, key_in(key, "[mqtt]") + " is used only with brokers that have tls = true, and none "
                                "has: the connection is not encrypted; add tls = true to the [[mqtt.broker]] tables");
      break;
    }
    if (const Node* password = value(mqtt, "password_file"); password && !all_tls)
      warning(password->key_origin, "the password in 'password_file' travels in clear to every [[mqtt.broker]] "
                                    "without tls = true; use TLS wherever the network is not trusted");
  }

  // A file named in [mqtt], relative to the file that wrote it. It must be readable now: better a
  // `kiosk check` error than a panel that cannot connect. `marker` is a line its PEM text must hold.
  struct FileOwner {
    std::uint32_t mode = 0, uid = 0, gid = 0;
  };
  std::optional<std::filesystem::path> read_mqtt_file(const Node* mqtt, std::string_view key, std::string_view what,
                                                      std::string_view marker, std::string* text = nullptr,
                                                      FileOwner* owner = nullptr) {
    if (!read_string(mqtt, key, "[mqtt]")) return std::nullopt;
    const Node& node = *value(mqtt, key);
    const std::filesystem::path path = resolve(node);
    // Without blocking, and only a regular file (core::read_regular_file); 1 MiB is more than any PEM
    // chain or password.
    core::FileRead file = core::read_regular_file(path, 1u << 20);
    std::string problem, content;
    switch (file.status) {
      case core::FileRead::Status::Ok: content = std::move(file.text); break;
      case core::FileRead::Status::Missing: problem = "does not exist"; break;
      case core::FileRead::Status::NoAccess:
        problem = "cannot be read by the panel (check its owner and permissions)";
        break;
      case core::FileRead::Status::TooLarge: problem = "is larger than 1 MiB, which no such file is"; break;
      case core::FileRead::Status::NotRegular: problem = file.why; break;  // "is a FIFO, not a regular file"
      case core::FileRead::Status::SymlinkLoop: problem = "is " + file.why; break;
      default: problem = "cannot be read: " + file.why; break;
    }
    if (file.ok() && owner) *owner = {file.mode, file.uid, file.gid};
    if (problem.empty() && !marker.empty() && content.find(marker) == std::string::npos)
      problem = "does not look like " + std::string(what) + ": no '" + std::string(marker) + "' line";
    if (!problem.empty()) {
      error(node.origin, key_in(key, "[mqtt]") + ": " + path.string() + " " + problem + "; write the path of " +
                             std::string(what) + ", relative to this file");
      return std::nullopt;
    }
    if (text) *text = std::move(content);
    return path;
  }

  void private_file_warning(const Node& node, const std::filesystem::path& path) {
    std::error_code ec;
    const auto perms = std::filesystem::status(path, ec).permissions();
    if (!ec && (perms & std::filesystem::perms::others_read) != std::filesystem::perms::none)
      warning(node.origin, key_in(node.key, "[mqtt]") + ": every user of this machine can read " + path.string() +
                               "; make it readable by the panel's user only (chmod 600)");
  }

  // ============================================================================================
  // [SECTION] [defaults] and [routing]
  // ============================================================================================

  void read_defaults(const Node* defaults) {
    if (defaults) check_keys(*defaults, kDefaultsKeys, "[defaults]");
    if (auto ttl = read_duration(defaults, "ttl", "[defaults]")) {
      config_.default_ttl = *ttl;
      if (*ttl < kShortTtl) short_ttl_warning(*value(defaults, "ttl"), *ttl, "[defaults]");
    }
    if (auto idle = read_duration(defaults, "idle_timeout", "[defaults]")) config_.idle_timeout = *idle;
  }

  void read_routing(const Node* routing) {
    if (!routing) return;
    const std::string where = "[routing]";
    check_keys(*routing, kRoutingKeys, where);
    Routing& r = config_.routing;
    if (const Node* speed = value(routing, "walk_speed")) {
      double mps = speed->type == Node::Type::Integer ? static_cast<double>(speed->integer) : speed->floating;
      if (speed->type != Node::Type::Integer && speed->type != Node::Type::Float)
        wrong_type(*speed, where, "a speed in metres per second, like 1.3");
      else if (!(mps >= 0.3 && mps <= 3.0))
        error(speed->origin, "'walk_speed' in [routing] must be between 0.3 and 3 metres per second (1.3 is a "
                             "usual walk), got " + number_text(mps));
      else
        r.walk_speed_mps = mps;
    }
    if (auto d = read_duration(routing, "stairs_per_level", where)) r.stairs_per_level = *d;
    if (auto d = read_duration(routing, "lift_wait", where)) r.lift_wait = *d;
    if (auto d = read_duration(routing, "lift_per_level", where)) r.lift_per_level = *d;
    if (auto d = read_duration(routing, "escalator_per_level", where)) r.escalator_per_level = *d;
    if (auto b = read_bool(routing, "step_free", where)) r.step_free = *b;
    if (auto url = read_string(routing, "route_url", where)) {
      const Node* node = value(routing, "route_url");
      if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0) {
        error(node->origin, "'route_url' in [routing] must start with https:// (or http://): it becomes the QR "
                            "code a visitor scans, e.g. \"https://plan.example.org/route?from={from}&to={to}\"");
        return;
      }
      for (std::size_t open = url->find('{'); open != std::string::npos; open = url->find('{', open + 1)) {
        std::size_t close = url->find('}', open);
        std::string field = url->substr(open, close == std::string::npos ? std::string::npos : close - open + 1);
        if (std::find(kRouteUrlFields.begin(), kRouteUrlFields.end(), field) == kRouteUrlFields.end()) {
          error(node->origin, "'route_url' in [routing] has an unknown field " + field + "; known fields: " +
                                  join(kRouteUrlFields, "", ", "));
          return;
        }
      }
      r.url_template = *url;
    }
  }

  void short_ttl_warning(const Node& node, std::chrono::seconds ttl, const std::string& where) {
    warning(node.origin, "'ttl' in " + where + " is only " + seconds_text(ttl) +
                             ": spaces turn unknown whenever a sensor is quiet that long; use 10s or more");
  }

  // ============================================================================================
  // [SECTION] [[binding]]
  // ============================================================================================

  void read_bindings(const Node& root) {
    const Node* bindings = root.find("binding");
    if (!bindings || (bindings->type == Node::Type::Array && bindings->items.empty())) {
      warning(bindings ? bindings->origin : root.origin,
              "no [[binding]]: no space will ever show as free or occupied; add one per kind of sensor topic");
      return;
    }
    if (!bindings->is_array_of_tables()) {
      wrong_type(*bindings, "", "a list of tables: write [[binding]] (two brackets) before each binding");
      return;
    }
    for (const Node& b : bindings->items) {
      const std::string where = "[[binding]]";
      check_keys(b, kBindingKeys, where);
      Binding binding;
      binding.origin = b.origin;
      std::vector<std::string> captures;
      bool topic_ok = false;
      if (const Node* topic = b.find("topic"); topic && topic->type == Node::Type::String) {
        std::string problem = topic_problem(topic->string, captures);
        if (problem.empty()) {
          binding.topic = topic->string;
          topic_ok = true;
        } else {
          error(topic->origin, problem);
        }
      } else if (topic) {
        wrong_type(*topic, where, "a string (the MQTT topic pattern)");
      } else {
        missing(&b, "topic", where, "add topic = \"campus/{floor}/{space}/occupancy\" (the sensors' topic)");
      }
      if (auto space = read_string(&b, "space", where)) binding.space = *space;
      if (topic_ok && (b.find("space") == nullptr || b.find("space")->type == Node::Type::String)) {
        std::string problem = template_problem(binding.space, binding.topic, captures);
        if (!problem.empty()) error(b.find("space") ? b.find("space")->origin : b.origin, problem);
      }
      if (const Node* map = b.find("space_map")) {
        if (!map->is_table()) {
          wrong_type(*map, where, "a table of \"sensor\" = \"space\" pairs: write [binding.space_map]");
        } else {
          for (const Node& entry : map->items) {
            if (entry.type == Node::Type::String && !entry.string.empty())
              binding.space_map[entry.key] = entry.string;
            else
              error(entry.origin, "space_map entry \"" + entry.key + "\" must name a space (a non-empty string), "
                                  "not " + std::string(entry.type == Node::Type::String ? "an empty one"
                                                                                         : describe(entry.type)));
          }
        }
      }
      if (auto format = read_enum(&b, "format", where, kFormats)) binding.format = *format;
      const Node* field = b.find("field");
      if (auto path = read_string(&b, "field", where)) {
        bool dotted_ok = path->front() != '.' && path->back() != '.' && path->find("..") == std::string::npos;
        if (!dotted_ok)
          error(field->origin, "'field' in [[binding]] must be a dotted path like \"occupancy\" or "
                               "\"uplink_message.decoded_payload.occupancy\", not \"" + *path + "\"");
        else
          binding.field = *path;
      }
      if (auto v = read_enum(&b, "value", where, kValues)) binding.value = *v;
      const Node* format_node = b.find("format");
      bool format_known = !format_node || (format_node->type == Node::Type::String &&
                                           std::find(kFormats.begin(), kFormats.end(), format_node->string) !=
                                               kFormats.end());
      if (format_known) {
        const FieldUse use = field_use(binding.format);
        const bool counting = binding.value == "count";
        const std::string named = "format = \"" + binding.format + "\"";
        if (!field && (use == FieldUse::Required || (use == FieldUse::RequiredForCounts && counting)))
          missing(&b, "field", where,
                  named + (use == FieldUse::Required ? "" : " with value = \"count\"") + " needs field = \"...\", " +
                      std::string(field_example(binding.format, counting)));
        if (field && use == FieldUse::Refused)
          error(field->origin, "'field' in [[binding]] is not read with " + named +
                                   " (the whole payload is the value): remove it, or pick a format that reads "
                                   "a field (json, zigbee2mqtt, homeassistant, ttn, tasmota, shelly)");
      }
      if (auto ttl = read_duration(&b, "ttl", where, " (leave ttl out to use [defaults] ttl)")) {
        binding.ttl = *ttl;
        if (*ttl < kShortTtl) short_ttl_warning(*b.find("ttl"), *ttl, where);
      }
      if (auto hold = read_duration(&b, "hold", where, " (leave hold out for sensors that report presence itself)")) {
        const Node& node = *b.find("hold");
        const std::chrono::seconds ttl = binding.ttl.count() > 0 ? binding.ttl : config_.default_ttl;
        if (binding.value == "count") {
          error(node.origin, "'hold' in [[binding]] applies to motion sensors (value = \"presence\"), not to "
                             "counts: a count already says how many are there; remove hold");
        } else {
          binding.hold = *hold;
          // Staleness wins over the hold: a sensor quiet after its "vacant" turns unknown at the ttl.
          if (*hold >= ttl)
            warning(node.origin, "'hold' in [[binding]] (" + seconds_text(*hold) + ") is not shorter than its ttl (" +
                                     seconds_text(ttl) + "): a sensor that goes quiet after its last motion "
                                     "shows unknown before the hold ends; use a shorter hold (e.g. \"5m\" with a "
                                     "\"10m\" ttl)");
        }
      }
      if (auto qos = read_int(&b, "qos", where, 0, 2)) binding.qos = static_cast<int>(*qos);
      config_.bindings.push_back(std::move(binding));
    }
    warn_duplicate_bindings(config_.bindings, out_);
  }

  // ============================================================================================
  // [SECTION] [space."key"]
  // ============================================================================================

  void read_spaces(const Node& root) {
    const Node* spaces = table(root, "space", "");
    if (!spaces) return;
    for (const Node& s : spaces->items) {
      const std::string where = "[space.\"" + s.key + "\"]";
      if (!s.is_table()) {
        error(s.key_origin, "space \"" + s.key + "\" must be a table: write [space.\"" + s.key +
                                "\"] on its own line, then its keys (kind, capacity, ...)");
        continue;
      }
      if (s.key.empty()) {
        error(s.key_origin, "a space key cannot be empty: write the unit id or the name of the space");
        continue;
      }
      check_keys(s, kSpaceKeys, where);
      SpaceDetails details;
      details.key = s.key;
      details.origin = s.origin;
      if (auto kind = read_string(&s, "kind", where)) {
        if (core::space_kind_from_string(*kind)) {
          details.kind = *kind;
        } else {
          Keys kinds;
          for (int k = 0; k < core::kSpaceKindCount; ++k) kinds.push_back(core::to_string(static_cast<core::SpaceKind>(k)));
          std::string message = "'kind' in " + where + " must be " + join(kinds, "\"") + ", not \"" + *kind + "\"";
          std::string_view guess = nearest(*kind, kinds);
          if (!guess.empty()) message += "; did you mean \"" + std::string(guess) + "\"?";
          error(s.find("kind")->origin, std::move(message));
        }
      }
      if (auto capacity = read_int(&s, "capacity", where, 0, INT_MAX, " people")) details.capacity = static_cast<int>(*capacity);
      if (auto seats = read_int(&s, "seats", where, 0, INT_MAX)) details.seats = static_cast<int>(*seats);
      if (auto equipment = read_string_list(&s, "equipment", where)) details.equipment = std::move(*equipment);
      if (const Node* name = s.find("name")) {
        if (!name->is_table()) {
          wrong_type(*name, where, "a table of labels by language, like name = { fr = \"...\", en = \"...\" }");
        } else {
          const std::string name_where = "[space.\"" + s.key + "\".name]";
          check_keys(*name, kLanguageList, name_where);
          for (const Node& label : name->items) {
            if (std::find(kLanguageList.begin(), kLanguageList.end(), label.key) == kLanguageList.end()) continue;
            if (auto text = read_string(name, label.key, name_where)) details.name[label.key] = *text;
          }
        }
      }
      if (auto hidden = read_bool(&s, "hidden", where)) details.hidden = *hidden;
      config_.spaces.push_back(std::move(details));
    }
    std::sort(config_.spaces.begin(), config_.spaces.end(),
              [](const SpaceDetails& a, const SpaceDetails& b) { return a.key < b.key; });
  }

  const Sources& sources_;
  std::vector<Diagnostic>& out_;
  const Node* root_ = nullptr;
  PanelConfig config_;
};

}  // namespace

PanelConfig validate(const Node& root, const Sources& sources, std::vector<Diagnostic>& diagnostics) {
  return Validator(sources, diagnostics).run(root);
}

}  // namespace kiosk::config::detail
