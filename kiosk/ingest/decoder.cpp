// Decoders: words, numbers, and what each gateway's JSON means. The words path allocates nothing;
// the JSON formats name up to three paths and decoders/json_paths.cpp finds them (simdjson, with
// nlohmann for the documents simdjson refuses). Nothing here throws.
#include "ingest/decoder.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <span>

#include "ingest/decoders/json_paths.hpp"

namespace kiosk::ingest {

std::string_view to_string(Reject r) {
  switch (r) {
    case Reject::TooLarge: return "too_large";
    case Reject::Empty: return "empty";
    case Reject::InvalidUtf8: return "invalid_utf8";
    case Reject::NotJson: return "not_json";
    case Reject::TooDeep: return "too_deep";
    case Reject::MissingField: return "missing_field";
    case Reject::WrongType: return "wrong_type";
    case Reject::UnknownWord: return "unknown_word";
    case Reject::OutOfRange: return "out_of_range";
    case Reject::Count_: break;
  }
  return "unknown";
}

std::string_view describe(Reject r) {
  switch (r) {
    case Reject::TooLarge: return "payload too large";
    case Reject::Empty: return "empty payload";
    case Reject::InvalidUtf8: return "invalid UTF-8";
    case Reject::NotJson: return "not JSON";
    case Reject::TooDeep: return "JSON nested too deep";
    case Reject::MissingField: return "missing field";
    case Reject::WrongType: return "wrong type";
    case Reject::UnknownWord: return "unknown word";
    case Reject::OutOfRange: return "value out of range";
    case Reject::Count_: break;
  }
  return "unknown problem";
}

namespace {

constexpr std::array<std::string_view, 8> kOccupiedWords = {"true", "1", "on", "occupied", "busy", "yes",
                                                            "detected", "motion"};
constexpr std::array<std::string_view, 9> kFreeWords = {"false", "0", "off", "vacant", "free", "no",
                                                        "clear", "unoccupied", "empty"};
constexpr std::size_t kLongestWord = 10;  // "unoccupied"

// Home Assistant adds the device_tracker / person states.
enum class Vocabulary : std::uint8_t { Plain, HomeAssistant };

DecodeResult reject(Reject r) { return DecodeResult{std::nullopt, r}; }
DecodeResult presence(bool occupied) {
  return DecodeResult{Decoded{ValueKind::Presence, occupied, 0, std::nullopt}, {}};
}
DecodeResult count(std::int32_t n) { return DecodeResult{Decoded{ValueKind::Count, false, n, std::nullopt}, {}}; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// 1 = occupied word, 0 = free word, -1 = not a word.
int classify_word(std::string_view token, Vocabulary vocabulary) {
  if (token.size() > kLongestWord) return -1;
  char lower[kLongestWord];
  for (std::size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view word(lower, token.size());
  for (std::string_view w : kOccupiedWords) {
    if (w == word) return 1;
  }
  for (std::string_view w : kFreeWords) {
    if (w == word) return 0;
  }
  if (vocabulary == Vocabulary::HomeAssistant) {
    if (word == "home") return 1;
    if (word == "not_home") return 0;
  }
  return -1;
}

enum class Number : std::uint8_t { No, Yes, Overflow };

Number parse_number(std::string_view token, double& out) {
  if (token.empty()) return Number::No;
  // Fast path: a short run of digits ("3", "27").
  if (token.size() <= 9) {
    std::int32_t v = 0;
    bool all_digits = true;
    for (char c : token) {
      if (c < '0' || c > '9') {
        all_digits = false;
        break;
      }
      v = v * 10 + (c - '0');
    }
    if (all_digits) {
      out = v;
      return Number::Yes;
    }
  }
  if (token.front() == '+') token.remove_prefix(1);
  if (token.empty()) return Number::No;
  const char* first = token.data();
  const char* last = first + token.size();
  const auto [ptr, ec] = std::from_chars(first, last, out);  // accepts inf/nan: checked by the caller
  if (ptr != last) return Number::No;
  if (ec == std::errc::result_out_of_range) return Number::Overflow;
  if (ec != std::errc{}) return Number::No;
  return Number::Yes;
}

DecodeResult from_number(double v, ValueKind kind) {
  if (!std::isfinite(v) || v < 0) return reject(Reject::OutOfRange);
  if (kind == ValueKind::Presence) return presence(v != 0);
  if (v > kMaxCount) return reject(Reject::OutOfRange);
  if (v != std::floor(v)) return reject(Reject::WrongType);
  return count(static_cast<std::int32_t>(v));
}

// A word or a number, already known to be valid UTF-8.
DecodeResult decode_text(std::string_view text, ValueKind kind, Vocabulary vocabulary = Vocabulary::Plain) {
  const std::string_view token = trim(text);
  if (token.empty()) return reject(Reject::Empty);
  const int word = classify_word(token, vocabulary);
  if (kind == ValueKind::Presence && word >= 0) return presence(word == 1);
  double v = 0;
  switch (parse_number(token, v)) {
    case Number::Yes: return from_number(v, kind);
    case Number::Overflow: return reject(Reject::OutOfRange);
    case Number::No: break;
  }
  // A presence word sent to a count binding is the wrong kind of value, not an unknown word.
  return reject(word >= 0 ? Reject::WrongType : Reject::UnknownWord);
}

// ---- JSON: the fields the format looks for (decoders/json_paths.cpp finds them) -----------------

using detail::Found;
using detail::Path;
using detail::Slot;
using detail::Type;

DecodeResult from_slot(const Slot& slot, ValueKind kind, Vocabulary vocabulary = Vocabulary::Plain) {
  switch (slot.type) {
    case Type::None: return reject(Reject::MissingField);
    case Type::Null:
    case Type::Container: return reject(Reject::WrongType);
    case Type::Bool:
      if (kind == ValueKind::Count) return reject(Reject::WrongType);
      return presence(slot.b);
    case Type::Number: return from_number(slot.number, kind);
    case Type::String: {
      DecodeResult r = decode_text(slot.s, kind, vocabulary);
      if (!r.value && r.reason == Reject::Empty) r.reason = Reject::UnknownWord;  // "" in a field
      return r;
    }
  }
  return reject(Reject::NotJson);
}

// The first path that found a value decides; else the first that found null (wrong type); else missing.
DecodeResult first_found(const Found& found, std::size_t n, ValueKind kind,
                         Vocabulary vocabulary = Vocabulary::Plain) {
  n = std::min(n, detail::kMaxPaths);
  for (std::size_t t = 0; t < n; ++t) {
    if (found.slots[t].found()) return from_slot(found.slots[t], kind, vocabulary);
  }
  for (std::size_t t = 0; t < n; ++t) {
    if (found.slots[t].type == Type::Null) return reject(Reject::WrongType);
  }
  return reject(Reject::MissingField);
}

DecodeResult decode_paths(std::string_view payload, std::span<const Path> paths, ValueKind kind,
                          Vocabulary vocabulary = Vocabulary::Plain) {
  Found found;
  if (const auto bad = detail::find_paths(payload, paths, found)) return reject(*bad);
  return first_found(found, paths.size(), kind, vocabulary);
}

Path spec_path(const DecoderSpec& spec) { return Path{{}, spec.path}; }

char first_char(std::string_view payload) {
  const std::string_view t = trim(payload);
  return t.empty() ? '\0' : t.front();
}

DecodeResult decode_json(const DecoderSpec& spec, std::string_view payload) {
  // A path longer than the deepest document allowed can never be found.
  if (spec.path.size() > static_cast<std::size_t>(kMaxJsonDepth)) {
    if (json_deeper_than(payload, kMaxJsonDepth)) return reject(Reject::TooDeep);
    return reject(Reject::MissingField);
  }
  const Path path = spec_path(spec);
  return decode_paths(payload, std::span(&path, 1), spec.value);
}

// ---- Gateways ----------------------------------------------------------------------------------

constexpr std::string_view kOccupancy[] = {"occupancy"};
constexpr std::string_view kPresence[] = {"presence"};
constexpr std::string_view kState[] = {"state"};
constexpr std::string_view kMotion[] = {"motion"};
constexpr std::string_view kStatusSns[] = {"StatusSNS"};
constexpr std::string_view kDecodedPayload[] = {"uplink_message", "decoded_payload"};
constexpr std::string_view kDecodedOccupancy[] = {"uplink_message", "decoded_payload", "occupancy"};
constexpr std::string_view kReceivedAt[] = {"received_at"};
constexpr std::string_view kUplinkReceivedAt[] = {"uplink_message", "received_at"};

// Zigbee2MQTT: {"occupancy":...} (motion sensors), else {"presence":...} (mmWave presence sensors).
// Legacy attribute output (zigbee2mqtt/<device>/occupancy "true") is a plain payload: words.
DecodeResult decode_zigbee2mqtt(const DecoderSpec& spec, std::string_view payload) {
  if (first_char(payload) != '{') return decode_text(payload, spec.value);
  if (!spec.path.empty()) return decode_json(spec, payload);
  const Path paths[] = {{kOccupancy, {}}, {kPresence, {}}};
  return decode_paths(payload, paths, spec.value);
}

// Home Assistant: statestream / binary_sensor payloads ("ON", "home"), a JSON string ("\"on\""), or a
// JSON object with the state in a field (default "state").
DecodeResult decode_homeassistant(const DecoderSpec& spec, std::string_view payload) {
  const char c = first_char(payload);
  if (c == '{') {
    const Path path = spec.path.empty() ? Path{kState, {}} : spec_path(spec);
    return decode_paths(payload, std::span(&path, 1), spec.value, Vocabulary::HomeAssistant);
  }
  if (c == '"') {
    const Path root{};
    return decode_paths(payload, std::span(&root, 1), spec.value, Vocabulary::HomeAssistant);
  }
  return decode_text(payload, spec.value, Vocabulary::HomeAssistant);
}

// The Things Stack v3 uplink: the value under uplink_message.decoded_payload, the time from received_at.
DecodeResult decode_ttn(const DecoderSpec& spec, std::string_view payload) {
  Path value{kDecodedOccupancy, {}};
  if (!spec.path.empty()) {
    value = spec.path.front() == "uplink_message" ? spec_path(spec) : Path{kDecodedPayload, spec.path};
  }
  const Path paths[] = {value, {kReceivedAt, {}}, {kUplinkReceivedAt, {}}};
  Found found;
  if (const auto bad = detail::find_paths(payload, paths, found)) return reject(*bad);
  DecodeResult r = first_found(found, 1, spec.value);
  if (!r.value) return r;
  for (std::size_t t : {1u, 2u}) {
    const Slot& at = found.slots[t];
    if (at.type != Type::String) continue;
    r.value->observed_unix_ms = parse_rfc3339_ms(at.s);  // a bad time is dropped, not the reading
    break;
  }
  return r;
}

// Tasmota: tele/<name>/SENSOR {"Time":"...","Switch1":"ON"}; the same under "StatusSNS" in STATUS10
// replies; stat/<name>/POWER "ON" is a plain payload.
DecodeResult decode_tasmota(const DecoderSpec& spec, std::string_view payload) {
  if (first_char(payload) != '{') return decode_text(payload, spec.value);
  if (spec.path.empty()) return reject(Reject::MissingField);  // validation requires a field
  const Path paths[] = {spec_path(spec), {kStatusSns, spec.path}};
  return decode_paths(payload, paths, spec.value);
}

// Shelly Motion (Gen1 status JSON {"motion":true,...}); sensor topics with a plain payload as words.
DecodeResult decode_shelly(const DecoderSpec& spec, std::string_view payload) {
  if (first_char(payload) != '{') return decode_text(payload, spec.value);
  if (!spec.path.empty()) return decode_json(spec, payload);
  const Path path{kMotion, {}};
  return decode_paths(payload, std::span(&path, 1), spec.value);
}

}  // namespace

DecodeResult decode(const DecoderSpec& spec, std::string_view payload, std::size_t max_payload) {
  if (payload.size() > max_payload) return reject(Reject::TooLarge);
  if (trim(payload).empty()) return reject(Reject::Empty);
  if (!is_valid_utf8(payload)) return reject(Reject::InvalidUtf8);
  switch (spec.format) {
    case Format::Words:
    case Format::Homie: return decode_text(payload, spec.value);
    case Format::Json: return decode_json(spec, payload);
    case Format::Zigbee2mqtt: return decode_zigbee2mqtt(spec, payload);
    case Format::HomeAssistant: return decode_homeassistant(spec, payload);
    case Format::Ttn: return decode_ttn(spec, payload);
    case Format::Tasmota: return decode_tasmota(spec, payload);
    case Format::Shelly: return decode_shelly(spec, payload);
  }
  return reject(Reject::NotJson);
}

}  // namespace kiosk::ingest
