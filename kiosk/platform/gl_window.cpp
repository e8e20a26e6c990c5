// The window and its context: attempts in order, a probe frame that proves each one draws, the
// ImGui backends. Presentation lives in gl_present.cpp.
#include "platform/gl_window.hpp"

#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "platform/gl_functions.hpp"

namespace kiosk::platform {

namespace {

// GLES contexts keep errors from the backend's desktop-only state queries (GL_POLYGON_MODE):
// harmless, and not ours. Cleared so that a real error later is not mistaken for them.
void clear_gl_errors() {
  for (int i = 0; i < 32 && glGetError() != GL_NO_ERROR; ++i) {
  }
}

std::string gl_string(GLenum name) {
  const auto* text = reinterpret_cast<const char*>(glGetString(name));
  return text ? text : "";
}

}  // namespace

const char* present_mode_name(PresentMode mode) {
  switch (mode) {
    case PresentMode::CopySubBuffer: return "copy-sub-buffer";
    case PresentMode::BufferAge: return "buffer-age";
    case PresentMode::Framebuffer: return "framebuffer";
    case PresentMode::Full: break;
  }
  return "full";
}

std::string GlInfo::summary() const {
  return attempt + " · " + version + " · " + renderer + " · " + video_driver + " · redraw " + present_mode_name(present);
}

std::unique_ptr<GlWindow> GlWindow::create(const WindowOptions& options, std::string* error) {
  // A kiosk window has no frame. On Wayland SDL would otherwise wait for libdecor, which Debian
  // installs without a plugin, and the window would never be mapped (a black screen under cage).
  SDL_SetHintWithPriority(SDL_HINT_VIDEO_WAYLAND_ALLOW_LIBDECOR, "0", SDL_HINT_DEFAULT);
  if (SDL_WasInit(SDL_INIT_VIDEO) == 0 && SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
    if (error) *error = std::string("cannot start SDL video: ") + SDL_GetError();
    return nullptr;
  }
  const std::vector<GlAttempt> attempts = gl_attempts(options.gl);
  if (attempts.empty()) {
    if (error) *error = "[panel] gl = \"" + options.gl + "\" is not one of auto, gl3, gles3";
    return nullptr;
  }
  IMGUI_CHECKVERSION();
  if (!ImGui::GetCurrentContext()) ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk has no window layout to remember
  io.LogFilename = nullptr;
  if (options.fullscreen) io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;

  std::unique_ptr<GlWindow> window(new GlWindow());
  std::vector<GlFailure> failures;
  for (const GlAttempt& attempt : attempts) {
    std::string reason;
    if (window->try_attempt(options, attempt, &reason)) {
      window->info_.failures = std::move(failures);
      return window;
    }
    window->destroy_gl();
    // No window at all is not a GL problem: the other attempts would say the same.
    if (reason.rfind("cannot open a window", 0) == 0) {
      if (error) *error = reason;
      return nullptr;
    }
    failures.push_back({attempt.name, reason});
  }
  if (error) *error = describe_failures(failures, options.gl);
  return nullptr;
}

bool GlWindow::try_attempt(const WindowOptions& options, const GlAttempt& attempt, std::string* reason) {
  SDL_GL_ResetAttributes();
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, attempt.api == GlApi::Es ? SDL_GL_CONTEXT_PROFILE_ES
                                                   : attempt.core           ? SDL_GL_CONTEXT_PROFILE_CORE
                                                                            : 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, attempt.major);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, attempt.minor);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);

  Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
  if (options.hidden) flags |= SDL_WINDOW_HIDDEN;
  else if (options.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  else flags |= SDL_WINDOW_RESIZABLE;
  // Fullscreen at the display's own size from the start: on Wayland the drawable keeps the size asked
  // for until the first events, and a first frame at 1920x1080 on a 1280x800 screen is wasted work.
  int w = options.width, h = options.height;
  SDL_DisplayMode desktop;
  if (options.fullscreen && !options.hidden && SDL_GetDesktopDisplayMode(0, &desktop) == 0 && desktop.w > 0) {
    w = desktop.w;
    h = desktop.h;
  }
  // A window per attempt: SDL may switch between GLX and EGL with the profile, and a window keeps
  // what it was made for.
  window_ = SDL_CreateWindow("kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
  if (!window_) {
    *reason = std::string("cannot open a window (SDL video driver ") +
              (SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "none") + "): " + SDL_GetError();
    return false;
  }
  context_ = SDL_GL_CreateContext(window_);
  if (!context_) {
    *reason = std::string("the driver refused the context: ") + SDL_GetError();
    return false;
  }
  SDL_GL_MakeCurrent(window_, context_);
  const std::string version = gl_string(GL_VERSION);
  const GlVersion parsed = parse_gl_version(version);
  const std::string glsl = glsl_for(parsed);
  if (glsl.empty()) {
    *reason = "the driver gave \"" + version + "\", older than OpenGL 3.0 / OpenGL ES 3.0";
    return false;
  }
  // Pacing comes from the event wait, never from vsync; a swap interval of 1 only avoids tearing.
  SDL_GL_SetSwapInterval(1);
  if (options.fullscreen && !options.hidden) SDL_ShowCursor(SDL_DISABLE);

  imgui_sdl_ = ImGui_ImplSDL2_InitForOpenGL(window_, context_);
  imgui_gl_ = ImGui_ImplOpenGL3_Init(glsl.c_str());
  if (!imgui_sdl_ || !imgui_gl_) {
    *reason = "Dear ImGui's SDL2/OpenGL3 backends did not start (the OpenGL loader found no libGL.so.1?)";
    return false;
  }
  if (!probe_draw(reason)) return false;

  gl_ = std::make_unique<Gl>();
  gl_->load();
  info_.attempt = attempt.name;
  info_.version = version;
  info_.renderer = gl_string(GL_RENDERER);
  info_.glsl = glsl;
  info_.video_driver = SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "";
  choose_present_mode(options);
  clear_gl_errors();
  return true;
}

// One tiny frame, read back: a context whose shaders the driver refuses (or that draws nothing
// for any other reason) is found here, before it shows a blank panel.
bool GlWindow::probe_draw(std::string* reason) {
  clear_gl_errors();
  ImGui_ImplOpenGL3_NewFrame();  // compiles the shaders, uploads a font atlas
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  ImGui::GetForegroundDrawList()->AddRectFilled(ImVec2(0, 0), ImVec2(16, 16), IM_COL32(255, 0, 255, 255));
  ImGui::Render();
  const int h = height();
  glViewport(0, 0, width(), h);
  glDisable(GL_SCISSOR_TEST);
  glClearColor(0, 0, 0, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  unsigned char px[4] = {0, 0, 0, 0};
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(8, h - 8, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
  clear_gl_errors();
  if (px[0] > 250 && px[1] < 5 && px[2] > 250) return true;
  char text[200];
  std::snprintf(text, sizeof text,
                "a test frame drew rgb(%d,%d,%d) where magenta was expected (shaders refused? see ImGui's lines above)",
                px[0], px[1], px[2]);
  *reason = text;
  return false;
}

void GlWindow::destroy_gl() {
  if (gl_ && context_) {
    SDL_GL_MakeCurrent(window_, context_);
    if (gl_->fbo) gl_->DeleteFramebuffers(1, &gl_->fbo);
    if (gl_->color) gl_->DeleteRenderbuffers(1, &gl_->color);
  }
  gl_.reset();
  if (imgui_gl_) ImGui_ImplOpenGL3_Shutdown();
  if (imgui_sdl_) ImGui_ImplSDL2_Shutdown();
  imgui_gl_ = imgui_sdl_ = false;
  if (context_) SDL_GL_DeleteContext(context_);
  if (window_) SDL_DestroyWindow(window_);
  context_ = nullptr;
  window_ = nullptr;
}

// The ImGui context (fonts, the visitor's UI state) outlives a window: a panel whose context was
// lost opens a new window and carries on. SDL's video goes with the window, so that a new one
// connects to the display afresh (an X server that was restarted).
GlWindow::~GlWindow() {
  destroy_gl();
  SDL_QuitSubSystem(SDL_INIT_VIDEO);
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

void GlWindow::upload_fonts() {
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  // The texture holds the glyphs now; the CPU copies (RGBA and alpha, megabytes at 4K) go.
  ImGui::GetIO().Fonts->ClearTexData();
  damage_.invalidate();
}

void GlWindow::new_frame() {
  // Fonts loaded since the last frame (a new screen size) need their texture.
  if (!ImGui::GetIO().Fonts->IsBuilt()) upload_fonts();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
}

std::vector<std::uint8_t> GlWindow::read_pixels() const {
  int w = width(), h = height();
  std::vector<std::uint8_t> bottom_up(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  if (info_.present == PresentMode::Framebuffer && gl_->fbo) {
    gl_->BindFramebuffer(GL_READ_FRAMEBUFFER, gl_->fbo);
    glReadBuffer(GL_COLOR_ATTACHMENT0);
  } else {
    glReadBuffer(GL_BACK);
  }
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
  if (gl_->fbo) gl_->BindFramebuffer(GL_READ_FRAMEBUFFER, 0);
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
