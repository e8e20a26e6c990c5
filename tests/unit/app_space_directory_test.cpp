// SpaceDirectory keeps its keys in one buffer with sorted tables: every id, every name in every
// language and every config key must still find its space, with the first-given-wins rule of the
// hash maps it replaced (checked against such maps, filled the way the old directory filled them).
#include <doctest/doctest.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "app/space_directory.hpp"
#include "core/labels.hpp"

using namespace kiosk;

namespace {

std::vector<core::Space> spaces(int n) {
  std::vector<core::Space> out;
  for (int i = 0; i < n; ++i) {
    core::Space s;
    s.id = "space-" + std::to_string(i);
    // Every 50th space repeats the previous one's names: the first one keeps them.
    const int shown = i % 50 == 49 ? i - 1 : i;
    s.name = {{"fr", "Salle Été " + std::to_string(shown)}, {"en", "Summer Room " + std::to_string(shown)}};
    if (i % 7 == 0) s.name = {{"en", "Booth " + std::to_string(i)}, {"fr", "Booth " + std::to_string(i)}};
    out.push_back(std::move(s));
  }
  return out;
}

// The directory as it was: two hash maps filled with emplace (the first key given wins).
struct Reference {
  std::unordered_map<std::string, std::uint32_t> exact, folded;
  Reference(const std::vector<core::Space>& spaces, const std::vector<std::pair<std::string, std::uint32_t>>& extra) {
    for (std::uint32_t i = 0; i < spaces.size(); ++i) {
      exact.emplace(spaces[i].id, i);
      for (const auto& [lang, text] : spaces[i].name.entries()) folded.emplace(core::fold_for_search(text), i);
    }
    for (const auto& [key, index] : extra) {
      exact.emplace(key, index);
      folded.emplace(core::fold_for_search(key), index);
    }
  }
  std::optional<std::uint32_t> find(std::string_view q) const {
    if (auto it = exact.find(std::string(q)); it != exact.end()) return it->second;
    if (auto it = folded.find(core::fold_for_search(q)); it != folded.end()) return it->second;
    return std::nullopt;
  }
};

}  // namespace

TEST_CASE("directory: every id, name and config key finds the space the hash maps found") {
  const auto all = spaces(2000);
  const std::vector<std::pair<std::string, std::uint32_t>> extra = {
      {"Salle de sieste Nord", 3}, {"space-10", 11},  // an extra key equal to another space's id: the id wins
      {"Summer Room 1", 12},                           // equal to a name when folded: the name wins
      {"garonne", 20}, {"GARONNE", 21}};                // the same folded key twice: the first wins
  const app::SpaceDirectory directory(all, extra);
  const Reference reference(all, extra);

  std::vector<std::string> queries;
  for (const auto& s : all) {
    queries.push_back(s.id);
    for (const auto& [lang, text] : s.name.entries()) {
      queries.push_back(text);
      queries.push_back(core::fold_for_search(text));
    }
  }
  for (const auto& [key, index] : extra) queries.push_back(key);
  for (const char* q : {"", "   ", "space-2000", "salle ete", "SALLE-ÉTÉ-17", "summer room 49", "booth 7", "garonne"})
    queries.push_back(q);

  std::size_t found = 0;
  for (const std::string& q : queries) {
    CAPTURE(q);
    const auto got = directory.find(q);
    CHECK(got == reference.find(q));
    found += got.has_value();
  }
  CHECK(found > 8000);
  CHECK(directory.find("space-10") == 10u);
  CHECK(directory.find("salle-ete-48") == 48u);  // 49 repeats 48's names: 48 has them
  CHECK(directory.find("Summer room 49") == std::nullopt);
  CHECK(directory.find("Garonne") == 20u);  // folded: the first of the two config keys
  CHECK(directory.find("GARONNE") == 21u);  // exactly as written: that key's own space
  CHECK(directory.find("salle de sieste nord") == 3u);
  CHECK_FALSE(directory.find("nowhere"));
  CHECK_FALSE(directory.find(""));
  // One buffer and two tables: well under the ~270 bytes a space of the hash maps.
  CHECK(directory.memory_bytes() < all.size() * 120);
}

TEST_CASE("directory: empty, and a space whose name folds to nothing") {
  const app::SpaceDirectory none({}, {});
  CHECK_FALSE(none.find("x"));
  CHECK(none.key_count() == 0);
  std::vector<core::Space> odd(1);
  odd[0].id = "odd";
  odd[0].name = {{"en", "!!!"}};
  const app::SpaceDirectory directory(odd, {});
  const Reference reference(odd, {});
  for (const char* q : {"odd", "!!!", "", "?"}) {
    CAPTURE(q);
    CHECK(directory.find(q) == reference.find(q));
  }
}
