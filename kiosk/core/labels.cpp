#include "core/labels.hpp"

#include <atomic>
#include <cstdint>
#include <new>
#include <stdexcept>

namespace kiosk::core {

// One allocation: a header, then `count` texts (std::string, so that pick() can hand one out), then
// the end offset of each language tag, then the tags' characters back to back.
struct Labels::Block {
  std::atomic<std::uint32_t> refs{1};
  std::uint32_t count = 0;
  std::string* texts() { return reinterpret_cast<std::string*>(this + 1); }
  const std::string* texts() const { return reinterpret_cast<const std::string*>(this + 1); }
  const std::uint32_t* tag_ends() const { return reinterpret_cast<const std::uint32_t*>(texts() + count); }
  std::uint32_t* tag_ends() { return reinterpret_cast<std::uint32_t*>(texts() + count); }
  const char* tag_chars() const { return reinterpret_cast<const char*>(tag_ends() + count); }
  std::string_view tag(std::size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : tag_ends()[i - 1];
    return {tag_chars() + begin, tag_ends()[i] - begin};
  }
};

Labels::Block* Labels::make(std::size_t count, const std::string_view* tags, std::string* texts) {
  static_assert(sizeof(Block) % alignof(std::string) == 0, "texts follow the header, aligned");
  std::size_t tag_bytes = 0;
  for (std::size_t i = 0; i < count; ++i) tag_bytes += tags[i].size();
  void* memory = ::operator new(sizeof(Block) + count * (sizeof(std::string) + sizeof(std::uint32_t)) + tag_bytes);
  Block* block = new (memory) Block;
  block->count = static_cast<std::uint32_t>(count);
  // Moving a std::string never throws, so nothing below can fail half-way.
  for (std::size_t i = 0; i < count; ++i) new (block->texts() + i) std::string(std::move(texts[i]));
  char* chars = const_cast<char*>(block->tag_chars());
  std::uint32_t end = 0;
  for (std::size_t i = 0; i < count; ++i) {
    tags[i].copy(chars + end, tags[i].size());
    end += static_cast<std::uint32_t>(tags[i].size());
    block->tag_ends()[i] = end;
  }
  return block;
}

void Labels::release() noexcept {
  if (!block_) return;
  if (block_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    for (std::uint32_t i = 0; i < block_->count; ++i) block_->texts()[i].~basic_string();
    block_->~Block();
    ::operator delete(block_);
  }
  block_ = nullptr;
}

Labels::Labels(std::initializer_list<Entry> entries) {
  if (entries.size() == 0) return;
  std::vector<std::string_view> tags;
  std::vector<std::string> texts;
  for (const Entry& entry : entries) {
    tags.push_back(entry.first);
    texts.push_back(entry.second);
  }
  block_ = make(entries.size(), tags.data(), texts.data());
}

Labels Labels::copy_of(const Labels& other) {
  Labels out;
  if (!other.block_) return out;
  const std::size_t n = other.block_->count;
  std::vector<std::string_view> tags(n);
  std::vector<std::string> texts(n);
  for (std::size_t i = 0; i < n; ++i) {
    tags[i] = other.block_->tag(i);
    texts[i] = other.block_->texts()[i];
  }
  out.block_ = make(n, tags.data(), texts.data());
  return out;
}

Labels::Labels(const Labels& other) noexcept : block_(other.block_) {
  if (block_) block_->refs.fetch_add(1, std::memory_order_relaxed);
}

Labels& Labels::operator=(const Labels& other) noexcept {
  Block* block = other.block_;  // before release(): `other` may be *this
  if (block) block->refs.fetch_add(1, std::memory_order_relaxed);
  release();
  block_ = block;
  return *this;
}

Labels& Labels::operator=(Labels&& other) noexcept {
  if (this != &other) {
    release();
    block_ = std::exchange(other.block_, nullptr);
  }
  return *this;
}

Labels::~Labels() { release(); }

std::size_t Labels::Entries::size() const { return block_ ? block_->count : 0; }

Labels::EntryView Labels::Entries::operator[](std::size_t i) const { return {block_->tag(i), block_->texts()[i]}; }

Labels::EntryView Labels::Entries::at(std::size_t i) const {
  if (i >= size()) throw std::out_of_range("Labels::Entries::at");
  return (*this)[i];
}

void Labels::set(std::string language, std::string text) {
  const std::size_t count = block_ ? block_->count : 0;
  std::size_t at = count;
  for (std::size_t i = 0; i < count; ++i)
    if (block_->tag(i) == language) {
      at = i;
      break;
    }
  if (at < count && block_->refs.load(std::memory_order_acquire) == 1) {
    block_->texts()[at] = std::move(text);  // the sole owner may change its own block's text
    return;
  }
  // A new block: the entries so far (moved out when nobody else holds them), with the change.
  const bool sole = block_ && block_->refs.load(std::memory_order_acquire) == 1;
  const std::size_t n = at < count ? count : count + 1;
  std::vector<std::string_view> tags(n);
  std::vector<std::string> texts(n);
  for (std::size_t i = 0; i < count; ++i) {
    tags[i] = block_->tag(i);  // stays valid until the old block is released, after make()
    texts[i] = sole ? std::move(block_->texts()[i]) : block_->texts()[i];
  }
  if (at == count) tags[at] = language;
  texts[at] = std::move(text);
  Block* fresh = make(n, tags.data(), texts.data());
  release();
  block_ = fresh;
}

LabelsPool::LabelsPool(std::size_t expected) {
  std::size_t capacity = 64;
  while (capacity < expected * 2) capacity *= 2;
  slots_.resize(capacity);
}

std::size_t LabelsPool::hash(const Labels& labels) {
  std::size_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // separator: ("ab","c") is not ("a","bc")
  };
  for (const auto& [lang, text] : labels.entries()) {
    mix(lang);
    mix(text);
  }
  return h;
}

bool LabelsPool::same(const Labels& a, const Labels& b) {
  const Labels::Entries x = a.entries(), y = b.entries();
  if (x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x[i].first != y[i].first || x[i].second != y[i].second) return false;
  return true;
}

void LabelsPool::grow() {
  std::vector<Labels> old(slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (Labels& labels : old) {
    if (labels.empty()) continue;
    std::size_t i = hash(labels) & mask;
    while (!slots_[i].empty()) i = (i + 1) & mask;
    slots_[i] = std::move(labels);
  }
}

Labels LabelsPool::intern(const Labels& labels) {
  if (labels.empty()) return {};
  if ((used_ + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash(labels) & mask;
  for (; !slots_[i].empty(); i = (i + 1) & mask)
    if (same(slots_[i], labels)) return slots_[i];
  Labels fresh = Labels::copy_of(labels);  // a block of its own, never `labels`' own
  slots_[i] = fresh;
  ++used_;
  return fresh;
}

namespace {
std::string_view primary(std::string_view tag) { return tag.substr(0, tag.find_first_of("-_")); }
const std::string kEmpty;
}  // namespace

const std::string& Labels::pick(std::string_view language) const {
  if (!block_) return kEmpty;
  const Block& b = *block_;
  for (std::size_t i = 0; i < b.count; ++i)
    if (b.tag(i) == language) return b.texts()[i];
  for (std::size_t i = 0; i < b.count; ++i)
    if (primary(b.tag(i)) == primary(language)) return b.texts()[i];
  for (std::size_t i = 0; i < b.count; ++i)
    if (primary(b.tag(i)) == "en") return b.texts()[i];
  return b.texts()[0];
}

namespace {

// Decodes one UTF-8 code point; invalid bytes come back as U+FFFD and advance by one.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) return s[i++];
  int extra = (b0 & 0xE0) == 0xC0 ? 1 : (b0 & 0xF0) == 0xE0 ? 2 : (b0 & 0xF8) == 0xF0 ? 3 : -1;
  if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size()) {
    ++i;
    return U'\uFFFD';
  }
  char32_t cp = b0 & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return U'\uFFFD';
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += extra + 1;
  return cp;
}

// Base letters for U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A), lower case.
// '\0' = not a letter we fold; multi-letter ligatures are handled apart.
constexpr char kLatinFold[] =
    "aaaaaaaceeeeiiii"  // C0-CF
    "dnooooo\0ouuuuyts"  // D0-DF (D7 is ×, DE þ->t, DF ß handled apart)
    "aaaaaaaceeeeiiii"  // E0-EF
    "dnooooo\0ouuuuyty"  // F0-FF
    "aaaaaaccccccccdd"  // 100-10F
    "ddeeeeeeeeeegggg"  // 110-11F
    "gggghhhhiiiiiiii"  // 120-12F
    "iiiijjkkklllllll"  // 130-13F
    "lllnnnnnnnnnoooo"  // 140-14F
    "oooorrrrrrssssss"  // 150-15F
    "ssttttttuuuuuuuu"  // 160-16F
    "uuuuwwyyyzzzzzzs";  // 170-17F

}  // namespace

std::string fold_for_search(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  auto emit = [&](std::string_view letters) {
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.append(letters);
  };
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t cp = next_code_point(utf8, i);
    if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        emit(std::string_view(&c, 1));
      } else {
        pending_space = true;
      }
      continue;
    }
    switch (cp) {
      case U'Œ': case U'œ': emit("oe"); continue;
      case U'Æ': case U'æ': emit("ae"); continue;
      case U'ß': emit("ss"); continue;
      default: break;
    }
    if (cp >= 0xC0 && cp <= 0x17F && kLatinFold[cp - 0xC0] != '\0') {
      emit(std::string_view(&kLatinFold[cp - 0xC0], 1));
    } else if (cp == 0x2019 || cp == 0x2018) {
      // typographic apostrophes fold like ASCII punctuation
      pending_space = true;
    } else if (cp >= 0x80 && cp != U'\uFFFD' && !(cp >= 0x2000 && cp <= 0x206F)) {
      // other scripts: keep the code point as is, so names in them still match themselves
      if (pending_space && !out.empty()) out.push_back(' ');
      pending_space = false;
      std::size_t len = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      std::size_t start = i - len;
      out.append(utf8.substr(start, len));
    } else {
      pending_space = true;
    }
  }
  return out;
}

}  // namespace kiosk::core
