// The decoders' byte scanners against plain reference versions: UTF-8 validation, JSON depth,
// RFC 3339 times (which must survive a round trip through core::format_iso8601).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/clock.hpp"
#include "fuzz_util.hpp"
#include "ingest/decoder.hpp"

namespace {

// Deepest nesting of [ and { outside strings, one character at a time (a closer at depth 0 is ignored,
// as json_deeper_than does).
int reference_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = ++depth > deepest ? depth : deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kiosk::ingest;
  const std::string_view text = kiosk::fuzz::as_text(data, size);

  KIOSK_FUZZ_CHECK(is_valid_utf8(text) == kiosk::fuzz::reference_utf8(text));

  const int deepest = reference_depth(text);
  for (int limit : {0, 1, 2, 3, 7, kMaxJsonDepth}) KIOSK_FUZZ_CHECK(json_deeper_than(text, limit) == (deepest > limit));

  if (const auto ms = parse_rfc3339_ms(text)) {
    // Years 0000-9999 with offsets up to +-23:59: anything else was let through by mistake.
    constexpr std::int64_t kDay = 86'400'000;
    KIOSK_FUZZ_CHECK(*ms >= -62'167'219'200'000 - kDay && *ms <= 253'402'300'800'000 + kDay);
    if (*ms >= 0 && *ms < 253'402'300'800'000) {  // format_iso8601 writes years 1970-9999 back
      const std::string again = kiosk::core::format_iso8601(kiosk::core::from_unix_ms(*ms));
      KIOSK_FUZZ_CHECK(parse_rfc3339_ms(again) == ms);
    }
  }
  return 0;
}
