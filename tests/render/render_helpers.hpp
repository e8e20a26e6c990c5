// Shared by the render tests: the panel over the sample campus with its own snapshot, `kiosk render`
// run as a process, PNG and layout reading, colour comparison with Mesa's tolerance.
#pragma once
#include <doctest/doctest.h>
#include <stb_image.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "app/setup.hpp"
#include "app/space_directory.hpp"
#include "store/snapshot.hpp"

namespace kiosk::render_testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Rgb {
  int r, g, b;
};
constexpr Rgb kFree{0x1F, 0xB5, 0x6B}, kOccupied{0xE5, 0x53, 0x3B}, kUnknown{0x6B, 0x77, 0x86};
constexpr Rgb kOfflineBanner{0xC2, 0x41, 0x0C}, kSurface{0x1B, 0x25, 0x33};

struct Image {
  int w = 0, h = 0;
  std::vector<unsigned char> rgba;
  Rgb at(int x, int y) const {
    const unsigned char* p = &rgba[(static_cast<std::size_t>(y) * w + x) * 4];
    return {p[0], p[1], p[2]};
  }
};

inline Image load_png(const fs::path& path) {
  Image image;
  int channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &image.w, &image.h, &channels, 4);
  REQUIRE_MESSAGE(data, "cannot read " << path);
  image.rgba.assign(data, data + static_cast<std::size_t>(image.w) * image.h * 4);
  stbi_image_free(data);
  return image;
}

// Mesa versions differ in rounding; colours must match within a small tolerance.
inline bool near(Rgb a, Rgb b, int tolerance = 10) {
  return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
}

inline std::string show(Rgb c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "#%02X%02X%02X", c.r, c.g, c.b);
  return buf;
}

struct Fixture {
  fs::path dir;
  fs::path panel;
  app::Setup setup;

  explicit Fixture(int broker_port = 1) {
    dir = fs::temp_directory_path() / ("kiosk-render-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
    fs::create_directories(dir);
    panel = dir / "panel.toml";
    std::ofstream(panel) << "include = \"" << KIOSK_SOURCE_DIR << "/config/panels/entrance.toml\"\n"
                         << "[panel]\nsnapshot = \"" << (dir / "state.db").string() << "\"\n"
                         << "[[mqtt.broker]]\nhost = \"127.0.0.1\"\nport = " << broker_port << "\n";
    setup = app::load_setup(panel);
    for (const auto& line : setup.messages) MESSAGE(line);
    REQUIRE(setup.usable());
  }
  ~Fixture() { fs::remove_all(dir); }

  std::string id_of(const char* name) const {
    app::SpaceDirectory directory(setup.model.spaces, setup.model.keys);
    auto index = directory.find(name);
    REQUIRE_MESSAGE(index, name);
    return setup.model.spaces[*index].id;
  }

  // Snapshot rows as a panel would have stored them.
  void store(const std::vector<std::pair<const char*, core::Reading>>& rows) {
    auto db = store::Snapshot::open(dir / "state.db");
    std::vector<store::Row> latest;
    for (const auto& [name, reading] : rows) latest.push_back({id_of(name), reading});
    db->write(latest, {});
  }

  int render(const std::string& args, const fs::path& png, const fs::path& layout) {
    std::string command = std::string(KIOSK_BINARY) + " render --config " + panel.string() + " --out " +
                          png.string() + " --layout " + layout.string() + " " + args + " 2>" +
                          (dir / "render.log").string();
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

inline nlohmann::json find(const nlohmann::json& layout, const std::string& kind, const std::string& id = "") {
  for (const auto& item : layout)
    if (item["kind"] == kind && item["id"] == id) return item;
  return nullptr;
}

inline nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

inline core::TimePoint now() { return core::SystemClock().now(); }


}  // namespace kiosk::render_testing
