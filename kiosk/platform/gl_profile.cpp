#include "platform/gl_profile.hpp"

#include <cctype>
#include <cstdlib>

namespace kiosk::platform {

std::vector<GlAttempt> gl_attempts(std::string_view choice) {
  const GlAttempt gl33{"GL 3.3 core", GlApi::Desktop, 3, 3, true};
  // 3.1 and 3.0 without a profile: core profiles start at 3.2, and a driver that offers more hands
  // out its best compatible version anyway.
  const GlAttempt gl31{"GL 3.1", GlApi::Desktop, 3, 1, false};
  const GlAttempt gl30{"GL 3.0", GlApi::Desktop, 3, 0, false};
  const GlAttempt gles30{"GLES 3.0", GlApi::Es, 3, 0, false};
  if (choice == "auto") return {gl33, gl31, gl30, gles30};
  if (choice == "gl3") return {gl33, gl31, gl30};
  if (choice == "gles3") return {gles30};
  return {};
}

GlVersion parse_gl_version(std::string_view text) {
  GlVersion version;
  constexpr std::string_view kEs = "OpenGL ES";
  std::size_t at = 0;
  if (text.substr(0, kEs.size()) == kEs) {
    version.es = true;
    at = kEs.size();
    // "OpenGL ES-CM 1.1" and "OpenGL ES 3.2": skip to the first digit.
  }
  while (at < text.size() && !std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
  int major = 0, minor = 0;
  std::size_t i = at;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) major = major * 10 + (text[i++] - '0');
  if (i >= text.size() || text[i] != '.' || i == at) return {};
  ++i;
  const std::size_t minor_at = i;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) minor = minor * 10 + (text[i++] - '0');
  if (i == minor_at) return {};
  version.major = major;
  version.minor = minor;
  return version;
}

std::string glsl_for(const GlVersion& version) {
  if (!version.valid() || version.major < 3) return "";
  if (version.es) return "#version 300 es";
  if (version.major > 3 || version.minor >= 3) return "#version 330 core";
  return "#version 130";
}

std::string describe_failures(const std::vector<GlFailure>& failures, std::string_view choice) {
  std::string text = "no usable OpenGL context (gl = \"" + std::string(choice) + "\"): ";
  for (std::size_t i = 0; i < failures.size(); ++i) {
    if (i) text += "; ";
    text += failures[i].attempt + ": " + failures[i].reason;
  }
  text += ". Check the GPU driver (Mesa's libgl1-mesa-dri, libegl-mesa0) and that this user may open /dev/dri";
  if (choice != "auto") text += ", or set [panel] gl = \"auto\" to try every kind";
  return text;
}

}  // namespace kiosk::platform
