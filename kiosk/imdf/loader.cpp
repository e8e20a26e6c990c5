// load(): the folder, the manifest, one file per feature type (in dependency order), the final
// checks; format() and LoadResult. Feature reading is in venue_builder.cpp, spaces.cpp, links.cpp.
#include "imdf/loader.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>

#include "imdf/geojson.hpp"
#include "imdf/json_source.hpp"
#include "imdf/report.hpp"
#include "imdf/venue_builder.hpp"

namespace kiosk::imdf {

namespace fs = std::filesystem;
using detail::Report;

namespace {

constexpr auto kError = Diagnostic::Severity::Error;
constexpr auto kWarning = Diagnostic::Severity::Warning;
constexpr const char* kDefaultLanguage = "en";

void add(std::vector<Diagnostic>& out, Diagnostic::Severity severity, const fs::path& file, std::string message) {
  Diagnostic d;
  d.severity = severity;
  d.file = file.string();
  d.message = std::move(message);
  out.push_back(std::move(d));
}

// Something is at this name (even a FIFO, a folder or a symlink loop): reading it says what is wrong
// with it, rather than calling it missing.
bool present(const fs::path& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

// What a path that is neither a folder nor a regular file is, for messages.
std::string kind_of(fs::file_type type) {
  switch (type) {
    case fs::file_type::fifo: return "a FIFO";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    default: return "not a folder nor a file";
  }
}

// Reads manifest.json; returns the map's default language.
std::string read_manifest(const fs::path& folder, std::vector<Diagnostic>& out) {
  const fs::path path = folder / "manifest.json";
  if (!present(path)) {
    add(out, kWarning, path, "manifest.json is missing; read as IMDF 1.0.0 in language \"en\" — add a manifest");
    return kDefaultLanguage;
  }
  Report report(path.string());
  detail::JsonFile file = detail::read_json_file(path);
  std::string language = kDefaultLanguage;
  if (!file.ok()) {
    report.add_at(kError,
                  (file.parse_failed ? "not valid JSON: " : "") + file.error +
                      "; the manifest was ignored (language \"en\" assumed) — fix the file",
                  file.error_at);
  } else if (!file.root.is_object()) {
    report.add(kError, "the manifest is " + detail::describe_type(file.root) +
                           ", not an object; it was ignored (language \"en\" assumed)");
  } else {
    const detail::json* version = detail::member(file.root, "version");
    if (!version || !version->is_string()) {
      report.add(kWarning, "the manifest has no version string; read as IMDF 1.0.0 — set \"version\": \"1.0.0\"");
    } else if (version->get_ref<const std::string&>() != "1.0.0") {
      report.add(kWarning,
                 "manifest version is " + detail::quote(version->get_ref<const std::string&>()) +
                     "; kiosk reads IMDF \"1.0.0\" — loaded anyway, check the result and set \"version\": \"1.0.0\"");
    }
    const detail::json* tag = detail::member(file.root, "language");
    if (tag && tag->is_string() && !tag->get_ref<const std::string&>().empty()) {
      language = tag->get_ref<const std::string&>();
    } else {
      report.add(kWarning,
                 "the manifest has no language; read as \"en\" — set \"language\" to a BCP-47 tag such as \"fr-FR\"");
    }
  }
  report.finish(file.text, out);
  return language;
}

// `<type>.geojson`, else `<type>.json` (noted in `json_named`); empty when neither exists.
fs::path find_feature_file(const fs::path& folder, std::string_view type, std::vector<std::string>& json_named) {
  fs::path path = folder / (std::string(type) + ".geojson");
  if (present(path)) return path;
  path = folder / (std::string(type) + ".json");
  if (present(path)) {
    json_named.push_back(path.filename().string());
    return path;
  }
  return {};
}

void read_feature_file(const fs::path& path, std::string_view type, detail::VenueBuilder& builder,
                       std::vector<Diagnostic>& out) {
  Report report(path.string());
  detail::JsonFile file = detail::read_json_file(path);
  const std::string skipped = "; the " + std::string(type) + " features were skipped";
  if (!file.ok()) {
    report.add_at(
        kError,
        (file.parse_failed ? "not valid JSON: " + file.error + skipped + " — fix the file" : file.error + skipped),
        file.error_at);
  } else {
    try {
      builder.read_collection(file.root, type, report);
    } catch (const std::exception& e) {  // only std::bad_alloc is expected; never let anything escape
      report.add(kError, "reading stopped (" + detail::printable(e.what(), 200) + "); some " + std::string(type) +
                             " features were skipped");
    }
  }
  report.finish(file.text, out);
}

void load_into(const fs::path& folder, LoadResult& result) {
  auto& out = result.diagnostics;
  std::error_code ec;
  const fs::file_status status = fs::status(folder, ec);
  if (fs::is_regular_file(status)) {
    std::string extension = folder.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    add(out, kError, folder,
        extension == ".zip" ? "zip archives are not supported yet; unzip it into a folder"
                            : "this is a file, not an IMDF folder; give the folder that holds manifest.json and the "
                              ".geojson files");
    return;
  }
  if (!fs::is_directory(status)) {
    add(out, kError, folder,
        fs::exists(status) ? "this is " + kind_of(status.type()) +
                                 ", not a folder; give the IMDF folder (manifest.json and the .geojson files)"
        : ec == std::errc::too_many_symbolic_link_levels
            ? "a symlink loop (its symbolic links point at each other); make the link point at the IMDF folder"
        : ec && ec != std::errc::no_such_file_or_directory
            ? "cannot open the IMDF folder (" + ec.message() + ")"
            : "no such folder; give the IMDF folder (manifest.json and the .geojson files)");
    return;
  }

  const std::string language = read_manifest(folder, out);
  std::vector<std::string> json_named;
  std::vector<std::pair<std::string_view, fs::path>> files;
  for (std::string_view type : detail::kFeatureTypes)
    files.emplace_back(type, find_feature_file(folder, type, json_named));
  if (!json_named.empty()) {
    std::string names;
    for (const std::string& name : json_named) names += (names.empty() ? "" : ", ") + name;
    add(out, kWarning, folder,
        "feature files are named <type>.json (" + names +
            "); IMDF names them <type>.geojson — loaded anyway, rename them");
  }

  detail::VenueBuilder builder(language);
  builder.venue().language = language;
  for (const auto& [type, path] : files) {
    if (!path.empty()) {
      read_feature_file(path, type, builder, out);
    } else if (type == "venue") {
      add(out, kWarning, folder, "venue.geojson is missing; the map has no venue name or outline — add one");
    }
  }

  core::Venue& venue = builder.venue();
  bool usable = true;
  for (std::string_view type : {std::string_view("level"), std::string_view("unit")}) {
    const bool none = type == "level" ? venue.levels.empty() : venue.units.empty();
    if (!none) continue;
    const bool missing =
        std::any_of(files.begin(), files.end(), [&](const auto& f) { return f.first == type && f.second.empty(); });
    add(out, kError, folder,
        "the map has no " + std::string(type) + "s: " +
            (missing ? std::string(type) + ".geojson is missing" : "none could be read (see the errors above)") +
            "; it cannot be used");
    usable = false;
  }
  if (!usable) return;
  venue.index();
  result.venue = std::move(venue);
}

}  // namespace

std::string format(const Diagnostic& d) {
  std::string out = d.file;
  if (d.line > 0) {
    out += ":" + std::to_string(d.line);
    if (d.column > 0) out += ":" + std::to_string(d.column);
  }
  if (!out.empty()) out += ": ";
  out += d.severity == Diagnostic::Severity::Error ? "error: " : "warning: ";
  out += d.message;
  if (!d.feature_id.empty()) out += " [feature " + d.feature_id + "]";
  return out;
}

bool LoadResult::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::Error; });
}

LoadResult load(const fs::path& folder) {
  LoadResult result;
  try {
    load_into(folder, result);
  } catch (const std::exception& e) {
    result.venue.reset();
    add(result.diagnostics, kError, folder, "the map could not be loaded (" + detail::printable(e.what(), 200) + ")");
  } catch (...) {
    result.venue.reset();
    add(result.diagnostics, kError, folder, "the map could not be loaded (unknown error)");
  }
  return result;
}

}  // namespace kiosk::imdf
