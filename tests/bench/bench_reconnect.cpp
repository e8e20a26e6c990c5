// Reconnect after a broker restart: how long until the panel's state is complete again.
//   bench_reconnect PANEL.toml [rounds (default 3)]
// PANEL.toml: a panel over a synthetic venue (scripts/gen-synthetic-venue --config); this program
// points it at a broker of its own and a snapshot in a temporary folder.
//
// The broker keeps its retained messages across the crash the way a production broker does: with
// persistence (autosave every second; we wait for two saves after the last retained message was
// acknowledged, so the file on disk holds all of them). Then, each round: SIGKILL the broker, start it
// again on the same port (it reloads the retained messages from its file), and pump the panel like the
// frame loop does until every space's reading is fresh, i.e. observed after the broker came back
// (the panel stamps a reading with its arrival time, and the retained replay brings the same values
// again, so freshness is how "back" shows). "Complete" = every one of the panel's spaces fresh.
//
// The clock starts when the broker accepts connections again. The panel's own reconnect wait counts:
// after a lost link it waits reconnect_min (1 s unless the panel's files say otherwise) before the first
// attempt, so that part is printed apart (reconnect_connect_ms) from the resubscription and the
// retained replay (reconnect_refresh_ms).
// Prints name=value lines; times in milliseconds; the _ms figures are medians over the rounds.
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../unit/ingest_broker_helper.hpp"
#include "app/panel.hpp"
#include "app/setup.hpp"
#include "ingest/mqtt/client.hpp"

using namespace kiosk;
using SteadyClock = std::chrono::steady_clock;

namespace {

double ms_between(SteadyClock::time_point a, SteadyClock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}
double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The frame loop's wait: woken by the Inbox, or after 20 ms.
class Waker {
 public:
  core::Inbox::Wake wake() {
    return [this] {
      {
        std::lock_guard lock(mutex_);
        woken_ = true;
      }
      cv_.notify_one();
    };
  }
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, std::chrono::milliseconds(20), [&] { return woken_; });
    woken_ = false;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
};

// Pumps until `done` holds or `timeout` passes; true if it held.
template <class Done>
bool pump_until(app::Panel& panel, Waker& waker, Done done, std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    panel.pump();
    if (done()) return true;
    if (SteadyClock::now() >= deadline) return false;
    waker.wait();
  }
}

long long mtime_ns(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_reconnect PANEL.toml [rounds]\n");
    return 2;
  }
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;

  // The broker, with persistence in a folder its own user can write (mosquitto drops root).
  testing::Broker broker(false);
  const std::string persist = broker.dir() + "/persist";
  std::filesystem::create_directories(persist);
  ::chmod(persist.c_str(), 0777);
  {
    std::ofstream conf(broker.dir() + "/mosquitto.conf");
    conf << "listener " << broker.port() << " 127.0.0.1\n"
         << "allow_anonymous true\n"
         << "persistence true\n"
         << "persistence_location " << persist << "/\n"
         << "autosave_interval 1\n"
         << "max_queued_messages 10000000\n"
         << "max_queued_bytes 0\n"
         << "log_dest stderr\n";
  }
  if (!broker.start()) {
    std::fprintf(stderr, "bench_reconnect: mosquitto did not start (log: %s)\n", broker.log_path().c_str());
    return 1;
  }
  const std::string persist_file = persist + "/mosquitto.db";

  // The panel: the given files, our broker, a snapshot of its own.
  const std::string panel_file = broker.dir() + "/panel.toml";
  {
    std::ofstream out(panel_file);
    out << "include = \"" << std::filesystem::absolute(argv[1]).string() << "\"\n"
        << "[panel]\n"
        << "snapshot = \"" << broker.dir() << "/reconnect.db\"\n"
        << "[[mqtt.broker]]\n"
        << "host = \"127.0.0.1\"\n"
        << "port = " << broker.port() << "\n";
  }
  auto t0 = SteadyClock::now();
  app::Setup setup = app::load_setup(panel_file);
  if (!setup.usable()) {
    for (const auto& m : setup.messages) std::fprintf(stderr, "%s\n", m.c_str());
    return 1;
  }
  const auto reconnect_min = std::chrono::duration_cast<std::chrono::milliseconds>(setup.config->reconnect_min);
  std::vector<std::string> topics;
  for (const auto& space : setup.model.spaces) topics.push_back("bench/" + space.id + "/occupancy");
  std::printf("reconnect_setup_ms=%.0f\n", ms_between(t0, SteadyClock::now()));
  std::printf("reconnect_spaces=%zu\n", topics.size());
  std::printf("reconnect_min_ms=%lld\n", static_cast<long long>(reconnect_min.count()));

  // One retained message per space, like gateways that publish their state retained.
  {
    ingest::mqtt::Publisher publisher({"127.0.0.1", broker.port()}, "bench-retained");
    std::string error;
    if (!publisher.connect(std::chrono::seconds(5), &error)) {
      std::fprintf(stderr, "bench_reconnect: publisher: %s\n", error.c_str());
      return 1;
    }
    for (std::size_t i = 0; i < topics.size(); ++i)
      if (!publisher.publish(topics[i], i % 3 == 0 ? "occupied" : "vacant", 1, true)) return 1;
    if (!publisher.flush(std::chrono::seconds(30))) return 1;
  }

  core::SystemClock clock;
  app::Panel panel(std::move(setup), clock);
  app::AppState& state = panel.state();
  Waker waker;
  t0 = SteadyClock::now();
  panel.start_network(waker.wake());
  auto all_fresh_since = [&](core::TimePoint since) {
    for (const auto& reading : state.readings)
      if (!reading || reading->observed < since) return false;
    return true;
  };
  if (!pump_until(panel, waker, [&] { return all_fresh_since(core::TimePoint{}); }, std::chrono::seconds(60))) {
    std::fprintf(stderr, "bench_reconnect: the first fill never completed\n");
    return 1;
  }
  std::printf("reconnect_first_fill_ms=%.0f\n", ms_between(t0, SteadyClock::now()));

  // Two autosaves after the last acknowledgement: the second began after the first had finished.
  t0 = SteadyClock::now();
  long long seen = mtime_ns(persist_file);
  int saves = 0;
  while (saves < 2 && SteadyClock::now() - t0 < std::chrono::seconds(15)) {
    panel.pump();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const long long m = mtime_ns(persist_file);
    if (m != seen && m >= 0) {
      seen = m;
      ++saves;
    }
  }
  if (saves < 2) {
    std::fprintf(stderr, "bench_reconnect: the broker did not save its retained messages (%s)\n",
                 broker.log_path().c_str());
    return 1;
  }
  std::printf("reconnect_persist_wait_ms=%.0f\n", ms_between(t0, SteadyClock::now()));

  std::vector<double> down, restart, connect, refresh, complete;
  for (int round = 0; round < rounds; ++round) {
    const auto killed = SteadyClock::now();
    broker.kill(SIGKILL);
    if (!pump_until(panel, waker, [&] { return state.link_known && !state.link.connected; }, std::chrono::seconds(10))) {
      std::fprintf(stderr, "bench_reconnect: the panel never saw the broker go\n");
      return 1;
    }
    const auto noticed = SteadyClock::now();
    if (!broker.start()) {
      std::fprintf(stderr, "bench_reconnect: mosquitto did not restart (log: %s)\n", broker.log_path().c_str());
      return 1;
    }
    const auto up = SteadyClock::now();
    const core::TimePoint up_wall = clock.now();
    SteadyClock::time_point connected_at{};
    const bool done = pump_until(
        panel, waker,
        [&] {
          if (connected_at == SteadyClock::time_point{} && state.link_known && state.link.connected)
            connected_at = SteadyClock::now();
          return all_fresh_since(up_wall);
        },
        std::chrono::seconds(60));
    const auto finished = SteadyClock::now();
    if (!done) {
      std::size_t fresh = 0;
      for (const auto& reading : state.readings) fresh += reading && reading->observed >= up_wall;
      std::fprintf(stderr, "bench_reconnect: round %d: only %zu of %zu spaces fresh after 60 s\n", round, fresh,
                   state.readings.size());
      return 1;
    }
    down.push_back(ms_between(killed, noticed));
    restart.push_back(ms_between(noticed, up));
    connect.push_back(ms_between(up, connected_at));
    refresh.push_back(ms_between(connected_at, finished));
    complete.push_back(ms_between(up, finished));
    std::printf("reconnect_round%d_complete_ms=%.0f\n", round, complete.back());
    std::printf("reconnect_round%d_connect_ms=%.0f\n", round, connect.back());
    std::printf("reconnect_round%d_refresh_ms=%.0f\n", round, refresh.back());
  }
  std::printf("reconnect_rounds=%d\n", rounds);
  std::printf("reconnect_link_down_seen_ms=%.1f\n", median(down));
  std::printf("reconnect_broker_restart_ms=%.1f\n", median(restart));
  std::printf("reconnect_connect_ms=%.0f\n", median(connect));
  std::printf("reconnect_refresh_ms=%.0f\n", median(refresh));
  std::printf("reconnect_complete_ms=%.0f\n", median(complete));
  std::printf("reconnect_complete_max_ms=%.0f\n", *std::max_element(complete.begin(), complete.end()));
  std::printf("reconnect_received=%llu\n", static_cast<unsigned long long>(state.figures.received));
  panel.stop();
  return 0;
}
