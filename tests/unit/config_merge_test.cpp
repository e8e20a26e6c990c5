// Layer merging at the size of a big site: 100,000 [space."..."] entries over a site file must merge in
// time linear in the entries. Timing goals live in scripts/bench ("check, 100,000 [space] entries"); here
// the merge's key comparisons are counted, which is deterministic: the old search per entry made about
// n * n / 2 of them.
#include <doctest/doctest.h>

#include <string>

#include "config/tree.hpp"

using kiosk::config::detail::MergeStats;
using kiosk::config::detail::Node;
using kiosk::config::detail::merge_into;

namespace {

Node integer(const std::string& key, std::int64_t value) {
  Node n;
  n.type = Node::Type::Integer;
  n.key = key;
  n.integer = value;
  return n;
}

// A table `key` of `count` sub-tables "room <first + i>", each { capacity = value }.
Node spaces(std::size_t first, std::size_t count, std::int64_t value) {
  Node table;
  table.key = "space";
  for (std::size_t i = 0; i < count; ++i) {
    Node room;
    room.key = "room " + std::to_string(first + i);
    room.items.push_back(integer("capacity", value));
    table.items.push_back(std::move(room));
  }
  return table;
}

}  // namespace

TEST_CASE("config merge: 40,000 entries over 40,000 (half shared) merge with a linear count of comparisons") {
  constexpr std::size_t n = 40'000;
  Node base, over;
  base.items.push_back(spaces(0, n, 1));       // rooms 0 .. 39,999 (the site file)
  over.items.push_back(spaces(n / 2, n, 2));   // rooms 20,000 .. 59,999 (the panel file)
  MergeStats stats;
  merge_into(base, std::move(over), &stats);

  REQUIRE(base.items.size() == 1);
  const Node& merged = base.items[0];
  REQUIRE(merged.items.size() == n + n / 2);
  // Site order first, then the panel's new entries in their order; shared entries take the panel's value.
  CHECK(merged.items[0].key == "room 0");
  CHECK(merged.items[0].find("capacity")->integer == 1);
  CHECK(merged.items[n / 2].key == "room 20000");
  CHECK(merged.items[n / 2].find("capacity")->integer == 2);
  CHECK(merged.items[n - 1].find("capacity")->integer == 2);
  CHECK(merged.items[n].key == "room 40000");
  CHECK(merged.items.back().key == "room 59999");
  // A few comparisons per entry (hash collisions, the sub-tables' own keys); a search per entry would
  // make about 8 * 10^8.
  CHECK(stats.key_compares <= 4 * 2 * n);
}

TEST_CASE("config merge: a value over a table, and a table over a value, replace it whole") {
  Node base, over;
  base.items.push_back(spaces(0, 3, 1));
  base.items.push_back(integer("ttl", 600));
  over.items.push_back(integer("space", 7));  // not a table any more: replaced whole
  Node ttl_table;
  ttl_table.key = "ttl";
  ttl_table.items.push_back(integer("seconds", 60));
  over.items.push_back(std::move(ttl_table));
  merge_into(base, std::move(over));
  REQUIRE(base.items.size() == 2);
  CHECK(base.items[0].key == "space");
  CHECK(base.items[0].type == Node::Type::Integer);
  CHECK(base.items[0].integer == 7);
  CHECK(base.items[1].key == "ttl");
  CHECK(base.items[1].is_table());
  CHECK(base.items[1].find("seconds")->integer == 60);
}
