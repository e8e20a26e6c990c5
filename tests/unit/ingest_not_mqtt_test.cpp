// A server that is not an MQTT broker: a real TCP server on 127.0.0.1 that answers the panel's CONNECT
// with other bytes (an SSH banner, an HTTP error page). It used to be reported as "no answer within
// 10000 ms" (libmosquitto waits for the rest of what it takes for a long packet); now the panel says
// what it is, naming what the server sent.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "core/inbox.hpp"
#include "ingest/mqtt/client.hpp"
#include "ingest/router.hpp"

using namespace kiosk;
using namespace kiosk::ingest;
using namespace std::chrono_literals;

namespace {

// Accepts connections on an ephemeral port and writes `answer` to each; keeps them open while it runs
// (or closes each at once when `hang_up`).
class GarbageServer {
 public:
  GarbageServer(std::string answer, bool hang_up) : answer_(std::move(answer)), hang_up_(hang_up) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener_, 8) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~GarbageServer() {
    stop_ = true;
    ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(listener_);
    for (int fd : open_) ::close(fd);
  }
  int port() const { return port_; }

 private:
  void serve() {
    while (!stop_) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      if (::write(fd, answer_.data(), answer_.size()) < 0) {}
      if (hang_up_) ::close(fd);
      else open_.push_back(fd);
    }
  }
  std::string answer_;
  bool hang_up_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::vector<int> open_;
  std::thread thread_;
};

// The first link error the client reports against `port`.
std::string first_error(int port) {
  Route route;
  route.pattern = *TopicPattern::parse("campus/{space}", nullptr);
  route.space_template = "{space}";
  Router router({route}, [](std::string_view) { return std::optional<std::uint32_t>(); }, 65536);
  core::Inbox inbox(1);
  core::SystemClock clock;
  mqtt::Options options;
  options.brokers = {{"127.0.0.1", port}};
  options.client_id = "kiosk-test-not-mqtt";
  options.reconnect_min = 50ms;
  options.reconnect_max = 200ms;
  options.connect_timeout = 3000ms;
  mqtt::Client client(options, router, inbox, clock);
  client.start();
  std::string error;
  for (int i = 0; i < 200 && error.empty(); ++i) {
    std::this_thread::sleep_for(25ms);
    core::Inbox::Batch batch;
    inbox.drain(batch);
    if (batch.link && !batch.link->connected) error = batch.link->error;
  }
  client.stop();
  return error;
}

}  // namespace

TEST_CASE("mqtt client: a server answering with an SSH banner is not an MQTT broker, and says so") {
  GarbageServer ssh("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", /*hang_up=*/false);  // and then waits, as sshd does
  const std::string error = first_error(ssh.port());
  CHECK(error == "not an MQTT broker (it answered with bytes that are not MQTT: \"SSH-2.0-OpenSSH_9.2p1 "
                 "Debian-2??\"); check the host and port of this [[mqtt.broker]]");
}

TEST_CASE("mqtt client: a server answering with HTTP and hanging up is not an MQTT broker either") {
  GarbageServer http("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", /*hang_up=*/true);
  const std::string error = first_error(http.port());
  CHECK_MESSAGE(error.rfind("not an MQTT broker (it answered with bytes that are not MQTT: \"HTTP/1.1 400 Bad "
                            "Request??Content-Len", 0) == 0,
                error);
}
