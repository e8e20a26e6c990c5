// Ingest hot path in process: Router (cached topic -> space, decode) + Inbox hand-off, 10,000 spaces,
// words and JSON payloads, while another thread drains the Inbox. Two kinds of drainer:
//   paced: like the main loop: woken by the Inbox, drains, then "draws a frame" (sleeps 16 ms);
//   eager: drains again at once on every wake (the most lock traffic the Inbox can see).
// Before that, each decoder alone on payloads its gateway really publishes: decode_<format>_per_s
// counts the thread's CPU time (the bench machines are shared: wall time is noisy), _best_per_s the
// fastest batch of 4,096 (an idle core), _wall_per_s the wall clock.
//   bench_ingest [seconds per case (default 2)]
// Prints name=value lines (rates in messages per second).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "bench_util.hpp"
#include "core/inbox.hpp"
#include "ingest/decoder.hpp"
#include "ingest/router.hpp"
#include "ingest/topic_pattern.hpp"

using namespace kiosk;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::uint32_t kSpaces = 10'000;
constexpr std::uint32_t kSpacesPerFloor = 1'000;


struct CaseResult {
  double rate = 0;
  std::uint64_t messages = 0, delivered = 0, drained = 0, superseded = 0, drains = 0;
};

CaseResult run_case(ingest::Format format, const std::vector<std::string>& payloads, double seconds,
                    std::chrono::milliseconds frame) {
  std::vector<std::string> topics;
  std::unordered_map<std::string, std::uint32_t> names;
  topics.reserve(kSpaces);
  for (std::uint32_t i = 0; i < kSpaces; ++i) {
    std::string name = "space-" + std::to_string(i);
    topics.push_back("campus/" + std::to_string(i / kSpacesPerFloor) + "/" + name + "/occupancy");
    names.emplace(std::move(name), i);
  }
  std::string error;
  ingest::Route route{*ingest::TopicPattern::parse("campus/{floor}/{space}/occupancy", &error), "{space}", {}, {},
                      std::chrono::seconds(600), 1, "bench"};
  route.decoder.format = format;
  if (format == ingest::Format::Json) route.decoder.path = {"occupancy"};
  ingest::Router router(
      {route},
      bench::resolver(names),
      65536);

  bench::Drainer drainer(frame);
  core::Inbox inbox(kSpaces, [&drainer] { drainer.wake(); });
  drainer.attach(&inbox);
  core::SystemClock clock;

  // Warm the topic cache (and check every message is delivered).
  for (std::uint32_t i = 0; i < kSpaces; ++i) {
    if (router.handle(topics[i], payloads[i % payloads.size()], clock.now(), inbox) !=
        ingest::Router::Outcome::Delivered) {
      std::fprintf(stderr, "bench_ingest: %s not delivered\n", topics[i].c_str());
      std::exit(1);
    }
  }
  core::Inbox::Batch batch;
  inbox.drain(batch);
  drainer.start();

  const std::uint64_t delivered_before = router.counters().delivered.load();
  const std::uint64_t superseded_before = inbox.superseded();
  const auto start = SteadyClock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::uint64_t n = 0;
  std::uint32_t space = 0;
  std::size_t payload = 0;
  for (;;) {
    for (int k = 0; k < 4096; ++k) {
      router.handle(topics[space], payloads[payload], clock.now(), inbox);
      if (++space == kSpaces) space = 0;
      if (++payload == payloads.size()) payload = 0;
    }
    n += 4096;
    if (SteadyClock::now() >= deadline) break;
  }
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  drainer.stop();

  CaseResult r;
  r.messages = n;
  r.rate = static_cast<double>(n) / elapsed;
  r.delivered = router.counters().delivered.load() - delivered_before;
  r.superseded = inbox.superseded() - superseded_before;
  r.drained = drainer.drained();
  r.drains = drainer.drains();
  return r;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string fixture(const char* name) {
  std::ifstream in(std::string(KIOSK_SOURCE_DIR) + "/tests/fixtures/ingest/" + name, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bench_ingest: missing fixture %s\n", name);
    std::exit(1);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct DecodeCase {
  const char* name;
  ingest::DecoderSpec spec;
  std::vector<std::string> payloads;  // every one must decode: a benchmark of rejects measures nothing
};

struct Rates {
  double cpu = 0;   // over the whole run, per second of this thread's CPU time
  double best = 0;  // the fastest batch, CPU time: what an idle core does
  double wall = 0;
};

// The decoder alone, for the breakdown.
Rates decode_rate(const DecodeCase& c, double seconds) {
  std::size_t bytes = 0;
  for (const std::string& p : c.payloads) {
    const auto r = ingest::decode(c.spec, p, 65536);
    if (!r.value) {
      std::fprintf(stderr, "bench_ingest: %s payload rejected (%s): %s\n", c.name,
                   std::string(ingest::to_string(r.reason)).c_str(), p.c_str());
      std::exit(1);
    }
    bytes += p.size();
  }
  const double cpu_start = thread_cpu_seconds();
  const auto start = SteadyClock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::uint64_t n = 0, occupied = 0;
  std::size_t p = 0;
  double best_batch = 1e9;
  for (;;) {
    const double batch_start = thread_cpu_seconds();
    for (int k = 0; k < 4096; ++k) {
      auto r = ingest::decode(c.spec, c.payloads[p], 65536);
      occupied += r.value && (r.value->occupied || r.value->count > 0);
      if (++p == c.payloads.size()) p = 0;
    }
    best_batch = std::min(best_batch, thread_cpu_seconds() - batch_start);
    n += 4096;
    if (SteadyClock::now() >= deadline) break;
  }
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  const double cpu = thread_cpu_seconds() - cpu_start;
  if (occupied == 0) std::fprintf(stderr, "bench_ingest: %s: nothing decoded as occupied?\n", c.name);
  std::printf("decode_%s_payload_bytes_avg=%zu\n", c.name, bytes / c.payloads.size());
  return {static_cast<double>(n) / cpu, 4096.0 / best_batch, static_cast<double>(n) / elapsed};
}

ingest::DecoderSpec spec_of(ingest::Format format, std::vector<std::string> path = {}) {
  ingest::DecoderSpec spec;
  spec.format = format;
  spec.path = std::move(path);
  return spec;
}

// Payloads as each gateway publishes them (tests/fixtures/ingest/ and variants of them).
std::vector<DecodeCase> decode_cases(const std::vector<std::string>& words, const std::vector<std::string>& json) {
  using F = ingest::Format;
  // A TTS v3 uplink heard by two gateways, with location and version ids: ~2 KB.
  const std::string ttn_two_gateways = R"({"end_device_ids":{"device_id":"eui-a84041000181c8d2","application_ids":{"application_id":"campus-occupancy"},"dev_eui":"A84041000181C8D2","join_eui":"A840410000000101","dev_addr":"260B1235"},"correlation_ids":["as:up:01H4ZK5Q6X1S6W2V7Y8Z9A0B1D","gs:conn:01H4ZJ0C7Q2N3B4V5C6X7Z8A9S","gs:up:host:01H4ZJ0C7W8E9R0T1Y2U3I4O5P","gs:uplink:01H4ZK5Q6K7L8M9N0B1V2C3X4Z","ns:uplink:01H4ZK5Q6R1T2Y3U4I5O6P7A8S","rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01H4ZK5Q6D9F8G7H6J5K4L3Z2X"],"received_at":"2024-03-14T13:02:11.204815273Z","uplink_message":{"session_key_id":"AYb2n6Qx8Zk3l9y1s2t4uA==","f_port":2,"f_cnt":4522,"frm_payload":"AAAX","decoded_payload":{"battery":3.6,"occupancy":0,"people_count":0,"temperature":21.4},"rx_metadata":[{"gateway_ids":{"gateway_id":"campus-gw-01","eui":"B827EBFFFE8B1234"},"time":"2024-03-14T13:02:10.987654Z","timestamp":2813740900,"rssi":-87,"channel_rssi":-87,"snr":9.25,"location":{"latitude":47.2184,"longitude":-1.5536,"altitude":12,"source":"SOURCE_REGISTRY"},"uplink_token":"ChoKGAoMY2FtcHVzLWd3LTAxEgi4J+v//osSNBCk0rDrChoMCLOry68GEJDPzb0DIOCxvJ6+UQ==","received_at":"2024-03-14T13:02:11.001234Z"},{"gateway_ids":{"gateway_id":"campus-gw-03","eui":"B827EBFFFE8B9ABC"},"time":"2024-03-14T13:02:10.987660Z","timestamp":1093847261,"rssi":-112,"channel_rssi":-112,"snr":-4.5,"location":{"latitude":47.2191,"longitude":-1.5522,"altitude":18,"source":"SOURCE_REGISTRY"},"uplink_token":"ChoKGAoMY2FtcHVzLWd3LTAzEgi4J+v//ouavBCd6KHfBBoMCLOry68GEKCU6r0DIOjUwIW9BA==","received_at":"2024-03-14T13:02:11.009876Z"}],"settings":{"data_rate":{"lora":{"bandwidth":125000,"spreading_factor":7,"coding_rate":"4/5"}},"frequency":"868100000","timestamp":2813740900,"time":"2024-03-14T13:02:10.987654Z"},"received_at":"2024-03-14T13:02:11.010203Z","consumed_airtime":"0.051456s","locations":{"user":{"latitude":47.21865,"longitude":-1.55301,"altitude":14,"source":"SOURCE_REGISTRY"}},"version_ids":{"brand_id":"milesight-iot","model_id":"ws202","hardware_version":"1.0","firmware_version":"1.1","band_id":"EU_863_870"},"network_ids":{"net_id":"000013","ns_id":"EC656E0000000181","tenant_id":"ttn","cluster_id":"eu1","cluster_address":"eu1.cloud.thethings.network"}}})";
  return {
      {"words", spec_of(F::Words), words},
      {"json", spec_of(F::Json, {"occupancy"}), json},
      {"zigbee2mqtt", spec_of(F::Zigbee2mqtt),
       {fixture("zigbee2mqtt_occupancy.json"), fixture("zigbee2mqtt_aqara_motion.json"),
        fixture("zigbee2mqtt_presence_mmwave.json")}},
      {"homeassistant", spec_of(F::HomeAssistant),
       {R"({"state":"ON"})", R"({"state":"OFF"})", fixture("homeassistant_state.json"),
        R"({"state":"not_home","attributes":{"source_type":"router","friendly_name":"Desk 4"}})"}},
      {"ttn", spec_of(F::Ttn), {fixture("ttn_uplink.json"), fixture("ttn_uplink_words.json"), ttn_two_gateways}},
      {"homie", spec_of(F::Homie), {"true", "false", "true", "false"}},
      {"tasmota", spec_of(F::Tasmota, {"Switch1"}),
       {fixture("tasmota_sensor.json"), fixture("tasmota_status10.json"),
        R"({"Time":"2026-11-25T14:03:00","Switch1":"OFF","Switch2":"OFF","ENERGY":{"TotalStartTime":"2026-01-02T10:11:12","Total":12.345,"Yesterday":0.51,"Today":0.12,"Power":0,"ApparentPower":0,"ReactivePower":0,"Factor":0.00,"Voltage":231,"Current":0.000}})"}},
      {"shelly", spec_of(F::Shelly),
       {fixture("shelly_motion.json"),
        R"({"motion":true,"timestamp":1710421400,"active":true,"vibration":false,"lux":80,"bat":87,"tmp":{"value":21.3,"units":"C","is_valid":true},"charger":false,"sensor_error":0,"unixtime":1710421401,"fw":"20231107-163618/v2.2.1@a3a8ab04"})"}},
  };
}

void report(const char* name, const CaseResult& r) {
  std::printf("ingest_%s_msgs_per_s=%.0f\n", name, r.rate);
  std::printf("ingest_%s_messages=%llu\n", name, static_cast<unsigned long long>(r.messages));
  std::printf("ingest_%s_delivered=%llu\n", name, static_cast<unsigned long long>(r.delivered));
  std::printf("ingest_%s_drained=%llu\n", name, static_cast<unsigned long long>(r.drained));
  std::printf("ingest_%s_superseded=%llu\n", name, static_cast<unsigned long long>(r.superseded));
  std::printf("ingest_%s_drains=%llu\n", name, static_cast<unsigned long long>(r.drains));
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  if (seconds <= 0) {
    std::fprintf(stderr, "usage: bench_ingest [seconds per case]\n");
    return 2;
  }
  const std::vector<std::string> words = {"occupied", "vacant", "true", "false", "1", "0", "ON", "OFF"};
  const std::vector<std::string> json = {
      R"({"occupancy":true,"battery":97,"linkquality":120})",
      R"({"occupancy":false,"battery":97,"linkquality":120})",
      R"({"battery":96,"occupancy":true,"linkquality":87,"voltage":3005})",
      R"({"occupancy":false,"battery":100,"illuminance":23,"linkquality":255})",
  };
  std::printf("ingest_spaces=%u\n", kSpaces);
  std::printf("ingest_seconds_per_case=%.1f\n", seconds);
  for (const DecodeCase& c : decode_cases(words, json)) {
    const Rates r = decode_rate(c, seconds / 2);
    std::printf("decode_%s_per_s=%.0f\n", c.name, r.cpu);
    std::printf("decode_%s_best_per_s=%.0f\n", c.name, r.best);
    std::printf("decode_%s_wall_per_s=%.0f\n", c.name, r.wall);
  }
  using std::chrono::milliseconds;
  report("words", run_case(ingest::Format::Words, words, seconds, milliseconds(16)));
  report("json", run_case(ingest::Format::Json, json, seconds, milliseconds(16)));
  report("words_eager", run_case(ingest::Format::Words, words, seconds, milliseconds(0)));
  report("json_eager", run_case(ingest::Format::Json, json, seconds, milliseconds(0)));
  return 0;
}
