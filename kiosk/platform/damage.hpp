// Damage tracking: which parts of the screen a frame changes, read from what ImGui is about to
// draw, so that only those parts are re-rasterised. Pure CPU work on ImDrawData; no GL here.
//
// Like Alacritty comparing its grid cell by cell, the screen is cut into cells and each cell gets
// a hash of every triangle that may touch it (vertices, texture, clip rectangle, in draw order).
// A cell whose hash differs from the last frame's is damaged. This needs no bookkeeping in the
// screens: whatever changes on screen, for whatever reason, is found, and nothing else is redrawn.
// Damaged cells are joined into a few disjoint rectangles (like a pixman region with a rectangle
// limit in wlroots' damage ring), then the draw data is cut down to the triangles that touch them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

struct ImDrawData;
struct ImDrawList;
struct ImDrawCmd;

namespace kiosk::platform {

// Framebuffer pixels, top-left origin, half-open: [x0, x1) × [y0, y1).
struct DamageRect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int width() const { return x1 - x0; }
  int height() const { return y1 - y0; }
  long long area() const { return static_cast<long long>(width()) * height(); }
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  bool intersects(const DamageRect& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  bool operator==(const DamageRect&) const = default;
};
DamageRect bounding_box(const DamageRect& a, const DamageRect& b);

class DamageTracker {
 public:
  // Cells of `cell` pixels; at most `max_rects` rectangles come out (each costs a pass).
  explicit DamageTracker(int cell = 32, int max_rects = 16) : cell_(cell), max_rects_(max_rects) {}

  // The regions where `data` differs from the draw data of the previous call, as disjoint
  // rectangles. The first call, a size change, or a call after invalidate() returns the whole screen.
  const std::vector<DamageRect>& compare(const ImDrawData& data, int fb_width, int fb_height);
  // The next compare() returns the whole screen (the screen's content is unknown: exposed, resized,
  // a new context).
  void invalidate() { valid_ = false; }
  const std::vector<DamageRect>& rects() const { return rects_; }
  long long damaged_pixels() const;

 private:
  void hash_cells(const ImDrawData& data);
  void build_rects();
  int cell_, max_rects_;
  int fb_w_ = 0, fb_h_ = 0, cols_ = 0, rows_ = 0;
  bool valid_ = false;
  std::vector<std::uint64_t> hashes_, previous_;
  std::vector<DamageRect> rects_;
};

// Joins damaged cells (row-major `cols` × `rows`, true = damaged, each `cell` px, clipped to
// the framebuffer) into at most `max_rects` disjoint rectangles that cover them all.
std::vector<DamageRect> rects_from_cells(const std::vector<bool>& damaged, int cols, int rows, int cell, int fb_width,
                                         int fb_height, int max_rects);

// For swap chains that say how old the buffer about to be drawn is (EGL/GLX_EXT_buffer_age): that
// buffer already holds the picture of `age` frames ago, so what must be redrawn into it is this frame's
// damage and that of the age - 1 frames before (as wlroots' damage ring does). Age 0 (a new buffer)
// or older than the history: the whole screen.
class DamageRing {
 public:
  explicit DamageRing(std::size_t depth = 3) : depth_(depth) {}
  // The region to redraw for this frame's `damage` into a buffer of `age`; records `damage`.
  std::vector<DamageRect> region(const std::vector<DamageRect>& damage, int age, int fb_width, int fb_height);
  void clear() { history_.clear(); }

 private:
  std::size_t depth_;
  std::vector<std::vector<DamageRect>> history_;  // newest first
};

// Rectangles joined and made disjoint again (on the `cell` grid, at most `max_rects`).
std::vector<DamageRect> disjoint_union(const std::vector<DamageRect>& rects, int fb_width, int fb_height, int cell = 32,
                                       int max_rects = 16);

// What the clear callback of a DamagedDrawData gets as its command's UserCallbackData.
struct ClearRequest {
  DamageRect rect;
  int fb_height = 0;  // GL's scissor counts rows from the bottom
  float rgba[4] = {0, 0, 0, 1};
};

// The draw data cut down to `rects`: first one `clear` callback per rectangle (its command's
// UserCallbackData is a ClearRequest), then every command with only the triangles that touch a
// rectangle, clipped to it. The rectangles must be disjoint: each pixel is drawn by one pass only,
// or translucent edges would blend twice. Vertex buffers are borrowed from the source lists while
// this lives (swapped back on destruction), so only indices are copied. The source must outlive it.
class DamagedDrawData {
 public:
  using Callback = void (*)(const ImDrawList*, const ImDrawCmd*);
  DamagedDrawData(ImDrawData& source, const std::vector<DamageRect>& rects, Callback clear, const float clear_rgba[4]);
  ~DamagedDrawData();
  DamagedDrawData(const DamagedDrawData&) = delete;
  DamagedDrawData& operator=(const DamagedDrawData&) = delete;
  ImDrawData* get();
  std::size_t triangles() const { return triangles_; }

 private:
  struct Impl;
  Impl* impl_;
  std::size_t triangles_ = 0;
};

}  // namespace kiosk::platform
