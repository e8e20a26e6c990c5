#include "ingest/router.hpp"

#include <algorithm>

namespace kiosk::ingest {
namespace {

constexpr std::chrono::hours kMaxObservedAge{1};

// Counters have a single writer (the network thread): a relaxed load + store avoids a locked
// read-modify-write on the hot path and readers still see whole values.
void bump(std::atomic<std::uint64_t>& c) { c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); }

// For messages: control characters become '?', long text is cut at a character boundary.
std::string printable(std::string_view text, std::size_t max_bytes) {
  std::string out;
  std::size_t n = std::min(text.size(), max_bytes);
  if (n < text.size()) {
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // UTF-8 boundary
  }
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7F) ? '?' : static_cast<char>(c);
  }
  if (n < text.size()) out += "...";
  return out;
}

std::string joined(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& segment : path) {
    if (!out.empty()) out += '.';
    out += segment;
  }
  return out;
}

}  // namespace

std::uint64_t CounterValues::rejected_total() const {
  std::uint64_t total = 0;
  for (std::uint64_t v : rejected) total += v;
  return total;
}

CounterValues Counters::snapshot() const {
  CounterValues v;
  v.received = received.load(std::memory_order_relaxed);
  v.delivered = delivered.load(std::memory_order_relaxed);
  v.unmatched_topic = unmatched_topic.load(std::memory_order_relaxed);
  v.unknown_space = unknown_space.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < kRejectCount; ++i) v.rejected[i] = rejected[i].load(std::memory_order_relaxed);
  v.cache_clears = cache_clears.load(std::memory_order_relaxed);
  return v;
}

std::string_view to_string(Router::Outcome o) {
  switch (o) {
    case Router::Outcome::Delivered: return "delivered";
    case Router::Outcome::UnmatchedTopic: return "unmatched_topic";
    case Router::Outcome::UnknownSpace: return "unknown_space";
    case Router::Outcome::Rejected: return "rejected";
  }
  return "unknown";
}

namespace {

// "salle-{room}" -> ["salle-", {room}]. A name that is not a capture of the pattern stays literal
// text (check_space_template reports it).
template <typename Sink>
void scan_template(const Route& route, Sink&& sink) {
  const std::string_view t = route.space_template;
  std::size_t pos = 0;
  while (pos < t.size()) {
    const std::size_t open = t.find('{', pos);
    const std::size_t close = open == std::string_view::npos ? open : t.find('}', open);
    if (close == std::string_view::npos) {
      sink(t.substr(pos), -1, std::string_view{});
      return;
    }
    if (open > pos) sink(t.substr(pos, open - pos), -1, std::string_view{});
    const std::string_view name = t.substr(open + 1, close - open - 1);
    const int capture = route.pattern.capture_index(name);
    sink(t.substr(open, close - open + 1), capture, name);
    pos = close + 1;
  }
}

}  // namespace

std::string check_space_template(const Route& route) {
  if (route.space_template.empty()) return "the space template is empty";
  std::string problem;
  scan_template(route, [&](std::string_view text, int capture, std::string_view name) {
    if (problem.empty() && capture < 0 && !name.empty()) {
      problem = "the space template names {" + std::string(name) + "}, which the topic pattern \"" +
                route.pattern.pattern() + "\" does not capture";
    }
    (void)text;
  });
  return problem;
}

Router::Router(std::vector<Route> routes, Resolve resolve, std::size_t max_payload, std::size_t cache_limit)
    : routes_(std::move(routes)),
      resolve_(std::move(resolve)),
      max_payload_(max_payload),
      cache_limit_(std::max<std::size_t>(cache_limit, 1)) {
  templates_.reserve(routes_.size());
  for (const Route& route : routes_) {
    std::vector<Piece> pieces;
    scan_template(route, [&](std::string_view text, int capture, std::string_view) {
      if (capture >= 0) {
        pieces.push_back(Piece{{}, capture});
      } else if (!pieces.empty() && pieces.back().capture < 0) {
        pieces.back().literal += text;
      } else {
        pieces.push_back(Piece{std::string(text), -1});
      }
    });
    templates_.push_back(std::move(pieces));
  }
  cache_.reserve(std::min<std::size_t>(cache_limit_, 4096));
}

Router::Entry Router::classify(std::string_view topic) {
  Entry entry;
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    if (!routes_[r].pattern.match(topic, values_)) continue;
    entry.route = static_cast<std::int32_t>(r);
    expanded_.clear();
    for (const Piece& piece : templates_[r]) {
      if (piece.capture >= 0) expanded_ += values_[static_cast<std::size_t>(piece.capture)];
      else expanded_ += piece.literal;
    }
    const auto mapped = routes_[r].space_map.find(expanded_);
    const std::string_view name = mapped != routes_[r].space_map.end() ? std::string_view(mapped->second)
                                                                       : std::string_view(expanded_);
    std::optional<std::uint32_t> space;
    if (!name.empty() && resolve_) space = resolve_(name);
    if (space) {
      entry.known = true;
      entry.space = *space;
    } else {
      note_problem(topic, &routes_[r], "unknown space \"" + printable(name, 80) + "\"");
    }
    return entry;
  }
  return entry;
}

Router::Outcome Router::handle(std::string_view topic, std::string_view payload, core::TimePoint received_at,
                               core::Inbox& inbox) {
  bump(counters_.received);
  // Size before any other reason: a 1 MB payload is too large whatever its topic, and counting it as
  // unmatched_topic or unknown_space would hide a flood of oversized messages behind a binding typo. Its
  // topic is neither resolved nor cached (such a flood must not churn the cache); the message names
  // the binding whose pattern matches, if one does.
  if (payload.size() > max_payload_) {
    bump(counters_.rejected[static_cast<std::size_t>(Reject::TooLarge)]);
    const Route* route = nullptr;
    if (const auto it = cache_.find(topic); it != cache_.end()) {
      if (it->second.route >= 0) route = &routes_[static_cast<std::size_t>(it->second.route)];
    } else {
      for (const Route& r : routes_)
        if (r.pattern.match(topic, values_)) {
          route = &r;
          break;
        }
    }
    note_problem(topic, route, std::string(describe(Reject::TooLarge)) + " (" + std::to_string(payload.size()) +
                                   " bytes, limit " + std::to_string(max_payload_) + ")");
    return Outcome::Rejected;
  }
  Entry entry;
  if (const auto it = cache_.find(topic); it != cache_.end()) {
    entry = it->second;
  } else {
    entry = classify(topic);
    if (cache_.size() >= cache_limit_) {
      cache_.clear();
      bump(counters_.cache_clears);
    }
    cache_.emplace(std::string(topic), entry);
    cache_size_.store(cache_.size(), std::memory_order_relaxed);
  }
  if (entry.route < 0) {
    bump(counters_.unmatched_topic);
    return Outcome::UnmatchedTopic;
  }
  if (!entry.known) {
    bump(counters_.unknown_space);
    return Outcome::UnknownSpace;
  }
  const Route& route = routes_[static_cast<std::size_t>(entry.route)];
  const DecodeResult result = decode(route.decoder, payload, max_payload_);
  if (!result.value) {
    bump(counters_.rejected[static_cast<std::size_t>(result.reason)]);
    std::string what(describe(result.reason));
    switch (result.reason) {
      case Reject::MissingField: what += " \"" + printable(joined(route.decoder.path), 80) + "\""; break;
      case Reject::UnknownWord:
      case Reject::WrongType:
      case Reject::OutOfRange: what += ": " + printable(payload, 40); break;
      default: break;
    }
    note_problem(topic, &route, what);
    return Outcome::Rejected;
  }
  const Decoded& d = *result.value;
  core::Reading reading;
  reading.kind = d.kind == ValueKind::Count ? core::Reading::Kind::Count : core::Reading::Kind::Presence;
  reading.occupied = d.occupied;
  reading.count = d.count;
  reading.observed = received_at;
  if (d.observed_unix_ms) {
    // The payload's own time, trusted only within [received_at - 1 h, received_at] (clock skew).
    const core::TimePoint own = core::from_unix_ms(*d.observed_unix_ms);
    if (own <= received_at && own >= received_at - kMaxObservedAge) reading.observed = own;
  }
  reading.ttl = route.ttl;
  if (route.hold.count() > 0 && reading.kind == core::Reading::Kind::Presence) {
    reading.hold = route.hold;
    if (reading.occupied) {
      auto [it, added] = last_motion_.try_emplace(entry.space, reading.observed);
      if (!added && it->second < reading.observed) it->second = reading.observed;
    }
    if (const auto it = last_motion_.find(entry.space); it != last_motion_.end()) reading.last_motion = it->second;
  }
  // Counted first: whoever sees the reading in the inbox also sees it counted.
  bump(counters_.delivered);
  inbox.post(entry.space, reading);
  return Outcome::Delivered;
}

std::vector<std::pair<std::string, int>> Router::subscriptions() const {
  std::vector<std::pair<std::string, int>> out;
  for (const Route& route : routes_) {
    if (route.pattern.filter().empty()) continue;  // a default-constructed pattern matches nothing
    const int qos = std::clamp(route.qos, 0, 2);
    const auto it = std::find_if(out.begin(), out.end(),
                                 [&](const auto& s) { return s.first == route.pattern.filter(); });
    if (it == out.end()) out.emplace_back(route.pattern.filter(), qos);
    else it->second = std::max(it->second, qos);
  }
  return out;
}

void Router::note_problem(std::string_view topic, const Route* route, std::string_view what) {
  std::string line = printable(topic, 200);
  line += ": ";
  line += what;
  if (route && !route->origin.empty()) {
    line += " (binding ";
    line += route->origin;
    line += ')';
  }
  std::lock_guard lock(problems_mutex_);
  problems_[problems_next_] = std::move(line);
  problems_next_ = (problems_next_ + 1) % kProblemRing;
  problems_count_ = std::min(problems_count_ + 1, kProblemRing);
}

std::vector<std::string> Router::recent_problems() const {
  std::lock_guard lock(problems_mutex_);
  std::vector<std::string> out;
  out.reserve(problems_count_);
  const std::size_t first = (problems_next_ + kProblemRing - problems_count_) % kProblemRing;
  for (std::size_t i = 0; i < problems_count_; ++i) out.push_back(problems_[(first + i) % kProblemRing]);
  return out;
}

}  // namespace kiosk::ingest
