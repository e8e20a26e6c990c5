// A real mosquitto broker for tests, on 127.0.0.1 and a port of its own. Header-only; reusable by any
// test program. Every wait is bounded.
//
//   kiosk::testing::Broker broker;            // started, accepting connections
//   REQUIRE(broker.running());
//   broker.kill();  broker.start();           // restart on the same port
#pragma once
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

extern char** environ;

namespace kiosk::testing {

inline constexpr const char* kMosquittoBinary = "/usr/sbin/mosquitto";

// A port nobody listens on right now: bind 127.0.0.1:0, read the port, close.
inline int free_local_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = -1;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

inline bool local_port_accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// Polls `done` every 10 ms until it returns true or `timeout` passes.
inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

class Broker {
 public:
  explicit Broker(bool start_now = true) : Broker(std::string(), start_now) {}
  // With more configuration: `extra` after the plain listener on port() (more listeners, TLS files, a
  // bridge, persistence...), `prelude` before it (options mosquitto wants first, like
  // per_listener_settings). Extra listeners take ports of their own (free_local_port()).
  Broker(const std::string& extra, bool start_now, const std::string& prelude = "") {
    char pattern[] = "/tmp/kiosk-broker-XXXXXX";
    if (const char* d = ::mkdtemp(pattern)) dir_ = d;
    ::chmod(dir_.c_str(), 0755);  // mosquitto may drop to its own user when started as root
    port_ = free_local_port();
    std::ofstream conf(dir_ + "/mosquitto.conf");
    conf << prelude
         << "listener " << port_ << " 127.0.0.1\n"
         << "allow_anonymous true\n"
         << "persistence false\n"
         << "max_queued_messages 200000\n"
         << "log_dest stderr\n"
         << extra;
    conf.close();
    if (start_now) start();
  }
  ~Broker() {
    kill();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  std::string log_path() const { return dir_ + "/mosquitto.log"; }
  bool running() const { return pid_ > 0; }

  // Starts mosquitto (again) on the same port; true once it accepts connections (≤ 5 s).
  bool start() {
    if (pid_ > 0) return true;
    if (dir_.empty() || port_ <= 0) return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = log_path();
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const std::string conf = dir_ + "/mosquitto.conf";
    char* argv[] = {const_cast<char*>(kMosquittoBinary), const_cast<char*>("-c"), const_cast<char*>(conf.c_str()),
                    nullptr};
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, kMosquittoBinary, &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return false;
    pid_ = pid;
    const bool up = wait_until(
        [&] {
          int status = 0;
          if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // exited: port taken, bad config...
            pid_ = -1;
            return true;
          }
          return local_port_accepts(port_);
        },
        std::chrono::seconds(5));
    if (!up || pid_ <= 0) {
      kill();
      return false;
    }
    return true;
  }

  // Stops the broker at once (SIGKILL by default: no goodbye to clients) and reaps it (≤ 5 s).
  void kill(int signal = SIGKILL) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    const pid_t pid = pid_;
    const bool reaped = wait_until([&] { return ::waitpid(pid, nullptr, WNOHANG) == pid; }, std::chrono::seconds(5));
    if (!reaped) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    pid_ = -1;
  }

 private:
  std::string dir_;
  int port_ = -1;
  pid_t pid_ = -1;
};

}  // namespace kiosk::testing
