// One level of the floor plan drawn into a rectangle: units filled by live state with the state's
// icon as the second cue, walls and doors, names that never collide, amenity icons, "you are here"
// with the way the viewer faces, and optionally a route's path. The map is turned forward-up: the
// direction the viewer faces (the panel's heading) points to the top of the screen.
#pragma once
#include <imgui.h>

#include <cstdint>
#include <vector>

#include "app/app_state.hpp"
#include "ui/frame_context.hpp"
#include "wayfinding/floor_plan.hpp"
#include "wayfinding/route.hpp"

namespace kiosk::ui {

// World metres <-> screen pixels: scale, then the heading's rotation, then the pan.
class MapView {
 public:
  MapView() = default;
  // Fits `box` (turned by heading_deg) into [min, max] with a margin, then zooms about the centre and pans.
  MapView(const wayfinding::Box& box, double heading_deg, ImVec2 min, ImVec2 max, float zoom = 1, ImVec2 pan = {});
  ImVec2 to_screen(wayfinding::Vec2 p) const;
  wayfinding::Vec2 to_world(ImVec2 s) const;
  float pixels_per_metre() const { return scale_; }
  // The screen direction of a compass bearing (degrees clockwise from north), unit length.
  ImVec2 screen_direction(double bearing_deg) const;

 private:
  float scale_ = 1, cos_ = 1, sin_ = 0;
  wayfinding::Vec2 centre_world_;
  ImVec2 centre_screen_;
};

struct MapLayer {
  std::uint32_t level = 0;                               // index into plan.levels
  const std::vector<core::SpaceStatus>* unit_status = nullptr;  // per venue unit; Unknown where not a space
  const std::vector<bool>* is_space = nullptr;           // per venue unit: a live space of the board
  std::uint32_t highlight_unit = wayfinding::kNone;      // selected or destination: outlined
  const wayfinding::Route* route = nullptr;              // the path to draw on this level, if any
  float route_progress = 1;                              // 0..1 of the path drawn (animation)
  bool labels = true;
};

// Draws into `draw` clipped to [min, max]. Returns the number of labels placed (tests use it).
int draw_map(const FrameContext& ctx, ImDrawList* draw, const app::Wayfinder& wayfinder, const MapView& view,
             const MapLayer& layer, ImVec2 min, ImVec2 max);

// The unit under a screen point on `level`, or kNone.
std::uint32_t unit_at(const app::Wayfinder& wayfinder, std::uint32_t level, wayfinding::Vec2 world);

// A small vector icon for an amenity category (toilets, lift, stairs, reception/information), or
// nothing for categories without one. Returns whether it drew.
bool draw_amenity_icon(ImDrawList* draw, const Theme& theme, const Fonts& fonts, ImVec2 centre, float radius,
                       std::string_view category);

}  // namespace kiosk::ui
