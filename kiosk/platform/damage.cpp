// Damage tracking. Index:
//   [hashing]    one 64-bit hash per screen cell, of every triangle whose box touches it
//   [rectangles] damaged cells -> at most N disjoint rectangles; unions; the buffer-age ring
//   [cutting]    draw data restricted to the rectangles
#include "platform/damage.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace kiosk::platform {

DamageRect bounding_box(const DamageRect& a, const DamageRect& b) {
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

namespace {

// ---- [hashing] ----

inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  // Order-sensitive: a cell drawn in another order, or with one triangle more, hashes differently.
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 31);
}

inline std::uint64_t float_bits(float a, float b) {
  std::uint32_t ua, ub;
  std::memcpy(&ua, &a, 4);
  std::memcpy(&ub, &b, 4);
  return (static_cast<std::uint64_t>(ua) << 32) | ub;
}

inline std::uint64_t vertex_hash(const ImDrawVert& v) {
  return mix(mix(float_bits(v.pos.x, v.pos.y), float_bits(v.uv.x, v.uv.y)), v.col);
}

// A triangle's box in framebuffer pixels, clipped to its command's clip rectangle. Widened by a
// pixel: the backend truncates scissors to integers and a box edge may fall inside a pixel.
struct Box {
  float x0, y0, x1, y1;
  bool empty() const { return x1 <= x0 || y1 <= y0; }
};

inline Box triangle_box(const ImDrawVert& a, const ImDrawVert& b, const ImDrawVert& c, const ImVec4& clip) {
  Box box{std::min({a.pos.x, b.pos.x, c.pos.x}) - 1, std::min({a.pos.y, b.pos.y, c.pos.y}) - 1,
          std::max({a.pos.x, b.pos.x, c.pos.x}) + 1, std::max({a.pos.y, b.pos.y, c.pos.y}) + 1};
  box.x0 = std::max(box.x0, clip.x);
  box.y0 = std::max(box.y0, clip.y);
  box.x1 = std::min(box.x1, clip.z);
  box.y1 = std::min(box.y1, clip.w);
  return box;
}

// The clip rectangle in framebuffer pixels (multi-viewport offset and retina scale applied).
inline ImVec4 framebuffer_clip(const ImDrawData& data, const ImDrawCmd& cmd) {
  const ImVec2 off = data.DisplayPos, scale = data.FramebufferScale;
  return {(cmd.ClipRect.x - off.x) * scale.x, (cmd.ClipRect.y - off.y) * scale.y, (cmd.ClipRect.z - off.x) * scale.x,
          (cmd.ClipRect.w - off.y) * scale.y};
}

// Calls fn(box, a, b, c) for each drawn triangle of each command, in draw order, with vertices
// scaled to framebuffer pixels.
template <typename Fn>
void for_each_triangle(const ImDrawData& data, const ImDrawList& list, const ImDrawCmd& cmd, Fn&& fn) {
  const ImVec4 clip = framebuffer_clip(data, cmd);
  if (clip.z <= clip.x || clip.w <= clip.y) return;
  const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
  const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
  const ImVec2 off = data.DisplayPos, scale = data.FramebufferScale;
  const bool unscaled = off.x == 0 && off.y == 0 && scale.x == 1 && scale.y == 1;
  for (unsigned int i = 0; i + 2 < cmd.ElemCount; i += 3) {
    ImDrawVert a = vtx[idx[i]], b = vtx[idx[i + 1]], c = vtx[idx[i + 2]];
    if (!unscaled)
      for (ImDrawVert* v : {&a, &b, &c}) v->pos = {(v->pos.x - off.x) * scale.x, (v->pos.y - off.y) * scale.y};
    const Box box = triangle_box(a, b, c, clip);
    if (!box.empty()) fn(box, i, a, b, c);
  }
}

}  // namespace

void DamageTracker::hash_cells(const ImDrawData& data) {
  std::fill(hashes_.begin(), hashes_.end(), 0x6A09E667F3BCC909ull);
  const float inv = 1.0f / static_cast<float>(cell_);
  for (int n = 0; n < data.CmdListsCount; ++n) {
    const ImDrawList& list = *data.CmdLists[n];
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      if (cmd.UserCallback) continue;  // callbacks draw nothing we can see into; none are used
      const ImVec4 clip = framebuffer_clip(data, cmd);
      const std::uint64_t cmd_hash =
          mix(mix(reinterpret_cast<std::uintptr_t>(cmd.TextureId), float_bits(clip.x, clip.y)), float_bits(clip.z, clip.w));
      for_each_triangle(data, list, cmd, [&](const Box& box, unsigned, const ImDrawVert& a, const ImDrawVert& b,
                                             const ImDrawVert& c) {
        const std::uint64_t tri = mix(mix(mix(cmd_hash, vertex_hash(a)), vertex_hash(b)), vertex_hash(c));
        const int c0 = std::max(0, static_cast<int>(box.x0 * inv)), c1 = std::min(cols_ - 1, static_cast<int>(box.x1 * inv));
        const int r0 = std::max(0, static_cast<int>(box.y0 * inv)), r1 = std::min(rows_ - 1, static_cast<int>(box.y1 * inv));
        for (int r = r0; r <= r1; ++r) {
          std::uint64_t* row = hashes_.data() + static_cast<std::size_t>(r) * cols_;
          for (int col = c0; col <= c1; ++col) row[col] = mix(row[col], tri);
        }
      });
    }
  }
}

const std::vector<DamageRect>& DamageTracker::compare(const ImDrawData& data, int fb_width, int fb_height) {
  if (fb_width != fb_w_ || fb_height != fb_h_) {
    fb_w_ = fb_width;
    fb_h_ = fb_height;
    cols_ = (fb_width + cell_ - 1) / cell_;
    rows_ = (fb_height + cell_ - 1) / cell_;
    hashes_.assign(static_cast<std::size_t>(cols_) * rows_, 0);
    previous_.assign(hashes_.size(), 0);
    valid_ = false;
  }
  hash_cells(data);
  if (!valid_) {
    rects_.assign(1, DamageRect{0, 0, fb_w_, fb_h_});
    if (fb_w_ <= 0 || fb_h_ <= 0) rects_.clear();
    valid_ = true;
  } else {
    build_rects();
  }
  previous_.swap(hashes_);
  return rects_;
}

void DamageTracker::build_rects() {
  std::vector<bool> damaged(hashes_.size());
  for (std::size_t i = 0; i < hashes_.size(); ++i) damaged[i] = hashes_[i] != previous_[i];
  rects_ = rects_from_cells(damaged, cols_, rows_, cell_, fb_w_, fb_h_, max_rects_);
}

long long DamageTracker::damaged_pixels() const {
  long long sum = 0;
  for (const DamageRect& r : rects_) sum += r.area();
  return sum;
}

// ---- [rectangles] ----

namespace {

// Row runs joined downwards when they span the same columns: disjoint by construction.
std::vector<DamageRect> runs_to_rects(const std::vector<bool>& damaged, int cols, int rows) {
  std::vector<DamageRect> done, open;  // in cell units
  for (int r = 0; r < rows; ++r) {
    std::vector<DamageRect> next;
    for (int c = 0; c < cols;) {
      if (!damaged[static_cast<std::size_t>(r) * cols + c]) {
        ++c;
        continue;
      }
      int end = c;
      while (end < cols && damaged[static_cast<std::size_t>(r) * cols + end]) ++end;
      auto same = std::find_if(open.begin(), open.end(), [&](const DamageRect& o) { return o.x0 == c && o.x1 == end; });
      if (same != open.end()) {
        DamageRect grown = *same;
        grown.y1 = r + 1;
        next.push_back(grown);
        open.erase(same);
      } else {
        next.push_back({c, r, end, r + 1});
      }
      c = end;
    }
    done.insert(done.end(), open.begin(), open.end());  // runs that did not continue are finished
    open.swap(next);
  }
  done.insert(done.end(), open.begin(), open.end());
  return done;
}

// Merges `i` and `j` into their bounding box, then swallows whatever that box now overlaps, until
// the set is disjoint again.
void merge_pair(std::vector<DamageRect>& rects, std::size_t i, std::size_t j) {
  DamageRect merged = bounding_box(rects[i], rects[j]);
  rects.erase(rects.begin() + static_cast<long>(std::max(i, j)));
  rects.erase(rects.begin() + static_cast<long>(std::min(i, j)));
  for (bool grew = true; grew;) {
    grew = false;
    for (std::size_t k = 0; k < rects.size(); ++k) {
      if (!rects[k].intersects(merged)) continue;
      merged = bounding_box(merged, rects[k]);
      rects.erase(rects.begin() + static_cast<long>(k));
      grew = true;
      break;
    }
  }
  rects.push_back(merged);
}

}  // namespace

std::vector<DamageRect> rects_from_cells(const std::vector<bool>& damaged, int cols, int rows, int cell, int fb_width,
                                         int fb_height, int max_rects) {
  std::vector<DamageRect> rects = runs_to_rects(damaged, cols, rows);
  if (rects.empty()) return rects;
  // Scattered damage (a checkerboard of changes) would make the pairwise merge slow: coarsen the
  // grid first, 2×2 cells at a time, until few runs are left.
  int scale = 1;
  std::vector<bool> coarse = damaged;
  int ccols = cols, crows = rows;
  while (rects.size() > 64 && (ccols > 1 || crows > 1)) {
    const int ncols = (ccols + 1) / 2, nrows = (crows + 1) / 2;
    std::vector<bool> next(static_cast<std::size_t>(ncols) * nrows, false);
    for (int r = 0; r < crows; ++r)
      for (int c = 0; c < ccols; ++c)
        if (coarse[static_cast<std::size_t>(r) * ccols + c]) next[static_cast<std::size_t>(r / 2) * ncols + c / 2] = true;
    coarse.swap(next);
    ccols = ncols;
    crows = nrows;
    scale *= 2;
    rects = runs_to_rects(coarse, ccols, crows);
  }
  for (DamageRect& r : rects) r = {r.x0 * scale, r.y0 * scale, r.x1 * scale, r.y1 * scale};
  // Greedy: merge the pair whose bounding box adds the least undamaged area.
  while (static_cast<int>(rects.size()) > std::max(1, max_rects)) {
    std::size_t best_i = 0, best_j = 1;
    long long best_waste = -1;
    for (std::size_t i = 0; i < rects.size(); ++i)
      for (std::size_t j = i + 1; j < rects.size(); ++j) {
        const long long waste = bounding_box(rects[i], rects[j]).area() - rects[i].area() - rects[j].area();
        if (best_waste < 0 || waste < best_waste) {
          best_waste = waste;
          best_i = i;
          best_j = j;
        }
      }
    merge_pair(rects, best_i, best_j);
  }
  for (DamageRect& r : rects) {
    r = {r.x0 * cell, r.y0 * cell, std::min(r.x1 * cell, fb_width), std::min(r.y1 * cell, fb_height)};
  }
  rects.erase(std::remove_if(rects.begin(), rects.end(), [](const DamageRect& r) { return r.empty(); }), rects.end());
  std::sort(rects.begin(), rects.end(), [](const DamageRect& a, const DamageRect& b) {
    return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0;
  });
  return rects;
}

std::vector<DamageRect> disjoint_union(const std::vector<DamageRect>& rects, int w, int h, int cell, int max_rects) {
  const int cols = (w + cell - 1) / cell, rows = (h + cell - 1) / cell;
  std::vector<bool> cells(static_cast<std::size_t>(cols) * rows, false);
  for (const DamageRect& r : rects)
    for (int y = std::max(0, r.y0 / cell); y < (r.y1 + cell - 1) / cell && y < rows; ++y)
      for (int x = std::max(0, r.x0 / cell); x < (r.x1 + cell - 1) / cell && x < cols; ++x)
        cells[static_cast<std::size_t>(y) * cols + x] = true;
  return rects_from_cells(cells, cols, rows, cell, w, h, max_rects);
}

std::vector<DamageRect> DamageRing::region(const std::vector<DamageRect>& damage, int age, int w, int h) {
  std::vector<DamageRect> region;
  if (age >= 1 && static_cast<std::size_t>(age - 1) <= history_.size()) {
    region = damage;
    for (int i = 0; i < age - 1; ++i) region.insert(region.end(), history_[i].begin(), history_[i].end());
    if (age > 1) region = disjoint_union(region, w, h);
  } else {
    region = {DamageRect{0, 0, w, h}};
  }
  history_.insert(history_.begin(), damage);
  if (history_.size() > depth_) history_.pop_back();
  return region;
}

// ---- [cutting] ----

struct DamagedDrawData::Impl {
  ImDrawData* source = nullptr;
  ImDrawData data;
  std::vector<ImDrawList*> lists;  // owned
  std::vector<ImDrawList*> list_ptrs;
  std::vector<ClearRequest> clears;
};

DamagedDrawData::DamagedDrawData(ImDrawData& source, const std::vector<DamageRect>& rects, Callback clear,
                                 const float clear_rgba[4])
    : impl_(new Impl) {
  impl_->source = &source;
  impl_->data = source;
  const int fb_height = static_cast<int>(source.DisplaySize.y * source.FramebufferScale.y);
  impl_->clears.reserve(rects.size());
  for (const DamageRect& rect : rects) {
    ClearRequest request;
    request.rect = rect;
    request.fb_height = fb_height;
    std::copy_n(clear_rgba, 4, request.rgba);
    impl_->clears.push_back(request);
  }
  // Back to ImGui's coordinates for the clip rectangles.
  const ImVec2 off = source.DisplayPos, scale = source.FramebufferScale;
  auto to_imgui = [&](const DamageRect& r) {
    return ImVec4(r.x0 / scale.x + off.x, r.y0 / scale.y + off.y, r.x1 / scale.x + off.x, r.y1 / scale.y + off.y);
  };
  for (int n = 0; n < source.CmdListsCount; ++n) {
    ImDrawList& from = *source.CmdLists[n];
    auto* list = new ImDrawList(ImGui::GetDrawListSharedData());
    impl_->lists.push_back(list);
    if (n == 0)
      for (ClearRequest& request : impl_->clears) {
        ImDrawCmd cmd;
        cmd.ClipRect = to_imgui(request.rect);
        cmd.UserCallback = clear;
        cmd.UserCallbackData = &request;
        list->CmdBuffer.push_back(cmd);
      }
    for (const ImDrawCmd& cmd : from.CmdBuffer) {
      if (cmd.UserCallback) {
        list->CmdBuffer.push_back(cmd);
        continue;
      }
      for (const DamageRect& rect : rects) {
        const unsigned int first = static_cast<unsigned int>(list->IdxBuffer.Size);
        const Box r{static_cast<float>(rect.x0), static_cast<float>(rect.y0), static_cast<float>(rect.x1),
                    static_cast<float>(rect.y1)};
        const ImDrawIdx* idx = from.IdxBuffer.Data + cmd.IdxOffset;
        for_each_triangle(source, from, cmd,
                          [&](const Box& box, unsigned i, const ImDrawVert&, const ImDrawVert&, const ImDrawVert&) {
                            if (box.x0 >= r.x1 || r.x0 >= box.x1 || box.y0 >= r.y1 || r.y0 >= box.y1) return;
                            list->IdxBuffer.push_back(idx[i]);
                            list->IdxBuffer.push_back(idx[i + 1]);
                            list->IdxBuffer.push_back(idx[i + 2]);
                          });
        const unsigned int count = static_cast<unsigned int>(list->IdxBuffer.Size) - first;
        if (count == 0) continue;
        ImDrawCmd part = cmd;
        const ImVec4 clip = to_imgui(rect);
        part.ClipRect = {std::max(cmd.ClipRect.x, clip.x), std::max(cmd.ClipRect.y, clip.y),
                         std::min(cmd.ClipRect.z, clip.z), std::min(cmd.ClipRect.w, clip.w)};
        part.IdxOffset = first;
        part.ElemCount = count;
        list->CmdBuffer.push_back(part);
        triangles_ += count / 3;
      }
    }
    list->VtxBuffer.swap(from.VtxBuffer);  // borrowed, given back in the destructor
  }
  impl_->list_ptrs = impl_->lists;
  impl_->data.CmdLists = impl_->list_ptrs.data();
  impl_->data.CmdListsCount = static_cast<int>(impl_->list_ptrs.size());
}

DamagedDrawData::~DamagedDrawData() {
  for (int n = 0; n < impl_->source->CmdListsCount; ++n) {
    impl_->lists[static_cast<std::size_t>(n)]->VtxBuffer.swap(impl_->source->CmdLists[n]->VtxBuffer);
    delete impl_->lists[static_cast<std::size_t>(n)];
  }
  delete impl_;
}

ImDrawData* DamagedDrawData::get() { return &impl_->data; }

}  // namespace kiosk::platform
