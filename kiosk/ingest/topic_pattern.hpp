// A binding's topic pattern: an MQTT subscription filter whose levels may be named captures.
//   "campus/{floor}/{space}/occupancy"  -> filter "campus/+/+/occupancy", captures {"floor", "space"}
// A capture is a whole level written "{name}" (letters, digits, '_', '-'); '+' is an anonymous
// single level and '#' (last level only) matches the parent level and any depth below it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::ingest {

class TopicPattern {
 public:
  // nullopt on a malformed pattern, with the reason in *error (when error is not null).
  static std::optional<TopicPattern> parse(std::string_view pattern, std::string* error);

  const std::string& pattern() const { return pattern_; }   // as written
  const std::string& filter() const { return filter_; }     // "campus/+/+/occupancy"
  const std::vector<std::string>& captures() const { return captures_; }  // {"floor", "space"}
  // Index of capture `name` in captures(), or -1.
  int capture_index(std::string_view name) const;

  // True if `topic` matches under MQTT rules: '+' matches one level (an empty one too), '#' matches
  // the parent level and any depth, a topic starting with '$' never matches a wildcard first level.
  // On a match `values` holds one view into `topic` per capture (cleared first, so reuse one vector
  // to avoid allocating); on no match its content is unspecified.
  bool match(std::string_view topic, std::vector<std::string_view>& values) const;

 private:
  enum class Kind : std::uint8_t { Literal, Plus, Capture, Hash };
  struct Level {
    Kind kind;
    std::string literal;  // Kind::Literal
  };
  std::string pattern_;
  std::string filter_;
  std::vector<std::string> captures_;
  std::vector<Level> levels_;
};

}  // namespace kiosk::ingest
