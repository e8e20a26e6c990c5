// Reading one JSON file of an IMDF folder: size limit, parse errors with line:column, and the
// source position of each feature (nlohmann's DOM keeps none, so they are recovered by a scan).
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::imdf::detail {

// Files above this are refused: the parsed DOM takes several times the text, and panels have 1 GB.
inline constexpr std::uintmax_t kMaxFileBytes = 64u << 20;

struct TextPosition {
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based, in UTF-8 characters
};

struct JsonFile {
  std::string text;
  nlohmann::json root;
  // When reading or parsing failed: what went wrong (no trailing "fix it" advice) and where.
  std::string error;
  TextPosition error_at;
  bool parse_failed = false;  // the text was read but is not valid JSON
  bool ok() const { return error.empty(); }
};

// Never throws except std::bad_alloc.
JsonFile read_json_file(const std::filesystem::path& path);

// Line/column of each byte offset of `text`, in the order given; one pass over the text.
std::vector<TextPosition> positions_of(std::string_view text, const std::vector<std::size_t>& offsets);

// Byte offset of each element of the root object's "features" array (the last such key, as the
// parser keeps the last duplicate). `text` must be valid JSON. Iterative, no recursion.
std::vector<std::size_t> feature_offsets(std::string_view text);

}  // namespace kiosk::imdf::detail
