// Ingest hot path in process: Router (cached topic -> space, decode) + Inbox hand-off, 10,000 spaces,
// words and JSON payloads, while another thread drains the Inbox. Two kinds of drainer:
//   paced: like the main loop: woken by the Inbox, drains, then "draws a frame" (sleeps 16 ms);
//   eager: drains again at once on every wake (the most lock traffic the Inbox can see).
//   bench_ingest [seconds per case (default 2)]
// Prints name=value lines (rates in messages per second).
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
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

// The decoder alone, for the breakdown.
double decode_rate(ingest::Format format, const std::vector<std::string>& payloads, double seconds) {
  ingest::DecoderSpec spec;
  spec.format = format;
  if (format == ingest::Format::Json) spec.path = {"occupancy"};
  const auto start = SteadyClock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::uint64_t n = 0, occupied = 0;
  std::size_t p = 0;
  for (;;) {
    for (int k = 0; k < 4096; ++k) {
      auto r = ingest::decode(spec, payloads[p], 65536);
      occupied += r.value && r.value->occupied;
      if (++p == payloads.size()) p = 0;
    }
    n += 4096;
    if (SteadyClock::now() >= deadline) break;
  }
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  if (occupied == 0) std::fprintf(stderr, "bench_ingest: nothing decoded as occupied?\n");
  return static_cast<double>(n) / elapsed;
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
  std::printf("decode_words_per_s=%.0f\n", decode_rate(ingest::Format::Words, words, seconds / 2));
  std::printf("decode_json_per_s=%.0f\n", decode_rate(ingest::Format::Json, json, seconds / 2));
  using std::chrono::milliseconds;
  report("words", run_case(ingest::Format::Words, words, seconds, milliseconds(16)));
  report("json", run_case(ingest::Format::Json, json, seconds, milliseconds(16)));
  report("words_eager", run_case(ingest::Format::Words, words, seconds, milliseconds(0)));
  report("json_eager", run_case(ingest::Format::Json, json, seconds, milliseconds(0)));
  return 0;
}
