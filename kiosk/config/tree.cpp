// TOML text -> detail::Node through toml++ (the only file of kiosk that includes it), and layer merging.
#include "config/tree.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace kiosk::config::detail {
namespace {

Origin origin_of(const toml::source_region& region, const std::string& name) {
  return Origin{name, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

Node convert(const toml::node& in, const std::string& name) {
  Node out;
  out.origin = origin_of(in.source(), name);
  switch (in.type()) {
    case toml::node_type::table:
      out.type = Node::Type::Table;
      for (auto&& [key, value] : *in.as_table()) {
        Node child = convert(value, name);
        child.key = std::string(key.str());
        child.key_origin = origin_of(key.source(), name);
        // An implicit table ("[a.b]" creates "a") may carry no position of its own: use its key's.
        if (child.origin.line == 0) child.origin = child.key_origin;
        out.items.push_back(std::move(child));
      }
      break;
    case toml::node_type::array:
      out.type = Node::Type::Array;
      for (const toml::node& element : *in.as_array()) out.items.push_back(convert(element, name));
      break;
    case toml::node_type::string:
      out.type = Node::Type::String;
      out.string = in.as_string()->get();
      break;
    case toml::node_type::integer:
      out.type = Node::Type::Integer;
      out.integer = in.as_integer()->get();
      break;
    case toml::node_type::floating_point:
      out.type = Node::Type::Float;
      out.floating = in.as_floating_point()->get();
      break;
    case toml::node_type::boolean:
      out.type = Node::Type::Boolean;
      out.boolean = in.as_boolean()->get();
      break;
    case toml::node_type::date: out.type = Node::Type::Date; break;
    case toml::node_type::time: out.type = Node::Type::Time; break;
    case toml::node_type::date_time: out.type = Node::Type::DateTime; break;
    case toml::node_type::none: out.type = Node::Type::String; break;  // not produced by the parser
  }
  return out;
}

}  // namespace

bool Node::is_array_of_tables() const {
  return type == Type::Array && !items.empty() &&
         std::all_of(items.begin(), items.end(), [](const Node& n) { return n.is_table(); });
}

const Node* Node::find(std::string_view child_key) const {
  if (type != Type::Table) return nullptr;
  for (const Node& child : items)
    if (child.key == child_key) return &child;
  return nullptr;
}

std::string_view describe(Node::Type type) {
  switch (type) {
    case Node::Type::String: return "a string";
    case Node::Type::Integer: return "an integer";
    case Node::Type::Float: return "a decimal number";
    case Node::Type::Boolean: return "true/false";
    case Node::Type::Date: return "a date";
    case Node::Type::Time: return "a time";
    case Node::Type::DateTime: return "a date-time";
    case Node::Type::Array: return "a list";
    case Node::Type::Table: return "a table";
  }
  return "a value";
}

ParseOutcome parse_toml(std::string_view text, const std::string& name) {
  ParseOutcome outcome;
  try {
    toml::table table = toml::parse(text, std::string_view(name));
    outcome.root = convert(table, name);
    outcome.root.origin = Origin{name, 1, 1};
    outcome.ok = true;
  } catch (const toml::parse_error& e) {
    Origin where = origin_of(e.source(), name);
    if (where.line < 1) where = Origin{name, 1, 1};
    std::string message = "TOML syntax error: " + std::string(e.description());
    if (message.find("could not determine value type") != std::string::npos)
      message += " (text values need double quotes, e.g. kiosk = \"Accueil\")";
    else
      message += " (fix the text at this position)";
    outcome.error = Diagnostic{Diagnostic::Severity::Error, where, std::move(message)};
  } catch (const std::exception& e) {
    outcome.error = Diagnostic{Diagnostic::Severity::Error, Origin{name, 1, 1},
                               std::string("cannot parse this file: ") + e.what()};
  }
  return outcome;
}

void merge_into(Node& base, Node&& over, MergeStats* stats) {
  if (!base.is_table() || !over.is_table()) {
    base = std::move(over);  // same key; values, arrays and arrays of tables are replaced whole
    return;
  }
  base.origin = std::move(over.origin);  // the overriding file's [header]
  if (!over.key.empty()) base.key_origin = std::move(over.key_origin);
  // Which entry of `base` has each key: a table of 100,000 [space."..."] entries over the site file's
  // made a search per entry quadratic (100,000 entries: over 20 s). Reserved first so that the views
  // into base's keys stay valid while entries are appended.
  base.items.reserve(base.items.size() + over.items.size());
  auto counted_equal = [stats](std::string_view a, std::string_view b) {
    if (stats) ++stats->key_compares;
    return a == b;
  };
  std::unordered_map<std::string_view, std::size_t, std::hash<std::string_view>, decltype(counted_equal)> index(
      base.items.size() * 2 + 1, std::hash<std::string_view>{}, counted_equal);
  for (std::size_t i = 0; i < base.items.size(); ++i) index.emplace(base.items[i].key, i);
  for (Node& child : over.items) {
    auto same = index.find(child.key);
    if (same == index.end()) {
      base.items.push_back(std::move(child));
    } else {
      // Out of the index before the merge, which may replace that entry's key string (the view would
      // dangle); a key comes once in a TOML table, so it is never looked up again.
      const std::size_t at = same->second;
      index.erase(same);
      merge_into(base.items[at], std::move(child), stats);
    }
  }
}

}  // namespace kiosk::config::detail
