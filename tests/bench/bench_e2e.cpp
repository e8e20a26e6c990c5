// End to end through a real mosquitto on loopback, QoS 1: a publisher (a child process, so that its
// own send queue does not count in the panel's memory) sends N messages over 10,000 topics as fast as
// it can (2,000 unacknowledged at most); this process runs the panel's network path (ingest::mqtt::Client + Router + Inbox with
// 10,000 spaces, and a thread draining the Inbox like the main loop).
//   bench_e2e [messages (default 200000)]
// Prints name=value lines: rates in messages per second, memory in kB.
#include <fcntl.h>
#include <mosquitto.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "../unit/ingest_broker_helper.hpp"
#include "core/clock.hpp"
#include "bench_util.hpp"
#include "core/inbox.hpp"
#include "ingest/mqtt/client.hpp"
#include "ingest/router.hpp"

using namespace kiosk;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::uint32_t kSpaces = 10'000;
constexpr const char* kProbeTopic = "campus/probe/probe/occupancy";  // matches the filter, no such space


double cpu_s() {  // this process only: the panel's threads (the publisher is another process)
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

double mono_s() { return std::chrono::duration<double>(SteadyClock::now().time_since_epoch()).count(); }

std::string topic_of(std::uint32_t i) {
  return "campus/" + std::to_string(i / 1000) + "/space-" + std::to_string(i) + "/occupancy";
}

struct ChildResult {
  long long sent = 0;       // publish() calls that succeeded
  int flushed = 0;          // every PUBACK came back
  double start = 0, end = 0;  // CLOCK_MONOTONIC seconds: first publish, last PUBACK
};

// The publisher, in the child: plain libmosquitto, so that it can keep a window of unacknowledged
// messages (ingest::mqtt::Publisher queues without bound, and past 65,535 outstanding QoS 1 messages
// libmosquitto reuses message ids and silently loses some). Never returns (no destructors: the broker
// belongs to the parent).
struct PubState {
  int outstanding = 0;
  bool connected = false;
};

[[noreturn]] void child_main(int port, long long count, int go_fd, int result_fd) {
  constexpr int kWindow = 2000;  // unacknowledged QoS 1 messages at most
  mosquitto_lib_init();
  PubState st;
  mosquitto* mosq = mosquitto_new("bench-publisher", true, &st);
  if (!mosq) _exit(1);
  mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_max_inflight_messages_set(mosq, 0);  // our window is the limit
  mosquitto_connect_callback_set(mosq, [](mosquitto*, void* p, int rc) {
    if (rc == 0) static_cast<PubState*>(p)->connected = true;
  });
  mosquitto_publish_callback_set(mosq, [](mosquitto*, void* p, int) { --static_cast<PubState*>(p)->outstanding; });
  if (mosquitto_connect(mosq, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS) _exit(1);
  const auto connect_deadline = SteadyClock::now() + std::chrono::seconds(5);
  while (!st.connected) {
    if (SteadyClock::now() > connect_deadline || mosquitto_loop(mosq, 20, 1) != MOSQ_ERR_SUCCESS) _exit(1);
  }
  auto publish = [&](const std::string& topic, std::string_view payload) {
    if (mosquitto_publish(mosq, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, false) !=
        MOSQ_ERR_SUCCESS)
      return false;
    ++st.outstanding;
    return true;
  };
  // Probe until the parent says its subscription is in place (bounded: 20 s).
  const auto probe_deadline = SteadyClock::now() + std::chrono::seconds(20);
  for (;;) {
    pollfd p{go_fd, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) break;
    if (SteadyClock::now() > probe_deadline) _exit(1);
    publish(kProbeTopic, "vacant");
    mosquitto_loop(mosq, 50, 1);
  }
  std::vector<std::string> topics;
  for (std::uint32_t i = 0; i < kSpaces; ++i) topics.push_back(topic_of(i));
  ChildResult r;
  r.start = mono_s();
  const auto deadline = SteadyClock::now() + std::chrono::seconds(240);
  for (long long i = 0; i < count && SteadyClock::now() < deadline;) {
    if (st.outstanding < kWindow) {
      if (publish(topics[static_cast<std::size_t>(i % kSpaces)], (i / kSpaces) % 2 ? "occupied" : "vacant")) ++r.sent;
      ++i;
      if (i % 64 != 0) continue;
      if (mosquitto_loop(mosq, 0, 1) != MOSQ_ERR_SUCCESS) break;  // one pass of socket I/O
    } else if (mosquitto_loop(mosq, 10, 1) != MOSQ_ERR_SUCCESS) {
      break;
    }
  }
  while ((st.outstanding > 0 || mosquitto_want_write(mosq)) && SteadyClock::now() < deadline) {
    if (mosquitto_loop(mosq, 10, 1) != MOSQ_ERR_SUCCESS) break;
  }
  r.flushed = st.outstanding == 0 ? 1 : 0;
  r.end = mono_s();
  if (::write(result_fd, &r, sizeof r) != static_cast<ssize_t>(sizeof r)) _exit(1);
  _exit(0);
}


}  // namespace

int main(int argc, char** argv) {
  const long long count = argc > 1 ? std::atoll(argv[1]) : 200'000;
  if (count < 1) {
    std::fprintf(stderr, "usage: bench_e2e [messages]\n");
    return 2;
  }

  // Our own broker config: a QoS 1 flood must not hit max_queued_messages (default 1000).
  testing::Broker broker(false);
  {
    std::ofstream conf(broker.dir() + "/mosquitto.conf");
    conf << "listener " << broker.port() << " 127.0.0.1\n"
         << "allow_anonymous true\n"
         << "persistence false\n"
         << "max_queued_messages 10000000\n"  // not 0: mosquitto 2.0 then drops by max_queued_bytes (#1956)
         << "max_queued_bytes 0\n"
         << "log_dest stderr\n";
    if (const char* extra = std::getenv("KIOSK_BENCH_BROKER_CONF")) conf << extra << "\n";  // experiments
  }
  if (!broker.start()) {
    std::fprintf(stderr, "bench_e2e: mosquitto did not start (log: %s)\n", broker.log_path().c_str());
    return 1;
  }

  int go[2], result[2];
  if (::pipe(go) != 0 || ::pipe(result) != 0) return 1;
  const pid_t child = ::fork();  // before any thread exists in this process
  if (child < 0) return 1;
  if (child == 0) {
    ::close(go[1]);
    ::close(result[0]);
    child_main(broker.port(), count, go[0], result[1]);
  }
  ::close(go[0]);
  ::close(result[1]);

  // The panel's network path.
  std::unordered_map<std::string, std::uint32_t> names;
  for (std::uint32_t i = 0; i < kSpaces; ++i) names.emplace("space-" + std::to_string(i), i);
  std::string error;
  ingest::Route route{*ingest::TopicPattern::parse("campus/{floor}/{space}/occupancy", &error), "{space}", {}, {},
                      std::chrono::seconds(600), 1, "bench"};
  ingest::Router router(
      {route},
      bench::resolver(names),
      65536);
  bench::Drainer drainer;
  core::Inbox inbox(kSpaces, [&drainer] { drainer.wake(); });
  drainer.attach(&inbox);
  drainer.start();
  core::SystemClock clock;
  ingest::mqtt::Options options;
  options.brokers.push_back({"127.0.0.1", broker.port()});
  options.client_id = "bench-panel";
  ingest::mqtt::Client client(options, router, inbox, clock);
  client.start();

  auto fail = [&](const char* what) {
    std::fprintf(stderr, "bench_e2e: %s (broker log: %s)\n", what, broker.log_path().c_str());
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    client.stop();
    drainer.stop();
    return 1;
  };
  if (!testing::wait_until([&] { return router.counters().unknown_space.load() > 0; }, std::chrono::seconds(10)))
    return fail("the panel never received the publisher's probe");

  const long rss_before = bench::status_kb("VmRSS");
  const std::uint64_t delivered0 = router.counters().delivered.load();
  const std::uint64_t received0 = router.counters().received.load();
  const std::uint64_t superseded0 = inbox.superseded();
  const double cpu0 = cpu_s();
  const double t0 = mono_s();
  if (::write(go[1], "g", 1) != 1) return fail("cannot signal the publisher");

  // Wait for everything (or for the flow to stop for 10 s after the publisher is done).
  ChildResult pub;
  bool have_result = false;
  long rss_peak = rss_before;
  std::uint64_t last_delivered = 0;
  double last_progress = mono_s(), last_rss = 0;
  const double hard_deadline = t0 + 300;
  while (true) {
    pollfd p{result[0], POLLIN, 0};
    if (!have_result && ::poll(&p, 1, 5) > 0) {
      have_result = ::read(result[0], &pub, sizeof pub) == static_cast<ssize_t>(sizeof pub);
      if (!have_result) return fail("the publisher failed");
    }
    if (have_result) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const std::uint64_t delivered = router.counters().delivered.load() - delivered0;
    const double now = mono_s();
    if (delivered != last_delivered) {
      last_delivered = delivered;
      last_progress = now;
    }
    if (now - last_rss >= 0.05) {
      rss_peak = std::max(rss_peak, bench::status_kb("VmRSS"));
      last_rss = now;
    }
    if (have_result && static_cast<long long>(delivered) >= pub.sent) break;
    if (have_result && now - last_progress > 10) break;
    if (now > hard_deadline) break;
  }
  if (!have_result) return fail("the publisher did not finish in time");
  int status = 0;
  ::waitpid(child, &status, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the drainer catch up
  const long rss_after = bench::status_kb("VmRSS");
  const double cpu = cpu_s() - cpu0;

  const std::uint64_t delivered = router.counters().delivered.load() - delivered0;
  const std::uint64_t received = router.counters().received.load() - received0;
  const double receive_s = last_progress - t0;
  const double publish_s = have_result ? pub.end - pub.start : 0;
  client.stop();
  drainer.stop();

  if (pub.sent != static_cast<long long>(delivered)) {  // keep the broker's side of the story
    const std::string keep = std::string(KIOSK_SOURCE_DIR) + "/bench-results/e2e-mosquitto.log";
    std::error_code ec;
    std::filesystem::create_directories(std::string(KIOSK_SOURCE_DIR) + "/bench-results", ec);
    std::filesystem::copy_file(broker.log_path(), keep, std::filesystem::copy_options::overwrite_existing, ec);
    std::fprintf(stderr, "bench_e2e: messages lost; broker log kept in %s\n", keep.c_str());
  }
  std::printf("e2e_messages=%lld\n", count);
  std::printf("e2e_sent=%lld\n", pub.sent);
  std::printf("e2e_publisher_acked=%d\n", pub.flushed);
  std::printf("e2e_received=%llu\n", static_cast<unsigned long long>(received));
  std::printf("e2e_delivered=%llu\n", static_cast<unsigned long long>(delivered));
  std::printf("e2e_lost=%lld\n", pub.sent - static_cast<long long>(delivered));
  std::printf("e2e_publish_s=%.3f\n", publish_s);
  std::printf("e2e_receive_s=%.3f\n", receive_s);
  std::printf("e2e_publish_msgs_per_s=%.0f\n", publish_s > 0 ? static_cast<double>(pub.sent) / publish_s : 0.0);
  std::printf("e2e_receive_msgs_per_s=%.0f\n", receive_s > 0 ? static_cast<double>(delivered) / receive_s : 0.0);
  std::printf("e2e_lag_after_publisher_s=%.3f\n", have_result ? last_progress - pub.end : -1.0);
  std::printf("e2e_panel_cpu_s=%.3f\n", cpu);
  std::printf("e2e_panel_cpu_us_per_msg=%.2f\n", delivered ? cpu * 1e6 / static_cast<double>(delivered) : 0.0);
  std::printf("e2e_superseded=%llu\n", static_cast<unsigned long long>(inbox.superseded() - superseded0));
  std::printf("e2e_drained=%llu\n", static_cast<unsigned long long>(drainer.drained()));
  std::printf("e2e_drains=%llu\n", static_cast<unsigned long long>(drainer.drains()));
  std::printf("e2e_rss_before_kb=%ld\n", rss_before);
  std::printf("e2e_rss_peak_kb=%ld\n", rss_peak);
  std::printf("e2e_rss_after_kb=%ld\n", rss_after);
  return 0;
}
