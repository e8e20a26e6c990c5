// One payload decoder per target: built once per format with KIOSK_FUZZ_FORMAT=<Format enumerator>.
// Input: an optional header line "p" or "c" (presence or count), then a space and the binding's dotted
// field ("p occupancy", "c uplink_message.decoded_payload.people_count"); the rest is the payload.
// Without a header: presence, the format's default field, the whole input as payload.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "ingest/decoder.hpp"

#ifndef KIOSK_FUZZ_FORMAT
#error "build with -DKIOSK_FUZZ_FORMAT=<kiosk::ingest::Format enumerator>"
#endif

namespace {

using namespace kiosk::ingest;
constexpr Format kFormat = Format::KIOSK_FUZZ_FORMAT;
constexpr std::size_t kMaxPayload = 65536;  // the panels' default [mqtt] max_payload

bool same(const DecodeResult& a, const DecodeResult& b) {
  if (a.value.has_value() != b.value.has_value()) return false;
  if (!a.value) return a.reason == b.reason;
  return a.value->kind == b.value->kind && a.value->occupied == b.value->occupied &&
         a.value->count == b.value->count && a.value->observed_unix_ms == b.value->observed_unix_ms;
}

// Splits like the app does for a binding's `field` (kiosk/app/model.cpp build_routes).
DecoderSpec spec_from(std::string_view header) {
  DecoderSpec spec;
  spec.format = kFormat;
  if (header.empty()) return spec;
  spec.value = header.front() == 'c' ? ValueKind::Count : ValueKind::Presence;
  const std::string_view field = header.size() > 2 ? header.substr(2) : std::string_view{};
  for (std::size_t start = 0; !field.empty() && start <= field.size();) {
    std::size_t dot = field.find('.', start);
    if (dot == std::string_view::npos) dot = field.size();
    spec.path.emplace_back(field.substr(start, dot - start));
    start = dot + 1;
  }
  return spec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view header;
  const std::string_view payload = kiosk::fuzz::split_header(kiosk::fuzz::as_text(data, size), header, [](auto line) {
    return !line.empty() && (line.front() == 'p' || line.front() == 'c') && (line.size() == 1 || line[1] == ' ');
  });
  const DecoderSpec spec = spec_from(header);

  const DecodeResult r = decode(spec, payload, kMaxPayload);
  if (r.value) {
    KIOSK_FUZZ_CHECK(r.value->kind == spec.value);
    if (spec.value == ValueKind::Count) {
      KIOSK_FUZZ_CHECK(r.value->count >= 0 && r.value->count <= kMaxCount);
      KIOSK_FUZZ_CHECK(!r.value->occupied);
    } else {
      KIOSK_FUZZ_CHECK(r.value->count == 0);
    }
    KIOSK_FUZZ_CHECK(kFormat == Format::Ttn || !r.value->observed_unix_ms);
  } else {
    KIOSK_FUZZ_CHECK(static_cast<std::size_t>(r.reason) < kRejectCount);
    KIOSK_FUZZ_CHECK(to_string(r.reason) != "unknown" && describe(r.reason) != "unknown problem");
  }

  // The checks decode() promises to make first, in this order.
  bool blank = true;
  for (char c : payload) blank = blank && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v');
  const bool utf8 = is_valid_utf8(payload);
  KIOSK_FUZZ_CHECK(utf8 == kiosk::fuzz::reference_utf8(payload));
  if (payload.size() > kMaxPayload) KIOSK_FUZZ_CHECK(!r.value && r.reason == Reject::TooLarge);
  else if (blank) KIOSK_FUZZ_CHECK(!r.value && r.reason == Reject::Empty);
  else if (!utf8) KIOSK_FUZZ_CHECK(!r.value && r.reason == Reject::InvalidUtf8);
  if (!payload.empty()) {
    const DecodeResult small = decode(spec, payload, payload.size() - 1);
    KIOSK_FUZZ_CHECK(!small.value && small.reason == Reject::TooLarge);
  }

  // Pure: the same answer again, and whitespace around the payload changes nothing (every format
  // trims words and JSON ignores it).
  KIOSK_FUZZ_CHECK(same(r, decode(spec, payload, kMaxPayload)));
  if (payload.size() <= kMaxPayload) {
    const std::string padded = " \t" + std::string(payload) + "\r\n";
    KIOSK_FUZZ_CHECK(same(r, decode(spec, padded, kMaxPayload + 4)));
  }
  return 0;
}
