// Memory over a long flood: does the panel's resident memory grow while mosquitto pours QoS 1 messages
// into it for minutes?
//   bench_flood_memory PANEL.toml [seconds (default 600)] [warm-up seconds (default 30, at most half)]
// PANEL.toml: a panel over a synthetic venue (scripts/gen-synthetic-venue --config; its binding is
// bench/{space}/occupancy); this program points it at a broker of its own and a snapshot in a
// temporary folder.
//
// This process runs the panel without its screen (app::Panel: MQTT thread, router, Inbox, store thread
// writing the snapshot and its history) and a main loop like the frame loop's: wait for a wake, pump,
// then spend 20 ms as a frame would (so the Inbox collapses what arrives meanwhile, as on a panel).
// A publisher in a child process (its own queue does not count here; plain libmosquitto with a window
// of 2,000 unacknowledged messages) sends QoS 1 messages over every space's topic, as fast as the broker
// takes them, each one a change of value (every space flips at every round), so the store writes a
// history row for nearly every pump of every space.
// VmRSS is sampled every 10 s; the start figure is the one at the end of the warm-up (caches,
// SQLite's page cache and the history table's first pages are in place by then).
// Prints name=value lines: memory in kB, rates in messages per second.
#include <fcntl.h>
#include <mosquitto.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../unit/ingest_broker_helper.hpp"
#include "app/panel.hpp"
#include "app/setup.hpp"
#include "bench_util.hpp"

using namespace kiosk;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr const char* kProbeTopic = "bench/probe/occupancy";  // matches the binding, no such space

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
  void wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return woken_; });
    woken_ = false;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
};

struct PubState {
  int outstanding = 0;
  bool connected = false;
};

// The publisher, in the child: probes until the parent writes 'g', floods until it writes 's' (or
// `limit_s` passes), then writes how many messages it sent. Never returns.
[[noreturn]] void publisher_main(int port, const std::vector<std::string>& topics, int control_fd, int result_fd,
                                 int limit_s) {
  constexpr int kWindow = 2000;
  mosquitto_lib_init();
  PubState st;
  mosquitto* mosq = mosquitto_new("bench-flood-publisher", true, &st);
  if (!mosq) ::_exit(1);
  mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_max_inflight_messages_set(mosq, 0);  // our window is the limit
  mosquitto_connect_callback_set(mosq, [](mosquitto*, void* p, int rc) {
    if (rc == 0) static_cast<PubState*>(p)->connected = true;
  });
  mosquitto_publish_callback_set(mosq, [](mosquitto*, void* p, int) { --static_cast<PubState*>(p)->outstanding; });
  if (mosquitto_connect(mosq, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS) ::_exit(1);
  const auto connect_deadline = SteadyClock::now() + std::chrono::seconds(5);
  while (!st.connected)
    if (SteadyClock::now() > connect_deadline || mosquitto_loop(mosq, 20, 1) != MOSQ_ERR_SUCCESS) ::_exit(1);
  auto publish = [&](const char* topic, const char* payload) {
    if (mosquitto_publish(mosq, nullptr, topic, static_cast<int>(std::strlen(payload)), payload, 1, false) !=
        MOSQ_ERR_SUCCESS)
      return false;
    ++st.outstanding;
    return true;
  };
  auto control = [&]() -> char {
    pollfd p{control_fd, POLLIN, 0};
    char c = 0;
    if (::poll(&p, 1, 0) > 0 && ::read(control_fd, &c, 1) != 1) c = 's';  // parent gone: stop
    return c;
  };
  const auto probe_deadline = SteadyClock::now() + std::chrono::seconds(30);
  for (char c = 0; c != 'g';) {
    if (c == 's' || SteadyClock::now() > probe_deadline) ::_exit(1);
    publish(kProbeTopic, "vacant");
    mosquitto_loop(mosq, 50, 1);
    c = control();
  }
  const auto deadline = SteadyClock::now() + std::chrono::seconds(limit_s);
  long long sent = 0;
  for (long long i = 0; SteadyClock::now() < deadline;) {
    if (st.outstanding < kWindow) {
      const std::size_t n = topics.size();
      if (publish(topics[static_cast<std::size_t>(i) % n].c_str(), (i / static_cast<long long>(n)) % 2 ? "occupied" : "vacant")) ++sent;
      ++i;
      if (i % 64 != 0) continue;
      if (mosquitto_loop(mosq, 0, 1) != MOSQ_ERR_SUCCESS) break;
      if (control() == 's') break;
    } else if (mosquitto_loop(mosq, 10, 1) != MOSQ_ERR_SUCCESS) {
      break;
    }
  }
  if (::write(result_fd, &sent, sizeof sent) != static_cast<ssize_t>(sizeof sent)) ::_exit(1);
  ::_exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_flood_memory PANEL.toml [seconds] [warm-up seconds]\n");
    return 2;
  }
  const int seconds = argc > 2 ? std::max(10, std::atoi(argv[2])) : 600;
  const int warmup = std::min(argc > 3 ? std::max(0, std::atoi(argv[3])) : 30, seconds / 2);
  constexpr int kSampleEvery = 10;  // seconds
  const auto frame = std::chrono::milliseconds(20);

  testing::Broker broker(false);
  {
    std::ofstream conf(broker.dir() + "/mosquitto.conf");
    conf << "listener " << broker.port() << " 127.0.0.1\n"
         << "allow_anonymous true\n"
         << "persistence false\n"
         << "max_queued_messages 10000000\n"  // not 0: mosquitto 2.0 then drops by max_queued_bytes
         << "max_queued_bytes 0\n"
         << "log_dest stderr\n";
  }
  if (!broker.start()) {
    std::fprintf(stderr, "bench_flood_memory: mosquitto did not start (log: %s)\n", broker.log_path().c_str());
    return 1;
  }
  const std::string panel_file = broker.dir() + "/panel.toml";
  {
    std::ofstream out(panel_file);
    out << "include = \"" << std::filesystem::absolute(argv[1]).string() << "\"\n"
        << "[panel]\n"
        << "snapshot = \"" << broker.dir() << "/flood.db\"\n"
        << "[[mqtt.broker]]\n"
        << "host = \"127.0.0.1\"\n"
        << "port = " << broker.port() << "\n";
  }
  // No thread exists yet: the setup loads on this one, then the publisher forks off.
  app::Setup setup = app::load_setup(panel_file);
  if (!setup.usable()) {
    for (const auto& m : setup.messages) std::fprintf(stderr, "%s\n", m.c_str());
    return 1;
  }
  std::vector<std::string> topics;
  for (const auto& space : setup.model.spaces) topics.push_back("bench/" + space.id + "/occupancy");

  int control[2], result[2];
  if (::pipe(control) != 0 || ::pipe(result) != 0) return 1;
  const pid_t child = ::fork();
  if (child < 0) return 1;
  if (child == 0) {
    ::close(control[1]);
    ::close(result[0]);
    publisher_main(broker.port(), topics, control[0], result[1], seconds + 60);
  }
  ::close(control[0]);
  ::close(result[1]);
  auto stop_child = [&] {
    if (::write(control[1], "s", 1) != 1) ::kill(child, SIGKILL);
    long long sent = -1;
    pollfd p{result[0], POLLIN, 0};
    if (::poll(&p, 1, 10'000) > 0 && ::read(result[0], &sent, sizeof sent) != static_cast<ssize_t>(sizeof sent)) sent = -1;
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    return sent;
  };

  core::SystemClock clock;
  app::Panel panel(std::move(setup), clock);
  const app::AppState& state = panel.state();
  Waker waker;
  panel.start_network(waker.wake());
  const auto probe_deadline = SteadyClock::now() + std::chrono::seconds(20);
  while (state.figures.unknown_space == 0) {
    if (SteadyClock::now() > probe_deadline) {
      std::fprintf(stderr, "bench_flood_memory: the panel never heard the publisher's probe\n");
      stop_child();
      return 1;
    }
    waker.wait(std::chrono::milliseconds(20));
    panel.pump();
  }
  const std::uint64_t received0 = state.figures.received;
  if (::write(control[1], "g", 1) != 1) return 1;

  const auto start = SteadyClock::now();
  std::vector<long> samples{bench::status_kb("VmRSS")};  // at 0, 10, 20 ... s
  std::vector<std::uint64_t> received_at{0};
  const auto end = start + std::chrono::seconds(seconds);
  while (SteadyClock::now() < end) {
    waker.wait(frame);
    panel.pump();
    std::this_thread::sleep_for(frame);  // a frame's work
    if (SteadyClock::now() >= start + std::chrono::seconds(kSampleEvery * static_cast<long long>(samples.size()))) {
      samples.push_back(bench::status_kb("VmRSS"));
      received_at.push_back(state.figures.received - received0);
    }
  }
  const long long sent = stop_child();
  panel.pump();
  const double flood_s = std::chrono::duration<double>(SteadyClock::now() - start).count();
  const std::uint64_t received = state.figures.received - received0;

  const std::size_t first = static_cast<std::size_t>(warmup / kSampleEvery);
  const long rss_start = samples[std::min(first, samples.size() - 1)];
  long rss_max = rss_start;
  for (std::size_t i = first; i < samples.size(); ++i) rss_max = std::max(rss_max, samples[i]);
  const long rss_end = samples.back();
  std::string list;
  for (long s : samples) list += (list.empty() ? "" : ",") + std::to_string(s);

  std::printf("flood_seconds=%d\n", seconds);
  std::printf("flood_warmup_seconds=%d\n", warmup);
  std::printf("flood_spaces=%zu\n", topics.size());
  std::printf("flood_sent=%lld\n", sent);
  std::printf("flood_received=%llu\n", static_cast<unsigned long long>(received));
  std::printf("flood_msgs_per_s=%.0f\n", flood_s > 0 ? static_cast<double>(received) / flood_s : 0.0);
  std::printf("flood_superseded=%llu\n", static_cast<unsigned long long>(state.figures.superseded));
  std::printf("flood_store_commits=%llu\n", static_cast<unsigned long long>(state.figures.store_commits));
  std::printf("flood_store_errors=%llu\n", static_cast<unsigned long long>(state.figures.store_errors));
  std::printf("flood_rss_zero_kb=%ld\n", samples.front());
  std::printf("flood_rss_start_kb=%ld\n", rss_start);
  std::printf("flood_rss_max_kb=%ld\n", rss_max);
  std::printf("flood_rss_end_kb=%ld\n", rss_end);
  std::printf("flood_rss_growth_kb=%ld\n", rss_end - rss_start);
  std::printf("flood_rss_max_growth_kb=%ld\n", rss_max - rss_start);
  std::printf("flood_hwm_kb=%ld\n", bench::status_kb("VmHWM"));
  std::printf("flood_rss_samples_kb=%s\n", list.c_str());
  std::fflush(stdout);
  panel.stop();
  return 0;
}
