// The MQTT client against a real mosquitto broker on 127.0.0.1 (see ingest_broker_helper.hpp).
#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <string>

#include "core/inbox.hpp"
#include "ingest/mqtt/client.hpp"
#include "ingest/router.hpp"
#include "ingest_broker_helper.hpp"

using namespace kiosk;
using namespace kiosk::ingest;
using kiosk::testing::Broker;
using kiosk::testing::wait_until;

namespace {

constexpr auto kWait = std::chrono::seconds(5);

Route occupancy_route() {
  Route r;
  r.pattern = *TopicPattern::parse("campus/{floor}/{space}/occupancy", nullptr);
  r.space_template = "{space}";
  r.ttl = std::chrono::seconds(300);
  r.origin = "test";
  return r;
}

std::optional<std::uint32_t> resolve(std::string_view name) {
  if (name == "garonne") return 0;
  if (name == "loire") return 1;
  return std::nullopt;
}

mqtt::BrokerAddress local(int port) { return {"127.0.0.1", port}; }

mqtt::Options options_for(std::vector<mqtt::BrokerAddress> brokers, std::string id) {
  mqtt::Options o;
  o.brokers = std::move(brokers);
  o.client_id = std::move(id);
  o.keepalive_s = 5;
  o.reconnect_min = std::chrono::milliseconds(50);
  o.reconnect_max = std::chrono::milliseconds(300);
  o.connect_timeout = std::chrono::milliseconds(2000);
  return o;
}

// Collects what the client hands to the main thread: readings per space and the latest link status.
struct Sink {
  core::Inbox inbox{2};
  std::map<std::uint32_t, core::Reading> readings;
  std::optional<core::LinkStatus> link;
  std::vector<core::LinkStatus> links;

  void poll() {
    core::Inbox::Batch batch;
    inbox.drain(batch);
    for (auto& [i, r] : batch.readings) readings[i] = r;
    if (batch.link) {
      link = batch.link;
      links.push_back(*batch.link);
    }
  }
  bool has_reading(std::uint32_t space, bool occupied) {
    poll();
    const auto it = readings.find(space);
    return it != readings.end() && it->second.occupied == occupied;
  }
  bool link_is(bool connected) {
    poll();
    return link && link->connected == connected;
  }
};

std::unique_ptr<mqtt::Publisher> publisher(int port, std::string id = "kiosk-test-pub") {
  auto p = std::make_unique<mqtt::Publisher>(local(port), std::move(id));
  std::string error;
  const bool ok = p->connect(kWait, &error);
  INFO(error);
  REQUIRE(ok);
  return p;
}

// The retained payload on `topic` as a fresh subscriber sees it; polls with new subscribers (a
// retained message only comes with the subscription) until it equals `expected` or the wait ends.
std::string retained_on(int port, const std::string& topic, const std::string& expected) {
  std::string last;
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < deadline) {
    auto watcher = publisher(port, "kiosk-test-watch");
    bool got = false;
    watcher->on_message([&](std::string_view t, std::string_view payload, bool retained) {
      if (t == topic && retained) {
        last = std::string(payload);
        got = true;
      }
    });
    REQUIRE(watcher->subscribe(topic, 1));
    for (int i = 0; i < 25 && !got; ++i) watcher->loop(std::chrono::milliseconds(10));
    if (last == expected) break;
  }
  return last;
}

}  // namespace

TEST_CASE("mqtt client: publish -> reading in the inbox, retained messages arrive after connect") {
  Broker broker;
  REQUIRE(broker.running());
  auto pub = publisher(broker.port());
  REQUIRE(pub->publish("campus/1/loire/occupancy", "occupied", 1, true));  // retained before the client
  REQUIRE(pub->flush(kWait));

  Router router({occupancy_route()}, resolve, 65536);
  Sink sink;
  core::SystemClock clock;
  mqtt::Client client(options_for({local(broker.port())}, "kiosk-test-1"), router, sink.inbox, clock);
  const auto started = std::chrono::steady_clock::now();
  client.start();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(100));  // start() does not block
  REQUIRE(wait_until([&] { return client.connected(); }, kWait));
  CHECK(wait_until([&] { return sink.has_reading(1, true); }, kWait));
  REQUIRE(sink.link);
  CHECK(sink.link->connected);
  CHECK(sink.link->broker == "127.0.0.1:" + std::to_string(broker.port()));

  // Messages published after the subscription are delivered too (poll: SUBACK may still be in flight).
  CHECK(wait_until(
      [&] {
        pub->publish("campus/2/garonne/occupancy", "true", 1, false);
        pub->loop(std::chrono::milliseconds(20));
        return sink.has_reading(0, true);
      },
      kWait));
  const core::Reading r = sink.readings.at(0);
  CHECK(r.kind == core::Reading::Kind::Presence);
  CHECK(r.ttl == std::chrono::seconds(300));
  CHECK(std::chrono::abs(r.observed - clock.now()) < std::chrono::seconds(10));
  CHECK(router.counters().snapshot().delivered >= 2);
  client.stop();
  CHECK_FALSE(client.connected());
}

TEST_CASE("mqtt client: status is retained, re-sent, and stop() leaves the will payload") {
  Broker broker;
  REQUIRE(broker.running());
  Router router({occupancy_route()}, resolve, 65536);
  Sink sink;
  core::SystemClock clock;
  auto opts = options_for({local(broker.port())}, "kiosk-panel-7");
  opts.status_topic = "kiosk/panel-7/status";
  opts.will_payload = R"({"online":false})";
  mqtt::Client client(opts, router, sink.inbox, clock);
  client.publish_status(R"({"online":true,"version":"0.1.0"})");  // before start: sent once connected
  client.start();
  REQUIRE(wait_until([&] { return client.connected(); }, kWait));
  CHECK(retained_on(broker.port(), opts.status_topic, R"({"online":true,"version":"0.1.0"})") ==
        R"({"online":true,"version":"0.1.0"})");
  client.publish_status(R"({"online":true,"fps":60})");  // latest wins
  CHECK(retained_on(broker.port(), opts.status_topic, R"({"online":true,"fps":60})") == R"({"online":true,"fps":60})");
  client.stop();
  CHECK(retained_on(broker.port(), opts.status_topic, R"({"online":false})") == R"({"online":false})");
  sink.poll();
  REQUIRE(sink.link);
  CHECK_FALSE(sink.link->connected);
}

TEST_CASE("mqtt client: broker killed -> link down, restarted -> reconnects and receives") {
  Broker broker;
  REQUIRE(broker.running());
  Router router({occupancy_route()}, resolve, 65536);
  Sink sink;
  core::SystemClock clock;
  auto opts = options_for({local(broker.port())}, "kiosk-test-restart");
  opts.status_topic = "kiosk/panel-8/status";
  mqtt::Client client(opts, router, sink.inbox, clock);
  client.publish_status(R"({"online":true})");
  client.start();
  REQUIRE(wait_until([&] { return sink.link_is(true); }, kWait));

  broker.kill();
  CHECK(wait_until([&] { return sink.link_is(false); }, kWait));
  CHECK_FALSE(client.connected());
  CHECK_FALSE(sink.link->error.empty());

  REQUIRE(broker.start());  // same port
  REQUIRE(wait_until([&] { return client.connected(); }, kWait));
  CHECK(wait_until([&] { return sink.link_is(true); }, kWait));
  CHECK(client.reconnects() >= 1);
  // The broker had no persistence: the status must have been sent again after the reconnect.
  CHECK(retained_on(broker.port(), opts.status_topic, R"({"online":true})") == R"({"online":true})");
  auto pub = publisher(broker.port());
  CHECK(wait_until(
      [&] {
        pub->publish("campus/1/garonne/occupancy", "vacant", 1, false);
        pub->loop(std::chrono::milliseconds(20));
        return sink.has_reading(0, false);
      },
      kWait));
  client.stop();
}

TEST_CASE("mqtt client: fails over from a closed port to a live broker") {
  Broker broker;
  REQUIRE(broker.running());
  const int closed = kiosk::testing::free_local_port();
  REQUIRE(closed > 0);
  Router router({occupancy_route()}, resolve, 65536);
  Sink sink;
  core::SystemClock clock;
  mqtt::Client client(options_for({local(closed), local(broker.port())}, "kiosk-test-failover"), router,
                      sink.inbox, clock);
  client.start();
  REQUIRE(wait_until([&] { return sink.link_is(true); }, kWait));
  CHECK(client.connected());
  CHECK(sink.link->broker == "127.0.0.1:" + std::to_string(broker.port()));
  // The failed attempt was reported first, with the reason.
  bool saw_refused = false;
  for (const auto& l : sink.links) {
    if (!l.connected && l.broker == "127.0.0.1:" + std::to_string(closed) && !l.error.empty()) saw_refused = true;
  }
  CHECK(saw_refused);
  client.stop();
}

TEST_CASE("mqtt client: no broker at all -> keeps trying, reports, stops promptly") {
  const int closed = kiosk::testing::free_local_port();
  Router router({occupancy_route()}, resolve, 65536);
  Sink sink;
  core::SystemClock clock;
  mqtt::Client client(options_for({local(closed)}, "kiosk-test-none"), router, sink.inbox, clock);
  client.start();
  CHECK(wait_until([&] { return sink.link_is(false); }, kWait));
  CHECK(sink.link->error == "Connection refused");
  const auto before = std::chrono::steady_clock::now();
  client.stop();
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(1));
  CHECK_FALSE(client.connected());
}

TEST_CASE("mqtt publisher: refuses a closed port with a reason, within the timeout") {
  mqtt::Publisher pub(local(kiosk::testing::free_local_port()), "kiosk-test-nobody");
  std::string error;
  CHECK_FALSE(pub.connect(std::chrono::milliseconds(1000), &error));
  CHECK(error.find("refused") != std::string::npos);
  CHECK_FALSE(pub.publish("a/b", "x", 0, false));
}

TEST_CASE("topic pattern agrees with libmosquitto's matcher") {
  const std::vector<std::string> patterns = {
      "campus/{floor}/{space}/occupancy", "#", "+", "+/+", "a/#", "a/+/#", "/+", "+/", "a//b", "$SYS/#",
      "$SYS/+/x", "a/{x}", "{x}/b", "a/b/c", "/", "+/#", "//"};
  const std::vector<std::string> topics = {
      "campus/1/garonne/occupancy", "campus//garonne/occupancy", "campus/1/garonne", "a", "a/", "a/b",
      "a/b/c", "a//b", "/", "//", "/a", "a/b/c/d", "$SYS/broker/x", "$SYS", "$SYS/x", "b", "x/b", "/b",
      "campus/1/garonne/occupancy/", "a/$b"};
  std::vector<std::string_view> values;
  for (const auto& text : patterns) {
    const auto pattern = TopicPattern::parse(text, nullptr);
    REQUIRE(pattern);
    for (const auto& topic : topics) {
      CAPTURE(text);
      CAPTURE(topic);
      CHECK(pattern->match(topic, values) == mqtt::filter_matches(pattern->filter(), topic));
    }
  }
}

// Regression: the publisher queued QoS 1 messages without bound; past 65,535 in flight libmosquitto
// reused message ids and the broker silently got a fraction of them (kiosk simulate at high rates).
TEST_CASE("mqtt publisher: 70,000 QoS 1 messages in a row all reach the broker") {
  Broker broker;
  REQUIRE(broker.running());
  mqtt::Publisher reader({"127.0.0.1", broker.port()}, "window-reader");
  std::string error;
  REQUIRE_MESSAGE(reader.connect(std::chrono::seconds(5), &error), error);
  std::size_t seen = 0;
  reader.on_message([&](std::string_view, std::string_view, bool) { ++seen; });
  REQUIRE(reader.subscribe("window/#", 1));
  reader.loop(std::chrono::milliseconds(200));  // the SUBACK

  mqtt::Publisher writer({"127.0.0.1", broker.port()}, "window-writer");
  REQUIRE_MESSAGE(writer.connect(std::chrono::seconds(5), &error), error);
  constexpr std::size_t kCount = 70'000;
  for (std::size_t i = 0; i < kCount; ++i) REQUIRE(writer.publish("window/" + std::to_string(i % 100), "1", 1, false));
  CHECK(writer.flush(std::chrono::seconds(30)));
  CHECK(wait_until(
      [&] {
        reader.loop(std::chrono::milliseconds(20));
        return seen >= kCount;
      },
      std::chrono::seconds(30)));
  CHECK(seen == kCount);
}
