// directions(): from a Route's polylines to the steps a visitor follows. Sentences are in
// directions_text.cpp. Pure geometry on the plan's metres (x east, y north; left = counter-clockwise).
// The thresholds and choices are listed with directions() in directions.hpp.
#include <algorithm>
#include <cmath>
#include <optional>

#include "wayfinding/directions.hpp"

namespace kiosk::wayfinding {
namespace {

constexpr float kPi = 3.14159265f;
constexpr float kSimplifyTolerance = 0.5f;
constexpr float kMinSegment = 1.5f;
constexpr float kDoorJoinsTurn = 2.5f;
constexpr float kLongWalk = 30.f;
constexpr float kUnitLandmarkRadius = 6.f;
constexpr float kAmenityLandmarkRadius = 5.f;
constexpr float kBeside = 1.5f;
constexpr float kDoorLookBack = 4.f;
constexpr float kApproach = 4.f;

Vec2 normalized(Vec2 v) {
  float n = length(v);
  return n > 1e-6f ? v * (1.f / n) : Vec2{};
}

// Signed angle in degrees from `in` to `out`, positive counter-clockwise (a left turn).
float turn_degrees(Vec2 in, Vec2 out) { return std::atan2(cross(in, out), dot(in, out)) * 180.f / kPi; }

Turn classify(float degrees) {
  float a = std::fabs(degrees);
  bool left = degrees > 0;
  if (a < 25) return Turn::Straight;
  if (a < 60) return left ? Turn::SlightLeft : Turn::SlightRight;
  if (a < 135) return left ? Turn::Left : Turn::Right;
  if (a < 170) return left ? Turn::SharpLeft : Turn::SharpRight;
  return Turn::UTurn;
}

Vec2 closest_on_segment(Vec2 p, Vec2 a, Vec2 b, float* t_out = nullptr) {
  Vec2 ab = b - a;
  float len2 = dot(ab, ab);
  float t = len2 > 0 ? std::clamp(dot(p - a, ab) / len2, 0.f, 1.f) : 0.f;
  if (t_out) *t_out = t;
  return a + ab * t;
}

// A leg's polyline with its arc lengths; points closer than 5 cm are one.
struct Walk {
  std::vector<Vec2> p;
  std::vector<float> s;

  explicit Walk(const std::vector<Vec2>& points) {
    for (Vec2 q : points) {
      if (!p.empty() && distance(p.back(), q) < 0.05f) continue;
      s.push_back(p.empty() ? 0.f : s.back() + distance(p.back(), q));
      p.push_back(q);
    }
  }
  float length() const { return s.empty() ? 0.f : s.back(); }
  Vec2 at(float arc) const {
    if (p.empty()) return {};
    for (std::size_t i = 1; i < p.size(); ++i)
      if (arc <= s[i]) {
        float seg = s[i] - s[i - 1];
        return p[i - 1] + (p[i] - p[i - 1]) * (seg > 0 ? (arc - s[i - 1]) / seg : 0.f);
      }
    return p.back();
  }
};

struct Corner { Vec2 p; float s = 0; };

void douglas_peucker(const Walk& w, std::size_t first, std::size_t last, std::vector<bool>& keep) {
  float worst = 0;
  std::size_t at = first;
  for (std::size_t i = first + 1; i < last; ++i) {
    float d = distance(w.p[i], closest_on_segment(w.p[i], w.p[first], w.p[last]));
    if (d > worst) worst = d, at = i;
  }
  if (worst <= kSimplifyTolerance) return;
  keep[at] = true;
  douglas_peucker(w, first, at, keep);
  douglas_peucker(w, at, last, keep);
}

std::vector<Corner> simplify(const Walk& w) {
  std::vector<Corner> out;
  if (w.p.empty()) return out;
  std::vector<bool> keep(w.p.size(), false);
  keep.front() = keep.back() = true;
  if (w.p.size() > 2) douglas_peucker(w, 0, w.p.size() - 1, keep);
  for (std::size_t i = 0; i < w.p.size(); ++i)
    if (keep[i]) out.push_back({w.p[i], w.s[i]});
  // Fold the shortest segment until none is under kMinSegment; the two ends never move.
  while (out.size() > 2) {
    std::size_t shortest = 0;
    float best = kMinSegment;
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
      float d = distance(out[i].p, out[i + 1].p);
      if (d < best) best = d, shortest = i;
    }
    if (best >= kMinSegment) break;
    if (shortest == 0) {
      out.erase(out.begin() + 1);
    } else if (shortest + 2 == out.size()) {
      out.erase(out.end() - 2);
    } else {
      Corner& a = out[shortest];
      const Corner& b = out[shortest + 1];
      a = {(a.p + b.p) * 0.5f, (a.s + b.s) * 0.5f};
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(shortest) + 1);
    }
  }
  return out;
}

// Arc length where the walk crosses a door (first crossing from `from`), else where it passes
// closest to the door's middle if that is within 1.5 m.
std::optional<float> locate_door(const Walk& w, const PlanOpening& door, float from) {
  Vec2 widen = normalized(door.b - door.a) * 0.2f;  // a walk along the jamb still counts
  Vec2 a = door.a - widen, b = door.b + widen, mid = (door.a + door.b) * 0.5f;
  float best_d = 1.5f;
  std::optional<float> best;
  for (std::size_t i = 1; i < w.p.size(); ++i) {
    if (w.s[i] < from) continue;
    Vec2 p = w.p[i - 1], r = w.p[i] - p, q = b - a;
    float denom = cross(r, q);
    if (std::fabs(denom) > 1e-9f) {
      float t = cross(a - p, q) / denom, u = cross(a - p, r) / denom;
      if (t >= 0 && t <= 1 && u >= 0 && u <= 1) {
        float arc = w.s[i - 1] + t * (w.s[i] - w.s[i - 1]);
        if (arc >= from) return arc;
      }
    }
    float t = 0;
    float d = distance(mid, closest_on_segment(mid, p, w.p[i], &t));
    float arc = w.s[i - 1] + t * (w.s[i] - w.s[i - 1]);
    if (d < best_d && arc >= from) best_d = d, best = arc;
  }
  return best;
}

bool inside(const LocalShape& shape, Vec2 p) {
  bool in = false;  // even-odd over every ring: holes count out
  for (const auto& polygon : shape)
    for (const auto& ring : polygon.rings)
      for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        if ((ring[i].y > p.y) != (ring[j].y > p.y) &&
            p.x < (ring[j].x - ring[i].x) * (p.y - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x)
          in = !in;
  return in;
}

// Closest point of the shape's boundary to p.
Vec2 closest_on_boundary(const LocalShape& shape, Vec2 p) {
  Vec2 best = p;
  float best_d = INFINITY;
  for (const auto& polygon : shape)
    for (const auto& ring : polygon.rings)
      for (std::size_t i = 1; i < ring.size(); ++i) {
        Vec2 q = closest_on_segment(p, ring[i - 1], ring[i]);
        if (float d = distance(p, q); d < best_d) best_d = d, best = q;
      }
  return best;
}

// Arc length where the walk last enters the unit; nullopt when it never leaves it (or never enters).
std::optional<float> entry_into(const Walk& w, const PlanUnit& unit) {
  if (w.p.empty() || !inside(unit.shape, w.p.back())) return std::nullopt;
  std::size_t k = w.p.size();
  for (std::size_t i = w.p.size(); i-- > 0;)
    if (!inside(unit.shape, w.p[i])) {
      k = i;
      break;
    }
  if (k == w.p.size()) return std::nullopt;
  float lo = w.s[k], hi = w.s[k + 1];  // outside at lo, inside at hi
  for (int i = 0; i < 24; ++i) {
    float mid = (lo + hi) / 2;
    (inside(unit.shape, w.at(mid)) ? hi : lo) = mid;
  }
  return hi;
}

struct Landmark {
  std::uint32_t unit = kNone, amenity = kNone;
  Vec2 point;
  bool found() const { return unit != kNone || amenity != kNone; }
};

class Builder {
 public:
  Builder(const Route& route, const core::VenueNames& venue, const FloorPlan& plan)
      : route_(route), venue_(venue), plan_(plan), crossed_(venue.units.size(), false) {
    for (const auto& leg : route.legs)
      for (auto u : leg.units)
        if (u < crossed_.size()) crossed_[u] = true;
    if (route.to_unit < crossed_.size()) crossed_[route.to_unit] = true;
  }

  std::vector<Step> run();

 private:
  struct Door { std::uint32_t opening; float s; };  // a door located on the walk, at arc length s
  struct Event {  // a corner or a door along a leg, before it becomes a step (or not)
    float s;
    Vec2 p, in;
    float degrees = 0;
    std::uint32_t opening = kNone;
    float door_s = 0;
    bool door_after = false;
  };

  bool unit_ok(std::uint32_t u) const { return u < venue_.units.size() && u < plan_.units.size(); }
  Landmark find_landmark(std::uint32_t level, Vec2 at) const;
  // Steps of one leg, up to where it enters `target` (the destination, or the connector to the next
  // level); returns that arc length.
  float walk_leg(const RouteLeg& leg, const Walk& w, bool final_leg, std::uint32_t target);
  void arrive(const Walk& w, std::uint32_t level, std::optional<Door> door, float end, Vec2 in,
              const std::vector<std::uint32_t>& passed);
  std::uint8_t count_doors(std::uint32_t level, std::uint32_t door, Vec2 walking, Vec2 from,
                           const std::vector<std::uint32_t>& passed) const;
  bool amenity_in_crossed_unit(std::uint32_t a) const;
  std::uint32_t unit_left(const RouteLeg& leg, const Walk& w, std::uint32_t opening, float s) const;

  const Route& route_;
  const core::VenueNames& venue_;
  const FloorPlan& plan_;
  std::vector<bool> crossed_;
  std::vector<Step> steps_;
  std::vector<Vec2> landmark_points_;  // parallel to steps_, for the start's "head towards"
  float last_s_ = 0;                   // arc length of the last step on the current leg
};

bool Builder::amenity_in_crossed_unit(std::uint32_t a) const {
  for (const auto& id : venue_.amenities[a].unit_ids)
    if (const core::VenueNames::Unit* u = venue_.unit(id); u && crossed_[static_cast<std::size_t>(u - venue_.units.data())])
      return true;
  return false;
}

// The unit of the leg that a door leads out of: the door is on its boundary and the walk is inside
// it just before the door. kNone when that is not clear.
std::uint32_t Builder::unit_left(const RouteLeg& leg, const Walk& w, std::uint32_t opening, float s) const {
  const PlanOpening& o = plan_.openings[opening];
  Vec2 mid = (o.a + o.b) * 0.5f, before = w.at(std::max(0.f, s - 0.6f));
  for (auto u : leg.units)
    if (unit_ok(u) && distance(mid, closest_on_boundary(plan_.units[u].shape, mid)) < 0.3f &&
        inside(plan_.units[u].shape, before))
      return u;
  return kNone;
}

Landmark Builder::find_landmark(std::uint32_t level, Vec2 at) const {
  if (level >= plan_.levels.size()) return {};
  const PlanLevel& pl = plan_.levels[level];
  Landmark best_worded, best_named, best_unit;
  float worded_d = kAmenityLandmarkRadius, named_d = kAmenityLandmarkRadius;
  for (auto a : pl.amenities) {
    if (a >= venue_.amenities.size() || a >= plan_.amenities.size() || !plan_.amenities[a].located) continue;
    if (amenity_in_crossed_unit(a)) continue;
    float d = distance(at, plan_.amenities[a].point);
    if (is_landmark_amenity_category(venue_.amenities[a].category)) {
      if (d < worded_d) worded_d = d, best_worded = {kNone, a, plan_.amenities[a].point};
    } else if (!venue_.amenities[a].name.empty() && d < named_d) {
      named_d = d, best_named = {kNone, a, plan_.amenities[a].point};
    }
  }
  if (best_worded.found()) return best_worded;
  float unit_d = kUnitLandmarkRadius, unit_label_d = INFINITY;
  for (auto u : pl.units) {
    if (!unit_ok(u) || crossed_[u] || !plan_.units[u].walkable) continue;
    const core::VenueNames::Unit& unit = venue_.units[u];
    if (unit.name.empty() || unit.category == "walkway" || unit.category == "corridor") continue;
    Vec2 edge = closest_on_boundary(plan_.units[u].shape, at);
    float d_edge = inside(plan_.units[u].shape, at) ? 0.f : distance(at, edge);
    float d_label = distance(at, plan_.units[u].label_point);
    float d = std::min(d_edge, d_label);
    if (d < unit_d || (d == unit_d && d_label < unit_label_d)) {
      unit_d = d, unit_label_d = d_label;
      best_unit = {u, kNone, d_edge <= d_label ? edge : plan_.units[u].label_point};
    }
  }
  return best_unit.found() ? best_unit : best_named;
}

std::vector<Step> Builder::run() {
  Step start;
  start.kind = Step::Kind::Start;
  if (!route_.legs.empty()) {
    const RouteLeg& first = route_.legs.front();
    start.level = first.level;
    if (!first.points.empty()) start.at = first.points.front();
    if (!first.units.empty()) start.unit = first.units.front();
  }
  steps_.push_back(start);
  landmark_points_.push_back({});

  for (std::size_t i = 0; i < route_.legs.size(); ++i) {
    bool final_leg = i >= route_.changes.size();
    Walk w(route_.legs[i].points);
    std::uint32_t connector = final_leg ? kNone : route_.changes[i].from_unit;
    float stop = walk_leg(route_.legs[i], w, final_leg, final_leg ? route_.to_unit : connector);
    if (final_leg) break;
    // One ride across floors: skip the legs that never leave the connector.
    std::size_t j = i;
    while (j + 1 < route_.changes.size() && j + 1 < route_.legs.size() &&
           route_.changes[j + 1].via == route_.changes[j].via) {
      const RouteLeg& mid = route_.legs[j + 1];
      bool stays = std::all_of(mid.units.begin(), mid.units.end(), [&](std::uint32_t u) {
        return u == route_.changes[j].to_unit || u == route_.changes[j + 1].from_unit;
      });
      if (!stays || (mid.units.empty() && Walk(mid.points).length() > 3.f)) break;
      ++j;
    }
    steps_.push_back({.kind = Step::Kind::LevelChange, .level = route_.legs[i].level, .at = w.at(stop),
                      .distance_m = std::max(0.f, stop - last_s_), .via = route_.changes[i].via,
                      .to_level = route_.changes[j].to_level, .landmark_unit = connector});
    landmark_points_.push_back({});
    last_s_ = 0;
    i = j;
  }
  if (steps_.back().kind != Step::Kind::Arrive) {  // no final leg (a malformed route): still arrive
    Step end = steps_.back();
    end = {Step::Kind::Arrive, end.kind == Step::Kind::LevelChange ? end.to_level : end.level, end.at};
    end.unit = route_.to_unit;
    steps_.push_back(end);
  }

  // The start's "head towards": what the first stretch walks to, when it is far enough to be ahead.
  const Step& next = steps_[1];
  Step& first = steps_[0];
  if (next.kind == Step::Kind::LevelChange && next.landmark_unit != kNone) {
    first.landmark_unit = next.landmark_unit;
  } else if (next.kind == Step::Kind::Turn && next.distance_m >= 8.f && next.opening == kNone &&
             dot(landmark_points_[1] - first.at, next.at - first.at) > 0) {
    first.landmark_unit = next.landmark_unit;
    first.landmark_amenity = next.landmark_amenity;
  } else if (next.kind == Step::Kind::Arrive && !next.already_there && next.distance_m >= 8.f) {
    first.landmark_unit = next.unit;
  }
  return steps_;
}

float Builder::walk_leg(const RouteLeg& leg, const Walk& w, bool final_leg, std::uint32_t target) {
  std::vector<Door> doors;
  float from = 0;
  for (auto o : leg.openings) {
    if (o >= plan_.openings.size()) continue;
    if (auto s = locate_door(w, plan_.openings[o], from)) {
      doors.push_back({o, *s});
      from = *s;
    }
  }
  // Where the walk enters the target: its door when the last door passed is on its boundary (routers
  // walk along walls between doors, where a point-in-polygon test is a coin toss), else where the
  // walk crosses into its shape.
  std::optional<Door> target_door;
  std::optional<float> entry;
  if (unit_ok(target)) {
    if (!doors.empty()) {
      const PlanOpening& o = plan_.openings[doors.back().opening];
      Vec2 mid = (o.a + o.b) * 0.5f;
      if (distance(mid, closest_on_boundary(plan_.units[target].shape, mid)) < 0.3f)
        target_door = doors.back(), entry = target_door->s;
    }
    if (!entry) entry = entry_into(w, plan_.units[target]);
  }
  float end = entry.value_or(w.length());
  bool ends_at_door = entry.has_value();

  // Turns and doors before the end (the turn into the room or the lift is the arrival's business).
  std::vector<Corner> corners = simplify(w);
  std::vector<Event> events;
  for (std::size_t i = 1; i + 1 < corners.size(); ++i) {
    if (corners[i].s > end - 1.f) break;
    // The turn into the destination's (or the lift's) door is the arrival's "on your left".
    if (ends_at_door && corners[i + 1].s >= end && end - corners[i].s < kApproach) break;
    Vec2 in = normalized(corners[i].p - corners[i - 1].p), out = normalized(corners[i + 1].p - corners[i].p);
    events.push_back({corners[i].s, corners[i].p, in, turn_degrees(in, out)});
  }
  for (const Door& door : doors) {
    if (door.s > end - (ends_at_door ? 1.f : 0.f)) continue;
    Event* nearest = nullptr;
    for (Event& e : events)
      if (std::fabs(e.s - door.s) <= kDoorJoinsTurn && (!nearest || std::fabs(e.s - door.s) < std::fabs(nearest->s - door.s)))
        nearest = &e;
    if (nearest && nearest->opening == kNone) {
      nearest->opening = door.opening;
      nearest->door_s = door.s;
      nearest->door_after = door.s > nearest->s;
    } else if (!nearest) {
      // Walking direction: a chord looking back a few metres, so wiggles average out.
      Vec2 in = normalized(w.at(door.s) - w.at(std::max(0.f, door.s - kDoorLookBack)));
      events.push_back({door.s, w.at(door.s), in, 0.f, door.opening, door.s});
    }
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.s < b.s; });

  for (const Event& e : events) {
    Turn turn = classify(e.degrees);
    Landmark mark = find_landmark(leg.level, e.p);
    float along = dot(mark.point - e.p, e.in), across = std::fabs(cross(e.in, mark.point - e.p));
    // "After X" only for an X the visitor walked past, not one behind the lift they just left.
    if (mark.found() && along < -kBeside && -along > e.s - last_s_ - 1.f) mark = {};
    if (turn == Turn::Straight && e.opening == kNone && (e.s - last_s_ < kLongWalk || !mark.found())) continue;
    Relation where = along < -kBeside ? Relation::After
                     : along <= kBeside ? Relation::At
                     : across < along   ? Relation::Facing
                                        : Relation::Before;
    std::uint32_t left = e.opening != kNone && !e.door_after ? unit_left(leg, w, e.opening, e.door_s) : kNone;
    steps_.push_back({.kind = Step::Kind::Turn, .level = leg.level, .at = e.p, .distance_m = std::max(0.f, e.s - last_s_),
                      .turn = turn, .landmark_unit = mark.unit, .landmark_amenity = mark.amenity, .landmark_at = where,
                      .unit = left, .opening = e.opening, .door_after = e.door_after});
    landmark_points_.push_back(mark.point);
    last_s_ = e.s;
  }
  if (!final_leg) return end;
  // The walking direction before the destination: the corridor's, not the last step into the door.
  std::size_t k = 0;
  while (k + 1 < corners.size() && corners[k + 1].s < end - 0.05f) ++k;
  Vec2 in = k >= 1 && end - corners[k].s < kApproach ? normalized(corners[k].p - corners[k - 1].p)
                                                      : normalized(w.at(end) - corners[k].p);
  if (!entry && route_.legs.size() == 1 && unit_ok(target) && !w.p.empty() && inside(plan_.units[target].shape, w.p.front()))
    end = -1;  // the walk starts inside its destination
  arrive(w, leg.level, target_door, end, in, leg.openings);
  return end;
}

void Builder::arrive(const Walk& w, std::uint32_t level, std::optional<Door> door, float end, Vec2 in,
                     const std::vector<std::uint32_t>& passed) {
  Step step;
  step.kind = Step::Kind::Arrive;
  step.level = level;
  step.unit = route_.to_unit;
  step.already_there = end < 0;
  end = std::max(0.f, end);
  step.at = w.at(end);
  step.distance_m = std::max(0.f, end - last_s_);
  if (step.already_there) {
    steps_.push_back(step);
    landmark_points_.push_back({});
    return;
  }
  Vec2 label = unit_ok(route_.to_unit) ? plan_.units[route_.to_unit].label_point : w.at(w.length());
  Vec2 into;  // the way into the destination
  if (door) {
    const PlanOpening& o = plan_.openings[door->opening];
    Vec2 normal = normalized(Vec2{o.a.y - o.b.y, o.b.x - o.a.x});
    Vec2 beyond = w.at(std::min(w.length(), door->s + 1.f)) - (o.a + o.b) * 0.5f;
    if (dot(normal, length(beyond) > 0.1f ? beyond : label - step.at) < 0) normal = normal * -1.f;
    into = normal;
    step.opening = door->opening;
    step.at = (o.a + o.b) * 0.5f;
  }
  if (into == Vec2{}) into = normalized(label - step.at);
  float degrees = turn_degrees(in, into);
  if (into == Vec2{} || std::fabs(degrees) < 45.f)
    step.side = Side::Ahead;
  else
    step.side = degrees > 0 ? Side::Left : Side::Right;
  if (step.opening != kNone && step.side != Side::Ahead) {
    Vec2 from = steps_.back().level == level ? steps_.back().at : w.at(0);
    step.door_number = count_doors(level, step.opening, in, from, passed);
  }
  steps_.push_back(step);
  landmark_points_.push_back(label);
}

std::uint8_t Builder::count_doors(std::uint32_t level, std::uint32_t door, Vec2 walking, Vec2 from,
                                  const std::vector<std::uint32_t>& passed) const {
  const PlanOpening& target = plan_.openings[door];
  Vec2 mid = (target.a + target.b) * 0.5f;
  Vec2 wall = normalized(target.b - target.a);
  if (dot(wall, walking) < 0) wall = wall * -1.f;
  if (dot(wall, walking) < std::cos(30.f * kPi / 180.f)) return 0;  // not walking along that wall
  float start = dot(from - mid, wall);
  if (start > -kMinSegment) return 0;
  std::vector<float> along;
  for (auto o : plan_.levels[level].openings) {
    // Doors the walk came through are behind the visitor, not counted.
    if (o == door || o >= plan_.openings.size() || std::find(passed.begin(), passed.end(), o) != passed.end()) continue;
    const PlanOpening& other = plan_.openings[o];
    Vec2 m = (other.a + other.b) * 0.5f;
    if (std::fabs(cross(wall, normalized(other.b - other.a))) > 0.26f) continue;  // not parallel
    if (std::fabs(cross(wall, m - mid)) > 0.5f) continue;                        // not on that wall
    float t = dot(m - mid, wall);
    if (t > 0.8f || t < start - kBeside) continue;  // past the target, or behind where counting starts
    if (t > -0.8f || std::fabs(t - start) < kBeside) return 0;  // too close to tell apart
    along.push_back(t);
  }
  std::sort(along.begin(), along.end());
  for (std::size_t i = 1; i < along.size(); ++i)
    if (along[i] - along[i - 1] < 0.8f) return 0;
  return along.size() < 5 ? static_cast<std::uint8_t>(along.size() + 1) : 0;
}

}  // namespace

std::vector<Step> directions(const Route& route, const core::VenueNames& venue, const FloorPlan& plan) {
  return Builder(route, venue, plan).run();
}

std::vector<Step> directions(const Route& route, const core::Venue& venue, const FloorPlan& plan) {
  return directions(route, core::VenueNames::of(venue), plan);
}

}  // namespace kiosk::wayfinding
