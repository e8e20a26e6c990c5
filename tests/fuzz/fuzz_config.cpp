// config::load_string on a fuzzed panel file that sits in config/panels/ (so `include = "../site.toml"`
// reads the real site file). A config that loads must be one the rest of the app can use as is.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "fuzz_util.hpp"
#include "ingest/router.hpp"
#include "ingest/topic_pattern.hpp"

#ifndef KIOSK_SOURCE_DIR
#error "build with -DKIOSK_SOURCE_DIR=\"...\""
#endif

namespace {

using namespace kiosk;

void check_diagnostics(const config::LoadResult& r) {
  for (const config::Diagnostic& d : r.diagnostics) {
    KIOSK_FUZZ_CHECK(!d.message.empty() && !d.origin.file.empty());
    KIOSK_FUZZ_CHECK(d.origin.line >= 0 && d.origin.column >= 0);
    KIOSK_FUZZ_CHECK(!config::format(d).empty());
  }
  KIOSK_FUZZ_CHECK(r.config.has_value() != r.has_errors());
}

void check_config(const config::PanelConfig& c) {
  KIOSK_FUZZ_CHECK(!c.panel_id.empty() && !c.kiosk.empty());
  KIOSK_FUZZ_CHECK(std::all_of(c.panel_id.begin(), c.panel_id.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
  }));
  KIOSK_FUZZ_CHECK(std::find(config::kLanguages.begin(), config::kLanguages.end(), c.language) != config::kLanguages.end());
  KIOSK_FUZZ_CHECK(!c.screens.empty());
  for (const std::string& s : c.screens)
    KIOSK_FUZZ_CHECK(std::find(config::kScreens.begin(), config::kScreens.end(), s) != config::kScreens.end());
  KIOSK_FUZZ_CHECK(c.heading_deg >= 0 && c.heading_deg <= 360);
  KIOSK_FUZZ_CHECK(!c.brokers.empty());
  for (const config::Broker& b : c.brokers) KIOSK_FUZZ_CHECK(!b.host.empty() && b.port >= 1 && b.port <= 65535);
  KIOSK_FUZZ_CHECK(c.keepalive_s >= 0 && c.keepalive_s <= 65535);
  KIOSK_FUZZ_CHECK(c.max_payload >= 1);
  KIOSK_FUZZ_CHECK(c.reconnect_min <= c.reconnect_max);
  KIOSK_FUZZ_CHECK(c.default_ttl.count() > 0 && c.idle_timeout.count() > 0);
  KIOSK_FUZZ_CHECK(!c.files.empty() && c.hash.size() == 16);
  KIOSK_FUZZ_CHECK(std::is_sorted(c.spaces.begin(), c.spaces.end(),
                                  [](const auto& a, const auto& b) { return a.key < b.key; }));
  for (const config::Binding& b : c.bindings) {
    KIOSK_FUZZ_CHECK(b.qos >= 0 && b.qos <= 2 && b.ttl.count() >= 0);
    KIOSK_FUZZ_CHECK(b.value == "presence" || b.value == "count");
    KIOSK_FUZZ_CHECK(b.field.empty() || (b.field.front() != '.' && b.field.back() != '.' &&
                                         b.field.find("..") == std::string::npos));
    // Validation and the ingest matcher must agree on what a topic pattern is, and on the template:
    // the app builds routes from these without asking again.
    auto pattern = ingest::TopicPattern::parse(b.topic, nullptr);
    KIOSK_FUZZ_CHECK(pattern.has_value());
    ingest::Route route{std::move(*pattern), b.space, b.space_map, {}, b.ttl, b.qos, {}};
    KIOSK_FUZZ_CHECK(ingest::check_space_template(route).empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path kPanels = std::filesystem::path(KIOSK_SOURCE_DIR) / "config" / "panels";
  const std::string_view text = kiosk::fuzz::as_text(data, size);
  const config::LoadResult r = config::load_string(text, "fuzz.toml", kPanels);
  check_diagnostics(r);
  if (r.config) {
    check_config(*r.config);
    // Reload = load again aside: the same text gives the same config.
    const config::LoadResult again = config::load_string(text, "fuzz.toml", kPanels);
    KIOSK_FUZZ_CHECK(again.config && again.config->hash == r.config->hash &&
                     again.diagnostics.size() == r.diagnostics.size());
  }
  return 0;
}
