// Collecting diagnostics while one file is read: capped per file, positioned at the feature they
// are about once the file is done, and safe to show (values from the file are quoted, cut short
// and stripped of control characters).
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "imdf/json_source.hpp"
#include "imdf/loader.hpp"

namespace kiosk::imdf::detail {

// `text` with control characters and invalid UTF-8 replaced by '?', cut to `max_chars` characters
// (then ending in "…").
std::string printable(std::string_view text, std::size_t max_chars);
// A value from the file, for a message: "\"value\"", printable and at most 60 characters.
std::string quote(std::string_view value);

class Report {
 public:
  static constexpr int kMaxPerFile = 200;
  // The same message on many features (a systematic quirk of an export) is listed this many
  // times, then summarised once, so that it does not hide the other problems of the file.
  static constexpr int kMaxSameMessage = 3;

  explicit Report(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  // feature_index: position in the file's "features" array, or -1 when not about one feature.
  void add(Diagnostic::Severity severity, std::string message, int feature_index = -1,
           std::string_view feature_id = {});
  void add_at(Diagnostic::Severity severity, std::string message, TextPosition where);

  // Places feature diagnostics at their feature in `text` (empty when the file did not parse),
  // adds a summary of what the cap left out, and appends everything to `out`.
  void finish(std::string_view text, std::vector<Diagnostic>& out);

 private:
  struct Pending {
    Diagnostic diagnostic;
    int feature_index;
  };
  bool keep(Diagnostic::Severity severity, const std::string& message);

  struct Repeats {
    Diagnostic::Severity severity;
    int listed = 0, hidden = 0;
  };
  std::string file_;
  std::vector<Pending> pending_;
  std::unordered_map<std::string, Repeats> repeats_;  // by message
  std::vector<std::string> repeated_;                 // messages with hidden repeats, in order
  int hidden_warnings_ = 0, hidden_errors_ = 0;
};

// The feature being read, for diagnostics about it.
struct FeatureContext {
  Report& report;
  int index = -1;
  std::string id;         // empty until known
  std::string_view type;  // "unit", "level", ...

  void warn(std::string message) const {
    report.add(Diagnostic::Severity::Warning, std::move(message), index, label());
  }
  void error(std::string message) const { report.add(Diagnostic::Severity::Error, std::move(message), index, label()); }
  // The id, or "#<index>" while it has none.
  std::string label() const { return id.empty() ? "#" + std::to_string(index) : id; }
};

}  // namespace kiosk::imdf::detail
