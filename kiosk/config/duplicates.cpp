// Bindings that repeat an earlier one: the Router takes the first binding whose topic matches, so a
// copy never receives anything. Generated site files repeat a block easily (10,000 identical bindings
// were accepted silently); one warning per distinct binding repeated, with the count, not one per copy.
#include <string>
#include <unordered_map>
#include <vector>

#include "config/validate.hpp"

namespace kiosk::config::detail {

namespace {

// What makes two bindings the same: topic pattern, space (template and map) and decoder.
std::string identity(const Binding& b) {
  std::string key;
  for (const std::string* part : {&b.topic, &b.space, &b.format, &b.field, &b.value}) {
    key += *part;
    key += '\0';
  }
  for (const auto& [sensor, space] : b.space_map) {
    key += sensor;
    key += '\x01';
    key += space;
    key += '\0';
  }
  return key;
}

std::string where(const Origin& o) { return o.file + ":" + std::to_string(o.line) + ":" + std::to_string(o.column); }

}  // namespace

void warn_duplicate_bindings(const std::vector<Binding>& bindings, std::vector<Diagnostic>& out) {
  struct Seen {
    std::size_t first;                   // index of the binding that is used
    std::size_t first_copy = 0;          // index of its first repetition
    std::size_t copies = 0;
  };
  std::unordered_map<std::string, Seen> seen;
  std::vector<const Seen*> repeated;     // in the order of their first repetition
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    if (bindings[i].topic.empty()) continue;  // its topic was refused: reported already
    auto [it, added] = seen.try_emplace(identity(bindings[i]), Seen{i});
    if (added) continue;
    if (it->second.copies++ == 0) {
      it->second.first_copy = i;
      repeated.push_back(&it->second);
    }
  }
  for (const Seen* s : repeated) {
    const Binding& used = bindings[s->first];
    std::string message = "this [[binding]] repeats the one at " + where(used.origin) + " (same topic \"" + used.topic +
                          "\", space and format)";
    if (s->copies > 1) message += ", and so do " + std::to_string(s->copies - 1) + " more after it";
    message += ": only the first is used; remove the " + std::string(s->copies > 1 ? "copies" : "copy");
    out.push_back({Diagnostic::Severity::Warning, bindings[s->first_copy].origin, std::move(message)});
  }
}

}  // namespace kiosk::config::detail
