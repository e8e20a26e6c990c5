// The MQTT client. [SECTIONS] library init and helpers (credentials, TLS messages), Client (network
// thread: session loop, callbacks, backoff, status), Publisher.
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
#include <mqtt_protocol.h>
#include <poll.h>
#include <sys/socket.h>

#include "core/regular_file.hpp"

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

struct PropertiesDeleter {
  void operator()(mosquitto_property* p) const { mosquitto_property_free_all(&p); }
};
using PropertiesPtr = std::unique_ptr<mosquitto_property, PropertiesDeleter>;

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// The password file holds the password alone; editors add a trailing newline, which is not part of it.
// Read at each connect (a changed password needs no reload), without blocking (core::read_regular_file).
bool read_password(const std::string& path, std::string& password, std::string& error) {
  constexpr std::size_t kMax = 4096;  // MQTT allows 65535 bytes; a longer file is not a password file
  core::FileRead file = core::read_regular_file(path, kMax + 2);  // + a line ending
  if (!file.ok() && file.status != core::FileRead::Status::TooLarge) {
    error = "cannot read the password file " + path + ": " + file.why + " — check [mqtt] password_file";
    return false;
  }
  password = std::move(file.text);
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  if (file.status == core::FileRead::Status::TooLarge || password.empty() || password.size() > kMax) {
    const bool empty = file.ok() && password.empty();
    error = "the password file " + path + (empty ? " is empty" : " is too long to be a password") +
            " — write the password alone in it ([mqtt] password_file)";
    return false;
  }
  return true;
}

// Before its CONNACK, the first byte a server sends tells an MQTT broker from anything else on that port
// (an SSH or HTTP server, another service): a broker answers CONNECT with CONNACK (0x20), or with AUTH
// (0xF0) in MQTT 5. libmosquitto cannot tell: bytes that decode as the start of a long packet leave it
// waiting for the rest, which came out as "no answer within 10000 ms". So until that first byte has
// come (plain TCP only: through TLS the bytes are records), the session waits on the socket itself, up
// to 100 ms, and peeks at what came before libmosquitto reads it. Then libmosquitto runs only to send
// (the CONNECT: a broker says nothing before it has one) or to read what was peeked (or a hang-up), so
// it never takes the first bytes unseen.
enum class FirstAnswer : std::uint8_t {
  NoSocket,  // libmosquitto has no socket: let it run as usual
  Nothing,   // nothing to read yet
  Closed,    // hung up or failed: libmosquitto's own read reports it
  Mqtt,
  NotMqtt,
};
FirstAnswer peek_first_answer(mosquitto* mosq, std::string& seen) {
  const int fd = mosquitto_socket(mosq);
  if (fd < 0) return FirstAnswer::NoSocket;
  pollfd p{fd, static_cast<short>(POLLIN | (mosquitto_want_write(mosq) ? POLLOUT : 0)), 0};
  if (::poll(&p, 1, 100) <= 0) return FirstAnswer::Nothing;
  if ((p.revents & (POLLERR | POLLHUP)) != 0 && (p.revents & POLLIN) == 0) return FirstAnswer::Closed;
  if ((p.revents & POLLIN) == 0) return FirstAnswer::Nothing;
  char bytes[40];
  const ssize_t n = ::recv(fd, bytes, sizeof bytes, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return FirstAnswer::Nothing;
  if (n <= 0) return FirstAnswer::Closed;
  const auto first = static_cast<unsigned char>(bytes[0]);
  if (first == 0x20 || first == 0xF0) return FirstAnswer::Mqtt;
  seen.clear();
  for (ssize_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    seen += (c < 0x20 || c >= 0x7F) ? '?' : static_cast<char>(c);
  }
  return FirstAnswer::NotMqtt;
}

// libmosquitto reports TLS failures only through its log: keep what says why.
std::string tls_reason(std::string_view line) {
  if (contains(line, "host name verification failed")) return "host name verification failed";
  if (line.rfind("OpenSSL Error", 0) == 0) {
    const std::size_t colon = line.rfind(':');
    if (colon != std::string_view::npos && colon + 1 < line.size()) return std::string(line.substr(colon + 1));
  }
  return {};
}

// What a staff member reads on the panel's log and health: the broker, OpenSSL's words, what to check.
std::string tls_failure(const BrokerAddress& broker, const TlsFiles& tls, const std::string& reason) {
  std::string hint;
  if (contains(reason, "host name verification")) {
    hint = "the broker's certificate does not name \"" + broker.host +
           "\": write in [[mqtt.broker]] host a name or address its certificate lists (subjectAltName)";
  } else if (contains(reason, "certificate verify failed")) {
    hint = tls.ca_file.empty()
               ? "no CA this system trusts signed the broker's certificate (or it has expired): set [mqtt] ca_file "
                 "to the CA that signed it"
               : "the broker's certificate is not signed by the CA in " + tls.ca_file +
                     " (or it has expired): check [mqtt] ca_file";
  } else if (contains(reason, "wrong version number") || contains(reason, "packet length too long") ||
             contains(reason, "record layer failure")) {
    hint = "the broker does not speak TLS on this port: check [[mqtt.broker]] port (8883 is usual for TLS) or tls";
  } else if (contains(reason, "unexpected eof")) {  // a plain listener drops the ClientHello
    hint = "the broker hung up during the handshake; it may not speak TLS on this port: check [[mqtt.broker]] "
           "port (8883 is usual for TLS) and the broker's log";
  } else if (contains(reason, "certificate required") || contains(reason, "bad certificate") ||
             contains(reason, "unknown ca") || contains(reason, "handshake failure") ||
             contains(reason, "closed the connection")) {
    hint = tls.cert_file.empty()
               ? "the broker may want a client certificate: set [mqtt] cert_file and key_file (or see its log)"
               : "the broker may have refused the certificate in " + tls.cert_file +
                     ": check [mqtt] cert_file and key_file (or see its log)";
  } else {
    hint = "check [mqtt] ca_file, cert_file and key_file";
  }
  return "TLS to " + broker.to_string() + " failed: " + (reason.empty() ? "handshake error" : reason) + " — " + hint;
}

std::string refusal_text(int rc, bool mqtt5) {
  std::string text = std::string("refused: ") + (mqtt5 ? mosquitto_reason_string(rc) : mosquitto_connack_string(rc));
  const bool credentials = mqtt5 ? (rc == MQTT_RC_BAD_USERNAME_OR_PASSWORD || rc == MQTT_RC_NOT_AUTHORIZED)
                                 : (rc == CONNACK_REFUSED_BAD_USERNAME_PASSWORD || rc == CONNACK_REFUSED_NOT_AUTHORIZED);
  if (credentials) text += " — check [mqtt] username and password_file";
  return text;
}

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
  bool prepare(mosquitto* mosq, const BrokerAddress& broker, std::string& error);
  bool start_connect(mosquitto* mosq, const BrokerAddress& broker, std::string& error);
  std::string failure(const BrokerAddress& broker, int rc, int err) const;
  void goodbye(mosquitto* mosq);
  void send_status_if_due(mosquitto* mosq);
  void send_metrics_if_due(mosquitto* mosq);
  std::chrono::milliseconds backoff(std::uint32_t failures);
  void wait(std::chrono::milliseconds delay);
  bool stopping() const { return stop_flag.load(std::memory_order_acquire); }
  void log_state(const std::string& broker, const std::string& state, const std::string& line);

  bool mqtt5() const { return options.protocol == Protocol::Mqtt5; }
  bool persistent() const { return mqtt5() && options.session_expiry.count() > 0 && !options.client_id.empty(); }

  static void on_connect(mosquitto* mosq, void* self, int rc);
  static void on_log(mosquitto* mosq, void* self, int level, const char* line);
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
  std::string tls_detail;                     // OpenSSL's reason for the current session's TLS failure
  std::unordered_set<std::string> sessions;   // brokers holding a session of ours (persistent() only)
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
  tls_detail.clear();

  // Resume only a session this Client made: the first one after a start or a reload is clean.
  const bool clean_start = !persistent() || sessions.count(label) == 0;
  MosqPtr mosq(mosquitto_new(options.client_id.empty() ? nullptr : options.client_id.c_str(), clean_start, this));
  if (!mosq) {
    error = std::string("cannot create an MQTT client: ") + std::strerror(errno);
    return false;
  }
  if (!prepare(mosq.get(), broker, error)) return false;
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
  if (!start_connect(mosq.get(), broker, error)) return false;
  const auto deadline = SteadyClock::now() + options.connect_timeout;
  bool answer_seen = broker.tls;  // see peek_first_answer
  while (!stopping()) {
    int slice_ms = 100;
    bool run_library = true;
    if (!answer_seen && !session_connected) {
      std::string seen;
      const FirstAnswer answer = peek_first_answer(mosq.get(), seen);
      if (answer == FirstAnswer::NotMqtt) {
        error = "not an MQTT broker (it answered with bytes that are not MQTT: \"" + seen +
                "\"); check the host and port of this [[mqtt.broker]]";
        break;
      }
      answer_seen = answer == FirstAnswer::Mqtt;
      if (answer != FirstAnswer::NoSocket) slice_ms = 0;  // the wait was the poll's
      // Nothing came and nothing is to be sent: libmosquitto must not read what comes next unpeeked.
      run_library = answer != FirstAnswer::Nothing || mosquitto_want_write(mosq.get());
    }
    errno = 0;
    const int rc = run_library ? mosquitto_loop(mosq.get(), slice_ms, 1) : MOSQ_ERR_SUCCESS;
    const int err = errno;
    if (rc != MOSQ_ERR_SUCCESS) {
      error = !session_error.empty() ? session_error : failure(broker, rc, saved_errno != 0 ? saved_errno : err);
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

// Protocol, credentials and TLS of one session's mosquitto instance.
bool Client::Impl::prepare(mosquitto* mosq, const BrokerAddress& broker, std::string& error) {
  mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, mqtt5() ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
  mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_log_callback_set(mosq, &Impl::on_log);
  if (!options.username.empty()) {
    std::string password;
    if (!options.password_file.empty() && !read_password(options.password_file, password, error)) return false;
    const int rc = mosquitto_username_pw_set(mosq, options.username.c_str(),
                                             options.password_file.empty() ? nullptr : password.c_str());
    std::fill(password.begin(), password.end(), '\0');  // libmosquitto keeps its own copy
    if (rc != MOSQ_ERR_SUCCESS) {
      error = "cannot use [mqtt] username: " + error_text(rc, errno);
      return false;
    }
  }
  if (!broker.tls) return true;
  const TlsFiles& tls = options.tls;
  // libmosquitto fopen()s these files: one swapped for a FIFO since `kiosk check` would block this
  // thread, and stop() with it. Refused here first, without blocking (core::read_regular_file).
  for (const auto& [key, path] : {std::pair{"ca_file", &tls.ca_file}, std::pair{"cert_file", &tls.cert_file},
                                  std::pair{"key_file", &tls.key_file}}) {
    if (path->empty()) continue;
    const core::FileRead file = core::read_regular_file(*path, 1u << 20);
    if (!file.ok()) {
      error = "TLS to " + broker.to_string() + " not started: cannot read " + *path + " ([mqtt] " + key + "): " +
              file.why;
      return false;
    }
  }
  const char* ca_file = tls.ca_file.empty() ? nullptr : tls.ca_file.c_str();
  const char* ca_path = ca_file ? nullptr : "/etc/ssl/certs";  // Debian's hashed store of trusted CAs
  int rc = mosquitto_tls_set(mosq, ca_file, ca_path, tls.cert_file.empty() ? nullptr : tls.cert_file.c_str(),
                             tls.key_file.empty() ? nullptr : tls.key_file.c_str(), nullptr);
  if (rc != MOSQ_ERR_SUCCESS) {
    error = "TLS to " + broker.to_string() + " not started: cannot read " +
            (ca_file ? tls.ca_file : std::string(ca_path)) +
            (tls.cert_file.empty() ? "" : ", " + tls.cert_file + " or " + tls.key_file) +
            " — check [mqtt] ca_file, cert_file and key_file";
    return false;
  }
  // Verify the peer and its name; the TLS version is the library's default (1.2 or newer).
  rc = mosquitto_tls_opts_set(mosq, 1, nullptr, nullptr);
  if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_tls_insecure_set(mosq, false);
  if (rc != MOSQ_ERR_SUCCESS) {
    error = "TLS to " + broker.to_string() + " not started: " + error_text(rc, errno);
    return false;
  }
  return true;
}

// MQTT 5 CONNECT properties: session expiry, and the largest packet the panel takes.
//
// libmosquitto sends CONNECT properties only through mosquitto_connect_bind_v5(), whose TCP connect
// blocks (up to minutes towards a host that drops packets, and stop() would wait that long). That
// function stores the properties before it checks its arguments, and the asynchronous connect sends
// the stored ones; so store them with a call that stops at the port check, then connect
// asynchronously. The MQTT 5 session test fails if a libmosquitto update changes this.
bool Client::Impl::start_connect(mosquitto* mosq, const BrokerAddress& broker, std::string& error) {
  if (mqtt5()) {
    mosquitto_property* list = nullptr;
    int rc = MOSQ_ERR_SUCCESS;
    if (options.session_expiry.count() > 0) {
      const auto seconds = std::min<std::int64_t>(options.session_expiry.count(), UINT32_MAX);
      rc = mosquitto_property_add_int32(&list, MQTT_PROP_SESSION_EXPIRY_INTERVAL, static_cast<std::uint32_t>(seconds));
    }
    // Payloads up to 16 times the limit still reach the Router and are counted there (too_large in the
    // metrics, so staff see a misbehaving sensor); beyond that the broker drops them, so a runaway
    // publisher cannot make a 1 GB panel allocate hundreds of MB. 64 KiB more leaves room for the topic.
    const std::uint64_t packet =
        std::min<std::uint64_t>(std::uint64_t{options.max_payload} * 16 + 65536, 268435455u);
    if (rc == MOSQ_ERR_SUCCESS)
      rc = mosquitto_property_add_int32(&list, MQTT_PROP_MAXIMUM_PACKET_SIZE, static_cast<std::uint32_t>(packet));
    PropertiesPtr properties(list);
    if (rc == MOSQ_ERR_SUCCESS)
      rc = mosquitto_connect_bind_v5(mosq, broker.host.c_str(), -1, options.keepalive_s, nullptr, properties.get());
    if (rc != MOSQ_ERR_INVAL) {  // the expected outcome of the port check; anything else is a real error
      error = "cannot prepare the MQTT 5 connection: " + error_text(rc, errno);
      return false;
    }
  }
  errno = 0;
  const int rc = mosquitto_connect_async(mosq, broker.host.c_str(), broker.port, options.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS) {
    error = failure(broker, rc, errno);
    return false;
  }
  return true;
}

std::string Client::Impl::failure(const BrokerAddress& broker, int rc, int err) const {
  if (broker.tls && (!tls_detail.empty() || rc == MOSQ_ERR_TLS || rc == MOSQ_ERR_TLS_HANDSHAKE))
    return tls_failure(broker, options.tls, tls_detail);
  // With TLS 1.3 a broker checks the client's certificate after the handshake: a refusal may come as
  // an alert (above) or as a bare hang-up before CONNACK.
  const bool hung_up = rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_PROTOCOL ||
                       (rc == MOSQ_ERR_ERRNO && (err == EPROTO || err == ECONNRESET));
  if (broker.tls && !session_connected && hung_up)
    return tls_failure(broker, options.tls, "the broker closed the connection before answering");
  std::string text = error_text(rc, err);
  // A TLS listener hangs up on a CONNECT in clear.
  if (!broker.tls && !session_connected && hung_up) {
    if (!text.empty() && text.back() == '.') text.pop_back();  // libmosquitto's "The connection was lost."
    text += " before the broker answered — if this port expects TLS, set tls = true in its [[mqtt.broker]]";
  }
  return text;
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
  // Leaving on purpose: a persistent session would only queue messages nobody collects.
  int rc = MOSQ_ERR_SUCCESS;
  if (persistent()) {
    mosquitto_property* list = nullptr;
    rc = mosquitto_property_add_int32(&list, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 0);
    PropertiesPtr properties(list);
    rc = rc == MOSQ_ERR_SUCCESS ? mosquitto_disconnect_v5(mosq, 0, properties.get()) : mosquitto_disconnect(mosq);
  } else {
    rc = mosquitto_disconnect(mosq);
  }
  if (rc == MOSQ_ERR_SUCCESS) {
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
    self->session_error = refusal_text(rc, self->mqtt5());
    return;
  }
  self->session_connected = true;
  if (self->persistent()) self->sessions.insert(self->label);
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
    if (granted[i] >= 0x80)  // 0x80 in MQTT 3.1.1; any reason code from 0x80 up in MQTT 5
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

void Client::Impl::on_log(mosquitto*, void* self_ptr, int level, const char* line) {
  auto* self = static_cast<Impl*>(self_ptr);
  if (!(level & MOSQ_LOG_ERR) || !line) return;
  try {
    std::string reason = tls_reason(line);
    // The host name check fails inside the verification: its line says more than "verify failed".
    if (!reason.empty() && (self->tls_detail.empty() || contains(reason, "host name"))) self->tls_detail = reason;
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
