// kiosk: wiring only. Parses the command line (PRODUCT.md's contract) and hands over.
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "core/clock.hpp"
#include "platform/commands.hpp"

namespace {

std::atomic<bool> g_stop{false};

bool parse_size(const std::string& text, int& width, int& height) {
  auto x = text.find('x');
  if (x == std::string::npos) return false;
  try {
    width = std::stoi(text.substr(0, x));
    height = std::stoi(text.substr(x + 1));
  } catch (const std::exception&) {
    return false;
  }
  return width > 0 && height > 0;
}

}  // namespace

int main(int argc, char** argv) {
  // `kiosk --config F [--windowed]` means `kiosk run --config F [--windowed]`.
  std::vector<std::string> args(argv, argv + argc);
  if (args.size() > 1 && args[1].rfind("-", 0) == 0 && args[1] != "-h" && args[1] != "--help")
    args.insert(args.begin() + 1, "run");
  std::vector<char*> arg_ptrs;
  for (auto& a : args) arg_ptrs.push_back(a.data());

  CLI::App cli{"kiosk: floor panels that show which spaces are free right now"};
  cli.require_subcommand(1);
  std::string config, size = "1920x1080", screen = "board", out, lang, layout, to;
  bool windowed = false, json = false, accessible = false;
  double wait = 0, rate = 5, duration = 0;

  auto* run = cli.add_subcommand("run", "the fullscreen panel (the main job)");
  run->add_option("--config", config, "panel config file")->required();
  run->add_flag("--windowed", windowed, "a window instead of fullscreen (development)");
  run->add_option("--size", size, "window size WxH when windowed");

  auto* check = cli.add_subcommand("check", "validate config and map; file:line:col errors, exit 1 on errors");
  check->add_option("--config", config, "panel config file")->required();

  auto* render = cli.add_subcommand("render", "draw one screen headless to a PNG");
  render->add_option("--config", config, "panel config file")->required();
  render->add_option("--screen", screen, "screen to draw: board, map, route (with --to), directory, admin");
  render->add_option("--out", out, "PNG file to write")->required();
  render->add_option("--size", size, "WxH, default 1920x1080");
  render->add_option("--lang", lang, "fr or en (default: the config's)")->check(CLI::IsMember({"fr", "en"}));
  render->add_option("--wait", wait, "connect and take in live data for S seconds before drawing");
  render->add_option("--layout", layout, "also write where each tile was drawn, as JSON");
  render->add_option("--to", to, "route: the destination (unit id, room or company name); map: the unit to select");

  auto* route = cli.add_subcommand("route", "the route from this panel to a space, as text or JSON");
  route->add_option("--config", config, "panel config file")->required();
  route->add_option("--to", to, "unit id, room or company name")->required();
  route->add_flag("--accessible", accessible, "step-free: no stairs, steps or escalators");
  route->add_option("--lang", lang, "fr or en (default: the config's)")->check(CLI::IsMember({"fr", "en"}));
  route->add_flag("--json", json, "JSON with each level's polyline in lon/lat");

  auto* state = cli.add_subcommand("state", "last known state of every space, with ages");
  state->add_option("--config", config, "panel config file")->required();
  state->add_flag("--json", json, "JSON output");

  auto* simulate = cli.add_subcommand("simulate", "publish sensor traffic that matches the bindings");
  simulate->add_option("--config", config, "panel config file")->required();
  simulate->add_option("--rate", rate, "messages per second (default 5)")->check(CLI::PositiveNumber);
  simulate->add_option("--duration", duration, "seconds (default: until Ctrl+C)")->check(CLI::NonNegativeNumber);

  try {
    cli.parse(static_cast<int>(arg_ptrs.size()), arg_ptrs.data());
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  kiosk::core::SystemClock clock;
  if (*check) return kiosk::app::check_command(config, std::cout, std::cerr);
  if (*route) {
    kiosk::app::RouteOptions options{config, to, accessible, lang, json};
    return kiosk::app::route_command(options, std::cout, std::cerr);
  }
  if (*state) return kiosk::app::state_command(config, json, clock, std::cout, std::cerr);
  if (*simulate) {
    std::signal(SIGINT, [](int) { g_stop = true; });
    std::signal(SIGTERM, [](int) { g_stop = true; });
    kiosk::app::SimulateOptions options;
    options.rate = rate;
    options.duration_s = duration;
    return kiosk::app::simulate_command(config, options, g_stop, std::cout, std::cerr);
  }
  kiosk::platform::RunOptions run_options;
  kiosk::platform::RenderOptions render_options;
  int* width = *render ? &render_options.width : &run_options.width;
  int* height = *render ? &render_options.height : &run_options.height;
  if (!parse_size(size, *width, *height)) {
    std::cerr << "kiosk: --size must look like 1920x1080\n";
    return 2;
  }
  if (*render) {
    render_options.config = config;
    render_options.screen = screen;
    render_options.out = out;
    render_options.lang = lang;
    render_options.wait_s = wait;
    render_options.layout_out = layout;
    render_options.to = to;
    return kiosk::platform::render_command(render_options);
  }
  run_options.config = config;
  run_options.windowed = windowed;
  return kiosk::platform::run_command(run_options);
}
