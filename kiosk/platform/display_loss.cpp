#include "platform/display_loss.hpp"

#include <SDL.h>
#include <signal.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace kiosk::platform {

namespace {

std::function<void()>& last_words() {
  static std::function<void()> words;
  return words;
}

int x_io_error(void* /*display*/) {
  std::cerr << "kiosk: the X display went away (server stopped, or the screen's session ended); stopping now so "
               "that the service restarts the panel, which waits for a display again"
            << std::endl;
  if (auto words = std::move(last_words())) words();
  // Not Xlib's exit(): at exit, GLX's own clean-up talks to the dead server again and re-enters
  // this handler. The snapshot is flushed; nothing else needs tidying. EX_TEMPFAIL: start again.
  std::_Exit(kDisplayLostExitCode);
}

volatile sig_atomic_t stop_signal = 0;
struct sigaction previous_int, previous_term;

void note_stop_signal(int sig) {
  stop_signal = 1;
  const struct sigaction& previous = sig == SIGINT ? previous_int : previous_term;
  if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler) previous.sa_handler(sig);
}

}  // namespace

void watch_stop_signals() {
  struct sigaction action {};
  action.sa_handler = &note_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
}

bool stop_signal_received() { return stop_signal != 0; }

void on_display_lost(std::function<void()> words) {
  const char* driver = SDL_GetCurrentVideoDriver();
  if (!driver || std::strcmp(driver, "x11") != 0) return;
  // SDL loads libX11 itself at run time; take the already loaded library's handler setter from it
  // rather than linking Xlib for one call.
  void* xlib = SDL_LoadObject("libX11.so.6");
  if (!xlib) return;
  using Handler = int (*)(void*);
  auto set_handler = reinterpret_cast<Handler (*)(Handler)>(SDL_LoadFunction(xlib, "XSetIOErrorHandler"));
  if (!set_handler) return;
  last_words() = std::move(words);
  set_handler(&x_io_error);
}

}  // namespace kiosk::platform
