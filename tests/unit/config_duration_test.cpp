// parse_duration and the diagnostic format.
#include <doctest/doctest.h>

#include "config/config.hpp"

using namespace kiosk::config;
using namespace std::chrono_literals;

TEST_CASE("parse_duration accepts seconds, units and sums of them") {
  CHECK(parse_duration("90s") == 90s);
  CHECK(parse_duration("10m") == 10min);
  CHECK(parse_duration("2h") == 2h);
  CHECK(parse_duration("1d") == 24h);
  CHECK(parse_duration("45") == 45s);
  CHECK(parse_duration("0") == 0s);  // parses; the validator refuses 0 where it must be > 0
  CHECK(parse_duration("1h30m") == 90min);
  CHECK(parse_duration("1d2h3m4s") == 93784s);
}

TEST_CASE("parse_duration refuses anything else") {
  for (const char* bad : {"", "s", "10 m", " 10m", "10m ", "-5", "+5", "1.5h", "10x", "10M", "1h30", "m10", "10ms",
                          "99999999999999999999", "9999999999999999999d"})
    CHECK_MESSAGE(!parse_duration(bad), "'", bad, "'");
}

TEST_CASE("format writes file:line:col: severity: message") {
  CHECK(format({Diagnostic::Severity::Error, {"a.toml", 3, 7}, "bad"}) == "a.toml:3:7: error: bad");
  CHECK(format({Diagnostic::Severity::Warning, {"b.toml", 1, 1}, "hm"}) == "b.toml:1:1: warning: hm");
  CHECK(format({Diagnostic::Severity::Error, {"c.toml", 0, 0}, "unreadable"}) == "c.toml: error: unreadable");
}
