// Word-level helpers of validation: MQTT topic patterns with {captures}, space templates, and the
// "did you mean" suggestion (Levenshtein distance).
#include <algorithm>
#include <string>
#include <vector>

#include "config/validate.hpp"

namespace kiosk::config::detail {
namespace {

bool valid_capture_name(std::string_view name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace

std::string topic_problem(const std::string& topic, std::vector<std::string>& captures) {
  if (topic.empty()) return "'topic' in [[binding]] is empty: write the topic the sensors publish on";
  std::size_t start = 0;
  while (true) {
    std::size_t slash = topic.find('/', start);
    bool last = slash == std::string::npos;
    std::string segment = topic.substr(start, last ? std::string::npos : slash - start);
    const std::string in = " in topic \"" + topic + "\"";
    if (segment == "#") {
      if (!last) return "'#' may only be the last segment" + in + " (it matches everything below)";
    } else if (segment == "+") {
    } else if (segment.find_first_of("+#") != std::string::npos) {
      return "'+' and '#' must be a whole segment between '/'" + in + ", not part of \"" + segment + "\"";
    } else if (segment.find_first_of("{}") != std::string::npos) {
      if (segment.size() < 2 || segment.front() != '{' || segment.back() != '}')
        return "a capture {name} must be a whole segment between '/'" + in + ", not part of \"" + segment + "\"";
      std::string name = segment.substr(1, segment.size() - 2);
      if (!valid_capture_name(name))
        return "capture name \"" + name + "\"" + in + " must use a-z, 0-9 and '_' and not start with a digit";
      if (std::find(captures.begin(), captures.end(), name) != captures.end())
        return "capture {" + name + "} appears twice" + in + "; give each segment its own name";
      captures.push_back(name);
    }
    if (last) return "";
    start = slash + 1;
  }
}

std::string template_problem(const std::string& space, const std::string& topic,
                             const std::vector<std::string>& captures) {
  for (std::size_t i = 0; i < space.size(); ++i) {
    if (space[i] == '}') return "'space' template \"" + space + "\" has a '}' without '{'";
    if (space[i] != '{') continue;
    std::size_t close = space.find('}', i);
    if (close == std::string::npos) return "'space' template \"" + space + "\" has a '{' without '}'";
    std::string name = space.substr(i + 1, close - i - 1);
    if (std::find(captures.begin(), captures.end(), name) == captures.end()) {
      std::string message = "'space' template \"" + space + "\" uses {" + name + "}, which topic \"" + topic +
                            "\" does not capture";
      std::string names;
      for (const std::string& c : captures) names += (names.empty() ? "{" : ", {") + c + "}";
      message += captures.empty() ? "; name a topic segment {" + name + "} (instead of '+'), or write a fixed "
                                    "space name"
                                  : "; it captures " + names;
      return message;
    }
    i = close;
  }
  return "";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view nearest(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_distance = 3;
  for (std::string_view candidate : candidates) {
    std::size_t d = edit_distance(word, candidate);
    if (d < best_distance && d < std::max(word.size(), candidate.size())) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace kiosk::config::detail
