// A whole panel (setup, MQTT client, router, inbox, store) against a real mosquitto on loopback and
// real SQLite files, driven like the frame loop drives it: start_network(wake), pump() when woken.
#include <doctest/doctest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/occupancy.hpp"
#include "integration/integration_helpers.hpp"

using namespace kiosk;
using namespace kiosk::integration;

namespace {

const std::string kGaronneTopic = "campus/1/salle-garonne/occupancy";
const std::string kCapitoleTopic = "campus/0/salle-capitole/occupancy";
const std::string kNapNordTopic = "campus/2/salle-de-sieste-nord/seats";
const std::string kNapSudTopic = "campus/2/salle-de-sieste-sud/seats";

core::SpaceStatus status_of(const app::Panel& panel, const std::string& name, const core::Clock& clock) {
  const std::uint32_t i = space_index(panel, name);
  return core::evaluate(panel.state().spaces[i], panel.state().readings[i], clock.now());
}

bool has_presence(const app::Panel& panel, const std::string& name, bool occupied) {
  const auto& r = reading_of(panel, name);
  return r && r->kind == core::Reading::Kind::Presence && r->occupied == occupied;
}

bool has_count(const app::Panel& panel, const std::string& name, int count) {
  const auto& r = reading_of(panel, name);
  return r && r->kind == core::Reading::Kind::Count && r->count == count;
}

std::size_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// Remembers every payload seen on the topics it watches.
struct Watcher {
  std::unique_ptr<ingest::mqtt::Publisher> client;
  std::vector<std::string> payloads;

  Watcher(int port, const std::string& id, const std::string& filter) {
    client = connect_publisher(port, id);
    client->on_message([this](std::string_view, std::string_view payload, bool) { payloads.emplace_back(payload); });
    REQUIRE(client->subscribe(filter, 1));
  }
  // Loops the client until a payload satisfies `match`; returns it parsed (bounded).
  std::optional<nlohmann::json> wait_for(const std::function<bool(const nlohmann::json&)>& match,
                                         std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t seen = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      client->loop(20ms);
      for (; seen < payloads.size(); ++seen) {
        auto json = nlohmann::json::parse(payloads[seen], nullptr, false);
        if (!json.is_discarded() && match(json)) return json;
      }
    }
    return std::nullopt;
  }
};

}  // namespace

TEST_CASE("panel+mqtt: a publish changes the state (presence words, seat counts)") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  core::SystemClock clock;
  Pumper pumper;
  app::Panel panel(load_usable(write_entrance_panel(dir, broker.port())), clock);
  panel.start_network(pumper.wake());
  const app::IngestFigures base = settle(panel, pumper, broker.port());
  CHECK(panel.state().link.broker == "127.0.0.1:" + std::to_string(broker.port()));

  auto sensor = connect_publisher(broker.port(), "test-sensor");
  CHECK_FALSE(reading_of(panel, "Salle Garonne").has_value());
  CHECK(status_of(panel, "Salle Garonne", clock).availability == core::Availability::Unknown);

  const auto before = clock.now();
  send(*sensor, kGaronneTopic, "occupied");
  REQUIRE(pumper.until(panel, [&] { return has_presence(panel, "Salle Garonne", true); }, 5s));
  CHECK(status_of(panel, "Salle Garonne", clock).availability == core::Availability::Occupied);
  CHECK(reading_of(panel, "Salle Garonne")->observed >= before);
  CHECK(reading_of(panel, "Salle Garonne")->ttl == std::chrono::seconds(600));

  send(*sensor, kGaronneTopic, "vacant");
  REQUIRE(pumper.until(panel, [&] { return has_presence(panel, "Salle Garonne", false); }, 5s));
  CHECK(status_of(panel, "Salle Garonne", clock).availability == core::Availability::Free);

  send(*sensor, kNapNordTopic, R"({"taken":3,"battery":97})");
  REQUIRE(pumper.until(panel, [&] { return has_count(panel, "Salle de sieste Nord", 3); }, 5s));
  const core::SpaceStatus nap = status_of(panel, "Salle de sieste Nord", clock);
  CHECK(nap.seats_free == 1);
  CHECK(nap.seats_total == 4);
  CHECK(nap.availability == core::Availability::Free);

  // The delivered counter may trail the state by a moment (see the bad-input test).
  pumper.until(panel, [&] { return panel.state().figures.delivered - base.delivered >= 3; }, 5s);
  CHECK(panel.state().figures.received - base.received == 3);
  CHECK(panel.state().figures.delivered - base.delivered == 3);
  CHECK(panel.state().figures.rejected == 0);
}

TEST_CASE("panel+mqtt: retained messages published before the panel starts arrive after it connects") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  {
    auto gateway = connect_publisher(broker.port(), "test-gateway");
    send(*gateway, kGaronneTopic, "ON", true);
    send(*gateway, kCapitoleTopic, "false", true);
    send(*gateway, kNapSudTopic, R"({"taken":4})", true);
  }  // the gateway is gone; the broker keeps the retained values

  core::SystemClock clock;
  Pumper pumper;
  app::Panel panel(load_usable(write_entrance_panel(dir, broker.port())), clock);
  panel.pump();
  CHECK_FALSE(reading_of(panel, "Salle Garonne").has_value());
  panel.start_network(pumper.wake());
  REQUIRE(pumper.until(panel,
                       [&] {
                         return has_presence(panel, "Salle Garonne", true) &&
                                has_presence(panel, "Salle Capitole", false) &&
                                has_count(panel, "Salle de sieste Sud", 4);
                       },
                       5s));
  CHECK(status_of(panel, "Salle de sieste Sud", clock).seats_free == 0);
  CHECK(status_of(panel, "Salle de sieste Sud", clock).availability == core::Availability::Occupied);
  CHECK(connected(panel));
}

TEST_CASE("panel+mqtt: broker killed -> offline with a time, restarted on the same port -> back and data flows") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  core::SystemClock clock;
  Pumper pumper;
  app::Panel panel(load_usable(write_entrance_panel(dir, broker.port())), clock);
  panel.start_network(pumper.wake());
  settle(panel, pumper, broker.port());
  const core::TimePoint connected_since = panel.state().link.since;
  CHECK(connected_since != core::TimePoint{});

  {
    auto sensor = connect_publisher(broker.port(), "test-sensor-1");
    send(*sensor, kGaronneTopic, "occupied");
    REQUIRE(pumper.until(panel, [&] { return has_presence(panel, "Salle Garonne", true); }, 5s));
  }

  const core::TimePoint killed_at = clock.now();
  broker.kill();
  REQUIRE(pumper.until(panel, [&] { return panel.state().link_known && !panel.state().link.connected; }, 5s));
  CHECK(panel.state().link.since >= killed_at);
  CHECK(panel.state().link.since <= clock.now());
  CHECK_FALSE(panel.state().link.error.empty());
  // Offline: the last reading stays (it is within its ttl), it is not dropped.
  CHECK(has_presence(panel, "Salle Garonne", true));

  REQUIRE(broker.start());
  settle(panel, pumper, broker.port());
  CHECK(panel.state().link.since > killed_at);

  auto sensor = connect_publisher(broker.port(), "test-sensor-2");
  send(*sensor, kGaronneTopic, "vacant");
  send(*sensor, kNapNordTopic, R"({"taken":2})");
  REQUIRE(pumper.until(panel,
                       [&] { return has_presence(panel, "Salle Garonne", false) && has_count(panel, "Salle de sieste Nord", 2); },
                       5s));
}

TEST_CASE("panel+mqtt: health on kiosk/entrance/status, retained, and the goodbye says offline after stop()") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  core::SystemClock clock;
  Pumper pumper;
  app::Panel panel(load_usable(write_entrance_panel(dir, broker.port())), clock);
  CHECK(panel.status_topic() == "kiosk/entrance/status");
  panel.start_network(pumper.wake());
  REQUIRE(pumper.until(panel, [&] { return connected(panel); }, 5s));

  // A late subscriber gets the retained health.
  Watcher watcher(broker.port(), "test-watcher", "kiosk/entrance/status");
  auto online = watcher.wait_for([](const nlohmann::json& j) { return j.value("online", false); }, 5s);
  REQUIRE(online.has_value());
  CHECK((*online)["panel"] == "entrance");
  CHECK((*online)["config_hash"] == panel.setup().config->hash);
  CHECK(panel.setup().config->hash.size() == 16);
  REQUIRE((*online)["version"].is_string());
  CHECK_FALSE((*online)["version"].get<std::string>().empty());

  // A later health report replaces the retained one.
  panel.publish_health(59.5);
  auto second = watcher.wait_for([](const nlohmann::json& j) { return j.value("fps", 0.0) == 59.5; }, 5s);
  CHECK(second.has_value());

  panel.stop();
  auto offline = watcher.wait_for([](const nlohmann::json& j) { return j.contains("online") && !j["online"]; }, 5s);
  REQUIRE(offline.has_value());
  CHECK((*offline)["panel"] == "entrance");

  // And that is what the broker now keeps for anyone who asks.
  Watcher late(broker.port(), "test-watcher-2", "kiosk/entrance/status");
  auto kept = late.wait_for([](const nlohmann::json&) { return true; }, 5s);
  REQUIRE(kept.has_value());
  CHECK((*kept)["online"] == false);
}

TEST_CASE("panel+mqtt: the snapshot brings the readings back offline, before any frame") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  const fs::path file = write_entrance_panel(dir, broker.port());
  core::SystemClock clock;
  std::optional<core::Reading> garonne, nap;
  {
    Pumper pumper;
    app::Panel panel(load_usable(file), clock);
    panel.start_network(pumper.wake());
    settle(panel, pumper, broker.port());
    auto sensor = connect_publisher(broker.port(), "test-sensor");
    send(*sensor, kGaronneTopic, "occupied");
    send(*sensor, kNapNordTopic, R"({"taken":1})");
    REQUIRE(pumper.until(panel,
                         [&] { return has_presence(panel, "Salle Garonne", true) && has_count(panel, "Salle de sieste Nord", 1); },
                         5s));
    garonne = reading_of(panel, "Salle Garonne");
    nap = reading_of(panel, "Salle de sieste Nord");
    panel.stop();
  }
  broker.kill();  // and no network at all for the second one
  CHECK(fs::exists(dir / "entrance.db"));

  app::Panel offline(load_usable(file), clock);  // no start_network, no pump
  CHECK_FALSE(offline.state().network_enabled);
  CHECK_FALSE(offline.state().link.connected);
  REQUIRE(reading_of(offline, "Salle Garonne").has_value());
  CHECK(*reading_of(offline, "Salle Garonne") == *garonne);  // value, observed time and ttl
  REQUIRE(reading_of(offline, "Salle de sieste Nord").has_value());
  CHECK(*reading_of(offline, "Salle de sieste Nord") == *nap);
  CHECK_FALSE(reading_of(offline, "Salle Capitole").has_value());
  REQUIRE(offline.state().newest_data.has_value());
  CHECK(*offline.state().newest_data == std::max(garonne->observed, nap->observed));
  const core::SpaceStatus status = status_of(offline, "Salle Garonne", clock);
  CHECK(status.availability == core::Availability::Occupied);
  REQUIRE(status.last_seen.has_value());
  CHECK(*status.last_seen == garonne->observed);
  CHECK(status_of(offline, "Salle de sieste Nord", clock).seats_free == 3);
  CHECK(offline.state().notices.empty());
}

TEST_CASE("panel+mqtt: bad input never crashes, is counted, and leaves good readings alone") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  core::SystemClock clock;
  Pumper pumper;
  app::Panel panel(load_usable(write_entrance_panel(dir, broker.port())), clock);
  panel.start_network(pumper.wake());
  const app::IngestFigures base = settle(panel, pumper, broker.port());
  auto sensor = connect_publisher(broker.port(), "test-sensor");

  send(*sensor, kGaronneTopic, "occupied");
  send(*sensor, kNapNordTopic, R"({"taken":2})");
  REQUIRE(pumper.until(panel,
                       [&] { return has_presence(panel, "Salle Garonne", true) && has_count(panel, "Salle de sieste Nord", 2); },
                       5s));
  const core::Reading garonne = *reading_of(panel, "Salle Garonne");
  const core::Reading nap = *reading_of(panel, "Salle de sieste Nord");
  pumper.until(panel, [&] { return panel.state().figures.delivered - base.delivered >= 2; }, 5s);  // see below
  const app::IngestFigures before = panel.state().figures;
  REQUIRE(before.delivered - base.delivered == 2);

  send(*sensor, kNapNordTopic, "three seats, more or less");          // not JSON
  send(*sensor, kGaronneTopic, std::string(1 << 20, 'x'));             // 1 MB
  send(*sensor, kGaronneTopic, std::string("occ\xff\xfe\xc0pied"));   // invalid UTF-8
  send(*sensor, kNapNordTopic, std::string(10000, '[') + std::string(10000, ']'));  // 10,000 deep
  send(*sensor, kNapNordTopic, std::string(5000, '{').insert(1, "\"taken\":"));      // deep and broken
  send(*sensor, "campus/1/salle-inexistante/occupancy", "occupied");  // no such space
  send(*sensor, "campus/1/salle-garonne/temperature", "21.5");        // matches no binding:
  send(*sensor, "elsewhere/entirely", "occupied");                     // not even subscribed
  send(*sensor, kCapitoleTopic, "occupied");                           // sentinel: all above were handled
  REQUIRE(pumper.until(panel, [&] { return has_presence(panel, "Salle Capitole", true); }, 10s));
  // The router counts a delivery just after handing the reading over, so the figures may trail the
  // state by a moment: wait for them too (bounded), then check they settled where they should.
  pumper.until(panel,
               [&] {
                 const app::IngestFigures& f = panel.state().figures;
                 return f.received - before.received >= 7 && f.delivered - before.delivered >= 1;
               },
               5s);

  const app::IngestFigures after = panel.state().figures;
  CHECK(after.rejected - before.rejected == 5);
  CHECK(after.unknown_space - before.unknown_space == 1);
  // The client subscribes only to the bindings' filters, so a topic that matches no binding never
  // reaches the router: neither received nor counted as unmatched.
  CHECK(after.unmatched_topic == before.unmatched_topic);
  CHECK(after.received - before.received == 7);
  CHECK(after.delivered - before.delivered == 1);

  CHECK(*reading_of(panel, "Salle Garonne") == garonne);
  CHECK(*reading_of(panel, "Salle de sieste Nord") == nap);
  CHECK(connected(panel));
  CHECK(panel.state().link.since <= clock.now());
}

TEST_CASE("panel+mqtt: a flood of 100,000 QoS 1 messages over 40 spaces: none lost, last value wins, small RSS") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  const fs::path file = dir / "flood.toml";
  write_file(file, "[site]\n"
                   "name = \"Flood\"\n"
                   "map = \"" + kSource + "/tests/fixtures/integration/flood_venue\"\n"
                   "[panel]\n"
                   "id = \"flood\"\n"
                   "kiosk = \"Borne niveau 0\"\n"
                   "snapshot = \"" + (dir / "flood.db").string() + "\"\n"
                   "[mqtt]\n"
                   "reconnect_min = \"1s\"\n"
                   "reconnect_max = \"2s\"\n"
                   "[[mqtt.broker]]\n"
                   "host = \"127.0.0.1\"\n"
                   "port = " + std::to_string(broker.port()) + "\n"
                   "[[binding]]\n"
                   "topic = \"flood/{space}/occupancy\"\n"
                   "format = \"words\"\n"
                   "value = \"presence\"\n");
  core::SystemClock clock;
  Pumper pumper;
  app::Panel panel(load_usable(file), clock);
  constexpr std::size_t kSpaces = 40;
  constexpr std::size_t kMessages = 100'000;
  REQUIRE(panel.state().spaces.size() >= kSpaces);
  panel.start_network(pumper.wake());
  const app::IngestFigures base = settle(panel, pumper, broker.port());

  std::vector<std::string> topics;
  for (std::size_t s = 0; s < kSpaces; ++s) topics.push_back("flood/" + panel.state().spaces[s].id + "/occupancy");
  // Message k goes to space k % 40; its value flips every round, shifted by space, so the last round
  // leaves half the spaces occupied and half free.
  auto value_of = [](std::size_t k) { return ((k / kSpaces) + (k % kSpaces)) % 2 == 0; };

  auto sensor = connect_publisher(broker.port(), "test-flood");
  const std::size_t rss_before = rss_bytes();
  std::size_t peak = rss_before;
  std::atomic<std::size_t> sent{0};
  std::atomic<bool> publisher_ok{true};
  const auto started = std::chrono::steady_clock::now();
  std::thread flood([&] {
    // As fast as the publisher goes, in windows of 1,000 unacknowledged messages, so the publisher's
    // own queue does not dominate this process's memory.
    for (std::size_t k = 0; k < kMessages; ++k) {
      if (!sensor->publish(topics[k % kSpaces], value_of(k) ? "occupied" : "vacant", 1, false)) {
        publisher_ok = false;
        return;
      }
      sent.store(k + 1, std::memory_order_relaxed);
      if ((k + 1) % 1000 == 0 && !sensor->flush(10s)) {
        publisher_ok = false;
        return;
      }
    }
    if (!sensor->flush(10s)) publisher_ok = false;
  });
  // Bounded by progress: fail if nothing new arrives for 10 s (or after 60 s in all), so a slow
  // machine passes and a stall does not hang.
  bool all_in = false;
  std::uint64_t last_count = 0;
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  while (!all_in && publisher_ok && std::chrono::steady_clock::now() < give_up) {
    const bool progressed = pumper.until(panel,
                                         [&] {
                                           peak = std::max(peak, rss_bytes());
                                           const app::IngestFigures& f = panel.state().figures;
                                           all_in = f.received - base.received >= kMessages &&
                                                    f.delivered - base.delivered >= kMessages;
                                           return all_in || f.received != last_count || !publisher_ok;
                                         },
                                         10s);
    if (!progressed) break;
    last_count = panel.state().figures.received;
  }
  flood.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  MESSAGE("flood: " << sent.load() << " messages in " << seconds << " s; RSS before " << rss_before / 1024
                    << " KiB, peak " << peak / 1024 << " KiB; superseded in the inbox "
                    << panel.state().figures.superseded);
  REQUIRE(publisher_ok);
  REQUIRE(all_in);
  REQUIRE(sent == kMessages);
  panel.pump();
  const app::IngestFigures& figures = panel.state().figures;
  CHECK(figures.received - base.received == kMessages);
  CHECK(figures.delivered - base.delivered == kMessages);
  CHECK(figures.rejected == 0);
  CHECK(figures.unknown_space == base.unknown_space);
  for (std::size_t s = 0; s < kSpaces; ++s) {
    const std::size_t last = kMessages - kSpaces + s;
    const auto& reading = panel.state().readings[s];
    INFO("space " << s);
    REQUIRE(reading.has_value());
    CHECK(reading->occupied == value_of(last));
  }
  for (std::size_t s = kSpaces; s < panel.state().spaces.size(); ++s) CHECK_FALSE(panel.state().readings[s].has_value());
  CHECK(peak - rss_before < 50u * 1024 * 1024);
}

TEST_CASE("panel+mqtt: metrics on kiosk/entrance/metrics count what was decoded and rejected, by reason") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  core::SystemClock clock;
  Pumper pumper;
  app::Panel panel(load_usable(write_entrance_panel(dir, broker.port())), clock);
  CHECK(panel.metrics_topic() == "kiosk/entrance/metrics");
  panel.start_network(pumper.wake());
  const app::IngestFigures base = settle(panel, pumper, broker.port());
  auto sensor = connect_publisher(broker.port(), "test-sensor");
  send(*sensor, kGaronneTopic, "occupied");
  send(*sensor, "campus/2/salle-de-sieste-nord/seats", "not json at all");
  REQUIRE(pumper.until(panel, [&] { return panel.state().figures.rejected > base.rejected; }, 5s));

  Watcher watcher(broker.port(), "test-metrics", "kiosk/entrance/metrics");
  std::optional<nlohmann::json> metrics;
  // Not retained: publish until the subscriber (connected just now) has one.
  for (int i = 0; i < 20 && !metrics; ++i) {
    panel.publish_metrics(12.5);
    metrics = watcher.wait_for([](const nlohmann::json& j) { return j.contains("rejected"); }, 250ms);
  }
  REQUIRE(metrics.has_value());
  CHECK((*metrics)["panel"] == "entrance");
  CHECK((*metrics)["fps"] == 12.5);
  CHECK((*metrics)["rejected"]["not_json"].get<int>() >= 1);
  CHECK((*metrics)["decoded"].get<int>() >= 1);
  CHECK((*metrics)["received"].get<int>() >= 2);
  CHECK((*metrics)["config_hash"] == panel.setup().config->hash);
  CHECK((*metrics)["data_age_s"].is_number());
}
