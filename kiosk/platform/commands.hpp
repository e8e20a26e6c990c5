// The subcommands that need a window: the panel itself, and a headless render to PNG.
#pragma once
#include <filesystem>
#include <string>

namespace kiosk::platform {

struct RunOptions {
  std::filesystem::path config;
  bool windowed = false;
  int width = 1920, height = 1080;  // windowed size; fullscreen takes the display's
};
// The panel: blocks until SIGINT/SIGTERM or the window closes. Exit code for the shell.
int run_command(const RunOptions& options);

struct RenderOptions {
  std::filesystem::path config;
  std::string screen = "board";
  std::filesystem::path out;
  int width = 1920, height = 1080;
  std::string lang;          // "" = the config's
  double wait_s = 0;         // > 0: connect and take in live data for this long before drawing
  std::filesystem::path layout_out;  // optional: where things were drawn, as JSON
  std::string to;            // route: the destination; map: the unit selected (and its level shown)
};
int render_command(const RenderOptions& options);

}  // namespace kiosk::platform
