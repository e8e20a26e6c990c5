// Internal to kiosk/config: the merged tree -> PanelConfig, reporting every problem it finds.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/tree.hpp"

namespace kiosk::config::detail {

struct Sources {
  std::map<std::string, std::filesystem::path> dir_of;  // Origin::file -> its folder (relative paths)
  std::filesystem::path panel_dir;                      // folder of the panel file (default snapshot)
};

// Fills everything but `files` and `hash`. The result is meaningful only when no error was added.
PanelConfig validate(const Node& root, const Sources& sources, std::vector<Diagnostic>& diagnostics);

// Checks a [[binding]] topic pattern: '/'-separated segments; {name} ([a-z_][a-z0-9_]*) and '+' are whole
// segments, '#' only the last one. Fills `captures` with the {names} in order. Returns an error message or "".
std::string topic_problem(const std::string& topic, std::vector<std::string>& captures);
// Checks a space template ("{space}", "salle-{room}", "Fixed name") against the captures of its topic.
std::string template_problem(const std::string& space, const std::string& topic,
                             const std::vector<std::string>& captures);

// Empty when a secret file of this st_mode / owner / group is readable by the panel's user only, or is
// owned by root and readable by the panel's own group (getgid()) but not by others; else the error
// "PATH: permissions 0640 are too open (...); chmod 600 PATH".
std::string secret_file_problem(const std::filesystem::path& path, std::uint32_t mode, std::uint32_t uid,
                                std::uint32_t gid);

// One warning per distinct [[binding]] repeated (same topic, space, space_map, format, field and value),
// at its first copy, saying where the one used is and how many copies there are.
void warn_duplicate_bindings(const std::vector<Binding>& bindings, std::vector<Diagnostic>& out);

// Levenshtein distance between two byte strings.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `word` when it is at most 2 edits away (and closer than a full rewrite).
std::string_view nearest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace kiosk::config::detail
