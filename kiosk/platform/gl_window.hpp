// An SDL2 window with an OpenGL 3.3 core context and Dear ImGui bound to it. The only place that
// knows SDL, GL and the ImGui backends.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct SDL_Window;
typedef void* SDL_GLContext;

namespace kiosk::platform {

struct WindowOptions {
  int width = 1920;
  int height = 1080;
  bool fullscreen = true;  // kiosk mode: desktop-sized, no cursor
  bool hidden = false;     // headless renders
};

class GlWindow {
 public:
  static std::unique_ptr<GlWindow> create(const WindowOptions& options, std::string* error);
  ~GlWindow();

  void new_frame();          // backends + ImGui::NewFrame
  void render();             // ImGui::Render + GL draw (no swap)
  void swap();
  // RGBA, top row first, of what render() drew. Call before swap().
  std::vector<std::uint8_t> read_pixels() const;
  int width() const;
  int height() const;
  SDL_Window* sdl() const { return window_; }

 private:
  GlWindow() = default;
  SDL_Window* window_ = nullptr;
  SDL_GLContext context_ = nullptr;
  bool imgui_sdl_ = false, imgui_gl_ = false;
};

// Writes RGBA pixels (top row first) as a PNG. False on I/O error.
bool write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgba);

}  // namespace kiosk::platform
