// Pieces the benchmark programs share.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <string>
#include <thread>

#include "core/inbox.hpp"

namespace kiosk::bench {

// A field of /proc/self/status in kB ("VmRSS", "VmHWM"), or -1.
inline long status_kb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(key) + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return std::atol(line.c_str() + prefix.size());
  return -1;
}

// The Router's space resolution over a plain name -> index map (the panel's SpaceDirectory does more).
inline auto resolver(const std::unordered_map<std::string, std::uint32_t>& names) {
  return [&names](std::string_view n) -> std::optional<std::uint32_t> {
    auto it = names.find(std::string(n));
    if (it == names.end()) return std::nullopt;
    return it->second;
  };
}

// The main loop's side of the Inbox: woken by it, drains everything pending, then spends `frame`
// (the time a frame takes) before it can drain again. attach() before start().
class Drainer {
 public:
  explicit Drainer(std::chrono::milliseconds frame = std::chrono::milliseconds(0)) : frame_(frame) {}
  void attach(core::Inbox* inbox) { inbox_ = inbox; }
  void wake() {
    {
      std::lock_guard lock(mutex_);
      woken_ = true;
    }
    cv_.notify_one();
  }
  void start() {
    thread_ = std::thread([this] {
      core::Inbox::Batch batch;
      std::unique_lock lock(mutex_);
      while (!stop_) {
        cv_.wait(lock, [&] { return woken_ || stop_; });
        woken_ = false;
        lock.unlock();
        inbox_->drain(batch);
        drained_ += batch.readings.size();
        ++drains_;
        if (frame_.count() > 0) std::this_thread::sleep_for(frame_);
        lock.lock();
      }
    });
  }
  // Joins, then drains what is left.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
    if (inbox_) {
      core::Inbox::Batch batch;
      inbox_->drain(batch);
      drained_ += batch.readings.size();
    }
  }
  std::uint64_t drained() const { return drained_; }
  std::uint64_t drains() const { return drains_; }

 private:
  core::Inbox* inbox_ = nullptr;
  std::chrono::milliseconds frame_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false, stop_ = false;
  std::uint64_t drained_ = 0, drains_ = 0;
  std::thread thread_;
};

}  // namespace kiosk::bench
