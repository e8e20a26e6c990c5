#include "ui/widgets/text.hpp"

namespace kiosk::ui {

ImVec2 text_size(ImFont* font, std::string_view text) {
  return font->CalcTextSizeA(font->FontSize, 1e9f, 0, text.data(), text.data() + text.size());
}

void draw_text(ImDrawList* draw, ImFont* font, ImVec2 pos, ImU32 colour, std::string_view text) {
  draw->AddText(font, font->FontSize, pos, colour, text.data(), text.data() + text.size());
}

std::string fit_text(ImFont* font, std::string_view text, float max_width) {
  if (text_size(font, text).x <= max_width) return std::string(text);
  static constexpr std::string_view kEllipsis = "…";
  float budget = max_width - text_size(font, kEllipsis).x;
  std::size_t end = text.size();
  while (end > 0) {
    // step back one UTF-8 code point
    do {
      --end;
    } while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80);
    if (text_size(font, text.substr(0, end)).x <= budget) break;
  }
  while (end > 0 && text[end - 1] == ' ') --end;
  return std::string(text.substr(0, end)) + std::string(kEllipsis);
}

}  // namespace kiosk::ui
