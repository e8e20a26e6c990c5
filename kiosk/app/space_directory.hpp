// Names a space answers to -> its index. Built once per setup, immutable afterwards, so the network
// thread (topic resolution) and the main thread (search, snapshot) may share it without locks.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/space.hpp"

namespace kiosk::app {

class SpaceDirectory {
 public:
  // Keys: each space's id, its names in every language, and `extra_keys` (config keys as written).
  // Names are folded (accents, case, punctuation), so "salle-garonne" finds "Salle Garonne".
  SpaceDirectory(const std::vector<core::Space>& spaces,
                 const std::vector<std::pair<std::string, std::uint32_t>>& extra_keys);
  std::optional<std::uint32_t> find(std::string_view id_or_name) const;

 private:
  std::unordered_map<std::string, std::uint32_t> exact_;
  std::unordered_map<std::string, std::uint32_t> folded_;
};

}  // namespace kiosk::app
