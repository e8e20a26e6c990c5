// The JSON decoders parse with simdjson and hand whatever it refuses to nlohmann (decoders/json_paths.cpp).
// These are the cases where the two parsers could disagree or the fast path could cut a corner: the
// answers must be those of one strict parser that reads the whole document.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "ingest/decoder.hpp"
#include "ingest_decoder_helpers.hpp"

using namespace kiosk::ingest;
using namespace kiosk::ingest::test;

namespace {

DecoderSpec json(std::vector<std::string> path, ValueKind kind = ValueKind::Presence) {
  return DecoderSpec{Format::Json, std::move(path), kind};
}
DecoderSpec counting(std::vector<std::string> path) { return json(std::move(path), ValueKind::Count); }

std::string nested(const char* open, const char* close, int levels, const std::string& inner) {
  std::string s;
  for (int i = 0; i < levels; ++i) s += open;
  s += inner;
  for (int i = 0; i < levels; ++i) s += close;
  return s;
}

}  // namespace

TEST_CASE("json decoders: escapes in keys and values are compared unescaped") {
  CHECK(run(json({"occupancy"}), R"({"occu\u0070ancy":"\u004fN"})") == "occupied");
  CHECK(run(json({"a\"b"}), R"({"a\"b":true})") == "occupied");
  CHECK(run(json({"a/b"}), R"({"a\/b":true})") == "occupied");
  CHECK(run(json({std::string("a\0b", 3)}), R"({"a\u0000b":true,"a":false})") == "occupied");
  CHECK(run(json({"a"}), R"({"a\u0000b":true})") == "reject missing_field");  // no cut at the NUL
  CHECK(run(json({"state"}), R"({"state":"\u0020vacant\t"})") == "free");    // trimmed after unescaping
  CHECK(run(DecoderSpec{Format::HomeAssistant, {}, ValueKind::Presence}, R"("\u006fn")") == "occupied");
  CHECK(run(DecoderSpec{Format::HomeAssistant, {}, ValueKind::Presence}, R"({"state":"not\u005fhome"})") == "free");
}

TEST_CASE("json decoders: duplicate keys, the last value met on the path wins") {
  CHECK(run(json({"a"}), R"({"a":true,"a":false})") == "free");
  CHECK(run(json({"a"}), R"({"a":false,"b":1,"a":true})") == "occupied");
  CHECK(run(json({"a"}), R"({"a":true,"a":null})") == "reject wrong_type");
  CHECK(run(json({"a"}), R"({"a":true,"a":{"x":1}})") == "reject wrong_type");
  CHECK(run(json({"a", "b"}), R"({"a":{"b":true},"a":{"b":false}})") == "free");
  CHECK(run(json({"a", "b"}), R"({"a":{"b":false,"b":true},"a":{"c":1}})") == "occupied");  // no b there
  CHECK(run(json({"a", "b"}), R"({"a":{"b":true},"a":5})") == "occupied");
  // Zigbee2MQTT: occupancy first, whichever duplicate of presence comes last.
  const DecoderSpec z{Format::Zigbee2mqtt, {}, ValueKind::Presence};
  CHECK(run(z, R"({"presence":true,"occupancy":null,"presence":false})") == "free");
  // Ttn: the last top-level received_at decides the time.
  const DecodeResult r = decode(DecoderSpec{Format::Ttn, {}, ValueKind::Presence},
                                R"({"received_at":"2026-11-25T14:02:03Z","uplink_message":{"decoded_payload":)"
                                R"({"occupancy":1}},"received_at":"2026-11-25T14:02:04Z"})",
                                kMax);
  REQUIRE(r.value);
  CHECK(r.value->observed_unix_ms == 1795615324000);
}

TEST_CASE("json decoders: big and small numbers") {
  CHECK(run(json({"a"}), R"({"a":99999999999999999999})") == "occupied");  // past 64 bits: a double
  CHECK(run(counting({"a"}), R"({"a":99999999999999999999})") == "reject out_of_range");
  CHECK(run(json({"a"}), R"({"a":-99999999999999999999})") == "reject out_of_range");
  CHECK(run(json({"a"}), R"({"a":18446744073709551615})") == "occupied");
  CHECK(run(json({"a"}), R"({"a":-9223372036854775808})") == "reject out_of_range");
  CHECK(run(json({"a"}), R"({"a":-0})") == "free");
  CHECK(run(json({"a"}), R"({"a":-0.0})") == "free");
  CHECK(run(json({"a"}), R"({"a":1e-400})") == "free");  // underflows to zero
  CHECK(run(json({"a"}), R"({"a":4.9e-324})") == "occupied");
  CHECK(run(json({"a"}), R"({"a":-1e999})") == "reject out_of_range");
  CHECK(run(json({"a"}), R"({"a":1.7976931348623157e308})") == "occupied");
  CHECK(run(json({"a"}), R"({"a":1.8e308})") == "reject out_of_range");
  CHECK(run(json({"a"}), R"({"a":true,"b":1e999})") == "reject out_of_range");  // off the path too
  CHECK(run(json({"a"}), R"({"a":true,"b":1e999,"c":})") == "reject out_of_range");  // the first error
  CHECK(run(json({"a"}), R"({"a":true,"c":,"b":1e999})") == "reject not_json");
  CHECK(run(counting({"a"}), R"({"a":1e6})") == "count 1000000");
  CHECK(run(counting({"a"}), R"({"a":12345678901234567890e-19})") == "reject wrong_type");  // 1.23...
  CHECK(run(counting({"a"}), R"({"a":3.0000000000000001})") == "count 3");  // rounds to 3.0
  for (const char* bad : {"01", "1.", ".5", "+1", "1e", "-", "0x10", "1_000"}) {
    CAPTURE(bad);
    CHECK(run(json({"a"}), std::string(R"({"a":)") + bad + "}") == "reject not_json");
  }
}

TEST_CASE("json decoders: nesting at exactly 64 and 65 levels") {
  // Arrays and objects, each way round; the path reaches the innermost value.
  std::vector<std::string> zeros(63, "0");
  CHECK(run(counting(zeros), nested("[", "]", 63, "[7]")) == "reject wrong_type");  // stops at the array
  zeros.push_back("0");
  CHECK(run(counting(zeros), nested("[", "]", 63, "[7]")) == "count 7");
  CHECK(run(counting(zeros), nested("[", "]", 64, "[7]")) == "reject too_deep");
  std::vector<std::string> keys(64, "k");
  CHECK(run(counting(keys), nested("{\"k\":", "}", 64, "7")) == "count 7");
  CHECK(run(counting(keys), nested("{\"k\":", "}", 65, "7")) == "reject too_deep");
  CHECK(run(json({"a"}), nested("[{\"k\":", "}]", 32, "1")) == "reject missing_field");  // 64
  CHECK(run(json({"a"}), "[" + nested("[{\"k\":", "}]", 32, "1") + "]") == "reject too_deep");
  // Too deep wins over a syntax error anywhere (depth is checked first).
  CHECK(run(json({"a"}), nested("[", "]", 65, "") + "x") == "reject too_deep");
  CHECK(run(json({"a"}), "x" + nested("[", "]", 65, "")) == "reject too_deep");
  CHECK(run(json({"a"}), "{\"a\":true,\"b\":" + nested("[", "]", 64, "") + "}") == "reject too_deep");
  CHECK(run(json({"a"}), "{\"a\":true,\"b\":" + nested("[", "]", 63, "") + "}") == "occupied");
}

TEST_CASE("json decoders: UTF-8 in strings and keys, BOM") {
  CHECK(run(json({"état"}), R"({"état":true})") == "occupied");
  CHECK(run(json({"état"}), R"({"\u00e9tat":true})") == "occupied");
  CHECK(run(json({"state"}), R"({"state":"occupé","x":"😀 \ud83d\ude00"})") == "reject unknown_word");
  CHECK(run(json({"state"}), R"({"state":"on","x":"\ud800"})") == "reject not_json");  // lone surrogate
  CHECK(run(json({"state"}), R"({"state":"on","x":"\udc00\ud800"})") == "reject not_json");
  CHECK(run(json({"state"}), "{\"state\":\"on\",\"x\":\"\xed\xa0\x80\"}") == "reject invalid_utf8");
  // A UTF-8 byte order mark before the document is skipped (as nlohmann always did); anywhere else it
  // is not JSON. Gateways that look at the first character read such a payload as words.
  CHECK(run(json({"a"}), "\xef\xbb\xbf{\"a\":true}") == "occupied");
  CHECK(run(json({"a"}), "{\"a\":true}\xef\xbb\xbf") == "reject not_json");
  CHECK(run(json({"a"}), "{\"a\":\xef\xbb\xbftrue}") == "reject not_json");
  CHECK(run(DecoderSpec{Format::Zigbee2mqtt, {}, ValueKind::Presence}, "\xef\xbb\xbf{\"occupancy\":true}") ==
        "reject unknown_word");
}

TEST_CASE("json decoders: the whole document must be JSON") {
  for (const char* bad : {R"({"a":true} x)", R"({"a":true}{"a":false})", R"({"a":true}])",
                          R"({"a":true,})", R"({"a":true,"b":[1,2,]})", R"({"a":true,"b":tru})",
                          R"({"a":true,"b":truex})", R"({"a":true,"b":"\x"})", "{\"a\":true,\"b\":\"\x01\"}",
                          R"({"a":true,"b":NaN})", R"({"a":true,"b":Infinity})", R"({"a":true,"b":-Infinity})",
                          R"({"a":true,"b":nan})", R"({"a":true "b":1})", R"({"a":true,"b"})", R"({"a" true})",
                          "{\"a\":true}\f", "\v{\"a\":true}"}) {
    CAPTURE(bad);
    CHECK(run(json({"a"}), bad) == "reject not_json");
  }
  // A NUL byte ends the document, as it always did with nlohmann (publishers written in C may send
  // the string's terminator); inside one it is not JSON.
  CHECK(run(json({"a"}), std::string("{\"a\":true}\0", 11)) == "occupied");
  CHECK(run(json({"a"}), std::string("{\"a\":true,\0\"b\":1}", 17)) == "reject not_json");
  CHECK(run(json({"a"}), " {\"a\":true}\r\n\t ") == "occupied");
  CHECK(run(json({"a"}), R"({"a":true,"b":"\u007f\/\b\f\n\r\t"})") == "occupied");
}

TEST_CASE("json decoders: megabyte payloads, then small ones again") {
  std::string big = R"({"pad":[)";
  while (big.size() < (1u << 20)) big += R"({"rssi":-87,"snr":9.25,"id":"campus-gw-01"},)";
  big += R"(0],"occupancy":true})";
  const std::size_t limit = 2u << 20;
  CHECK(run(json({"occupancy"}), big, limit) == "occupied");
  std::string broken = big;
  broken.back() = ']';
  CHECK(run(json({"occupancy"}), broken, limit) == "reject not_json");
  CHECK(run(json({"occupancy"}), R"({"occupancy":false})") == "free");  // the parser shrank back
  CHECK(run(json({"occupancy"}), big, limit) == "occupied");
  CHECK(run(json({"pad", "3", "snr"}), big, limit) == "occupied");
}

TEST_CASE("json decoders: one parser per thread") {
  const DecoderSpec z{Format::Zigbee2mqtt, {}, ValueKind::Presence};
  const std::string payloads[] = {R"({"occupancy":true,"battery":97})", R"({"occupancy":false,"battery":97})"};
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20'000; ++i) {
        const DecodeResult r = decode(z, payloads[(i + t) % 2], kMax);
        if (!r.value || r.value->occupied != ((i + t) % 2 == 0)) ++wrong[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 4; ++t) CHECK(wrong[t] == 0);
}
