#include "core/labels.hpp"

#include <cstdint>

namespace kiosk::core {

void Labels::set(std::string language, std::string text) {
  for (auto& [lang, value] : entries_) {
    if (lang == language) {
      value = std::move(text);
      return;
    }
  }
  entries_.emplace_back(std::move(language), std::move(text));
}

namespace {
std::string_view primary(std::string_view tag) { return tag.substr(0, tag.find_first_of("-_")); }
const std::string kEmpty;
}  // namespace

const std::string& Labels::pick(std::string_view language) const {
  if (entries_.empty()) return kEmpty;
  for (const auto& [lang, text] : entries_)
    if (lang == language) return text;
  for (const auto& [lang, text] : entries_)
    if (primary(lang) == primary(language)) return text;
  for (const auto& [lang, text] : entries_)
    if (primary(lang) == "en") return text;
  return entries_.front().second;
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
