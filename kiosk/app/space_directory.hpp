// Names a space answers to -> its index. Built once per setup, immutable afterwards, so the network
// thread (topic resolution) and the main thread (search, snapshot) may share it without locks.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/space.hpp"

namespace kiosk::app {

class SpaceDirectory {
 public:
  // Keys: each space's id, its names in every language, and `extra_keys` (config keys as written).
  // Names are folded (accents, case, punctuation), so "salle-garonne" finds "Salle Garonne".
  // When two spaces answer to the same key, the first one given (ids and names in space order,
  // then the extra keys) has it.
  SpaceDirectory(const std::vector<core::Space>& spaces,
                 const std::vector<std::pair<std::string, std::uint32_t>>& extra_keys);
  std::optional<std::uint32_t> find(std::string_view id_or_name) const;

  std::size_t key_count() const { return exact_.size() + folded_.size(); }
  std::size_t memory_bytes() const;  // heap held, for the benchmarks

 private:
  // Every key's text back to back in one buffer, and per kind of key a table sorted by text (equal
  // keys in insertion order): ~15 bytes a key plus its text, instead of a hash node and a string.
  struct Key {
    std::uint32_t offset, length;  // into chars_
    std::uint32_t index;           // the space
  };
  std::optional<std::uint32_t> find_in(const std::vector<Key>& keys, std::string_view text) const;
  std::string_view text(const Key& key) const { return std::string_view(chars_).substr(key.offset, key.length); }

  std::string chars_;
  std::vector<Key> exact_, folded_;
};

}  // namespace kiosk::app
