#include "imdf/json_source.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <numeric>
#include <system_error>

#include "core/regular_file.hpp"
#include "imdf/report.hpp"

namespace kiosk::imdf::detail {

namespace {

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line 3, column 8: syntax
// error ..."; keep the part after the position, which we report in our own format.
std::string describe(const nlohmann::json::exception& e) {
  std::string_view what = e.what();
  if (auto end = what.find("] "); what.starts_with("[json.exception.") && end != std::string_view::npos)
    what.remove_prefix(end + 2);
  if (what.starts_with("parse error")) {
    if (auto colon = what.find(": "); colon != std::string_view::npos) what.remove_prefix(colon + 2);
  }
  return printable(what, 200);
}

// Where the offending token starts. nlohmann's `byte` is the 1-based index of the last character
// read, i.e. the token's end (size + 1 at the end of the input); editors and other validators
// point at the token's start, e.g. the opening quote of a string that follows a missing comma.
std::size_t error_offset(const nlohmann::json::parse_error& e, std::string_view text) {
  if (e.byte == 0) return 0;
  std::size_t at = std::min<std::size_t>(e.byte - 1, text.size());
  if (at == text.size()) return at;
  auto literal_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '+' ||
           c == '.';
  };
  if (text[at] == '"') {  // a complete string token: back to its unescaped opening quote
    for (std::size_t i = at; i-- > 0;) {
      if (text[i] == '\n') break;
      if (text[i] != '"') continue;
      std::size_t backslashes = 0;
      while (backslashes < i && text[i - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
  } else if (literal_char(text[at])) {
    while (at > 0 && literal_char(text[at - 1])) --at;
  }
  return at;
}

// A missing comma is the usual cause of "unexpected <value>; expected '}'" (or ']').
std::string hint(const std::string& message) {
  const bool wanted_close =
      message.find("; expected '}'") != std::string::npos || message.find("; expected ']'") != std::string::npos;
  for (const char* token : {"unexpected '}'", "unexpected ']'", "unexpected ':'", "unexpected ','", "unexpected end"})
    if (message.find(token) != std::string::npos) return {};
  return wanted_close ? " (is a comma missing before it?)" : "";
}

}  // namespace

JsonFile read_json_file(const std::filesystem::path& path) {
  JsonFile file;
  // Opened without blocking and only if a regular file: a FIFO named unit.geojson must not hang a
  // reload, nor /dev/zero fill the memory.
  core::FileRead read = core::read_regular_file(path, kMaxFileBytes);
  if (read.status == core::FileRead::Status::TooLarge) {
    file.error = "the file is " + std::to_string((read.size + (1u << 20) - 1) >> 20) + " MiB, above the limit of " +
                 std::to_string(kMaxFileBytes >> 20) + " MiB; simplify the geometry or split the map";
    return file;
  }
  if (!read.ok()) {
    // "it is a FIFO, not a regular file", "a symlink loop (...)", "no such file", ...
    const bool not_regular = read.status == core::FileRead::Status::NotRegular;
    file.error = std::string("cannot read the file: ") + (not_regular ? "it " : "") + read.why;
    return file;
  }
  file.text = std::move(read.text);

  try {
    file.root = nlohmann::json::parse(file.text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const nlohmann::json::parse_error& e) {
    file.error = describe(e);
    file.error += hint(file.error);
    file.error_at = positions_of(file.text, {error_offset(e, file.text)}).front();
  } catch (const nlohmann::json::exception& e) {
    // e.g. out_of_range.406 "number overflow parsing '1e400'": find the literal to place it.
    file.error = describe(e);
    std::string_view what = e.what();
    auto open = what.find(" '");
    auto close = what.rfind('\'');
    if (open != std::string_view::npos && close > open + 2) {
      auto literal = what.substr(open + 2, close - open - 2);
      if (auto at = std::string_view(file.text).find(literal); at != std::string_view::npos)
        file.error_at = positions_of(file.text, {at}).front();
    }
  }
  if (!file.ok()) {
    file.parse_failed = true;
    file.root = nullptr;
  }
  return file;
}

std::vector<TextPosition> positions_of(std::string_view text, const std::vector<std::size_t>& offsets) {
  std::vector<std::size_t> order(offsets.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return offsets[a] < offsets[b]; });

  // Characters in [from, to): UTF-8 continuation bytes do not count (nor a leading BOM).
  const std::size_t bom = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  auto characters = [&](std::size_t from, std::size_t to) {
    from = std::max(from, bom);
    return from >= to ? std::ptrdiff_t{0}
                      : std::count_if(text.begin() + static_cast<std::ptrdiff_t>(from),
                                      text.begin() + static_cast<std::ptrdiff_t>(to),
                                      [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  };
  std::vector<TextPosition> out(offsets.size());
  std::size_t at = 0;  // everything before `at` is counted in line/column
  long line = 1, column = 1;
  for (std::size_t index : order) {
    const std::size_t offset = std::min(offsets[index], text.size());
    const std::string_view segment = text.substr(at, offset - at);
    if (const std::size_t last_newline = segment.rfind('\n'); last_newline != std::string_view::npos) {
      line += std::count(segment.begin(), segment.end(), '\n');
      column = 1 + characters(at + last_newline + 1, offset);
    } else {
      column += characters(at, offset);
    }
    at = offset;
    out[index] = {static_cast<int>(std::min<long>(line, INT_MAX)), static_cast<int>(std::min<long>(column, INT_MAX))};
  }
  return out;
}

std::vector<std::size_t> feature_offsets(std::string_view text) {
  // Bytes that never change the scanner's state: skipped in a tight loop.
  static const auto kPlain = [] {
    std::array<bool, 256> plain{};
    plain.fill(true);
    for (unsigned char c : std::string_view("\"{}[],")) plain[c] = false;
    return plain;
  }();
  std::vector<std::size_t> out;
  int depth = 0;
  bool expect_key = false;      // inside the root object, the next string is a key
  bool in_features = false;     // inside the root's "features" array
  bool expect_element = false;  // the next value inside it starts an element
  std::string_view last_key;
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size; ++i) {
    const char c = text[i];
    if (kPlain[static_cast<unsigned char>(c)]) {
      if (expect_element && in_features && depth == 2 && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        out.push_back(i);  // a number or literal element
        expect_element = false;
      }
      continue;
    }
    if (in_features && depth == 2 && expect_element && c != ']') {
      out.push_back(i);
      expect_element = false;
    }
    switch (c) {
      case '"': {  // jump to the closing quote: one not preceded by an odd number of backslashes
        std::size_t close = i;
        for (;;) {
          close = text.find('"', close + 1);
          if (close == std::string_view::npos) return out;
          std::size_t backslashes = 0;
          while (text[close - 1 - backslashes] == '\\') ++backslashes;
          if (backslashes % 2 == 0) break;
        }
        if (depth == 1 && expect_key) {
          last_key = text.substr(i + 1, close - i - 1);
          expect_key = false;
        }
        i = close;
        break;
      }
      case '{':
      case '[':
        ++depth;
        if (depth == 1) expect_key = c == '{';
        if (depth == 2 && c == '[' && last_key == "features") {
          in_features = expect_element = true;
          out.clear();
        }
        break;
      case '}':
      case ']':
        if (depth == 2) in_features = false;
        --depth;
        break;
      case ',':
        if (depth == 1) expect_key = true;
        if (depth == 2 && in_features) expect_element = true;
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace kiosk::imdf::detail
