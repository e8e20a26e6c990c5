// Staff edit config and map files on a running panel. The watcher notices, loads the new setup
// aside (off the main thread: parsing a big map takes a while), and hands it over; the main thread
// swaps it in if it is clean, or keeps the last good one and says why.
#pragma once
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/panel.hpp"
#include "app/setup.hpp"

namespace kiosk::app {

class ConfigWatcher {
 public:
  // Polls the files of `current` (config files and the map folder) every `period`. A change is
  // loaded once the files have stopped changing for one period (editors write in several steps).
  ConfigWatcher(std::filesystem::path panel_file, const Setup& current, std::chrono::milliseconds period,
                std::function<void()> wake);
  ~ConfigWatcher();
  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

  // Main thread: the setup loaded after the last change, if there is one not yet taken.
  std::optional<Setup> take();

 private:
  void run();

  const std::filesystem::path panel_file_;
  const std::chrono::milliseconds period_;
  const std::function<void()> wake_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::optional<Setup> ready_;
  std::vector<std::filesystem::path> watched_;  // watcher thread only after construction
  std::string loaded_;                          // fingerprint of what `current` was made from
  std::thread thread_;
};

// A fingerprint of the files' sizes and modification times (folders: of every file in them).
std::string files_fingerprint(const std::vector<std::filesystem::path>& paths);
// The files a setup was made from: config files, and the map folder.
std::vector<std::filesystem::path> setup_files(const Setup& setup);

// Swaps `fresh` in if it is usable: the old panel stops (its store flushed), the new one reads the
// snapshot and starts its network. Otherwise the old one stays, with a notice. Returns true if swapped.
bool reload_panel(std::unique_ptr<Panel>& panel, Setup fresh, const core::Clock& clock,
                  const core::Inbox::Wake& wake);

}  // namespace kiosk::app
