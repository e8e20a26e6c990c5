// Reading the layers: the panel file, then its include chain (site file, ...), merged from the bottom up,
// hashed, and handed to validation. Also the small public helpers (format, parse_duration).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <sstream>
#include <system_error>
#include <utility>

#include "config/config.hpp"
#include "config/tree.hpp"
#include "config/validate.hpp"
#include "core/regular_file.hpp"

namespace kiosk::config {
namespace fs = std::filesystem;
namespace {

using detail::Node;

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

void fnv1a(std::uint64_t& hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= kFnvPrime;
  }
}

// Reads a whole config file; on failure returns false and says why in words. Capped: a path that
// never ends must not eat the panel's memory; a FIFO or a device is refused without being opened for a
// blocking read (core::read_regular_file), so `include = "fifo"` cannot hang check or the watcher.
bool read_file(const fs::path& path, std::string& out, std::string& why) {
  constexpr std::uintmax_t kMaxBytes = 16u << 20;
  core::FileRead file = core::read_regular_file(path, kMaxBytes);
  switch (file.status) {
    case core::FileRead::Status::Ok: out = std::move(file.text); return true;
    case core::FileRead::Status::TooLarge:
      why = "larger than 16 MiB, which no config file is (is it the right path?)";
      return false;
    default: why = file.why; return false;
  }
}

std::string identity_of(const fs::path& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? path.lexically_normal().string() : canonical.string();
}

class Loader {
 public:
  LoadResult run(std::string_view text, const std::string& name, const fs::path& dir, const fs::path& identity_path) {
    sources_.panel_dir = dir;
    chain_.push_back({identity_of(identity_path), name});
    std::optional<Node> root = layer(text, name, dir, 0);
    LoadResult result;
    if (root) {
      PanelConfig config = detail::validate(*root, sources_, diagnostics_);
      config.files = std::move(files_);
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash_));
      config.hash = hex;
      result.config = std::move(config);
    }
    result.diagnostics = std::move(diagnostics_);
    if (result.has_errors()) result.config.reset();
    return result;
  }

 private:
  void error(const Origin& at, std::string message) {
    diagnostics_.push_back({Diagnostic::Severity::Error, at, std::move(message)});
  }

  // One file and, below it, what it includes. nullopt when this layer or one below cannot be read.
  std::optional<Node> layer(std::string_view text, const std::string& name, const fs::path& dir, int depth) {
    files_.emplace_back(name);
    fnv1a(hash_, text);
    fnv1a(hash_, std::string_view("\0", 1));
    sources_.dir_of.emplace(name, dir);

    detail::ParseOutcome parsed = detail::parse_toml(text, name);
    if (!parsed.ok) {
      diagnostics_.push_back(std::move(parsed.error));
      return std::nullopt;
    }
    Node root = std::move(parsed.root);
    auto include_it = std::find_if(root.items.begin(), root.items.end(), [](const Node& n) { return n.key == "include"; });
    if (include_it == root.items.end()) return root;
    Node include = std::move(*include_it);
    root.items.erase(include_it);

    if (include.type != Node::Type::String || include.string.empty()) {
      error(include.origin, "'include' must be the path of the file this one builds on, in quotes, like "
                            "include = \"../site.toml\" (relative to this file)");
      return std::nullopt;
    }
    const fs::path target = (dir / include.string).lexically_normal();
    const std::string target_name = target.string();
    const std::string identity = identity_of(target);
    auto seen = std::find_if(chain_.begin(), chain_.end(), [&](const auto& link) { return link.first == identity; });
    if (seen != chain_.end()) {
      std::string cycle;
      for (auto link = seen; link != chain_.end(); ++link) cycle += link->second + " -> ";
      error(include.origin, "include cycle: " + cycle + target_name + "; remove one of these includes");
      return std::nullopt;
    }
    if (depth + 1 > kMaxIncludeDepth) {
      error(include.origin, "too many levels of include (at most " + std::to_string(kMaxIncludeDepth) +
                                "): include the site file more directly");
      return std::nullopt;
    }
    std::string bytes, why;
    if (!read_file(target, bytes, why)) {
      error(include.origin, "cannot read included file \"" + include.string + "\" (" + target_name + "): " + why +
                                "; the path is relative to the folder of this file");
      return std::nullopt;
    }
    chain_.push_back({identity, target_name});
    std::optional<Node> base = layer(bytes, target_name, target.parent_path(), depth + 1);
    chain_.pop_back();
    if (!base) return std::nullopt;
    detail::merge_into(*base, std::move(root));
    return base;
  }

  detail::Sources sources_;
  std::vector<std::pair<std::string, std::string>> chain_;  // (identity, name) of the files being read
  std::vector<Diagnostic> diagnostics_;
  std::vector<fs::path> files_;
  std::uint64_t hash_ = kFnvOffset;
};

}  // namespace

std::string format(const Diagnostic& d) {
  std::ostringstream out;
  out << d.origin.file;
  if (d.origin.line > 0) out << ':' << d.origin.line << ':' << std::max(d.origin.column, 1);
  out << (d.severity == Diagnostic::Severity::Error ? ": error: " : ": warning: ") << d.message;
  return out.str();
}

bool LoadResult::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::Error; });
}

LoadResult load(const fs::path& panel_file) {
  std::string bytes, why;
  if (!read_file(panel_file, bytes, why)) {
    LoadResult result;
    result.diagnostics.push_back({Diagnostic::Severity::Error, Origin{panel_file.string(), 0, 0},
                                  "cannot read the config file: " + why});
    return result;
  }
  return Loader().run(bytes, panel_file.string(), panel_file.parent_path(), panel_file);
}

LoadResult load_string(std::string_view text, const std::string& name, const fs::path& base_dir) {
  return Loader().run(text, name, base_dir, base_dir / name);
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  using Rep = std::chrono::seconds::rep;
  constexpr Rep kMax = std::numeric_limits<Rep>::max();
  Rep total = 0;
  std::size_t i = 0;
  bool plain = true;  // digits only so far
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    Rep number = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (number > (kMax - (text[i] - '0')) / 10) return std::nullopt;
      number = number * 10 + (text[i] - '0');
    }
    Rep unit = 1;
    if (i == text.size()) {
      if (!plain) return std::nullopt;  // "1h30" is ambiguous
    } else {
      switch (text[i]) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: return std::nullopt;
      }
      ++i;
      plain = false;
    }
    if (number > (kMax - total) / unit) return std::nullopt;
    total += number * unit;
  }
  return std::chrono::seconds(total);
}

}  // namespace kiosk::config
