// The panel under cage, the Wayland kiosk compositor of Raspberry Pi OS bookworm: the real `kiosk run`
// (SDL's wayland driver, Mesa EGL on wl_shm) as the only client of a real cage (Debian 12: cage 0.1.4,
// wlroots 0.15), screenshots taken with grim over cage's Wayland socket, pixels checked against what
// `kiosk render` draws and reports (layout) for the same size. No broker: the panel draws offline from
// its snapshot.
//
// cage's output: on a panel it is the screen (DRM); here it is a window of a private Xvfb (cage's X11
// backend), which the test can resize like a monitor changing mode. Not the headless backend: with
// wlroots 0.15 its output keeps showing a client's first frames and misses later same-size frames of a
// client that draws only on change (measured: a frame per second never reached grim's picture, while the
// same program under the X11 backend was seen frame by frame), so it would test the compositor, not us.
// The renderer is pixman (software): no GPU or DRM needed on either side.
//
// What must be true: the picture is the output's size (the X11 backend's 1024x768 window; `cage -r`
// turns it to 768x1024; then the size the window is resized to), the panel fills it (the header's colour
// in the top corner, its accent line where the theme's header height puts it at that size, the board's
// background below, the offline banner along the bottom), the tiles' state stripes carry the state
// colours where `kiosk render` put those tiles at that size, and everything else is `kiosk render`'s
// picture. What may vary: the clock, the date and the language toggle (the minute may turn between the
// two pictures) and the banner's "offline since HH:MM" text, so those areas are not compared; colours
// are compared with the render tests' tolerance.
//
// cage refuses to run as root (it checks that setuid(0) fails). As root, the test starts it as uid/gid
// 1000 that keeps only CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, as ambient capabilities passed on to the
// panel: they can read the checkout (under /root on a fresh machine) and write the test's folder, and
// cannot become root again. Not a user namespace: the kernel refuses one inside a chroot, which is how
// a fresh machine runs the tests (../shared/tools/fresh-machine.sh).
//
// Index: processes (spawn, wait_for, Process: stopped whatever happens) · Xlib resize · Xserver (a
// private Xvfb) · Cage (cage + the panel) · screenshots (grim, wait_for_panel) · Expected (kiosk render)
// and check_picture · the test cases.
#include <dlfcn.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <sstream>
#include <thread>

#include "render/render_helpers.hpp"

using namespace kiosk;
using namespace kiosk::render_testing;
using namespace std::chrono_literals;

namespace {

constexpr Rgb kBackground{0x10, 0x17, 0x21}, kAccent{0x4C, 0x9A, 0xFF};
constexpr Rgb kBlack{0, 0, 0};  // cage's output before its client draws

std::optional<fs::path> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

// The end of a log, without wlroots' "Basic output test failed" (one per screenshot, harmless).
std::string tail_of(const fs::path& file, std::size_t max = 2000) {
  std::ifstream in(file, std::ios::binary);
  std::string text;
  for (std::string line; std::getline(in, line);)
    if (line.find("Basic output test failed") == std::string::npos) text += line + "\n";
  return text.size() > max ? "..." + text.substr(text.size() - max) : text;
}

// The environment of this process with `set` applied (NAME=value replaces NAME; NAME alone removes it).
std::vector<std::string> environment_with(const std::vector<std::string>& set) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  for (const std::string& entry : set) {
    const std::string name = entry.substr(0, entry.find('='));
    env.erase(std::remove_if(env.begin(), env.end(), [&](const std::string& e) { return e.rfind(name + "=", 0) == 0; }),
              env.end());
    if (entry.find('=') != std::string::npos) env.push_back(entry);
  }
  return env;
}

// What follows runs in the child of fork(): async-signal-safe calls only.
void write_all(int fd, const char* text) {
  for (std::size_t left = std::strlen(text); left > 0;) {
    const ssize_t n = ::write(fd, text, left);
    if (n <= 0) return;
    text += n;
    left -= static_cast<std::size_t>(n);
  }
}

// In a forked child, as root: uid/gid 1000 with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH kept as
// ambient capabilities (so they survive execve into cage and on into the panel); no CAP_SETUID, so
// setuid(0) fails as cage wants. Says why on stderr and returns false when the kernel refuses.
bool become_unprivileged_file_owner() {
  const auto fail = [](const char* step) {
    write_all(STDERR_FILENO, "test: cannot leave root for cage (");
    write_all(STDERR_FILENO, step);
    write_all(STDERR_FILENO, "): ");
    write_all(STDERR_FILENO, std::strerror(errno));
    write_all(STDERR_FILENO, "\n");
    return false;
  };
  if (::prctl(PR_SET_KEEPCAPS, 1) != 0) return fail("PR_SET_KEEPCAPS");
  if (::setgroups(0, nullptr) != 0) return fail("setgroups");
  if (::setresgid(1000, 1000, 1000) != 0) return fail("setresgid");
  if (::setresuid(1000, 1000, 1000) != 0) return fail("setresuid");
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  const unsigned kept = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);
  data[0].effective = data[0].permitted = data[0].inheritable = kept;
  if (::syscall(SYS_capset, &header, data) != 0) return fail("capset");
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_DAC_OVERRIDE, 0, 0) != 0 ||
      ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_DAC_READ_SEARCH, 0, 0) != 0)
    return fail("PR_CAP_AMBIENT_RAISE");
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // again: a change of credentials clears it
  return true;
}

struct SpawnOptions {
  bool not_root = false;  // as root, first become uid/gid 1000 that can still read and write files
  int keep_fd = -1;       // an inherited descriptor (Xvfb's -displayfd)
};

// Starts `argv` with `env`, stdout and stderr to `log`, in a process group of its own (so that it and
// its children can be stopped together), killed if this test process dies first.
pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const fs::path& log,
            SpawnOptions options = {}) {
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  REQUIRE(log_fd >= 0);
  const bool leave_root = options.not_root && ::geteuid() == 0;
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(125);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    if (options.keep_fd >= 0) ::fcntl(options.keep_fd, F_SETFD, 0);
    if (leave_root && !become_unprivileged_file_owner()) ::_exit(126);
    if (::getppid() != parent) ::_exit(125);
    ::execve(args[0], args.data(), envp.data());
    write_all(STDERR_FILENO, "test: cannot execute ");
    write_all(STDERR_FILENO, args[0]);
    write_all(STDERR_FILENO, "\n");
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  ::close(log_fd);
  return pid;
}

// Waits for `pid`, at most `timeout`: its exit status (128 + signal if killed), or nullopt if it runs on.
std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(20ms);
  }
}

// The processes whose parent is `parent`.
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> children;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const std::size_t close = line.rfind(')');  // the command name may hold spaces and parentheses
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    char state = 0;
    pid_t ppid = 0;
    if (rest >> state >> ppid && ppid == parent) children.push_back(static_cast<pid_t>(std::stoi(name)));
  }
  return children;
}

// X display locks (/tmp/.X<n>-lock hold their server's pid) that `owner` left, and their sockets.
void remove_x_leftovers(pid_t owner) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/tmp", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(".X", 0) != 0 || name.size() < 8 || name.compare(name.size() - 5, 5, "-lock") != 0) continue;
    std::ifstream lock(entry.path());
    long pid = 0;
    if (!(lock >> pid) || pid != owner) continue;
    fs::remove(fs::path("/tmp/.X11-unix") / ("X" + name.substr(2, name.size() - 7)), ec);
    fs::remove(entry.path(), ec);
  }
}

// A child process stopped at the end whatever happens. `stop_children_first`: for cage, whose client
// gets SIGTERM (SDL turns it into a quit); cage, seeing its client gone, exits cleanly and removes its
// sockets and the X11 socket and lock it made in /tmp for Xwayland. cage itself must not get SIGTERM:
// 0.1.4 aborts on it (an assertion in wl_display_terminate) and leaves those files behind. Whatever is
// still running after a bound gets SIGKILL, with its group, and its X lock is removed by hand.
struct Process {
  pid_t pid = -1;
  std::optional<int> exit_code;
  fs::path log;
  bool stop_children_first = false;

  bool running() {
    if (pid <= 0 || exit_code) return false;
    exit_code = wait_for(pid, 0ms);
    return !exit_code;
  }
  void stop() {
    if (pid <= 0) return;
    if (running()) {
      if (stop_children_first) {
        for (pid_t child : children_of(pid)) ::kill(child, SIGTERM);
      } else {
        ::kill(pid, SIGTERM);
      }
      exit_code = wait_for(pid, 10s);
      if (!exit_code) {
        ::kill(-pid, SIGKILL);
        exit_code = wait_for(pid, 5s);
      }
    }
    ::kill(-pid, SIGKILL);  // a child that outlived it
    remove_x_leftovers(pid);
    pid = -1;
  }
  ~Process() { stop(); }
};

// Resizes the top-level windows of an X display (cage's output, under its X11 backend) through Xlib,
// loaded at run time (as SDL loads it): the test links no X library.
bool resize_x_windows(const std::string& display_name, int w, int h, std::string* error) {
  void* xlib = ::dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
  if (!xlib) {
    *error = "cannot load libX11.so.6";
    return false;
  }
  using Window = unsigned long;
  auto open_display = reinterpret_cast<void* (*)(const char*)>(::dlsym(xlib, "XOpenDisplay"));
  auto root_window = reinterpret_cast<Window (*)(void*)>(::dlsym(xlib, "XDefaultRootWindow"));
  auto query_tree = reinterpret_cast<int (*)(void*, Window, Window*, Window*, Window**, unsigned*)>(
      ::dlsym(xlib, "XQueryTree"));
  auto resize = reinterpret_cast<int (*)(void*, Window, unsigned, unsigned)>(::dlsym(xlib, "XResizeWindow"));
  auto sync = reinterpret_cast<int (*)(void*, int)>(::dlsym(xlib, "XSync"));
  auto free_ = reinterpret_cast<int (*)(void*)>(::dlsym(xlib, "XFree"));
  auto close_display = reinterpret_cast<int (*)(void*)>(::dlsym(xlib, "XCloseDisplay"));
  bool ok = false;
  if (open_display && root_window && query_tree && resize && sync && free_ && close_display) {
    if (void* display = open_display(display_name.c_str())) {
      Window root = 0, parent = 0, *children = nullptr;
      unsigned count = 0;
      if (query_tree(display, root_window(display), &root, &parent, &children, &count) && count > 0) {
        for (unsigned i = 0; i < count; ++i) resize(display, children[i], static_cast<unsigned>(w), static_cast<unsigned>(h));
        sync(display, 0);
        ok = true;
      } else {
        *error = "the X display has no window to resize";
      }
      if (children) free_(children);
      close_display(display);
    } else {
      *error = "cannot open X display " + display_name;
    }
  } else {
    *error = "libX11.so.6 lacks the functions needed";
  }
  ::dlclose(xlib);
  return ok;
}

// A private X server for cage's X11 backend; it picks a free display itself (-displayfd).
struct Xserver {
  Process process;
  std::string display;  // ":N"

  void start(const fs::path& xvfb, const fs::path& log) {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    process.log = log;
    process.pid = spawn({xvfb.string(), "-displayfd", std::to_string(fds[1]), "-screen", "0", "1920x1200x24",
                         "-nolisten", "tcp"},
                        environment_with({}), log, {false, fds[1]});
    ::close(fds[1]);
    std::string number;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (number.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline && process.running()) {
      pollfd p{fds[0], POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        char buf[16];
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        number.append(buf, static_cast<std::size_t>(n));
      }
    }
    ::close(fds[0]);
    REQUIRE_MESSAGE(number.find('\n') != std::string::npos, "Xvfb did not start; its log:\n" << tail_of(log));
    display = ":" + number.substr(0, number.find('\n'));
  }
};

// cage with the panel as its only client.
struct Cage {
  Process process;
  fs::path runtime_dir;
  std::string socket;  // wayland-N in runtime_dir
};

void start_cage(Cage& cage, Fixture& f, const Xserver& x, const std::vector<std::string>& cage_flags,
                const std::string& name) {
  const auto cage_bin = find_program("cage");
  REQUIRE(cage_bin);
  // A runtime directory of the test's own: cage names its socket there (it takes the first free
  // wayland-N and ignores WAYLAND_DISPLAY), so no other compositor on the machine is in the way.
  cage.runtime_dir = f.dir / ("xdg-" + name);
  fs::create_directories(cage.runtime_dir);
  fs::permissions(cage.runtime_dir, fs::perms::owner_all, fs::perm_options::replace);
  fs::create_directories(f.dir / "cache");
  cage.process.log = f.dir / ("cage-" + name + ".log");
  cage.process.stop_children_first = true;
  std::vector<std::string> argv{cage_bin->string(), "-d"};  // -d: server-side decorations (none), no libdecor
  argv.insert(argv.end(), cage_flags.begin(), cage_flags.end());
  argv.insert(argv.end(), {"--", KIOSK_BINARY, "run", "--config", f.panel.string()});
  const auto env = environment_with({
      "XDG_RUNTIME_DIR=" + cage.runtime_dir.string(),
      "WAYLAND_DISPLAY",                 // cage sets it (and DISPLAY, for Xwayland) for the panel
      "DISPLAY=" + x.display,            // cage's own output: a window of the test's Xvfb
      "WLR_BACKENDS=x11",
      "WLR_X11_OUTPUTS=1",
      "WLR_RENDERER=pixman",             // software compositing: no EGL/GBM needed on the compositor side
      "WLR_LIBINPUT_NO_DEVICES=1",
      "SDL_VIDEODRIVER=wayland",
      "LIBGL_ALWAYS_SOFTWARE=1",         // llvmpipe over wl_shm, whatever GPU the machine has
      "XDG_CACHE_HOME=" + (f.dir / "cache").string(),  // Mesa's shader cache: not in uid 1000's home
  });
  const auto started = std::chrono::steady_clock::now();
  cage.process.pid = spawn(argv, env, cage.process.log, {true, -1});
  while (cage.socket.empty() && std::chrono::steady_clock::now() < started + 20s && cage.process.running()) {
    for (const auto& entry : fs::directory_iterator(cage.runtime_dir)) {
      const std::string file = entry.path().filename().string();
      if (file.rfind("wayland-", 0) == 0 && entry.path().extension() != ".lock" && entry.is_socket()) cage.socket = file;
    }
    if (cage.socket.empty()) std::this_thread::sleep_for(50ms);
  }
  REQUIRE_MESSAGE(!cage.socket.empty(),
                  "cage did not open a Wayland socket"
                      << (cage.process.exit_code ? " (it exited with " + std::to_string(*cage.process.exit_code) + ")" : "")
                      << "; its log:\n" << tail_of(cage.process.log));
}

// One grim screenshot of the whole output; false if grim failed.
bool screenshot(const Cage& cage, const fs::path& png, const fs::path& log) {
  const auto grim = find_program("grim");
  REQUIRE(grim);
  fs::remove(png);
  const pid_t pid = spawn({grim->string(), png.string()},
                          environment_with({"XDG_RUNTIME_DIR=" + cage.runtime_dir.string(), "WAYLAND_DISPLAY=" + cage.socket}),
                          log);
  std::optional<int> code = wait_for(pid, 10s);
  if (!code) {
    ::kill(pid, SIGKILL);
    wait_for(pid, 5s);
    return false;
  }
  return *code == 0 && fs::exists(png);
}

// The panel's picture at w x h: screenshots until it is that size with the header and the offline
// banner drawn (the panel says "connecting" first, then the broker is refused), at most `timeout`.
Image wait_for_panel(Fixture& f, Cage& cage, int w, int h, std::chrono::seconds timeout) {
  const std::string size = std::to_string(w) + "x" + std::to_string(h);
  const fs::path png = f.dir / ("shot-" + size + ".png");
  Image shot;
  bool drawn = false, any_picture = false;
  int attempts = 0;
  const auto started = std::chrono::steady_clock::now();
  while (!drawn && std::chrono::steady_clock::now() < started + timeout) {
    REQUIRE_MESSAGE(cage.process.running(),
                    "cage exited with " << *cage.process.exit_code
                                        << " before the panel drew at " << size
                                        << " (no EGL? the panel failed?); its log:\n" << tail_of(cage.process.log));
    ++attempts;
    if (screenshot(cage, png, f.dir / "grim.log")) {
      shot = load_png(png);
      any_picture = true;
      drawn = shot.w == w && shot.h == h && near(shot.at(4, 4), kSurface) && near(shot.at(4, h - 4), kOfflineBanner);
    }
    if (!drawn) std::this_thread::sleep_for(200ms);
  }
  MESSAGE("panel under cage at " << size << ": " << std::string(drawn ? "drawn" : "NOT drawn") << " after "
                                 << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
                                 << " s, " << attempts << " screenshot(s)");
  REQUIRE_MESSAGE(any_picture, "grim never took a screenshot; its log:\n" << tail_of(f.dir / "grim.log"));
  if (!drawn) {  // say why, and keep the picture for whoever reads the failure
    MESSAGE("no board at " << size << " within " << timeout.count() << " s; cage's log (the panel's messages):\n"
                           << tail_of(cage.process.log));
    const fs::path kept = fs::temp_directory_path() / ("kiosk-cage-test-" + size + ".png");
    std::error_code ec;
    fs::copy_file(png, kept, fs::copy_options::overwrite_existing, ec);
    MESSAGE("the last screenshot (" << shot.w << "x" << shot.h << ") is kept in " << kept);
  }
  return shot;
}

// What the panel should show at a size, drawn headless by `kiosk render` from the same files. Drawn
// before cage starts: a machine where even that fails (no EGL at all) says so at once.
struct Expected {
  int w = 0, h = 0;
  Image picture;
  nlohmann::json layout;
};

Expected expect(Fixture& f, int w, int h) {
  const std::string size = std::to_string(w) + "x" + std::to_string(h);
  const fs::path png = f.dir / ("expected-" + size + ".png"), layout_file = f.dir / ("layout-" + size + ".json");
  REQUIRE_MESSAGE(f.render("--size " + size, png, layout_file) == 0,
                  "kiosk render cannot draw here either (no EGL?): " << tail_of(f.dir / "render.log"));
  return {w, h, load_png(png), read_json(layout_file)};
}

// The screenshot against `kiosk render` at the same size: see the top of the file.
void check_picture(Fixture& f, const Image& shot, const Expected& expectation, const fs::path& cage_log) {
  const int want_w = expectation.w, want_h = expectation.h;
  const std::string size = std::to_string(want_w) + "x" + std::to_string(want_h);
  CAPTURE(size);
  const nlohmann::json& layout = expectation.layout;
  const Image& expected = expectation.picture;
  const nlohmann::json banner = find(layout, "offline-banner");
  REQUIRE(!banner.is_null());
  INFO("cage's log (the panel's messages):\n" << tail_of(cage_log));

  bool blank = true;
  for (int y = 0; y < shot.h && blank; y += 7)
    for (int x = 0; x < shot.w && blank; x += 7) blank = near(shot.at(x, y), kBlack, 0);
  REQUIRE_MESSAGE(!blank, "the output stayed empty: the panel's window never appeared");
  CHECK(shot.w == want_w);
  CHECK(shot.h == want_h);
  REQUIRE(shot.w == expected.w);
  REQUIRE(shot.h == expected.h);

  const float scale = std::max(0.4f, std::min(shot.w, shot.h) / 1080.0f);  // ui::make_theme
  const int header_h = static_cast<int>(112 * scale);                       // Theme::header_height
  // The accent line is the header's last 3 * scale pixels: the row above header_h is inside it.
  CHECK_MESSAGE(near(shot.at(4, 4), kSurface), "header at the top-left: " << show(shot.at(4, 4)));
  CHECK_MESSAGE(near(shot.at(4, header_h - 1), kAccent),
                "header's accent line at y=" << header_h - 1 << ": " << show(shot.at(4, header_h - 1)));
  CHECK_MESSAGE(near(shot.at(shot.w - 4, header_h - 1), kAccent),
                "header's accent line at the right edge: " << show(shot.at(shot.w - 4, header_h - 1)));
  CHECK_MESSAGE(near(shot.at(4, header_h + 4), kBackground),
                "board background under the header: " << show(shot.at(4, header_h + 4)));
  CHECK_MESSAGE(near(shot.at(4, shot.h / 2), kBackground), "board background: " << show(shot.at(4, shot.h / 2)));
  CHECK_MESSAGE(near(shot.at(4, shot.h - 4), kOfflineBanner), "offline banner: " << show(shot.at(4, shot.h - 4)));
  CHECK_MESSAGE(near(shot.at(shot.w - 4, shot.h - 2), kOfflineBanner),
                "offline banner at the right edge: " << show(shot.at(shot.w - 4, shot.h - 2)));
  CHECK(banner["y"].get<double>() + banner["h"].get<double>() == doctest::Approx(want_h));

  // The tiles' state stripes, where `kiosk render` put the tiles at this size.
  auto stripe = [&](const char* name, Rgb want) {
    const nlohmann::json tile = find(layout, "tile", f.id_of(name));
    REQUIRE_MESSAGE(!tile.is_null(), name << " is not on the board at " << size);
    const int x = static_cast<int>(tile["x"].get<double>()) + 4;
    const int y = static_cast<int>(tile["y"].get<double>() + tile["h"].get<double>() / 2);
    REQUIRE_MESSAGE(y < banner["y"].get<double>(), name << "'s tile is below the fold at " << size);
    CHECK_MESSAGE(near(shot.at(x, y), want), name << " at (" << x << "," << y << "): " << show(shot.at(x, y)));
  };
  stripe("Salle Garonne", kFree);
  stripe("Salle Capitole", kOccupied);

  // Everything else is what `kiosk render` drew: all rows above the banner, but for the clock, the date
  // and the language toggle at the header's right.
  const int banner_y = static_cast<int>(banner["y"].get<double>());
  int same = 0, compared = 0;
  for (int y = 0; y < banner_y; ++y)
    for (int x = 0; x < shot.w; ++x) {
      if (y < header_h && x > shot.w * 0.55) continue;
      ++compared;
      if (near(shot.at(x, y), expected.at(x, y))) ++same;
    }
  CHECK_MESSAGE(same >= compared * 0.995, same << " of " << compared << " pixels as `kiosk render` drew them");
}

void require_tools() {
  REQUIRE_MESSAGE(find_program("cage"), "cage is not installed (Debian package cage; scripts/setup installs it)");
  REQUIRE_MESSAGE(find_program("grim"), "grim is not installed (Debian package grim; scripts/setup installs it)");
  REQUIRE_MESSAGE(find_program("Xwayland"),
                  "Xwayland is not installed: Debian 12's cage will not start without /usr/bin/Xwayland "
                  "(package xwayland; scripts/setup installs it)");
  REQUIRE_MESSAGE(find_program("Xvfb"), "Xvfb is not installed (package xvfb; scripts/setup installs it)");
}

void store_readings(Fixture& f) {
  const core::TimePoint t = now();
  f.store({{"Salle Garonne", {core::Reading::Kind::Presence, false, 0, t - 1min, 30min}},
           {"Salle Capitole", {core::Reading::Kind::Presence, true, 0, t - 1min, 30min}}});
}

}  // namespace

TEST_CASE("panel under cage (Wayland): landscape, then the output resized to 1920x1080") {
  require_tools();
  Fixture f;
  store_readings(f);
  const Expected small = expect(f, 1024, 768), large = expect(f, 1920, 1080);
  Xserver x;
  x.start(*find_program("Xvfb"), f.dir / "xvfb.log");
  Cage cage;
  start_cage(cage, f, x, {}, "landscape");

  // The X11 backend's output: a 1024x768 window.
  Image shot = wait_for_panel(f, cage, small.w, small.h, 30s);
  check_picture(f, shot, small, cage.process.log);

  // The output changes size (another monitor, another mode): the panel lays itself out again.
  std::string error;
  REQUIRE_MESSAGE(resize_x_windows(x.display, large.w, large.h, &error), error);
  shot = wait_for_panel(f, cage, large.w, large.h, 30s);
  check_picture(f, shot, large, cage.process.log);
}

TEST_CASE("panel under cage (Wayland): portrait, cage -r") {
  require_tools();
  Fixture f;
  store_readings(f);
  const Expected portrait = expect(f, 768, 1024);
  Xserver x;
  x.start(*find_program("Xvfb"), f.dir / "xvfb.log");
  Cage cage;
  start_cage(cage, f, x, {"-r"}, "portrait");
  const Image shot = wait_for_panel(f, cage, portrait.w, portrait.h, 30s);
  check_picture(f, shot, portrait, cage.process.log);
}

// The compositor dies under the panel (cage crashed or was killed): the panel must say so in words
// staff can act on and exit with the status that asks systemd to start it again, its snapshot whole.
// The test process becomes a subreaper so that the orphaned panel's status comes back to it.
TEST_CASE("panel under cage (Wayland): the compositor dies: the panel says so and exits for a restart") {
  require_tools();
  Fixture f;
  store_readings(f);
  REQUIRE(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
  Xserver x;
  x.start(*find_program("Xvfb"), f.dir / "xvfb.log");
  Cage cage;
  start_cage(cage, f, x, {}, "killed");
  wait_for_panel(f, cage, 1024, 768, 30s);

  pid_t panel = -1;
  for (pid_t child : children_of(cage.process.pid)) {
    std::ifstream comm("/proc/" + std::to_string(child) + "/comm");
    std::string name;
    if (std::getline(comm, name) && name == "kiosk") panel = child;
  }
  REQUIRE_MESSAGE(panel > 0, "no kiosk process under cage");
  REQUIRE(::kill(cage.process.pid, SIGKILL) == 0);
  cage.process.exit_code = wait_for(cage.process.pid, 10s);  // reaped: the panel is ours from now on
  REQUIRE(cage.process.exit_code);
  const std::optional<int> status = wait_for(panel, 20s);
  if (!status) ::kill(panel, SIGKILL);
  REQUIRE_MESSAGE(status, "the panel ran on for 20 s after its compositor died; its log:\n" << tail_of(cage.process.log));
  CHECK_MESSAGE(*status == 75, "exit status " << *status << "; its log:\n" << tail_of(cage.process.log));
  CHECK_MESSAGE(tail_of(cage.process.log).find("the display closed the panel's window") != std::string::npos,
                "no message about the lost display; its log:\n" << tail_of(cage.process.log));
  // What it took in before stays in its snapshot.
  auto db = store::Snapshot::open(f.dir / "state.db");
  CHECK(db->load_latest().size() == 2);
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
}
