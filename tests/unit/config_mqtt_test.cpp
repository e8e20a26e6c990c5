// [mqtt] security keys: TLS files, credentials, protocol and session expiry. Each panel text includes
// tests/fixtures/config/base.toml on line 1; the files it names are written to a temp dir, which is
// also the base for relative paths.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "config/config.hpp"

namespace fs = std::filesystem;
using namespace kiosk::config;
using namespace std::chrono_literals;

namespace {

constexpr const char* kCert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
constexpr const char* kKey = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

class Files {
 public:
  Files() {
    char pattern[] = "/tmp/kiosk-config-mqtt-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    REQUIRE(made != nullptr);
    dir_ = made;
    write("ca.pem", kCert);
    write("panel.crt", kCert);
    write("panel.key", kKey, fs::perms::owner_read | fs::perms::owner_write);
    write("password", "s3cret\n", fs::perms::owner_read | fs::perms::owner_write);
  }
  ~Files() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void write(const std::string& name, const std::string& text,
             fs::perms perms = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                               fs::perms::others_read) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    fs::permissions(dir_ / name, perms);
  }
  const fs::path& dir() const { return dir_; }

  // Line 1 includes base.toml; `rest` starts on line 2.
  LoadResult panel(const std::string& rest) const {
    const fs::path base = fs::path(KIOSK_SOURCE_DIR) / "tests" / "fixtures" / "config" / "base.toml";
    return load_string("include = \"" + base.string() + "\"\n" + rest + "[panel]\nid = \"p\"\nkiosk = \"k\"\n",
                       "panel.toml", dir_);
  }

 private:
  fs::path dir_;
};

std::string all(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += format(d) + "\n";
  return out;
}

bool has(const LoadResult& r, const std::string& prefix, const std::string& fragment = "") {
  for (const Diagnostic& d : r.diagnostics) {
    std::string line = format(d);
    if (line.rfind(prefix, 0) == 0 && line.find(fragment) != std::string::npos) return true;
  }
  MESSAGE("not found among:\n" << all(r));
  return false;
}

}  // namespace

TEST_CASE("config mqtt: TLS, credentials and MQTT 5 session read, paths relative to the file") {
  Files files;
  LoadResult r = files.panel("[mqtt]\n"
                             "protocol = \"5\"\n"
                             "session_expiry = \"1h\"\n"
                             "username = \"panel-entrance\"\n"
                             "password_file = \"password\"\n"
                             "ca_file = \"ca.pem\"\n"
                             "cert_file = \"panel.crt\"\n"
                             "key_file = \"panel.key\"\n"
                             "[[mqtt.broker]]\nhost = \"mqtt.campus.lan\"\ntls = true\n"
                             "[[mqtt.broker]]\nhost = \"mqtt2.campus.lan\"\ntls = true\nport = 8884\n");
  INFO(all(r));
  CHECK(r.diagnostics.empty());
  REQUIRE(r.config);
  const PanelConfig& c = *r.config;
  CHECK(c.protocol == 5);
  CHECK(c.session_expiry == 3600s);
  CHECK(c.username == "panel-entrance");
  CHECK(c.password_file == files.dir() / "password");
  CHECK(c.ca_file == files.dir() / "ca.pem");
  CHECK(c.cert_file == files.dir() / "panel.crt");
  CHECK(c.key_file == files.dir() / "panel.key");
  REQUIRE(c.brokers.size() == 2);
  CHECK(c.brokers[0].tls);
  CHECK(c.brokers[0].port == 8883);  // the TLS port when none is written
  CHECK(c.brokers[1].port == 8884);
}

TEST_CASE("config mqtt: defaults are MQTT 5, no TLS, anonymous, a fresh session") {
  Files files;
  LoadResult r = files.panel("");
  INFO(all(r));
  REQUIRE(r.config);
  CHECK(r.config->protocol == 5);
  CHECK(r.config->session_expiry == 0s);
  CHECK(r.config->username.empty());
  CHECK(r.config->password_file.empty());
  REQUIRE(r.config->brokers.size() == 1);
  CHECK_FALSE(r.config->brokers[0].tls);
  CHECK(r.config->brokers[0].port == 1883);
  LoadResult v311 = files.panel("[mqtt]\nprotocol = \"3.1.1\"\n");
  INFO(all(v311));
  REQUIRE(v311.config);
  CHECK(v311.config->protocol == 311);
}

TEST_CASE("config mqtt: a password written in TOML is refused, pointing at password_file") {
  Files files;
  LoadResult r = files.panel("[mqtt]\nusername = \"u\"\npassword = \"hunter2\"\n");
  INFO(all(r));
  CHECK_FALSE(r.config);
  CHECK(has(r, "panel.toml:4:1: error: 'password' in [mqtt] is not allowed", "password_file = \"path/to/file\""));
  CHECK(all(r).find("hunter2") == std::string::npos);  // the secret is never repeated
}

TEST_CASE("config mqtt: missing, unreadable or wrong files are errors at the key, with the resolved path") {
  Files files;
  LoadResult missing = files.panel("[mqtt]\nca_file = \"nowhere/ca.pem\"\n[[mqtt.broker]]\nhost = \"h\"\ntls = true\n");
  CHECK(has(missing, "panel.toml:3:11: error: 'ca_file' in [mqtt]: " + (files.dir() / "nowhere/ca.pem").string() +
                         " does not exist; write the path of the CA certificate"));
  files.write("not-a-cert.pem", "hello\n");
  LoadResult not_pem = files.panel("[mqtt]\nca_file = \"not-a-cert.pem\"\n[[mqtt.broker]]\nhost = \"h\"\ntls = true\n");
  CHECK(has(not_pem, "panel.toml:3:11: error: 'ca_file' in [mqtt]:", "does not look like the CA certificate"));
  LoadResult folder = files.panel("[mqtt]\nca_file = \".\"\n[[mqtt.broker]]\nhost = \"h\"\ntls = true\n");
  CHECK(has(folder, "panel.toml:3:11: error: 'ca_file' in [mqtt]:", "is a folder, not a regular file"));
  // A FIFO would block a plain open() until someone writes to it: refused at once, by what it is.
  REQUIRE(::mkfifo((files.dir() / "fifo").c_str(), 0600) == 0);
  LoadResult fifo = files.panel("[mqtt]\nusername = \"u\"\npassword_file = \"fifo\"\n");
  CHECK(has(fifo, "panel.toml:4:17: error: 'password_file' in [mqtt]: " + (files.dir() / "fifo").string() +
                      " is a FIFO, not a regular file"));
  fs::create_symlink("loop-b", files.dir() / "loop-a");
  fs::create_symlink("loop-a", files.dir() / "loop-b");
  LoadResult loop = files.panel("[mqtt]\nusername = \"u\"\npassword_file = \"loop-a\"\n");
  CHECK(has(loop, "panel.toml:4:17: error: 'password_file' in [mqtt]: " + (files.dir() / "loop-a").string() +
                      " is a symlink loop"));
  if (::geteuid() != 0) {  // root reads anything
    files.write("locked.pem", kCert, fs::perms::none);
    LoadResult locked = files.panel("[mqtt]\nca_file = \"locked.pem\"\n[[mqtt.broker]]\nhost = \"h\"\ntls = true\n");
    CHECK(has(locked, "panel.toml:3:11: error: 'ca_file' in [mqtt]:", "cannot be read by the panel"));
  }
}

TEST_CASE("config mqtt: cert_file and key_file go together, and the key is not encrypted") {
  Files files;
  LoadResult cert_only = files.panel("[mqtt]\ncert_file = \"panel.crt\"\n[[mqtt.broker]]\nhost = \"h\"\ntls = true\n");
  CHECK(has(cert_only, "panel.toml:3:1: error: 'cert_file' in [mqtt] needs key_file"));
  CHECK_FALSE(cert_only.config);
  LoadResult key_only = files.panel("[mqtt]\nkey_file = \"panel.key\"\n[[mqtt.broker]]\nhost = \"h\"\ntls = true\n");
  CHECK(has(key_only, "panel.toml:3:1: error: 'key_file' in [mqtt] needs cert_file"));
  files.write("locked.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n-----END ENCRYPTED PRIVATE KEY-----\n",
              fs::perms::owner_read | fs::perms::owner_write);
  LoadResult encrypted = files.panel("[mqtt]\ncert_file = \"panel.crt\"\nkey_file = \"locked.key\"\n"
                                     "[[mqtt.broker]]\nhost = \"h\"\ntls = true\n");
  CHECK(has(encrypted, "panel.toml:4:12: error: 'key_file' in [mqtt]:", "protected by a passphrase"));
}

TEST_CASE("config mqtt: password_file rules: needs a username, not empty, readable by the panel's user only") {
  Files files;
  LoadResult no_user = files.panel("[mqtt]\npassword_file = \"password\"\n");
  CHECK(has(no_user, "panel.toml:3:17: error: 'password_file' in [mqtt] needs username"));
  files.write("empty", "\n", fs::perms::owner_read | fs::perms::owner_write);
  LoadResult empty = files.panel("[mqtt]\nusername = \"u\"\npassword_file = \"empty\"\n");
  CHECK(has(empty, "panel.toml:4:17: error: 'password_file' in [mqtt]:", "is empty"));
  const std::string open_path = (files.dir() / "open").string();
  files.write("open", "pw\n");  // 0644: like ssh with a private key, an error, not a warning
  LoadResult open = files.panel("[mqtt]\nusername = \"u\"\npassword_file = \"open\"\n"
                                "[[mqtt.broker]]\nhost = \"h\"\ntls = true\n");
  CHECK_FALSE(open.config);
  CHECK(has(open, "panel.toml:4:17: error: 'password_file' in [mqtt]: " + open_path +
                      ": permissions 0644 are too open (every user of this machine can read the password); chmod 600 " +
                      open_path));
  LoadResult clear = files.panel("[mqtt]\nusername = \"u\"\npassword_file = \"password\"\n");
  CHECK(clear.config);
  CHECK(has(clear, "panel.toml:4:1: warning: the password in 'password_file' travels in clear"));
}

TEST_CASE("config mqtt: a group-readable password_file is an error unless root owns it and the group is the panel's") {
  Files files;
  const fs::path path = files.dir() / "shared";
  files.write("shared", "pw\n", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);  // 0640
  const std::string panel = "[mqtt]\nusername = \"u\"\npassword_file = \"shared\"\n"
                            "[[mqtt.broker]]\nhost = \"h\"\ntls = true\n";
  // The group is not the panel's (a group this process is not in): refused with the fix.
  const gid_t other_group = ::getgid() == 65534 ? 65533 : 65534;
  if (::geteuid() == 0) REQUIRE(::chown(path.c_str(), 0, other_group) == 0);  // else: owned by this user, not root
  LoadResult refused = files.panel(panel);
  CHECK_FALSE(refused.config);
  CHECK(has(refused, "panel.toml:4:17: error: 'password_file' in [mqtt]: " + path.string() +
                         ": permissions 0640 are too open (every member of the file's group can read the password); "
                         "chmod 600 " + path.string(),
            "chown root:"));
  // Others may never read it, whoever owns it.
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);  // 0604
  CHECK(has(files.panel(panel), "panel.toml:4:17: error: 'password_file' in [mqtt]: " + path.string() +
                                    ": permissions 0604 are too open (every user"));
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);  // 0600
  CHECK(files.panel(panel).config);
  if (::geteuid() != 0) {
    MESSAGE("not root: cannot give the file to root, so root:<panel group> 0640 is not tried");
    return;
  }
  // root:<this process's group> 0640: the way a package shares it with the panel's group.
  REQUIRE(::chown(path.c_str(), 0, ::getgid()) == 0);
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  LoadResult shared = files.panel(panel);
  INFO(all(shared));
  CHECK(shared.config);
  CHECK(all(shared).find("too open") == std::string::npos);
}

TEST_CASE("config mqtt: ports that do not match tls, and TLS files with no TLS broker, are warnings") {
  Files files;
  LoadResult tls_1883 = files.panel("[[mqtt.broker]]\nhost = \"h\"\ntls = true\nport = 1883\n");
  CHECK(tls_1883.config);
  CHECK(has(tls_1883, "panel.toml:5:8: warning: port 1883 is MQTT without TLS, yet this broker has tls = true"));
  LoadResult plain_8883 = files.panel("[[mqtt.broker]]\nhost = \"h\"\nport = 8883\n");
  CHECK(has(plain_8883, "panel.toml:4:8: warning: port 8883 is usually MQTT over TLS: add tls = true"));
  LoadResult unused = files.panel("[mqtt]\nca_file = \"ca.pem\"\n");
  CHECK(unused.config);
  CHECK(has(unused, "panel.toml:3:1: warning: 'ca_file' in [mqtt] is used only with brokers that have tls = true"));
  LoadResult not_bool = files.panel("[[mqtt.broker]]\nhost = \"h\"\ntls = \"yes\"\n");
  CHECK(has(not_bool, "panel.toml:4:7: error: 'tls' in [[mqtt.broker]] must be true or false"));
}

TEST_CASE("config mqtt: protocol and session_expiry are checked") {
  Files files;
  LoadResult bad = files.panel("[mqtt]\nprotocol = \"4\"\n");
  CHECK(has(bad, "panel.toml:3:12: error: 'protocol' in [mqtt] must be \"5\" or \"3.1.1\""));
  LoadResult number = files.panel("[mqtt]\nprotocol = 5\n");
  CHECK(number.config);
  LoadResult number_311 = files.panel("[mqtt]\nprotocol = 3\n");
  CHECK(has(number_311, "panel.toml:3:12: error: 'protocol' in [mqtt] must be \"5\" or \"3.1.1\" (in quotes)"));
  LoadResult old = files.panel("[mqtt]\nprotocol = \"3.1.1\"\nsession_expiry = \"1h\"\n");
  CHECK(has(old, "panel.toml:4:18: error: 'session_expiry' in [mqtt] needs protocol = \"5\""));
  LoadResult zero = files.panel("[mqtt]\nsession_expiry = 0\n");
  CHECK(has(zero, "panel.toml:3:18: error: 'session_expiry' in [mqtt] must be more than 0 seconds"));
}
