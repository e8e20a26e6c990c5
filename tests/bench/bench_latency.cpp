// Publish -> pixel latency on loopback: from the moment a sensor's message is handed to libmosquitto to
// the return of the buffer swap of the first frame drawn with it.
//   bench_latency PANEL.toml [messages (default 200)] [interval ms (default 100)]
// PANEL.toml: a panel over a synthetic venue (scripts/gen-synthetic-venue --config; its binding is
// bench/{space}/occupancy); this program points it at a broker of its own and a snapshot in a
// temporary folder. Needs a display: run it under xvfb-run (or SDL_VIDEODRIVER=offscreen).
//
// A real window (platform::GlWindow, windowed 1920x1080) with the panel's UI (ui::Ui) and the panel's
// network path (app::Panel: MQTT thread, Inbox, store thread); the loop is the frame loop's, reduced:
// wait for an event (the Inbox wakes it with SDL_PushEvent) -> pump -> build the frame (ImGui) ->
// GL draw -> swap, drawing only when the state's revision changed (platform::FramePolicy).
// A publisher thread sends message i (QoS 1) every `interval` to space i of the panel (each a different
// space, unknown before, "occupied" after), so a message is told from another by its space; its
// publish time is taken just before the call. For each message:
//   total   = publish -> swap returned (of the first frame drawn after the pump that applied it)
//   deliver = publish -> the loop woke for it (broker, MQTT thread, decode, Inbox, wake; plus the end
//             of a frame in progress, if any)
//   cpu     = wake -> frame built (pump: AppState + store hand-off; ImGui: the board) - wall time
//   gl      = frame built -> swap returned (ImGui::Render, GL draw, swap): software GL on a machine
//             without a GPU, so reported apart
// Prints name=value lines, milliseconds; p50/p99/max over the messages.
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
void print_stats(const char* name, const std::vector<double>& v) {
  std::printf("latency_%s_p50_ms=%.2f\n", name, percentile(v, 0.5));
  std::printf("latency_%s_p99_ms=%.2f\n", name, percentile(v, 0.99));
  std::printf("latency_%s_max_ms=%.2f\n", name, v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_latency PANEL.toml [messages] [interval_ms]\n");
    return 2;
  }
  const int count = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;
  const int interval_ms = argc > 3 ? std::max(1, std::atoi(argv[3])) : 100;

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
  if (setup.model.spaces.size() < static_cast<std::size_t>(count)) {
    std::fprintf(stderr, "bench_latency: %d messages need as many spaces; the panel has %zu\n", count,
                 setup.model.spaces.size());
    return 1;
  }
  std::vector<std::string> topics;
  for (int i = 0; i < count; ++i) topics.push_back("bench/" + setup.model.spaces[static_cast<std::size_t>(i)].id + "/occupancy");

  platform::WindowOptions options;
  options.fullscreen = false;
  options.width = 1920;
  options.height = 1080;
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
  panel.start_network(wake);

  // The publisher: probes (a topic of the binding, no such space) until the panel hears one, then
  // message i at start + i * interval.
  std::vector<std::atomic<std::int64_t>> published(static_cast<std::size_t>(count));
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
      published[static_cast<std::size_t>(i)].store(now_ns(), std::memory_order_release);
      if (!publisher.publish(topics[static_cast<std::size_t>(i)], "occupied", 1, false)) {
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
  std::vector<int> applied_now;
  int next_unseen = 0;  // every message before it has been shown
  const auto deadline =
      SteadyClock::now() + std::chrono::seconds(30) + std::chrono::milliseconds(static_cast<long long>(count) * interval_ms);
  bool quit = false;
  while (!quit && next_unseen < count && SteadyClock::now() < deadline && !publisher_failed) {
    SDL_Event event;
    bool have_event = SDL_WaitEventTimeout(&event, 100) != 0;
    const std::int64_t woke = now_ns();
    const double cpu0 = thread_cpu_ms();
    while (have_event) {
      if (event.type == SDL_QUIT) quit = true;
      have_event = SDL_PollEvent(&event) != 0;
    }
    panel.pump();
    if (!heard && state.figures.unknown_space > 0) heard = true;
    // Which messages this pump applied (each turned its space from unknown to occupied).
    applied_now.clear();
    for (int i = next_unseen; i < count; ++i) {
      const auto& reading = state.readings[static_cast<std::size_t>(i)];
      if (!shown[static_cast<std::size_t>(i)] && reading && reading->occupied &&
          published[static_cast<std::size_t>(i)].load(std::memory_order_acquire) != 0)
        applied_now.push_back(i);
    }
    const core::TimePoint now = clock.now();
    if (!frames.should_draw(state.revision, now)) continue;
    window->new_frame();
    ui.draw(state, now);
    const std::int64_t built = now_ns();
    const double cpu1 = thread_cpu_ms();
    window->render();
    window->swap();
    const std::int64_t swapped = now_ns();
    all_frame_cpu.push_back(static_cast<double>(built - woke) * 1e-6);
    all_frame_gl.push_back(static_cast<double>(swapped - built) * 1e-6);
    for (int i : applied_now) {
      const std::int64_t sent = published[static_cast<std::size_t>(i)].load(std::memory_order_acquire);
      shown[static_cast<std::size_t>(i)] = true;
      total.push_back(static_cast<double>(swapped - sent) * 1e-6);
      deliver.push_back(static_cast<double>(woke - sent) * 1e-6);
      cpu.push_back(static_cast<double>(built - woke) * 1e-6);
      gl.push_back(static_cast<double>(swapped - built) * 1e-6);
      cpu_thread.push_back(cpu1 - cpu0);
    }
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
  std::printf("latency_messages=%d\n", count);
  std::printf("latency_interval_ms=%d\n", interval_ms);
  std::printf("latency_spaces=%zu\n", state.spaces.size());
  std::printf("latency_frames=%llu\n", static_cast<unsigned long long>(frames.frames()));
  print_stats("total", total);
  print_stats("deliver", deliver);
  print_stats("cpu", cpu);
  print_stats("gl", gl);
  print_stats("cpu_thread", cpu_thread);
  print_stats("frame_cpu", all_frame_cpu);
  print_stats("frame_gl", all_frame_gl);
  std::printf("latency_without_gl_p99_ms=%.2f\n", [&] {
    std::vector<double> v;
    for (std::size_t i = 0; i < total.size(); ++i) v.push_back(total[i] - gl[i]);
    return percentile(v, 0.99);
  }());
  return 0;
}
