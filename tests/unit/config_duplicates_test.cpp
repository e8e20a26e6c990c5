// Repeated [[binding]]s: the first binding whose topic matches takes the message, so a copy is dead
// weight (a generator that repeated its block 10,000 times was accepted silently). One warning per
// distinct binding repeated, at its first copy, with the count; bindings that differ are left alone.
#include <doctest/doctest.h>

#include <string>

#include "config/config.hpp"

namespace fs = std::filesystem;
using namespace kiosk::config;

namespace {

const fs::path kFixtures = fs::path(KIOSK_SOURCE_DIR) / "tests" / "fixtures" / "config";

std::string binding(const std::string& topic, const std::string& extra = "") {
  return "[[binding]]\ntopic = \"" + topic + "\"\n" + extra;  // 2 lines + extra's
}

// The panel: base.toml on line 1, [panel] on lines 2-4, then `bindings` from line 5.
LoadResult panel(const std::string& bindings) {
  return load_string("include = \"" + (kFixtures / "base.toml").string() + "\"\n[panel]\nid = \"p\"\nkiosk = \"k\"\n" +
                         bindings,
                     "panel.toml", kFixtures);
}

std::vector<std::string> repeats(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics)
    if (d.message.find("repeats the one at") != std::string::npos) out.push_back(format(d));
  return out;
}

}  // namespace

TEST_CASE("config duplicates: 10,000 identical bindings give one warning with the count, at the first copy") {
  std::string text;
  for (int i = 0; i < 10'000; ++i) text += binding("campus/{floor}/{space}/occupancy");  // lines 5, 7, 9, ...
  const LoadResult r = panel(text);
  REQUIRE(r.config);  // a warning: the panel runs with the first one
  CHECK(r.config->bindings.size() == 10'000);
  const auto found = repeats(r);
  REQUIRE(found.size() == 1);
  CHECK(found[0] == "panel.toml:7:1: warning: this [[binding]] repeats the one at panel.toml:5:1 (same topic "
                    "\"campus/{floor}/{space}/occupancy\", space and format), and so do 9998 more after it: only the "
                    "first is used; remove the copies");
}

TEST_CASE("config duplicates: each distinct repeated binding is named once, different ones are not repeats") {
  const LoadResult r = panel(binding("a/{space}") +                                    // 5
                             binding("b/{space}", "format = \"json\"\nfield = \"x\"\n") +  // 7
                             binding("b/{space}", "format = \"json\"\nfield = \"y\"\n") +  // 11: other field
                             binding("a/{space}", "space = \"room-{space}\"\n") +          // 15: other space
                             binding("a/{space}", "value = \"count\"\n") +                 // 18: other value
                             binding("b/{space}", "format = \"json\"\nfield = \"x\"\n") +  // 21: copy of 7
                             binding("a/{space}"));                                      // 25: copy of 5
  REQUIRE(r.config);
  const auto found = repeats(r);
  REQUIRE(found.size() == 2);
  CHECK(found[0] == "panel.toml:21:1: warning: this [[binding]] repeats the one at panel.toml:7:1 (same topic "
                    "\"b/{space}\", space and format): only the first is used; remove the copy");
  CHECK(found[1].rfind("panel.toml:25:1: warning: this [[binding]] repeats the one at panel.toml:5:1", 0) == 0);
}
