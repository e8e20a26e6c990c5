// Files the MQTT client reads at each connection attempt ([mqtt] password_file, and the TLS files that
// libmosquitto would fopen()): swapped for a FIFO after `kiosk check`, they used to block the network
// thread in open(), and stop() with it. Now the attempt fails at once, naming the file and what it is.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "core/inbox.hpp"
#include "ingest/mqtt/client.hpp"
#include "ingest/router.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using namespace kiosk::ingest;
using namespace std::chrono_literals;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char pattern[] = "/tmp/kiosk-ingest-files-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    REQUIRE(made != nullptr);
    path = made;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// The first link error of a client with `options` (port 1: nothing listens, nothing is dialled first).
std::string first_error(mqtt::Options options) {
  Route route;
  route.pattern = *TopicPattern::parse("campus/{space}", nullptr);
  route.space_template = "{space}";
  Router router({route}, [](std::string_view) { return std::optional<std::uint32_t>(); }, 65536);
  core::Inbox inbox(1);
  core::SystemClock clock;
  options.client_id = "kiosk-test-files";
  options.reconnect_min = 50ms;
  options.reconnect_max = 200ms;
  mqtt::Client client(options, router, inbox, clock);
  client.start();
  std::string error;
  for (int i = 0; i < 200 && error.empty(); ++i) {
    std::this_thread::sleep_for(25ms);
    core::Inbox::Batch batch;
    inbox.drain(batch);
    if (batch.link && !batch.link->connected) error = batch.link->error;
  }
  const auto before = std::chrono::steady_clock::now();
  client.stop();
  CHECK(std::chrono::steady_clock::now() - before < 2s);
  return error;
}

}  // namespace

TEST_CASE("mqtt client: a password_file or TLS file turned into a FIFO fails the attempt at once, by name") {
  TempDir dir;
  const fs::path fifo = dir.path / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);

  mqtt::Options password;
  password.brokers = {{"127.0.0.1", 1}};
  password.username = "panel";
  password.password_file = fifo.string();
  CHECK(first_error(password) == "cannot read the password file " + fifo.string() +
                                     ": is a FIFO, not a regular file — check [mqtt] password_file");

  mqtt::Options tls;
  tls.brokers = {{"127.0.0.1", 1, true}};
  tls.tls.ca_file = fifo.string();
  CHECK(first_error(tls) == "TLS to 127.0.0.1:1 not started: cannot read " + fifo.string() +
                                " ([mqtt] ca_file): is a FIFO, not a regular file");
}
