#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "ingest/decoder.hpp"
#include "ingest_decoder_helpers.hpp"

using namespace kiosk::ingest;
using namespace kiosk::ingest::test;

namespace {

DecoderSpec words(ValueKind kind = ValueKind::Presence) { return DecoderSpec{Format::Words, {}, kind}; }
DecoderSpec json(std::vector<std::string> path, ValueKind kind = ValueKind::Presence) {
  return DecoderSpec{Format::Json, std::move(path), kind};
}


}  // namespace

TEST_CASE("decoder: every presence word, any case, trimmed") {
  for (const char* w : {"true", "1", "on", "occupied", "busy", "yes", "detected", "motion"}) {
    CAPTURE(w);
    CHECK(run(words(), w) == "occupied");
    std::string upper = w;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(run(words(), upper) == "occupied");
    CHECK(run(words(), " \t" + std::string(w) + "\r\n") == "occupied");
  }
  for (const char* w : {"false", "0", "off", "vacant", "free", "no", "clear", "unoccupied", "empty"}) {
    CAPTURE(w);
    CHECK(run(words(), w) == "free");
    CHECK(run(words(), "  " + std::string(w) + "\n") == "free");
  }
  CHECK(run(words(), "On") == "occupied");
  CHECK(run(words(), "VaCaNt") == "free");
  CHECK(run(words(), "maybe") == "reject unknown_word");
  CHECK(run(words(), "occupied!") == "reject unknown_word");
  CHECK(run(words(), "true false") == "reject unknown_word");
  CHECK(run(words(), "unoccupiedx") == "reject unknown_word");
  CHECK(run(words(), "\"true\"") == "reject unknown_word");
}

TEST_CASE("decoder: numbers for presence and counts") {
  CHECK(run(words(), "2") == "occupied");
  CHECK(run(words(), "0.0") == "free");
  CHECK(run(words(), "-1") == "reject out_of_range");
  CHECK(run(words(), "nan") == "reject out_of_range");

  const auto c = words(ValueKind::Count);
  CHECK(run(c, "3") == "count 3");
  CHECK(run(c, " 3 ") == "count 3");
  CHECK(run(c, "3.0") == "count 3");
  CHECK(run(c, "+4") == "count 4");
  CHECK(run(c, "1e3") == "count 1000");
  CHECK(run(c, "0") == "count 0");
  CHECK(run(c, "-0") == "count 0");
  CHECK(run(c, "1000000") == "count 1000000");
  CHECK(run(c, "1000001") == "reject out_of_range");
  CHECK(run(c, "99999999999999999999999") == "reject out_of_range");
  CHECK(run(c, "1e400") == "reject out_of_range");
  CHECK(run(c, "-3") == "reject out_of_range");
  CHECK(run(c, "NaN") == "reject out_of_range");
  CHECK(run(c, "inf") == "reject out_of_range");
  CHECK(run(c, "-Infinity") == "reject out_of_range");
  CHECK(run(c, "3.5") == "reject wrong_type");
  CHECK(run(c, "true") == "reject wrong_type");  // a presence word sent to a count binding
  CHECK(run(c, "three") == "reject unknown_word");
  CHECK(run(c, "0x10") == "reject unknown_word");
  CHECK(run(c, "3 people") == "reject unknown_word");
}

TEST_CASE("decoder: empty, too large, invalid UTF-8") {
  CHECK(run(words(), "") == "reject empty");
  CHECK(run(words(), " \r\n\t") == "reject empty");
  CHECK(run(json({"occupancy"}), "") == "reject empty");
  CHECK(run(json({"occupancy"}), "   ") == "reject empty");

  const std::string mega(1 << 20, ' ');
  CHECK(run(words(), mega) == "reject too_large");
  CHECK(run(json({"a"}), mega) == "reject too_large");
  CHECK(run(words(), "true", 3) == "reject too_large");  // size is checked first
  CHECK(run(words(), "true", 4) == "occupied");
  CHECK(run(words(), "", 0) == "reject empty");

  CHECK(run(words(), "tr\xffue") == "reject invalid_utf8");
  CHECK(run(words(), "\xc3") == "reject invalid_utf8");                 // truncated sequence
  CHECK(run(words(), "\xc0\xaf") == "reject invalid_utf8");             // overlong '/'
  CHECK(run(words(), "\xed\xa0\x80") == "reject invalid_utf8");         // UTF-16 surrogate
  CHECK(run(words(), "\xf4\x90\x80\x80") == "reject invalid_utf8");     // above U+10FFFF
  CHECK(run(json({"s"}), "{\"s\":\"\xff\"}") == "reject invalid_utf8");
  CHECK(run(words(), "occupé") == "reject unknown_word");               // valid UTF-8, unknown
  CHECK(is_valid_utf8("salle Œuvre € 😀"));
  CHECK_FALSE(is_valid_utf8(std::string_view("a\xe2\x82", 3)));
}

TEST_CASE("decoder: JSON bool, number and string fields") {
  CHECK(run(json({"occupancy"}), R"({"occupancy":true})") == "occupied");
  CHECK(run(json({"occupancy"}), R"({"occupancy":false,"battery":97})") == "free");
  CHECK(run(json({"occupancy"}), R"({"occupancy":1})") == "occupied");
  CHECK(run(json({"occupancy"}), R"({"occupancy":0})") == "free");
  CHECK(run(json({"occupancy"}), R"({"occupancy":0.5})") == "occupied");
  CHECK(run(json({"occupancy"}), R"({"occupancy":-1})") == "reject out_of_range");
  CHECK(run(json({"state"}), R"({"state":"ON"})") == "occupied");
  CHECK(run(json({"state"}), R"({"state":" vacant "})") == "free");
  CHECK(run(json({"state"}), R"({"state":"2"})") == "occupied");
  CHECK(run(json({"state"}), R"({"state":"maybe"})") == "reject unknown_word");
  CHECK(run(json({"state"}), R"({"state":""})") == "reject unknown_word");
  CHECK(run(json({"state"}), R"({"state":"caf\u00e9"})") == "reject unknown_word");
  CHECK(run(json({}), "true") == "occupied");  // empty path: the document itself
  CHECK(run(json({}), R"("occupied")") == "occupied");
  CHECK(run(json({}), " 0 ") == "free");

  const auto count = [](std::vector<std::string> p) { return json(std::move(p), ValueKind::Count); };
  CHECK(run(count({"people"}), R"({"people":3})") == "count 3");
  CHECK(run(count({"people"}), R"({"people":3.0})") == "count 3");
  CHECK(run(count({"people"}), R"({"people":"4"})") == "count 4");
  CHECK(run(count({"people"}), R"({"people":3.5})") == "reject wrong_type");
  CHECK(run(count({"people"}), R"({"people":true})") == "reject wrong_type");
  CHECK(run(count({"people"}), R"({"people":-2})") == "reject out_of_range");
  CHECK(run(count({"people"}), R"({"people":1000001})") == "reject out_of_range");
  CHECK(run(count({"people"}), R"({"people":18446744073709551615})") == "reject out_of_range");
  CHECK(run(count({"people"}), R"({"people":99999999999999999999999})") == "reject out_of_range");
  CHECK(run(count({"people"}), R"({"people":1e999})") == "reject out_of_range");  // overflow
  CHECK(run(count({"people"}), R"({"people":NaN})") == "reject not_json");
  CHECK(run(count({"people"}), R"({"people":"NaN"})") == "reject out_of_range");
}

TEST_CASE("decoder: JSON paths, nested and through arrays") {
  const std::string ttn = fixture("ttn_uplink.json");
  CHECK(run(json({"uplink_message", "decoded_payload", "occupancy"}), ttn) == "occupied");
  CHECK(run(json({"uplink_message", "decoded_payload", "people_count"}, ValueKind::Count), ttn) == "count 3");
  CHECK(run(json({"uplink_message", "rx_metadata", "0", "rssi"}), ttn) == "reject out_of_range");
  CHECK(run(json({"uplink_message", "rx_metadata", "0", "channel_rssi"}, ValueKind::Count), ttn) ==
        "reject out_of_range");
  CHECK(run(json({"uplink_message", "f_port"}, ValueKind::Count), ttn) == "count 2");
  CHECK(run(json({"uplink_message", "decoded_payload", "absent"}), ttn) == "reject missing_field");
  CHECK(run(json({"occupancy"}), ttn) == "reject missing_field");  // only the named depth counts
  CHECK(run(json({"occupancy"}), fixture("zigbee2mqtt_occupancy.json")) == "occupied");
  CHECK(run(json({"state"}), fixture("homeassistant_state.json")) == "occupied");
  CHECK(run(json({"motion"}), fixture("shelly_motion.json")) == "free");

  CHECK(run(json({"seats", "2"}, ValueKind::Count), R"({"seats":[0,1,5,1]})") == "count 5");
  CHECK(run(json({"seats", "4"}, ValueKind::Count), R"({"seats":[0,1,5,1]})") == "reject missing_field");
  CHECK(run(json({"1", "on"}), R"([{"on":false},{"on":true}])") == "occupied");
  CHECK(run(json({"1", "on"}), R"([[{"on":false}],{"on":true}])") == "occupied");  // nested siblings
  CHECK(run(json({"1"}), R"({"1":"busy"})") == "occupied");  // numeric segments are keys too
  CHECK(run(json({"a", "b"}), R"({"x":{"b":true},"a":{"y":{"b":false},"b":true}})") == "occupied");
  CHECK(run(json({"a"}), R"({"a":false,"a":true})") == "occupied");  // duplicate keys: last wins
}

TEST_CASE("decoder: bad JSON") {
  CHECK(run(json({"occupancy"}), "true") == "reject missing_field");
  CHECK(run(json({"occupancy"}), "occupied") == "reject not_json");
  CHECK(run(json({"occupancy"}), R"({"occupancy":true)") == "reject not_json");
  CHECK(run(json({"occupancy"}), R"({"occupancy":true}})") == "reject not_json");
  CHECK(run(json({"occupancy"}), R"({"occupancy":true} x)") == "reject not_json");
  CHECK(run(json({"occupancy"}), R"({'occupancy':true})") == "reject not_json");
  CHECK(run(json({"occupancy"}), R"({"occupancy":null})") == "reject wrong_type");
  CHECK(run(json({"occupancy"}), R"({"occupancy":{"v":true}})") == "reject wrong_type");
  CHECK(run(json({"occupancy"}), R"({"occupancy":[true]})") == "reject wrong_type");
  CHECK(run(json({"a", "b"}), R"({"a":true})") == "reject missing_field");
  CHECK(run(json({"a", "b"}), R"({"a":"x"})") == "reject missing_field");
  CHECK(run(json({"a"}), R"([true])") == "reject missing_field");
  CHECK(run(json({"a"}), "\x01") == "reject not_json");
}

TEST_CASE("decoder: deep JSON is refused before parsing") {
  std::string deep(10'000, '[');
  deep += std::string(10'000, ']');
  CHECK(run(json({"a"}), deep) == "reject too_deep");
  std::string deep_objects;
  for (int i = 0; i < 10'000; ++i) deep_objects += "{\"a\":";
  deep_objects += "true" + std::string(10'000, '}');
  CHECK(run(json({"a"}), deep_objects) == "reject too_deep");
  CHECK(run(json({"a"}), std::string(100'000, '{'), 1 << 20) == "reject too_deep");  // unbalanced

  // 64 levels are fine, 65 are not.
  std::string ok;
  std::vector<std::string> path;
  for (int i = 0; i < 63; ++i) {
    ok += "{\"k\":";
    path.push_back("k");
  }
  path.push_back("v");
  ok += "{\"v\":true}" + std::string(63, '}');
  CHECK(run(json(path), ok) == "occupied");
  CHECK(run(json(path), "[" + ok + "]") == "reject too_deep");
  // Brackets inside strings (escaped quotes too) do not count.
  std::string quoted = R"({"s":"\")" + std::string(1000, '[') + R"(","v":true})";
  CHECK(run(json({"v"}), quoted) == "occupied");
  CHECK_FALSE(json_deeper_than(R"(["[[[["])", 1));
  CHECK(json_deeper_than("[[", 1));
}

TEST_CASE("decoder: reasons have names") {
  CHECK(to_string(Reject::TooLarge) == "too_large");
  CHECK(to_string(Reject::OutOfRange) == "out_of_range");
  CHECK(describe(Reject::NotJson) == "not JSON");
  for (std::size_t i = 0; i < kRejectCount; ++i) {
    CHECK(to_string(static_cast<Reject>(i)) != "unknown");
    CHECK(describe(static_cast<Reject>(i)) != "unknown problem");
  }
}
