// Which GL a panel asks for and which shaders it gives ImGui, without a GPU.
#include <doctest/doctest.h>

#include "platform/gl_profile.hpp"

using namespace kiosk::platform;

namespace {
std::vector<std::string> names(const std::vector<GlAttempt>& attempts) {
  std::vector<std::string> out;
  for (const GlAttempt& a : attempts) out.push_back(a.name);
  return out;
}
}  // namespace

TEST_CASE("gl attempts: auto tries 3.3 core, then 3.1 and 3.0, then GLES 3.0, and gl3 or gles3 forces a kind") {
  CHECK(names(gl_attempts("auto")) == std::vector<std::string>{"GL 3.3 core", "GL 3.1", "GL 3.0", "GLES 3.0"});
  CHECK(names(gl_attempts("gl3")) == std::vector<std::string>{"GL 3.3 core", "GL 3.1", "GL 3.0"});
  CHECK(names(gl_attempts("gles3")) == std::vector<std::string>{"GLES 3.0"});
  CHECK(gl_attempts("gl4").empty());
  CHECK(gl_attempts("").empty());
  const auto attempts = gl_attempts("auto");
  CHECK(attempts[0].core);
  CHECK((attempts[0].major == 3 && attempts[0].minor == 3));
  // Core profiles start at 3.2: the Pi's 3.1 must be asked for without one.
  CHECK_FALSE(attempts[1].core);
  CHECK((attempts[1].major == 3 && attempts[1].minor == 1));
  CHECK(attempts[3].api == GlApi::Es);
  CHECK((attempts[3].major == 3 && attempts[3].minor == 0));
}

TEST_CASE("GL_VERSION strings of real drivers are read, and each gets the GLSL its shaders need") {
  struct Case {
    const char* text;
    bool es;
    int major, minor;
    const char* glsl;
  };
  const Case cases[] = {
      {"4.5 (Core Profile) Mesa 22.3.6", false, 4, 5, "#version 330 core"},   // llvmpipe, Intel
      {"3.3 (Core Profile) Mesa 22.3.6", false, 3, 3, "#version 330 core"},
      {"3.1 Mesa 23.2.1-1~bpo12+rpt3", false, 3, 1, "#version 130"},            // Raspberry Pi 5 (V3D 7.1)
      {"3.0 Mesa 22.3.6", false, 3, 0, "#version 130"},
      {"OpenGL ES 3.1 Mesa 23.2.1-1~bpo12+rpt3", true, 3, 1, "#version 300 es"}, // the Pi's GLES
      {"OpenGL ES 3.2 Mesa 22.3.6", true, 3, 2, "#version 300 es"},
      {"OpenGL ES 3.2 NVIDIA 535.183.01", true, 3, 2, "#version 300 es"},
      {"4.6.0 NVIDIA 535.183.01", false, 4, 6, "#version 330 core"},
      {"2.1 Mesa 22.3.6", false, 2, 1, ""},       // too old to draw
      {"OpenGL ES 2.0 Mesa 22.3.6", true, 2, 0, ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const GlVersion v = parse_gl_version(c.text);
    CHECK(v.valid());
    CHECK(v.es == c.es);
    CHECK(v.major == c.major);
    CHECK(v.minor == c.minor);
    CHECK(glsl_for(v) == c.glsl);
  }
  CHECK_FALSE(parse_gl_version("").valid());
  CHECK_FALSE(parse_gl_version("OpenGL ES").valid());
  CHECK_FALSE(parse_gl_version("garbage").valid());
  CHECK_FALSE(parse_gl_version("4.").valid());
  CHECK(glsl_for(parse_gl_version("nonsense")).empty());
}

TEST_CASE("when nothing works the message names each attempt and what the driver said") {
  const std::string text = describe_failures(
      {{"GL 3.3 core", "the driver refused the context: EGL_BAD_MATCH"}, {"GLES 3.0", "a test frame drew rgb(0,0,0)"}},
      "auto");
  CHECK(text.find("GL 3.3 core: the driver refused the context: EGL_BAD_MATCH") != std::string::npos);
  CHECK(text.find("GLES 3.0: a test frame drew rgb(0,0,0)") != std::string::npos);
  CHECK(text.find("libgl1-mesa-dri") != std::string::npos);  // what to do
  CHECK(text.find("gl = \"auto\" to try") == std::string::npos);
  CHECK(describe_failures({{"GLES 3.0", "no"}}, "gles3").find("gl = \"auto\" to try every kind") != std::string::npos);
}
