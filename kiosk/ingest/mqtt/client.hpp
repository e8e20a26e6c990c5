// The MQTT link: libmosquitto on a thread of its own. Messages go router -> Inbox; link changes go
// to the Inbox too (post_link). Reconnects with capped exponential backoff and full jitter, over a
// list of brokers tried in order; TLS, username/password and MQTT 5 session expiry are optional.
// No mosquitto type appears here (pimpl).
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/inbox.hpp"
#include "ingest/router.hpp"

namespace kiosk::ingest::mqtt {

struct BrokerAddress {
  std::string host;
  int port = 1883;
  bool tls = false;               // verified TLS with Options::tls
  std::string to_string() const;  // "host:port"
};

enum class Protocol { Mqtt311, Mqtt5 };

// Used for every broker with tls = true. The broker's certificate must be signed by the CA and name
// the host connected to (host name verification is always on).
struct TlsFiles {
  std::string ca_file;    // PEM; empty = the CAs this system trusts (/etc/ssl/certs)
  std::string cert_file;  // client certificate (PEM) for brokers that require one; empty = none
  std::string key_file;   // its private key, unencrypted PEM (nobody is there to type a passphrase)
};

struct Options {
  std::vector<BrokerAddress> brokers;  // tried in order; on failure move to the next
  std::string client_id;               // empty: the library makes one up
  int keepalive_s = 30;
  // Wait before attempt n (n = failures in a row): random in [min, min(max, min * 2^n)].
  std::chrono::milliseconds reconnect_min{1000};
  std::chrono::milliseconds reconnect_max{30000};
  std::chrono::milliseconds connect_timeout{10000};  // TCP + CONNACK
  std::string status_topic;   // retained health topic; empty = no health
  std::string will_payload;   // last will on status_topic (retained, qos 1), e.g. {"online":false}
  std::string metrics_topic;  // periodic counters (qos 0, not retained); empty = none
  // The Router given to the Client enforces its own limit (payloads above it are counted TooLarge);
  // keep the two equal. MQTT 3.1.1 has no way to ask the broker to drop larger messages.
  // With MQTT 5 the broker is also told the largest packet the panel takes (16 x max_payload): far
  // larger messages are dropped there, before they cross the network.
  std::size_t max_payload = 65536;
  Protocol protocol = Protocol::Mqtt5;
  // MQTT 5 only; 0 = a fresh session each time. Above 0, after a broken link the panel resumes its
  // session on the same broker, and QoS 1/2 messages the broker queued meanwhile arrive then. The
  // first connection of each Client starts clean (bindings may have changed); stop() ends the session.
  std::chrono::seconds session_expiry{0};
  std::string username;       // empty = anonymous
  std::string password_file;  // read at each connection attempt (a rotated password is picked up); never logged
  TlsFiles tls;
};

// libmosquitto's own verdict (mosquitto_topic_matches_sub): does `topic` match subscription `filter`?
// The reference the Router's TopicPattern is tested against.
bool filter_matches(std::string_view filter, std::string_view topic);

class Client {
 public:
  Client(Options options, Router& router, core::Inbox& inbox, const core::Clock& clock);
  ~Client();  // stop()
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void start();  // spawns the network thread; returns at once
  // Publishes will_payload retained on status_topic (a clean disconnect discards the will), sends
  // DISCONNECT, joins the thread. Bounded: at most ~2 s when the broker does not answer.
  void stop();
  // Any thread. Latest wins; sent retained (qos 1) when connected and again after every reconnect.
  void publish_status(std::string json);
  // Any thread. Latest wins; sent once (qos 0, not retained) when connected: a lost sample is fine.
  void publish_metrics(std::string json);

  bool connected() const;
  std::uint64_t reconnects() const;  // successful connections after the first one

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// For `kiosk simulate` and tests: a plain client driven by the caller's thread.
class Publisher {
 public:
  using MessageHandler = std::function<void(std::string_view topic, std::string_view payload, bool retained)>;

  Publisher(BrokerAddress broker, std::string client_id);
  ~Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  bool connect(std::chrono::milliseconds timeout, std::string* error);  // synchronous
  bool publish(std::string_view topic, std::string_view payload, int qos, bool retain);
  void loop(std::chrono::milliseconds duration);                        // network I/O for a while
  bool flush(std::chrono::milliseconds timeout);  // until every qos>0 message is acknowledged
  bool connected() const;

  // Receiving, for tests and tools that watch a topic: the handler runs inside loop()/flush().
  void on_message(MessageHandler handler);
  bool subscribe(std::string_view filter, int qos);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::ingest::mqtt
