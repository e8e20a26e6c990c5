// Broker faults around a running panel: a list of brokers with failover, two mosquitto brokers
// bridged (central + building), and an MQTT 5 session that outlives a broken link. Real mosquitto
// processes on 127.0.0.1; every wait is bounded.
//
// Found here: mosquitto 2.0.11 saves to disk (persistence true) only sessions that began with clean
// start = false, so a session the panel opened clean does not survive a broker restart; it does
// survive a broken link, which is what the session test breaks.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "integration_helpers.hpp"

using namespace kiosk;
using namespace kiosk::integration;

namespace {

const std::string kGaronne = "campus/rdc/Salle Garonne/occupancy";

// The sample entrance panel with `mqtt` lines in [mqtt] and one [[mqtt.broker]] per port, in order.
fs::path write_panel(const TempDir& dir, const std::vector<int>& ports, const std::string& mqtt = "",
                     const std::string& reconnect = "1s") {
  std::string text = "include = \"" + kSource + "/config/panels/entrance.toml\"\n"
                     "[panel]\n"
                     "snapshot = \"" + (dir / "entrance.db").string() + "\"\n"
                     "[mqtt]\n"
                     "reconnect_min = \"" + reconnect + "\"\n"
                     "reconnect_max = \"" + reconnect + "\"\n" + mqtt;
  for (int port : ports) text += "[[mqtt.broker]]\nhost = \"127.0.0.1\"\nport = " + std::to_string(port) + "\n";
  const fs::path file = dir / "entrance.toml";
  write_file(file, text);
  return file;
}

bool garonne_is(const app::Panel& panel, bool occupied) {
  const auto& r = reading_of(panel, "Salle Garonne");
  return r && r->occupied == occupied;
}

// Publishes `payload` on `topic` through `port` until the panel shows Garonne as `occupied` (a bridge
// that is reconnecting drops what it cannot forward yet). True once seen, false after `timeout`.
bool publish_until_seen(app::Panel& panel, Pumper& pumper, int port, const std::string& payload, bool occupied,
                        std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    ingest::mqtt::Publisher publisher({"127.0.0.1", port}, "test-bridge-pub");
    if (publisher.connect(1s, nullptr) && publisher.publish(kGaronne, payload, 1, false) && publisher.flush(2s) &&
        pumper.until(panel, [&] { return garonne_is(panel, occupied); }, 500ms))
      return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

}  // namespace

TEST_CASE("mqtt brokers: the first broker down at start -> the second one is used") {
  testing::Broker second;
  REQUIRE(second.running());
  const int dead = testing::free_local_port();
  TempDir dir;
  core::SystemClock clock;
  app::Panel panel(load_usable(write_panel(dir, {dead, second.port()})), clock);
  Pumper pumper;
  panel.start_network(pumper.wake());
  settle(panel, pumper, second.port());
  CHECK(panel.state().link.broker == "127.0.0.1:" + std::to_string(second.port()));
  auto publisher = connect_publisher(second.port(), "test-failover-pub");
  send(*publisher, kGaronne, "occupied");
  CHECK(pumper.until(panel, [&] { return garonne_is(panel, true); }, 5s));
  panel.stop();
}

TEST_CASE("mqtt brokers: the broker in use dies -> the panel fails over to the next one and keeps receiving") {
  testing::Broker first, second;
  REQUIRE(first.running());
  REQUIRE(second.running());
  TempDir dir;
  core::SystemClock clock;
  app::Panel panel(load_usable(write_panel(dir, {first.port(), second.port()})), clock);
  Pumper pumper;
  panel.start_network(pumper.wake());
  settle(panel, pumper, first.port());
  CHECK(panel.state().link.broker == "127.0.0.1:" + std::to_string(first.port()));
  first.kill();
  REQUIRE(pumper.until(panel, [&] { return connected(panel) &&
                                           panel.state().link.broker == "127.0.0.1:" + std::to_string(second.port()); },
                       10s));
  CHECK(publish_until_seen(panel, pumper, second.port(), "occupied", true, 5s));
  panel.stop();
}

TEST_CASE("mqtt bridge: the building broker keeps serving when the central one dies, and catches up when it returns") {
  testing::Broker central;
  REQUIRE(central.running());
  // The building broker bridges campus/# both ways; its bridge retries every second.
  testing::Broker building("connection central\n"
                           "address 127.0.0.1:" + std::to_string(central.port()) + "\n"
                           "topic campus/# both 1\n"
                           "cleansession false\n"
                           "restart_timeout 1\n",
                           true);
  REQUIRE(building.running());
  TempDir dir;
  core::SystemClock clock;
  app::Panel panel(load_usable(write_panel(dir, {building.port()})), clock);
  Pumper pumper;
  panel.start_network(pumper.wake());
  settle(panel, pumper, building.port());

  // Central -> bridge -> building -> panel.
  REQUIRE(publish_until_seen(panel, pumper, central.port(), "occupied", true, 10s));

  central.kill();
  // The building's own sensors still reach the panel, which never noticed anything.
  auto local = connect_publisher(building.port(), "test-building-sensor");
  send(*local, kGaronne, "vacant");
  CHECK(pumper.until(panel, [&] { return garonne_is(panel, false); }, 5s));
  CHECK(connected(panel));
  // Meanwhile a retained state is published in the building: the bridge queues it for the central.
  send(*local, "campus/rdc/Salle Capitole/occupancy", "occupied", true);

  REQUIRE(central.start());
  // Back: what the central publishes reaches the panel again once the bridge reconnected (≤ ~3 s).
  CHECK(publish_until_seen(panel, pumper, central.port(), "occupied", true, 15s));
  CHECK(connected(panel));
  // And the central caught up with what the building published while it was gone.
  std::string seen;
  const bool caught_up = testing::wait_until(
      [&] {
        auto watcher = connect_publisher(central.port(), "test-central-watch");
        watcher->on_message([&](std::string_view topic, std::string_view payload, bool) {
          if (topic == "campus/rdc/Salle Capitole/occupancy") seen = std::string(payload);
        });
        REQUIRE(watcher->subscribe("campus/rdc/Salle Capitole/occupancy", 1));
        watcher->loop(300ms);
        return seen == "occupied";
      },
      10s);
  CHECK(caught_up);
  panel.stop();
}

namespace {

// Another client connects with the panel's client id (MQTT 5, resuming the session, expiry 1 h) and
// leaves: the broker drops the panel's link without a DISCONNECT from it (session takeover), and the
// session, if the panel had one, lives on without anyone connected. Blocking calls: loopback only.
void take_over_session(int port, const std::string& client_id) {
  mosquitto* m = mosquitto_new(client_id.c_str(), false, nullptr);
  REQUIRE(m != nullptr);
  mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_property* props = nullptr;
  mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 3600);
  const int rc = mosquitto_connect_bind_v5(m, "127.0.0.1", port, 30, nullptr, props);
  mosquitto_property_free_all(&props);
  CHECK(rc == MOSQ_ERR_SUCCESS);
  for (int i = 0; i < 10; ++i) mosquitto_loop(m, 20, 1);  // CONNACK
  mosquitto_disconnect(m);
  for (int i = 0; i < 5; ++i) mosquitto_loop(m, 20, 1);
  mosquitto_destroy(m);
}

struct SessionRun {
  bool reconnected = false;
  bool resumed_message = false;  // the QoS 1 message published while the panel was away arrived
};

SessionRun run_session_case(const std::string& mqtt) {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  core::SystemClock clock;
  // reconnect = 3 s: the message is queued well before the panel retries.
  app::Panel panel(load_usable(write_panel(dir, {broker.port()}, mqtt, "3s")), clock);
  Pumper pumper;
  panel.start_network(pumper.wake());
  settle(panel, pumper, broker.port());

  take_over_session(broker.port(), panel.setup().config->client_id);
  REQUIRE(pumper.until(panel, [&] { return !connected(panel); }, 5s));
  {
    auto publisher = connect_publisher(broker.port(), "test-session-pub");
    send(*publisher, kGaronne, "occupied");  // QoS 1, not retained: only a session keeps it
  }
  SessionRun run;
  run.reconnected = pumper.until(panel, [&] { return connected(panel); }, 10s);
  run.resumed_message = pumper.until(panel, [&] { return garonne_is(panel, true); }, 2s);
  panel.stop();
  return run;
}

}  // namespace

TEST_CASE("mqtt 5 session: with session_expiry, QoS 1 messages published while the link was down arrive after") {
  SessionRun run = run_session_case("protocol = \"5\"\nsession_expiry = \"1h\"\n");
  CHECK(run.reconnected);
  CHECK(run.resumed_message);
}

TEST_CASE("mqtt 5 session: without session_expiry, a message published while the link was down is not kept") {
  SessionRun run = run_session_case("protocol = \"5\"\n");
  CHECK(run.reconnected);
  CHECK_FALSE(run.resumed_message);
}

TEST_CASE("mqtt 3.1.1: still selectable, and the panel receives") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  core::SystemClock clock;
  app::Panel panel(load_usable(write_panel(dir, {broker.port()}, "protocol = \"3.1.1\"\n")), clock);
  Pumper pumper;
  panel.start_network(pumper.wake());
  settle(panel, pumper, broker.port());
  auto publisher = connect_publisher(broker.port(), "test-311-pub");
  send(*publisher, kGaronne, "occupied");
  CHECK(pumper.until(panel, [&] { return garonne_is(panel, true); }, 5s));
  panel.stop();
}
