// A QR code of a text (the route's address), drawn as dark modules on a white square with the
// quiet zone the standard asks for, so phones read it from a lit screen.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

namespace kiosk::ui {

class QrImage {
 public:
  // Encodes once per text change (qrcodegen, medium error correction). False if the text is too long.
  bool set_text(const std::string& text);
  int size() const { return size_; }  // modules per side, 0 when empty
  bool module(int x, int y) const { return modules_[static_cast<std::size_t>(y * size_ + x)]; }
  // Draws into [min, min + side] (square), quiet zone included.
  void draw(ImDrawList* draw, ImVec2 min, float side) const;

 private:
  std::string text_;
  int size_ = 0;
  std::vector<bool> modules_;
};

}  // namespace kiosk::ui
