// The panel on a real X server (Xvfb) as a panel runs: its window redrawn region by region, then
// read back from the server with xwd and compared with a whole redraw; a panel started before its
// display; a display that goes away under a running panel. A real broker, real snapshots.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "integration/integration_helpers.hpp"
#include "app/space_directory.hpp"
#include "store/snapshot.hpp"

using namespace kiosk;
using namespace kiosk::integration;

namespace {

// A process started with extra environment, its stderr in a file.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env, const fs::path& log) : log_(log) {
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, STDERR_FILENO);
      ::dup2(fd, STDOUT_FILENO);
      for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  std::string log() const { return read_file(log_); }
  bool wait_log(const std::string& text, std::chrono::milliseconds timeout) const {
    return testing::wait_until([&] { return log().find(text) != std::string::npos; }, timeout);
  }
  // Waits for the exit; its status, or -1 if it did not exit in time.
  int wait_exit(std::chrono::milliseconds timeout) {
    int status = 0;
    if (!testing::wait_until([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout)) return -1;
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  void signal(int sig) const { ::kill(pid_, sig); }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  fs::path log_;
};

// Xvfb on a display number of its own choosing (-displayfd), or on `number` when given.
class Xvfb {
 public:
  explicit Xvfb(const TempDir& dir, int number = -1) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::close(fds[0]);
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDERR_FILENO);
      const std::string fd = std::to_string(fds[1]);
      if (number >= 0) {
        const std::string name = ":" + std::to_string(number);
        ::execlp("Xvfb", "Xvfb", name.c_str(), "-screen", "0", "1280x720x24", "-nolisten", "tcp", "-displayfd",
                 fd.c_str(), nullptr);
      } else {
        ::execlp("Xvfb", "Xvfb", "-screen", "0", "1280x720x24", "-nolisten", "tcp", "-displayfd", fd.c_str(), nullptr);
      }
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string text;
    char c;
    // Xvfb writes the display number once it accepts connections.
    while (::read(fds[0], &c, 1) == 1 && c != '\n') text += c;
    ::close(fds[0]);
    REQUIRE_MESSAGE(!text.empty(), "Xvfb did not start (scripts/setup installs xvfb)");
    display_ = ":" + text;
    (void)dir;
  }
  ~Xvfb() { stop(); }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  const std::string& display() const { return display_; }

 private:
  pid_t pid_ = -1;
  std::string display_;
};

struct Picture {
  int w = 0, h = 0;
  std::vector<std::uint8_t> rgb;
  bool operator==(const Picture&) const = default;
};

// The X server's own idea of the screen: `xwd -root`, read as XWD (a 100-byte big-endian header of
// 25 words, the window name, the colour map, then Z-pixmap rows).
Picture screenshot(const std::string& display, const fs::path& file) {
  const std::string command = "xwd -root -silent -display " + display + " > " + file.string() + " 2>/dev/null";
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0, "xwd failed (scripts/setup installs x11-apps)");
  const std::string data = read_file(file);
  REQUIRE(data.size() > 100);
  auto word = [&](int i) {
    const auto* p = reinterpret_cast<const unsigned char*>(data.data()) + 4 * i;
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
  };
  const std::uint32_t header = word(0), width = word(4), height = word(5), byte_order = word(7), bpp = word(11),
                      bytes_per_line = word(12), colours = word(19);
  REQUIRE(bpp == 32);
  const std::size_t start = header + colours * 12;
  REQUIRE(data.size() >= start + std::size_t(bytes_per_line) * height);
  Picture picture;
  picture.w = static_cast<int>(width);
  picture.h = static_cast<int>(height);
  picture.rgb.reserve(std::size_t(width) * height * 3);
  for (std::uint32_t y = 0; y < height; ++y)
    for (std::uint32_t x = 0; x < width; ++x) {
      const auto* p = reinterpret_cast<const unsigned char*>(data.data()) + start + y * bytes_per_line + x * 4;
      if (byte_order == 0) picture.rgb.insert(picture.rgb.end(), {p[2], p[1], p[0]});  // LSBFirst: B G R x
      else picture.rgb.insert(picture.rgb.end(), {p[1], p[2], p[3]});                  // MSBFirst: x R G B
    }
  return picture;
}

struct FrameLine {
  long long pixels = 0;
};
std::vector<FrameLine> frame_lines(const std::string& log) {
  std::vector<FrameLine> lines;
  for (std::size_t at = log.find("\nframe t_ms="); at != std::string::npos; at = log.find("\nframe t_ms=", at + 1)) {
    const std::size_t px = log.find("pixels=", at);
    if (px == std::string::npos) break;
    lines.push_back({std::atoll(log.c_str() + px + 7)});
  }
  return lines;
}

// The snapshot's id of a space, by name, as the panel resolves it.
std::string space_id(const fs::path& panel, const std::string& name) {
  const app::Setup setup = load_usable(panel);
  app::SpaceDirectory directory(setup.model.spaces, setup.model.keys);
  const auto index = directory.find(name);
  REQUIRE(index);
  return setup.model.spaces[*index].id;
}

bool stored_occupied(const fs::path& snapshot, const std::string& id) {
  auto db = store::Snapshot::open(snapshot);
  for (const store::Row& row : db->load_latest())
    if (row.space_id == id) return row.reading.occupied;
  return false;
}

std::vector<std::string> panel_env(const std::string& display) {
  return {"DISPLAY=" + display, "KIOSK_LOG_FRAMES=1", "SDL_VIDEODRIVER=x11"};
}

}  // namespace

TEST_CASE("X11: changes are drawn region by region, and the window then shows what a whole redraw shows") {
  testing::Broker broker;
  TempDir dir;
  Xvfb x(dir);
  const fs::path panel = write_entrance_panel(dir, broker.port());
  Child kiosk({kBinary, "run", "--windowed", "--size", "1280x720", "--config", panel.string()}, panel_env(x.display()),
              dir / "kiosk.log");
  REQUIRE_MESSAGE(kiosk.wait_log("redraw copy-sub-buffer", 20s), kiosk.log());
  REQUIRE_MESSAGE(kiosk.wait_log("mqtt: connected", 20s), kiosk.log());
  auto sensor = connect_publisher(broker.port(), "display-test");
  const char* topics[] = {"campus/1/salle-garonne/occupancy", "campus/0/salle-capitole/occupancy",
                          "campus/0/salle-pyrenees/occupancy", "campus/2/salle-oenologie/occupancy"};
  bool compared = false;
  for (int attempt = 0; attempt < 3 && !compared; ++attempt) {
    const long long minute = core::to_unix_ms(core::SystemClock().now()) / 60000;
    const std::size_t before = frame_lines(kiosk.log()).size();
    for (const char* topic : topics) send(*sensor, topic, attempt % 2 ? "vacant" : "occupied");
    // Partial frames come (each well under the whole 1280x720), then the panel goes quiet.
    REQUIRE(testing::wait_until([&] { return frame_lines(kiosk.log()).size() > before; }, 10s));
    std::this_thread::sleep_for(800ms);
    const auto lines = frame_lines(kiosk.log());
    bool partial_seen = false;
    for (std::size_t i = before; i < lines.size(); ++i) partial_seen |= lines[i].pixels > 0 && lines[i].pixels < 1280LL * 720 / 2;
    CHECK_MESSAGE(partial_seen, kiosk.log());
    const Picture partial = screenshot(x.display(), dir / "partial.xwd");

    // xrefresh exposes every window: the panel redraws itself whole.
    const std::size_t before_whole = frame_lines(kiosk.log()).size();
    REQUIRE_MESSAGE(std::system(("xrefresh -display " + x.display()).c_str()) == 0,
                    "xrefresh failed (scripts/setup installs x11-xserver-utils)");
    REQUIRE(testing::wait_until(
        [&] {
          const auto all = frame_lines(kiosk.log());
          for (std::size_t i = before_whole; i < all.size(); ++i)
            if (all[i].pixels == 1280LL * 720) return true;
          return false;
        },
        10s));
    std::this_thread::sleep_for(300ms);
    const Picture whole = screenshot(x.display(), dir / "whole.xwd");
    if (core::to_unix_ms(core::SystemClock().now()) / 60000 != minute) continue;  // the clock moved: again
    REQUIRE(partial.w == 1280);
    // Not a blank screen: the header's surface colour (#1B2533) is at its top left.
    CHECK((partial.rgb[3 * (10 * 1280 + 10)] == 0x1B && partial.rgb[3 * (10 * 1280 + 10) + 2] == 0x33));
    std::size_t differing = 0;
    for (std::size_t i = 0; i < partial.rgb.size(); ++i) differing += partial.rgb[i] != whole.rgb[i];
    CHECK_MESSAGE(differing == 0, differing << " bytes differ between the partially redrawn window and a whole redraw");
    compared = true;
  }
  CHECK(compared);
  kiosk.signal(SIGTERM);
  CHECK(kiosk.wait_exit(10s) == 0);
}

TEST_CASE("no display at start: the panel keeps taking in data, and opens its window when the display comes") {
  testing::Broker broker;
  TempDir dir;
  int number = 0;
  {
    Xvfb probe(dir);  // a number no server uses now; freed for the panel to wait on
    number = std::stoi(probe.display().substr(1));
  }
  const std::string display = ":" + std::to_string(number);
  const fs::path panel = write_entrance_panel(dir, broker.port());
  Child kiosk({kBinary, "run", "--windowed", "--size", "1280x720", "--config", panel.string()}, panel_env(display),
              dir / "kiosk.log");
  REQUIRE_MESSAGE(kiosk.wait_log("kiosk: no screen: cannot", 20s), kiosk.log());
  CHECK_MESSAGE(kiosk.wait_log("the panel keeps taking in data and tries again in 5 s", 5s), kiosk.log());
  REQUIRE_MESSAGE(kiosk.wait_log("mqtt: connected", 20s), kiosk.log());

  // Its health says so, and the data keeps coming into the snapshot.
  auto watcher = connect_publisher(broker.port(), "display-watcher");
  std::string status;
  watcher->on_message([&](std::string_view, std::string_view payload, bool) { status = payload; });
  REQUIRE(watcher->subscribe("kiosk/entrance/status", 1));
  REQUIRE(testing::wait_until(
      [&] {
        watcher->loop(20ms);
        return status.find("\"display\":false") != std::string::npos &&
               status.find("\"display_problem\":\"cannot") != std::string::npos;
      },
      10s));
  auto sensor = connect_publisher(broker.port(), "display-test");
  send(*sensor, "campus/1/salle-garonne/occupancy", "occupied");
  const std::string garonne = space_id(panel, "Salle Garonne");
  REQUIRE(testing::wait_until([&] { return stored_occupied(dir / "entrance.db", garonne); }, 10s));

  Xvfb x(dir, number);
  REQUIRE_MESSAGE(kiosk.wait_log("kiosk: the screen is back", 30s), kiosk.log());
  REQUIRE(testing::wait_until([&] { return !frame_lines(kiosk.log()).empty(); }, 10s));
  CHECK(frame_lines(kiosk.log()).front().pixels == 1280LL * 720);
  kiosk.signal(SIGTERM);
  CHECK(kiosk.wait_exit(10s) == 0);
}

TEST_CASE("the display goes away under a running panel: it says so, exits for a restart, the snapshot keeps the data") {
  testing::Broker broker;
  TempDir dir;
  Xvfb x(dir);
  const fs::path panel = write_entrance_panel(dir, broker.port());
  Child kiosk({kBinary, "run", "--windowed", "--size", "1280x720", "--config", panel.string()}, panel_env(x.display()),
              dir / "kiosk.log");
  REQUIRE_MESSAGE(kiosk.wait_log("mqtt: connected", 20s), kiosk.log());
  REQUIRE_MESSAGE(kiosk.wait_log("frame t_ms=", 20s), kiosk.log());
  auto sensor = connect_publisher(broker.port(), "display-test");
  const std::size_t before = frame_lines(kiosk.log()).size();
  send(*sensor, "campus/1/salle-garonne/occupancy", "occupied");
  REQUIRE(testing::wait_until([&] { return frame_lines(kiosk.log()).size() > before; }, 10s));  // taken in
  x.stop();
  const int status = kiosk.wait_exit(15s);
  CHECK_MESSAGE(status == 75, kiosk.log());  // EX_TEMPFAIL: systemd's Restart= brings it back
  CHECK_MESSAGE(kiosk.log().find("the X display went away") != std::string::npos, kiosk.log());
  auto db = store::Snapshot::open(dir / "entrance.db");
  CHECK(db->integrity_check() == "ok");
  CHECK(stored_occupied(dir / "entrance.db", space_id(panel, "Salle Garonne")));
}
