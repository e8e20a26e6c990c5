// Payload decoders: what real gateways publish -> one presence or count value. Pure functions, no
// allocation on the words path, nothing thrown.
//   Words: "true"/"ON"/"occupied"/"0"/" 3 " ...      Json: a field reached by a path of keys/indexes.
//   Gateways (path = the binding's dotted `field`, split; empty = the format's default):
//   Zigbee2mqtt   {"occupancy":true,...}, else {"presence":true}; a plain payload ("true", legacy
//                 attribute topics) is read as words. Path: from the root.
//   HomeAssistant ON/OFF, on/off, home/not_home, detected/clear; or {"state":"ON"} (path default "state").
//   Ttn           The Things Stack v3 uplink: uplink_message.decoded_payload.<path> (default "occupancy";
//                 a path starting with "uplink_message" is taken from the root); observed_unix_ms from
//                 received_at (top level, else uplink_message.received_at).
//   Homie         raw property values ("true", "false", "3", "ON"): same as Words.
//   Tasmota       tele/<name>/SENSOR JSON; path required ("Switch1", "PIR1.Motion"), also looked up
//                 under "StatusSNS" (STATUS10 replies); a plain payload (stat/<name>/POWER "ON") as words.
//   Shelly        {"motion":true,...} (Shelly Motion; path default "motion"); a plain payload as words.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::ingest {

// Keep this an enum + switch: one decoder per gateway family.
enum class Format : std::uint8_t { Words, Json, Zigbee2mqtt, HomeAssistant, Ttn, Homie, Tasmota, Shelly };
enum class ValueKind : std::uint8_t { Presence, Count };

struct DecoderSpec {
  Format format = Format::Words;
  std::vector<std::string> path;  // JSON formats: object keys; a numeric segment also indexes arrays
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
  // The payload's own observation time (Ttn: received_at), Unix ms; the router bounds it against the
  // time the message arrived (clock skew).
  std::optional<std::int64_t> observed_unix_ms;
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
// RFC 3339 date-time -> Unix ms: "2026-11-25T14:02:03.123456789Z", "...+01:00", 't'/'z' accepted,
// any number of fraction digits (truncated to ms). Nullopt when malformed or out of range.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);
bool is_valid_utf8(std::string_view text);
// Deepest nesting of [ and { outside strings exceeds `limit` (no recursion, stops early).
bool json_deeper_than(std::string_view text, int limit);

}  // namespace kiosk::ingest
