#include "ui/theme.hpp"

#include <imgui_freetype.h>

#include <algorithm>
#include <array>
#include <filesystem>

namespace kiosk::ui {

Theme make_theme(float width, float height) {
  Theme theme;
  theme.scale = std::max(0.4f, std::min(width, height) / 1080.0f);
  return theme;
}

namespace {

// Basic Latin + Latin-1, Œ œ, en/em dashes, typographic quotes, bullet, ellipsis, euro, arrows, ≥.
constexpr ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF, 0x0152, 0x0153, 0x0178, 0x0178, 0x2013, 0x2014, 0x2018, 0x201E,
    0x2022, 0x2022, 0x2026, 0x2026, 0x20AC, 0x20AC, 0x2190, 0x2193, 0x2265, 0x2265, 0,
};

constexpr ImWchar kSymbolGlyphs[] = {0x2190, 0x2193, 0x2265, 0x2265, 0};
constexpr const char* kSymbolsFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// The clock's big font only ever shows "14:02": rasterising a whole alphabet at 60 px would cost
// start-up time and atlas memory for nothing.
constexpr ImWchar kClockGlyphs[] = {0x0020, 0x0020, 0x0030, 0x003A, 0};

struct FontFiles {
  const char* regular;
  const char* bold;
};
constexpr std::array<FontFiles, 3> kCandidates{{
    {"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"},
    {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"},
    {"/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"},
}};

}  // namespace

bool load_fonts(const Theme& theme, Fonts& fonts, std::string* error) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  for (const FontFiles& files : kCandidates) {
    if (!std::filesystem::exists(files.regular)) continue;
    const char* bold = std::filesystem::exists(files.bold) ? files.bold : files.regular;
    ImFontConfig config;
    config.OversampleH = 1;  // FreeType hints well; oversampling only costs atlas memory
    auto add = [&](const char* file, float px, const ImWchar* glyphs = kGlyphRanges) {
      ImFont* font = io.Fonts->AddFontFromFileTTF(file, px * theme.scale, &config, glyphs);
      // Noto Sans has no arrows nor ≥: DejaVu Sans lends them, merged into the same font.
      if (font && glyphs == kGlyphRanges && std::filesystem::exists(kSymbolsFont)) {
        ImFontConfig merge = config;
        merge.MergeMode = true;
        io.Fonts->AddFontFromFileTTF(kSymbolsFont, px * theme.scale, &merge, kSymbolGlyphs);
      }
      return font;
    };
    fonts.small = add(files.regular, 19);
    fonts.small_strong = add(bold, 19);
    fonts.body = add(files.regular, 24);
    fonts.strong = add(bold, 30);
    fonts.title = add(bold, 40);
    fonts.clock = add(bold, 60, kClockGlyphs);
    if (fonts.small && fonts.small_strong && fonts.body && fonts.strong && fonts.title && fonts.clock) {
      io.FontDefault = fonts.body;
      return true;
    }
    io.Fonts->Clear();
  }
  if (error) *error = "no Noto Sans or DejaVu Sans font found; install fonts-noto-core (scripts/setup does)";
  fonts.small = fonts.small_strong = fonts.body = fonts.strong = fonts.title = fonts.clock = io.Fonts->AddFontDefault();
  return false;
}

void apply_style(const Theme& theme) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  ImGui::StyleColorsDark(&style);
  style.WindowPadding = ImVec2(0, 0);
  style.WindowBorderSize = 0;
  style.WindowRounding = 0;
  style.FrameRounding = theme.rounding() * 0.5f;
  style.ItemSpacing = ImVec2(theme.gap(), theme.gap());
  style.ScrollbarSize = 10 * theme.scale;
  style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(theme.background);
  style.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(theme.text);
  style.Colors[ImGuiCol_Button] = ImGui::ColorConvertU32ToFloat4(theme.surface_raised);
  style.Colors[ImGuiCol_ButtonHovered] = ImGui::ColorConvertU32ToFloat4(theme.surface_raised);
  style.Colors[ImGuiCol_ButtonActive] = ImGui::ColorConvertU32ToFloat4(theme.accent);
}

}  // namespace kiosk::ui
