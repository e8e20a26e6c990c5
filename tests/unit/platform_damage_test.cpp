// Damage tracking without a GPU: which regions a change marks, that nothing else is redrawn, and
// that the cut-down draw data holds exactly the triangles of those regions. ImGui frames with no
// backend (Dear ImGui's "null" example), as the UI tests do.
#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>
#include <functional>

#include "platform/damage.hpp"

using namespace kiosk::platform;

namespace {

struct NullImGui {
  NullImGui(float w, float h) {
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::GetIO().DisplaySize = ImVec2(w, h);
    unsigned char* pixels;
    int tw, th;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
  }
  ~NullImGui() { ImGui::DestroyContext(); }
  // One frame: a full-screen window whose body `draw` fills.
  ImDrawData* frame(const std::function<void(ImDrawList*)>& draw) {
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("screen", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
    draw(ImGui::GetWindowDrawList());
    ImGui::End();
    ImGui::Render();
    return ImGui::GetDrawData();
  }
};

// Six "tiles" in a row, tile `lit` in another colour, tile `label` with a word in it.
void tiles(ImDrawList* draw, int lit, const char* label = nullptr) {
  for (int i = 0; i < 6; ++i) {
    const float x = 20.0f + static_cast<float>(i) * 300.0f;
    draw->AddRectFilled({x, 200}, {x + 280, 340}, i == lit ? IM_COL32(31, 181, 107, 255) : IM_COL32(27, 37, 51, 255), 12);
    if (label && i == 2) draw->AddText({x + 20, 220}, IM_COL32_WHITE, label);
  }
}

bool covers(const std::vector<DamageRect>& rects, int x, int y) {
  return std::any_of(rects.begin(), rects.end(),
                     [&](const DamageRect& r) { return x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1; });
}

bool disjoint(const std::vector<DamageRect>& rects) {
  for (std::size_t i = 0; i < rects.size(); ++i)
    for (std::size_t j = i + 1; j < rects.size(); ++j)
      if (rects[i].intersects(rects[j])) return false;
  return true;
}

}  // namespace

TEST_CASE("damage: the first frame is whole, an identical frame marks nothing, a changed tile marks only itself") {
  NullImGui imgui(1920, 1080);
  DamageTracker tracker;
  auto first = tracker.compare(*imgui.frame([](ImDrawList* d) { tiles(d, -1); }), 1920, 1080);
  REQUIRE(first.size() == 1);
  CHECK(first[0] == DamageRect{0, 0, 1920, 1080});

  CHECK(tracker.compare(*imgui.frame([](ImDrawList* d) { tiles(d, -1); }), 1920, 1080).empty());

  auto lit = tracker.compare(*imgui.frame([](ImDrawList* d) { tiles(d, 3); }), 1920, 1080);
  REQUIRE_FALSE(lit.empty());
  CHECK(disjoint(lit));
  // Tile 3 spans x 920..1200, y 200..340: every pixel of it is covered ...
  for (int x = 920; x < 1200; x += 7)
    for (int y = 200; y < 340; y += 7) CHECK(covers(lit, x, y));
  // ... and nothing more than a cell (32 px) around it.
  for (const DamageRect& r : lit) {
    CHECK(r.x0 >= 920 - 33);
    CHECK(r.x1 <= 1200 + 33);
    CHECK(r.y0 >= 200 - 33);
    CHECK(r.y1 <= 340 + 33);
  }
  CHECK(tracker.damaged_pixels() < 1920LL * 1080 / 10);

  // Back to the first picture: the same region again (the old colour must be redrawn too).
  auto back = tracker.compare(*imgui.frame([](ImDrawList* d) { tiles(d, -1); }), 1920, 1080);
  CHECK(covers(back, 1000, 270));
  CHECK_FALSE(covers(back, 100, 270));
}

TEST_CASE("damage: text that changes marks its tile, and a new size or invalidate() marks everything") {
  NullImGui imgui(1280, 720);
  DamageTracker tracker;
  tracker.compare(*imgui.frame([](ImDrawList* d) { tiles(d, -1, "Libre"); }), 1280, 720);
  auto text = tracker.compare(*imgui.frame([](ImDrawList* d) { tiles(d, -1, "Occupée"); }), 1280, 720);
  REQUIRE_FALSE(text.empty());
  CHECK(covers(text, 640 + 25, 225));   // the word's first glyph
  CHECK_FALSE(covers(text, 40, 270));   // tile 0 untouched
  CHECK_FALSE(covers(text, 640, 600));  // below the tiles

  tracker.invalidate();
  auto all = tracker.compare(*imgui.frame([](ImDrawList* d) { tiles(d, -1, "Occupée"); }), 1280, 720);
  REQUIRE(all.size() == 1);
  CHECK(all[0] == DamageRect{0, 0, 1280, 720});

  ImGui::GetIO().DisplaySize = ImVec2(800, 480);
  auto resized = tracker.compare(*imgui.frame([](ImDrawList* d) { tiles(d, -1, "Occupée"); }), 800, 480);
  REQUIRE(resized.size() == 1);
  CHECK(resized[0] == DamageRect{0, 0, 800, 480});
}

TEST_CASE("damage: a moved element marks where it was and where it is, and scattered changes stay few rectangles") {
  NullImGui imgui(1920, 1080);
  DamageTracker tracker(32, 16);
  auto dot = [](float x, float y) {
    return [=](ImDrawList* d) { d->AddRectFilled({x, y}, {x + 10, y + 10}, IM_COL32(255, 255, 255, 255)); };
  };
  tracker.compare(*imgui.frame(dot(100, 100)), 1920, 1080);
  auto moved = tracker.compare(*imgui.frame(dot(1500, 900)), 1920, 1080);
  CHECK(covers(moved, 105, 105));
  CHECK(covers(moved, 1505, 905));
  CHECK_FALSE(covers(moved, 800, 500));

  // 200 dots flipping everywhere: bounded rectangles, disjoint, covering each dot.
  auto many = [](int phase) {
    return [=](ImDrawList* d) {
      for (int i = 0; i < 200; ++i) {
        const float x = static_cast<float>((i * 97) % 1900), y = static_cast<float>((i * 53) % 1060);
        d->AddRectFilled({x, y}, {x + 8, y + 8}, (i + phase) % 2 ? IM_COL32(255, 0, 0, 255) : IM_COL32(0, 0, 255, 255));
      }
    };
  };
  tracker.compare(*imgui.frame(many(0)), 1920, 1080);
  auto scattered = tracker.compare(*imgui.frame(many(1)), 1920, 1080);
  CHECK(scattered.size() <= 16);
  CHECK(disjoint(scattered));
  for (int i = 0; i < 200; ++i) CHECK(covers(scattered, (i * 97) % 1900 + 4, (i * 53) % 1060 + 4));
}

TEST_CASE("rects_from_cells: every damaged cell covered, rectangles disjoint and within the limit") {
  const int cols = 30, rows = 17;
  for (unsigned seed = 1; seed < 40; ++seed) {
    std::vector<bool> cells(cols * rows, false);
    unsigned x = seed;
    for (auto&& c : cells) {
      x = x * 1103515245u + 12345u;
      c = ((x >> 16) % 100) < seed;  // from sparse to dense
    }
    for (int limit : {1, 4, 16}) {
      auto rects = rects_from_cells(cells, cols, rows, 32, 940, 530, limit);
      CAPTURE(seed);
      CAPTURE(limit);
      CHECK(static_cast<int>(rects.size()) <= limit);
      CHECK(disjoint(rects));
      for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
          if (cells[r * cols + c]) CHECK(covers(rects, std::min(c * 32 + 16, 939), std::min(r * 32 + 16, 529)));
      for (const DamageRect& rect : rects) {
        CHECK(rect.x1 <= 940);  // clipped to the framebuffer
        CHECK(rect.y1 <= 530);
      }
    }
  }
  CHECK(rects_from_cells(std::vector<bool>(cols * rows, false), cols, rows, 32, 960, 544, 16).empty());
}

namespace {
int clears = 0;
void count_clear(const ImDrawList*, const ImDrawCmd* cmd) {
  ++clears;
  const auto* request = static_cast<const ClearRequest*>(cmd->UserCallbackData);
  CHECK(request->fb_height == 720);
  CHECK(request->rgba[1] == doctest::Approx(0.5f));
}
}  // namespace

TEST_CASE("the cut-down draw data: clears first, only triangles that touch the regions, clipped to them") {
  NullImGui imgui(1280, 720);
  ImDrawData* data = imgui.frame([](ImDrawList* d) { tiles(d, 1, "Libre"); });
  const int source_vertices = data->CmdLists[0]->VtxBuffer.Size;
  const int source_indices = data->CmdLists[0]->IdxBuffer.Size;
  const std::vector<DamageRect> region{{320, 192, 608, 352}, {0, 0, 64, 64}};
  const float grey[4] = {0.1f, 0.5f, 0.2f, 1.0f};
  {
    DamagedDrawData cut(*data, region, &count_clear, grey);
    ImDrawData* out = cut.get();
    REQUIRE(out->CmdListsCount == data->CmdListsCount);
    CHECK(out->DisplaySize.x == 1280);
    const ImDrawList& list = *out->CmdLists[0];
    // The vertices are borrowed, not copied.
    CHECK(list.VtxBuffer.Size == source_vertices);
    CHECK(data->CmdLists[0]->VtxBuffer.Size == 0);
    REQUIRE(list.CmdBuffer.Size >= 3);
    clears = 0;
    for (const ImDrawCmd& cmd : list.CmdBuffer)
      if (cmd.UserCallback) cmd.UserCallback(&list, &cmd);
    CHECK(clears == 2);
    CHECK((list.CmdBuffer[0].UserCallback == &count_clear));  // clears come before any drawing
    CHECK((list.CmdBuffer[1].UserCallback == &count_clear));
    std::size_t indices = 0;
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      if (cmd.UserCallback) continue;
      indices += cmd.ElemCount;
      const bool inside_one = std::any_of(region.begin(), region.end(), [&](const DamageRect& r) {
        return cmd.ClipRect.x >= r.x0 && cmd.ClipRect.y >= r.y0 && cmd.ClipRect.z <= r.x1 && cmd.ClipRect.w <= r.y1;
      });
      CHECK(inside_one);
    }
    CHECK(indices == cut.triangles() * 3);
    CHECK(indices > 0);
    CHECK(static_cast<int>(indices) < source_indices);  // the other tiles are left out
  }
  // Given back.
  CHECK(data->CmdLists[0]->VtxBuffer.Size == source_vertices);
}

TEST_CASE("buffer age: a recycled buffer gets this frame's damage and that of the frames it missed") {
  DamageRing ring(3);
  const DamageRect whole{0, 0, 640, 480}, a{0, 0, 64, 64}, b{320, 224, 384, 288}, c{576, 416, 640, 480};
  // A new buffer (age 0): everything.
  CHECK(ring.region({a}, 0, 640, 480) == std::vector<DamageRect>{whole});
  // Age 1: the buffer shows the last frame; only this frame's damage.
  CHECK(ring.region({b}, 1, 640, 480) == std::vector<DamageRect>{b});
  // Age 2: it missed the last frame (b) too.
  auto two = ring.region({c}, 2, 640, 480);
  CHECK(covers(two, 600, 450));   // c
  CHECK(covers(two, 350, 250));   // b
  CHECK_FALSE(covers(two, 30, 30));  // a was two frames before that buffer's picture
  CHECK(disjoint(two));
  // Age 3 reaches a; age 5 is older than what the ring remembers: everything.
  auto three = ring.region({a}, 3, 640, 480);
  CHECK(covers(three, 30, 30));
  CHECK(covers(three, 350, 250));
  CHECK(covers(three, 600, 450));
  CHECK(ring.region({a}, 5, 640, 480) == std::vector<DamageRect>{whole});
}

TEST_CASE("disjoint_union: overlapping rectangles come out disjoint, covering the same pixels") {
  auto u = disjoint_union({{10, 10, 200, 100}, {150, 50, 300, 300}, {0, 0, 20, 20}}, 640, 480);
  CHECK(disjoint(u));
  for (auto [x, y] : {std::pair{15, 15}, {199, 99}, {299, 299}, {150, 50}, {5, 5}}) CHECK(covers(u, x, y));
  CHECK_FALSE(covers(u, 400, 400));
}
