// Kill -9 of the panel during a flood, then restart: the snapshot is intact, at most 250 ms of changes
// are missing, and the retained messages make the state complete again.
//
// The panel runs in a forked child (app::Panel + the frame loop's wake-and-pump, no window: what a
// crash puts at risk is the store path, and a child needs no display, so the test runs the same under
// ctest, Xvfb or nothing). The parent floods it through a real mosquitto and SIGKILLs it mid-flood.
//
// Every message carries its own sequence number k (1, 2, 3 ...) as a count, on the topic of space
// k % S (S spaces of tests/fixtures/integration/flood_venue), retained, QoS 1. So each snapshot row
// says exactly which message it holds, and "the latest value of space s up to message K" is a formula.
//
// What the child reports after every pump (through a pipe; steady_clock is CLOCK_MONOTONIC, the same
// in both processes): the highest k applied to its AppState (its watermark), and the received count.
// mosquitto forwards one publisher's messages to a subscriber in order, so at a watermark K the panel
// had applied every message <= K and handed each space's latest to the store thread.
//
// The checks, with W = 250 ms (the store's flush interval) and T = 250 ms of tolerance (a busy machine
// schedules the store thread late and a commit takes time; the same tolerance as store_crash_test):
//   1. the panel's view: at the last pump at or before T_kill - W - T, with watermark K_p, every space
//      holds in the snapshot at least its latest message <= K_p;
//   2. the publisher's view: L = the broker->panel delivery lag, measured for every batch acked before
//      the kill as (first pump whose watermark covers the batch, or T_kill if none) - (the PUBACKs of
//      the batch are all back). K_safe = the last message of the last batch acked at or before
//      T_kill - W - T - L. Every space holds at least its latest message <= K_safe. (A batch inside
//      K_safe was seen by the panel by T_kill - W - T, so 1 implies 2; 2 states it as the goal does.)
//   3. no row holds a message that was not sent to its space, or one sent after the last report
//      (nothing from the future); PRAGMA integrity_check (sqlite3 itself) says "ok".
// After the kill one more round goes to every space, so every final value is one the killed panel never
// saw. Then a new panel on the same files: it starts from the snapshot (rows = state), connects, and
// the broker's retained messages bring every space to the last value published (bounded: 10 s).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "integration/integration_helpers.hpp"
#include "store/snapshot.hpp"

using namespace kiosk;
using namespace kiosk::integration;

namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kFlushInterval = 250ms;  // store::Writer's default, which the panel uses
constexpr auto kTolerance = 250ms;      // see the header
constexpr std::int64_t kBatch = 200;    // messages between flushes (the publisher's window is 1,000)

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count();
}
std::int64_t ns(std::chrono::milliseconds d) { return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(); }

// One line of the child's story, written after a pump that changed something.
struct Report {
  std::int64_t t_ns = 0;        // steady clock
  std::int64_t watermark = 0;   // highest message number applied to the state
  std::uint64_t received = 0;   // the router's count (probes included)
  std::int32_t connected = 0;
  std::int32_t pad = 0;
};
static_assert(sizeof(Report) <= PIPE_BUF, "reports must be written atomically");

// The panel, in the child. Never returns; the parent kills it. No doctest here: failures exit.
[[noreturn]] void panel_child(const fs::path& config, int out) {
  try {
    core::SystemClock clock;
    app::Setup setup = app::load_setup(config);
    if (!setup.usable()) ::_exit(2);
    app::Panel panel(std::move(setup), clock);
    Pumper pumper;
    panel.start_network(pumper.wake());
    Report last;
    last.watermark = -1;
    for (;;) {
      pumper.until(panel,
                   [&] {
                     Report r;
                     for (const auto& reading : panel.state().readings)
                       if (reading && reading->kind == core::Reading::Kind::Count)
                         r.watermark = std::max<std::int64_t>(r.watermark, reading->count);
                     r.received = panel.state().figures.received;
                     r.connected = connected(panel) ? 1 : 0;
                     if (r.watermark != last.watermark || r.received != last.received || r.connected != last.connected) {
                       r.t_ns = now_ns();
                       // Non-blocking: a full pipe must never stall the panel (a lost report only makes
                       // the parent's view of the panel later, i.e. its checks weaker, never wrong).
                       if (::write(out, &r, sizeof r) == static_cast<ssize_t>(sizeof r)) last = r;
                     }
                     return false;
                   },
                   1000ms);
    }
  } catch (...) {
    ::_exit(3);
  }
}

// Kills and reaps the child however the test ends.
struct ChildGuard {
  pid_t pid = -1;
  ~ChildGuard() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

// Reads the child's reports (whole structs) as they come.
class Reports {
 public:
  explicit Reports(int fd) : fd_(fd) {}
  ~Reports() {
    if (fd_ >= 0) ::close(fd_);
  }
  // Reads until `deadline` or until `done` holds (checked after every read); true if it held.
  bool until(SteadyClock::time_point deadline, const std::function<bool()>& done) {
    while (!done()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
      if (left.count() <= 0 || eof_) return false;
      read_some(static_cast<int>(std::min<std::int64_t>(left.count(), 50)));
    }
    return true;
  }
  // After the child is dead: everything left in the pipe (bounded).
  void drain() {
    const auto deadline = SteadyClock::now() + 2s;
    while (!eof_ && SteadyClock::now() < deadline) read_some(50);
  }
  const std::vector<Report>& all() const { return all_; }
  const Report& last() const { return all_.empty() ? none_ : all_.back(); }

 private:
  void read_some(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return;
    char buffer[sizeof(Report) * 256];
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n <= 0) {
      eof_ = true;
      return;
    }
    pending_.append(buffer, static_cast<std::size_t>(n));
    std::size_t at = 0;
    for (; pending_.size() - at >= sizeof(Report); at += sizeof(Report)) {
      Report r;
      std::memcpy(&r, pending_.data() + at, sizeof r);
      all_.push_back(r);
    }
    pending_.erase(0, at);
  }
  int fd_;
  bool eof_ = false;
  std::string pending_;
  std::vector<Report> all_;
  Report none_;
};

// PRAGMA integrity_check through SQLite itself (not through store::Snapshot, which may repair).
std::string sqlite_integrity(const fs::path& path) {
  sqlite3* db = nullptr;
  std::string result;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    result = std::string("cannot open: ") + (db ? sqlite3_errmsg(db) : "?");
  } else {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        if (!result.empty()) result += "\n";
        result += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      }
    } else {
      result = std::string("cannot prepare: ") + sqlite3_errmsg(db);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return result;
}

}  // namespace

TEST_CASE("flood+kill: panel killed -9 mid-flood then restarted: integrity ok and <= 250 ms lost and retained refresh") {
  testing::Broker broker;
  REQUIRE(broker.running());
  TempDir dir;
  const fs::path file = dir / "flood.toml";
  const fs::path snapshot = dir / "flood.db";
  write_file(file, "[site]\n"
                   "name = \"Flood\"\n"
                   "map = \"" + kSource + "/tests/fixtures/integration/flood_venue\"\n"
                   "[panel]\n"
                   "id = \"flood\"\n"
                   "kiosk = \"Borne niveau 0\"\n"
                   "snapshot = \"" + snapshot.string() + "\"\n"
                   "[mqtt]\n"
                   "reconnect_min = \"1s\"\n"
                   "reconnect_max = \"2s\"\n"
                   "[[mqtt.broker]]\n"
                   "host = \"127.0.0.1\"\n"
                   "port = " + std::to_string(broker.port()) + "\n"
                   "[[binding]]\n"
                   "topic = \"flood/{space}/count\"\n"
                   "format = \"words\"\n"
                   "value = \"count\"\n");
  // The space order (and so the topics) is the setup's; the child loads the same files.
  std::vector<std::string> ids;
  {
    app::Setup setup = load_usable(file);
    for (const auto& space : setup.model.spaces) ids.push_back(space.id);
  }
  const std::int64_t spaces = static_cast<std::int64_t>(ids.size());
  REQUIRE(spaces >= 40);
  std::vector<std::string> topics;
  for (const auto& id : ids) topics.push_back("flood/" + id + "/count");
  // The last message number <= k that went to space s (0: none).
  auto last_to = [spaces](std::int64_t s, std::int64_t k) -> std::int64_t {
    if (k <= 0) return 0;
    const std::int64_t m = k - ((k % spaces - s + spaces) % spaces);
    return m >= 1 ? m : 0;
  };

  // Fork first: no thread exists in this process yet.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ChildGuard child;
  child.pid = ::fork();
  REQUIRE(child.pid >= 0);
  if (child.pid == 0) {
    ::close(fds[0]);
    ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
    panel_child(file, fds[1]);
  }
  ::close(fds[1]);
  Reports reports(fds[0]);

  REQUIRE(reports.until(SteadyClock::now() + 15s, [&] { return reports.last().connected == 1; }));
  // Connected is posted before the broker has our SUBSCRIBE: probe until a message gets through
  // (a topic of the binding, no such space), so the flood's timing is the delivery's, not the setup's.
  auto publisher = connect_publisher(broker.port(), "test-flood");
  bool heard = false;
  for (int attempt = 0; attempt < 25 && !heard; ++attempt) {
    const std::uint64_t before = reports.last().received;
    send(*publisher, "flood/probe/count", "0");
    heard = reports.until(SteadyClock::now() + 200ms, [&] { return reports.last().received > before; });
  }
  REQUIRE(heard);

  struct Batch {
    std::int64_t last_k;
    std::int64_t acked_ns;  // every PUBACK of the batch was back
  };
  std::mutex mutex;
  std::vector<Batch> batches;
  std::atomic<bool> stop{false}, publisher_ok{true};
  std::int64_t sent = 0;  // the flood thread's; read after join
  const std::int64_t flood_start_ns = now_ns();
  std::thread flood([&] {
    std::int64_t k = 0;
    // Bounded: the kill comes within ~3 s; past 30 s or 900,000 messages something is wrong.
    while (!stop && k < 900'000 && now_ns() - flood_start_ns < ns(30s)) {
      for (std::int64_t i = 0; i < kBatch; ++i) {
        ++k;
        if (!publisher->publish(topics[static_cast<std::size_t>(k % spaces)], std::to_string(k), 1, true)) {
          publisher_ok = false;
          return;
        }
      }
      if (!publisher->flush(10s)) {
        publisher_ok = false;
        return;
      }
      std::lock_guard lock(mutex);
      batches.push_back({k, now_ns()});
      sent = k;
    }
  });
  struct Joiner {
    std::thread& t;
    std::atomic<bool>& stop;
    ~Joiner() {
      stop = true;
      if (t.joinable()) t.join();
    }
  } joiner{flood, stop};

  // Kill 1.0-1.7 s after the flood first reached the panel's state (so the check is never vacuous).
  REQUIRE(reports.until(SteadyClock::now() + 10s, [&] { return reports.last().watermark > 0; }));
  std::mt19937 rng(std::random_device{}());
  const auto kill_at = SteadyClock::now() + std::chrono::milliseconds(1000 + rng() % 700);
  reports.until(kill_at, [] { return false; });
  const std::int64_t kill_ns = now_ns();
  REQUIRE(::kill(child.pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(::waitpid(child.pid, &status, 0) == child.pid);
  child.pid = -1;
  CHECK(WIFSIGNALED(status));  // not an early exit (which would mean the child failed)
  stop = true;
  flood.join();
  REQUIRE(publisher_ok);
  reports.drain();
  REQUIRE(sent > 0);
  // One more round over every space, after the death: values the killed panel never saw, which only
  // the broker's retained messages can bring to the restarted one.
  for (std::int64_t i = 0; i < spaces; ++i) {
    ++sent;
    REQUIRE(publisher->publish(topics[static_cast<std::size_t>(sent % spaces)], std::to_string(sent), 1, true));
  }
  REQUIRE(publisher->flush(10s));

  // What was sent: per space, the last message overall (the broker retains it).
  std::vector<std::int64_t> last_sent(static_cast<std::size_t>(spaces));
  for (std::int64_t s = 0; s < spaces; ++s) last_sent[static_cast<std::size_t>(s)] = last_to(s, sent);

  // 1. The panel's view.
  const std::int64_t cutoff_ns = kill_ns - ns(kFlushInterval) - ns(kTolerance);
  std::int64_t k_panel = 0, last_watermark = 0;
  for (const Report& r : reports.all()) {
    if (r.t_ns <= cutoff_ns) k_panel = std::max(k_panel, r.watermark);
    last_watermark = std::max(last_watermark, r.watermark);
  }
  // 2. The publisher's view: delivery lag per batch acked before the kill, then K_safe.
  std::int64_t lag_ns = 0;
  {
    std::size_t r = 0;
    const auto& all = reports.all();
    for (const Batch& b : batches) {
      if (b.acked_ns >= kill_ns) break;
      while (r < all.size() && all[r].watermark < b.last_k) ++r;  // watermarks only grow
      const std::int64_t seen_ns = r < all.size() ? std::min(all[r].t_ns, kill_ns) : kill_ns;
      lag_ns = std::max(lag_ns, seen_ns - b.acked_ns);
    }
  }
  std::int64_t k_safe = 0;
  for (const Batch& b : batches)
    if (b.acked_ns <= cutoff_ns - lag_ns) k_safe = std::max(k_safe, b.last_k);

  // 3. The file itself.
  CHECK(sqlite_integrity(snapshot) == "ok");
  std::map<std::string, std::int64_t> rows;
  std::int64_t newest_saved = 0;
  {
    store::OpenReport report;
    auto db = store::Snapshot::open(snapshot, &report);
    CHECK_FALSE(report.recovered);
    CHECK(db->integrity_check() == "ok");
    for (const store::Row& row : db->load_latest()) {
      if (row.reading.kind != core::Reading::Kind::Count) continue;
      rows[row.space_id] = row.reading.count;
      newest_saved = std::max<std::int64_t>(newest_saved, row.reading.count);
    }
  }
  // How much was lost: from the first pump that applied a message newer than the newest saved.
  std::int64_t lost_ms = 0;
  for (const Report& r : reports.all()) {
    if (r.watermark > newest_saved) {
      lost_ms = (kill_ns - r.t_ns) / 1'000'000;
      break;
    }
  }
  MESSAGE("flood+kill: " << sent << " messages sent over " << spaces << " spaces, killed "
                         << (kill_ns - flood_start_ns) / 1'000'000 << " ms into the flood; panel watermark "
                         << last_watermark << " at the kill, " << k_panel << " by T_kill - 500 ms; delivery lag "
                         << lag_ns / 1'000'000 << " ms; K_safe " << k_safe << "; newest saved " << newest_saved
                         << " (the last " << lost_ms << " ms of changes lost)");
  CHECK(k_panel > 0);  // else the test proved nothing: the panel had nothing 500 ms before the kill
  for (std::int64_t s = 0; s < spaces; ++s) {
    const std::string& id = ids[static_cast<std::size_t>(s)];
    const std::int64_t must = std::max(last_to(s, k_panel), last_to(s, k_safe));
    auto it = rows.find(id);
    INFO("space " << s << " (" << id << "): must hold >= " << must);
    if (must > 0) REQUIRE(it != rows.end());
    if (it == rows.end()) continue;
    CHECK(it->second % spaces == s);           // a message that went to this space
    CHECK(it->second >= must);                 // nothing older than the cutoff allows
    CHECK(it->second <= last_watermark);       // nothing the panel never applied
  }

  // Restart: a new panel on the same files starts from the snapshot, then the retained messages
  // bring every space to the last value published.
  core::SystemClock clock;
  Pumper pumper;
  app::Panel panel(load_usable(file), clock);
  for (std::int64_t s = 0; s < spaces; ++s) {
    const auto& reading = panel.state().readings[static_cast<std::size_t>(s)];
    auto it = rows.find(ids[static_cast<std::size_t>(s)]);
    INFO("space " << s);
    REQUIRE(reading.has_value() == (it != rows.end()));
    if (reading) CHECK(reading->count == it->second);
  }
  auto complete = [&] {
    for (std::int64_t s = 0; s < spaces; ++s) {
      const auto& reading = panel.state().readings[static_cast<std::size_t>(s)];
      if (!reading || reading->count != last_sent[static_cast<std::size_t>(s)]) return false;
    }
    return true;
  };
  CHECK_FALSE(complete());  // the last round came after the kill: only the broker has it
  const auto restart = SteadyClock::now();
  panel.start_network(pumper.wake());
  const bool refreshed = pumper.until(panel, complete, 10s);
  MESSAGE("flood+kill: restart complete from retained messages in "
          << std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - restart).count() << " ms");
  REQUIRE(refreshed);
  panel.stop();
  // The store caught up too: after a clean stop the snapshot holds the last values.
  auto db = store::Snapshot::open(snapshot);
  for (const store::Row& row : db->load_latest()) {
    auto it = std::find(ids.begin(), ids.end(), row.space_id);
    if (it == ids.end()) continue;
    CHECK(row.reading.count == last_sent[static_cast<std::size_t>(it - ids.begin())]);
  }
}
