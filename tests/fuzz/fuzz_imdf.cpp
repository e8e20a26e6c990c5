// imdf::load on a folder holding the minimal fixture map, one file of which is replaced by the input.
// Input: an optional first line naming that file ("manifest" or a feature type: "unit", "level", ...),
// then its content; without it the input is unit.geojson. The loader reads files from a folder only,
// so the input goes through a private temporary folder (its parsing and error positioning run too).
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "imdf/loader.hpp"
#include "imdf/venue_builder.hpp"

#ifndef KIOSK_SOURCE_DIR
#error "build with -DKIOSK_SOURCE_DIR=\"...\""
#endif

namespace {

namespace fs = std::filesystem;
using namespace kiosk;

void write(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) kiosk::fuzz::fail("cannot write the fuzz folder", __FILE__, __LINE__);
}

// The fixture folder, copied once into a private temporary folder (removed at exit).
struct Folder {
  fs::path dir;
  std::map<std::string, std::string, std::less<>> originals;  // file name -> bytes

  Folder() {
    std::string tmpl = (fs::temp_directory_path() / "kiosk-fuzz-imdf-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) kiosk::fuzz::fail("mkdtemp", __FILE__, __LINE__);
    dir = tmpl;
    for (const auto& entry : fs::directory_iterator(fs::path(KIOSK_SOURCE_DIR) / "tests/fixtures/imdf/minimal")) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      write(dir / entry.path().filename(), bytes);
      originals.emplace(entry.path().filename().string(), std::move(bytes));
    }
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void restore(const std::string& name) {
    if (const auto it = originals.find(name); it != originals.end()) write(dir / name, it->second);
    else fs::remove(dir / name);
  }
};

std::string file_for(std::string_view header) {
  if (header == "manifest") return "manifest.json";
  return std::string(header.empty() ? "unit" : header) + ".geojson";
}

void check(const imdf::LoadResult& r) {
  for (const imdf::Diagnostic& d : r.diagnostics) {
    KIOSK_FUZZ_CHECK(!d.message.empty() && !d.file.empty());
    KIOSK_FUZZ_CHECK(d.line >= 0 && d.column >= 0 && (d.line > 0 || d.column == 0));
    // Values from the file are quoted printable: no control characters reach a log line.
    for (char c : d.message) KIOSK_FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F);
    for (char c : d.feature_id) KIOSK_FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F);
    KIOSK_FUZZ_CHECK(kiosk::fuzz::reference_utf8(d.message));
    KIOSK_FUZZ_CHECK(!imdf::format(d).empty());
  }
  if (!r.venue) {
    KIOSK_FUZZ_CHECK(r.has_errors());
    return;
  }
  const core::Venue& v = *r.venue;
  KIOSK_FUZZ_CHECK(!v.levels.empty() && !v.units.empty());
  KIOSK_FUZZ_CHECK(std::is_sorted(v.levels.begin(), v.levels.end(),
                                  [](const auto& a, const auto& b) { return a.ordinal < b.ordinal; }));
  for (const core::Level& l : v.levels) KIOSK_FUZZ_CHECK(v.level(l.id) == &l);
  // Every reference the loader kept was checked against what it had accepted.
  for (const core::Unit& u : v.units) {
    KIOSK_FUZZ_CHECK(v.unit(u.id) == &u);
    KIOSK_FUZZ_CHECK(v.level(u.level_id) != nullptr);
    KIOSK_FUZZ_CHECK(!u.shape.empty());
    (void)v.find_unit(u.id);
  }
  for (const core::Opening& o : v.openings) KIOSK_FUZZ_CHECK(v.level(o.level_id) != nullptr);
  for (const core::Kiosk& k : v.kiosks) {
    KIOSK_FUZZ_CHECK(v.kiosk(k.id) == &k && v.level(k.level_id) != nullptr);
    (void)v.find_kiosk(k.id);
  }
  for (const core::Anchor& a : v.anchors) KIOSK_FUZZ_CHECK(v.anchor(a.id) == &a && (a.unit_id.empty() || v.unit(a.unit_id)));
  for (const core::Occupant& o : v.occupants) (void)v.unit_of(o);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Folder folder;
  std::string_view header;
  const std::string_view body = kiosk::fuzz::split_header(kiosk::fuzz::as_text(data, size), header, [](auto line) {
    return line == "manifest" || std::find(imdf::detail::kFeatureTypes.begin(), imdf::detail::kFeatureTypes.end(),
                                           line) != imdf::detail::kFeatureTypes.end();
  });
  const std::string name = file_for(header);
  write(folder.dir / name, body);
  check(imdf::load(folder.dir));
  folder.restore(name);
  return 0;
}
