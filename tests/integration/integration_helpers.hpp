// Shared by the integration tests: a temp dir that cleans up after itself, panel files pointing at a
// test broker, a wake-driven pump loop (like the frame loop's), a subscriber that remembers what it saw,
// and a child-process runner for the CLI. Every wait is bounded; nothing talks to anything but 127.0.0.1.
#pragma once
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/panel.hpp"
#include "app/setup.hpp"
#include "core/clock.hpp"
#include "ingest/mqtt/client.hpp"
#include "unit/ingest_broker_helper.hpp"

namespace kiosk::integration {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline const std::string kSource = KIOSK_SOURCE_DIR;
inline const std::string kBinary = KIOSK_BINARY;

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/kiosk-integ-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    REQUIRE(made != nullptr);
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

inline void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A panel file over the sample entrance panel, talking to the test broker, its snapshot in `dir`.
inline fs::path write_entrance_panel(const TempDir& dir, int port, const std::string& extra = "",
                                     const std::string& name = "entrance.toml",
                                     const std::string& snapshot = "entrance.db") {
  const fs::path file = dir / name;
  write_file(file, "include = \"" + kSource + "/config/panels/entrance.toml\"\n"
                   "[panel]\n"
                   "snapshot = \"" + (dir / snapshot).string() + "\"\n"
                   "[mqtt]\n"
                   "reconnect_min = \"1s\"\n"
                   "reconnect_max = \"2s\"\n"
                   "[[mqtt.broker]]\n"
                   "host = \"127.0.0.1\"\n"
                   "port = " + std::to_string(port) + "\n" + extra);
  return file;
}

inline app::Setup load_usable(const fs::path& file) {
  app::Setup setup = app::load_setup(file);
  std::string problems;
  for (const auto& line : setup.messages) problems += line + "\n";
  INFO(problems);
  REQUIRE(setup.usable());
  return setup;
}

// What the frame loop does: sleep until woken (or a short timeout), then pump.
class Pumper {
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
  // Pumps until `done` holds or `timeout` passes; true if it held.
  bool until(app::Panel& panel, const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      panel.pump();
      if (done()) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, 20ms, [&] { return woken_; });
      woken_ = false;
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
};

inline std::unique_ptr<ingest::mqtt::Publisher> connect_publisher(int port, const std::string& id) {
  auto publisher = std::make_unique<ingest::mqtt::Publisher>(ingest::mqtt::BrokerAddress{"127.0.0.1", port}, id);
  std::string error;
  const bool ok = publisher->connect(5s, &error);
  INFO(error);
  REQUIRE(ok);
  return publisher;
}

// Publishes and waits (bounded) until the broker acknowledged it.
inline void send(ingest::mqtt::Publisher& publisher, const std::string& topic, const std::string& payload,
                 bool retain = false) {
  REQUIRE(publisher.publish(topic, payload, 1, retain));
  REQUIRE(publisher.flush(5s));
}

inline std::uint32_t space_index(const app::Panel& panel, const std::string& name) {
  auto index = panel.state().find_space(name);
  INFO(name);
  REQUIRE(index.has_value());
  return *index;
}

inline const std::optional<core::Reading>& reading_of(const app::Panel& panel, const std::string& name) {
  return panel.state().readings[space_index(panel, name)];
}

inline bool connected(const app::Panel& panel) { return panel.state().link_known && panel.state().link.connected; }

// "Connected" is posted when the broker accepts the session, before it has processed the panel's
// SUBSCRIBEs: a non-retained message published right then may be missed. Waits (bounded) until a probe
// on every binding's filter has reached the router, so what a test publishes next is seen. Probes name
// no space ("probe"): they count as received + unknown_space, nothing else. Returns the figures after.
inline app::IngestFigures settle(app::Panel& panel, Pumper& pumper, int port) {
  REQUIRE(pumper.until(panel, [&] { return connected(panel); }, 10s));
  auto prober = connect_publisher(port, "test-probe");
  for (const ingest::Route& route : panel.setup().routes) {
    std::string topic, filter = route.pattern.filter();
    for (std::size_t start = 0; start <= filter.size();) {
      std::size_t slash = filter.find('/', start);
      if (slash == std::string::npos) slash = filter.size();
      const std::string level = filter.substr(start, slash - start);
      topic += (start ? "/" : "") + std::string(level == "+" || level == "#" ? "probe" : level);
      start = slash + 1;
    }
    bool heard = false;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!heard && std::chrono::steady_clock::now() < deadline) {
      panel.pump();
      const std::uint64_t before = panel.state().figures.received;
      REQUIRE(prober->publish(topic, "probe", 1, false));
      REQUIRE(prober->flush(5s));
      heard = pumper.until(panel, [&] { return panel.state().figures.received > before; }, 200ms);
    }
    INFO(topic);
    REQUIRE(heard);
  }
  panel.pump();
  return panel.state().figures;
}

// A child process's outcome.
struct ProcessResult {
  int exit_code = -1;  // -1: killed (timeout) or did not exit normally
  bool timed_out = false;
  std::string out, err;
};

// Runs KIOSK_BINARY with `args`, capturing stdout and stderr; killed after `timeout`.
inline ProcessResult run_kiosk(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 10s) {
  ProcessResult result;
  int out_pipe[2], err_pipe[2];
  REQUIRE(::pipe(out_pipe) == 0);
  REQUIRE(::pipe(err_pipe) == 0);
  std::vector<std::string> argv_text{kBinary};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[0]);
    ::close(err_pipe[1]);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left.count())) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buffer[4096];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& fd : fds)
    if (fd.fd >= 0) ::close(fd.fd);
  if (result.timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  // Bounded reap: the pipes are closed (or the child killed), so it is exiting.
  const bool reaped = testing::wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 5s);
  if (!reaped) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    result.timed_out = true;
  }
  if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

}  // namespace kiosk::integration
