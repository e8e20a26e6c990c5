// Shared by the fuzz targets: invariant checks that abort (so that libFuzzer and the replay runner
// both report them as crashes), the text header that some targets read before the payload, and a
// reference UTF-8 validator written for clarity, not speed, to cross-check the fast one.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace kiosk::fuzz {

// An invariant broke: say which, with the input's size (the input itself is saved by libFuzzer).
[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, what);
  std::fflush(stderr);
  std::abort();
}
#define KIOSK_FUZZ_CHECK(cond) ((cond) ? void(0) : ::kiosk::fuzz::fail(#cond, __FILE__, __LINE__))

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits "header\nbody" when the first line looks like a header (accept decides); otherwise the whole
// input is the body and the header is empty. Keeps corpus files readable text.
template <typename Accept>
std::string_view split_header(std::string_view input, std::string_view& header, Accept&& accept) {
  const std::size_t newline = input.find('\n');
  const std::string_view first = input.substr(0, newline);
  if (newline == std::string_view::npos || !accept(first)) {
    header = {};
    return input;
  }
  header = first;
  return input.substr(newline + 1);
}

// Decodes code point by code point (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF.
inline bool reference_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) { len = 1; cp = c; }
    else if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > text.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace kiosk::fuzz
