// The MQTT client. [SECTIONS] library init, Client (network thread: session loop, callbacks,
// backoff, status), Publisher.
//
// Reconnection is ours, not libmosquitto's: its built-in backoff has no jitter, and a fleet of panels
// that lost the same broker would come back in lockstep. One session = one mosquitto instance:
// connect_async, mosquitto_loop() in 100 ms slices (so stop() is seen quickly), until the link
// drops; then back off and try the next broker.
#include "ingest/mqtt/client.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_set>

#include <mosquitto.h>

namespace kiosk::ingest::mqtt {
namespace {

using SteadyClock = std::chrono::steady_clock;

void ensure_library() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string error_text(int rc, int err) {
  if (rc == MOSQ_ERR_ERRNO) return err != 0 ? std::string(std::strerror(err)) : std::string("system error");
  return mosquitto_strerror(rc);
}

struct MosqDeleter {
  void operator()(mosquitto* m) const { mosquitto_destroy(m); }
};
using MosqPtr = std::unique_ptr<mosquitto, MosqDeleter>;

}  // namespace

std::string BrokerAddress::to_string() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);  // IPv6
  return host + ":" + std::to_string(port);
}

bool filter_matches(std::string_view filter, std::string_view topic) {
  const std::string f(filter);
  const std::string t(topic);
  bool result = false;
  return mosquitto_topic_matches_sub(f.c_str(), t.c_str(), &result) == MOSQ_ERR_SUCCESS && result;
}

// ---- Client --------------------------------------------------------------------------------------

struct Client::Impl {
  Impl(Options o, Router& r, core::Inbox& i, const core::Clock& c)
      : options(std::move(o)), router(r), inbox(i), clock(c), subscriptions(r.subscriptions()) {}

  void run();
  bool session(const BrokerAddress& broker, std::string& error);
  void goodbye(mosquitto* mosq);
  void send_status_if_due(mosquitto* mosq);
  void send_metrics_if_due(mosquitto* mosq);
  std::chrono::milliseconds backoff(std::uint32_t failures);
  void wait(std::chrono::milliseconds delay);
  bool stopping() const { return stop_flag.load(std::memory_order_acquire); }
  void log_state(const std::string& broker, const std::string& state, const std::string& line);

  static void on_connect(mosquitto* mosq, void* self, int rc);
  static void on_disconnect(mosquitto* mosq, void* self, int rc);
  static void on_message(mosquitto* mosq, void* self, const mosquitto_message* message);
  static void on_publish(mosquitto* mosq, void* self, int mid);
  static void on_subscribe(mosquitto* mosq, void* self, int mid, int count, const int* granted);
  void announce_up();

  const Options options;
  Router& router;
  core::Inbox& inbox;
  const core::Clock& clock;
  const std::vector<std::pair<std::string, int>> subscriptions;

  std::thread thread;
  std::mutex wait_mutex;
  std::condition_variable wake;
  std::atomic<bool> stop_flag{false};
  std::atomic<bool> is_connected{false};
  std::atomic<std::uint64_t> reconnect_count{0};

  std::mutex status_mutex;
  std::string status;
  bool has_status = false;
  bool status_due = false;
  std::string metrics;  // under status_mutex too
  bool metrics_due = false;

  // Network thread only.
  std::mt19937_64 rng{std::random_device{}()};
  std::string label;                 // "host:port" of the current session
  bool session_connected = false;
  int pending_subacks = 0;           // "connected" is announced once the broker confirmed every filter
  bool refused = false;
  std::string session_error;
  int saved_errno = 0;
  int goodbye_mid = -1;
  bool goodbye_acked = false;
  bool ever_connected = false;
  core::TimePoint since{};
  std::map<std::string, std::string> logged;  // broker -> last state logged
};

void Client::Impl::log_state(const std::string& broker, const std::string& state, const std::string& line) {
  std::string& last = logged[broker];
  if (last == state) return;  // one line per state change of each broker, not one per attempt
  last = state;
  std::fprintf(stderr, "kiosk: mqtt: %s\n", line.c_str());
}

std::chrono::milliseconds Client::Impl::backoff(std::uint32_t failures) {
  const auto lo = std::max<std::int64_t>(options.reconnect_min.count(), 0);
  const auto hi = std::max<std::int64_t>(options.reconnect_max.count(), lo);
  std::int64_t cap = lo;
  for (std::uint32_t i = 0; i < failures && cap < hi; ++i) cap = std::max<std::int64_t>(cap * 2, 1);
  cap = std::min(cap, hi);
  std::uniform_int_distribution<std::int64_t> pick(lo, cap);  // full jitter
  return std::chrono::milliseconds(pick(rng));
}

void Client::Impl::wait(std::chrono::milliseconds delay) {
  std::unique_lock lock(wait_mutex);
  wake.wait_for(lock, delay, [&] { return stopping(); });
}

void Client::Impl::run() {
  std::uint32_t failures = 0;
  std::size_t index = 0;
  since = clock.now();
  if (options.brokers.empty()) {
    inbox.post_link(core::LinkStatus{false, "", "no MQTT broker configured", since});
    log_state("", "none", "no broker configured");
    std::unique_lock lock(wait_mutex);
    wake.wait(lock, [&] { return stopping(); });
    return;
  }
  while (!stopping()) {
    const BrokerAddress& broker = options.brokers[index];
    std::string error;
    const bool was_connected = session(broker, error);
    if (was_connected) {
      is_connected.store(false, std::memory_order_release);
      since = clock.now();
      failures = 0;
    }
    if (stopping()) {
      if (was_connected) {
        inbox.post_link(core::LinkStatus{false, label, "stopped", since});
        log_state(label, "stopped", "disconnected from " + label);
      }
      break;
    }
    inbox.post_link(core::LinkStatus{false, label, error, since});
    log_state(label, "down: " + error,
              (was_connected ? "lost " : "cannot connect to ") + label + ": " + error);
    index = (index + 1) % options.brokers.size();
    wait(backoff(failures));
    if (failures < 64) ++failures;
  }
}

bool Client::Impl::session(const BrokerAddress& broker, std::string& error) {
  label = broker.to_string();
  session_connected = false;
  refused = false;
  session_error.clear();
  saved_errno = 0;
  goodbye_mid = -1;
  goodbye_acked = false;

  MosqPtr mosq(mosquitto_new(options.client_id.empty() ? nullptr : options.client_id.c_str(), true, this));
  if (!mosq) {
    error = std::string("cannot create an MQTT client: ") + std::strerror(errno);
    return false;
  }
  mosquitto_int_option(mosq.get(), MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_int_option(mosq.get(), MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_connect_callback_set(mosq.get(), &Impl::on_connect);
  mosquitto_disconnect_callback_set(mosq.get(), &Impl::on_disconnect);
  mosquitto_message_callback_set(mosq.get(), &Impl::on_message);
  mosquitto_publish_callback_set(mosq.get(), &Impl::on_publish);
  mosquitto_subscribe_callback_set(mosq.get(), &Impl::on_subscribe);
  if (!options.status_topic.empty() && !options.will_payload.empty()) {
    const int rc = mosquitto_will_set(mosq.get(), options.status_topic.c_str(),
                                      static_cast<int>(options.will_payload.size()), options.will_payload.data(), 1,
                                      true);
    if (rc != MOSQ_ERR_SUCCESS) {
      error = "cannot set the last will: " + error_text(rc, errno);
      return false;
    }
  }
  errno = 0;
  int rc = mosquitto_connect_async(mosq.get(), broker.host.c_str(), broker.port, options.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS) {
    error = error_text(rc, errno);
    return false;
  }
  const auto deadline = SteadyClock::now() + options.connect_timeout;
  while (!stopping()) {
    errno = 0;
    rc = mosquitto_loop(mosq.get(), 100, 1);
    const int err = errno;
    if (rc != MOSQ_ERR_SUCCESS) {
      error = !session_error.empty() ? session_error : error_text(rc, saved_errno != 0 ? saved_errno : err);
      break;
    }
    if (refused) {
      error = session_error;
      break;
    }
    if (!session_connected && SteadyClock::now() > deadline) {
      error = "no answer within " + std::to_string(options.connect_timeout.count()) + " ms";
      break;
    }
    if (session_connected) {
      send_status_if_due(mosq.get());
      send_metrics_if_due(mosq.get());
    }
  }
  if (stopping() && session_connected) goodbye(mosq.get());
  return session_connected;
}

void Client::Impl::send_status_if_due(mosquitto* mosq) {
  if (options.status_topic.empty()) return;
  std::string payload;
  {
    std::lock_guard lock(status_mutex);
    if (!status_due) return;
    payload = status;
    status_due = false;
  }
  const int rc = mosquitto_publish(mosq, nullptr, options.status_topic.c_str(), static_cast<int>(payload.size()),
                                   payload.data(), 1, true);
  if (rc != MOSQ_ERR_SUCCESS) {
    std::lock_guard lock(status_mutex);
    status_due = true;  // try again on the next slice (or after the reconnect)
  }
}

void Client::Impl::send_metrics_if_due(mosquitto* mosq) {
  if (options.metrics_topic.empty()) return;
  std::string payload;
  {
    std::lock_guard lock(status_mutex);
    if (!metrics_due) return;
    payload = std::move(metrics);
    metrics_due = false;
  }
  mosquitto_publish(mosq, nullptr, options.metrics_topic.c_str(), static_cast<int>(payload.size()), payload.data(), 0,
                    false);
}

// A clean DISCONNECT makes the broker drop the will, so say it ourselves first, and wait (bounded)
// for the broker to acknowledge it.
void Client::Impl::goodbye(mosquitto* mosq) {
  if (!options.status_topic.empty() && !options.will_payload.empty()) {
    int mid = 0;
    if (mosquitto_publish(mosq, &mid, options.status_topic.c_str(), static_cast<int>(options.will_payload.size()),
                          options.will_payload.data(), 1, true) == MOSQ_ERR_SUCCESS) {
      goodbye_mid = mid;
      const auto deadline = SteadyClock::now() + std::chrono::milliseconds(1500);
      while (!goodbye_acked && SteadyClock::now() < deadline) {
        if (mosquitto_loop(mosq, 50, 1) != MOSQ_ERR_SUCCESS) break;
      }
    }
  }
  if (mosquitto_disconnect(mosq) == MOSQ_ERR_SUCCESS) {
    const auto deadline = SteadyClock::now() + std::chrono::milliseconds(500);
    while (SteadyClock::now() < deadline) {
      if (mosquitto_loop(mosq, 50, 1) != MOSQ_ERR_SUCCESS) break;  // NO_CONN once the socket is closed
    }
  }
}

void Client::Impl::on_connect(mosquitto* mosq, void* self_ptr, int rc) {
  auto* self = static_cast<Impl*>(self_ptr);
  if (rc != 0) {
    self->refused = true;
    self->session_error = std::string("refused: ") + mosquitto_connack_string(rc);
    return;
  }
  self->session_connected = true;
  if (self->ever_connected) self->reconnect_count.fetch_add(1, std::memory_order_relaxed);
  self->ever_connected = true;
  self->since = self->clock.now();
  self->pending_subacks = 0;
  for (const auto& [filter, qos] : self->subscriptions) {
    const int src = mosquitto_subscribe(mosq, nullptr, filter.c_str(), qos);
    if (src == MOSQ_ERR_SUCCESS) {
      ++self->pending_subacks;
    } else {
      std::fprintf(stderr, "kiosk: mqtt: cannot subscribe to %s: %s\n", filter.c_str(), mosquitto_strerror(src));
    }
  }
  {
    std::lock_guard lock(self->status_mutex);
    self->status_due = self->has_status;  // the broker may have lost it: say it again
  }
  if (self->pending_subacks == 0) self->announce_up();
}

// Until the broker has confirmed the subscriptions, messages published meanwhile would not reach
// us: "online" on the panel means "receiving", so it waits for the last SUBACK.
void Client::Impl::on_subscribe(mosquitto*, void* self_ptr, int, int count, const int* granted) {
  auto* self = static_cast<Impl*>(self_ptr);
  for (int i = 0; i < count; ++i)
    if (granted[i] == 0x80)
      std::fprintf(stderr, "kiosk: mqtt: %s refused a subscription (check its ACLs)\n", self->label.c_str());
  if (self->pending_subacks > 0 && --self->pending_subacks == 0) self->announce_up();
}

void Client::Impl::announce_up() {
  is_connected.store(true, std::memory_order_release);
  try {
    inbox.post_link(core::LinkStatus{true, label, "", since});
    log_state(label, "up", "connected to " + label);
  } catch (...) {
  }
}

void Client::Impl::on_disconnect(mosquitto*, void* self_ptr, int) {
  auto* self = static_cast<Impl*>(self_ptr);
  self->saved_errno = errno;  // before anything else can change it
}

void Client::Impl::on_message(mosquitto*, void* self_ptr, const mosquitto_message* message) {
  auto* self = static_cast<Impl*>(self_ptr);
  if (!message || !message->topic) return;
  const std::string_view payload(static_cast<const char*>(message->payload),
                                 message->payload ? static_cast<std::size_t>(message->payloadlen) : 0);
  try {
    self->router.handle(message->topic, payload, self->clock.now(), self->inbox);
  } catch (...) {  // never unwind through C code
  }
}

void Client::Impl::on_publish(mosquitto*, void* self_ptr, int mid) {
  auto* self = static_cast<Impl*>(self_ptr);
  if (mid == self->goodbye_mid) self->goodbye_acked = true;
}

Client::Client(Options options, Router& router, core::Inbox& inbox, const core::Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), router, inbox, clock)) {}

Client::~Client() { stop(); }

void Client::start() {
  if (impl_->thread.joinable()) return;
  ensure_library();
  impl_->stop_flag.store(false, std::memory_order_release);
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

void Client::stop() {
  {
    std::lock_guard lock(impl_->wait_mutex);
    impl_->stop_flag.store(true, std::memory_order_release);
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->is_connected.store(false, std::memory_order_release);
}

void Client::publish_status(std::string json) {
  std::lock_guard lock(impl_->status_mutex);
  impl_->status = std::move(json);
  impl_->has_status = true;
  impl_->status_due = true;
}

void Client::publish_metrics(std::string json) {
  std::lock_guard lock(impl_->status_mutex);
  impl_->metrics = std::move(json);
  impl_->metrics_due = true;
}

bool Client::connected() const { return impl_->is_connected.load(std::memory_order_acquire); }
std::uint64_t Client::reconnects() const { return impl_->reconnect_count.load(std::memory_order_relaxed); }

// ---- Publisher -----------------------------------------------------------------------------------

struct Publisher::Impl {
  BrokerAddress broker;
  std::string client_id;
  MosqPtr mosq;
  bool connected = false;
  bool refused = false;
  std::string refusal;
  std::unordered_set<int> unacked;  // mids of qos > 0 messages not yet acknowledged
  MessageHandler handler;

  static void on_connect(mosquitto*, void* self_ptr, int rc) {
    auto* self = static_cast<Impl*>(self_ptr);
    if (rc == 0) {
      self->connected = true;
    } else {
      self->refused = true;
      self->refusal = std::string("refused: ") + mosquitto_connack_string(rc);
    }
  }
  static void on_disconnect(mosquitto*, void* self_ptr, int) { static_cast<Impl*>(self_ptr)->connected = false; }
  static void on_publish(mosquitto*, void* self_ptr, int mid) { static_cast<Impl*>(self_ptr)->unacked.erase(mid); }
  static void on_message(mosquitto*, void* self_ptr, const mosquitto_message* m) {
    auto* self = static_cast<Impl*>(self_ptr);
    if (!self->handler || !m || !m->topic) return;
    try {
      self->handler(m->topic,
                    std::string_view(static_cast<const char*>(m->payload), m->payload ? m->payloadlen : 0),
                    m->retain);
    } catch (...) {
    }
  }
};

Publisher::Publisher(BrokerAddress broker, std::string client_id) : impl_(std::make_unique<Impl>()) {
  ensure_library();
  impl_->broker = std::move(broker);
  impl_->client_id = std::move(client_id);
}

Publisher::~Publisher() {
  if (impl_->mosq && impl_->connected) {
    mosquitto_disconnect(impl_->mosq.get());
    mosquitto_loop(impl_->mosq.get(), 10, 1);
  }
}

bool Publisher::connect(std::chrono::milliseconds timeout, std::string* error) {
  auto fail = [&](std::string message) {
    if (error) *error = std::move(message);
    return false;
  };
  impl_->mosq.reset(mosquitto_new(impl_->client_id.empty() ? nullptr : impl_->client_id.c_str(), true, impl_.get()));
  impl_->connected = impl_->refused = false;
  impl_->unacked.clear();
  if (!impl_->mosq) return fail("cannot create an MQTT client");
  mosquitto* mosq = impl_->mosq.get();
  mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_connect_callback_set(mosq, &Impl::on_connect);
  mosquitto_disconnect_callback_set(mosq, &Impl::on_disconnect);
  mosquitto_publish_callback_set(mosq, &Impl::on_publish);
  mosquitto_message_callback_set(mosq, &Impl::on_message);
  errno = 0;
  int rc = mosquitto_connect_async(mosq, impl_->broker.host.c_str(), impl_->broker.port, 30);
  if (rc != MOSQ_ERR_SUCCESS) return fail(impl_->broker.to_string() + ": " + error_text(rc, errno));
  const auto deadline = SteadyClock::now() + timeout;
  while (!impl_->connected) {
    if (impl_->refused) return fail(impl_->broker.to_string() + ": " + impl_->refusal);
    if (SteadyClock::now() >= deadline) return fail(impl_->broker.to_string() + ": timed out");
    errno = 0;
    rc = mosquitto_loop(mosq, 20, 1);
    if (rc != MOSQ_ERR_SUCCESS) {
      return fail(impl_->broker.to_string() + ": " + (impl_->refused ? impl_->refusal : error_text(rc, errno)));
    }
  }
  return true;
}

bool Publisher::publish(std::string_view topic, std::string_view payload, int qos, bool retain) {
  if (!impl_->mosq || !impl_->connected) return false;
  // Message ids are 16 bits: past 65,535 unacknowledged messages libmosquitto would reuse ids and
  // messages would vanish. Keep the window small; the network loop drains acknowledgements.
  constexpr std::size_t kMaxInFlight = 1000;
  const auto give_up = SteadyClock::now() + std::chrono::seconds(10);
  while (qos > 0 && impl_->unacked.size() >= kMaxInFlight && impl_->connected) {
    if (SteadyClock::now() > give_up) return false;
    mosquitto_loop(impl_->mosq.get(), 10, 1);
  }
  const std::string t(topic);
  int mid = 0;
  const int rc = mosquitto_publish(impl_->mosq.get(), &mid, t.c_str(), static_cast<int>(payload.size()),
                                   payload.data(), qos, retain);
  if (rc != MOSQ_ERR_SUCCESS) return false;
  if (qos > 0) impl_->unacked.insert(mid);
  return true;
}

void Publisher::loop(std::chrono::milliseconds duration) {
  if (!impl_->mosq) return;
  const auto deadline = SteadyClock::now() + duration;
  do {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    const int slice = static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, 100));
    if (mosquitto_loop(impl_->mosq.get(), slice, 1) != MOSQ_ERR_SUCCESS) return;
  } while (SteadyClock::now() < deadline);
}

bool Publisher::flush(std::chrono::milliseconds timeout) {
  if (!impl_->mosq) return false;
  const auto deadline = SteadyClock::now() + timeout;
  while (!impl_->unacked.empty() || mosquitto_want_write(impl_->mosq.get())) {
    if (SteadyClock::now() >= deadline) return false;
    if (mosquitto_loop(impl_->mosq.get(), 10, 1) != MOSQ_ERR_SUCCESS) return false;
  }
  return true;
}

bool Publisher::connected() const { return impl_->connected; }

void Publisher::on_message(MessageHandler handler) { impl_->handler = std::move(handler); }

bool Publisher::subscribe(std::string_view filter, int qos) {
  if (!impl_->mosq || !impl_->connected) return false;
  const std::string f(filter);
  return mosquitto_subscribe(impl_->mosq.get(), nullptr, f.c_str(), qos) == MOSQ_ERR_SUCCESS;
}

}  // namespace kiosk::ingest::mqtt
