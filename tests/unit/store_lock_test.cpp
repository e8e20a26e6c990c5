// One panel per snapshot (issue 9): the lock on "<db>.lock" is held across processes, shared within
// one (a config reload), named with the holder's pid, and gone when the holder dies (kill -9).
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "fixtures/store/store_fixture.hpp"
#include "store/panel_lock.hpp"
#include "store/writer.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using namespace std::chrono_literals;
using store::PanelLock;
using store::test::TempDir;

namespace {
// Another process holding the lock, as another panel would; killed with SIGKILL at the end.
struct OtherPanel {
  pid_t pid = -1;
  explicit OtherPanel(const fs::path& db) {
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      PanelLock::Outcome outcome{};
      std::string why;
      auto lock = PanelLock::acquire(db, &outcome, &why);
      const char c = outcome == PanelLock::Outcome::Held ? 'y' : 'n';
      if (::write(ready[1], &c, 1) != 1) ::_exit(2);
      ::pause();
      ::_exit(0);
    }
    ::close(ready[1]);
    char c = 0;
    REQUIRE(::read(ready[0], &c, 1) == 1);
    ::close(ready[0]);
    REQUIRE(c == 'y');
  }
  void kill9() {
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    pid = -1;
  }
  ~OtherPanel() { kill9(); }
};
}  // namespace

TEST_CASE("a second panel on one snapshot is refused by name and pid, and the lock goes with the process that held it") {
  TempDir dir;
  const fs::path db = dir / "state.db";
  OtherPanel other(db);
  PanelLock::Outcome outcome{};
  std::string why;
  CHECK(PanelLock::acquire(db, &outcome, &why) == nullptr);
  CHECK(outcome == PanelLock::Outcome::InUse);
  CHECK(why.find("snapshot " + db.string() + " is in use by another panel (pid " + std::to_string(other.pid) + ")") !=
        std::string::npos);

  // The writer of the second panel runs without storage and says why; the file is not touched.
  store::WriterOptions options;
  options.retry_min = 20ms;
  options.retry_max = 40ms;
  store::Writer writer(store::Writer::open(db, options), options);
  CHECK_FALSE(writer.health().ok);
  CHECK(writer.health().kind == "in-use");
  CHECK_FALSE(fs::exists(db));

  other.kill9();  // the first panel dies: the second takes over by itself
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!writer.health().ok && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  CHECK(writer.health().ok);
  CHECK(fs::exists(db));
}

TEST_CASE("within one process the lock is shared (a config reload opens the new panel before the old one goes)") {
  TempDir dir;
  const fs::path db = dir / "state.db";
  PanelLock::Outcome first{}, second{};
  std::string why;
  auto a = PanelLock::acquire(db, &first, &why);
  auto b = PanelLock::acquire(db, &second, &why);
  CHECK(first == PanelLock::Outcome::Held);
  CHECK(second == PanelLock::Outcome::Held);
  CHECK(a == b);
}
