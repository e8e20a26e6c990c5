// The subcommands that need no screen: check, state, simulate. `run` and `render` live in
// platform/, which has the window.
#pragma once
#include <atomic>
#include <filesystem>
#include <iosfwd>
#include <string>

#include "core/clock.hpp"

namespace kiosk::app {

// Validates config, map and their cross-references; prints every problem as file:line:col.
// Exit code: 1 if any error, 0 otherwise (warnings alone pass).
int check_command(const std::filesystem::path& config, std::ostream& out, std::ostream& err);

// Last known state of every space from the snapshot, with ages and why a space is unknown.
int state_command(const std::filesystem::path& config, bool json, const core::Clock& clock, std::ostream& out,
                  std::ostream& err);

struct RouteOptions {
  std::filesystem::path config;
  std::string to;         // unit id, unit name or company name
  bool accessible = false;  // step-free (also when [routing] step_free = true)
  std::string lang;       // "fr" | "en"; "" = the config's
  bool json = false;      // JSON with each level's polyline in lon/lat
};
// The route from this panel: steps, distance and time. Exit 1 with a message when there is none.
int route_command(const RouteOptions& options, std::ostream& out, std::ostream& err);

struct SimulateOptions {
  double rate = 5;        // messages per second, all sensors together
  double duration_s = 0;  // 0 = until stopped
  unsigned seed = 1;
};
// Publishes realistic sensor traffic for every binding to the first broker of the config
// (retained, like most gateways), until `duration_s` or `stop`.
int simulate_command(const std::filesystem::path& config, const SimulateOptions& options,
                     const std::atomic<bool>& stop, std::ostream& out, std::ostream& err);

}  // namespace kiosk::app
