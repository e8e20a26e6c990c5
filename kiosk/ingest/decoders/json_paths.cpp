// Finding the decoders' JSON paths. Two parsers, one answer:
//   fast: simdjson's DOM parser validates the whole document (structure, strings, numbers) in one
//         pass, then we walk only the objects on the paths. One parser per thread, reused, so a
//         message allocates nothing once the buffers have grown to the payload size.
//   slow: any document simdjson refuses goes through nlohmann's SAX parser, which decides the reject
//         reason exactly as before (depth first, then the first syntax error or number overflow), and
//         also accepts what nlohmann accepts and simdjson does not (integers beyond 64 bits, a BOM,
//         objects nested exactly 64 deep). Bad payloads are rare; the slow path keeps them exact.
// Nothing here throws.
#include "ingest/decoders/json_paths.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include <nlohmann/json.hpp>
#include <simdjson.h>  // its classes' layout depends on SIMDJSON_THREADS_ENABLED: include it only
                       // where the simdjson target's definitions apply (kiosk_ingest's sources)

namespace kiosk::ingest::detail {

namespace {

constexpr std::size_t kNoIndex = std::numeric_limits<std::size_t>::max();

// A numeric segment also indexes arrays ("0", "12"); anything else only names keys.
std::size_t index_of(std::string_view segment) {
  std::size_t v = 0;
  const auto [ptr, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), v);
  if (segment.empty() || ec != std::errc{} || ptr != segment.data() + segment.size()) return kNoIndex;
  return v;
}

// ---- fast: simdjson DOM ------------------------------------------------------------------------

namespace dom = simdjson::dom;

// Buffers grow to the largest payload seen (about 15 bytes a byte); past this a smaller payload gets
// a fresh parser, so one odd megabyte message does not keep its buffers for good.
constexpr std::size_t kKeptCapacity = 64 * 1024;
constexpr std::size_t kInitialCapacity = 4 * 1024;

dom::parser* thread_parser(std::size_t payload_size) {
  thread_local dom::parser parser;
  thread_local bool ready = false;
  if (ready && parser.capacity() > kKeptCapacity && payload_size <= kKeptCapacity) {
    parser = dom::parser{};
    ready = false;
  }
  // simdjson also counts a scalar at the bottom as a level: a document exactly 64 deep with a value
  // in its innermost container goes the slow way (exact). Nothing deeper than kMaxJsonDepth passes.
  if (!ready && parser.allocate(kInitialCapacity, kMaxJsonDepth) != simdjson::SUCCESS) return nullptr;
  ready = true;
  return &parser;
}

void store(dom::element e, Slot& slot) {
  switch (e.type()) {
    case dom::element_type::NULL_VALUE: slot.type = Type::Null; return;
    case dom::element_type::BOOL:
      slot.type = Type::Bool;
      slot.b = e.get_bool().value_unsafe();
      return;
    case dom::element_type::INT64:
      slot.type = Type::Number;
      slot.number = static_cast<double>(e.get_int64().value_unsafe());
      return;
    case dom::element_type::UINT64:
      slot.type = Type::Number;
      slot.number = static_cast<double>(e.get_uint64().value_unsafe());
      return;
    case dom::element_type::DOUBLE:
      slot.type = Type::Number;
      slot.number = e.get_double().value_unsafe();
      return;
    case dom::element_type::STRING:
      slot.type = Type::String;
      slot.s = e.get_string().value_unsafe();
      return;
    case dom::element_type::ARRAY:
    case dom::element_type::OBJECT: slot.type = Type::Container; return;
  }
}

// Bit t: paths[t] is still being followed.
using Mask = std::uint8_t;
constexpr Mask bit(std::size_t t) { return static_cast<Mask>(1u << t); }

struct Walk {
  std::span<const Path> paths;
  Found& found;

  // Every value reached by paths[t] (t in `on`) below e, in document order, goes to slot t: the last
  // one stays. Objects are read field by field, once for all paths (simdjson's own lookup stops at
  // the first of duplicated keys). Recursion is bounded by the document's depth (<= kMaxJsonDepth).
  void visit(dom::element e, std::size_t depth, Mask on) {
    Mask deeper = 0;
    for (std::size_t t = 0; t < paths.size(); ++t) {
      if (!(on & bit(t))) continue;
      if (paths[t].size() == depth) store(e, found.slots[t]);
      else deeper |= bit(t);
    }
    if (!deeper) return;
    if (e.type() == dom::element_type::OBJECT) {
      const dom::object object = e.get_object().value_unsafe();  // named: the result is a temporary
      for (const dom::key_value_pair field : object) {
        Mask match = 0;
        for (std::size_t t = 0; t < paths.size(); ++t) {
          if ((deeper & bit(t)) && paths[t][depth] == field.key) match |= bit(t);
        }
        if (match) visit(field.value, depth + 1, match);
      }
    } else if (e.type() == dom::element_type::ARRAY) {
      std::array<std::size_t, kMaxPaths> index{};
      std::size_t last = 0;  // the highest index wanted: the rest of the array is not read
      Mask indexed = 0;
      for (std::size_t t = 0; t < paths.size(); ++t) {
        if (!(deeper & bit(t))) continue;
        index[t] = index_of(paths[t][depth]);
        if (index[t] == kNoIndex) continue;
        last = std::max(last, index[t]);
        indexed |= bit(t);
      }
      if (!indexed) return;
      const dom::array array = e.get_array().value_unsafe();
      std::size_t i = 0;
      for (const dom::element item : array) {
        Mask match = 0;
        for (std::size_t t = 0; t < paths.size(); ++t) {
          if ((indexed & bit(t)) && index[t] == i) match |= bit(t);
        }
        if (match) visit(item, depth + 1, match);
        if (i++ == last) break;
      }
    }
  }
};

// True when simdjson took the document (then the slots are filled).
bool find_fast(std::string_view payload, std::span<const Path> paths, Found& found) {
  dom::parser* parser = thread_parser(payload.size());
  if (!parser) return false;
  dom::element root;
  if (parser->parse(payload.data(), payload.size()).get(root) != simdjson::SUCCESS) return false;
  Walk{paths, found}.visit(root, 0, static_cast<Mask>(bit(paths.size()) - 1));
  return true;
}

// ---- slow: nlohmann SAX events, one pass for all paths -------------------------------------------

using json = nlohmann::json;

class PathFinder {
 public:
  PathFinder(std::span<const Path> paths, Found& found) : paths_(paths), found_(found) {
    for (std::size_t t = 0; t < paths_.size(); ++t) {
      const std::size_t n = std::min(paths_[t].size(), indexes_[t].size());
      for (std::size_t i = 0; i < n; ++i) indexes_[t][i] = index_of(paths_[t][i]);
    }
  }

  // SAX interface.
  bool null() {
    set(Type::Null, [](Slot&, std::size_t) {});
    return true;
  }
  bool boolean(bool b) {
    set(Type::Bool, [b](Slot& s, std::size_t) { s.b = b; });
    return true;
  }
  bool number_integer(json::number_integer_t v) { return number(static_cast<double>(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return number(static_cast<double>(v)); }
  bool number_float(json::number_float_t v, const json::string_t&) { return number(v); }
  bool string(json::string_t& text) {
    set(Type::String, [&](Slot& s, std::size_t t) {
      found_.strings[t] = text;
      s.s = found_.strings[t];
    });
    return true;
  }
  bool binary(json::binary_t&) {
    set(Type::Container, [](Slot&, std::size_t) {});
    return true;
  }
  bool start_object(std::size_t) { return open(false); }
  bool start_array(std::size_t) { return open(true); }
  bool key(json::string_t& k) {
    Frame& top = stack_[depth_ - 1];
    top.key_matches = 0;
    for (std::size_t t = 0; t < paths_.size(); ++t) {
      if ((top.on_path & bit(t)) && paths_[t][depth_ - 1] == k) top.key_matches |= bit(t);
    }
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    error_id_ = e.id;
    return false;
  }

  int error_id() const { return error_id_; }
  bool too_deep() const { return too_deep_; }

 private:
  static constexpr std::uint8_t bit(std::size_t t) { return static_cast<std::uint8_t>(1u << t); }
  struct Frame {  // no initializers: only frames below depth_ are live, and open() sets them
    std::uint8_t on_path;      // bit t: this container is reached by paths[t][0 .. depth-1]
    std::uint8_t key_matches;  // objects, bit t: the last key equals paths[t][depth-1]
    bool is_array;
    std::size_t index;         // arrays: index of the next element
  };

  bool number(double v) {
    set(Type::Number, [v](Slot& s, std::size_t) { s.number = v; });
    return true;
  }
  // Which paths the next value lies on. Advances the parent array's index.
  std::uint8_t child_on_path() {
    if (depth_ == 0) return static_cast<std::uint8_t>((1u << paths_.size()) - 1);
    Frame& top = stack_[depth_ - 1];
    if (!top.is_array) return top.on_path & top.key_matches;
    const std::size_t index = top.index++;
    std::uint8_t mask = 0;
    for (std::size_t t = 0; t < paths_.size(); ++t) {
      if ((top.on_path & bit(t)) && indexes_[t][depth_ - 1] == index) mask |= bit(t);
    }
    return mask;
  }
  template <typename Store>
  void set(Type type, Store&& store) {
    const std::uint8_t on = child_on_path();
    if (!on) return;
    for (std::size_t t = 0; t < paths_.size(); ++t) {
      if ((on & bit(t)) && paths_[t].size() == depth_) {
        found_.slots[t].type = type;
        store(found_.slots[t], t);
      }
    }
  }
  bool open(bool is_array) {
    const std::uint8_t on = child_on_path();
    std::uint8_t deeper = 0;
    for (std::size_t t = 0; t < paths_.size(); ++t) {
      if (!(on & bit(t))) continue;
      if (paths_[t].size() == depth_) found_.slots[t].type = Type::Container;
      else if (paths_[t].size() > depth_) deeper |= bit(t);
    }
    if (depth_ == stack_.size()) {
      too_deep_ = true;
      return false;
    }
    stack_[depth_] = Frame{deeper, 0, is_array, 0};
    ++depth_;
    return true;
  }
  bool close() {
    if (depth_ > 0) --depth_;
    return true;
  }

  std::span<const Path> paths_;
  Found& found_;
  std::array<std::array<std::size_t, kMaxJsonDepth + 1>, kMaxPaths> indexes_;  // [t][0, path size) set
  std::array<Frame, kMaxJsonDepth + 1> stack_;                                 // [0, depth_) live
  std::size_t depth_ = 0;
  int error_id_ = 0;
  bool too_deep_ = false;
};

std::optional<Reject> find_slow(std::string_view payload, std::span<const Path> paths, Found& found) {
  if (json_deeper_than(payload, kMaxJsonDepth)) return Reject::TooDeep;
  PathFinder finder(paths, found);
  bool ok = false;
  try {
    ok = json::sax_parse(payload.data(), payload.data() + payload.size(), &finder);
  } catch (...) {  // nothing in the handler throws; allocation failure is the only way here
    return Reject::NotJson;
  }
  if (ok) return std::nullopt;
  if (finder.too_deep()) return Reject::TooDeep;
  if (finder.error_id() == 406) return Reject::OutOfRange;  // "number overflow"
  return Reject::NotJson;
}

}  // namespace

std::optional<Reject> find_paths(std::string_view payload, std::span<const Path> paths, Found& found) {
  paths = paths.first(std::min(paths.size(), kMaxPaths));
  if (find_fast(payload, paths, found)) return std::nullopt;
  return find_slow(payload, paths, found);
}

}  // namespace kiosk::ingest::detail
