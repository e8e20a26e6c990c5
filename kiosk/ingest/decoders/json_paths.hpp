// Internal to the decoders: find up to three paths in a JSON document, checking the whole document.
// decoder.cpp turns what was found into a reading; json_paths.cpp does the parsing.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ingest/decoder.hpp"

namespace kiosk::ingest::detail {

// A path = a fixed head (the format's own prefix or default) + the binding's segments. No copies.
struct Path {
  std::span<const std::string_view> head;
  std::span<const std::string> tail;
  std::size_t size() const { return head.size() + tail.size(); }
  std::string_view operator[](std::size_t i) const {
    return i < head.size() ? head[i] : std::string_view(tail[i - head.size()]);
  }
};

enum class Type : std::uint8_t { None, Null, Bool, Number, String, Container };

// What one path found: the value met last in document order (so duplicate keys: the last wins).
struct Slot {
  Type type = Type::None;
  bool b = false;
  double number = 0;     // integers too: every use converts to double
  std::string_view s;    // unescaped; valid until the next find_paths() on this thread
  bool found() const { return type != Type::None && type != Type::Null; }
};

inline constexpr std::size_t kMaxPaths = 3;

struct Found {
  std::array<Slot, kMaxPaths> slots;
  std::array<std::string, kMaxPaths> strings;  // backing for the slots' strings on the slow path
};

// Parses the whole payload (already valid UTF-8, not blank); fills found.slots[t] for paths[t]
// (paths past kMaxPaths are ignored). Nullopt when the document is valid JSON, else NotJson, TooDeep
// (nesting past kMaxJsonDepth, checked first) or OutOfRange (a number beyond double).
std::optional<Reject> find_paths(std::string_view payload, std::span<const Path> paths, Found& found);

}  // namespace kiosk::ingest::detail
