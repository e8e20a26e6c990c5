#include "core/venue.hpp"

#include <algorithm>

namespace kiosk::core {

namespace {
template <typename T>
void index_ids(const std::vector<T>& items, std::unordered_map<std::string, std::size_t>& out) {
  out.clear();
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) out.emplace(items[i].id, i);
}

template <typename T>
void index_names(const std::vector<T>& items, std::unordered_map<std::string, std::vector<std::size_t>>& out) {
  out.clear();
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::vector<std::string> keys;
    for (const Labels* labels : {&items[i].name, &items[i].alt_name})
      for (const auto& entry : labels->entries()) keys.push_back(fold_for_search(entry.second));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (auto& key : keys)
      if (!key.empty()) out[key].push_back(i);
  }
}

template <typename T>
const T* find(const std::vector<T>& items, const std::unordered_map<std::string, std::size_t>& by_id,
              const std::string& id) {
  auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : &items[it->second];
}

template <typename T>
const T* find_by_id_or_name(const std::vector<T>& items, const std::unordered_map<std::string, std::size_t>& by_id,
                            const std::unordered_map<std::string, std::vector<std::size_t>>& by_name,
                            std::string_view key) {
  if (const T* hit = find(items, by_id, std::string(key))) return hit;
  auto it = by_name.find(fold_for_search(key));
  if (it == by_name.end() || it->second.size() != 1) return nullptr;
  return &items[it->second.front()];
}
}  // namespace

namespace {
// Loaders push_back feature by feature: without this, vectors keep up to twice the memory they use.
template <typename... Vectors>
void shrink(Vectors&... vectors) {
  (vectors.shrink_to_fit(), ...);
}
}  // namespace

void Venue::index() {
  shrink(levels, units, openings, relationships, amenities, anchors, occupants, kiosks);
  std::stable_sort(levels.begin(), levels.end(),
                   [](const Level& a, const Level& b) { return a.ordinal < b.ordinal; });
  index_ids(levels, level_by_id_);
  index_ids(units, unit_by_id_);
  index_ids(anchors, anchor_by_id_);
  index_ids(kiosks, kiosk_by_id_);
  index_names(units, unit_by_name_);
  index_names(kiosks, kiosk_by_name_);
}

const Level* Venue::level(const std::string& key) const { return find(levels, level_by_id_, key); }
const Unit* Venue::unit(const std::string& key) const { return find(units, unit_by_id_, key); }
const Anchor* Venue::anchor(const std::string& key) const { return find(anchors, anchor_by_id_, key); }
const Kiosk* Venue::kiosk(const std::string& key) const { return find(kiosks, kiosk_by_id_, key); }

const Unit* Venue::unit_of(const Occupant& occupant) const {
  const Anchor* a = anchor(occupant.anchor_id);
  return a ? unit(a->unit_id) : nullptr;
}

const Unit* Venue::find_unit(std::string_view id_or_name) const {
  return find_by_id_or_name(units, unit_by_id_, unit_by_name_, id_or_name);
}

const Kiosk* Venue::find_kiosk(std::string_view id_or_name) const {
  return find_by_id_or_name(kiosks, kiosk_by_id_, kiosk_by_name_, id_or_name);
}

}  // namespace kiosk::core
