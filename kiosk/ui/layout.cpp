#include "ui/layout.hpp"

#include <cstdio>

namespace kiosk::ui {

namespace {
// Ids and names come from our own files, but escape anyway: this is JSON others will parse.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string layout_to_json(const Layout& layout) {
  std::string out = "[\n";
  for (std::size_t i = 0; i < layout.size(); ++i) {
    const LayoutItem& item = layout[i];
    char rect[128];
    std::snprintf(rect, sizeof rect, "\"x\": %.1f, \"y\": %.1f, \"w\": %.1f, \"h\": %.1f", item.rect.x, item.rect.y,
                  item.rect.w, item.rect.h);
    out += "  {\"kind\": " + quoted(item.kind) + ", \"id\": " + quoted(item.id) + ", \"state\": " +
           quoted(item.state) + ", " + rect + "}";
    out += i + 1 < layout.size() ? ",\n" : "\n";
  }
  return out + "]\n";
}

}  // namespace kiosk::ui
