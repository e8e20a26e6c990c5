// Frames that cost only what changed. Index:
//   [lookup]   entry points from SDL, which window system the context belongs to
//   [mode]     which way to keep the picture (copy-sub-buffer, buffer-age, framebuffer, full)
//   [render]   damage -> the regions to redraw -> a cut of the draw data
//   [present]  the regions to the screen
#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "platform/gl_functions.hpp"

namespace kiosk::platform {

// ---- [lookup] ----

namespace {

template <typename Fn>
void lookup(Fn& fn, const char* name) {
  fn = reinterpret_cast<Fn>(SDL_GL_GetProcAddress(name));
}

constexpr int kGlxScreen = 0x800C;            // GLX_SCREEN
constexpr int kGlxBackBufferAge = 0x20F4;     // GLX_BACK_BUFFER_AGE_EXT
constexpr int kEglExtensions = 0x3055;        // EGL_EXTENSIONS
constexpr int kEglDraw = 0x3059;              // EGL_DRAW
constexpr int kEglBufferAge = 0x313D;         // EGL_BUFFER_AGE_EXT
constexpr GLenum kContextLost = 0x0507;       // GL_CONTEXT_LOST (GL 4.5, KHR_robustness)
constexpr int kZeroAgesBeforeFramebuffer = 8;  // more than any swap chain has buffers

bool has_extension(const std::string& list, const char* name) {
  const std::size_t n = std::strlen(name);
  for (std::size_t at = list.find(name); at != std::string::npos; at = list.find(name, at + 1)) {
    const bool starts = at == 0 || list[at - 1] == ' ';
    const bool ends = at + n == list.size() || list[at + n] == ' ';
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

void GlWindow::Gl::load() {
  lookup(GenFramebuffers, "glGenFramebuffers");
  lookup(DeleteFramebuffers, "glDeleteFramebuffers");
  lookup(BindFramebuffer, "glBindFramebuffer");
  lookup(GenRenderbuffers, "glGenRenderbuffers");
  lookup(DeleteRenderbuffers, "glDeleteRenderbuffers");
  lookup(BindRenderbuffer, "glBindRenderbuffer");
  lookup(RenderbufferStorage, "glRenderbufferStorage");
  lookup(FramebufferRenderbuffer, "glFramebufferRenderbuffer");
  lookup(CheckFramebufferStatus, "glCheckFramebufferStatus");
  lookup(BlitFramebuffer, "glBlitFramebuffer");
  lookup(GetGraphicsResetStatus, "glGetGraphicsResetStatus");
  if (!GetGraphicsResetStatus) lookup(GetGraphicsResetStatus, "glGetGraphicsResetStatusKHR");

  const char* driver = SDL_GetCurrentVideoDriver();
  if (driver && std::strcmp(driver, "x11") == 0) {
    lookup(glXGetCurrentDisplay, "glXGetCurrentDisplay");
    lookup(glXGetCurrentDrawable, "glXGetCurrentDrawable");
    lookup(glXGetCurrentContext, "glXGetCurrentContext");
    lookup(glXQueryContext, "glXQueryContext");
    lookup(glXQueryExtensionsString, "glXQueryExtensionsString");
    lookup(glXCopySubBufferMESA, "glXCopySubBufferMESA");
    lookup(glXQueryDrawable, "glXQueryDrawable");
    // SDL's X11 driver may also run EGL (SDL_VIDEO_X11_FORCE_EGL): GLX only if it has the context.
    glx = glXGetCurrentDisplay && glXGetCurrentContext && glXGetCurrentContext() && glXQueryContext &&
          glXQueryExtensionsString;
    if (glx) {
      int screen = 0;
      glXQueryContext(glXGetCurrentDisplay(), glXGetCurrentContext(), kGlxScreen, &screen);
      const char* list = glXQueryExtensionsString(glXGetCurrentDisplay(), screen);
      extensions = list ? list : "";
    }
  }
  if (!glx) {
    lookup(eglGetCurrentDisplay, "eglGetCurrentDisplay");
    lookup(eglGetCurrentSurface, "eglGetCurrentSurface");
    lookup(eglQueryString, "eglQueryString");
    lookup(eglQuerySurface, "eglQuerySurface");
    egl = eglGetCurrentDisplay && eglGetCurrentDisplay() && eglQueryString && eglGetCurrentSurface && eglQuerySurface;
    if (egl) {
      const char* list = eglQueryString(eglGetCurrentDisplay(), kEglExtensions);
      extensions = list ? list : "";
    }
  }
}

// ---- [mode] ----

void GlWindow::choose_present_mode(const WindowOptions& options) {
  const bool fbo_possible = gl_->GenFramebuffers && gl_->BlitFramebuffer && gl_->RenderbufferStorage;
  const bool copy_sub_buffer = gl_->glx && gl_->glXCopySubBufferMESA && has_extension(gl_->extensions, "GLX_MESA_copy_sub_buffer");
  const bool buffer_age = (gl_->glx && gl_->glXQueryDrawable && has_extension(gl_->extensions, "GLX_EXT_buffer_age")) ||
                          (gl_->egl && has_extension(gl_->extensions, "EGL_EXT_buffer_age"));
  PresentMode mode = PresentMode::Full;
  if (!options.partial_redraw) mode = PresentMode::Full;
  else if (copy_sub_buffer) mode = PresentMode::CopySubBuffer;
  else if (buffer_age) mode = PresentMode::BufferAge;
  else if (fbo_possible) mode = PresentMode::Framebuffer;
  // Diagnostics and the pixel tests: KIOSK_PRESENT=full|framebuffer|buffer-age|copy-sub-buffer.
  if (const char* forced = std::getenv("KIOSK_PRESENT"); forced && options.partial_redraw) {
    const std::string want = forced;
    if (want == "full") mode = PresentMode::Full;
    else if (want == "framebuffer" && fbo_possible) mode = PresentMode::Framebuffer;
    else if (want == "buffer-age" && buffer_age) mode = PresentMode::BufferAge;
    else if (want == "copy-sub-buffer" && copy_sub_buffer) mode = PresentMode::CopySubBuffer;
    else std::cerr << "kiosk: KIOSK_PRESENT=" << want << " is not available here; using " << present_mode_name(mode) << '\n';
  }
  if (mode == PresentMode::Framebuffer && !ensure_framebuffer(width(), height())) mode = PresentMode::Full;
  info_.present = mode;
  damage_.invalidate();
}

bool GlWindow::ensure_framebuffer(int w, int h) {
  if (gl_->fbo && gl_->fbo_width == w && gl_->fbo_height == h) return true;
  if (!gl_->fbo) {
    gl_->GenFramebuffers(1, &gl_->fbo);
    gl_->GenRenderbuffers(1, &gl_->color);
  }
  gl_->BindRenderbuffer(GL_RENDERBUFFER, gl_->color);
  gl_->RenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
  gl_->BindFramebuffer(GL_FRAMEBUFFER, gl_->fbo);
  gl_->FramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, gl_->color);
  const bool complete = gl_->CheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  gl_->BindFramebuffer(GL_FRAMEBUFFER, 0);
  gl_->fbo_width = w;
  gl_->fbo_height = h;
  damage_.invalidate();
  if (!complete) {
    std::cerr << "kiosk: the driver refused a " << w << "x" << h << " framebuffer; drawing whole frames instead\n";
    gl_->DeleteFramebuffers(1, &gl_->fbo);
    gl_->DeleteRenderbuffers(1, &gl_->color);
    gl_->fbo = gl_->color = 0;
  }
  return complete;
}

int GlWindow::buffer_age() const {
  if (gl_->glx && gl_->glXQueryDrawable) {
    unsigned int age = 0;
    gl_->glXQueryDrawable(gl_->glXGetCurrentDisplay(), gl_->glXGetCurrentDrawable(), kGlxBackBufferAge, &age);
    return static_cast<int>(age);
  }
  if (gl_->egl) {
    int age = 0;
    if (!gl_->eglQuerySurface(gl_->eglGetCurrentDisplay(), gl_->eglGetCurrentSurface(kEglDraw), kEglBufferAge, &age))
      return 0;
    return age;
  }
  return 0;
}

// ---- [render] ----

namespace {

// The clear at the start of each damaged rectangle (a draw callback, so that it runs inside the
// backend's single pass, with scissoring on).
void clear_rect(const ImDrawList*, const ImDrawCmd* cmd) {
  const auto* request = static_cast<const ClearRequest*>(cmd->UserCallbackData);
  const DamageRect& r = request->rect;
  glScissor(r.x0, request->fb_height - r.y1, r.width(), r.height());
  glClearColor(request->rgba[0], request->rgba[1], request->rgba[2], request->rgba[3]);
  glClear(GL_COLOR_BUFFER_BIT);
}

std::size_t triangle_count(const ImDrawData& data) { return static_cast<std::size_t>(data.TotalIdxCount) / 3; }

}  // namespace

void GlWindow::draw_whole(ImDrawData* data) {
  glViewport(0, 0, width(), height());
  glDisable(GL_SCISSOR_TEST);
  const ImVec4& bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(data);
}

FrameResult GlWindow::render() {
  ImGui::Render();
  ImDrawData* data = ImGui::GetDrawData();
  const int w = width(), h = height();
  const DamageRect whole{0, 0, w, h};
  FrameResult result;
  std::vector<DamageRect> region;
  if (info_.present == PresentMode::Full) {
    region = {whole};
  } else {
    region = damage_.compare(*data, w, h);
    if (region.empty()) return result;  // nothing on screen changes
    if (info_.present == PresentMode::BufferAge) {
      const int age = buffer_age();
      zero_ages_ = age == 0 ? zero_ages_ + 1 : 0;
      region = ring_.region(region, age, w, h);
      // A driver that advertises buffer age but never knows it (0 every time; a new swap chain gives
      // 0 for each of its buffers' first use): keep the picture in a framebuffer instead, or every
      // frame is whole.
      if (zero_ages_ >= kZeroAgesBeforeFramebuffer && ensure_framebuffer(w, h)) {
        std::cerr << "kiosk: the driver reports no buffer age; keeping frames in a framebuffer\n";
        info_.present = PresentMode::Framebuffer;
        region = {whole};
      }
    }
  }
  if (info_.present == PresentMode::Framebuffer) {
    if (!ensure_framebuffer(w, h)) {
      info_.present = PresentMode::Full;
      region = {whole};
    }
  }
  if (gl_->BindFramebuffer)
    gl_->BindFramebuffer(GL_FRAMEBUFFER, info_.present == PresentMode::Framebuffer ? gl_->fbo : 0);
  if (region.size() == 1 && region[0] == whole) {
    draw_whole(data);
    result.triangles = triangle_count(*data);
  } else {
    const ImVec4& bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    const float clear[4] = {bg.x, bg.y, bg.z, 1.0f};
    DamagedDrawData cut(*data, region, &clear_rect, clear);
    ImGui_ImplOpenGL3_RenderDrawData(cut.get());
    result.triangles = cut.triangles();
  }
  result.drawn = true;
  result.rects = static_cast<int>(region.size());
  for (const DamageRect& r : region) result.pixels += r.area();
  drawn_ = std::move(region);

  // A context reset (GPU hang, driver restart) loses every object: the caller makes a new window.
  for (int i = 0; i < 8; ++i) {
    const GLenum error = glGetError();
    if (error == GL_NO_ERROR) break;
    if (error == kContextLost) result.context_lost = true;
  }
  if (gl_->GetGraphicsResetStatus && gl_->GetGraphicsResetStatus() != GL_NO_ERROR) result.context_lost = true;
  return result;
}

// ---- [present] ----

void GlWindow::present() {
  const int w = width(), h = height();
  switch (info_.present) {
    case PresentMode::CopySubBuffer: {
      // The back buffer is never swapped, so it keeps the whole picture; only what changed is copied
      // to the window (each copy flushes).
      void* display = gl_->glXGetCurrentDisplay();
      const unsigned long drawable = gl_->glXGetCurrentDrawable();
      for (const DamageRect& r : drawn_) gl_->glXCopySubBufferMESA(display, drawable, r.x0, h - r.y1, r.width(), r.height());
      return;
    }
    case PresentMode::Framebuffer:
      gl_->BindFramebuffer(GL_READ_FRAMEBUFFER, gl_->fbo);
      gl_->BindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
      gl_->BlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
      gl_->BindFramebuffer(GL_FRAMEBUFFER, 0);
      SDL_GL_SwapWindow(window_);
      return;
    case PresentMode::BufferAge:
    case PresentMode::Full:
      SDL_GL_SwapWindow(window_);
      return;
  }
}

}  // namespace kiosk::platform
