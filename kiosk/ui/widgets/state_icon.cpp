#include "ui/widgets/state_icon.hpp"

#include "ui/widgets/text.hpp"

namespace kiosk::ui {

void draw_state_icon(ImDrawList* draw, const Theme& theme, const Fonts& fonts, ImVec2 centre, float radius,
                     core::Availability availability) {
  ImU32 colour = theme.state_colour(availability);
  float stroke = radius * 0.22f;
  switch (availability) {
    case core::Availability::Free: {
      draw->AddCircleFilled(centre, radius, colour, 24);
      ImVec2 points[3] = {{centre.x - radius * 0.45f, centre.y + radius * 0.02f},
                          {centre.x - radius * 0.12f, centre.y + radius * 0.35f},
                          {centre.x + radius * 0.48f, centre.y - radius * 0.32f}};
      draw->AddPolyline(points, 3, theme.background, 0, stroke);
      break;
    }
    case core::Availability::Occupied:
      draw->AddCircleFilled(centre, radius, colour, 24);
      draw->AddRectFilled({centre.x - radius * 0.5f, centre.y - stroke * 0.5f},
                          {centre.x + radius * 0.5f, centre.y + stroke * 0.5f}, theme.background);
      break;
    case core::Availability::Unknown: {
      draw->AddCircle(centre, radius - stroke * 0.5f, colour, 24, stroke);
      ImFont* font = fonts.body;
      ImVec2 size = text_size(font, "?");
      draw_text(draw, font, {centre.x - size.x * 0.5f, centre.y - size.y * 0.5f}, colour, "?");
      break;
    }
  }
}

}  // namespace kiosk::ui
