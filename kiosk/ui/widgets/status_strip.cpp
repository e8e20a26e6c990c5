#include "ui/widgets/status_strip.hpp"

#include <imgui.h>

#include <cstdio>

#include "ui/widgets/text.hpp"

namespace kiosk::ui {

void draw_status_strip(const FrameContext& ctx, const app::AppState& state) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetWindowPos();
  float width = ImGui::GetWindowWidth();
  float height = theme.status_height();
  ImVec2 min{origin.x, origin.y + ImGui::GetWindowHeight() - height};
  ImVec2 max{origin.x + width, min.y + height};

  char buf[160];
  std::string data_text = tr(ctx.lang, Text::NoDataYet);
  if (state.newest_data) {
    std::snprintf(buf, sizeof buf, tr(ctx.lang, Text::DataAt), core::format_hhmm(*state.newest_data).c_str());
    data_text = buf;
  }

  bool connecting = state.network_enabled && !state.link_known;
  bool online = state.network_enabled && state.link_known && state.link.connected;
  float text_y = min.y + (height - ctx.fonts.body->FontSize) * 0.5f;
  float left = min.x + theme.pad();
  if (online || connecting) {
    draw->AddRectFilled(min, max, theme.surface);
    float r = 8 * s;
    draw->AddCircleFilled({left + r, min.y + height * 0.5f}, r, online ? theme.online_dot : theme.unknown, 16);
    std::string text = std::string(tr(ctx.lang, online ? Text::Online : Text::Connecting)) + "  ·  " + data_text;
    draw_text(draw, ctx.fonts.body, {left + 2 * r + 12 * s, text_y}, theme.text_muted, text);
    ctx.layout.push_back({"status-strip", "", online ? "online" : "connecting", {min.x, min.y, width, height}});
  } else {
    draw->AddRectFilled(min, max, theme.offline_banner);
    std::string offline;
    if (state.network_enabled) {
      std::snprintf(buf, sizeof buf, tr(ctx.lang, Text::OfflineSince), core::format_hhmm(state.link.since).c_str());
      offline = buf;
    } else {
      offline = tr(ctx.lang, Text::Offline);
    }
    std::string text = state.newest_data
                           ? offline + "  —  " + tr(ctx.lang, Text::ShowingLastKnown) + "  ·  " + data_text
                           : offline + "  —  " + tr(ctx.lang, Text::OfflineNoData);
    draw_text(draw, ctx.fonts.strong, {left, min.y + (height - ctx.fonts.strong->FontSize) * 0.5f}, theme.text,
              fit_text(ctx.fonts.strong, text, width - 2 * theme.pad()));
    ctx.layout.push_back({"offline-banner", "", "offline", {min.x, min.y, width, height}});
  }

  // Staff notices (a recovered snapshot...) sit at the right end of the strip, muted.
  if (!state.notices.empty()) {
    const std::string& notice = state.notices.back();
    std::string fitted = fit_text(ctx.fonts.body, notice, width * 0.4f);
    float w = text_size(ctx.fonts.body, fitted).x;
    draw_text(draw, ctx.fonts.body, {max.x - theme.pad() - w, text_y}, online ? theme.text_muted : theme.text, fitted);
  }
}

}  // namespace kiosk::ui
