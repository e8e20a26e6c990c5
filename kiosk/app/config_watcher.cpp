#include "app/config_watcher.hpp"

#include <iostream>

namespace kiosk::app {

namespace fs = std::filesystem;

std::vector<fs::path> setup_files(const Setup& setup) {
  std::vector<fs::path> files;
  if (setup.config) {
    files = setup.config->files;
    files.push_back(setup.config->map);
  }
  return files;
}

std::string files_fingerprint(const std::vector<fs::path>& paths) {
  std::string print;
  std::error_code ec;
  auto add = [&](const fs::path& path) {
    auto size = fs::file_size(path, ec);
    auto time = fs::last_write_time(path, ec);
    print += path.string() + ':' + (ec ? std::string("missing") : std::to_string(size) + '@' +
                                                                      std::to_string(time.time_since_epoch().count()));
    print += '\n';
  };
  for (const fs::path& path : paths) {
    if (fs::is_directory(path, ec)) {
      for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) add(it->path());
    } else {
      add(path);
    }
  }
  return print;
}

ConfigWatcher::ConfigWatcher(fs::path panel_file, const Setup& current, std::chrono::milliseconds period,
                             std::function<void()> wake)
    : panel_file_(std::move(panel_file)), period_(period), wake_(std::move(wake)), watched_(setup_files(current)) {
  if (watched_.empty()) watched_.push_back(panel_file_);
  // Taken here, not on the thread: a change made right after construction must count as a change.
  loaded_ = files_fingerprint(watched_);
  thread_ = std::thread([this] { run(); });
}

ConfigWatcher::~ConfigWatcher() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
}

std::optional<Setup> ConfigWatcher::take() {
  std::lock_guard lock(mutex_);
  std::optional<Setup> out = std::move(ready_);
  ready_.reset();
  return out;
}

void ConfigWatcher::run() {
  std::string loaded = loaded_;
  std::string previous = loaded;
  std::unique_lock lock(mutex_);
  while (!stop_cv_.wait_for(lock, period_, [this] { return stop_; })) {
    lock.unlock();
    std::string now = files_fingerprint(watched_);
    bool settled = now == previous && now != loaded;
    previous = now;
    if (settled) {
      Setup fresh = load_setup(panel_file_);
      // Watch what the new files name (an include or the map may have moved), good or bad.
      if (fresh.config) watched_ = setup_files(fresh);
      loaded = previous = files_fingerprint(watched_);
      lock.lock();
      ready_ = std::move(fresh);
      lock.unlock();
      if (wake_) wake_();
    }
    lock.lock();
  }
}

bool reload_panel(std::unique_ptr<Panel>& panel, Setup fresh, const core::Clock& clock,
                  const core::Inbox::Wake& wake) {
  for (const std::string& line : fresh.messages) std::cerr << line << '\n';
  if (!fresh.usable()) {
    std::string first_error;
    for (const std::string& line : fresh.messages)
      if (line.find(": error: ") != std::string::npos) {
        first_error = line;
        break;
      }
    std::cerr << "kiosk: the new configuration was refused; the panel keeps the last good one\n";
    if (panel) {
      panel->state().notices.push_back("config refused: " + first_error);
      ++panel->state().revision;
    }
    return false;
  }
  if (panel) panel->stop();  // flushes the store: the new panel reads every reading back
  std::unique_ptr<Panel> next;
  try {
    next = std::make_unique<Panel>(std::move(fresh), clock);
  } catch (const std::exception& e) {
    std::cerr << "kiosk: cannot reopen the snapshot after a config change: " << e.what()
              << "; the panel keeps the last good configuration\n";
    if (panel) {
      panel->state().notices.push_back(std::string("config not applied: ") + e.what());
      ++panel->state().revision;
      panel->start_network(wake);
    }
    return false;
  }
  panel = std::move(next);
  panel->start_network(wake);
  std::cerr << "kiosk: configuration reloaded (" << panel->state().config_hash << ")\n";
  return true;
}

}  // namespace kiosk::app
