// Shared by the decoder tests: a decode result in one comparable word, and the payload fixtures.
#pragma once
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "ingest/decoder.hpp"

namespace kiosk::ingest::test {

inline constexpr std::size_t kMax = 65536;

// "occupied", "free", "count 3" or "reject <reason>".
inline std::string run(const DecoderSpec& spec, std::string_view payload, std::size_t max = kMax) {
  const DecodeResult r = decode(spec, payload, max);
  if (!r.value) return "reject " + std::string(to_string(r.reason));
  if (r.value->kind == ValueKind::Count) return "count " + std::to_string(r.value->count);
  return r.value->occupied ? "occupied" : "free";
}

// A payload sample from tests/fixtures/ingest/.
inline std::string fixture(const std::string& name) {
  std::ifstream in(std::string(KIOSK_SOURCE_DIR) + "/tests/fixtures/ingest/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace kiosk::ingest::test
