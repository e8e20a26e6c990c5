// The compact representations of core: Labels shared between copies (copy on write), and the venue's
// look-ups as sorted arrays. Checked against plain references built here: every id, every name and
// alt name of a generated venue, ambiguous names, names that fold to nothing.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/labels.hpp"
#include "core/venue.hpp"

using namespace kiosk::core;

TEST_CASE("labels: copies share one block until one of them is changed") {
  Labels a{{"fr", "Salle Garonne"}, {"en", "Garonne Room"}};
  Labels b = a;
  CHECK(b.shares_with(a));
  CHECK(&b.pick("fr") == &a.pick("fr"));  // the same text, not a copy of it
  b.set("fr", "Salle Tarn");
  CHECK_FALSE(b.shares_with(a));
  CHECK(a.pick("fr") == "Salle Garonne");
  CHECK(b.pick("fr") == "Salle Tarn");
  CHECK(b.pick("en") == "Garonne Room");
  b.set("de", "Tarn-Saal");
  REQUIRE(b.entries().size() == 3);
  CHECK(b.entries().at(2).first == "de");
  CHECK(b.entries()[0].second == "Salle Tarn");
  CHECK_THROWS_AS(b.entries().at(3), std::out_of_range);
  CHECK(a.entries().size() == 2);

  Labels moved = std::move(b);
  CHECK(moved.pick("de") == "Tarn-Saal");
  CHECK(b.empty());  // NOLINT(bugprone-use-after-move): a moved-from Labels is empty
  b = moved;
  CHECK(b.shares_with(moved));
  b = b;  // self-assignment keeps it
  CHECK(b.pick("de") == "Tarn-Saal");

  Labels empty;
  CHECK(empty.empty());
  CHECK(empty.entries().empty());
  CHECK(empty.pick("fr").empty());
  CHECK_FALSE(empty.shares_with(Labels{}));
  empty.set("en", "Hall");
  CHECK(empty.pick("fr") == "Hall");
  CHECK(Labels{}.entries().size() == 0);
}

TEST_CASE("labels: set on a sole owner keeps every entry and the order") {
  Labels labels;
  for (int i = 0; i < 20; ++i) labels.set("l" + std::to_string(i), "text " + std::to_string(i));
  labels.set("l3", "three");
  REQUIRE(labels.entries().size() == 20);
  int i = 0;
  for (const auto& [lang, text] : labels.entries()) {
    CHECK(lang == "l" + std::to_string(i));
    CHECK(text == (i == 3 ? std::string("three") : "text " + std::to_string(i)));
    ++i;
  }
}

TEST_CASE("labels: copies made and dropped on several threads at once") {
  const Labels shared{{"fr", "Étage 1"}, {"en", "Floor 1"}};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&shared] {
      std::vector<Labels> copies;
      for (int i = 0; i < 20000; ++i) {
        copies.push_back(shared);
        if (copies.size() > 64) copies.clear();
      }
    });
  for (auto& t : threads) t.join();
  CHECK(shared.pick("en") == "Floor 1");
  Labels last = shared;
  CHECK(last.shares_with(shared));
}

namespace {

// A venue of `n` units: ids "u<i>", names "Salle <i>" / "Room <i>", an alt name for one in three,
// every tenth unit shares its name with the previous one (ambiguous), one unit named "!!!".
Venue generated(int n) {
  Venue v;
  Level level;
  level.id = "L0";
  v.levels.push_back(level);
  for (int i = 0; i < n; ++i) {
    Unit u;
    u.id = "u" + std::to_string(i);
    u.level_id = "L0";
    const int shown = i % 10 == 9 ? i - 1 : i;
    u.name = {{"fr", "Salle " + std::to_string(shown)}, {"en", "Room " + std::to_string(shown)}};
    if (i % 3 == 0) u.alt_name = {{"fr", "Alias-" + std::to_string(i)}};
    if (i == 5) u.name = {{"fr", "!!!"}};
    v.units.push_back(u);
  }
  Kiosk k;
  k.id = "k0";
  k.level_id = "L0";
  k.name = {{"fr", "Borne d'accueil"}};
  v.kiosks.push_back(k);
  v.index();
  return v;
}

}  // namespace

TEST_CASE("venue look-ups: every id, name and alt name, as a plain map would answer") {
  const Venue v = generated(3000);
  // The reference: folded name -> the units that have it.
  std::map<std::string, std::set<std::size_t>> by_name;
  for (std::size_t i = 0; i < v.units.size(); ++i)
    for (const Labels* labels : {&v.units[i].name, &v.units[i].alt_name})
      for (const auto& [lang, text] : labels->entries())
        if (!fold_for_search(text).empty()) by_name[fold_for_search(text)].insert(i);

  for (std::size_t i = 0; i < v.units.size(); ++i) {
    CAPTURE(i);
    CHECK(v.unit(v.units[i].id) == &v.units[i]);
    CHECK(v.find_unit(v.units[i].id) == &v.units[i]);
  }
  std::size_t unique = 0, ambiguous = 0;
  for (const auto& [key, units] : by_name) {
    CAPTURE(key);
    const Unit* hit = v.find_unit(key);
    if (units.size() == 1) {
      CHECK(hit == &v.units[*units.begin()]);
      ++unique;
    } else {
      CHECK(hit == nullptr);
      ++ambiguous;
    }
  }
  CHECK(unique > 2000);
  CHECK(ambiguous > 200);
  // Accents, case and punctuation are ignored; a name that folds to nothing finds nothing.
  CHECK(v.find_unit("SALLE-17") == &v.units[17]);
  CHECK(v.find_unit("alias 3") == &v.units[3]);
  CHECK(v.find_unit("!!!") == nullptr);
  CHECK(v.find_unit("") == nullptr);
  CHECK(v.find_unit("Salle 3000") == nullptr);
  CHECK(v.unit("u3000") == nullptr);
  CHECK(v.unit("") == nullptr);
  CHECK(v.level("L0") == &v.levels[0]);
  CHECK(v.level("L1") == nullptr);
  CHECK(v.find_kiosk("borne d accueil") == &v.kiosks[0]);
  CHECK(v.find_kiosk("k0") == &v.kiosks[0]);
  CHECK(v.kiosk("k1") == nullptr);

  // A copy answers the same, from its own features.
  const Venue copy = v;
  CHECK(copy.find_unit("Room 42") == &copy.units[42]);
  CHECK(copy.unit("u7") == &copy.units[7]);
}

TEST_CASE("venue look-ups: the first of two features with the same id wins, as before") {
  Venue v;
  for (const char* name : {"First", "Second"}) {
    Unit u;
    u.id = "twin";
    u.name = {{"en", name}};
    v.units.push_back(u);
  }
  v.index();
  REQUIRE(v.unit("twin") != nullptr);
  CHECK(v.unit("twin")->name.pick("en") == "First");
  CHECK(v.find_unit("second") == &v.units[1]);
}

TEST_CASE("labels: tags of any length, empty texts and tags, in order") {
  const std::string long_tag(300, 't');
  Labels l{{"", "no tag"}, {long_tag, ""}, {"fr", "Salle"}};
  REQUIRE(l.entries().size() == 3);
  CHECK(l.entries()[0].first.empty());
  CHECK(l.entries()[0].second == "no tag");
  CHECK(l.entries()[1].first == long_tag);
  CHECK(l.entries()[1].second.empty());
  CHECK(l.pick("fr-CA") == "Salle");
  CHECK(l.pick(long_tag).empty());
  l.set(long_tag, "long");
  CHECK(l.pick(long_tag) == "long");
  CHECK(l.entries().size() == 3);
}

TEST_CASE("labels pool: one block per content, never the original's block") {
  LabelsPool pool(4);
  const Labels a{{"fr", "Étage 1"}, {"en", "Floor 1"}};
  const Labels same{{"fr", "Étage 1"}, {"en", "Floor 1"}};
  const Labels other_order{{"en", "Floor 1"}, {"fr", "Étage 1"}};  // pick() may differ: not the same
  const Labels shifted{{"fr", "Étage 1Floor"}, {"en", " 1"}};     // same characters, other split
  const Labels x = pool.intern(a);
  CHECK_FALSE(x.shares_with(a));
  CHECK(x.pick("en") == "Floor 1");
  CHECK(pool.intern(same).shares_with(x));
  CHECK(pool.intern(x).shares_with(x));
  CHECK_FALSE(pool.intern(other_order).shares_with(x));
  CHECK_FALSE(pool.intern(shifted).shares_with(x));
  CHECK(pool.intern(Labels{}).empty());
  CHECK(pool.size() == 3);
  // Growing keeps every content findable.
  std::vector<Labels> kept;
  for (int i = 0; i < 1000; ++i) kept.push_back(pool.intern(Labels{{"en", "Room " + std::to_string(i)}}));
  for (int i = 0; i < 1000; ++i) CHECK(pool.intern(Labels{{"en", "Room " + std::to_string(i)}}).shares_with(kept[i]));
  CHECK(pool.intern(same).shares_with(x));
  CHECK(pool.size() == 1003);
}

TEST_CASE("venue names: what the screens read, with the venue's look-ups and indices") {
  Venue v = generated(500);
  Amenity toilets;
  toilets.id = "a0";
  toilets.category = "restroom";
  toilets.unit_ids = {"u7"};
  toilets.name = {{"fr", "Toilettes"}};
  v.amenities.push_back(toilets);
  Anchor anchor;
  anchor.id = "an0";
  anchor.unit_id = "u12";
  v.anchors.push_back(anchor);
  Occupant acme;
  acme.id = "o0";
  acme.category = "company";
  acme.anchor_id = "an0";
  acme.name = {{"en", "Acme"}};
  Occupant lost = acme;
  lost.anchor_id = "nowhere";
  v.occupants = {acme, lost};
  v.levels[0].name = {{"fr", "Rez-de-chaussée"}};
  v.levels[0].ordinal = -1;
  v.index();

  LabelsPool pool;
  const VenueNames n = VenueNames::of(v, &pool);
  REQUIRE(n.units.size() == v.units.size());
  for (std::size_t i = 0; i < v.units.size(); ++i) {
    CAPTURE(i);
    CHECK(n.units[i].id == v.units[i].id);
    CHECK(n.units[i].category == v.units[i].category);
    CHECK(n.units[i].name.pick("en") == v.units[i].name.pick("en"));
    CHECK(n.units[i].alt_name.pick("fr") == v.units[i].alt_name.pick("fr"));
    CHECK(n.unit(v.units[i].id) == &n.units[i]);
    // Every name answers as it does on the venue (ambiguous ones with nothing).
    for (const Labels* labels : {&v.units[i].name, &v.units[i].alt_name})
      for (const auto& [lang, text] : labels->entries()) {
        const Unit* on_venue = v.find_unit(text);
        const VenueNames::Unit* on_names = n.find_unit(text);
        CHECK((on_venue ? on_venue - v.units.data() : -1) == (on_names ? on_names - n.units.data() : -1));
      }
  }
  CHECK(n.find_unit("nothing") == nullptr);
  CHECK(n.levels[0].id == "L0");
  CHECK(n.levels[0].ordinal == -1);
  CHECK(n.levels[0].name.pick("fr") == "Rez-de-chaussée");
  CHECK(n.kiosks[0].id == "k0");
  CHECK(n.amenities[0].unit_ids == std::vector<std::string>{"u7"});
  CHECK(n.amenities[0].name.pick("fr") == "Toilettes");
  REQUIRE(n.occupants.size() == 2);
  CHECK(n.unit_of(n.occupants[0]) == &n.units[12]);
  CHECK(n.unit_of(n.occupants[1]) == nullptr);
  CHECK(n.occupants[0].name.pick("en") == "Acme");
  // Names went through the pool: equal names share one block.
  CHECK(pool.intern(v.units[3].name).shares_with(n.units[3].name));
  CHECK(n.units[9].name.pick("fr") == n.units[8].name.pick("fr"));
  CHECK(n.units[9].name.shares_with(n.units[8].name));

  // Interned again elsewhere: the same texts, blocks of the new pool.
  VenueNames copy = n;
  LabelsPool again;
  copy.intern_names(again);
  CHECK_FALSE(copy.units[3].name.shares_with(n.units[3].name));
  CHECK(copy.units[3].name.pick("en") == "Room 3");
  CHECK(copy.find_unit("Room 3") == &copy.units[3]);
  CHECK(copy.unit_of(copy.occupants[0]) == &copy.units[12]);
}
