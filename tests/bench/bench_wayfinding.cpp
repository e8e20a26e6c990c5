// Wayfinding on a synthetic venue (10 levels x 500 rooms, scripts/gen-synthetic-venue) and on the
// sample campus: floor plan build, NavGraph::build (median of 5; wall and CPU time, the machine may
// be shared), 1000 routes from the level-0 kiosk to random rooms (median / p99), times_from.
//   bench_wayfinding [levels (default 10)] [units per level (default 500)]
// Prints name=value lines, then the same as one JSON line. Exits 1 only on wrong results (a room
// not reached, a route that disagrees with times_from), never on timing.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "bench_util.hpp"
#include "imdf/loader.hpp"
#include "wayfinding/floor_plan.hpp"
#include "wayfinding/nav_graph.hpp"

using namespace kiosk;
using namespace kiosk::wayfinding;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }
double cpu_ms(std::clock_t c0) { return 1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC; }

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

std::vector<std::pair<std::string, double>> results;
void put(const std::string& name, double value) {
  std::printf("%s=%.3f\n", name.c_str(), value);
  results.emplace_back(name, value);
}

std::optional<core::Venue> load(const std::filesystem::path& folder) {
  auto loaded = imdf::load(folder);
  if (!loaded.venue) {
    for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", imdf::format(d).c_str());
    std::fprintf(stderr, "bench_wayfinding: cannot load %s\n", folder.c_str());
  }
  return std::move(loaded.venue);
}

}  // namespace

int main(int argc, char** argv) {
  const int levels = argc > 1 ? std::atoi(argv[1]) : 10;
  const int per_level = argc > 2 ? std::atoi(argv[2]) : 500;
  bool ok = true;

  // Sample campus: the floor plan a panel builds at start.
  if (auto campus = load(std::filesystem::path(KIOSK_SOURCE_DIR) / "config" / "campus")) {
    std::vector<double> t;
    for (int i = 0; i < 5; ++i) {
      const auto t0 = Clock::now();
      const FloorPlan plan = build_floor_plan(*campus);
      t.push_back(ms_since(t0));
    }
    put("campus_plan_ms", quantile(t, 0.5));
    const FloorPlan plan = build_floor_plan(*campus);
    const auto t0 = Clock::now();
    const NavGraph graph = NavGraph::build(*campus, plan);
    put("campus_graph_ms", ms_since(t0));
  } else {
    ok = false;
  }

  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("kiosk-bench-wayfinding-" + std::to_string(::getpid()));
  const std::string command = std::string("'") + KIOSK_SOURCE_DIR + "/scripts/gen-synthetic-venue' --levels " +
                              std::to_string(levels) + " --units-per-level " + std::to_string(per_level) + " --out '" +
                              dir.string() + "' > /dev/null";
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "bench_wayfinding: %s failed (python3 needed)\n", command.c_str());
    return 1;
  }
  auto venue = load(dir);
  std::filesystem::remove_all(dir);
  if (!venue) return 1;

  const long rss0 = bench::status_kb("VmRSS");
  auto t0 = Clock::now();
  const FloorPlan plan = build_floor_plan(*venue);
  put("synthetic_plan_ms", ms_since(t0));
  put("synthetic_plan_kb", static_cast<double>(plan.memory_bytes()) / 1024);

  std::vector<double> wall, cpu;
  NavGraph graph;
  for (int i = 0; i < 5; ++i) {
    const auto w0 = Clock::now();
    const std::clock_t c0 = std::clock();
    graph = NavGraph::build(*venue, plan);
    cpu.push_back(cpu_ms(c0));
    wall.push_back(ms_since(w0));
  }
  put("synthetic_units", static_cast<double>(venue->units.size()));
  put("graph_build_ms", quantile(wall, 0.5));
  put("graph_build_cpu_ms", quantile(cpu, 0.5));
  put("graph_nodes", static_cast<double>(graph.node_count()));
  put("graph_edges", static_cast<double>(graph.edge_count()));
  put("graph_kb", static_cast<double>(graph.memory_bytes()) / 1024);
  put("rss_after_build_kb", static_cast<double>(bench::status_kb("VmRSS") - rss0));

  // The level-0 kiosk (levels are sorted by ordinal).
  std::uint32_t kiosk = kNone;
  for (std::uint32_t k = 0; k < plan.kiosks.size(); ++k)
    if (plan.kiosks[k].level == 0) kiosk = k;
  if (kiosk == kNone) {
    std::fprintf(stderr, "bench_wayfinding: the synthetic venue has no kiosk on level 0\n");
    return 1;
  }

  t0 = Clock::now();
  const std::vector<float> times = graph.times_from(kiosk);
  put("times_from_ms", ms_since(t0));
  std::size_t unreached = 0;
  for (std::size_t u = 0; u < times.size(); ++u)
    if (!std::isfinite(times[u])) ++unreached;
  put("units_unreached", static_cast<double>(unreached));
  if (unreached > 0) {
    std::fprintf(stderr, "bench_wayfinding: %zu units not reached from the level-0 kiosk\n", unreached);
    ok = false;
  }

  std::mt19937 random(12345);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(venue->units.size() - 1));
  std::vector<double> query, query_cpu;
  std::size_t changes = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::uint32_t to = pick(random);
    const auto q0 = Clock::now();
    const std::clock_t c0 = std::clock();
    const RouteResult r = graph.route(kiosk, to);
    query_cpu.push_back(cpu_ms(c0));
    query.push_back(ms_since(q0));
    if (!r.route || std::abs(r.route->time_s - times[to]) > 0.01f * times[to] + 0.01f) {
      std::fprintf(stderr, "bench_wayfinding: route to unit %u is wrong: %s\n", to,
                   r.route ? "its time disagrees with times_from" : r.detail.c_str());
      ok = false;
      break;
    }
    changes += r.route->changes.size();
  }
  put("route_p50_ms", quantile(query, 0.5));
  put("route_p99_ms", quantile(query, 0.99));
  put("route_max_ms", quantile(query, 1.0));
  put("route_cpu_p50_ms", quantile(query_cpu, 0.5));
  put("route_cpu_p99_ms", quantile(query_cpu, 0.99));
  put("routes_with_level_change", static_cast<double>(changes));

  std::printf("{\"bench\":\"wayfinding\"");
  for (const auto& [name, value] : results) std::printf(",\"%s\":%.3f", name.c_str(), value);
  std::printf(",\"ok\":%s}\n", ok ? "true" : "false");
  return ok ? 0 : 1;
}
