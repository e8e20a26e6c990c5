#include "platform/gl_window.hpp"

#include <SDL.h>
#include <algorithm>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>
#include <stb_image_write.h>

namespace kiosk::platform {

std::unique_ptr<GlWindow> GlWindow::create(const WindowOptions& options, std::string* error) {
  if (SDL_WasInit(SDL_INIT_VIDEO) == 0 && SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
    if (error) *error = std::string("cannot start SDL video: ") + SDL_GetError();
    return nullptr;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);

  Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
  if (options.hidden) flags |= SDL_WINDOW_HIDDEN;
  else if (options.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  else flags |= SDL_WINDOW_RESIZABLE;

  std::unique_ptr<GlWindow> window(new GlWindow());
  window->window_ = SDL_CreateWindow("kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, options.width,
                                     options.height, flags);
  if (!window->window_) {
    if (error) *error = std::string("cannot open a window: ") + SDL_GetError();
    return nullptr;
  }
  window->context_ = SDL_GL_CreateContext(window->window_);
  if (!window->context_) {
    if (error) *error = std::string("cannot create an OpenGL 3.3 context: ") + SDL_GetError();
    return nullptr;
  }
  SDL_GL_MakeCurrent(window->window_, window->context_);
  // Pacing comes from the event wait, never from vsync; a swap interval of 1 only avoids tearing.
  SDL_GL_SetSwapInterval(1);

  if (options.fullscreen && !options.hidden) SDL_ShowCursor(SDL_DISABLE);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk has no window layout to remember
  io.LogFilename = nullptr;
  if (options.fullscreen) io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
  window->imgui_sdl_ = ImGui_ImplSDL2_InitForOpenGL(window->window_, window->context_);
  window->imgui_gl_ = ImGui_ImplOpenGL3_Init("#version 330 core");
  if (!window->imgui_sdl_ || !window->imgui_gl_) {
    if (error) *error = "cannot start Dear ImGui's SDL2/OpenGL3 backends";
    return nullptr;
  }
  return window;
}

GlWindow::~GlWindow() {
  if (imgui_gl_) ImGui_ImplOpenGL3_Shutdown();
  if (imgui_sdl_) ImGui_ImplSDL2_Shutdown();
  if (ImGui::GetCurrentContext()) ImGui::DestroyContext();
  if (context_) SDL_GL_DeleteContext(context_);
  if (window_) SDL_DestroyWindow(window_);
  SDL_Quit();
}

int GlWindow::width() const {
  int w = 0, h = 0;
  SDL_GL_GetDrawableSize(window_, &w, &h);
  return w;
}

int GlWindow::height() const {
  int w = 0, h = 0;
  SDL_GL_GetDrawableSize(window_, &w, &h);
  return h;
}

void GlWindow::new_frame() {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
}

void GlWindow::render() {
  ImGui::Render();
  glViewport(0, 0, width(), height());
  const ImVec4& bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void GlWindow::swap() { SDL_GL_SwapWindow(window_); }

std::vector<std::uint8_t> GlWindow::read_pixels() const {
  int w = width(), h = height();
  std::vector<std::uint8_t> bottom_up(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
  std::vector<std::uint8_t> top_down(bottom_up.size());
  const std::size_t row = static_cast<std::size_t>(w) * 4;
  for (int y = 0; y < h; ++y)
    std::copy_n(bottom_up.data() + static_cast<std::size_t>(h - 1 - y) * row, row, top_down.data() + y * row);
  return top_down;
}

bool write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgba) {
  stbi_flip_vertically_on_write(0);
  return stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4) != 0;
}

}  // namespace kiosk::platform
