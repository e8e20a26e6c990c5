// Internal to kiosk/config: a parsed TOML document as a plain tree where every value and every key keeps
// the file:line:col that wrote it, so that merged layers still point at the right file. Parsing (toml++)
// lives in tree.cpp only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace kiosk::config::detail {

struct Node {
  enum class Type { String, Integer, Float, Boolean, Date, Time, DateTime, Array, Table };
  Type type = Type::Table;
  std::string string;
  std::int64_t integer = 0;
  double floating = 0;
  bool boolean = false;
  std::vector<Node> items;  // Array elements, or Table entries (each with its key)
  std::string key;          // the key naming this node in its table (empty for array elements)
  Origin key_origin;        // where that key was written
  Origin origin;            // where the value was written (a table: its [header])

  bool is_table() const { return type == Type::Table; }
  bool is_array_of_tables() const;  // a non-empty array whose elements are all tables
  const Node* find(std::string_view child_key) const;  // Table entry by key, or nullptr
};

// "a string", "an integer", "a table", ... for messages.
std::string_view describe(Node::Type type);

struct ParseOutcome {
  bool ok = false;
  Node root;             // when ok
  Diagnostic error;      // when not ok: the syntax error at its position
};
// Parses TOML text; `name` is the file name put in every Origin.
ParseOutcome parse_toml(std::string_view text, const std::string& name);

// Layering: `over` (the including file) on top of `base` (the included one). Tables merge key by key,
// recursively; anything else (values, arrays, arrays of tables) is replaced by `over`'s. Linear in the
// number of entries; `stats`, when given, counts the key comparisons made (tests check it stays so).
struct MergeStats {
  std::size_t key_compares = 0;
};
void merge_into(Node& base, Node&& over, MergeStats* stats = nullptr);

}  // namespace kiosk::config::detail
