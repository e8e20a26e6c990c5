// [[binding]] hold: motion sensors keep a space occupied for a while after the last motion.
#include <doctest/doctest.h>

#include <string>

#include "config/config.hpp"

namespace fs = std::filesystem;
using namespace kiosk::config;
using namespace std::chrono_literals;

namespace {

fs::path fixtures() { return fs::path(KIOSK_SOURCE_DIR) / "tests" / "fixtures" / "config"; }

// A panel over base.toml whose own [[binding]] (line 5) replaces the site's; `keys` start on line 7.
LoadResult binding(const std::string& keys) {
  return load_string("include = \"base.toml\"\n[panel]\nid = \"p\"\nkiosk = \"k\"\n[[binding]]\n"
                     "topic = \"campus/{space}/motion\"\n" + keys,
                     "panel.toml", fixtures());
}

std::string all(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += format(d) + "\n";
  return out;
}

}  // namespace

TEST_CASE("config hold: read as a duration on presence bindings") {
  LoadResult r = binding("hold = \"5m\"\nttl = \"15m\"\n");
  CHECK_MESSAGE(r.diagnostics.empty(), all(r));
  REQUIRE(r.config);
  REQUIRE(r.config->bindings.size() == 1);
  CHECK(r.config->bindings[0].hold == 300s);
  CHECK(r.config->bindings[0].ttl == 900s);

  LoadResult seconds = binding("hold = 90\n");  // a number of seconds, under [defaults] ttl (10 min)
  CHECK_MESSAGE(seconds.diagnostics.empty(), all(seconds));
  REQUIRE(seconds.config);
  CHECK(seconds.config->bindings[0].hold == 90s);

  LoadResult none = binding("");
  REQUIRE(none.config);
  CHECK(none.config->bindings[0].hold == 0s);
}

TEST_CASE("config hold: on a count binding is an error") {
  LoadResult r = binding("format = \"json\"\nfield = \"people\"\nvalue = \"count\"\nhold = \"5m\"\n");
  INFO(all(r));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(format(r.diagnostics[0]) ==
        "panel.toml:10:8: error: 'hold' in [[binding]] applies to motion sensors (value = \"presence\"), not to "
        "counts: a count already says how many are there; remove hold");
  CHECK_FALSE(r.config);
}

TEST_CASE("config hold: not shorter than the ttl is a warning") {
  LoadResult r = binding("ttl = \"5m\"\nhold = \"5m\"\n");
  INFO(all(r));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].severity == Diagnostic::Severity::Warning);
  CHECK(format(r.diagnostics[0]).rfind("panel.toml:8:8: warning: 'hold' in [[binding]] (300 s) is not shorter than "
                                       "its ttl (300 s)", 0) == 0);
  REQUIRE(r.config);  // a warning keeps the config
  CHECK(r.config->bindings[0].hold == 300s);

  // Without a ttl of its own, the binding's ttl is [defaults] ttl (10 min).
  LoadResult fallback = binding("hold = \"1h\"\n");
  CHECK(all(fallback).find("panel.toml:7:8: warning: 'hold' in [[binding]] (3600 s) is not shorter than its ttl "
                           "(600 s)") != std::string::npos);
}

TEST_CASE("config hold: malformed or zero durations say what to write") {
  LoadResult bad = binding("hold = \"five minutes\"\n");
  INFO(all(bad));
  REQUIRE(bad.diagnostics.size() == 1);
  CHECK(format(bad.diagnostics[0]) == "panel.toml:7:8: error: 'hold' in [[binding]] must be a duration like \"90s\", "
                                      "\"10m\", \"2h\", \"1d\" or a number of seconds, not \"five minutes\"");
  LoadResult zero = binding("hold = 0\n");
  REQUIRE(zero.diagnostics.size() == 1);
  CHECK(format(zero.diagnostics[0]).find("'hold' in [[binding]] must be more than 0 seconds") != std::string::npos);
  LoadResult typo = binding("hodl = \"5m\"\n");
  REQUIRE(typo.diagnostics.size() == 1);
  CHECK(format(typo.diagnostics[0]).find("did you mean 'hold'?") != std::string::npos);
}
