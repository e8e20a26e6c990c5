#include "app/space_directory.hpp"

#include <algorithm>

#include "core/labels.hpp"

namespace kiosk::app {

SpaceDirectory::SpaceDirectory(const std::vector<core::Space>& spaces,
                               const std::vector<std::pair<std::string, std::uint32_t>>& extra_keys) {
  auto add = [this](std::vector<Key>& keys, std::string_view text, std::uint32_t index) {
    keys.push_back({static_cast<std::uint32_t>(chars_.size()), static_cast<std::uint32_t>(text.size()), index});
    chars_.append(text);
  };
  std::size_t names = 0;
  for (const auto& space : spaces) names += space.name.entries().size();
  exact_.reserve(spaces.size() + extra_keys.size());
  folded_.reserve(names + extra_keys.size());
  for (std::uint32_t i = 0; i < spaces.size(); ++i) {
    add(exact_, spaces[i].id, i);
    std::string previous;
    for (const auto& [lang, text] : spaces[i].name.entries()) {
      std::string folded = core::fold_for_search(text);
      if (folded_.size() > 0 && folded_.back().index == i && folded == previous) continue;  // fr == en
      add(folded_, folded, i);
      previous = std::move(folded);
    }
  }
  for (const auto& [key, index] : extra_keys) {
    add(exact_, key, index);
    add(folded_, core::fold_for_search(key), index);
  }
  // Sorted by text; equal texts keep their insertion order, so find() sees the first one given, as
  // a map filled with emplace() would.
  for (auto* keys : {&exact_, &folded_})
    std::stable_sort(keys->begin(), keys->end(), [this](const Key& a, const Key& b) { return text(a) < text(b); });
  chars_.shrink_to_fit();
}

std::optional<std::uint32_t> SpaceDirectory::find_in(const std::vector<Key>& keys, std::string_view wanted) const {
  auto it = std::lower_bound(keys.begin(), keys.end(), wanted,
                             [this](const Key& key, std::string_view t) { return text(key) < t; });
  if (it != keys.end() && text(*it) == wanted) return it->index;
  return std::nullopt;
}

std::optional<std::uint32_t> SpaceDirectory::find(std::string_view id_or_name) const {
  if (auto hit = find_in(exact_, id_or_name)) return hit;
  return find_in(folded_, core::fold_for_search(id_or_name));
}

std::size_t SpaceDirectory::memory_bytes() const {
  return chars_.capacity() + (exact_.capacity() + folded_.capacity()) * sizeof(Key);
}

}  // namespace kiosk::app
