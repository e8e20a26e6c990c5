#include "ui/widgets/qr_code.hpp"

#include <qrcodegen/qrcodegen.hpp>

#include <cmath>

namespace kiosk::ui {

bool QrImage::set_text(const std::string& text) {
  if (text == text_ && (size_ > 0 || text.empty())) return size_ > 0;
  text_ = text;
  size_ = 0;
  modules_.clear();
  if (text.empty()) return false;
  try {
    auto qr = qrcodegen::QrCode::encodeText(text.c_str(), qrcodegen::QrCode::Ecc::MEDIUM);
    size_ = qr.getSize();
    modules_.resize(static_cast<std::size_t>(size_ * size_));
    for (int y = 0; y < size_; ++y)
      for (int x = 0; x < size_; ++x) modules_[static_cast<std::size_t>(y * size_ + x)] = qr.getModule(x, y);
  } catch (const qrcodegen::data_too_long&) {
    return false;
  }
  return true;
}

void QrImage::draw(ImDrawList* draw, ImVec2 min, float side) const {
  if (size_ == 0) return;
  constexpr int kQuiet = 4;  // modules of white around the code (ISO/IEC 18004)
  // Whole pixels per module: a blurred edge between modules costs phones their read.
  const float cell = std::floor(side / static_cast<float>(size_ + 2 * kQuiet));
  const float used = cell * static_cast<float>(size_ + 2 * kQuiet);
  ImVec2 origin{std::floor(min.x + (side - used) * 0.5f), std::floor(min.y + (side - used) * 0.5f)};
  draw->AddRectFilled(origin, {origin.x + used, origin.y + used}, IM_COL32_WHITE);
  for (int y = 0; y < size_; ++y)
    for (int x = 0; x < size_; ++x) {
      if (!module(x, y)) continue;
      ImVec2 a{origin.x + static_cast<float>(x + kQuiet) * cell, origin.y + static_cast<float>(y + kQuiet) * cell};
      draw->AddRectFilled(a, {a.x + cell, a.y + cell}, IM_COL32_BLACK);
    }
}

}  // namespace kiosk::ui
