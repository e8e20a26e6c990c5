// Every screen on every GL a panel may get: desktop GL 3.3 core (the reference), GL 3.1 and 3.0
// (Raspberry Pi class drivers: MESA_GL_VERSION_OVERRIDE makes Mesa offer no more), and OpenGL ES 3
// (`[panel] gl = "gles3"`). The real binary, headless Mesa; pictures compared pixel by pixel.
#include <doctest/doctest.h>

#include <fstream>
#include <map>

#include "render/render_helpers.hpp"

using namespace kiosk;
using namespace kiosk::render_testing;

namespace {

// Runs `kiosk render` with extra environment and a panel file of our own (it includes the
// fixture's and may add [panel] keys). Returns the exit status; the log lands in `log`.
int render_with(const Fixture& f, const std::string& env, const std::string& panel_extra, const std::string& args,
                const fs::path& png, std::string* log, std::string* clock = nullptr) {
  const fs::path panel = f.dir / "gl-panel.toml";
  std::ofstream(panel) << "include = \"" << f.panel.string() << "\"\n[panel]\n" << panel_extra << "\n";
  const fs::path log_file = f.dir / "gl-render.log", layout_file = f.dir / "gl-layout.json";
  const std::string command = "env " + env + " " + KIOSK_BINARY + " render --config " + panel.string() + " --out " +
                              png.string() + " --layout " + layout_file.string() + " " + args + " 2>" +
                              log_file.string();
  const int status = std::system(command.c_str());
  std::ifstream in(log_file);
  log->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (clock && fs::exists(layout_file)) {
    const nlohmann::json item = find(read_json(layout_file), "clock");
    *clock = item.is_null() ? "" : item["state"].get<std::string>();
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Share of pixels whose channels differ by more than `tolerance`.
double differing(const Image& a, const Image& b, int tolerance = 3) {
  REQUIRE(a.w == b.w);
  REQUIRE(a.h == b.h);
  long long off = 0;
  for (std::size_t i = 0; i < a.rgba.size(); i += 4)
    for (int c = 0; c < 3; ++c)
      if (std::abs(int(a.rgba[i + c]) - int(b.rgba[i + c])) > tolerance) {
        ++off;
        break;
      }
  return static_cast<double>(off) / (static_cast<double>(a.w) * a.h);
}

// The reference picture (GL 3.3 core) of one screen, and the same screen under other profiles; the
// reference is drawn again when the clock's minute turned in between (the header's text and the
// language toggle move with it).
struct Comparison {
  const Fixture& f;
  std::string args;
  std::string clock;
  Image reference;
  void draw_reference() {
    std::string log;
    REQUIRE(render_with(f, "KIOSK_UNUSED=1", "", args, f.dir / "reference.png", &log, &clock) == 0);
    CHECK_MESSAGE(log.find("graphics: GL 3.3 core") != std::string::npos, log);
    reference = load_png(f.dir / "reference.png");
  }
  Image under(const std::string& env, const std::string& panel_extra, std::string* log) {
    if (reference.w == 0) draw_reference();
    for (int attempt = 0;; ++attempt) {
      std::string other_clock;
      REQUIRE_MESSAGE(render_with(f, env + " KIOSK_UNUSED=1", panel_extra, args, f.dir / "other.png", log, &other_clock) == 0,
                      *log);
      if (other_clock == clock || attempt == 2) return load_png(f.dir / "other.png");
      draw_reference();
    }
  }
};

struct Profile {
  const char* name;
  const char* env;
  const char* panel;
  const char* expect;  // in the log's "graphics:" line
};
const Profile kProfiles[] = {
    {"GL 3.1", "MESA_GL_VERSION_OVERRIDE=3.1", "", "graphics: GL 3.1 · 3.1"},
    {"GL 3.0", "MESA_GL_VERSION_OVERRIDE=3.0", "", "graphics: GL 3.0 · 3.0"},
    {"GLES 3", "", "gl = \"gles3\"", "graphics: GLES 3.0 · OpenGL ES"},
};

}  // namespace

TEST_CASE("every screen draws the same picture on GL 3.3 core, GL 3.1, GL 3.0 and OpenGL ES 3") {
  Fixture f;
  const core::TimePoint t = now();
  f.store({{"Salle Garonne", {core::Reading::Kind::Presence, false, 0, t - 1min, 10min}},
           {"Salle Capitole", {core::Reading::Kind::Presence, true, 0, t - 1min, 10min}}});
  // The board, the map (filled units, icons, you-are-here), a route (antialiased path, QR code), the
  // directory and the staff view.
  const std::pair<const char*, const char*> screens[] = {{"board", "--screen board"},
                                                          {"map", "--screen map"},
                                                          {"route", "--screen route --to \"Salle Garonne\""},
                                                          {"directory", "--screen directory"},
                                                          {"admin", "--screen admin"}};
  for (const auto& [screen, args] : screens) {
    CAPTURE(screen);
    Comparison comparison{f, args, {}, {}};
    for (const Profile& profile : kProfiles) {
      CAPTURE(profile.name);
      std::string log;
      const Image other = comparison.under(profile.env, profile.panel, &log);
      CHECK_MESSAGE(log.find(profile.expect) != std::string::npos, log);
      // The staff view names the GL it runs on, which differs by design; nothing else may.
      const double off = differing(comparison.reference, other);
      CHECK_MESSAGE(off <= (std::string(screen) == "admin" ? 0.01 : 0.0005), "differing pixels: " << off);
    }
  }
}

TEST_CASE("a driver that offers a context but refuses its shaders: the next kind is tried, and it draws") {
  Fixture f;
  std::string log;
  // GL 3.3 offered, GLSL 3.30 refused: every desktop attempt gets a context whose shaders fail.
  Comparison comparison{f, "--screen board", {}, {}};
  const Image fallback = comparison.under("MESA_GL_VERSION_OVERRIDE=3.3 MESA_GLSL_VERSION_OVERRIDE=130", "", &log);
  CHECK_MESSAGE(log.find("GL 3.3 core did not work: a test frame drew rgb(0,0,0) where magenta was expected") !=
                    std::string::npos,
                log);
  CHECK_MESSAGE(log.find("graphics: GLES 3.0 · OpenGL ES") != std::string::npos, log);
  CHECK(differing(comparison.reference, fallback) <= 0.0005);
}

TEST_CASE("when no GL works the panel says, for each attempt, what the driver said") {
  Fixture f;
  std::string log;
  const fs::path png = f.dir / "none.png";
  CHECK(render_with(f, "MESA_GL_VERSION_OVERRIDE=3.3 MESA_GLSL_VERSION_OVERRIDE=130", "gl = \"gl3\"", "--screen board",
                    png, &log) == 1);
  CHECK_MESSAGE(log.find("no usable OpenGL context (gl = \"gl3\")") != std::string::npos, log);
  for (const char* attempt : {"GL 3.3 core: ", "GL 3.1: ", "GL 3.0: "}) CHECK_MESSAGE(log.find(attempt) != std::string::npos, log);
  CHECK(log.find("GLES 3.0") == std::string::npos);  // forced off by gl = "gl3"
  CHECK(log.find("or set [panel] gl = \"auto\"") != std::string::npos);
  CHECK_FALSE(fs::exists(png));
}

TEST_CASE("[panel] gl refuses a word it does not know, with the file and line") {
  Fixture f;
  std::string log;
  CHECK(render_with(f, "KIOSK_UNUSED=1", "gl = \"vulkan\"", "--screen board", f.dir / "x.png", &log) == 1);
  CHECK_MESSAGE(log.find("gl-panel.toml:3:") != std::string::npos, log);
  CHECK_MESSAGE(log.find("\"auto\"") != std::string::npos, log);
}
