// When the display goes away under a running panel. Xlib ends the process from its I/O error
// handler when the X server disappears (it calls exit once the handler returns): the handler here
// says so in words staff can act on and runs the panel's last words (flush the snapshot) first;
// systemd then restarts the panel, which waits for a display while it keeps taking in data.
#pragma once
#include <functional>

namespace kiosk::platform {

// The exit status when the display went away (EX_TEMPFAIL: nothing is wrong with the panel; start
// it again). The unit restarts on any failure; this one tells the journal why.
inline constexpr int kDisplayLostExitCode = 75;

// SIGINT and SIGTERM are what staff and systemd send; SDL turns them into SDL_QUIT, as it does a
// Wayland compositor that went away or a window closed by the display server. Noting the signals
// (then letting SDL's handlers run) tells the two apart. Call after SDL_Init.
void watch_stop_signals();
bool stop_signal_received();

// Installs the handler when SDL runs on X11 (a no-op on Wayland, KMS/DRM and offscreen, whose
// failures reach the frame loop as errors or SDL_QUIT). `last_words` runs once, on the main thread.
void on_display_lost(std::function<void()> last_words);

}  // namespace kiosk::platform
