// IMDF folder -> core::Venue, with diagnostics. Tolerant of real exports: load what can be loaded,
// warn about the rest, refuse only what cannot be understood (see ../shared/reference/IMDF-NOTES.md).
//
//   auto result = kiosk::imdf::load("config/campus");
//   for (const auto& d : result.diagnostics) std::cerr << kiosk::imdf::format(d) << '\n';
//   if (!result.venue) return 1;  // the map cannot be used at all
//
// Never throws; every problem, including an unreadable file, becomes a Diagnostic.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/venue.hpp"

namespace kiosk::imdf {

struct Diagnostic {
  enum class Severity { Warning, Error };
  Severity severity = Severity::Warning;
  std::string file;          // path as given/opened
  int line = 0, column = 0;  // 1-based when known (column in characters); 0 = unknown
  std::string feature_id;    // empty when not about one feature; "#12" (index in "features") without an id
  std::string message;       // what is wrong and what to do
};

// "file:line:col: warning: message [feature <id>]" (":line:col" left out when unknown).
std::string format(const Diagnostic& d);

struct LoadResult {
  std::optional<core::Venue> venue;  // absent when the map cannot be used at all; indexed when present
  std::vector<Diagnostic> diagnostics;
  bool has_errors() const;
};

// Loads an IMDF folder: manifest.json and <feature_type>.geojson (or .json) for venue, level, unit,
// opening, amenity, anchor, occupant, kiosk and relationship. Other feature types are not read yet.
LoadResult load(const std::filesystem::path& folder);

}  // namespace kiosk::imdf
