// Payload decoders: what real gateways publish -> one presence or count value. Pure functions, no
// allocation on the words path, nothing thrown.
//   Words: "true"/"ON"/"occupied"/"0"/" 3 " ...      Json: a field reached by a path of keys/indexes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::ingest {

// More formats (zigbee2mqtt, ttn, homie...) come later: keep this an enum + switch.
enum class Format : std::uint8_t { Words, Json };
enum class ValueKind : std::uint8_t { Presence, Count };

struct DecoderSpec {
  Format format = Format::Words;
  std::vector<std::string> path;  // Json: object keys; a numeric segment also indexes arrays
  ValueKind value = ValueKind::Presence;
};

enum class Reject : std::uint8_t {
  TooLarge, Empty, InvalidUtf8, NotJson, TooDeep, MissingField, WrongType, UnknownWord, OutOfRange, Count_
};
inline constexpr std::size_t kRejectCount = static_cast<std::size_t>(Reject::Count_);
std::string_view to_string(Reject r);  // "too_large", "empty", ... (stable: counters, JSON, logs)
std::string_view describe(Reject r);   // "payload too large", "not JSON", ... (for people)

struct Decoded {
  ValueKind kind = ValueKind::Presence;
  bool occupied = false;   // Presence
  std::int32_t count = 0;  // Count
};
struct DecodeResult {
  std::optional<Decoded> value;
  Reject reason{};  // meaningful when !value
};

inline constexpr std::int32_t kMaxCount = 1'000'000;
inline constexpr int kMaxJsonDepth = 64;

// Checks in order: size (TooLarge), blank (Empty), UTF-8 (InvalidUtf8), then the format's own rules.
// Presence: occupied <- true 1 on occupied busy yes detected motion (or any positive number);
//           free     <- false 0 off vacant free no clear unoccupied empty (or zero).
// Count: an integer-valued number in [0, 1'000'000] ("3", " 3 ", "3.0").
DecodeResult decode(const DecoderSpec& spec, std::string_view payload, std::size_t max_payload);

// Helpers, exposed for tests and for other decoders.
bool is_valid_utf8(std::string_view text);
// Deepest nesting of [ and { outside strings exceeds `limit` (no recursion, stops early).
bool json_deeper_than(std::string_view text, int limit);

}  // namespace kiosk::ingest
