// A running panel whose included file becomes a FIFO: the watcher thread used to block in open() for
// good, so no later fix was ever picked up. Now the reload is refused with the file and what it is,
// the running configuration is kept, and the fix that follows is loaded. Real files, the sample campus.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "app/config_watcher.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using namespace std::chrono_literals;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char pattern[] = "/tmp/kiosk-reload-files-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    REQUIRE(made != nullptr);
    path = made;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::optional<app::Setup> wait_for(app::ConfigWatcher& watcher) {
  for (int i = 0; i < 100; ++i) {
    if (auto setup = watcher.take()) return setup;
    std::this_thread::sleep_for(50ms);
  }
  return std::nullopt;
}

// layer.toml: the sample entrance panel in `language`, its snapshot in `dir`, an unused broker.
void write_layer(const fs::path& dir, const std::string& language) {
  const fs::path layer = dir / "layer.toml";
  fs::remove(layer);
  std::ofstream(layer) << "include = \"" << KIOSK_SOURCE_DIR << "/config/panels/entrance.toml\"\n"
                       << "[panel]\nlanguage = \"" << language << "\"\nsnapshot = \"" << (dir / "state.db").string()
                       << "\"\n[[mqtt.broker]]\nhost = \"127.0.0.1\"\nport = 1\n";
}

}  // namespace

TEST_CASE("reload: an include that turns into a FIFO is refused without blocking, and the fix is picked up") {
  TempDir dir;
  const fs::path panel_file = dir.path / "panel.toml";
  std::ofstream(panel_file) << "include = \"layer.toml\"\n";
  write_layer(dir.path, "fr");
  core::SystemClock clock;
  app::Setup first = app::load_setup(panel_file);
  REQUIRE(first.usable());
  auto panel = std::make_unique<app::Panel>(std::move(first), clock);
  app::Panel* const before = panel.get();
  app::ConfigWatcher watcher(panel_file, panel->setup(), 50ms, {});

  fs::remove(dir.path / "layer.toml");
  REQUIRE(::mkfifo((dir.path / "layer.toml").c_str(), 0600) == 0);  // nobody will ever write to it
  auto refused = wait_for(watcher);
  REQUIRE(refused);  // the watcher answered: it is not stuck in open()
  CHECK_FALSE(refused->usable());
  std::string messages;
  for (const std::string& line : refused->messages) messages += line + "\n";
  CHECK_MESSAGE(messages.find(panel_file.string() + ":1:11: error: cannot read included file \"layer.toml\" (" +
                              (dir.path / "layer.toml").string() + "): is a FIFO, not a regular file") !=
                    std::string::npos,
                messages);
  CHECK_FALSE(app::reload_panel(panel, std::move(*refused), clock, {}));
  CHECK(panel.get() == before);
  CHECK(panel->state().language == "fr");
  REQUIRE_FALSE(panel->state().notices.empty());
  CHECK(panel->state().notices.back().find("is a FIFO, not a regular file") != std::string::npos);

  write_layer(dir.path, "en");  // staff put the real file back
  auto fixed = wait_for(watcher);
  REQUIRE(fixed);
  CHECK(fixed->usable());
  CHECK(app::reload_panel(panel, std::move(*fixed), clock, {}));
  CHECK(panel->state().language == "en");
}
