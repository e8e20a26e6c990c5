// A running panel without its screen: the setup, the live state, the network thread and the store
// thread, wired together. The frame loop (platform/) and the integration tests drive it the same
// way: start(), then pump() whenever woken.
#pragma once
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "app/app_state.hpp"
#include "app/setup.hpp"
#include "core/clock.hpp"
#include "core/inbox.hpp"

namespace kiosk::ingest {
class Router;
namespace mqtt {
class Client;
}
}  // namespace kiosk::ingest
namespace kiosk::store {
class Writer;
}

namespace kiosk::app {

class Panel {
 public:
  // Reads the snapshot into the state (before any frame), opens the store. `setup` must be usable().
  // Storage never stops a panel: a snapshot that cannot be opened or written (read-only, full, not a
  // file, in use by another panel) leaves it running on live data with state().storage saying why;
  // the store thread retries and resumes by itself. `store_options` is for tests (retry timing).
  Panel(Setup setup, const core::Clock& clock);
  struct StoreTiming {
    std::chrono::milliseconds retry_min{1000}, retry_max{30000}, identity_every{2000};
  };
  Panel(Setup setup, const core::Clock& clock, StoreTiming timing);
  ~Panel();
  Panel(const Panel&) = delete;
  Panel& operator=(const Panel&) = delete;

  // Starts the network thread. `wake` is called from that thread when there is something to pump.
  void start_network(core::Inbox::Wake wake);
  void stop();

  // Main thread: applies what arrived, queues it for the store. True if the state changed.
  bool pump();

  // Health JSON for <prefix>/<panel-id>/status; sent by the network thread, retained.
  std::string health_json(double frames_per_second) const;
  void publish_health(double frames_per_second);

  AppState& state() { return state_; }
  const AppState& state() const { return state_; }
  // What the panel was made from, less what it does not keep: the model's spaces have moved into
  // state().spaces, and the parsed map is released once the board has what it needs.
  const Setup& setup() const { return setup_; }
  std::string status_topic() const;

  // Counters for <prefix>/<panel-id>/metrics: messages/s since the last call, decoded, rejected by
  // reason, dropped (superseded in the hand-off), data age, fps, config hash, store health.
  std::string metrics_json(double frames_per_second);
  void publish_metrics(double frames_per_second);
  std::string metrics_topic() const;

 private:
  void open_store(const std::filesystem::path& path, StoreTiming timing);
  bool copy_storage_health();  // true when state_.storage changed

  Setup setup_;
  const core::Clock& clock_;
  AppState state_;
  core::Inbox::Wake wake_;  // set once before the network thread starts, never after
  core::Inbox inbox_;
  core::Inbox::Batch batch_;
  std::unique_ptr<ingest::Router> router_;
  std::unique_ptr<ingest::mqtt::Client> client_;
  double last_fps_ = 0;                  // for a status sent between health intervals
  std::uint64_t storage_changes_ = 0;    // store::Health::changes + 1 last copied into state_.storage
  std::mutex storage_wake_mutex_;        // the store thread wakes the main loop on a storage change
  core::Inbox::Wake storage_wake_;       // under storage_wake_mutex_; declared before writer_, which calls it
  std::unique_ptr<store::Writer> writer_;
  std::uint64_t metrics_received_ = 0;  // at the last metrics_json(), for messages/s
  core::TimePoint metrics_at_{};
};

}  // namespace kiosk::app
