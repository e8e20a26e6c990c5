#include "core/venue.hpp"

#include <algorithm>

namespace kiosk::core {

namespace {
std::uint32_t name_hash(std::string_view folded) {
  // FNV-1a: stable, and spread enough for a few tens of thousands of names (hits are checked anyway).
  std::uint32_t h = 2166136261u;
  for (unsigned char c : folded) h = (h ^ c) * 16777619u;
  return h;
}

// The folded names and alt names of a feature, each once, without empty ones.
template <typename T>
std::vector<std::string> folded_names(const T& item) {
  std::vector<std::string> keys;
  for (const Labels* labels : {&item.name, &item.alt_name})
    for (const auto& entry : labels->entries()) keys.push_back(fold_for_search(entry.second));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (!keys.empty() && keys.front().empty()) keys.erase(keys.begin());
  return keys;
}

template <typename T>
bool has_folded_name(const T& item, std::string_view folded) {
  for (const Labels* labels : {&item.name, &item.alt_name})
    for (const auto& entry : labels->entries())
      if (fold_for_search(entry.second) == folded) return true;
  return false;
}
}  // namespace

template <typename T>
struct VenueLookup {

  static void index_ids(const std::vector<T>& items, std::vector<std::uint32_t>& out) {
    out.resize(items.size());
    for (std::uint32_t i = 0; i < out.size(); ++i) out[i] = i;
    std::stable_sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) { return items[a].id < items[b].id; });
    out.shrink_to_fit();
  }

  static void index_names(const std::vector<T>& items, std::vector<NameKey>& out) {
    out.clear();
    for (std::uint32_t i = 0; i < items.size(); ++i)
      for (const std::string& key : folded_names(items[i])) out.push_back({name_hash(key), i});
    std::sort(out.begin(), out.end(),
              [](const NameKey& a, const NameKey& b) { return a.hash != b.hash ? a.hash < b.hash : a.index < b.index; });
    out.shrink_to_fit();
  }

  static const T* find(const std::vector<T>& items, const std::vector<std::uint32_t>& by_id, std::string_view id) {
    auto it = std::lower_bound(by_id.begin(), by_id.end(), id,
                               [&](std::uint32_t i, std::string_view key) { return items[i].id < key; });
    return it != by_id.end() && *it < items.size() && items[*it].id == id ? &items[*it] : nullptr;
  }

  // The one feature with this name (folded), or nullptr when none or several have it.
  static const T* find_by_name(const std::vector<T>& items, const std::vector<NameKey>& by_name, std::string_view key) {
    const std::string folded = fold_for_search(key);
    if (folded.empty()) return nullptr;
    const std::uint32_t hash = name_hash(folded);
    auto it = std::lower_bound(by_name.begin(), by_name.end(), hash,
                               [](const NameKey& k, std::uint32_t h) { return k.hash < h; });
    const T* found = nullptr;
    for (; it != by_name.end() && it->hash == hash; ++it) {
      if (it->index >= items.size() || !has_folded_name(items[it->index], folded)) continue;  // a collision
      if (found && found != &items[it->index]) return nullptr;  // ambiguous
      found = &items[it->index];
    }
    return found;
  }

  static const T* find_by_id_or_name(const std::vector<T>& items, const std::vector<std::uint32_t>& by_id,
                                     const std::vector<NameKey>& by_name, std::string_view key) {
    if (const T* hit = find(items, by_id, key)) return hit;
    return find_by_name(items, by_name, key);
  }
};

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
  VenueLookup<Level>::index_ids(levels, level_by_id_);
  VenueLookup<Unit>::index_ids(units, unit_by_id_);
  VenueLookup<Anchor>::index_ids(anchors, anchor_by_id_);
  VenueLookup<Kiosk>::index_ids(kiosks, kiosk_by_id_);
  VenueLookup<Unit>::index_names(units, unit_by_name_);
  VenueLookup<Kiosk>::index_names(kiosks, kiosk_by_name_);
}

const Level* Venue::level(const std::string& key) const { return VenueLookup<Level>::find(levels, level_by_id_, key); }
const Unit* Venue::unit(const std::string& key) const { return VenueLookup<Unit>::find(units, unit_by_id_, key); }
const Anchor* Venue::anchor(const std::string& key) const { return VenueLookup<Anchor>::find(anchors, anchor_by_id_, key); }
const Kiosk* Venue::kiosk(const std::string& key) const { return VenueLookup<Kiosk>::find(kiosks, kiosk_by_id_, key); }

const Unit* Venue::unit_of(const Occupant& occupant) const {
  const Anchor* a = anchor(occupant.anchor_id);
  return a ? unit(a->unit_id) : nullptr;
}

const Unit* Venue::find_unit(std::string_view id_or_name) const {
  return VenueLookup<Unit>::find_by_id_or_name(units, unit_by_id_, unit_by_name_, id_or_name);
}

const Kiosk* Venue::find_kiosk(std::string_view id_or_name) const {
  return VenueLookup<Kiosk>::find_by_id_or_name(kiosks, kiosk_by_id_, kiosk_by_name_, id_or_name);
}

VenueNames VenueNames::of(const Venue& venue, LabelsPool* names) {
  LabelsPool local;
  LabelsPool& pool = names ? *names : local;
  VenueNames out;
  out.id = venue.id;
  out.language = venue.language;
  out.name = pool.intern(venue.name);
  out.levels.reserve(venue.levels.size());
  for (const auto& l : venue.levels) out.levels.push_back({l.id, l.ordinal, pool.intern(l.name), pool.intern(l.short_name)});
  out.units.reserve(venue.units.size());
  for (const auto& u : venue.units) out.units.push_back({u.id, u.category, pool.intern(u.name), pool.intern(u.alt_name)});
  out.kiosks.reserve(venue.kiosks.size());
  for (const auto& k : venue.kiosks) out.kiosks.push_back({k.id, pool.intern(k.name), pool.intern(k.alt_name)});
  out.amenities.reserve(venue.amenities.size());
  for (const auto& a : venue.amenities)
    out.amenities.push_back({a.category, a.unit_ids, pool.intern(a.name), pool.intern(a.alt_name)});
  out.occupants.reserve(venue.occupants.size());
  for (const auto& o : venue.occupants) {
    const core::Unit* in = venue.unit_of(o);
    out.occupants.push_back({o.category, pool.intern(o.name), pool.intern(o.alt_name),
                             in ? static_cast<std::uint32_t>(in - venue.units.data()) : kNoUnit});
  }
  // The venue's own look-ups hold positions and name hashes only, and the positions are the same here.
  out.unit_by_id_ = venue.unit_by_id_;
  out.unit_by_name_ = venue.unit_by_name_;
  return out;
}

void VenueNames::intern_names(LabelsPool& names) {
  name = names.intern(name);
  for (auto& l : levels) l.name = names.intern(l.name), l.short_name = names.intern(l.short_name);
  for (auto& u : units) u.name = names.intern(u.name), u.alt_name = names.intern(u.alt_name);
  for (auto& k : kiosks) k.name = names.intern(k.name), k.alt_name = names.intern(k.alt_name);
  for (auto& a : amenities) a.name = names.intern(a.name), a.alt_name = names.intern(a.alt_name);
  for (auto& o : occupants) o.name = names.intern(o.name), o.alt_name = names.intern(o.alt_name);
}

const VenueNames::Unit* VenueNames::unit(std::string_view key) const {
  return VenueLookup<Unit>::find(units, unit_by_id_, key);
}

const VenueNames::Unit* VenueNames::find_unit(std::string_view id_or_name) const {
  return VenueLookup<Unit>::find_by_id_or_name(units, unit_by_id_, unit_by_name_, id_or_name);
}

}  // namespace kiosk::core
