// Publish -> pixel latency on loopback: from the moment a sensor's message is handed to libmosquitto to
// the return of the present (swap, or copy to the window) of the first frame drawn with it.
//   bench_latency PANEL.toml [messages (default 200)] [interval ms (default 100)] [label]
// PANEL.toml: a panel over a synthetic venue (scripts/gen-synthetic-venue --config; its binding is
// bench/{space}/occupancy); this program points it at a broker of its own and a snapshot in a
// temporary folder. Needs a display: run it under xvfb-run (or SDL_VIDEODRIVER=offscreen).
//
// A real window (platform::GlWindow, windowed 1920x1080, redrawing only what changed) with the panel's
// UI (ui::Ui) and network path (app::Panel: MQTT thread, Inbox, store thread); the loop is the frame
// loop's, reduced: wait for an event (the Inbox wakes it with SDL_PushEvent) or the deferred data frame
// -> pump -> build the frame (ImGui) -> GL draw of the damage -> present (platform::FramePolicy: at most
// one data-driven frame per 200 ms under a stream).
// The messages go to the spaces whose tiles are on screen (so that each one changes pixels), in turn:
// message i sets space visible[i % n] occupied on the first round, vacant on the next, and so on. For
// each message:
//   total   = publish -> present returned (of the first frame drawn after the pump that applied it)
//   deliver = publish -> the loop woke for it (broker, MQTT thread, decode, Inbox, wake; plus the end
//             of a frame in progress, and the wait for the next data frame under a stream)
//   cpu     = wake -> frame built (pump: AppState + store hand-off; ImGui: the board) - wall time
//   gl      = frame built -> present returned (ImGui::Render, damage, GL draw, present): software GL on a
//             machine without a GPU, so reported apart
// Every message must reach the screen ("no change lost"), or the program fails.
// Prints name=value lines (latency_<label>_..., milliseconds); p50/p99/max over the messages.
#include <SDL2/SDL.h>  // SDL is a private dependency of kiosk_platform: no include path here
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "../unit/ingest_broker_helper.hpp"
#include "app/panel.hpp"
#include "app/setup.hpp"
#include "ingest/mqtt/client.hpp"
#include "platform/frame_loop.hpp"
#include "platform/gl_window.hpp"
#include "ui/ui.hpp"

using namespace kiosk;
using SteadyClock = std::chrono::steady_clock;

namespace {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count();
}
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}
double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(static_cast<double>(v.size()) * p))];
}
std::string prefix = "latency_";
void print_stats(const char* name, const std::vector<double>& v) {
  std::printf("%s%s_p50_ms=%.2f\n", prefix.c_str(), name, percentile(v, 0.5));
  std::printf("%s%s_p99_ms=%.2f\n", prefix.c_str(), name, percentile(v, 0.99));
  std::printf("%s%s_max_ms=%.2f\n", prefix.c_str(), name, v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_latency PANEL.toml [messages] [interval_ms]\n");
    return 2;
  }
  const int count = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;
  const int interval_ms = argc > 3 ? std::max(1, std::atoi(argv[3])) : 100;
  if (argc > 4) prefix = std::string("latency_") + argv[4] + "_";

  testing::Broker broker;
  if (!broker.running()) {
    std::fprintf(stderr, "bench_latency: mosquitto did not start (log: %s)\n", broker.log_path().c_str());
    return 1;
  }
  const std::string panel_file = broker.dir() + "/panel.toml";
  {
    std::ofstream out(panel_file);
    out << "include = \"" << std::filesystem::absolute(argv[1]).string() << "\"\n"
        << "[panel]\n"
        << "snapshot = \"" << broker.dir() << "/latency.db\"\n"
        << "[[mqtt.broker]]\n"
        << "host = \"127.0.0.1\"\n"
        << "port = " << broker.port() << "\n";
  }
  app::Setup setup = app::load_setup(panel_file);
  if (!setup.usable()) {
    for (const auto& m : setup.messages) std::fprintf(stderr, "%s\n", m.c_str());
    return 1;
  }
  platform::WindowOptions options;
  options.fullscreen = false;
  options.width = 1920;
  options.height = 1080;
  options.gl = setup.config->gl;  // [panel] gl of the panel file
  std::string error;
  auto window = platform::GlWindow::create(options, &error);
  if (!window) {
    std::fprintf(stderr, "bench_latency: %s\n", error.c_str());
    return 1;
  }
  ui::Ui ui;
  if (!ui.init(static_cast<float>(window->width()), static_cast<float>(window->height()), &error))
    std::fprintf(stderr, "bench_latency: fonts: %s\n", error.c_str());
  const Uint32 wake_event = SDL_RegisterEvents(1);
  const core::Inbox::Wake wake = [wake_event] {
    SDL_Event event{};
    event.type = wake_event;
    SDL_PushEvent(&event);
  };

  core::SystemClock clock;
  app::Panel panel(std::move(setup), clock);
  app::AppState& state = panel.state();
  auto draw = [&](core::TimePoint now) {
    window->new_frame();
    ui.draw(state, now);
    const std::int64_t built = now_ns();
    const platform::FrameResult result = window->render();
    if (result.drawn) window->present();
    return std::pair{built, result};
  };
  // Which spaces are on screen: the tiles of the first frames.
  draw(clock.now());
  draw(clock.now());
  std::vector<std::uint32_t> visible;
  for (const ui::LayoutItem& item : ui.layout())
    if (item.kind == "tile")
      if (auto space = state.find_space(item.id)) visible.push_back(*space);
  if (visible.empty()) {
    std::fprintf(stderr, "bench_latency: no tile on screen\n");
    return 1;
  }
  std::vector<std::string> topics;
  std::vector<bool> expected;
  for (int i = 0; i < count; ++i) {
    const std::uint32_t space = visible[static_cast<std::size_t>(i) % visible.size()];
    topics.push_back("bench/" + state.spaces[space].id + "/occupancy");
    expected.push_back((static_cast<std::size_t>(i) / visible.size()) % 2 == 0);
  }
  panel.start_network(wake);

  // The publisher: probes (a topic of the binding, no such space) until the panel hears one, then
  // message i at start + i * interval.
  std::vector<std::atomic<std::int64_t>> published(static_cast<std::size_t>(count));
  std::vector<std::atomic<std::int64_t>> published_ms(static_cast<std::size_t>(count));  // system clock
  for (auto& p : published) p = 0;
  std::atomic<bool> heard{false}, publisher_failed{false};
  std::thread publisher_thread([&] {
    ingest::mqtt::Publisher publisher({"127.0.0.1", broker.port()}, "bench-latency");
    std::string why;
    if (!publisher.connect(std::chrono::seconds(5), &why)) {
      std::fprintf(stderr, "bench_latency: publisher: %s\n", why.c_str());
      publisher_failed = true;
      return;
    }
    const auto give_up = SteadyClock::now() + std::chrono::seconds(20);
    while (!heard) {
      if (SteadyClock::now() > give_up || !publisher.publish("bench/probe/occupancy", "vacant", 1, false)) {
        publisher_failed = true;
        return;
      }
      publisher.flush(std::chrono::seconds(1));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto start = SteadyClock::now();
    for (int i = 0; i < count; ++i) {
      std::this_thread::sleep_until(start + std::chrono::milliseconds(static_cast<long long>(i) * interval_ms));
      published_ms[static_cast<std::size_t>(i)].store(core::to_unix_ms(core::SystemClock().now()));
      published[static_cast<std::size_t>(i)].store(now_ns(), std::memory_order_release);
      if (!publisher.publish(topics[static_cast<std::size_t>(i)], expected[static_cast<std::size_t>(i)] ? "occupied" : "vacant",
                             1, false)) {
        publisher_failed = true;
        return;
      }
      publisher.flush(std::chrono::seconds(2));  // the PUBACK; the next publish is 100 ms away
    }
    publisher.flush(std::chrono::seconds(5));
  });

  platform::FramePolicy frames;
  std::vector<double> total, deliver, cpu, gl, cpu_thread, all_frame_cpu, all_frame_gl;
  std::vector<bool> shown(static_cast<std::size_t>(count), false);
  std::vector<int> applied_now;       // applied by a pump, waiting for the frame that shows them
  std::vector<std::int64_t> woken_at;  // when the loop woke for the pump that applied each message
  int next_unseen = 0;  // every message before it has been shown
  const auto deadline =
      SteadyClock::now() + std::chrono::seconds(30) + std::chrono::milliseconds(static_cast<long long>(count) * interval_ms);
  bool quit = false;
  std::vector<double> pixels;
  while (!quit && next_unseen < count && SteadyClock::now() < deadline && !publisher_failed) {
    SDL_Event event;
    const core::TimePoint before_wait = clock.now();
    const int timeout = platform::wait_timeout_ms(before_wait, {frames.deferred_until(), state.redraw_at}, std::chrono::milliseconds(100));
    bool have_event = SDL_WaitEventTimeout(&event, timeout) != 0;
    const std::int64_t woke = now_ns();
    const double cpu0 = thread_cpu_ms();
    while (have_event) {
      if (event.type == SDL_QUIT) quit = true;
      have_event = SDL_PollEvent(&event) != 0;
    }
    panel.pump();
    if (!heard && state.figures.unknown_space > 0) heard = true;
    // Which messages this pump applied: the space holds the message's value, observed after it was sent.
    for (int i = next_unseen; i < count; ++i) {
      const std::size_t k = static_cast<std::size_t>(i);
      const std::int64_t sent_ms = published_ms[k].load();
      if (shown[k] || published[k].load(std::memory_order_acquire) == 0 || sent_ms == 0) continue;
      if (std::find(applied_now.begin(), applied_now.end(), i) != applied_now.end()) continue;
      const auto& reading = state.readings[visible[k % visible.size()]];
      if (reading && reading->occupied == expected[k] && core::to_unix_ms(reading->observed) >= sent_ms) {
        applied_now.push_back(i);
        if (woken_at.size() < k + 1) woken_at.resize(k + 1, 0);
        woken_at[k] = woke;
      }
    }
    const core::TimePoint now = clock.now();
    const bool redraw_due = state.redraw_at && now >= *state.redraw_at;
    if (!frames.should_draw(state.revision, now) && !redraw_due) continue;
    const auto [built, result] = draw(now);
    const double cpu1 = thread_cpu_ms();
    const std::int64_t presented = now_ns();
    all_frame_cpu.push_back(static_cast<double>(built - woke) * 1e-6);
    all_frame_gl.push_back(static_cast<double>(presented - built) * 1e-6);
    if (result.drawn) pixels.push_back(static_cast<double>(result.pixels));
    for (int i : applied_now) {
      const std::size_t k = static_cast<std::size_t>(i);
      const std::int64_t sent = published[k].load(std::memory_order_acquire);
      shown[k] = true;
      total.push_back(static_cast<double>(presented - sent) * 1e-6);
      deliver.push_back(static_cast<double>(woken_at[k] - sent) * 1e-6);
      cpu.push_back(static_cast<double>(built - woke) * 1e-6);
      gl.push_back(static_cast<double>(presented - built) * 1e-6);
      cpu_thread.push_back(cpu1 - cpu0);
    }
    applied_now.clear();
    while (next_unseen < count && shown[static_cast<std::size_t>(next_unseen)]) ++next_unseen;
  }
  heard = true;  // let a publisher still probing go
  publisher_thread.join();
  panel.stop();
  if (publisher_failed || total.size() != static_cast<std::size_t>(count)) {
    std::fprintf(stderr, "bench_latency: %zu of %d messages shown%s\n", total.size(), count,
                 publisher_failed ? " (the publisher failed)" : "");
    return 1;
  }
  std::printf("%smessages=%d\n", prefix.c_str(), count);
  std::printf("%sinterval_ms=%d\n", prefix.c_str(), interval_ms);
  std::printf("%sspaces=%zu\n", prefix.c_str(), state.spaces.size());
  std::printf("%svisible_spaces=%zu\n", prefix.c_str(), visible.size());
  std::printf("%sframes=%llu\n", prefix.c_str(), static_cast<unsigned long long>(frames.frames()));
  std::printf("%slost=0\n", prefix.c_str());
  std::printf("%sredrawn_pixels_mean=%.0f\n", prefix.c_str(),
              pixels.empty() ? 0.0 : std::accumulate(pixels.begin(), pixels.end(), 0.0) / static_cast<double>(pixels.size()));
  std::printf("%sgraphics=%s\n", prefix.c_str(), window->info().summary().c_str());
  print_stats("total", total);
  print_stats("deliver", deliver);
  print_stats("cpu", cpu);
  print_stats("gl", gl);
  print_stats("cpu_thread", cpu_thread);
  print_stats("frame_cpu", all_frame_cpu);
  print_stats("frame_gl", all_frame_gl);
  std::printf("%swithout_gl_p99_ms=%.2f\n", prefix.c_str(), [&] {
    std::vector<double> v;
    for (std::size_t i = 0; i < total.size(); ++i) v.push_back(total[i] - gl[i]);
    return percentile(v, 0.99);
  }());
  return 0;
}
