// Which OpenGL a panel asks for, and in which order. Pure logic, testable without a GPU.
// Raspberry Pi 4/5 (Mesa V3D) offer OpenGL 3.1 and OpenGL ES 3.1 and never 3.3; Intel boards and
// desktop Mesa offer 3.3 core and more. Dear ImGui's OpenGL3 backend draws on all of them when it is
// given the GLSL dialect that matches the context actually obtained.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::platform {

enum class GlApi { Desktop, Es };

struct GlAttempt {
  std::string name;  // "GL 3.3 core", "GL 3.1", "GL 3.0", "GLES 3.0": what the log and the status say
  GlApi api = GlApi::Desktop;
  int major = 3, minor = 3;
  bool core = false;  // a core profile (desktop 3.2+ only)
};

// The attempts for `[panel] gl`: "auto" = desktop GL 3.3 core, GL 3.1, GL 3.0, then GLES 3.0;
// "gl3" = the desktop ones only; "gles3" = GLES 3.0 only. Empty for any other word.
std::vector<GlAttempt> gl_attempts(std::string_view choice);

// What a context is, read from its GL_VERSION string: "4.5 (Core Profile) Mesa 22.3.6",
// "3.1 Mesa 22.3.6", "OpenGL ES 3.2 Mesa 22.3.6", "OpenGL ES 3.1 Mesa 23.2.1-1~bpo12+rpt3" (a Pi 5).
struct GlVersion {
  bool es = false;
  int major = 0, minor = 0;
  bool valid() const { return major > 0; }
};
GlVersion parse_gl_version(std::string_view version_string);

// The `#version` line ImGui's shaders need on that context, or "" when it is too old to draw
// (desktop GL below 3.0, GLES below 3.0). Desktop 3.3+ gets GLSL 3.30 core, 3.0-3.2 GLSL 1.30,
// GLES 3.x GLSL ES 3.00.
std::string glsl_for(const GlVersion& version);

// One failed attempt, in the words of the driver where it gave any.
struct GlFailure {
  std::string attempt;
  std::string reason;
};
// "no OpenGL context could be made: GL 3.3 core: <reason>; GL 3.1: <reason>; ... — what to try".
std::string describe_failures(const std::vector<GlFailure>& failures, std::string_view choice);

}  // namespace kiosk::platform
