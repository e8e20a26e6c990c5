// VenueBuilder: amenity, anchor, occupant and relationship features (the ones that point at others).
#include <algorithm>

#include "imdf/categories.hpp"
#include "imdf/geojson.hpp"
#include "imdf/venue_builder.hpp"

namespace kiosk::imdf::detail {

void VenueBuilder::read_amenity(const FeatureContext& f, const json& props, const json* geometry) {
  core::Amenity amenity;
  amenity.id = f.id;
  if (auto category = read_string(props, "category", f)) {
    amenity.category = std::move(*category);  // AMENITY-CATEGORY is huge and grows: any string is accepted
  } else {
    f.warn("amenity has no category; read as \"unspecified\"");
    amenity.category = "unspecified";
  }
  int unknown = 0;
  std::string first_unknown;
  for (std::string& id : read_string_list(props, "unit_ids", f)) {
    if (is(id, "unit")) {
      amenity.unit_ids.push_back(std::move(id));
    } else if (unknown++ == 0) {
      first_unknown = quote(id) + " " + why_not(id, "unit");
    }
  }
  if (unknown > 0)
    f.warn("amenity unit_ids: " + std::to_string(unknown) + " id(s) name no unit of this map (" + first_unknown +
           "); they were ignored");
  std::string why;
  amenity.point = read_point(geometry, why);
  if (!amenity.point) f.warn("amenity geometry is unusable (" + why + "); the amenity was kept without a position");
  amenity.accessibility = read_string_list(props, "accessibility", f);
  amenity.name = read_labels(props, "name", language_, f);
  amenity.alt_name = read_labels(props, "alt_name", language_, f);
  accept(f);
  venue_.amenities.push_back(std::move(amenity));
}

void VenueBuilder::read_anchor(const FeatureContext& f, const json& props, const json* geometry) {
  core::Anchor anchor;
  anchor.id = f.id;
  std::string problem;
  anchor.unit_id = reference(props, "unit_id", "unit", problem);
  if (anchor.unit_id.empty())
    f.warn((problem.empty() ? std::string("anchor has no unit_id") : "anchor " + problem) +
           "; what hangs off this anchor cannot be placed in a unit — set unit_id to one of the unit ids");
  std::string why;
  anchor.point = read_point(geometry, why);
  if (!anchor.point) f.warn("anchor geometry is unusable (" + why + "); the anchor was kept without a position");
  accept(f);
  venue_.anchors.push_back(std::move(anchor));
}

void VenueBuilder::read_occupant(const FeatureContext& f, const json& props) {
  core::Occupant occupant;
  occupant.id = f.id;
  occupant.name = read_labels(props, "name", language_, f);
  if (occupant.name.empty()) f.warn("occupant has no name; it will not show in the directory — give it a name");
  occupant.alt_name = read_labels(props, "alt_name", language_, f);
  if (auto category = read_string(props, "category", f)) occupant.category = std::move(*category);  // any string
  std::string problem;
  occupant.anchor_id = reference(props, "anchor_id", "anchor", problem);
  if (occupant.anchor_id.empty())
    f.warn((problem.empty() ? std::string("occupant has no anchor_id") : "occupant " + problem) +
           "; the occupant was kept but cannot be placed on the map — set anchor_id to one of the anchor ids");
  if (auto phone = read_string(props, "phone", f)) occupant.phone = std::move(*phone);
  if (auto website = read_string(props, "website", f)) occupant.website = std::move(*website);
  accept(f);
  venue_.occupants.push_back(std::move(occupant));
}

void VenueBuilder::read_relationship(const FeatureContext& f, const json& props) {
  core::Relationship relationship;
  relationship.id = f.id;
  const std::string skipped = "; the relationship was skipped — point it at features of this map";

  // One {id, feature_type} reference; false with a warning when it names nothing loaded.
  auto read_ref = [&](const json& value, const std::string& role, core::FeatureRef& out) {
    const json* id = member(value, "id");
    if (!value.is_object() || !id || !id->is_string()) {
      f.warn("relationship " + role + " is not a reference {\"id\": ..., \"feature_type\": ...}" + skipped);
      return false;
    }
    out.id = id->get_ref<const std::string&>();
    const json* type = member(value, "feature_type");
    auto known = ids_.find(out.id);
    if (known == ids_.end()) {
      const bool unread = type && type->is_string() &&
                          std::find(kFeatureTypes.begin(), kFeatureTypes.end(), type->get_ref<const std::string&>()) ==
                              kFeatureTypes.end();
      f.warn("relationship " + role + " " + quote(out.id) + " " +
             (refused_.contains(out.id) ? "names a feature that was skipped (see the error about it)"
              : unread ? "is a " + quote(type->get_ref<const std::string&>()) + ", a feature type kiosk does not read"
                       : std::string("matches no feature in this map")) +
             skipped);
      return false;
    }
    out.feature_type = std::string(known->second);
    if (!type || !type->is_string() || type->get_ref<const std::string&>() != known->second)
      f.warn("relationship " + role + " " + quote(out.id) + " is a " + out.feature_type +
             " but its feature_type says " +
             (type && type->is_string() ? quote(type->get_ref<const std::string&>()) : std::string("nothing")) +
             "; read as a " + out.feature_type);
    return true;
  };

  if (const json* origin = member(props, "origin")) {
    if (!read_ref(*origin, "origin", relationship.origin.emplace())) return refuse(f);
  }
  if (const json* destination = member(props, "destination")) {
    if (!read_ref(*destination, "destination", relationship.destination.emplace())) return refuse(f);
  }
  if (const json* intermediary = member(props, "intermediary")) {
    if (intermediary->is_object()) {
      f.warn("relationship intermediary is a single reference, not an array; read as an array of one");
      if (!read_ref(*intermediary, "intermediary", relationship.intermediary.emplace_back())) return refuse(f);
    } else if (intermediary->is_array()) {
      for (std::size_t k = 0; k < intermediary->size(); ++k)
        if (!read_ref((*intermediary)[k], "intermediary " + std::to_string(k + 1),
                      relationship.intermediary.emplace_back()))
          return refuse(f);
    } else {
      f.warn("relationship intermediary is " + describe_type(*intermediary) + ", not an array of references" + skipped);
      return refuse(f);
    }
  }

  if (auto category = read_string(props, "category", f)) {
    if (!is_relationship_category(*category))
      f.warn("relationship category " + quote(*category) + " is not an IMDF relationship category; kept as written");
    relationship.category = std::move(*category);
  } else {
    f.warn("relationship has no category; read as \"traversal\"");
    relationship.category = "traversal";
  }
  auto direction = read_string(props, "direction", f);
  if (direction && (*direction == "directed" || *direction == "undirected")) {
    relationship.direction = std::move(*direction);
  } else {
    f.warn("relationship direction is " + (direction ? quote(*direction) : std::string("missing")) +
           ", not \"directed\" or \"undirected\"; read as \"undirected\"");
    relationship.direction = "undirected";
  }
  accept(f);
  venue_.relationships.push_back(std::move(relationship));
}

}  // namespace kiosk::imdf::detail
