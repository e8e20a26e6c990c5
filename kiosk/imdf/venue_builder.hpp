// Turns the feature collections of an IMDF folder into a core::Venue, one feature at a time.
// Files must be given in dependency order (kFeatureTypes) so that every reference can be checked
// against what was already accepted: level before unit, unit before anchor, anchor before occupant
// and kiosk, everything before relationship.
#pragma once
#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/venue.hpp"
#include "imdf/report.hpp"

namespace kiosk::imdf::detail {

inline constexpr std::array<std::string_view, 9> kFeatureTypes = {
    "venue", "level", "unit", "opening", "amenity", "anchor", "occupant", "kiosk", "relationship"};

class VenueBuilder {
 public:
  // `language`: the manifest's default language, for LABELS written as plain strings.
  explicit VenueBuilder(std::string language);

  // Reads one file's top-level value; `type` is one of kFeatureTypes.
  void read_collection(const nlohmann::json& root, std::string_view type, Report& report);

  core::Venue& venue() { return venue_; }

 private:
  using json = nlohmann::json;

  void read_feature(const json& feature, int index, std::string_view type, Report& report);
  void read_venue(const FeatureContext& f, const json& props, const json* geometry);
  void read_level(const FeatureContext& f, const json& props, const json* geometry);
  void read_unit(const FeatureContext& f, const json& props, const json* geometry);
  void read_opening(const FeatureContext& f, const json& props, const json* geometry);
  void read_kiosk(const FeatureContext& f, const json& props, const json* geometry);
  void read_amenity(const FeatureContext& f, const json& props, const json* geometry);
  void read_anchor(const FeatureContext& f, const json& props, const json* geometry);
  void read_occupant(const FeatureContext& f, const json& props);
  void read_relationship(const FeatureContext& f, const json& props);

  // Ids: a feature's id is registered once it is accepted; a feature that was refused is remembered
  // so that references to it get a precise message.
  void accept(const FeatureContext& f);
  void refuse(const FeatureContext& f) { refused_.insert(f.id); }
  bool is(const std::string& id, std::string_view type) const;
  // Why `id` is not a `type`: "matches no level in this map", "is a unit, not a level", ...
  std::string why_not(const std::string& id, std::string_view type) const;
  // Reads property `key` as the id of a `type`. Empty when absent; when it names no such feature,
  // empty too, after `problem` was set to the reason (the caller says what follows from it).
  std::string reference(const json& props, const char* key, std::string_view type, std::string& problem) const;
  // Warns when a display point lies outside the feature's own shape.
  static void check_inside(const FeatureContext& f, const std::optional<core::LonLat>& point,
                           const core::MultiPolygon& shape);

  core::Venue venue_;
  std::string language_;
  bool venue_read_ = false;
  std::unordered_map<std::string, std::string_view> ids_;  // accepted id -> feature type
  std::unordered_set<std::string> refused_;
};

}  // namespace kiosk::imdf::detail
