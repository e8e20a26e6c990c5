// Storage degrades, the screen does not (issue 9), with a real broker and the real binary: a panel
// whose snapshot path is unusable runs, draws, says so once (log, status topic), and writes once the
// path is fixed; a second panel on one snapshot runs without storage, names the first one's pid, and
// takes over when it is gone; a snapshot deleted under a running panel is recreated with what follows.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/space_directory.hpp"
#include "integration/integration_helpers.hpp"
#include "store/snapshot.hpp"

using namespace kiosk;
using namespace kiosk::integration;

namespace {

const std::string kGaronneTopic = "campus/1/salle-garonne/occupancy";

// `kiosk run` in the background, drawing offscreen (EGL, llvmpipe), its stderr in a file.
class Kiosk {
 public:
  Kiosk(const fs::path& panel, const fs::path& log) : log_(log) {
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, STDERR_FILENO);
      ::dup2(fd, STDOUT_FILENO);
      ::setenv("SDL_VIDEODRIVER", "offscreen", 1);
      ::setenv("KIOSK_LOG_FRAMES", "1", 1);
      ::execl(kBinary.c_str(), kBinary.c_str(), "run", "--windowed", "--size", "800x480", "--config", panel.c_str(),
              nullptr);
      ::_exit(127);
    }
  }
  ~Kiosk() { kill9(); }
  pid_t pid() const { return pid_; }
  std::string log() const { return read_file(log_); }
  bool wait_log(const std::string& text, std::chrono::milliseconds timeout) const {
    return testing::wait_until([&] { return log().find(text) != std::string::npos; }, timeout);
  }
  std::size_t count(const std::string& text) const {
    const std::string all = log();
    std::size_t n = 0;
    for (std::size_t at = all.find(text); at != std::string::npos; at = all.find(text, at + 1)) ++n;
    return n;
  }
  bool alive() const { return ::waitpid(pid_, nullptr, WNOHANG) == 0; }
  int stop() {  // SIGTERM; the exit status, or -1 when it did not exit within 10 s
    ::kill(pid_, SIGTERM);
    int status = 0;
    const bool done = testing::wait_until([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, 10s);
    if (done) pid_ = -1;
    return done && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  void kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  fs::path log_;
};

std::string space_id(const fs::path& panel, const std::string& name) {
  const app::Setup setup = load_usable(panel);
  app::SpaceDirectory directory(setup.model.spaces, setup.model.keys);
  const auto index = directory.find(name);
  REQUIRE(index);
  return setup.model.spaces[*index].id;
}

// What the file at `snapshot` holds for `id`: read only, so looking never creates the file.
std::optional<bool> stored(const fs::path& snapshot, const std::string& id) {
  std::error_code ec;
  if (!fs::is_regular_file(snapshot, ec)) return std::nullopt;
  try {
    auto db = store::Snapshot::open_read_only(snapshot);
    for (const store::Row& row : db->load_latest())
      if (row.space_id == id) return row.reading.occupied;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// The retained status of the panel, as any MQTT tool sees it.
struct StatusWatcher {
  std::unique_ptr<ingest::mqtt::Publisher> client;
  std::string last;
  explicit StatusWatcher(int port) {
    client = connect_publisher(port, "storage-status-watcher");
    client->on_message([this](std::string_view, std::string_view payload, bool) { last = payload; });
    REQUIRE(client->subscribe("kiosk/entrance/status", 1));
  }
  bool wait_for(const std::function<bool(const nlohmann::json&)>& done, std::chrono::milliseconds timeout) {
    return testing::wait_until(
        [&] {
          client->loop(20ms);
          auto j = nlohmann::json::parse(last, nullptr, false);
          return !j.is_discarded() && done(j);
        },
        timeout);
  }
};

}  // namespace

TEST_CASE("storage: kiosk run with a directory at its snapshot path runs, says so once, and writes once it is a file") {
  testing::Broker broker;
  TempDir dir;
  const fs::path db = dir / "entrance.db";
  fs::create_directory(db);
  const fs::path panel = write_entrance_panel(dir, broker.port());
  Kiosk kiosk(panel, dir / "kiosk.log");
  REQUIRE_MESSAGE(kiosk.wait_log("kiosk: storage: state not saved: cannot open snapshot database " + db.string() +
                                     ": it is a directory",
                                 20s),
                  kiosk.log());
  REQUIRE_MESSAGE(kiosk.wait_log("mqtt: connected", 20s), kiosk.log());
  CHECK_MESSAGE(kiosk.wait_log("\nframe t_ms=", 20s), kiosk.log());  // it draws
  StatusWatcher status(broker.port());
  CHECK(status.wait_for([](const nlohmann::json& j) { return j.contains("storage") && j["storage"]["ok"] == false &&
                                                             j["storage"]["problem"].get<std::string>().find("it is a directory") != std::string::npos; },
                        10s));

  auto sensor = connect_publisher(broker.port(), "storage-sensor");
  send(*sensor, kGaronneTopic, "occupied", true);
  std::this_thread::sleep_for(3s);  // several retries fail meanwhile: still one line
  CHECK(kiosk.alive());
  CHECK(kiosk.count("state not saved") == 1);

  fs::remove(db);  // staff fix it; the panel writes what waited, by itself
  const std::string garonne = space_id(panel, "Salle Garonne");
  CHECK_MESSAGE(testing::wait_until([&] { return stored(db, garonne) == true; }, 40s), kiosk.log());
  CHECK(kiosk.wait_log("kiosk: storage: writing again to " + db.string(), 5s));
  CHECK(status.wait_for([](const nlohmann::json& j) { return j.contains("storage") && j["storage"]["ok"] == true; }, 10s));
  CHECK(kiosk.stop() == 0);
}

TEST_CASE("storage: a second panel on one snapshot runs without storage, names the first one, and takes over after it") {
  testing::Broker broker;
  TempDir dir;
  const fs::path db = dir / "entrance.db";
  const fs::path file = write_entrance_panel(dir, broker.port());
  Kiosk first(file, dir / "first.log");
  REQUIRE_MESSAGE(first.wait_log("mqtt: connected", 20s), first.log());
  REQUIRE(fs::exists(db.string() + ".lock"));

  core::SystemClock clock;
  Pumper pumper;
  app::Panel second(load_usable(file), clock, app::Panel::StoreTiming{50ms, 200ms, 100ms});
  CHECK_FALSE(second.state().storage.ok);
  CHECK(second.state().storage.problem.find("snapshot " + db.string() + " is in use by another panel (pid " +
                                            std::to_string(first.pid()) + ")") != std::string::npos);
  second.start_network(pumper.wake());
  REQUIRE(pumper.until(second, [&] { return connected(second); }, 10s));
  auto sensor = connect_publisher(broker.port(), "storage-sensor-2");
  send(*sensor, kGaronneTopic, "occupied");
  REQUIRE(pumper.until(second, [&] { return reading_of(second, "Salle Garonne").has_value(); }, 5s));  // live data

  first.kill9();  // the first panel is gone: the second takes the snapshot over by itself
  CHECK(pumper.until(second, [&] { return second.state().storage.ok; }, 10s));
  send(*sensor, kGaronneTopic, "vacant");
  const std::string garonne = space_id(file, "Salle Garonne");
  CHECK(pumper.until(second, [&] { return stored(db, garonne) == false; }, 10s));
}

TEST_CASE("storage: a snapshot deleted under a running panel is recreated, and what follows lands in it") {
  testing::Broker broker;
  TempDir dir;
  const fs::path db = dir / "entrance.db";
  const fs::path file = write_entrance_panel(dir, broker.port());
  core::SystemClock clock;
  Pumper pumper;
  app::Panel panel(load_usable(file), clock, app::Panel::StoreTiming{50ms, 200ms, 100ms});
  panel.start_network(pumper.wake());
  REQUIRE(pumper.until(panel, [&] { return connected(panel); }, 10s));
  auto sensor = connect_publisher(broker.port(), "storage-sensor-3");
  const std::string garonne = space_id(file, "Salle Garonne");
  const std::string nap = space_id(file, "Salle de sieste Nord");
  send(*sensor, kGaronneTopic, "occupied");
  REQUIRE(pumper.until(panel, [&] { return stored(db, garonne) == true; }, 10s));

  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  REQUIRE(pumper.until(panel, [&] { return panel.state().storage.note.find("was deleted") != std::string::npos; }, 10s));
  send(*sensor, "campus/2/salle-de-sieste-nord/seats", R"({"taken":4})");
  REQUIRE(pumper.until(panel, [&] { return reading_of(panel, "Salle de sieste Nord").has_value(); }, 5s));
  CHECK(pumper.until(panel, [&] {
    std::error_code ec;
    if (!fs::exists(db, ec)) return false;
    auto reader = store::Snapshot::open_read_only(db);
    bool has_nap = false, has_garonne = false;
    for (const store::Row& row : reader->load_latest()) {
      has_nap |= row.space_id == nap;
      has_garonne |= row.space_id == garonne && row.reading.occupied;
    }
    return has_nap && has_garonne;  // after the deletion, and what it knew before it
  }, 10s));
  CHECK(panel.state().storage.ok);
  CHECK(nlohmann::json::parse(panel.health_json(0))["storage"]["note"].get<std::string>().find("was deleted") !=
        std::string::npos);
}

TEST_CASE("storage: kiosk check warns when the snapshot cannot be written, naming the user, and still accepts the panel") {
  TempDir dir;
  const fs::path panel = write_entrance_panel(dir, 1);
  const fs::path db = dir / "entrance.db";
  ProcessResult fine = run_kiosk({"check", "--config", panel.string()});
  CHECK(fine.err.find("snapshot") == std::string::npos);

  fs::create_directory(db);
  ProcessResult r = run_kiosk({"check", "--config", panel.string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);  // a warning: the panel runs, degraded, and says so
  CHECK(r.err.find(db.string() + ": warning: the snapshot path is unusable: it is a directory") != std::string::npos);
  fs::remove(db);

  // A read-only file system (root ignores chmod, not EROFS): needs mount(2), else this part is skipped.
  const fs::path ro = dir / "ro";
  fs::create_directory(ro);
  const std::string mount = "mount --bind " + ro.string() + " " + ro.string() + " && mount -o remount,bind,ro " +
                            ro.string() + " " + ro.string() + " 2>/dev/null";
  if (std::system(mount.c_str()) != 0) {
    MESSAGE("skipped the read-only part: mount --bind is not permitted here");
    return;
  }
  const fs::path ro_panel = write_entrance_panel(dir, 1, "", "ro.toml", "ro/entrance.db");
  r = run_kiosk({"check", "--config", ro_panel.string()});
  std::system(("umount " + ro.string()).c_str());
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("the folder " + ro.string() + " that holds the snapshot") != std::string::npos);
  CHECK(r.err.find("is not writable for user ") != std::string::npos);
  CHECK(r.err.find("(uid " + std::to_string(::geteuid()) + ")") != std::string::npos);
}
