// IMDF LABELS: one text per BCP-47 language tag, e.g. {"en": "Room 2.14", "fr": "Salle 2.14"}.
//
// A venue of 10,000 rooms holds tens of thousands of these, and the same names are copied into the
// spaces of the board, the places of the directory and every space's floor name. So Labels is a
// handle (one pointer) on one immutable block, shared by its copies: a copy costs no allocation, and
// thousands of "Étage 1" floor names are one block. The block holds the texts as strings (pick()
// hands out a std::string) and the language tags packed after them: 96 bytes for two entries, where
// a vector of two string pairs took 168. set() gives the handle a block of its own (copy on write).
// Copies may be made and dropped on different threads (the count is atomic).
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::core {

class Labels {
  struct Block;

 public:
  using Entry = std::pair<std::string, std::string>;  // language tag, text: what Labels are made from
  // One entry as read back: `first` the language tag, `second` the text.
  struct EntryView {
    std::string_view first;
    const std::string& second;
  };

  // The entries in insertion order, as a read-only range (valid while this Labels is neither
  // modified nor destroyed).
  class Entries {
   public:
    class iterator {
     public:
      using iterator_category = std::forward_iterator_tag;
      using value_type = EntryView;
      using difference_type = std::ptrdiff_t;
      using pointer = void;
      using reference = EntryView;
      iterator(const Entries* range, std::size_t i) : range_(range), i_(i) {}
      EntryView operator*() const { return (*range_)[i_]; }
      iterator& operator++() {
        ++i_;
        return *this;
      }
      iterator operator++(int) {
        iterator old = *this;
        ++i_;
        return old;
      }
      bool operator==(const iterator& other) const { return i_ == other.i_; }
      bool operator!=(const iterator& other) const { return i_ != other.i_; }

     private:
      const Entries* range_;
      std::size_t i_;
    };

    explicit Entries(const Block* block) : block_(block) {}
    iterator begin() const { return {this, 0}; }
    iterator end() const { return {this, size()}; }
    std::size_t size() const;
    bool empty() const { return size() == 0; }
    EntryView operator[](std::size_t i) const;
    EntryView at(std::size_t i) const;  // throws std::out_of_range
    EntryView front() const { return (*this)[0]; }

   private:
    const Block* block_;
  };

  Labels() = default;
  Labels(std::initializer_list<Entry> entries);
  Labels(const Labels& other) noexcept;
  Labels(Labels&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  Labels& operator=(const Labels& other) noexcept;
  Labels& operator=(Labels&& other) noexcept;
  ~Labels();

  void set(std::string language, std::string text);
  bool empty() const { return block_ == nullptr; }
  Entries entries() const { return Entries(block_); }

  // Best text for `language`: exact tag, then same primary language ("fr" ~ "fr-FR"), then English,
  // then the first one present. Empty string when there is none.
  const std::string& pick(std::string_view language) const;

  // True when both hold the very same block (a copy that was not modified since): for tests and
  // for callers that want to know that a name is shared rather than duplicated.
  bool shares_with(const Labels& other) const { return block_ != nullptr && block_ == other.block_; }

 private:
  friend class LabelsPool;
  // A block holding `count` entries: the texts taken (moved) from `texts`, the tags copied.
  static Block* make(std::size_t count, const std::string_view* tags, std::string* texts);
  static Labels copy_of(const Labels& other);  // the same entries in a block of its own
  void release() noexcept;

  Block* block_ = nullptr;
};

// One shared Labels per distinct content (same entries in the same order): the names of a venue,
// its spaces and its directory become one block each, allocated by whoever calls intern() (on a
// panel: the loader thread, next to the rest of what the panel keeps, rather than among the pages of
// the parsed map). The pool keeps one handle per content; dropping the pool keeps the blocks that are
// held elsewhere. Not thread-safe: one pool per build.
class LabelsPool {
 public:
  explicit LabelsPool(std::size_t expected = 0);
  // An equal Labels that shares its block with every equal one interned here. The first of each
  // content is copied into a block of the pool's own, so `labels`' own block is never kept.
  Labels intern(const Labels& labels);
  std::size_t size() const { return used_; }

 private:
  static std::size_t hash(const Labels& labels);
  static bool same(const Labels& a, const Labels& b);
  void grow();

  std::vector<Labels> slots_;  // open addressing, linear probing; empty Labels = free slot
  std::size_t used_ = 0;
};

// Lower-case, accents removed, runs of spaces/punctuation folded to one space: "Salle Œuvre-Été"
// and "salle oeuvre ete" compare equal. For search and for naming spaces in config files.
std::string fold_for_search(std::string_view utf8);

}  // namespace kiosk::core
