#include "app/panel.hpp"

#include <nlohmann/json.hpp>
#include <iostream>
#include <stdexcept>

#include "app/board_cache.hpp"
#include "ingest/mqtt/client.hpp"
#include "ingest/router.hpp"
#include "store/snapshot.hpp"
#include "store/writer.hpp"

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "dev"
#endif

namespace kiosk::app {

Panel::Panel(Setup setup, const core::Clock& clock) : Panel(std::move(setup), clock, StoreTiming{}) {}

Panel::Panel(Setup setup, const core::Clock& clock, StoreTiming timing)
    : setup_(std::move(setup)),
      clock_(clock),
      inbox_(setup_.model.spaces.size(), [this] {
        if (wake_) wake_();
      }) {
  const config::PanelConfig& config = *setup_.config;
  state_.panel_id = config.panel_id;
  state_.site_name = config.site_name;
  state_.kiosk_id = setup_.model.kiosk ? setup_.model.kiosk->id : config.kiosk;
  state_.venue_name = setup_.venue->name.empty() ? core::Labels{{"en", config.site_name}} : setup_.venue->name;
  if (setup_.model.kiosk) state_.place_name = setup_.model.kiosk->name;
  state_.panel_level = setup_.model.panel_level_ordinal;
  // The board needs names, kinds and floors, all copied above; the parsed map (tens of MB for a big
  // campus) is not kept: the map screens use the wayfinder's projected plan instead.
  setup_.model.kiosk = nullptr;
  setup_.venue.reset();
  state_.wayfinder = setup_.wayfinder;
  state_.config_hash = config.hash;
  state_.spaces = std::move(setup_.model.spaces);  // one copy of thousands of spaces, not two
  state_.readings.assign(state_.spaces.size(), std::nullopt);
  state_.language = config.language;
  state_.screens = config.screens.empty() ? std::vector<std::string>{"board"} : config.screens;
  state_.home_screen = state_.screen = state_.screens.front();
  state_.idle_timeout = config.idle_timeout;
  state_.started = clock_.now();
  state_.directory = std::make_shared<const SpaceDirectory>(state_.spaces, setup_.model.keys);
  if (state_.wayfinder) {
    state_.nav.step_free = state_.wayfinder->step_free_default;
    state_.space_unit.reserve(state_.spaces.size());
    for (const auto& space : state_.spaces) state_.space_unit.push_back(state_.wayfinder->unit_index(space.id));
  }

  open_store(config.snapshot, timing);

  router_ = std::make_unique<ingest::Router>(
      setup_.routes, [directory = state_.directory](std::string_view name) { return directory->find(name); },
      config.max_payload);
}

Panel::~Panel() { stop(); }

// Storage never stops the panel (issue 9): whatever the file's state, the panel shows the last state
// it can read and live data, and the store thread retries. Logged here once; later changes are
// logged by the store thread's callback, once per change.
void Panel::open_store(const std::filesystem::path& path, StoreTiming timing) {
  store::WriterOptions options;
  options.retry_min = timing.retry_min;
  options.retry_max = timing.retry_max;
  options.identity_every = timing.identity_every;
  options.on_change = [this, path](const store::Health& now, const store::Health& before) {
    if (!now.ok)
      std::cerr << ("kiosk: storage: state not saved: " + now.problem + "\n");
    else if (!before.ok)
      std::cerr << ("kiosk: storage: writing again to " + path.string() + " (it was: " + before.kind + ")\n");
    if (now.note != before.note && !now.note.empty()) std::cerr << ("kiosk: storage: " + now.note + "\n");
    std::lock_guard lock(storage_wake_mutex_);
    if (storage_wake_) storage_wake_();
  };
  store::Writer::Start start = store::Writer::open(path, options);
  if (start.report.recovered) state_.notices.push_back(start.report.message);
  std::unique_ptr<store::Snapshot> read_only;
  store::Snapshot* reader = start.db.get();
  if (!reader && start.health.kind != "not-a-file") {
    try {
      read_only = store::Snapshot::open_read_only(path);
      reader = read_only.get();
    } catch (const std::exception&) {
      // Nothing to read (no file yet, or unreadable): the panel starts from live data alone.
    }
  }
  if (reader) {
    try {
      for (const store::Row& row : reader->load_latest()) {
        auto index = state_.find_space(row.space_id);
        if (!index) continue;  // a space that left the map or the config since
        state_.readings[*index] = row.reading;
        if (!state_.newest_data || row.reading.observed > *state_.newest_data) state_.newest_data = row.reading.observed;
      }
    } catch (const std::exception& e) {
      state_.notices.push_back(e.what());
    }
  }
  read_only.reset();
  // What the board needs before the map is parsed, for the next start (see board_cache.hpp).
  if (start.db) {
    try {
      start.db->save_board(state_.spaces, board_meta(state_, setup_.config->kiosk));
    } catch (const std::exception& e) {
      state_.notices.push_back(e.what());  // the panel runs without it; the next start is only slower
    }
  }
  if (!start.health.ok) std::cerr << ("kiosk: storage: state not saved: " + start.health.problem + "\n");
  writer_ = std::make_unique<store::Writer>(std::move(start), std::move(options));
  copy_storage_health();
}

bool Panel::copy_storage_health() {
  const store::Health health = writer_->health();
  if (health.changes + 1 == storage_changes_) return false;
  storage_changes_ = health.changes + 1;  // 0: never copied
  const auto since_ms = std::chrono::duration_cast<std::chrono::milliseconds>(health.since.time_since_epoch()).count();
  state_.storage = {health.ok, health.kind, health.problem, health.note, core::from_unix_ms(since_ms)};
  ++state_.revision;
  return true;
}

std::string Panel::metrics_topic() const {
  return setup_.config->status_prefix + "/" + setup_.config->panel_id + "/metrics";
}

std::string Panel::metrics_json(double frames_per_second) {
  core::TimePoint now = clock_.now();
  ingest::CounterValues counters = router_->counters().snapshot();
  nlohmann::json rejected = nlohmann::json::object();
  for (std::size_t r = 0; r < ingest::kRejectCount; ++r)
    rejected[std::string(ingest::to_string(static_cast<ingest::Reject>(r)))] = counters.rejected[r];
  double seconds = std::chrono::duration<double>(now - (metrics_at_ == core::TimePoint{} ? state_.started : metrics_at_)).count();
  double rate = seconds > 0 ? static_cast<double>(counters.received - metrics_received_) / seconds : 0;
  metrics_received_ = counters.received;
  metrics_at_ = now;
  store::Writer::Stats store = writer_->stats();
  nlohmann::json metrics{
      {"panel", state_.panel_id},
      {"time", core::format_iso8601(now)},
      {"messages_per_s", rate},
      {"received", counters.received},
      {"decoded", counters.delivered},
      {"rejected", rejected},
      {"unmatched_topic", counters.unmatched_topic},
      {"unknown_space", counters.unknown_space},
      {"dropped", inbox_.superseded()},
      {"fps", frames_per_second},
      {"config_hash", state_.config_hash},
      {"store",
       {{"commits", store.commits}, {"errors", store.errors}, {"history_trimmed", store.history_trimmed},
        {"history_dropped", store.history_dropped}, {"ok", state_.storage.ok}}},
  };
  metrics["data_age_s"] = state_.newest_data
                              ? nlohmann::json(std::chrono::duration_cast<std::chrono::seconds>(now - *state_.newest_data).count())
                              : nlohmann::json(nullptr);
  return metrics.dump();
}

void Panel::publish_metrics(double frames_per_second) {
  if (client_) client_->publish_metrics(metrics_json(frames_per_second));
}

std::string Panel::status_topic() const {
  return setup_.config->status_prefix + "/" + setup_.config->panel_id + "/status";
}

void Panel::start_network(core::Inbox::Wake wake) {
  if (client_) return;
  const config::PanelConfig& config = *setup_.config;
  wake_ = std::move(wake);
  {
    std::lock_guard lock(storage_wake_mutex_);
    storage_wake_ = wake_;
  }
  state_.network_enabled = true;
  ingest::mqtt::Options options;
  for (const config::Broker& broker : config.brokers)
    options.brokers.push_back({broker.host, broker.port, broker.tls});
  options.protocol = config.protocol == 5 ? ingest::mqtt::Protocol::Mqtt5 : ingest::mqtt::Protocol::Mqtt311;
  options.session_expiry = config.session_expiry;
  options.username = config.username;
  options.password_file = config.password_file.string();
  options.tls = {config.ca_file.string(), config.cert_file.string(), config.key_file.string()};
  options.client_id = config.client_id;
  options.keepalive_s = config.keepalive_s;
  options.reconnect_min = config.reconnect_min;
  options.reconnect_max = config.reconnect_max;
  options.status_topic = status_topic();
  options.will_payload = nlohmann::json{{"online", false}, {"panel", config.panel_id}}.dump();
  options.metrics_topic = metrics_topic();
  options.max_payload = config.max_payload;
  client_ = std::make_unique<ingest::mqtt::Client>(options, *router_, inbox_, clock_);
  client_->publish_status(health_json(0));
  client_->start();
}

void Panel::stop() {
  if (client_) {
    client_->stop();
    client_.reset();
  }
  if (writer_) writer_->flush_now();
}

bool Panel::pump() {
  inbox_.drain(batch_);
  bool changed = false;
  if (!batch_.empty()) {
    for (const AppState::Update& update : state_.apply(batch_)) {
      writer_->record(state_.spaces[update.space].id, *state_.readings[update.space], update.value_changed);
    }
    changed = true;
  }
  const ingest::Counters& counters = router_->counters();
  IngestFigures figures;
  figures.received = counters.received.load(std::memory_order_relaxed);
  figures.delivered = counters.delivered.load(std::memory_order_relaxed);
  figures.unmatched_topic = counters.unmatched_topic.load(std::memory_order_relaxed);
  figures.unknown_space = counters.unknown_space.load(std::memory_order_relaxed);
  for (std::size_t r = 0; r < ingest::kRejectCount; ++r) {
    figures.rejected_by_reason[r] = counters.rejected[r].load(std::memory_order_relaxed);
    figures.rejected += figures.rejected_by_reason[r];
  }
  figures.superseded = inbox_.superseded();
  store::Writer::Stats stats = writer_->stats();
  figures.store_commits = stats.commits;
  figures.store_errors = stats.errors;
  state_.figures = figures;
  if (copy_storage_health()) {
    changed = true;
    if (client_) client_->publish_status(health_json(last_fps_));  // staff watching MQTT see it now
  }
  return changed;
}

std::string Panel::health_json(double frames_per_second) const {
  core::TimePoint now = clock_.now();
  nlohmann::json health{
      {"panel", state_.panel_id},
      {"online", true},
      {"version", KIOSK_VERSION},
      {"config_hash", state_.config_hash},
      {"spaces", state_.spaces.size()},
      {"fps", frames_per_second},
      {"received", state_.figures.received},
      {"rejected", state_.figures.rejected},
      {"time", core::format_iso8601(now)},
      {"display", state_.display.open},
      {"graphics",
       {{"api", state_.display.api}, {"version", state_.display.version}, {"renderer", state_.display.renderer},
        {"redraw", state_.display.redraw}}},
  };
  if (!state_.display.problem.empty()) health["display_problem"] = state_.display.problem;
  nlohmann::json storage{{"ok", state_.storage.ok}, {"since", core::format_iso8601(state_.storage.since)}};
  if (!state_.storage.ok) storage["problem"] = state_.storage.problem;
  if (!state_.storage.note.empty()) storage["note"] = state_.storage.note;
  health["storage"] = storage;
  if (state_.newest_data)
    health["data_age_s"] = std::chrono::duration_cast<std::chrono::seconds>(now - *state_.newest_data).count();
  else
    health["data_age_s"] = nullptr;
  return health.dump();
}

void Panel::publish_health(double frames_per_second) {
  last_fps_ = frames_per_second;
  if (client_) client_->publish_status(health_json(frames_per_second));
}

}  // namespace kiosk::app
