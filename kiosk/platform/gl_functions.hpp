// Private to platform/: the GL, GLX and EGL entry points beyond what libGL exports as GL 1.x,
// looked up through SDL once the context is current, and the persistent framebuffer.
#pragma once
#include <SDL.h>
#include <SDL_opengl.h>

#include <string>

#include "platform/gl_window.hpp"

namespace kiosk::platform {

struct GlWindow::Gl {
  // GL 3.0 / GLES 3.0: framebuffer objects and blits.
  PFNGLGENFRAMEBUFFERSPROC GenFramebuffers = nullptr;
  PFNGLDELETEFRAMEBUFFERSPROC DeleteFramebuffers = nullptr;
  PFNGLBINDFRAMEBUFFERPROC BindFramebuffer = nullptr;
  PFNGLGENRENDERBUFFERSPROC GenRenderbuffers = nullptr;
  PFNGLDELETERENDERBUFFERSPROC DeleteRenderbuffers = nullptr;
  PFNGLBINDRENDERBUFFERPROC BindRenderbuffer = nullptr;
  PFNGLRENDERBUFFERSTORAGEPROC RenderbufferStorage = nullptr;
  PFNGLFRAMEBUFFERRENDERBUFFERPROC FramebufferRenderbuffer = nullptr;
  PFNGLCHECKFRAMEBUFFERSTATUSPROC CheckFramebufferStatus = nullptr;
  PFNGLBLITFRAMEBUFFERPROC BlitFramebuffer = nullptr;
  // GL 4.5 / KHR_robustness: a reset of the context (GPU hang, driver restart).
  GLenum(APIENTRY* GetGraphicsResetStatus)() = nullptr;

  // GLX (SDL's X11 driver): partial presentation and buffer age. Display* and GLXDrawable as
  // plain types: no Xlib header needed for four calls.
  void* (*glXGetCurrentDisplay)() = nullptr;
  unsigned long (*glXGetCurrentDrawable)() = nullptr;
  void* (*glXGetCurrentContext)() = nullptr;
  int (*glXQueryContext)(void* display, void* context, int attribute, int* value) = nullptr;
  const char* (*glXQueryExtensionsString)(void* display, int screen) = nullptr;
  void (*glXCopySubBufferMESA)(void* display, unsigned long drawable, int x, int y, int w, int h) = nullptr;
  void (*glXQueryDrawable)(void* display, unsigned long drawable, int attribute, unsigned int* value) = nullptr;
  // EGL (Wayland, KMS/DRM, offscreen): buffer age.
  void* (*eglGetCurrentDisplay)() = nullptr;
  void* (*eglGetCurrentSurface)(int which) = nullptr;
  const char* (*eglQueryString)(void* display, int name) = nullptr;
  unsigned (*eglQuerySurface)(void* display, void* surface, int attribute, int* value) = nullptr;
  bool glx = false, egl = false;  // which one the current context belongs to
  std::string extensions;          // the window system's (GLX or EGL) extension string

  GLuint fbo = 0, color = 0;
  int fbo_width = 0, fbo_height = 0;

  void load();
};

}  // namespace kiosk::platform
