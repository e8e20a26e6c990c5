#include "app/space_directory.hpp"

#include "core/labels.hpp"

namespace kiosk::app {

SpaceDirectory::SpaceDirectory(const std::vector<core::Space>& spaces,
                               const std::vector<std::pair<std::string, std::uint32_t>>& extra_keys) {
  for (std::uint32_t i = 0; i < spaces.size(); ++i) {
    exact_.emplace(spaces[i].id, i);
    for (const auto& [lang, text] : spaces[i].name.entries()) folded_.emplace(core::fold_for_search(text), i);
  }
  for (const auto& [key, index] : extra_keys) {
    exact_.emplace(key, index);
    folded_.emplace(core::fold_for_search(key), index);
  }
}

std::optional<std::uint32_t> SpaceDirectory::find(std::string_view id_or_name) const {
  if (auto it = exact_.find(std::string(id_or_name)); it != exact_.end()) return it->second;
  if (auto it = folded_.find(core::fold_for_search(id_or_name)); it != folded_.end()) return it->second;
  return std::nullopt;
}

}  // namespace kiosk::app
