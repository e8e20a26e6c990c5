// Fills a panel's snapshot with one recent row per space (mixed free / occupied), for the
// start-to-first-frame benchmark: the panel then starts from a full snapshot.
//   bench_fill_snapshot PANEL.toml
// Prints fill_spaces=N, fill_rows=N, fill_ms=T, fill_setup_ms=T (load_setup alone, no window) and
// fill_setup_rss_*_kb (what load_setup leaves in memory).
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "bench_util.hpp"
#include "app/setup.hpp"
#include "core/clock.hpp"
#include "store/snapshot.hpp"

using namespace kiosk;

namespace {
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bench_fill_snapshot PANEL.toml\n");
    return 2;
  }
  const long rss0 = kiosk::bench::status_kb("VmRSS");
  const auto t0 = std::chrono::steady_clock::now();
  app::Setup setup = app::load_setup(argv[1]);
  const auto t1 = std::chrono::steady_clock::now();
  // Memory of the loaded setup (config + map + model + routes), as a hint for the RSS measure: peak
  // while loading, held after, and held after handing freed heap back to the system.
  const long rss1 = kiosk::bench::status_kb("VmRSS"), hwm1 = kiosk::bench::status_kb("VmHWM");
  malloc_trim(0);
  const long rss2 = kiosk::bench::status_kb("VmRSS");
  std::printf("fill_setup_rss_before_kb=%ld\n", rss0);
  std::printf("fill_setup_rss_peak_kb=%ld\n", hwm1);
  std::printf("fill_setup_rss_after_kb=%ld\n", rss1);
  std::printf("fill_setup_rss_after_trim_kb=%ld\n", rss2);
  if (!setup.usable()) {
    for (const auto& line : setup.messages) std::fprintf(stderr, "%s\n", line.c_str());
    return 1;
  }
  const core::TimePoint now = core::SystemClock().now();
  std::vector<store::Row> rows;
  rows.reserve(setup.model.spaces.size());
  for (std::size_t i = 0; i < setup.model.spaces.size(); ++i) {
    const core::Space& space = setup.model.spaces[i];
    core::Reading r;
    if (space.seats > 0) {
      r.kind = core::Reading::Kind::Count;
      r.count = static_cast<std::int32_t>(i % static_cast<std::size_t>(space.seats + 1));
    } else {
      r.occupied = i % 3 == 0;
    }
    r.observed = now - std::chrono::seconds(static_cast<long long>(i % 300));
    r.ttl = std::chrono::hours(24);  // still fresh while the benchmark runs
    rows.push_back({space.id, r});
  }
  auto db = store::Snapshot::open(setup.config->snapshot);
  db->write(rows, {});
  const std::size_t stored = db->load_latest().size();
  const auto t2 = std::chrono::steady_clock::now();
  std::printf("fill_spaces=%zu\n", setup.model.spaces.size());
  std::printf("fill_rows=%zu\n", stored);
  std::printf("fill_setup_ms=%.1f\n", std::chrono::duration<double, std::milli>(t1 - t0).count());
  std::printf("fill_ms=%.1f\n", std::chrono::duration<double, std::milli>(t2 - t1).count());
  return 0;
}
