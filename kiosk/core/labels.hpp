// IMDF LABELS: one text per BCP-47 language tag, e.g. {"en": "Room 2.14", "fr": "Salle 2.14"}.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::core {

class Labels {
 public:
  Labels() = default;
  Labels(std::initializer_list<std::pair<std::string, std::string>> entries) : entries_(entries) {}

  void set(std::string language, std::string text);
  bool empty() const { return entries_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

  // Best text for `language`: exact tag, then same primary language ("fr" ~ "fr-FR"), then English,
  // then the first one present. Empty string when there is none.
  const std::string& pick(std::string_view language) const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

// Lower-case, accents removed, runs of spaces/punctuation folded to one space: "Salle Œuvre-Été"
// and "salle oeuvre ete" compare equal. For search and for naming spaces in config files.
std::string fold_for_search(std::string_view utf8);

}  // namespace kiosk::core
