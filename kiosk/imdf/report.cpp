#include "imdf/report.hpp"

namespace kiosk::imdf::detail {

std::string printable(std::string_view text, std::size_t max_chars) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars + 4));
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (chars == max_chars) {
      out += "\u2026";
      break;
    }
    const auto b0 = static_cast<unsigned char>(text[i]);
    const int length = b0 < 0x80 ? 1 : (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 0;
    bool valid = length > 0 && i + static_cast<std::size_t>(length) <= text.size();
    for (int k = 1; valid && k < length; ++k) valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (!valid || (length == 1 && (b0 < 0x20 || b0 == 0x7F))) {
      out += '?';
      i += 1;
    } else {
      out.append(text.substr(i, static_cast<std::size_t>(length)));
      i += static_cast<std::size_t>(length);
    }
    ++chars;
  }
  return out;
}

std::string quote(std::string_view value) { return "\"" + printable(value, 60) + "\""; }

bool Report::keep(Diagnostic::Severity severity, const std::string& message) {
  Repeats& repeats = repeats_.try_emplace(message, Repeats{severity}).first->second;
  if (repeats.listed == kMaxSameMessage) {
    if (repeats.hidden++ == 0) repeated_.push_back(message);
    return false;
  }
  if (pending_.size() < static_cast<std::size_t>(kMaxPerFile)) {
    ++repeats.listed;
    return true;
  }
  ++(severity == Diagnostic::Severity::Error ? hidden_errors_ : hidden_warnings_);
  return false;
}

void Report::add(Diagnostic::Severity severity, std::string message, int feature_index, std::string_view feature_id) {
  if (!keep(severity, message)) return;
  Diagnostic d;
  d.severity = severity;
  d.file = file_;
  d.feature_id = printable(feature_id, 80);
  d.message = std::move(message);
  pending_.push_back({std::move(d), feature_index});
}

void Report::add_at(Diagnostic::Severity severity, std::string message, TextPosition where) {
  if (!keep(severity, message)) return;
  Diagnostic d;
  d.severity = severity;
  d.file = file_;
  d.line = where.line;
  d.column = where.column;
  d.message = std::move(message);
  pending_.push_back({std::move(d), -1});
}

void Report::finish(std::string_view text, std::vector<Diagnostic>& out) {
  bool about_features = false;
  for (const Pending& p : pending_) about_features |= p.feature_index >= 0;
  if (about_features && !text.empty()) {
    const std::vector<std::size_t> starts = feature_offsets(text);
    std::vector<std::size_t> offsets;
    std::vector<Pending*> placed;
    for (Pending& p : pending_) {
      if (p.feature_index < 0 || static_cast<std::size_t>(p.feature_index) >= starts.size()) continue;
      offsets.push_back(starts[static_cast<std::size_t>(p.feature_index)]);
      placed.push_back(&p);
    }
    const std::vector<TextPosition> positions = positions_of(text, offsets);
    for (std::size_t i = 0; i < placed.size(); ++i) {
      placed[i]->diagnostic.line = positions[i].line;
      placed[i]->diagnostic.column = positions[i].column;
    }
  }
  for (Pending& p : pending_) out.push_back(std::move(p.diagnostic));
  pending_.clear();
  for (const std::string& message : repeated_) {
    const Repeats& repeats = repeats_.at(message);
    Diagnostic d;
    d.severity = repeats.severity;
    d.file = file_;
    d.message = "the same " + std::string(repeats.severity == Diagnostic::Severity::Error ? "error" : "warning") +
                " on " + std::to_string(repeats.hidden) + " more feature(s) of this file: " + message;
    out.push_back(std::move(d));
  }
  repeated_.clear();
  repeats_.clear();
  if (hidden_warnings_ + hidden_errors_ > 0) {
    Diagnostic d;
    d.severity = hidden_errors_ > 0 ? Diagnostic::Severity::Error : Diagnostic::Severity::Warning;
    d.file = file_;
    d.message = std::to_string(hidden_errors_) + " more error(s) and " + std::to_string(hidden_warnings_) +
                " more warning(s) in this file were not listed (only the first " + std::to_string(kMaxPerFile) +
                " are) — fix these and load again";
    out.push_back(std::move(d));
    hidden_warnings_ = hidden_errors_ = 0;
  }
}

}  // namespace kiosk::imdf::detail
