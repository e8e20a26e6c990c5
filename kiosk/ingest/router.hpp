// Bindings -> spaces. The hot path of ingest, on the network thread: a topic is matched against the
// routes once, the answer (route, space) is cached per topic, then each message is decoded and its
// reading handed to the Inbox.
#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/inbox.hpp"
#include "ingest/decoder.hpp"
#include "ingest/topic_pattern.hpp"

namespace kiosk::ingest {

struct Route {
  TopicPattern pattern;
  std::string space_template;                      // "{space}", "salle-{room}" or a fixed name
  std::map<std::string, std::string> space_map;    // applied to the expanded template (exact string)
  DecoderSpec decoder;
  std::chrono::seconds ttl{600};
  int qos = 1;
  std::string origin;                              // "site.toml:40:1", for messages
  std::chrono::seconds hold{0};                    // presence from motion sensors: see core::Reading::hold
};

// Empty when `route.space_template` only names captures of its pattern; else the reason.
std::string check_space_template(const Route& route);

// A plain copy of the counters.
struct CounterValues {
  std::uint64_t received = 0;
  std::uint64_t delivered = 0;
  std::uint64_t unmatched_topic = 0;
  std::uint64_t unknown_space = 0;
  std::array<std::uint64_t, kRejectCount> rejected{};
  std::uint64_t cache_clears = 0;

  std::uint64_t rejected_total() const;
  std::uint64_t rejected_for(Reject r) const { return rejected[static_cast<std::size_t>(r)]; }
};

// Written by the network thread only, read from anywhere (relaxed: they are statistics).
struct Counters {
  std::atomic<std::uint64_t> received{0};
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<std::uint64_t> unmatched_topic{0};
  std::atomic<std::uint64_t> unknown_space{0};
  std::array<std::atomic<std::uint64_t>, kRejectCount> rejected{};
  std::atomic<std::uint64_t> cache_clears{0};

  CounterValues snapshot() const;
};

class Router {
 public:
  using Resolve = std::function<std::optional<std::uint32_t>(std::string_view)>;
  static constexpr std::size_t kDefaultCacheLimit = 200'000;
  static constexpr std::size_t kProblemRing = 16;

  // resolve: a space name/id as expanded -> space index, or nullopt. Called once per topic (the answer
  // is cached; when the cache reaches cache_limit entries it is cleared, and the clear counted).
  Router(std::vector<Route> routes, Resolve resolve, std::size_t max_payload,
         std::size_t cache_limit = kDefaultCacheLimit);
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  enum class Outcome : std::uint8_t { Delivered, UnmatchedTopic, UnknownSpace, Rejected };
  // Network thread only (not reentrant). A payload above max_payload is Rejected (too_large) whatever
  // its topic, before any other reason. Else the first route whose pattern matches decides: its space,
  // its decoder; a delivered reading is observed = received_at (or the payload's own time when it
  // carries one within the hour before received_at), ttl = the route's. A route with a hold stamps
  // each presence reading with the space's last motion seen here.
  Outcome handle(std::string_view topic, std::string_view payload, core::TimePoint received_at,
                 core::Inbox& inbox);

  // (filter, qos), one per distinct filter (the highest qos asked for it), in route order.
  std::vector<std::pair<std::string, int>> subscriptions() const;
  const std::vector<Route>& routes() const { return routes_; }
  const Counters& counters() const { return counters_; }
  std::size_t cache_size() const { return cache_size_.load(std::memory_order_relaxed); }
  std::size_t cache_limit() const { return cache_limit_; }

  // Last few problems, oldest first, for logs and `kiosk state`. Any thread.
  //   "campus/1/garonne/occupancy: not JSON (binding site.toml:40:1)"
  std::vector<std::string> recent_problems() const;

 private:
  struct Piece {
    std::string literal;
    int capture = -1;  // index into the pattern's captures, or -1 for literal text
  };
  struct Entry {
    std::int32_t route = -1;  // -1: no route matches this topic
    std::uint32_t space = 0;
    bool known = false;       // the expanded name resolved to a space
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  Entry classify(std::string_view topic);
  void note_problem(std::string_view topic, const Route* route, std::string_view what);  // route: may be null

  std::vector<Route> routes_;
  std::vector<std::vector<Piece>> templates_;  // one per route
  Resolve resolve_;
  std::size_t max_payload_;
  std::size_t cache_limit_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> cache_;
  std::atomic<std::size_t> cache_size_{0};
  std::vector<std::string_view> values_;  // scratch for matching
  std::string expanded_;                  // scratch for template expansion
  // Last motion per space (routes with a hold only; at most one entry per space). Carried here because
  // the Inbox keeps only the latest reading: a "vacant" superseding an "occupied" before the main
  // thread drains it must still say when the motion was.
  std::unordered_map<std::uint32_t, core::TimePoint> last_motion_;
  Counters counters_;

  mutable std::mutex problems_mutex_;
  std::array<std::string, kProblemRing> problems_;
  std::size_t problems_next_ = 0;
  std::size_t problems_count_ = 0;
};

std::string_view to_string(Router::Outcome o);  // "delivered", "unmatched_topic", ...

}  // namespace kiosk::ingest
