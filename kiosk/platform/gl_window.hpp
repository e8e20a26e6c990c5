// An SDL2 window with an OpenGL context and Dear ImGui bound to it. The only place that knows SDL,
// GL and the ImGui backends.
//
// The context is the first of `[panel] gl`'s attempts (gl_profile.hpp) that the driver gives and
// that really draws (a probe frame is read back, which catches shaders a driver refuses).
// Frames are drawn through a presenter that re-rasterises only what changed (damage.hpp), kept
// on screen by whichever way the driver offers: GLX_MESA_copy_sub_buffer (X11: the back buffer is
// never swapped, only the damaged rectangles are copied to the window), EGL/GLX_EXT_buffer_age (the
// damage of the last frames is redrawn into the recycled buffer), else a framebuffer object that
// holds the picture and is copied whole to the screen at each frame.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "platform/damage.hpp"
#include "platform/gl_profile.hpp"

struct SDL_Window;
typedef void* SDL_GLContext;

namespace kiosk::platform {

struct WindowOptions {
  int width = 1920;
  int height = 1080;
  bool fullscreen = true;  // kiosk mode: desktop-sized, no cursor
  bool hidden = false;     // headless renders
  std::string gl = "auto";  // [panel] gl: "auto" | "gl3" | "gles3"
  // False: every frame is drawn whole into the back buffer (headless renders, which draw once).
  bool partial_redraw = true;
};

// How frames reach the screen (see the top of this file).
enum class PresentMode { Full, CopySubBuffer, BufferAge, Framebuffer };
const char* present_mode_name(PresentMode mode);

// What the panel got, for the log, the status topic and the staff view.
struct GlInfo {
  std::string attempt;   // "GL 3.3 core"
  std::string version;   // GL_VERSION: "4.5 (Core Profile) Mesa 22.3.6"
  std::string renderer;  // GL_RENDERER: "llvmpipe (LLVM 15.0.6, 256 bits)"
  std::string glsl;      // what ImGui's shaders were compiled with: "#version 330 core"
  std::string video_driver;  // SDL's: x11, wayland, kmsdrm, offscreen
  PresentMode present = PresentMode::Full;
  std::vector<GlFailure> failures;  // attempts that came before and did not work
  // "GL 3.3 core · 4.5 (Core Profile) Mesa 22.3.6 · llvmpipe (...) · x11 · copy-sub-buffer"
  std::string summary() const;
};

// One frame's cost, for the benchmarks and the metrics.
struct FrameResult {
  bool drawn = false;         // false: nothing on screen changed, nothing to present
  int rects = 0;              // rectangles re-rasterised
  long long pixels = 0;       // their area
  std::size_t triangles = 0;  // triangles sent to GL (all of them for a whole frame)
  bool context_lost = false;  // the GL context reported a reset: recreate the window
};

class GlWindow {
 public:
  static std::unique_ptr<GlWindow> create(const WindowOptions& options, std::string* error);
  ~GlWindow();

  const GlInfo& info() const { return info_; }
  // (Re)builds the font atlas texture: after fonts were loaded or reloaded (a new screen size).
  void upload_fonts();
  void new_frame();  // backends + ImGui::NewFrame
  // ImGui::Render, then draws what differs from the screen's current picture (everything after
  // invalidate(), a resize, or in PresentMode::Full). No swap.
  FrameResult render();
  // Puts what render() drew on screen. Call only when render() returned drawn.
  void present();
  // The screen's content is unknown (exposed, restored): the next frame is drawn whole.
  void invalidate() { damage_.invalidate(); }
  // RGBA, top row first, of the whole picture render() left. Call before present().
  std::vector<std::uint8_t> read_pixels() const;
  int width() const;
  int height() const;
  SDL_Window* sdl() const { return window_; }

 private:
  GlWindow() = default;
  bool try_attempt(const WindowOptions& options, const GlAttempt& attempt, std::string* reason);
  void destroy_gl();
  bool probe_draw(std::string* reason);
  void choose_present_mode(const WindowOptions& options);
  bool ensure_framebuffer(int width, int height);
  int buffer_age() const;
  void draw_whole(struct ImDrawData* data);

  SDL_Window* window_ = nullptr;
  SDL_GLContext context_ = nullptr;
  bool imgui_sdl_ = false, imgui_gl_ = false;
  GlInfo info_;
  DamageTracker damage_;
  std::vector<DamageRect> drawn_;                   // what the last render() touched
  DamageRing ring_;                                 // buffer age: the damage of the last frames
  int zero_ages_ = 0;                               // buffer age read as 0 (unknown) this many frames running
  struct Gl;                                        // function pointers beyond GL 1.x, and the FBO
  std::unique_ptr<Gl> gl_;
};

// Writes RGBA pixels (top row first) as a PNG. False on I/O error.
bool write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgba);

}  // namespace kiosk::platform
