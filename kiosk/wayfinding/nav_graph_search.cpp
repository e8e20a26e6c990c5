// Queries on the NavGraph: A* for one route (Dijkstra for times_from), the route's legs and level
// changes, why there is no route, and the whole-map reachability check.
// Sections: [search] [route] [why not] [times] [reachability].
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "wayfinding/nav_graph_impl.hpp"

namespace kiosk::wayfinding {

NavGraph::NavGraph() : impl_(std::make_unique<Impl>()) {}
NavGraph::~NavGraph() = default;
NavGraph::NavGraph(NavGraph&&) noexcept = default;
NavGraph& NavGraph::operator=(NavGraph&&) noexcept = default;
NavGraph::NavGraph(const NavGraph& other) : impl_(std::make_unique<Impl>(other.impl_ ? *other.impl_ : Impl{})) {}
NavGraph& NavGraph::operator=(const NavGraph& other) {
  if (this != &other) *this = NavGraph(other);
  return *this;
}

std::size_t NavGraph::node_count() const { return impl_ ? impl_->pos.size() : 0; }
std::size_t NavGraph::edge_count() const { return impl_ ? impl_->to.size() : 0; }
std::size_t NavGraph::memory_bytes() const {
  if (!impl_) return 0;
  const Impl& g = *impl_;
  return sizeof(g) + g.pos.capacity() * sizeof(Vec2) + g.level.capacity() * 4 + g.kind.capacity() +
         g.ref.capacity() * 4 + g.first.capacity() * 4 + g.to.capacity() * 4 + g.cost.capacity() * 4 +
         g.run_first.capacity() * 4 + g.runs.capacity() * sizeof(Impl::EdgeRun) + g.dest_node.capacity() * 4 +
         g.unit_flags.capacity() +
         (g.door_first.capacity() + g.door_nodes.capacity() + g.kiosk_node.capacity() + g.kiosk_unit.capacity()) * 4 +
         g.ordinal.capacity() * sizeof(int) + g.level_linked.capacity();
}

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

const std::string& name_of(const core::Unit& u) {
  const std::string& n = u.name.pick("en");
  return n.empty() ? u.id : n;
}

// ---------------------------------------------------------------------------------------[search]
// One search's state: arrays as long as the graph, so queries share nothing and stay thread-safe.
class Search {
 public:
  Search(const NavGraph::Impl& g, bool step_free, std::uint32_t open_a, std::uint32_t open_b)
      : g_(g), step_free_(step_free), open_a_(open_a), open_b_(open_b),
        dist_(g.pos.size(), kInf), prev_edge_(g.pos.size(), kNone), prev_node_(g.pos.size(), kNone) {}

  // A* toward `goal` (consistent estimate: straight line at walking speed plus the cheapest level
  // change per floor), or Dijkstra over everything when goal is kNone. Ends: every node is settled
  // at most once.
  void run(std::uint32_t start, std::uint32_t goal) {
    using Entry = std::pair<float, std::uint32_t>;
    std::vector<Entry> heap;
    std::vector<unsigned char> done(g_.pos.size(), 0);
    dist_[start] = 0;
    heap.emplace_back(estimate(start, goal), start);
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>());
      const std::uint32_t n = heap.back().second;
      heap.pop_back();
      if (done[n]) continue;
      done[n] = 1;
      if (n == goal) return;
      for (std::uint32_t r = g_.run_first[n], k = g_.first[n]; r < g_.run_first[n + 1]; ++r) {
        const NavGraph::Impl::EdgeRun& run = g_.runs[r];
        if (!allowed(run.kind, run.unit)) {
          k = run.end;
          continue;
        }
        for (; k < run.end; ++k) {
          const std::uint32_t m = g_.to[k];
          const float d = dist_[n] + g_.cost[k];
          if (done[m] || d >= dist_[m]) continue;
          dist_[m] = d;
          prev_edge_[m] = k;
          prev_node_[m] = n;
          heap.emplace_back(d + estimate(m, goal), m);
          std::push_heap(heap.begin(), heap.end(), std::greater<>());
        }
      }
    }
  }

  // Restricted units (and, step-free, stairs) are crossed only when they are the start or the end.
  bool allowed(EdgeKind kind, std::uint32_t u) const {
    if (step_free_ && (kind == EdgeKind::Stairs || kind == EdgeKind::Escalator)) return false;
    if (changes_level(kind) || u == kNone) return true;
    const unsigned char f = g_.unit_flags[u];
    const bool closed = (f & kUnitRestricted) || (step_free_ && (f & kUnitHasSteps));
    return !closed || u == open_a_ || u == open_b_;
  }

  float dist(std::uint32_t n) const { return dist_[n]; }
  std::uint32_t prev_edge(std::uint32_t n) const { return prev_edge_[n]; }
  std::uint32_t prev_node(std::uint32_t n) const { return prev_node_[n]; }

 private:
  float estimate(std::uint32_t n, std::uint32_t goal) const {
    if (goal == kNone) return 0;
    const int floors = std::abs(g_.ordinal[g_.level[n]] - g_.ordinal[g_.level[goal]]);
    return distance(g_.pos[n], g_.pos[goal]) / g_.costs.walk_speed_mps + g_.min_level_change_s * static_cast<float>(floors);
  }

  const NavGraph::Impl& g_;
  bool step_free_;
  std::uint32_t open_a_, open_b_;
  std::vector<float> dist_;
  std::vector<std::uint32_t> prev_edge_, prev_node_;
};

Connector connector_of(EdgeKind k) {
  switch (k) {
    case EdgeKind::Elevator: return Connector::Elevator;
    case EdgeKind::Escalator: return Connector::Escalator;
    case EdgeKind::Ramp: return Connector::Ramp;
    default: return Connector::Stairs;
  }
}

// ----------------------------------------------------------------------------------------[route]
Route assemble(const NavGraph::Impl& g, const Search& s, std::uint32_t start, std::uint32_t goal) {
  std::vector<std::uint32_t> edges;
  for (std::uint32_t n = goal; n != start; n = s.prev_node(n)) edges.push_back(s.prev_edge(n));
  std::reverse(edges.begin(), edges.end());

  Route route;
  route.legs.push_back({g.level[start], {g.pos[start]}, {}, {}});
  std::uint32_t from = start;
  bool changing = false;  // the previous edge changed level: a chain of them is one ride
  for (std::uint32_t k : edges) {
    const std::uint32_t to = g.to[k];
    const NavGraph::Impl::EdgeRun& run = g.run_of(from, k);
    const EdgeKind kind = run.kind;
    const std::uint32_t edge_unit = run.unit;
    if (changes_level(kind)) {
      const Connector via = connector_of(kind);
      if (changing && route.changes.back().via == via) {
        route.legs.pop_back();  // an intermediate floor passed by: no walking there
        route.changes.back().to_level = g.level[to];
        route.changes.back().to_unit = edge_unit;
      } else {
        const bool on_unit = g.kind[from] == NodeKind::Destination || g.kind[from] == NodeKind::LiftCar;
        route.changes.push_back({via, g.level[from], g.level[to], on_unit ? g.ref[from] : kNone, edge_unit});
      }
      route.legs.push_back({g.level[to], {g.pos[to]}, {}, {}});
      if (edge_unit != kNone) route.legs.back().units.push_back(edge_unit);
      changing = true;
    } else {
      RouteLeg& leg = route.legs.back();
      const std::uint32_t u = edge_unit;
      if (g.kind[from] == NodeKind::Door && g.ref[from] != kNone && !leg.units.empty() && leg.units.back() != u)
        leg.openings.push_back(g.ref[from]);
      if (leg.units.empty() || leg.units.back() != u) leg.units.push_back(u);
      if (!(leg.points.back() == g.pos[to])) leg.points.push_back(g.pos[to]);
      if (kind == EdgeKind::Walk) route.distance_m += distance(g.pos[from], g.pos[to]);
      changing = false;
    }
    from = to;
  }
  route.time_s = s.dist(goal);
  return route;
}

// --------------------------------------------------------------------------------------[why not]
RouteResult failure(NoRouteReason reason, std::string detail) {
  RouteResult r;
  r.reason = reason;
  r.detail = std::move(detail);
  return r;
}

std::string level_name(const core::Venue& venue, std::uint32_t level) {
  const core::Level& l = venue.levels[level];
  const std::string& n = l.name.pick("en");
  return "level \"" + (n.empty() ? l.id : n) + "\"";
}

}  // namespace

RouteResult NavGraph::route(std::uint32_t from_kiosk, std::uint32_t to_unit, const RouteOptions& options) const {
  const Impl& g = *impl_;
  if (from_kiosk >= g.kiosk_node.size())
    return failure(NoRouteReason::NoKiosk, "kiosk #" + std::to_string(from_kiosk) + " is not on the map (it has " +
                                               std::to_string(g.kiosk_node.size()) + " kiosks)");
  const std::string kiosk = g.kiosk_name[from_kiosk];
  if (g.kiosk_node[from_kiosk] == kNone)
    return failure(NoRouteReason::NoKiosk, kiosk + " has no place on the map: no level, no point, or it stands in no "
                                                   "walkable unit (see `kiosk check`)");
  if (to_unit >= g.dest_node.size())
    return failure(NoRouteReason::UnknownDestination, "unit #" + std::to_string(to_unit) + " is not on the map (it has " +
                                                          std::to_string(g.dest_node.size()) + " units)");
  const std::string unit = g.unit_name[to_unit];
  const std::uint32_t start = g.kiosk_node[from_kiosk], goal = g.dest_node[to_unit];
  const std::uint32_t start_unit = g.kiosk_unit[from_kiosk];
  if (goal == kNone)
    return failure(NoRouteReason::Unreachable, unit + " is not routed: it is on no level, has no outline, or its "
                                                      "category is not walkable (structure, column, void, ...)");
  if (g.no_doors && start_unit != to_unit)
    return failure(NoRouteReason::NoDoors, "the map has no openings and no door could be inferred from shared walls, so "
                                           "no route leaves " + kiosk + ": add opening.geojson (doors between units)");
  Search search(g, options.step_free, start_unit, to_unit);
  search.run(start, goal);
  if (search.dist(goal) < kInf) {
    RouteResult r;
    r.route = assemble(g, search, start, goal);
    r.route->from_kiosk = from_kiosk;
    r.route->to_unit = to_unit;
    r.route->step_free = options.step_free;
    return r;
  }
  if (options.step_free) {
    Search any(g, false, start_unit, to_unit);
    any.run(start, goal);
    if (any.dist(goal) < kInf)
      return failure(NoRouteReason::NoStepFreeWay, unit + " is reached from " + kiosk +
                                                       " only by stairs, steps or an escalator: no lift or ramp on the way");
  }
  const std::uint32_t goal_level = g.level[goal], start_level = g.level[start];
  std::string why;
  if (g.door_count(to_unit) == 0 && start_unit != to_unit)
    why = g.doors_inferred ? "it has no door: the map has no openings, and it shares no 0.8 m of wall with a corridor, "
                             "stairs or lift; add opening.geojson"
                           : "it has no door (no opening lies within 0.3 m of its outline): add one on its wall";
  else if (goal_level != start_level && !g.level_linked[goal_level])
    why = "its " + g.level_name[goal_level] + " has no stairs, lift, escalator or ramp linked to another level: add a relationship";
  else if (goal_level != start_level && !g.level_linked[start_level])
    why = "the kiosk's " + g.level_name[start_level] + " has no stairs, lift, escalator or ramp linked to another level: add a relationship";
  else
    why = "the doors and level connectors of the map do not join it to the kiosk's unit (restricted units are not "
          "crossed); check the openings around it";
  return failure(NoRouteReason::Unreachable, "no path from " + kiosk + " to " + unit + ": " + why);
}

// ----------------------------------------------------------------------------------------[times]
std::vector<float> NavGraph::times_from(std::uint32_t from_kiosk, const RouteOptions& options) const {
  const Impl& g = *impl_;
  std::vector<float> out(g.dest_node.size(), kInf);
  if (from_kiosk >= g.kiosk_node.size() || g.kiosk_node[from_kiosk] == kNone) return out;
  const std::uint32_t start_unit = g.kiosk_unit[from_kiosk];
  Search search(g, options.step_free, start_unit, kNone);
  search.run(g.kiosk_node[from_kiosk], kNone);
  for (std::size_t u = 0; u < out.size(); ++u)
    if (g.dest_node[u] != kNone) out[u] = search.dist(g.dest_node[u]);
  // Units the search could not cross (restricted; stairs when step-free) are still destinations:
  // walk inside each from its reached doors to its destination point.
  std::unordered_map<std::uint32_t, float> local;
  std::vector<std::pair<float, std::uint32_t>> heap;
  for (std::uint32_t u = 0; u < out.size(); ++u) {
    const unsigned char f = g.unit_flags[u];
    const bool closed = (f & kUnitRestricted) || (options.step_free && (f & kUnitHasSteps));
    if (!(f & kUnitRouted) || !closed || u == start_unit) continue;
    local.clear();
    heap.clear();
    for (std::uint32_t i = g.door_first[u]; i < g.door_first[u + 1]; ++i) {
      const std::uint32_t d = g.door_nodes[i];
      if (search.dist(d) < kInf) {
        local[d] = search.dist(d);
        heap.emplace_back(search.dist(d), d);
      }
    }
    std::make_heap(heap.begin(), heap.end(), std::greater<>());
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>());
      auto [d, n] = heap.back();
      heap.pop_back();
      if (d > local[n]) continue;
      if (n == g.dest_node[u]) {
        out[u] = d;
        break;
      }
      for (std::uint32_t r = g.run_first[n], k = g.first[n]; r < g.run_first[n + 1]; k = g.runs[r++].end) {
        if (g.runs[r].unit != u || g.runs[r].kind != EdgeKind::Walk) continue;
        for (std::uint32_t e = k; e < g.runs[r].end; ++e) {
          auto [it, fresh] = local.try_emplace(g.to[e], kInf);
          if (d + g.cost[e] < it->second) {
            it->second = d + g.cost[e];
            heap.emplace_back(it->second, g.to[e]);
            std::push_heap(heap.begin(), heap.end(), std::greater<>());
          }
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------[reachability]
std::vector<MapProblem> check_reachability(const core::Venue& venue, const FloorPlan& plan, const NavGraph& graph) {
  constexpr std::size_t kListed = 20;  // units named one by one; the rest are counted
  std::vector<MapProblem> out;
  const std::size_t units = std::min(venue.units.size(), plan.units.size());
  std::vector<unsigned char> reached(units, 0);
  bool any_kiosk = false;
  for (std::uint32_t k = 0; k < venue.kiosks.size(); ++k) {
    const std::vector<float> t = graph.times_from(k);
    if (t.empty() || std::none_of(t.begin(), t.end(), [](float x) { return x < kInf; })) continue;
    any_kiosk = true;
    for (std::size_t u = 0; u < units && u < t.size(); ++u)
      if (t[u] < kInf) reached[u] = 1;
  }
  if (!any_kiosk) {
    out.push_back({MapProblem::Severity::Warning, "kiosk", "",
                   "no kiosk of the map is placed in a walkable unit: which units a panel can route to is not checked; "
                   "add kiosk features"});
  } else {
    std::size_t missed = 0;
    for (std::size_t u = 0; u < units; ++u) {
      const PlanUnit& pu = plan.units[u];
      if (pu.level == kNone || !pu.walkable || reached[u]) continue;
      if (++missed <= kListed)
        out.push_back({MapProblem::Severity::Warning, "unit", venue.units[u].id,
                       "no kiosk reaches unit \"" + name_of(venue.units[u]) + "\" on " + level_name(venue, pu.level) +
                           ": it has no door on a walkable path, or its level is not linked; add an opening"});
    }
    if (missed > kListed)
      out.push_back({MapProblem::Severity::Warning, "unit", "",
                     "... and " + std::to_string(missed - kListed) + " more units no kiosk reaches (" +
                         std::to_string(missed) + " in all)"});
  }
  const NavGraph::Impl* g = graph.impl_.get();
  if (g && plan.levels.size() > 1)
    for (std::uint32_t l = 0; l < plan.levels.size() && l < g->level_linked.size(); ++l)
      if (!plan.levels[l].units.empty() && !g->level_linked[l])
        out.push_back({MapProblem::Severity::Warning, "level", venue.levels[l].id,
                       level_name(venue, l) + " has no way up or down: no stairs, lift, escalator or ramp links it "
                                              "to another level; add relationship features"});
  return out;
}

}  // namespace kiosk::wayfinding
