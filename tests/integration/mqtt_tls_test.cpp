// TLS and credentials against a real mosquitto: the test makes its own CA and certificates with the
// openssl command, and the broker gets a TLS listener next to its plain one (the test's publisher
// uses the plain one). Everything stays on 127.0.0.1; every wait is bounded.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "integration_helpers.hpp"

using namespace kiosk;
using namespace kiosk::integration;

namespace {

// A CA, a server certificate for 127.0.0.1/localhost, one for another name, a client certificate, and
// a second CA that signed none of them. Made once per test program (EC keys: fast).
class Pki {
 public:
  Pki() {
    const fs::path d = dir_.path();
    ::chmod(d.c_str(), 0755);  // mosquitto drops to its own user when started as root
    const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string script =
        "set -e; cd '" + d.string() + "'; exec 2>openssl.log\n"
        "openssl req -x509 " + key + " -keyout ca.key -out ca.pem -days 2 -subj /CN=kiosk-test-ca\n"
        "openssl req -x509 " + key + " -keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=kiosk-other-ca\n"
        "sign() { openssl req " + key + " -keyout $1.key -out $1.csr -subj /CN=$2\n"
        "  printf '%s\\n' \"$3\" > $1.ext\n"
        "  openssl x509 -req -in $1.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out $1.pem "
        "-extfile $1.ext; }\n"
        "sign server localhost 'subjectAltName=IP:127.0.0.1,DNS:localhost'\n"
        "sign elsewhere elsewhere.example 'subjectAltName=DNS:elsewhere.example'\n"
        "sign client kiosk-entrance 'extendedKeyUsage=clientAuth'\n"
        "chmod 644 *.key *.pem\n";
    ok_ = std::system(script.c_str()) == 0;
  }
  bool ok() const { return ok_; }
  std::string operator/(const std::string& name) const { return (dir_.path() / name).string(); }
  std::string log() const { return read_file(dir_.path() / "openssl.log"); }

 private:
  TempDir dir_;
  bool ok_ = false;
};

const Pki& pki() {
  static const Pki made;
  INFO(made.log());
  REQUIRE(made.ok());
  return made;
}

// A TLS listener on its own port; `more` goes under it (require_certificate, password_file, ...).
std::string tls_listener(int port, const std::string& server = "server", const std::string& more = "") {
  return "listener " + std::to_string(port) + " 127.0.0.1\n"
         "cafile " + pki() / "ca.pem" + "\n"
         "certfile " + pki() / (server + ".pem") + "\n"
         "keyfile " + pki() / (server + ".key") + "\n" + more;
}

// The sample entrance panel, with `mqtt` lines in [mqtt] and one [[mqtt.broker]].
fs::path write_panel(const TempDir& dir, const std::string& mqtt, int port, bool tls = true) {
  const fs::path file = dir / "entrance.toml";
  write_file(file, "include = \"" + kSource + "/config/panels/entrance.toml\"\n"
                   "[panel]\n"
                   "snapshot = \"" + (dir / "entrance.db").string() + "\"\n"
                   "[mqtt]\n"
                   "reconnect_min = \"1s\"\n"
                   "reconnect_max = \"2s\"\n" + mqtt +
                   "[[mqtt.broker]]\n"
                   "host = \"127.0.0.1\"\n"
                   "port = " + std::to_string(port) + "\n" +
                   (tls ? "tls = true\n" : ""));
  return file;
}

// Starts a panel on `file`, publishes a retained reading on the plain listener first, and says
// whether the panel receives it over its own link within `wait` (refusals show at once: 3 s is plenty).
struct Outcome {
  bool received = false;
  core::LinkStatus link;
  bool link_known = false;
};
Outcome try_panel(const fs::path& file, int plain_port, std::chrono::milliseconds wait = 10s) {
  auto publisher = connect_publisher(plain_port, "test-tls-pub");
  send(*publisher, "campus/rdc/Salle Garonne/occupancy", "occupied", true);
  core::SystemClock clock;
  app::Panel panel(load_usable(file), clock);
  Pumper pumper;
  panel.start_network(pumper.wake());
  Outcome outcome;
  outcome.received = pumper.until(
      panel,
      [&] {
        const auto& r = reading_of(panel, "Salle Garonne");
        return r && r->occupied;
      },
      wait);
  // A refused link reports itself at once; wait (bounded) for the first report either way.
  pumper.until(panel, [&] { return panel.state().link_known; }, 5s);
  outcome.link = panel.state().link;
  outcome.link_known = panel.state().link_known;
  panel.stop();
  return outcome;
}

}  // namespace

TEST_CASE("mqtt tls: verified TLS to 127.0.0.1 with the test CA: connected, retained message received") {
  const int tls_port = testing::free_local_port();
  testing::Broker broker(tls_listener(tls_port), true);
  REQUIRE(broker.running());
  TempDir dir;
  Outcome o = try_panel(write_panel(dir, "ca_file = \"" + pki() / "ca.pem" + "\"\n", tls_port), broker.port());
  INFO(o.link.error);
  CHECK(o.received);
  CHECK(o.link.connected);
  CHECK(o.link.broker == "127.0.0.1:" + std::to_string(tls_port));
}

TEST_CASE("mqtt tls: a CA that did not sign the broker's certificate is refused with a clear message") {
  const int tls_port = testing::free_local_port();
  testing::Broker broker(tls_listener(tls_port), true);
  REQUIRE(broker.running());
  TempDir dir;
  Outcome o = try_panel(write_panel(dir, "ca_file = \"" + pki() / "other-ca.pem" + "\"\n", tls_port), broker.port(), 3s);
  CHECK_FALSE(o.received);
  REQUIRE(o.link_known);
  CHECK_FALSE(o.link.connected);
  CHECK(o.link.error == "TLS to 127.0.0.1:" + std::to_string(tls_port) +
                            " failed: certificate verify failed — the broker's certificate is not signed by the CA "
                            "in " + pki() / "other-ca.pem" + " (or it has expired): check [mqtt] ca_file");
}

TEST_CASE("mqtt tls: a certificate made out for another host name is refused (host verification is on)") {
  const int tls_port = testing::free_local_port();
  testing::Broker broker(tls_listener(tls_port, "elsewhere"), true);
  REQUIRE(broker.running());
  TempDir dir;
  Outcome o = try_panel(write_panel(dir, "ca_file = \"" + pki() / "ca.pem" + "\"\n", tls_port), broker.port(), 3s);
  CHECK_FALSE(o.received);
  REQUIRE(o.link_known);
  CHECK_FALSE(o.link.connected);
  CHECK(o.link.error == "TLS to 127.0.0.1:" + std::to_string(tls_port) +
                            " failed: host name verification failed — the broker's certificate does not name "
                            "\"127.0.0.1\": write in [[mqtt.broker]] host a name or address its certificate lists "
                            "(subjectAltName)");
}

TEST_CASE("mqtt tls: a broker that requires a client certificate takes the panel's and refuses none") {
  const int tls_port = testing::free_local_port();
  testing::Broker broker(tls_listener(tls_port, "server", "require_certificate true\n"), true);
  REQUIRE(broker.running());
  {
    TempDir dir;
    Outcome o = try_panel(write_panel(dir,
                                      "ca_file = \"" + pki() / "ca.pem" + "\"\n"
                                      "cert_file = \"" + pki() / "client.pem" + "\"\n"
                                      "key_file = \"" + pki() / "client.key" + "\"\n",
                                      tls_port),
                          broker.port());
    INFO(o.link.error);
    CHECK(o.received);
  }
  {
    TempDir dir;
    Outcome o = try_panel(write_panel(dir, "ca_file = \"" + pki() / "ca.pem" + "\"\n", tls_port), broker.port(), 3s);
    CHECK_FALSE(o.received);
    REQUIRE(o.link_known);
    CHECK_FALSE(o.link.connected);
    INFO(o.link.error);
    CHECK(o.link.error.rfind("TLS to 127.0.0.1:" + std::to_string(tls_port) + " failed: ", 0) == 0);
    CHECK(o.link.error.find("set [mqtt] cert_file and key_file") != std::string::npos);
  }
}

TEST_CASE("mqtt tls: a plain panel on a TLS port, and a TLS panel on a plain port, say what to check") {
  const int tls_port = testing::free_local_port();
  testing::Broker broker(tls_listener(tls_port), true);
  REQUIRE(broker.running());
  {
    TempDir dir;
    Outcome o = try_panel(write_panel(dir, "", tls_port, false), broker.port(), 3s);
    CHECK_FALSE(o.received);
    INFO(o.link.error);
    CHECK(o.link.error.find("set tls = true in its [[mqtt.broker]]") != std::string::npos);
  }
  {
    TempDir dir;
    Outcome o = try_panel(write_panel(dir, "ca_file = \"" + pki() / "ca.pem" + "\"\n", broker.port()), broker.port(), 3s);
    CHECK_FALSE(o.received);
    INFO(o.link.error);
    CHECK(o.link.error.rfind("TLS to 127.0.0.1:" + std::to_string(broker.port()) + " failed: ", 0) == 0);
    CHECK(o.link.error.find("it may not speak TLS on this port") != std::string::npos);
  }
}

TEST_CASE("mqtt tls: username and password_file over TLS: accepted, and a wrong password is refused clearly") {
  TempDir secrets;
  ::chmod(secrets.path().c_str(), 0755);
  const fs::path passwd = secrets / "mosquitto.passwd";
  REQUIRE(std::system(("mosquitto_passwd -b -c '" + passwd.string() + "' entrance 'c0rrect horse' 2>/dev/null").c_str()) == 0);
  ::chmod(passwd.c_str(), 0644);
  const int tls_port = testing::free_local_port();
  // Anonymous on the plain listener (the test's publisher), a password on the TLS one.
  testing::Broker broker(tls_listener(tls_port, "server", "allow_anonymous false\npassword_file " + passwd.string() + "\n"),
                         true, "per_listener_settings true\n");
  REQUIRE(broker.running());
  const std::string mqtt = "ca_file = \"" + pki() / "ca.pem" + "\"\nusername = \"entrance\"\npassword_file = \"password\"\n";
  {
    TempDir dir;
    write_file(dir / "password", "c0rrect horse\n");  // the trailing newline is not part of it
    ::chmod((dir / "password").c_str(), 0600);
    Outcome o = try_panel(write_panel(dir, mqtt, tls_port), broker.port());
    INFO(o.link.error);
    CHECK(o.received);
  }
  {
    TempDir dir;
    write_file(dir / "password", "wrong\n");
    ::chmod((dir / "password").c_str(), 0600);
    Outcome o = try_panel(write_panel(dir, mqtt, tls_port), broker.port(), 3s);
    CHECK_FALSE(o.received);
    REQUIRE(o.link_known);
    INFO(o.link.error);
    CHECK(o.link.error.rfind("refused: ", 0) == 0);
    CHECK(o.link.error.find("check [mqtt] username and password_file") != std::string::npos);
    CHECK(o.link.error.find("wrong") == std::string::npos);  // never the password itself
  }
}
