#include "ui/screens/admin.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "ui/screens/map.hpp"
#include "ui/widgets/header.hpp"
#include "ui/widgets/status_strip.hpp"
#include "ui/widgets/text.hpp"

namespace kiosk::ui {

namespace {

// Staff read this in English or French like the rest; the reason names are the metrics topic's keys.
struct Line {
  std::string label, value;
  bool alarm = false;
};

std::string number(std::uint64_t n) { return std::to_string(n); }

std::string age(core::TimePoint now, core::TimePoint then) {
  long long s = std::chrono::duration_cast<std::chrono::seconds>(now - then).count();
  if (s < 0) s = 0;
  char buf[32];
  if (s < 120) std::snprintf(buf, sizeof buf, "%lld s", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%lld min", s / 60);
  else std::snprintf(buf, sizeof buf, "%lld h", s / 3600);
  return buf;
}

void draw_block(const FrameContext& ctx, ImDrawList* draw, ImVec2 min, float width, const char* title,
                const std::vector<Line>& lines) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  draw_text(draw, ctx.fonts.strong, min, theme.text, title);
  float y = min.y + ctx.fonts.strong->FontSize + 10 * s;
  for (const Line& line : lines) {
    if (line.value.empty() && text_size(ctx.fonts.body, line.label).x > width) {
      // A message (a storage problem, a notice): wrapped at words, four lines at most, so staff read
      // the cause and the fix, not its first words.
      std::string rest = line.label;
      for (int row = 0; row < 4 && !rest.empty(); ++row) {
        std::size_t cut = rest.size();
        while (cut > 0 && text_size(ctx.fonts.body, std::string_view(rest).substr(0, cut)).x > width) {
          const std::size_t space = rest.rfind(' ', cut - 1);
          cut = space == std::string::npos || space == 0 ? cut - 1 : space;
        }
        if (cut == 0) cut = 1;
        std::string shown = row == 3 ? fit_text(ctx.fonts.body, rest, width) : rest.substr(0, cut);
        draw_text(draw, ctx.fonts.body, {min.x, y}, line.alarm ? theme.occupied : theme.text_muted, shown);
        ctx.layout.push_back({"admin-line", shown, "", {min.x, y, width, ctx.fonts.body->FontSize}});
        y += ctx.fonts.body->FontSize + 4 * s;
        rest = cut < rest.size() ? rest.substr(cut + (rest[cut] == ' ' ? 1 : 0)) : std::string();
      }
      y += 6 * s;
      continue;
    }
    // The value first (numbers, driver names), the label in what is left.
    const std::string value = fit_text(ctx.fonts.body, line.value, width * 0.6f);
    ImVec2 size = text_size(ctx.fonts.body, value);
    const float label_room = line.value.empty() ? width : std::min(width * 0.55f, width - size.x - 16 * s);
    draw_text(draw, ctx.fonts.body, {min.x, y}, theme.text_muted, fit_text(ctx.fonts.body, line.label, label_room));
    draw_text(draw, ctx.fonts.body, {min.x + width - size.x, y}, line.alarm ? theme.occupied : theme.text, value);
    ctx.layout.push_back({"admin-line", line.label, line.value, {min.x, y, width, ctx.fonts.body->FontSize}});
    y += ctx.fonts.body->FontSize + 10 * s;
  }
}

}  // namespace

void AdminScreen::draw(const FrameContext& ctx, app::AppState& state) {
  const Theme& theme = ctx.theme;
  const float s = theme.scale;
  const bool en = ctx.lang == Lang::En;
  draw_screen_header(ctx, state, en ? "Panel status (staff)" : "État du panneau (personnel)");
  draw_status_strip(ctx, state);
  // Counters move without the state's revision changing: frames keep coming while this view is shown
  // (the animation rate; staff look at it briefly, and the idle timeout closes it).
  state.animate_until = ctx.now + std::chrono::seconds(1);
  const app::IngestFigures& f = state.figures;
  if (last_at_ != core::TimePoint{} && ctx.now - last_at_ >= std::chrono::seconds(1)) {
    rate_ = static_cast<double>(f.received - last_received_) /
            std::chrono::duration<double>(ctx.now - last_at_).count();
  }
  if (last_at_ == core::TimePoint{} || ctx.now - last_at_ >= std::chrono::seconds(1)) {
    last_received_ = f.received;
    last_at_ = ctx.now;
  }

  const ImVec2 win = ImGui::GetWindowPos();
  const float width = ImGui::GetWindowWidth();
  const float top = win.y + theme.header_height() + theme.gap();
  const float col_w = (width - 2 * theme.pad() - 2 * theme.gap() * 2) / 3;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  char buf[64];

  std::vector<Line> messages = {
      {en ? "Received" : "Reçus", number(f.received)},
      {en ? "Messages per second" : "Messages par seconde", (std::snprintf(buf, sizeof buf, "%.1f", rate_), buf)},
      {en ? "Decoded and delivered" : "Décodés et livrés", number(f.delivered)},
      {en ? "Rejected" : "Rejetés", number(f.rejected), f.rejected > 0},
  };
  for (std::size_t r = 0; r < ingest::kRejectCount; ++r)
    if (f.rejected_by_reason[r] > 0)
      messages.push_back({"  · " + std::string(ingest::to_string(static_cast<ingest::Reject>(r))),
                          number(f.rejected_by_reason[r]), true});
  messages.push_back({en ? "Topic of no binding" : "Sujet sans liaison", number(f.unmatched_topic)});
  messages.push_back({en ? "Unknown space" : "Espace inconnu", number(f.unknown_space), f.unknown_space > 0});
  messages.push_back({en ? "Dropped (superseded)" : "Remplacés avant affichage", number(f.superseded)});
  draw_block(ctx, draw, {win.x + theme.pad(), top}, col_w, "MQTT", messages);

  std::vector<Line> link = {
      {en ? "Broker" : "Broker", state.link.broker.empty() ? "—" : state.link.broker},
      {en ? "Connected" : "Connecté", state.link.connected ? (en ? "yes" : "oui") : (en ? "no" : "non"), !state.link.connected},
      {en ? "Since" : "Depuis", state.link.since == core::TimePoint{} ? "—" : age(ctx.now, state.link.since)},
      {en ? "Newest data" : "Donnée la plus récente", state.newest_data ? age(ctx.now, *state.newest_data) : "—"},
  };
  if (!state.link.error.empty()) link.push_back({en ? "Last error" : "Dernière erreur", state.link.error, true});
  link.push_back({en ? "Snapshot commits" : "Écritures de l’instantané", number(f.store_commits)});
  link.push_back({en ? "Snapshot errors" : "Erreurs de l’instantané", number(f.store_errors), f.store_errors > 0});
  const app::AppState::Storage& storage = state.storage;
  link.push_back({en ? "State saved" : "État enregistré",
                  storage.ok ? (en ? "yes" : "oui")
                             : std::string(en ? "no, since " : "non, depuis ") + core::format_hhmm(storage.since),
                  !storage.ok});
  if (!storage.ok) link.push_back({storage.problem, "", true});
  if (!storage.note.empty()) link.push_back({storage.note, "", false});
  draw_block(ctx, draw, {win.x + theme.pad() + col_w + 2 * theme.gap(), top}, col_w, en ? "Link and storage" : "Lien et stockage",
             link);

  std::vector<Line> panel = {
      {en ? "Panel" : "Panneau", state.panel_id},
      {en ? "Kiosk" : "Borne", state.kiosk_id},
      {en ? "Config hash" : "Empreinte de la config", state.config_hash},
      {en ? "Spaces" : "Espaces", number(state.spaces.size())},
  };
  if (state.wayfinder) {
    panel.push_back({en ? "Levels" : "Niveaux", number(state.wayfinder->plan.levels.size())});
    panel.push_back({en ? "Map problems (kiosk check)" : "Problèmes du plan (kiosk check)",
                     number(state.wayfinder->problems.size()), !state.wayfinder->problems.empty()});
  }
  const app::DisplayInfo& display = state.display;
  panel.push_back({en ? "Graphics" : "Graphisme", display.api.empty() ? "—" : display.api + " · " + display.redraw});
  panel.push_back({en ? "GPU driver" : "Pilote graphique", display.renderer.empty() ? "—" : display.renderer});
  if (!state.display.problem.empty()) panel.push_back({state.display.problem, "", true});
  for (const std::string& notice : state.notices) panel.push_back({notice, "", true});
  draw_block(ctx, draw, {win.x + theme.pad() + 2 * (col_w + 2 * theme.gap()), top}, col_w, en ? "Panel" : "Panneau", panel);

  const float button_w = 260 * s, button_h = 64 * s;
  ImVec2 back{win.x + width - theme.pad() - button_w, win.y + ImGui::GetWindowHeight() - theme.status_height() - theme.gap() - button_h};
  if (touch_button(ctx, "back", back, {button_w, button_h}, std::string("←  ") + tr(ctx.lang, Text::Back), false)) {
    state.screen = state.home_screen;
    ++state.revision;
  }
  ctx.layout.push_back({"admin", "", "", {win.x, top, width, back.y - top}});
}

}  // namespace kiosk::ui
