// The gateway formats, on payloads as Zigbee2MQTT, Home Assistant, The Things Stack, Homie, Tasmota and
// Shelly publish them (tests/fixtures/ingest/), with their odd cases.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/inbox.hpp"
#include "ingest/decoder.hpp"
#include "ingest/router.hpp"
#include "ingest_decoder_helpers.hpp"

using namespace kiosk;
using namespace kiosk::ingest;
using namespace kiosk::ingest::test;

namespace {


DecoderSpec spec(Format format, std::vector<std::string> path = {}, ValueKind kind = ValueKind::Presence) {
  return DecoderSpec{format, std::move(path), kind};
}
DecoderSpec counting(Format format, std::vector<std::string> path) {
  return spec(format, std::move(path), ValueKind::Count);
}


}  // namespace

TEST_CASE("zigbee2mqtt: occupancy, else presence, legacy plain payloads") {
  const auto z = spec(Format::Zigbee2mqtt);
  CHECK(run(z, fixture("zigbee2mqtt_occupancy.json")) == "occupied");
  CHECK(run(z, fixture("zigbee2mqtt_aqara_motion.json")) == "free");  // with nested "update" and null
  CHECK(run(z, fixture("zigbee2mqtt_presence_mmwave.json")) == "occupied");
  CHECK(run(z, R"({"presence":false,"occupancy":true})") == "occupied");  // occupancy first
  CHECK(run(z, R"({"occupancy":null,"presence":false})") == "free");      // null: not reported
  CHECK(run(z, R"({"occupancy":null,"battery":90})") == "reject wrong_type");
  CHECK(run(z, R"({"battery":97,"linkquality":120})") == "reject missing_field");  // battery report
  CHECK(run(z, R"({"occupancy":false,"occupancy":true})") == "occupied");  // duplicated key: last wins
  CHECK(run(z, R"({"occupancy":"true"})") == "occupied");
  CHECK(run(z, R"({"occupancy":{"v":true}})") == "reject wrong_type");
  CHECK(run(z, R"({"device":{"occupancy":true}})") == "reject missing_field");  // only at the root
  // Legacy attribute output: zigbee2mqtt/<device>/occupancy carries the bare value.
  CHECK(run(z, "true") == "occupied");
  CHECK(run(z, "false") == "free");
  CHECK(run(z, "maybe") == "reject unknown_word");
  CHECK(run(z, R"({"occupancy":true)") == "reject not_json");
  // A field overrides the defaults; counts read the field.
  CHECK(run(spec(Format::Zigbee2mqtt, {"presence"}), R"({"presence":true,"occupancy":false})") == "occupied");
  CHECK(run(counting(Format::Zigbee2mqtt, {"people"}), R"({"people":3,"linkquality":80})") == "count 3");
  CHECK(run(counting(Format::Zigbee2mqtt, {"people"}), R"({"people":"2"})") == "count 2");
  CHECK(run(counting(Format::Zigbee2mqtt, {"people"}), "5") == "count 5");
}

TEST_CASE("homeassistant: plain states and {\"state\":...}") {
  const auto h = spec(Format::HomeAssistant);
  for (const char* w : {"ON", "on", "home", "detected", "Home"}) {
    CAPTURE(w);
    CHECK(run(h, w) == "occupied");
  }
  for (const char* w : {"OFF", "off", "not_home", "clear", "NOT_HOME"}) {
    CAPTURE(w);
    CHECK(run(h, w) == "free");
  }
  CHECK(run(h, "unavailable") == "reject unknown_word");
  CHECK(run(h, "unknown") == "reject unknown_word");
  CHECK(run(h, fixture("homeassistant_state.json")) == "occupied");
  CHECK(run(h, R"({"state":"not_home","attributes":{"source_type":"router"}})") == "free");
  CHECK(run(h, R"({"state":"off"})") == "free");
  CHECK(run(h, R"("on")") == "occupied");  // a JSON-encoded string
  CHECK(run(h, R"({"attributes":{}})") == "reject missing_field");
  CHECK(run(h, R"({"state":null})") == "reject wrong_type");
  CHECK(run(spec(Format::HomeAssistant, {"occupied"}), R"({"occupied":"home"})") == "occupied");
  CHECK(run(counting(Format::HomeAssistant, {}), "4") == "count 4");  // a numeric sensor's state
  CHECK(run(counting(Format::HomeAssistant, {}), R"({"state":"4"})") == "count 4");
  CHECK(run(spec(Format::Words), "home") == "reject unknown_word");  // only Home Assistant says "home"
}

TEST_CASE("ttn: decoded_payload fields and received_at") {
  const auto t = spec(Format::Ttn);
  const std::string v3 = fixture("ttn_uplink.json");
  DecodeResult r = decode(t, v3, kMax);
  REQUIRE(r.value);
  CHECK(r.value->occupied);
  CHECK(r.value->observed_unix_ms == 1710421331123);  // top-level received_at, nanoseconds cut to ms

  const std::string words = fixture("ttn_uplink_words.json");
  r = decode(t, words, kMax);
  REQUIRE(r.value);
  CHECK(r.value->occupied);  // "occupied"
  CHECK(r.value->observed_unix_ms == 1795615323123);
  CHECK(run(counting(Format::Ttn, {"people_count"}), words) == "count 4");  // a number as a string
  CHECK(run(counting(Format::Ttn, {"people_count"}), v3) == "count 3");
  CHECK(run(spec(Format::Ttn, {"desk_status", "seat_1"}), words) == "free");
  CHECK(run(spec(Format::Ttn, {"uplink_message", "decoded_payload", "occupancy"}), v3) == "occupied");  // full path
  CHECK(run(spec(Format::Ttn, {"battery"}), words) == "occupied");  // any positive number
  CHECK(run(spec(Format::Ttn, {"absent"}), words) == "reject missing_field");

  // No payload formatter on the application: no decoded_payload.
  CHECK(run(t, R"({"received_at":"2026-11-25T14:02:03Z","uplink_message":{"f_port":2,"frm_payload":"AQ=="}})") ==
        "reject missing_field");
  CHECK(run(t, R"({"uplink_message":{"decoded_payload":{"occupancy":"vacant"}}})") == "free");
  CHECK(run(t, R"({"uplink_message":{"decoded_payload":{"occupancy":"maybe"}}})") == "reject unknown_word");
  CHECK(run(t, R"({"uplink_message":{"decoded_payload":{"occupancy":[1]}}})") == "reject wrong_type");
  CHECK(run(t, "occupied") == "reject not_json");

  // The time: the top-level received_at, else uplink_message.received_at; a bad one is dropped.
  r = decode(t, R"({"uplink_message":{"received_at":"2026-11-25T13:02:03Z","decoded_payload":{"occupancy":0}}})",
             kMax);
  REQUIRE(r.value);
  CHECK_FALSE(r.value->occupied);
  CHECK(r.value->observed_unix_ms == 1795611723000);
  for (const char* bad : {R"("yesterday")", R"("2026-13-25T14:02:03Z")", R"("2026-11-25T14:02:03")", "1795615323",
                          R"("2026-02-29T00:00:00Z")", "null"}) {
    CAPTURE(bad);
    r = decode(t, std::string(R"({"received_at":)") + bad + R"(,"uplink_message":{"decoded_payload":{"occupancy":true}}})",
               kMax);
    REQUIRE(r.value);
    CHECK(r.value->occupied);
    CHECK_FALSE(r.value->observed_unix_ms);
  }
  CHECK_FALSE(decode(spec(Format::Json, {"occupancy"}), R"({"occupancy":true,"received_at":"2026-11-25T14:02:03Z"})",
                     kMax).value->observed_unix_ms);  // only ttn reads a time
}

TEST_CASE("rfc 3339 timestamps") {
  CHECK(parse_rfc3339_ms("2026-11-25T14:02:03.123456789Z") == 1795615323123);
  CHECK(parse_rfc3339_ms("2026-11-25t14:02:03.123z") == 1795615323123);
  CHECK(parse_rfc3339_ms("2026-11-25T15:02:03.123+01:00") == 1795615323123);
  CHECK(parse_rfc3339_ms("2026-11-25T13:32:03.1-00:30") == 1795615323100);
  CHECK(parse_rfc3339_ms("2024-02-29T23:59:59.999Z") == 1709251199999);
  CHECK(parse_rfc3339_ms("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_rfc3339_ms("1969-12-31T23:59:59Z") == -1000);
  for (const char* bad : {"", "2026-11-25", "2026-11-25T14:02:03", "2026-11-25T14:02:03.Z", "2026-11-25T24:00:00Z",
                          "2026-11-31T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-25T14:02:03+0100",
                          "2026-11-25T14:02:03Zjunk", "2026-1-25T14:02:03Z", "+026-11-25T14:02:03Z",
                          "2026-11-25T14:61:03Z", "2026-11-25T14:02:03+24:00"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_rfc3339_ms(bad));
  }
}

TEST_CASE("router: a payload's own time is used within the hour before arrival") {
  const core::TimePoint arrived = core::from_unix_ms(1795615323500);  // 377 ms after received_at
  std::string error;
  auto pattern = TopicPattern::parse("v3/{app}/devices/{space}/up", &error);
  REQUIRE(pattern);
  Route route;
  route.pattern = std::move(*pattern);
  route.space_template = "{space}";
  route.decoder = spec(Format::Ttn);
  Router router({route}, [](std::string_view) -> std::optional<std::uint32_t> { return 0u; }, kMax);
  core::Inbox inbox(1);
  const auto observed_for = [&](const std::string& received_at) {
    const std::string payload = R"({"received_at":")" + received_at +
                                R"(","uplink_message":{"decoded_payload":{"occupancy":true}}})";
    REQUIRE(router.handle("v3/campus@ttn/devices/loire/up", payload, arrived, inbox) == Router::Outcome::Delivered);
    core::Inbox::Batch batch;
    inbox.drain(batch);
    REQUIRE(batch.readings.size() == 1);
    return core::to_unix_ms(batch.readings[0].second.observed);
  };
  CHECK(observed_for("2026-11-25T14:02:03.123456789Z") == 1795615323123);
  CHECK(observed_for("2026-11-25T14:02:03.500Z") == 1795615323500);   // the same instant
  CHECK(observed_for("2026-11-25T14:02:04Z") == 1795615323500);       // in the future: arrival time
  CHECK(observed_for("2026-11-25T13:02:03.500Z") == 1795611723500);   // exactly one hour before
  CHECK(observed_for("2026-11-25T13:02:03.499Z") == 1795615323500);   // older: arrival time
  CHECK(observed_for("not a time") == 1795615323500);
}

TEST_CASE("homie: raw property values") {
  const auto h = spec(Format::Homie);
  CHECK(run(h, "true") == "occupied");
  CHECK(run(h, "false") == "free");
  CHECK(run(h, "1") == "occupied");
  CHECK(run(h, "0.0") == "free");
  CHECK(run(h, "ready") == "reject unknown_word");  // a $state value, if a binding matches $state topics
  CHECK(run(h, "lost") == "reject unknown_word");
  CHECK(run(counting(Format::Homie, {}), "7") == "count 7");
  CHECK(run(counting(Format::Homie, {}), "7.5") == "reject wrong_type");
  CHECK(run(h, R"({"occupancy":true})") == "reject unknown_word");  // not JSON-aware
}

TEST_CASE("tasmota: SENSOR JSON, STATUS10, POWER") {
  const std::string sensor = fixture("tasmota_sensor.json");
  CHECK(run(spec(Format::Tasmota, {"Switch1"}), sensor) == "occupied");
  CHECK(run(spec(Format::Tasmota, {"Switch2"}), sensor) == "free");
  CHECK(run(spec(Format::Tasmota, {"Switch3"}), sensor) == "reject missing_field");
  CHECK(run(spec(Format::Tasmota, {"switch1"}), sensor) == "reject missing_field");  // keys are exact
  CHECK(run(spec(Format::Tasmota, {"AM2301"}), sensor) == "reject wrong_type");
  CHECK(run(spec(Format::Tasmota, {"Switch1"}), fixture("tasmota_status10.json")) == "free");
  CHECK(run(spec(Format::Tasmota, {"PIR1", "Motion"}), R"({"Time":"2026-11-25T14:02:03","PIR1":{"Motion":1}})") ==
        "occupied");
  CHECK(run(spec(Format::Tasmota, {"PIR1", "Motion"}), R"({"PIR1":{"Motion":0}})") == "free");
  CHECK(run(spec(Format::Tasmota, {"PIR1", "Motion"}), R"({"PIR1":{"Motion":"OFF"}})") == "free");
  CHECK(run(spec(Format::Tasmota, {"Switch1"}), "ON") == "occupied");  // stat/<name>/POWER
  CHECK(run(spec(Format::Tasmota, {}), sensor) == "reject missing_field");
  CHECK(run(counting(Format::Tasmota, {"Counter", "C1"}), R"({"Counter":{"C1":12}})") == "count 12");
}

TEST_CASE("shelly: motion status JSON and plain sensor payloads") {
  const auto s = spec(Format::Shelly);
  CHECK(run(s, fixture("shelly_motion.json")) == "free");
  CHECK(run(s, R"({"motion":true,"timestamp":1710421400,"active":true,"vibration":false,"lux":80,"bat":87})") ==
        "occupied");
  CHECK(run(s, R"({"active":false,"bat":12})") == "reject missing_field");
  CHECK(run(s, R"({"motion":"yes"})") == "occupied");
  CHECK(run(s, "1") == "occupied");  // shellies/<id>/sensor/motion
  CHECK(run(spec(Format::Shelly, {"params", "motion:0", "motion"}),
            R"({"src":"shellyblu-1","method":"NotifyStatus","params":{"ts":1710421400.5,"motion:0":{"motion":true}}})") ==
        "occupied");
}

TEST_CASE("gateway formats share the payload checks") {
  for (Format f : {Format::Zigbee2mqtt, Format::HomeAssistant, Format::Ttn, Format::Homie, Format::Tasmota,
                   Format::Shelly}) {
    CAPTURE(static_cast<int>(f));
    const auto s = spec(f, {"x"});
    CHECK(run(s, "") == "reject empty");
    CHECK(run(s, "{\"x\":\"\xff\"}") == "reject invalid_utf8");
    CHECK(decode(s, std::string(kMax + 1, ' '), kMax).reason == Reject::TooLarge);
    std::string deep(10'000, '[');
    deep = "{\"x\":" + deep + std::string(10'000, ']') + "}";
    const std::string got = run(s, deep);
    if (f == Format::Homie) CHECK(got == "reject unknown_word");
    else CHECK(got == "reject too_deep");
    if (f != Format::Homie) CHECK(run(s, R"({"x":1e999})") == "reject out_of_range");
  }
}
