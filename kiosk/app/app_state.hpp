// AppState: the model the screens read, owned by the main thread. Other threads never touch it;
// they hand values over through core::Inbox, drained once per frame by Panel::pump().
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "ingest/decoder.hpp"
#include "core/inbox.hpp"
#include "core/occupancy.hpp"
#include "core/space.hpp"
#include "app/space_directory.hpp"
#include "app/wayfinder.hpp"

namespace kiosk::app {

// What the visitor is doing on the screens: UI state that outlives a frame, reset after the idle
// timeout. Lives here (not in ui/) so the frame loop can reset it and tests can set it.
struct Navigation {
  std::uint32_t map_level = wayfinding::kNone;     // level shown on the map; kNone = the panel's own
  float zoom = 1;                                  // 1 = the whole level fits
  float pan_x = 0, pan_y = 0;                      // screen pixels, after rotation
  std::uint32_t selected_unit = wayfinding::kNone; // tapped on the map: its card is open
  std::uint32_t route_unit = wayfinding::kNone;    // destination of the route screen
  bool step_free = false;
  core::TimePoint route_started{};                 // the path animates from here
  int min_capacity = 0;                            // board filter: 0, 4, 8, 12
  std::string query;                               // directory filter (the on-screen keyboard's text, to come)
  std::uint64_t changes = 0;                       // bumped by the UI on every change (for redraws)
};

// Counters the UI and the health report show; copied from the other threads' atomics each pump.
struct IngestFigures {
  std::uint64_t received = 0, delivered = 0, rejected = 0, unmatched_topic = 0, unknown_space = 0;
  std::uint64_t superseded = 0, store_commits = 0, store_errors = 0;
  std::array<std::uint64_t, ingest::kRejectCount> rejected_by_reason{};  // index: ingest::Reject
};

// The screen, as the platform layer found it; shown in the staff view and the status topic.
struct DisplayInfo {
  bool open = false;     // false while the panel has no window (no display yet, or lost): it retries
  std::string api;       // the attempt that worked: "GL 3.3 core", "GL 3.1", "GLES 3.0"
  std::string version;   // the driver's GL_VERSION: "4.5 (Core Profile) Mesa 22.3.6"
  std::string renderer;  // GL_RENDERER: "V3D 7.1", "llvmpipe (LLVM 15.0.6, 256 bits)"
  std::string redraw;    // how changed regions reach the screen: copy-sub-buffer, buffer-age, framebuffer, full
  std::string problem;   // why there is no window, or which GL attempts failed before this one
};

struct AppState {
  std::string panel_id;
  std::string site_name;
  std::string kiosk_id;    // the IMDF kiosk this panel stands at
  core::Labels venue_name;  // for the header: "Campus Ramassiers · Accueil"
  core::Labels place_name;  // the kiosk's name
  int panel_level = 0;      // the ordinal of the panel's floor: nearer floors first on the board
  std::string config_hash;

  // Index i of `spaces` is index i of `readings` and of the Inbox.
  std::vector<core::Space> spaces;
  std::vector<std::optional<core::Reading>> readings;

  core::LinkStatus link;          // latest from the network thread
  bool link_known = false;        // false until the network thread said anything
  bool network_enabled = false;   // false for a headless render that does not connect
  core::TimePoint started{};      // process start: "offline since" before any connection
  std::optional<core::TimePoint> newest_data;  // the most recent observation of any space

  std::string language = "fr";    // current UI language ("fr" | "en"); starts at the config's
  std::string screen = "board";   // current screen name
  std::string home_screen = "board";  // where the idle timeout leads back
  std::vector<std::string> screens = {"board"};  // the screens this panel offers, in tab order
  std::chrono::seconds idle_timeout{60};
  Navigation nav;
  std::optional<core::TimePoint> animate_until;  // set by a screen that animates: frames until then
  std::optional<core::TimePoint> redraw_at;      // set by a screen that changes by itself then (a calm reorder)

  // The map side; null when the map could not be used (board-cache start, or a headless render of
  // the board only). space_unit[i] is the venue unit of spaces[i], or kNone.
  std::shared_ptr<const Wayfinder> wayfinder;
  std::vector<std::uint32_t> space_unit;
  // Seconds to walk from this panel to spaces[space]; +infinity without a map or a way there.
  float walk_seconds(std::uint32_t space) const;
  // Resets the visitor's state (the idle timeout): home screen, default map view, step-free default.
  void reset_navigation();
  std::vector<std::string> notices;  // start-up problems worth showing staff (snapshot recovered, ...)
  // How the snapshot is doing (the store's health, as plain values): the staff badge "state not
  // saved" while !ok, and the problem or the last recovery in the staff view.
  struct Storage {
    bool ok = true;
    std::string kind;     // store::Health::kind: "full", "read-only", "in-use", ...; empty when ok
    std::string problem;  // what is wrong and what to do; empty when ok
    std::string note;     // the last recovery (recreated, moved aside), kept after it is ok again
    core::TimePoint since{};
  };
  Storage storage;
  DisplayInfo display;
  IngestFigures figures;

  // Bumped on every change that should be drawn. The frame loop and the screens' caches compare it
  // to what they drew. Each AppState starts in its own range, so a state swapped in by a reload never
  // looks like the one it replaced.
  std::uint64_t revision = fresh_revision_range();
  static std::uint64_t fresh_revision_range();

  // Applies what the network thread handed over. Returns the spaces whose reading was updated,
  // for the store; `value_changed` marks a new state (a history row), not just a fresher heartbeat.
  // A reading older than the one held is ignored (retained replays, duplicates).
  struct Update {
    std::uint32_t space;
    bool value_changed;
  };
  std::vector<Update> apply(const core::Inbox::Batch& batch);

  // The earliest instant after `now` at which some space's shown state changes by itself
  // (a reading reaching its time-to-live, a motion hold ending). The frame loop sleeps until then at most.
  std::optional<core::TimePoint> next_expiry(core::TimePoint now) const;

  // Lookup by unit id, config key, or name in any language (accents and case ignored).
  std::shared_ptr<const SpaceDirectory> directory;
  std::optional<std::uint32_t> find_space(std::string_view id_or_name) const {
    return directory ? directory->find(id_or_name) : std::nullopt;
  }
};

}  // namespace kiosk::app
