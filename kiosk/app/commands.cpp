#include "app/commands.hpp"

#include <nlohmann/json.hpp>
#include <ostream>
#include <random>
#include <thread>

#include "app/setup.hpp"
#include "app/space_directory.hpp"
#include "core/occupancy.hpp"
#include "ingest/mqtt/client.hpp"
#include "store/snapshot.hpp"

namespace kiosk::app {

namespace {

bool print_setup_problems(const Setup& setup, std::ostream& err) {
  for (const std::string& line : setup.messages) err << line << '\n';
  return setup.usable();
}

std::string age_text(core::Millis age) {
  long long s = std::chrono::duration_cast<std::chrono::seconds>(age).count();
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  if (s < 172800) return std::to_string(s / 3600) + " h";
  return std::to_string(s / 86400) + " d";
}

}  // namespace

int check_command(const std::filesystem::path& config, std::ostream& out, std::ostream& err) {
  Setup setup = load_setup(config);
  print_setup_problems(setup, err);
  if (setup.config) {
    if (std::string problem = store::location_problem(setup.config->snapshot); !problem.empty()) {
      err << setup.config->snapshot.string() << ": warning: " << problem << '\n';
      ++setup.warnings;
    }
  }
  if (setup.usable()) {
    out << "ok: panel '" << setup.config->panel_id << "', " << setup.model.spaces.size() << " spaces, "
        << setup.venue->levels.size() << " levels, " << setup.routes.size() << " bindings";
  } else {
    out << "refused";
  }
  out << " (" << setup.errors << " errors, " << setup.warnings << " warnings)\n";
  return setup.errors > 0 ? 1 : 0;
}

int state_command(const std::filesystem::path& config, bool json, const core::Clock& clock, std::ostream& out,
                  std::ostream& err) {
  Setup setup = load_setup(config);
  if (!print_setup_problems(setup, err)) return 1;
  const auto& spaces = setup.model.spaces;
  SpaceDirectory directory(spaces, setup.model.keys);
  std::vector<std::optional<core::Reading>> readings(spaces.size());

  const std::filesystem::path& path = setup.config->snapshot;
  if (std::filesystem::exists(path)) {
    try {
      store::OpenReport report;
      auto db = store::Snapshot::open(path, &report);
      if (report.recovered) err << report.message << '\n';
      for (const store::Row& row : db->load_latest())
        if (auto index = directory.find(row.space_id)) readings[*index] = row.reading;
    } catch (const std::exception& e) {
      err << path.string() << ": " << e.what() << '\n';
      return 1;
    }
  } else {
    err << path.string() << ": no snapshot yet (the panel has not stored any state); every space is unknown\n";
  }

  core::TimePoint now = clock.now();
  const std::string& lang = setup.config->language;
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < spaces.size(); ++i) {
    const core::Space& space = spaces[i];
    core::SpaceStatus status = core::evaluate(space, readings[i], now);
    std::string why;
    if (!readings[i]) why = "never heard from";
    else if (status.stale) why = "stale: older than its ttl of " + age_text(readings[i]->ttl);
    if (json) {
      nlohmann::json row{{"id", space.id},
                         {"name", space.name.pick(lang)},
                         {"kind", core::to_string(space.kind)},
                         {"level", space.level_ordinal},
                         {"state", core::to_string(status.availability)},
                         {"stale", status.stale}};
      if (status.last_seen) {
        row["observed"] = core::format_iso8601(*status.last_seen);
        row["age_s"] = std::chrono::duration_cast<std::chrono::seconds>(now - *status.last_seen).count();
        row["ttl_s"] = readings[i]->ttl.count();
      }
      if (status.seats_free >= 0) row["seats_free"] = status.seats_free;
      if (space.seats > 0) row["seats"] = space.seats;
      if (status.people >= 0) row["people"] = status.people;
      if (!why.empty()) row["why_unknown"] = why;
      rows.push_back(std::move(row));
      continue;
    }
    out << space.name.pick(lang) << "  [" << core::to_string(space.kind) << ", " << space.level_name.pick(lang)
        << "]  " << core::to_string(status.availability);
    if (status.seats_free >= 0) out << " (" << status.seats_free << "/" << space.seats << " seats free)";
    if (status.people >= 0) out << " (" << status.people << " people)";
    if (status.last_seen)
      out << "  last seen " << core::format_hhmm(*status.last_seen) << " (" << age_text(now - *status.last_seen)
          << " ago)";
    if (!why.empty()) out << "  — " << why;
    out << '\n';
  }
  if (json) out << rows.dump(2) << '\n';
  return 0;
}

namespace {

// "Salle Garonne" -> "salle-garonne": what a gateway named after the room would publish.
std::string slug(const std::string& name) {
  std::string folded = core::fold_for_search(name);
  for (char& c : folded)
    if (c == ' ') c = '-';
  return folded;
}

struct SimTarget {
  std::string topic;
  const config::Binding* binding;
  const core::Space* space;
};

// The topic a sensor of `space` would publish on for `binding`, or "" if the binding cannot be
// inverted (templates other than a single capture).
std::string topic_for(const config::Binding& binding, const core::Space& space, const std::string& lang) {
  std::string capture;
  if (binding.space.size() > 2 && binding.space.front() == '{' && binding.space.back() == '}' &&
      binding.space.find('{', 1) == std::string::npos)
    capture = binding.space.substr(1, binding.space.size() - 2);
  std::string topic;
  std::size_t start = 0;
  while (start <= binding.topic.size()) {
    std::size_t slash = binding.topic.find('/', start);
    if (slash == std::string::npos) slash = binding.topic.size();
    std::string segment = binding.topic.substr(start, slash - start);
    if (!topic.empty() || start > 0) topic += '/';
    if (segment.size() > 2 && segment.front() == '{') {
      std::string name = segment.substr(1, segment.size() - 2);
      if (name == capture) segment = slug(space.name.pick(lang));
      else if (name == "floor" || name == "level") segment = std::to_string(space.level_ordinal);
      else segment = "sim";
    } else if (segment == "+" || segment == "#") {
      segment = "sim";
    }
    topic += segment;
    start = slash + 1;
  }
  if (capture.empty() && binding.space.find('{') != std::string::npos) return "";
  return topic;
}

// `value` nested at a dotted path: "a.b" -> {"a":{"b":value}}.
nlohmann::json nest(const std::string& dotted, nlohmann::json value) {
  std::vector<std::string> path;
  for (std::size_t start = 0; start <= dotted.size();) {
    std::size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    path.push_back(dotted.substr(start, dot - start));
    start = dot + 1;
  }
  for (auto it = path.rbegin(); it != path.rend(); ++it) value = nlohmann::json{{*it, value}};
  return value;
}

// What a gateway of the binding's format would publish (the shapes the decoders read).
std::string payload_for(const config::Binding& binding, bool occupied, int count) {
  const bool counting = binding.value == "count";
  const std::string& format = binding.format;
  const nlohmann::json value = counting ? nlohmann::json(count) : nlohmann::json(occupied);
  auto field_or = [&](const char* fallback) { return binding.field.empty() ? std::string(fallback) : binding.field; };
  if (format == "homeassistant") return counting ? std::to_string(count) : (occupied ? "ON" : "OFF");
  if (format == "homie") return counting ? std::to_string(count) : (occupied ? "true" : "false");
  if (format == "zigbee2mqtt") return nest(field_or("occupancy"), value).dump();
  if (format == "shelly") return nest(field_or("motion"), value).dump();
  if (format == "json" || format == "tasmota") return nest(binding.field, value).dump();
  if (format == "ttn") {
    std::string field = field_or("occupancy");
    nlohmann::json uplink = field.rfind("uplink_message", 0) == 0
                                ? nest(field, value)
                                : nest("uplink_message.decoded_payload." + field, value);
    uplink["received_at"] = core::format_iso8601(core::SystemClock().now());
    return uplink.dump();
  }
  return counting ? std::to_string(count) : (occupied ? "occupied" : "vacant");  // words
}

}  // namespace

int simulate_command(const std::filesystem::path& config, const SimulateOptions& options,
                     const std::atomic<bool>& stop, std::ostream& out, std::ostream& err) {
  Setup setup = load_setup(config);
  if (!print_setup_problems(setup, err)) return 1;
  const config::PanelConfig& cfg = *setup.config;
  const std::string& lang = setup.venue->language.empty() ? cfg.language : setup.venue->language;

  // Which sensors exist: a counting binding serves spaces that count (seats or capacity), a
  // presence binding the others; a binding with a fixed space serves that space only.
  std::vector<SimTarget> targets;
  SpaceDirectory directory(setup.model.spaces, setup.model.keys);
  for (const config::Binding& binding : cfg.bindings) {
    bool fixed = binding.space.find('{') == std::string::npos;
    for (std::uint32_t i = 0; i < setup.model.spaces.size(); ++i) {
      const core::Space& space = setup.model.spaces[i];
      if (fixed && directory.find(binding.space) != i) continue;
      if (!fixed) {
        bool counting = binding.value == "count";
        if (counting != (space.seats > 0)) continue;
      }
      std::string topic = topic_for(binding, space, lang);
      if (!topic.empty()) targets.push_back({topic, &binding, &space});
    }
  }
  if (targets.empty()) {
    err << config.string() << ": no binding of this config can be simulated (templates must be a single capture)\n";
    return 1;
  }

  const config::Broker& broker = cfg.brokers.front();
  ingest::mqtt::Publisher publisher({broker.host, broker.port}, "kiosk-simulate-" + cfg.panel_id);
  std::string error;
  if (!publisher.connect(std::chrono::seconds(5), &error)) {
    err << "simulate: cannot connect to " << broker.host << ":" << broker.port << ": " << error << '\n';
    return 1;
  }
  out << "simulate: " << targets.size() << " sensors on " << broker.host << ":" << broker.port << ", "
      << options.rate << " msg/s\n";

  std::mt19937 random(options.seed);
  // Every sensor reports once at start (retained), so a panel sees a full picture at once.
  std::vector<int> counts(targets.size(), 0);
  std::vector<bool> occupied(targets.size(), false);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    occupied[i] = random() % 100 < 45;
    counts[i] = static_cast<int>(random() % (std::max(targets[i].space->seats, 1) + 1));
    publisher.publish(targets[i].topic, payload_for(*targets[i].binding, occupied[i], counts[i]), 1, true);
  }
  publisher.flush(std::chrono::seconds(5));

  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  auto interval = std::chrono::duration<double>(1.0 / std::max(options.rate, 0.001));
  auto next = start;
  std::uint64_t sent = targets.size();
  while (!stop.load()) {
    auto now = clock::now();
    if (options.duration_s > 0 && now - start >= std::chrono::duration<double>(options.duration_s)) break;
    if (now < next) {
      publisher.loop(std::chrono::duration_cast<std::chrono::milliseconds>(next - now));
      continue;
    }
    next += std::chrono::duration_cast<clock::duration>(interval);
    std::size_t i = random() % targets.size();
    if (random() % 3 == 0) occupied[i] = !occupied[i];  // most reports are heartbeats, as real sensors send
    int seats = std::max(targets[i].space->seats, 1);
    counts[i] = std::clamp(counts[i] + static_cast<int>(random() % 3) - 1, 0, seats);
    publisher.publish(targets[i].topic, payload_for(*targets[i].binding, occupied[i], counts[i]), 1, true);
    ++sent;
  }
  publisher.flush(std::chrono::seconds(5));
  out << "simulate: sent " << sent << " messages\n";
  return 0;
}

}  // namespace kiosk::app
