// Router::handle with the bindings of a fixed panel config (one per decoder family, captures, a
// space_map, a fixed space) and fuzzed messages. Input: records separated by NUL bytes, each a topic,
// a newline and the payload. A small topic cache makes the clearing path run too.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "core/inbox.hpp"
#include "fuzz_util.hpp"
#include "ingest/router.hpp"

namespace {

using namespace kiosk;

constexpr std::string_view kConfig = R"toml(
[site]
name = "Fuzz"
map = "campus"
[panel]
id = "fuzz"
kiosk = "Accueil"
[[mqtt.broker]]
host = "127.0.0.1"
[defaults]
ttl = "10m"

[[binding]]
topic = "campus/{floor}/{space}/occupancy"
[[binding]]
topic = "campus/{floor}/{space}/seats"
format = "json"
field = "taken"
value = "count"
ttl = "5m"
[[binding]]
topic = "zigbee2mqtt/{sensor}"
space = "{sensor}"
format = "zigbee2mqtt"
[binding.space_map]
"0x00158d0001" = "Salle Garonne"
"hall" = "salle-101"
[[binding]]
topic = "homeassistant/binary_sensor/{room}/state"
space = "salle-{room}"
format = "homeassistant"
[[binding]]
topic = "v3/campus-occupancy@ttn/devices/{device}/up"
space = "{device}"
format = "ttn"
field = "people_count"
value = "count"
qos = 0
[[binding]]
topic = "homie/{space}/presence/occupied"
format = "homie"
qos = 2
[[binding]]
topic = "tele/{space}/SENSOR"
format = "tasmota"
field = "Switch1"
[[binding]]
topic = "shellies/{space}/sensor/+"
format = "shelly"
[[binding]]
topic = "lobby/#"
space = "Salle Capitole"
format = "words"
)toml";

const std::vector<std::string> kSpaces = {"garonne", "capitole", "Salle Garonne", "Salle Capitole", "salle-101",
                                          "salle-garonne", "eui-a84041000181c8d1", "nap-nord"};

// The conversion kiosk/app/model.cpp build_routes makes (app is not linked here: it pulls the UI).
std::vector<ingest::Route> routes_from_config() {
  const config::LoadResult loaded = config::load_string(kConfig, "fuzz.toml", ".");
  if (!loaded.config) {
    for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", config::format(d).c_str());
    kiosk::fuzz::fail("the fixed router config does not load", __FILE__, __LINE__);
  }
  static const std::unordered_map<std::string_view, ingest::Format> kFormats = {
      {"words", ingest::Format::Words},       {"json", ingest::Format::Json},
      {"zigbee2mqtt", ingest::Format::Zigbee2mqtt}, {"homeassistant", ingest::Format::HomeAssistant},
      {"ttn", ingest::Format::Ttn},           {"homie", ingest::Format::Homie},
      {"tasmota", ingest::Format::Tasmota},   {"shelly", ingest::Format::Shelly}};
  std::vector<ingest::Route> routes;
  for (const config::Binding& b : loaded.config->bindings) {
    auto pattern = ingest::TopicPattern::parse(b.topic, nullptr);
    KIOSK_FUZZ_CHECK(pattern.has_value());
    ingest::Route route{std::move(*pattern), b.space, b.space_map, {}, b.ttl, b.qos, "fuzz.toml"};
    route.decoder.format = kFormats.at(b.format);
    route.decoder.value = b.value == "count" ? ingest::ValueKind::Count : ingest::ValueKind::Presence;
    for (std::size_t start = 0; !b.field.empty() && start <= b.field.size();) {
      std::size_t dot = b.field.find('.', start);
      if (dot == std::string::npos) dot = b.field.size();
      route.decoder.path.push_back(b.field.substr(start, dot - start));
      start = dot + 1;
    }
    if (route.ttl.count() <= 0) route.ttl = loaded.config->default_ttl;
    KIOSK_FUZZ_CHECK(ingest::check_space_template(route).empty());
    routes.push_back(std::move(route));
  }
  return routes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<ingest::Route> kRoutes = routes_from_config();
  const core::TimePoint now = core::from_unix_ms(1'710'423'000'000);  // 2024-03-14T13:30:00Z

  ingest::Router router(kRoutes, [](std::string_view name) -> std::optional<std::uint32_t> {
    const auto it = std::find(kSpaces.begin(), kSpaces.end(), name);
    if (it == kSpaces.end()) return std::nullopt;
    return static_cast<std::uint32_t>(it - kSpaces.begin());
  }, 65536, /*cache_limit=*/3);
  for (const auto& [filter, qos] : router.subscriptions()) KIOSK_FUZZ_CHECK(!filter.empty() && qos >= 0 && qos <= 2);
  core::Inbox inbox(kSpaces.size());
  core::Inbox::Batch batch;
  std::vector<std::string_view> values;

  std::string_view rest = kiosk::fuzz::as_text(data, size);
  std::uint64_t handled = 0;
  while (true) {
    const std::size_t end = rest.find('\0');
    const std::string_view record = rest.substr(0, end);
    const std::size_t newline = record.find('\n');
    const std::string_view topic = record.substr(0, newline);
    const std::string_view payload = newline == std::string_view::npos ? std::string_view{} : record.substr(newline + 1);

    // Twice: the second answer comes from the topic cache and must agree with the first.
    const auto outcome = router.handle(topic, payload, now, inbox);
    KIOSK_FUZZ_CHECK(router.handle(topic, payload, now, inbox) == outcome);
    handled += 2;
    KIOSK_FUZZ_CHECK(router.cache_size() <= router.cache_limit());

    const bool any_route = std::any_of(kRoutes.begin(), kRoutes.end(),
                                       [&](const ingest::Route& r) { return r.pattern.match(topic, values); });
    KIOSK_FUZZ_CHECK(any_route == (outcome != ingest::Router::Outcome::UnmatchedTopic));

    inbox.drain(batch);
    if (outcome == ingest::Router::Outcome::Delivered) {
      KIOSK_FUZZ_CHECK(batch.readings.size() == 1);
      const auto& [space, reading] = batch.readings.front();
      KIOSK_FUZZ_CHECK(space < kSpaces.size());
      KIOSK_FUZZ_CHECK(reading.count >= 0 && reading.count <= ingest::kMaxCount);
      KIOSK_FUZZ_CHECK(reading.observed <= now && reading.observed >= now - std::chrono::hours(1));
      KIOSK_FUZZ_CHECK(reading.ttl.count() > 0);
    } else {
      KIOSK_FUZZ_CHECK(batch.readings.empty());
    }

    const ingest::CounterValues c = router.counters().snapshot();
    KIOSK_FUZZ_CHECK(c.received == handled);
    KIOSK_FUZZ_CHECK(c.delivered + c.unmatched_topic + c.unknown_space + c.rejected_total() == c.received);

    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }

  const auto problems = router.recent_problems();
  KIOSK_FUZZ_CHECK(problems.size() <= ingest::Router::kProblemRing);
  for (const std::string& line : problems) {
    for (char ch : line) KIOSK_FUZZ_CHECK(static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7F);
  }
  return 0;
}
