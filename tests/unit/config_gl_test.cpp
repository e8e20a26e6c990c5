// [panel] gl: which OpenGL a panel asks for; a word it does not know is refused with file:line:col.
#include <doctest/doctest.h>

#include <string>

#include "config/config.hpp"

using namespace kiosk::config;

namespace {

LoadResult load_panel(const std::string& panel_keys) {
  const std::string text = "[site]\nmap = \"campus\"\n[[mqtt.broker]]\nhost = \"h\"\n[[binding]]\ntopic = \"a/{space}\"\n"
                           "[panel]\nid = \"hall\"\nkiosk = \"k\"\n" + panel_keys;
  return load_string(text, "hall.toml", std::filesystem::temp_directory_path());
}

std::string all(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += format(d) + "\n";
  return out;
}

}  // namespace

TEST_CASE("[panel] gl: auto by default, and auto, gl3 and gles3 accepted") {
  LoadResult plain = load_panel("");
  REQUIRE_MESSAGE(plain.config, all(plain));
  CHECK(plain.config->gl == "auto");
  for (const char* word : {"auto", "gl3", "gles3"}) {
    LoadResult r = load_panel(std::string("gl = \"") + word + "\"\n");
    REQUIRE_MESSAGE(r.config, all(r));
    CHECK(r.config->gl == word);
  }
}

TEST_CASE("[panel] gl: an unknown word is an error at its place, with a suggestion") {
  LoadResult r = load_panel("gl = \"gles\"\n");
  CHECK_FALSE(r.config);
  const std::string text = all(r);
  CHECK_MESSAGE(text.find("hall.toml:10:") != std::string::npos, text);
  CHECK_MESSAGE(text.find("did you mean \"gles3\"") != std::string::npos, text);
  LoadResult number = load_panel("gl = 3\n");
  CHECK_FALSE(number.config);
}
