// NavGraph::build: the plan's geometry -> nodes (doors, kiosks, one destination per unit, inset reflex
// corners, lift cars) and edges (lines of sight inside each unit, level changes), packed as CSR.
// Sections: [units] [doors] [inferred doors] [kiosks] [inside units] [level changes] [packing].
#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>

#include "wayfinding/geos_util.hpp"
#include "wayfinding/nav_graph_impl.hpp"

namespace kiosk::wayfinding {

namespace {

using detail::GeomPtr;
using detail::Member;
using detail::PreparedPtr;
using detail::UnitOutline;

constexpr double kDoorReach = 0.3;       // a door joins units whose outline is this close (m)
constexpr float kCornerInset = 0.35f;    // paths bend this far from a reflex corner (m)
constexpr double kSharedWallMin = 0.8;   // shortest shared wall that gets an inferred door (m)
constexpr double kSharedWallGap = 0.25;  // gap tolerated between two units' walls (m)
constexpr double kStackedOverlap = 0.3;  // of the smaller footprint, for stacked stairs/lifts

// Units a door can be inferred into when the export has no openings.
bool is_corridor_like(std::string_view c) {
  return c == "walkway" || c == "walkway.island" || c == "lobby" || c == "unenclosedarea" ||
         c == "footbridge" || c == "movingwalkway" || c == "platform" || c == "ramp";
}
bool is_connector(std::string_view c) {
  return is_stairs_category(c) || is_elevator_category(c) || is_escalator_category(c) || c == "ramp";
}

struct RawEdge {
  std::uint32_t from, to;
  float cost;
  std::uint32_t unit;
  EdgeKind kind;
};

class Builder {
 public:
  Builder(const core::Venue& venue, const FloorPlan& plan, NavGraph::Impl& g, std::vector<MapProblem>& problems)
      : venue_(venue), plan_(plan), g_(g), problems_(problems) {}
  ~Builder() {
    for (auto* tree : level_trees_) GEOSSTRtree_destroy_r(geos_.handle(), tree);
  }
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;

  void run() {
    units();
    if (!venue_.openings.empty()) doors();
    else infer_doors();
    kiosks();
    inside_units();
    level_changes();
    pack();
  }

 private:
  // ---------------------------------------------------------------------------------------[units]
  std::uint32_t add_node(Vec2 p, std::uint32_t level, NodeKind kind, std::uint32_t ref) {
    g_.pos.push_back(p);
    g_.level.push_back(level);
    g_.kind.push_back(kind);
    g_.ref.push_back(ref);
    return static_cast<std::uint32_t>(g_.pos.size() - 1);
  }

  void problem(std::string type, const std::string& id, std::string message) {
    problems_.push_back({MapProblem::Severity::Warning, std::move(type), id, std::move(message)});
  }

  bool routed(std::uint32_t u) const { return g_.unit_flags[u] & kUnitRouted; }

  static std::string quoted(const core::Labels& name, const std::string& id) {
    const std::string& text = name.pick("en");
    return text.empty() ? id : "\"" + text + "\" (" + id + ")";
  }

  void units() {
    for (const auto& u : venue_.units) g_.unit_name.add("unit " + quoted(u.name, u.id));
    for (const auto& k : venue_.kiosks) g_.kiosk_name.add("kiosk " + quoted(k.name, k.id));
    for (const auto& l : venue_.levels) g_.level_name.add("level " + quoted(l.name, l.id));
    for (auto* names : {&g_.unit_name, &g_.kiosk_name, &g_.level_name}) {
      names->chars.shrink_to_fit();
      names->ends.shrink_to_fit();
    }
    const std::size_t n = venue_.units.size();
    g_.dest_node.assign(n, kNone);
    g_.unit_flags.assign(n, 0);
    outlines_.resize(n);
    members_.resize(n);
    unit_doors_.resize(n);
    level_trees_.resize(plan_.levels.size());
    for (std::size_t l = 0; l < plan_.levels.size(); ++l) {
      g_.ordinal.push_back(venue_.levels[l].ordinal);
      level_trees_[l] = GEOSSTRtree_create_r(geos_.handle(), 10);
    }
    for (std::uint32_t u = 0; u < n; ++u) {
      const PlanUnit& pu = plan_.units[u];
      const core::Unit& unit = venue_.units[u];
      if (pu.level == kNone || !pu.walkable || pu.box.empty()) continue;
      outlines_[u] = std::make_unique<UnitOutline>(pu.shape);
      g_.unit_flags[u] = kUnitRouted | (unit.restriction.empty() ? 0 : kUnitRestricted) |
                         (is_stairs_category(unit.category) || is_escalator_category(unit.category) ? kUnitHasSteps : 0);
      g_.dest_node[u] = add_node(pu.label_point, pu.level, NodeKind::Destination, u);
      members_[u].push_back({g_.dest_node[u], pu.label_point, false});
      boxes_.push_back(rectangle(pu.box, 0));
      GEOSSTRtree_insert_r(geos_.handle(), level_trees_[pu.level], boxes_.back().get(),
                           reinterpret_cast<void*>(static_cast<std::uintptr_t>(u)));
    }
  }

  GeomPtr rectangle(const Box& b, double grow) {
    return detail::own(geos_, GEOSGeom_createRectangle_r(geos_.handle(), b.min.x - grow, b.min.y - grow,
                                                         b.max.x + grow, b.max.y + grow));
  }

  // Routed units on `level` whose box meets `box` grown by `grow`.
  std::vector<std::uint32_t> units_near(std::uint32_t level, const Box& box, double grow) {
    std::vector<std::uint32_t> found;
    GeomPtr query = rectangle(box, grow);
    GEOSSTRtree_query_r(
        geos_.handle(), level_trees_[level], query.get(),
        [](void* item, void* out) {
          static_cast<std::vector<std::uint32_t>*>(out)->push_back(
              static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(item)));
        },
        &found);
    std::sort(found.begin(), found.end());  // the tree's order is not the map's
    return found;
  }

  const GEOSGeometry* shape(std::uint32_t u) {
    auto& g = shapes_[u];
    if (!g) g = detail::make_shape(geos_, plan_.units[u].shape);
    return g.get();
  }

  // A point strictly inside unit u near `p` (a door's midpoint on the wall), where sight lines start.
  bool inside_near(std::uint32_t u, Vec2 p, Vec2 along, Vec2& out) const {
    const UnitOutline& o = *outlines_[u];
    const Vec2 across{-along.y, along.x};
    for (float step : {0.05f, 0.15f, 0.3f, 0.45f})
      for (Vec2 dir : {across, across * -1.0f, along, along * -1.0f})
        if (o.contains(p + dir * step)) {
          out = p + dir * step;
          return true;
        }
    const Vec2 to_label = plan_.units[u].label_point - p;  // last resort: walk toward the label point
    const float len = length(to_label);
    for (float t = 0.05f; t < len; t += 0.1f)
      if (o.contains(p + to_label * (t / len))) {
        out = p + to_label * (t / len);
        return true;
      }
    return false;
  }

  // Adds a door node at the middle of a-b joining `units`; false when no unit has room for it.
  std::uint32_t add_door(Vec2 a, Vec2 b, std::uint32_t level, std::uint32_t opening, const std::vector<std::uint32_t>& units) {
    const Vec2 mid = (a + b) * 0.5f;
    Vec2 along = b - a;
    const float len = length(along);
    along = len > 1e-4f ? along * (1.0f / len) : Vec2{1, 0};
    std::uint32_t node = kNone;
    for (std::uint32_t u : units) {
      Vec2 test;
      if (!inside_near(u, mid, along, test)) continue;
      if (node == kNone) node = add_node(mid, level, NodeKind::Door, opening);
      members_[u].push_back({node, test, false});
      unit_doors_[u].push_back(node);
      door_units_[node].push_back(u);
    }
    return node;
  }

  // ---------------------------------------------------------------------------------------[doors]
  void doors() {
    door_of_opening_.assign(venue_.openings.size(), kNone);
    for (std::uint32_t i = 0; i < plan_.openings.size(); ++i) {
      const PlanOpening& o = plan_.openings[i];
      if (o.level == kNone) continue;  // the plan reported it
      const Vec2 mid = (o.a + o.b) * 0.5f;
      Box box;
      box.add(mid);
      std::vector<std::uint32_t> joined;
      for (std::uint32_t u : units_near(o.level, box, kDoorReach))
        if (outlines_[u]->within(mid, static_cast<float>(kDoorReach))) joined.push_back(u);
      if (joined.empty()) {
        problem("opening", venue_.openings[i].id,
                "door touches no wall: no walkable unit of its level is within 0.3 m of its middle; move the "
                "opening onto the wall between two units");
        continue;
      }
      door_of_opening_[i] = add_door(o.a, o.b, o.level, i, joined);
    }
  }

  // ------------------------------------------------------------------------------[inferred doors]
  // Exports without openings (OSM conversions) still have rooms along corridors: a room sharing
  // 0.8 m of wall with a corridor, a stair or a lift gets a door in the middle of that wall.
  void infer_doors() {
    g_.doors_inferred = true;
    std::size_t inferred = 0;
    for (std::uint32_t h = 0; h < venue_.units.size(); ++h) {
      if (!routed(h) || !hub(h)) continue;
      const PlanUnit& ph = plan_.units[h];
      GeomPtr grown = detail::own(geos_, GEOSBuffer_r(geos_.handle(), shape(h), kSharedWallGap, 2));
      if (!grown) continue;
      PreparedPtr grown_prepared = detail::prepare(geos_, grown.get());
      for (std::uint32_t a : units_near(ph.level, ph.box, kSharedWallGap)) {
        if (a == h || (hub(a) && a < h)) continue;  // hub pairs: once
        if (GEOSPreparedIntersects_r(geos_.handle(), grown_prepared.get(), shape(a)) != 1) continue;
        GeomPtr wall = detail::own(geos_, GEOSBoundary_r(geos_.handle(), shape(a)));
        GeomPtr shared = wall ? detail::own(geos_, GEOSIntersection_r(geos_.handle(), wall.get(), grown.get())) : nullptr;
        GeomPtr merged = shared ? detail::own(geos_, GEOSLineMerge_r(geos_.handle(), shared.get())) : nullptr;
        if (!merged) continue;
        const GEOSGeometry* longest = nullptr;
        double best = 0;
        for (int k = 0; k < GEOSGetNumGeometries_r(geos_.handle(), merged.get()); ++k) {
          const GEOSGeometry* part = GEOSGetGeometryN_r(geos_.handle(), merged.get(), k);
          double len = 0;
          if (GEOSLength_r(geos_.handle(), part, &len) == 1 && len > best) {
            best = len;
            longest = part;
          }
        }
        if (!longest || best < kSharedWallMin) continue;
        auto at = [&](double d) {
          Vec2 p;
          GeomPtr pt = detail::own(geos_, GEOSInterpolate_r(geos_.handle(), longest, d));
          if (pt) detail::for_each_point(geos_, pt.get(), [&](Vec2 q) { p = q; });
          return p;
        };
        const double half = std::min(0.45, best / 2);
        if (add_door(at(best / 2 - half), at(best / 2 + half), ph.level, kNone, {a, h}) != kNone) ++inferred;
      }
    }
    if (inferred == 0) {
      g_.no_doors = true;
      problem("opening", "", "map has no openings and no door could be inferred (no room shares 0.8 m of wall with a "
                             "corridor, stair or lift): nothing can be routed; add opening.geojson");
    } else {
      problem("opening", "", "map has no openings: " + std::to_string(inferred) +
                                 " doors inferred from shared walls; add opening.geojson for real doors");
    }
  }

  bool hub(std::uint32_t u) const {
    const std::string& c = venue_.units[u].category;
    return is_corridor_like(c) || is_connector(c);
  }

  // --------------------------------------------------------------------------------------[kiosks]
  void kiosks() {
    g_.kiosk_node.assign(venue_.kiosks.size(), kNone);
    g_.kiosk_unit.assign(venue_.kiosks.size(), kNone);
    for (std::uint32_t k = 0; k < plan_.kiosks.size(); ++k) {
      const PlanPoint& p = plan_.kiosks[k];
      if (!p.located || p.level == kNone) continue;  // the plan reported it
      Box box;
      box.add(p.point);
      std::uint32_t unit = kNone;
      Vec2 test = p.point;
      const auto near = units_near(p.level, box, 2.0);
      for (std::uint32_t u : near)
        if (outlines_[u]->contains(p.point)) {
          unit = u;
          break;
        }
      if (unit == kNone) {  // on a wall or just outside: the nearest unit within 2 m
        GeomPtr point = detail::make_point(geos_, p.point);
        double best = 2.0;
        for (std::uint32_t u : near) {
          double d = 0;
          if (GEOSDistance_r(geos_.handle(), shape(u), point.get(), &d) == 1 && d <= best &&
              inside_near(u, p.point, Vec2{1, 0}, test)) {
            best = d;
            unit = u;
          }
        }
        if (unit == kNone) {
          problem("kiosk", venue_.kiosks[k].id,
                  "kiosk stands in no walkable unit (none within 2 m of its point): no route starts there; move "
                  "its display_point into a corridor or hall");
          continue;
        }
        inside_near(unit, p.point, Vec2{1, 0}, test);  // the winner's, not the last tried
        problem("kiosk", venue_.kiosks[k].id, "kiosk stands outside every unit: routes start from the nearest one");
      }
      g_.kiosk_unit[k] = unit;
      g_.kiosk_node[k] = add_node(p.point, p.level, NodeKind::Kiosk, k);
      members_[unit].push_back({g_.kiosk_node[k], test, false});
    }
  }

  // --------------------------------------------------------------------------------[inside units]
  void inside_units() {
    for (std::uint32_t u = 0; u < venue_.units.size(); ++u) {
      auto& members = members_[u];
      if (members.size() < 2) continue;
      const PlanUnit& pu = plan_.units[u];
      for (Vec2 c : detail::inner_corners(pu.shape, *outlines_[u], kCornerInset))
        members.push_back({add_node(c, pu.level, NodeKind::Corner, u), c, true});
      for (auto [i, j] : detail::visible_pairs(*outlines_[u], members)) {
        const std::uint32_t a = members[i].node, b = members[j].node;
        const float cost = distance(g_.pos[a], g_.pos[b]) / g_.costs.walk_speed_mps;
        edges_.push_back({a, b, cost, u, EdgeKind::Walk});
        edges_.push_back({b, a, cost, u, EdgeKind::Walk});
      }
    }
  }

  // -------------------------------------------------------------------------------[level changes]
  struct End {
    std::uint32_t node = kNone, unit = kNone, level = kNone;
  };

  // Where a level change starts or ends for a unit: its destination point, or its lift car.
  End unit_end(std::uint32_t u, Connector via) {
    End e{g_.dest_node[u], u, plan_.units[u].level};
    if (via != Connector::Elevator) return e;
    auto [it, fresh] = car_.try_emplace(u, kNone);
    if (fresh) {
      it->second = add_node(g_.pos[e.node], e.level, NodeKind::LiftCar, u);
      edges_.push_back({e.node, it->second, g_.costs.elevator_wait_s, u, EdgeKind::Board});
      edges_.push_back({it->second, e.node, 0.0f, u, EdgeKind::Alight});
    }
    e.node = it->second;
    return e;
  }

  void link(const End& a, const End& b, Connector via, bool both_ways) {
    static constexpr EdgeKind kKind[] = {EdgeKind::Stairs, EdgeKind::Elevator, EdgeKind::Escalator, EdgeKind::Ramp};
    const RouteCosts& c = g_.costs;
    const float per_level[] = {c.stairs_s_per_level, c.elevator_s_per_level, c.escalator_s_per_level, c.ramp_s_per_level};
    const auto v = static_cast<std::size_t>(via);
    const int floors = std::max(1, std::abs(g_.ordinal[a.level] - g_.ordinal[b.level]));
    float cost = per_level[v] * floors + distance(g_.pos[a.node], g_.pos[b.node]) / c.walk_speed_mps;
    if (via == Connector::Elevator && g_.kind[a.node] != NodeKind::LiftCar) cost += c.elevator_wait_s;
    edges_.push_back({a.node, b.node, cost, b.unit, kKind[v]});
    if (both_ways) edges_.push_back({b.node, a.node, cost, a.unit, kKind[v]});
    g_.level_linked[a.level] = g_.level_linked[b.level] = 1;
  }

  static bool connector_of(std::string_view category, Connector& via) {
    if (category == "stairs") via = Connector::Stairs;
    else if (category == "elevator") via = Connector::Elevator;
    else if (category == "escalator") via = Connector::Escalator;
    else if (category == "ramp") via = Connector::Ramp;
    else return false;
    return true;
  }

  void level_changes() {
    g_.level_linked.assign(plan_.levels.size(), 0);
    bool any = false;
    for (const auto& r : venue_.relationships) {
      Connector via;
      if (!connector_of(r.category, via)) continue;
      any = true;
      relationship(r, via);
    }
    if (!any) stacked_connectors();
  }

  End resolve(const core::FeatureRef& ref, Connector via, const core::Relationship& r, const char* role) {
    if (const core::Unit* unit = venue_.unit(ref.id)) {
      const auto u = static_cast<std::uint32_t>(unit - venue_.units.data());
      if (routed(u)) return unit_end(u, via);
      problem("relationship", r.id, std::string("its ") + role + " is unit " + ref.id +
                                        ", which is not routed (no level, or not walkable): that end is left out");
      return {};
    }
    if (opening_index_.empty())
      for (std::uint32_t i = 0; i < venue_.openings.size(); ++i) opening_index_[venue_.openings[i].id] = i;
    auto it = opening_index_.find(ref.id);
    if (it != opening_index_.end() && !door_of_opening_.empty() && door_of_opening_[it->second] != kNone) {
      const std::uint32_t door = door_of_opening_[it->second];
      for (std::uint32_t u : door_units_[door]) {  // the connector unit behind the door, if any
        Connector c;
        if (connector_of(venue_.units[u].category, c) && c == via) return unit_end(u, via);
      }
      return {door, kNone, g_.level[door]};
    }
    problem("relationship", r.id, std::string("its ") + role + " names " +
                                      (ref.feature_type.empty() ? "feature" : ref.feature_type) + " " + ref.id +
                                      ", which is not in the map (or is a door on no wall): that end is left out");
    return {};
  }

  // Links the relationship's ends level by level (origin, intermediaries, destination; a unit wins
  // over a door on the same level). "directed": from the origin's level toward the destination's.
  void relationship(const core::Relationship& r, Connector via) {
    std::vector<End> ends;
    End origin, dest;
    if (r.origin) ends.push_back(origin = resolve(*r.origin, via, r, "origin"));
    for (const auto& ref : r.intermediary) ends.push_back(resolve(ref, via, r, "intermediary"));
    if (r.destination) ends.push_back(dest = resolve(*r.destination, via, r, "destination"));
    std::vector<End> by_level;
    for (const End& e : ends) {
      if (e.node == kNone) continue;
      auto same = std::find_if(by_level.begin(), by_level.end(), [&](const End& x) { return x.level == e.level; });
      if (same == by_level.end()) by_level.push_back(e);
      else if (same->unit == kNone && e.unit != kNone) *same = e;
    }
    if (by_level.size() < 2) {
      problem("relationship", r.id, "relationship (" + r.category + ") links fewer than two levels that exist: no level "
                                    "change is made from it; check its origin, intermediary and destination");
      return;
    }
    std::sort(by_level.begin(), by_level.end(), [&](const End& a, const End& b) { return g_.ordinal[a.level] < g_.ordinal[b.level]; });
    const bool directed = r.direction == "directed" && origin.node != kNone && dest.node != kNone;
    const bool up = !directed || g_.ordinal[origin.level] < g_.ordinal[dest.level];
    for (std::size_t i = 0; i + 1 < by_level.size(); ++i) {
      if (up) link(by_level[i], by_level[i + 1], via, !directed);
      else link(by_level[i + 1], by_level[i], via, false);
    }
  }

  // No relationships at all: stairs and lifts whose footprints overlap on consecutive levels.
  void stacked_connectors() {
    std::size_t linked = 0;
    for (std::size_t l = 0; l + 1 < plan_.levels.size(); ++l) {
      const auto upper = static_cast<std::uint32_t>(l + 1);
      for (std::uint32_t a : plan_.levels[l].units) {
        Connector via;
        if (!routed(a) || !connector_of(venue_.units[a].category, via) || via == Connector::Ramp) continue;
        for (std::uint32_t b : units_near(upper, plan_.units[a].box, 0)) {
          if (venue_.units[b].category != venue_.units[a].category) continue;
          GeomPtr common = detail::own(geos_, GEOSIntersection_r(geos_.handle(), shape(a), shape(b)));
          double area = 0;
          if (!common || GEOSArea_r(geos_.handle(), common.get(), &area) != 1) continue;
          if (area <= kStackedOverlap * std::min(plan_.units[a].area_m2, plan_.units[b].area_m2)) continue;
          link(unit_end(a, via), unit_end(b, via), via, true);
          ++linked;
        }
      }
    }
    if (linked > 0)
      problem("relationship", "", "map has no stairs/elevator relationships: " + std::to_string(linked) +
                                      " level connections inferred from stairs/lift units stacked on consecutive "
                                      "levels; add relationship.geojson to make them explicit");
  }

  // -------------------------------------------------------------------------------------[packing]
  void pack() {
    const std::size_t n = g_.pos.size();
    g_.first.assign(n + 1, 0);
    for (const RawEdge& e : edges_) ++g_.first[e.from + 1];
    for (std::size_t i = 1; i <= n; ++i) g_.first[i] += g_.first[i - 1];
    g_.to.resize(edges_.size());
    g_.cost.resize(edges_.size());
    std::vector<std::uint32_t> unit(edges_.size());
    std::vector<EdgeKind> kind(edges_.size());
    std::vector<std::uint32_t> at(g_.first.begin(), g_.first.end() - 1);
    for (const RawEdge& e : edges_) {
      const std::uint32_t k = at[e.from]++;
      g_.to[k] = e.to;
      g_.cost[k] = e.cost;
      unit[k] = e.unit;
      kind[k] = e.kind;
    }
    // Runs of edges out of the same node with the same unit and kind, in the edges' order.
    g_.run_first.assign(n + 1, 0);
    for (std::size_t v = 0; v < n; ++v) {
      g_.run_first[v] = static_cast<std::uint32_t>(g_.runs.size());
      for (std::uint32_t k = g_.first[v]; k < g_.first[v + 1]; ++k) {
        if (k > g_.first[v] && g_.runs.back().unit == unit[k] && g_.runs.back().kind == kind[k])
          ++g_.runs.back().end;
        else
          g_.runs.push_back({k + 1, unit[k], kind[k]});
      }
    }
    g_.run_first[n] = static_cast<std::uint32_t>(g_.runs.size());
    g_.runs.shrink_to_fit();
    g_.door_first.assign(venue_.units.size() + 1, 0);
    for (std::size_t u = 0; u < venue_.units.size(); ++u) {
      g_.door_first[u + 1] = g_.door_first[u] + static_cast<std::uint32_t>(unit_doors_[u].size());
      g_.door_nodes.insert(g_.door_nodes.end(), unit_doors_[u].begin(), unit_doors_[u].end());
    }
    // The node arrays grew one push_back at a time (up to twice what they hold): the graph lives as
    // long as the map, so give the slack back.
    g_.pos.shrink_to_fit();
    g_.level.shrink_to_fit();
    g_.kind.shrink_to_fit();
    g_.ref.shrink_to_fit();
    g_.door_nodes.shrink_to_fit();
    g_.ordinal.shrink_to_fit();
    const RouteCosts& c = g_.costs;
    g_.min_level_change_s = std::min({c.stairs_s_per_level, c.elevator_s_per_level, c.escalator_s_per_level, c.ramp_s_per_level});
    g_.min_level_change_s = std::max(0.0f, g_.min_level_change_s);
  }

  const core::Venue& venue_;
  const FloorPlan& plan_;
  NavGraph::Impl& g_;
  std::vector<MapProblem>& problems_;
  detail::Geos geos_;
  // Declared after geos_: destroyed before its context is.
  std::vector<GEOSSTRtree*> level_trees_;
  std::vector<GeomPtr> boxes_;
  std::unordered_map<std::uint32_t, GeomPtr> shapes_;
  std::vector<std::unique_ptr<UnitOutline>> outlines_;
  std::vector<std::vector<Member>> members_;
  std::vector<std::vector<std::uint32_t>> unit_doors_;
  std::vector<std::uint32_t> door_of_opening_;
  std::unordered_map<std::string, std::uint32_t> opening_index_;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> door_units_;
  std::unordered_map<std::uint32_t, std::uint32_t> car_;
  std::vector<RawEdge> edges_;
};

}  // namespace

NavGraph NavGraph::build(const core::Venue& venue, const FloorPlan& plan, const RouteCosts& costs,
                         std::vector<MapProblem>* problems) {
  NavGraph graph;
  graph.impl_->costs = costs;
  graph.impl_->costs.walk_speed_mps = std::max(0.1f, costs.walk_speed_mps);
  std::vector<MapProblem> found;
  Builder(venue, plan, *graph.impl_, found).run();
  if (problems) problems->insert(problems->end(), found.begin(), found.end());
  return graph;
}

}  // namespace kiosk::wayfinding
