#include "ingest/topic_pattern.hpp"

#include <algorithm>

namespace kiosk::ingest {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

}  // namespace

std::optional<TopicPattern> TopicPattern::parse(std::string_view pattern, std::string* error) {
  if (pattern.empty()) {
    fail(error, "empty topic pattern");
    return std::nullopt;
  }
  if (pattern.size() > 65535) {
    fail(error, "topic pattern longer than 65535 bytes");
    return std::nullopt;
  }
  if (pattern.find('\0') != std::string_view::npos) {
    fail(error, "topic pattern contains a NUL character");
    return std::nullopt;
  }
  TopicPattern result;
  result.pattern_ = std::string(pattern);
  std::size_t start = 0;
  int index = 0;
  while (true) {
    const std::size_t slash = pattern.find('/', start);
    const std::string_view level =
        pattern.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    const bool last = slash == std::string_view::npos;
    const std::string where = "level " + std::to_string(index + 1) + " (\"" + std::string(level) + "\")";
    if (level == "#") {
      if (!last) {
        fail(error, "'#' must be the last level of a topic pattern");
        return std::nullopt;
      }
      result.levels_.push_back({Kind::Hash, {}});
      result.filter_ += "#";
    } else if (level == "+") {
      result.levels_.push_back({Kind::Plus, {}});
      result.filter_ += "+";
    } else if (!level.empty() && level.front() == '{') {
      if (level.size() < 3 || level.back() != '}') {
        fail(error, where + ": a capture is a whole level written {name}");
        return std::nullopt;
      }
      const std::string_view name = level.substr(1, level.size() - 2);
      if (!std::all_of(name.begin(), name.end(), is_name_char)) {
        fail(error, where + ": capture names use letters, digits, '_' and '-'");
        return std::nullopt;
      }
      if (result.capture_index(name) >= 0) {
        fail(error, where + ": capture {" + std::string(name) + "} appears twice");
        return std::nullopt;
      }
      result.captures_.emplace_back(name);
      result.levels_.push_back({Kind::Capture, {}});
      result.filter_ += "+";
    } else {
      if (level.find_first_of("+#") != std::string_view::npos) {
        fail(error, where + ": '+' and '#' must fill a whole level");
        return std::nullopt;
      }
      if (level.find_first_of("{}") != std::string_view::npos) {
        fail(error, where + ": a capture is a whole level written {name}");
        return std::nullopt;
      }
      result.levels_.push_back({Kind::Literal, std::string(level)});
      result.filter_ += level;
    }
    if (last) break;
    result.filter_ += '/';
    start = slash + 1;
    ++index;
  }
  return result;
}

int TopicPattern::capture_index(std::string_view name) const {
  for (std::size_t i = 0; i < captures_.size(); ++i) {
    if (captures_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

bool TopicPattern::match(std::string_view topic, std::vector<std::string_view>& values) const {
  values.clear();
  if (topic.empty() || levels_.empty()) return false;
  if (topic.front() == '$' && levels_.front().kind != Kind::Literal) return false;
  std::size_t start = 0;
  bool more = true;  // a level begins at `start`
  for (const Level& level : levels_) {
    if (level.kind == Kind::Hash) return true;
    if (!more) return false;
    const std::size_t slash = topic.find('/', start);
    std::string_view value;
    if (slash == std::string_view::npos) {
      value = topic.substr(start);
      more = false;
    } else {
      value = topic.substr(start, slash - start);
      start = slash + 1;
    }
    switch (level.kind) {
      case Kind::Literal:
        if (value != level.literal) return false;
        break;
      case Kind::Capture:
        values.push_back(value);
        break;
      case Kind::Plus:
      case Kind::Hash:
        break;
    }
  }
  return !more;
}

}  // namespace kiosk::ingest
