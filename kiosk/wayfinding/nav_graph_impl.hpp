// NavGraph's insides, shared by nav_graph_build.cpp (geometry -> graph), nav_graph_visibility.cpp
// (paths inside one unit) and nav_graph_search.cpp (A*, routes, reachability). Not a public header.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wayfinding/nav_graph.hpp"

namespace kiosk::wayfinding {

enum class NodeKind : unsigned char { Door, Kiosk, Destination, Corner, LiftCar };
// Walk: inside one unit. Board/Alight: between a lift's hall point and its car (the wait is
// charged on Board, once per ride). The rest change level.
enum class EdgeKind : unsigned char { Walk, Board, Alight, Stairs, Elevator, Escalator, Ramp };

inline bool changes_level(EdgeKind k) { return k >= EdgeKind::Stairs; }

// Per unit, for the search: what it is and whether a query may cross it.
enum UnitFlag : unsigned char {
  kUnitRouted = 1,      // on a level, walkable, with a destination node
  kUnitRestricted = 2,  // IMDF restriction: entered only as start or destination
  kUnitHasSteps = 4,    // stairs, steps, escalator: never on a step-free route
};

struct NavGraph::Impl {
  RouteCosts costs;

  // Nodes.
  std::vector<Vec2> pos;               // metres; what the route's polyline goes through
  std::vector<std::uint32_t> level;    // index into FloorPlan::levels
  std::vector<NodeKind> kind;
  std::vector<std::uint32_t> ref;      // Door: opening index (kNone when inferred); Kiosk: kiosk
                                       // index; Destination, Corner, LiftCar: unit index

  // Edges, CSR: the edges out of node n are first[n] .. first[n+1]-1.
  std::vector<std::uint32_t> first;
  std::vector<std::uint32_t> to;
  std::vector<float> cost;             // seconds
  // What each edge is and its unit (the unit a Walk/Board/Alight edge lies in; for level changes the
  // connector unit it arrives in, or kNone), run-length coded: the edges out of a node come unit by
  // unit (a corridor door's dozen sight lines all lie in the corridor), so node n's edges are covered,
  // in order, by the runs run_first[n] .. run_first[n+1]-1, each up to (not including) its `end` edge.
  // ~1.5 runs a node instead of 5 bytes an edge; a search tests a whole run at once.
  struct EdgeRun {
    std::uint32_t end;
    std::uint32_t unit;
    EdgeKind kind;
  };
  std::vector<std::uint32_t> run_first;
  std::vector<EdgeRun> runs;
  // The run holding edge k, an edge out of node n.
  const EdgeRun& run_of(std::uint32_t n, std::uint32_t k) const {
    std::uint32_t r = run_first[n];
    while (runs[r].end <= k) ++r;
    return runs[r];
  }
  std::uint32_t run_begin(std::uint32_t n, std::uint32_t r) const { return r == run_first[n] ? first[n] : runs[r - 1].end; }

  // Per unit (parallel to venue.units).
  std::vector<std::uint32_t> dest_node;        // kNone when the unit is not routed
  std::vector<unsigned char> unit_flags;
  std::vector<std::uint32_t> door_first;       // CSR: door nodes of unit u
  std::vector<std::uint32_t> door_nodes;

  // Per kiosk (parallel to venue.kiosks).
  std::vector<std::uint32_t> kiosk_node;       // kNone when the kiosk is not placed
  std::vector<std::uint32_t> kiosk_unit;

  // Per level (parallel to plan.levels).
  std::vector<int> ordinal;
  std::vector<unsigned char> level_linked;     // 1 when a level change touches the level

  // Names for the details of a failed route ("unit \"Salle 2-14\" (id)"): the graph does not keep the venue.
  // One buffer per kind, not one string per unit: read only when a route fails.
  struct Names {
    std::string chars;
    std::vector<std::uint32_t> ends;  // name i is chars[ends[i-1] .. ends[i])
    void add(std::string_view name) {
      chars.append(name);
      ends.push_back(static_cast<std::uint32_t>(chars.size()));
    }
    std::string operator[](std::size_t i) const {
      const std::uint32_t begin = i == 0 ? 0 : ends[i - 1];
      return chars.substr(begin, ends[i] - begin);
    }
    std::size_t memory_bytes() const { return chars.capacity() + ends.capacity() * sizeof(std::uint32_t); }
  };
  Names unit_name, kiosk_name, level_name;

  bool doors_inferred = false;                 // the export has no openings: doors come from shared walls
  bool no_doors = false;                       // no openings and none could be inferred
  float min_level_change_s = 0;                // cheapest second per level, for A*'s estimate

  std::size_t door_count(std::uint32_t u) const { return door_first[u + 1] - door_first[u]; }
};

namespace detail {

// A unit's outline as plain segments, for the two questions asked thousands of times while building
// (is this point inside? does this segment stay inside?). GEOS answers them too, but at ~1.5 µs a
// call with a LineString to allocate; a bucket grid here answers in ~0.1 µs, which is what keeps a
// 5,000-unit build within its budget. Only the interiors matter: callers never pass boundary points.
class UnitOutline {
 public:
  explicit UnitOutline(const LocalShape& shape);
  bool contains(Vec2 p) const;              // strictly inside (points on the boundary: either)
  bool sees(Vec2 a, Vec2 b) const;          // segment a-b touches no wall (a, b inside)
  bool within(Vec2 p, float reach) const;   // inside, or a wall closer than `reach`
  const Box& box() const { return box_; }

 private:
  template <typename F>
  void for_cells_on(Vec2 a, Vec2 b, F&& f) const;

  std::vector<Vec2> from_, to_;             // the walls
  Box box_;
  float cell_ = 0;                          // 0: no grid (few walls, test them all)
  int nx_ = 0, ny_ = 0;
  std::vector<std::uint32_t> cell_first_, cell_walls_;
};

// The reflex corners of a unit, moved `inset` metres inward (less where the room is narrow), so that a
// path bending there keeps clear of both walls. Corners that cannot be moved inside are left out.
std::vector<Vec2> inner_corners(const LocalShape& shape, const UnitOutline& outline, float inset);

// One node of a unit's visibility graph: `test` is where its sight lines start, strictly inside the
// unit (a door's midpoint lies on the wall; its test point is a few centimetres in).
struct Member {
  std::uint32_t node;
  Vec2 test;
  bool hub;  // corners: linked to everything they see, not only to their nearest neighbours
};

// Pairs of members that see each other, as indices into `members`. All pairs in rooms with few nodes
// (the exact shortest path); in large ones (a corridor with hundreds of doors), each node links to
// its nearest visible neighbours and every hub it sees, which keeps the graph sparse at a cost of
// centimetres on long corridors.
std::vector<std::pair<std::uint32_t, std::uint32_t>> visible_pairs(const UnitOutline& outline,
                                                                   const std::vector<Member>& members);

}  // namespace detail
}  // namespace kiosk::wayfinding
