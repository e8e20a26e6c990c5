// Paths inside one unit: point-in-polygon, line of sight against the unit's walls, reflex corners,
// and which of a unit's nodes get an edge. Hand-written because it is the build's inner loop (see
// UnitOutline in nav_graph_impl.hpp); the geometry that runs once per feature stays with GEOS.
#include <algorithm>
#include <cmath>

#include "wayfinding/nav_graph_impl.hpp"

namespace kiosk::wayfinding::detail {

namespace {

constexpr std::size_t kGridAbove = 48;   // walls; fewer are all tested, faster than a grid
constexpr std::size_t kAllPairsUpTo = 64;  // nodes in a unit linked pair by pair
constexpr std::size_t kNearest = 12;       // visible neighbours each node keeps in larger units
constexpr std::size_t kTriesPerNode = 48;  // nearest candidates tested before giving up

double orient(Vec2 a, Vec2 b, Vec2 c) {
  return (double(b.x) - a.x) * (double(c.y) - a.y) - (double(b.y) - a.y) * (double(c.x) - a.x);
}

// Closed test: a wall whose end lies on the sight line blocks it (a path may not graze a corner; it
// goes through the corner's inset node instead).
bool blocks(Vec2 a, Vec2 b, Vec2 c, Vec2 d) {
  const double d1 = orient(c, d, a), d2 = orient(c, d, b), d3 = orient(a, b, c), d4 = orient(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  auto on_ab = [&](Vec2 p, double o) {
    const double len = distance(a, b);
    if (len <= 0 || std::abs(o) / len > 1e-3) return false;
    const double t = dot(p - a, b - a) / (len * len);
    return t >= 0 && t <= 1;
  };
  return on_ab(c, d3) || on_ab(d, d4);
}

}  // namespace

UnitOutline::UnitOutline(const LocalShape& shape) {
  for (const auto& polygon : shape)
    for (const auto& ring : polygon.rings)
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        if (ring[i] == ring[i + 1]) continue;
        from_.push_back(ring[i]);
        to_.push_back(ring[i + 1]);
        box_.add(ring[i]);
      }
  if (from_.size() <= kGridAbove || box_.empty()) return;
  // About two walls a cell: a sight line then meets a handful of walls, whatever the unit's size.
  const float w = std::max(box_.max.x - box_.min.x, 0.01f), h = std::max(box_.max.y - box_.min.y, 0.01f);
  cell_ = std::max(0.5f, std::sqrt(w * h / static_cast<float>(from_.size())) * 1.4f);
  nx_ = static_cast<int>(w / cell_) + 1;
  ny_ = static_cast<int>(h / cell_) + 1;
  std::vector<std::uint32_t> count(static_cast<std::size_t>(nx_) * ny_ + 1, 0);
  auto each_cell = [&](std::size_t i, auto&& f) {
    Box b;
    b.add(from_[i]);
    b.add(to_[i]);
    const int x0 = std::clamp(int((b.min.x - box_.min.x) / cell_), 0, nx_ - 1);
    const int x1 = std::clamp(int((b.max.x - box_.min.x) / cell_), 0, nx_ - 1);
    const int y0 = std::clamp(int((b.min.y - box_.min.y) / cell_), 0, ny_ - 1);
    const int y1 = std::clamp(int((b.max.y - box_.min.y) / cell_), 0, ny_ - 1);
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x) f(static_cast<std::size_t>(y) * nx_ + x);
  };
  for (std::size_t i = 0; i < from_.size(); ++i) each_cell(i, [&](std::size_t c) { ++count[c + 1]; });
  for (std::size_t c = 1; c < count.size(); ++c) count[c] += count[c - 1];
  cell_first_ = count;
  cell_walls_.resize(count.back());
  for (std::size_t i = 0; i < from_.size(); ++i)
    each_cell(i, [&](std::size_t c) { cell_walls_[count[c]++] = static_cast<std::uint32_t>(i); });
}

bool UnitOutline::contains(Vec2 p) const {
  if (!box_.contains(p)) return false;
  bool inside = false;  // even-odd crossings of a ray to +x; holes and parts come out right
  for (std::size_t i = 0; i < from_.size(); ++i) {
    const Vec2 a = from_[i], b = to_[i];
    if ((a.y > p.y) != (b.y > p.y)) {
      const float x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
      if (x > p.x) inside = !inside;
    }
  }
  return inside;
}

// Every grid cell the segment a-b passes through, column by column (a wall may be visited twice).
template <typename F>
void UnitOutline::for_cells_on(Vec2 a, Vec2 b, F&& f) const {
  if (a.x > b.x) std::swap(a, b);
  const int cx0 = std::clamp(int((a.x - box_.min.x) / cell_), 0, nx_ - 1);
  const int cx1 = std::clamp(int((b.x - box_.min.x) / cell_), 0, nx_ - 1);
  const float dx = b.x - a.x;
  for (int cx = cx0; cx <= cx1; ++cx) {
    const float xs = std::max(a.x, box_.min.x + cx * cell_), xe = std::min(b.x, box_.min.x + (cx + 1) * cell_);
    float ys = a.y, ye = b.y;
    if (dx > 1e-6f) {
      ys = a.y + (b.y - a.y) * ((xs - a.x) / dx);
      ye = a.y + (b.y - a.y) * ((xe - a.x) / dx);
    }
    if (ys > ye) std::swap(ys, ye);
    const int cy0 = std::clamp(int((ys - box_.min.y) / cell_), 0, ny_ - 1);
    const int cy1 = std::clamp(int((ye - box_.min.y) / cell_), 0, ny_ - 1);
    for (int cy = cy0; cy <= cy1; ++cy) {
      const std::size_t c = static_cast<std::size_t>(cy) * nx_ + cx;
      for (std::uint32_t k = cell_first_[c]; k < cell_first_[c + 1]; ++k)
        if (!f(cell_walls_[k])) return;
    }
  }
}

bool UnitOutline::sees(Vec2 a, Vec2 b) const {
  if (cell_ == 0) {
    for (std::size_t i = 0; i < from_.size(); ++i)
      if (blocks(a, b, from_[i], to_[i])) return false;
    return true;
  }
  bool clear = true;
  for_cells_on(a, b, [&](std::uint32_t i) {
    clear = !blocks(a, b, from_[i], to_[i]);
    return clear;
  });
  return clear;
}

bool UnitOutline::within(Vec2 p, float reach) const {
  if (contains(p)) return true;
  const float r2 = reach * reach;
  auto near = [&](std::size_t i) {
    const Vec2 ab = to_[i] - from_[i], ap = p - from_[i];
    const float len2 = dot(ab, ab);
    const float t = len2 > 0 ? std::clamp(dot(ap, ab) / len2, 0.0f, 1.0f) : 0.0f;
    const Vec2 d = ap - ab * t;
    return dot(d, d) <= r2;
  };
  if (cell_ == 0) {
    for (std::size_t i = 0; i < from_.size(); ++i)
      if (near(i)) return true;
    return false;
  }
  const int x0 = std::clamp(int((p.x - reach - box_.min.x) / cell_), 0, nx_ - 1);
  const int x1 = std::clamp(int((p.x + reach - box_.min.x) / cell_), 0, nx_ - 1);
  const int y0 = std::clamp(int((p.y - reach - box_.min.y) / cell_), 0, ny_ - 1);
  const int y1 = std::clamp(int((p.y + reach - box_.min.y) / cell_), 0, ny_ - 1);
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) {
      const std::size_t c = static_cast<std::size_t>(y) * nx_ + x;
      for (std::uint32_t k = cell_first_[c]; k < cell_first_[c + 1]; ++k)
        if (near(cell_walls_[k])) return true;
    }
  return false;
}

std::vector<Vec2> inner_corners(const LocalShape& shape, const UnitOutline& outline, float inset) {
  std::vector<Vec2> out;
  for (const auto& polygon : shape)
    for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
      const LocalRing& ring = polygon.rings[r];
      const std::size_t n = ring.size() >= 2 && ring.front() == ring.back() ? ring.size() - 1 : ring.size();
      if (n < 3) continue;
      double area2 = 0;
      for (std::size_t i = 0; i < n; ++i) area2 += double(cross(ring[i], ring[(i + 1) % n]));
      // Walk every ring with the unit's inside on the left: outer rings counter-clockwise, holes
      // clockwise.
      const float side = (r == 0) == (area2 > 0) ? 1.0f : -1.0f;
      for (std::size_t i = 0; i < n; ++i) {
        const Vec2 prev = ring[(i + n - 1) % n], v = ring[i], next = ring[(i + 1) % n];
        const Vec2 e1 = v - prev, e2 = next - v;
        const float l1 = length(e1), l2 = length(e2);
        if (l1 < 1e-3f || l2 < 1e-3f) continue;
        // A right turn is a reflex corner; bends under ~5 degrees (curved walls) are skipped.
        if (side * cross(e1, e2) / (l1 * l2) > -0.087f) continue;
        const Vec2 n1 = Vec2{-e1.y, e1.x} * (side / l1), n2 = Vec2{-e2.y, e2.x} * (side / l2);
        const Vec2 dir = (n1 + n2) * (1.0f / std::max(0.25f, 1.0f + dot(n1, n2)));
        for (float d : {inset, inset * 0.5f, inset * 0.2f}) {
          const Vec2 p = v + dir * d;
          if (outline.contains(p)) {
            out.push_back(p);
            break;
          }
        }
      }
    }
  return out;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> visible_pairs(const UnitOutline& outline,
                                                                   const std::vector<Member>& members) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  const auto n = static_cast<std::uint32_t>(members.size());
  if (n <= kAllPairsUpTo) {
    for (std::uint32_t i = 0; i < n; ++i)
      for (std::uint32_t j = i + 1; j < n; ++j)
        if (outline.sees(members[i].test, members[j].test)) pairs.emplace_back(i, j);
    return pairs;
  }
  // Candidates come from a bucket grid of the members (about four a cell), ring after ring, until
  // enough are gathered: the nearest ones, without sorting all n² distances.
  Box box;
  for (const Member& m : members) box.add(m.test);
  const float w = std::max(box.max.x - box.min.x, 0.01f), h = std::max(box.max.y - box.min.y, 0.01f);
  const float cell = std::max(0.5f, std::sqrt(w * h * 4.0f / static_cast<float>(n)));
  const int nx = static_cast<int>(w / cell) + 1, ny = static_cast<int>(h / cell) + 1;
  std::vector<std::uint32_t> cell_first(static_cast<std::size_t>(nx) * ny + 1, 0), cell_members(n);
  auto cell_of = [&](Vec2 p) {
    return std::pair{std::clamp(int((p.x - box.min.x) / cell), 0, nx - 1), std::clamp(int((p.y - box.min.y) / cell), 0, ny - 1)};
  };
  for (const Member& m : members) {
    auto [cx, cy] = cell_of(m.test);
    ++cell_first[static_cast<std::size_t>(cy) * nx + cx + 1];
  }
  for (std::size_t c = 1; c < cell_first.size(); ++c) cell_first[c] += cell_first[c - 1];
  {
    std::vector<std::uint32_t> at(cell_first.begin(), cell_first.end() - 1);
    for (std::uint32_t i = 0; i < n; ++i) {
      auto [cx, cy] = cell_of(members[i].test);
      cell_members[at[static_cast<std::size_t>(cy) * nx + cx]++] = i;
    }
  }
  std::vector<std::pair<float, std::uint32_t>> near;
  for (std::uint32_t i = 0; i < n; ++i) {
    near.clear();
    const Vec2 p = members[i].test;
    auto [cx, cy] = cell_of(p);
    // One ring past the one that filled the list, so that no nearer candidate is missed.
    for (int r = 0, extra = -1; r <= std::max(nx, ny) && extra != 0; ++r) {
      for (int y = cy - r; y <= cy + r; ++y)
        for (int x = cx - r; x <= cx + r; ++x) {
          if (x < 0 || y < 0 || x >= nx || y >= ny || (std::abs(x - cx) != r && std::abs(y - cy) != r)) continue;
          const std::size_t c = static_cast<std::size_t>(y) * nx + x;
          for (std::uint32_t k = cell_first[c]; k < cell_first[c + 1]; ++k) {
            const std::uint32_t j = cell_members[k];
            if (j == i || members[j].hub) continue;  // hubs are handled below
            const Vec2 d = members[j].test - p;
            near.emplace_back(dot(d, d), j);
          }
        }
      if (extra > 0) --extra;
      else if (extra < 0 && near.size() >= kTriesPerNode) extra = 1;
    }
    const std::size_t tries = std::min<std::size_t>(kTriesPerNode, near.size());
    std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(tries), near.end());
    std::size_t kept = 0;
    for (std::size_t k = 0; k < tries && kept < kNearest; ++k) {
      const std::uint32_t j = near[k].second;
      if (outline.sees(p, members[j].test)) {
        pairs.emplace_back(std::min(i, j), std::max(i, j));
        ++kept;
      }
    }
    if (!members[i].hub) continue;
    for (std::uint32_t j = 0; j < n; ++j)
      if (j != i && (!members[j].hub || j > i) && outline.sees(p, members[j].test))
        pairs.emplace_back(std::min(i, j), std::max(i, j));
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace kiosk::wayfinding::detail
