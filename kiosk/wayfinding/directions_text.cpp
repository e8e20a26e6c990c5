// The sentences of directions.hpp, in French and English. Names come from the map; the grammar
// around them is ours:
// - French needs an article and its contractions ("après la salle Garonne", "au niveau du hall",
//   "jusqu’à l’étage 2"). The article comes from the name's first word when it is a common noun we
//   know ("Salle", "Plateau", "Escalier", "Toilettes", ...), which is then lower-cased as French
//   writes it mid-sentence; any other name (a company, "Azimut Robotics") goes bare.
// - English puts "the" before a name holding a common noun ("the Garonne Room"), never before a
//   numbered or lettered one ("Booth 1", "Lift B") nor a name without one ("Salle Garonne").
// - Lifts, stairs and escalators named just "Lift" or "Ascenseur" get the plain word; named ones
//   ("Escalier Ouest") keep their name, since a building often has two stair cores.
// - French typography: ’ for apostrophes, a no-break space before ":" and between a number and its
//   unit. Sentences stay short: they are read on a wall panel.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>

#include "wayfinding/directions.hpp"

namespace kiosk::wayfinding {
namespace {

constexpr const char* kNbsp = "\u00A0";

bool is_french(std::string_view language) {
  return language.size() >= 2 && (language[0] == 'f' || language[0] == 'F') &&
         (language[1] == 'r' || language[1] == 'R') && (language.size() == 2 || language[2] == '-' || language[2] == '_');
}

enum class Article : unsigned char { None, Le, La, Elided, Les };

// A noun phrase, without its French article.
struct Phrase {
  std::string text;
  Article article = Article::None;
  bool plural = false;  // English verb agreement ("the West stairs are")
};

std::vector<std::string> words(std::string_view name) {
  std::vector<std::string> out;
  std::string folded = core::fold_for_search(name), word;
  for (char c : folded + ' ') {
    if (c != ' ') {
      word += c;
    } else if (!word.empty()) {
      out.push_back(word);
      word.clear();
    }
  }
  return out;
}

Article french_article(const std::vector<std::string>& w) {
  struct Entry {
    std::string_view word;
    Article article;
  };
  static constexpr std::array<Entry, 66> kNouns = {{
      {"salle", Article::La}, {"cabine", Article::La}, {"cafeteria", Article::La}, {"cuisine", Article::La},
      {"bibliotheque", Article::La}, {"terrasse", Article::La}, {"reception", Article::La}, {"cour", Article::La},
      {"piece", Article::La}, {"mezzanine", Article::La}, {"rampe", Article::La}, {"zone", Article::La},
      {"sortie", Article::La}, {"douche", Article::La}, {"boutique", Article::La}, {"cantine", Article::La},
      {"galerie", Article::La}, {"passerelle", Article::La}, {"plateau", Article::Le}, {"bureau", Article::Le},
      {"hall", Article::Le}, {"couloir", Article::Le}, {"local", Article::Le}, {"laboratoire", Article::Le},
      {"labo", Article::Le}, {"salon", Article::Le}, {"restaurant", Article::Le}, {"parking", Article::Le},
      {"studio", Article::Le}, {"box", Article::Le}, {"foyer", Article::Le}, {"niveau", Article::Le},
      {"toit", Article::Le}, {"sous", Article::Le}, {"rez", Article::Le}, {"rdc", Article::Le},
      {"patio", Article::Le}, {"jardin", Article::Le}, {"vestiaire", Article::Le}, {"point", Article::Le},
      {"guichet", Article::Le}, {"showroom", Article::Le}, {"fablab", Article::Le}, {"coin", Article::Le},
      {"gymnase", Article::Le}, {"cafe", Article::Le}, {"palier", Article::Le}, {"pole", Article::Le},
      {"espace", Article::Elided}, {"accueil", Article::Elided}, {"ascenseur", Article::Elided},
      {"escalier", Article::Elided}, {"escalator", Article::Elided}, {"etage", Article::Elided},
      {"atelier", Article::Elided}, {"amphitheatre", Article::Elided}, {"amphi", Article::Elided},
      {"auditorium", Article::Elided}, {"entree", Article::Elided}, {"infirmerie", Article::Elided},
      {"toilettes", Article::Les}, {"sanitaires", Article::Les}, {"vestiaires", Article::Les},
      {"douches", Article::Les}, {"wc", Article::Les}, {"escaliers", Article::Les},
  }};
  if (w.empty()) return Article::None;
  // "1er étage", "2e niveau"
  if (w.size() >= 2 && w[0][0] >= '0' && w[0][0] <= '9' && (w[1] == "etage" || w[1] == "niveau")) return Article::Le;
  for (const Entry& e : kNouns)
    if (e.word == w[0]) return e.article;
  return Article::None;
}

bool english_needs_the(const std::vector<std::string>& w) {
  static constexpr std::array<std::string_view, 52> kNouns = {
      "room", "rooms", "office", "offices", "corridor", "hall", "lobby", "stairs", "stairway", "staircase",
      "lift", "elevator", "escalator", "toilet", "toilets", "restroom", "restrooms", "cafeteria", "canteen",
      "kitchen", "gym", "lounge", "reception", "desk", "area", "space", "terrace", "library", "lab",
      "laboratory", "workshop", "auditorium", "ramp", "entrance", "exit", "floor", "level", "basement",
      "mezzanine", "roof", "garage", "parking", "studio", "showroom", "courtyard", "garden", "atrium",
      "landing", "wing", "cafe", "restaurant", "booth"};
  if (w.empty() || w[0] == "the") return false;
  const std::string& last = w.back();
  bool numbered = last.find_first_of("0123456789") != std::string::npos || last.size() == 1;
  if (numbered) return false;
  for (const auto& word : w)
    if (std::find(kNouns.begin(), kNouns.end(), word) != kNouns.end()) return true;
  return false;
}

bool english_plural(const std::vector<std::string>& w) {
  static constexpr std::array<std::string_view, 9> kPlural = {
      "toilets", "stairs", "restrooms", "offices", "rooms", "showers", "lockers", "facilities", "lifts"};
  return !w.empty() && std::find(kPlural.begin(), kPlural.end(), w.back()) != kPlural.end();
}

// UTF-8 first letter, upper to lower (or back) for ASCII, Latin-1 letters and Œ.
std::string with_first_letter(std::string s, bool upper) {
  if (s.empty()) return s;
  auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) {
    if (upper && b0 >= 'a' && b0 <= 'z') s[0] = static_cast<char>(b0 - 32);
    if (!upper && b0 >= 'A' && b0 <= 'Z') s[0] = static_cast<char>(b0 + 32);
  } else if (s.size() >= 2) {
    auto b1 = static_cast<unsigned char>(s[1]);
    if (b0 == 0xC3 && upper && b1 >= 0xA0 && b1 <= 0xBE && b1 != 0xB7) s[1] = static_cast<char>(b1 - 0x20);
    if (b0 == 0xC3 && !upper && b1 >= 0x80 && b1 <= 0x9E && b1 != 0x97) s[1] = static_cast<char>(b1 + 0x20);
    if (b0 == 0xC5 && upper && b1 == 0x93) s[1] = static_cast<char>(0x92);
    if (b0 == 0xC5 && !upper && b1 == 0x92) s[1] = static_cast<char>(0x93);
  }
  return s;
}

// "Salle" starts a capitalised word; "RDC" is an acronym and keeps its case.
bool second_letter_lower(std::string_view s) {
  std::size_t i = static_cast<unsigned char>(s[0]) < 0x80 ? 1 : 2;
  if (i >= s.size()) return false;
  auto c = static_cast<unsigned char>(s[i]);
  return (c >= 'a' && c <= 'z') || (c == 0xC3 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0xA0);
}

bool starts_with_vowel(std::string_view s) {
  if (s.empty()) return false;
  auto b0 = static_cast<unsigned char>(s[0]);
  std::size_t len = b0 < 0x80 ? 1 : (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : 4;
  std::string first = core::fold_for_search(s.substr(0, std::min(len, s.size())));  // "É" -> "e", "Œ" -> "oe"
  return !first.empty() && std::string_view("aeiouy").find(first[0]) != std::string_view::npos;
}

Phrase from_name(const std::string& name, bool french) {
  std::vector<std::string> w = words(name);
  Phrase p{name, Article::None, english_plural(w)};
  if (french) {
    p.article = french_article(w);
    if (p.article != Article::None && second_letter_lower(name)) p.text = with_first_letter(name, false);
  } else if (english_needs_the(w)) {
    p.text = "the " + name;
  }
  return p;
}

std::string plain(const Phrase& p) {
  switch (p.article) {
    case Article::Le: return "le " + p.text;
    case Article::La: return "la " + p.text;
    case Article::Elided: return "l’" + p.text;
    case Article::Les: return "les " + p.text;
    case Article::None: break;
  }
  return p.text;
}
std::string french_de(const Phrase& p) {
  switch (p.article) {
    case Article::Le: return "du " + p.text;
    case Article::La: return "de la " + p.text;
    case Article::Elided: return "de l’" + p.text;
    case Article::Les: return "des " + p.text;
    case Article::None: break;
  }
  return (starts_with_vowel(p.text) ? "d’" : "de ") + p.text;
}
std::string french_a(const Phrase& p) {
  switch (p.article) {
    case Article::Le: return "au " + p.text;
    case Article::La: return "à la " + p.text;
    case Article::Elided: return "à l’" + p.text;
    case Article::Les: return "aux " + p.text;
    case Article::None: break;
  }
  return "à " + p.text;
}

struct Word {
  std::string_view en;
  std::string_view fr;
  Article article;
  bool plural;
};
constexpr Word kLift{"the lift", "ascenseur", Article::Elided, false};
constexpr Word kStairs{"the stairs", "escalier", Article::Elided, true};
constexpr Word kEscalator{"the escalator", "escalator", Article::Elided, false};
constexpr Word kRamp{"the ramp", "rampe", Article::La, false};

Phrase from_word(const Word& w, bool french) {
  return french ? Phrase{std::string(w.fr), w.article, w.plural} : Phrase{std::string(w.en), Article::None, w.plural};
}

std::optional<Word> amenity_word(std::string_view category) {
  auto is = [&](std::string_view c) {
    return category == c || (category.size() > c.size() && category.substr(0, c.size()) == c && category[c.size()] == '.');
  };
  if (is("restroom")) {
    if (category.find("wheelchair") != std::string_view::npos)
      return Word{"the accessible toilet", "toilettes accessibles", Article::Les, false};
    return Word{"the toilets", "toilettes", Article::Les, true};
  }
  if (is("elevator")) return kLift;
  if (is("stairs")) return kStairs;
  if (is("escalator")) return kEscalator;
  if (is("ramp")) return kRamp;
  if (is("information")) return Word{"the information desk", "point information", Article::Le, false};
  if (is("reception")) return Word{"reception", "accueil", Article::Elided, false};
  if (is("atm")) return Word{"the cash machine", "distributeur de billets", Article::Le, false};
  if (is("vendingmachine")) return Word{"the vending machine", "distributeur automatique", Article::Le, false};
  if (is("drinkingfountain")) return Word{"the water fountain", "fontaine à eau", Article::La, false};
  if (is("firstaid")) return Word{"the first-aid post", "poste de secours", Article::Le, false};
  if (is("meetingpoint")) return Word{"the meeting point", "point de rencontre", Article::Le, false};
  return std::nullopt;
}

std::optional<Word> connector_word(std::string_view unit_category) {
  if (is_elevator_category(unit_category)) return kLift;
  if (is_stairs_category(unit_category)) return kStairs;
  if (is_escalator_category(unit_category)) return kEscalator;
  if (unit_category == "ramp") return kRamp;
  return std::nullopt;
}

bool generic_connector_name(const std::string& name) {
  static constexpr std::array<std::string_view, 14> kGeneric = {
      "ascenseur", "ascenseurs", "lift", "lifts", "elevator", "escalier", "escaliers", "stairs",
      "staircase", "stairwell", "escalator", "escalier mecanique", "rampe", "ramp"};
  std::string f = core::fold_for_search(name);
  return std::find(kGeneric.begin(), kGeneric.end(), f) != kGeneric.end();
}

struct Text {
  const core::VenueNames& venue;
  std::string_view language;
  bool fr;

  std::optional<Phrase> unit(std::uint32_t u) const {
    if (u >= venue.units.size()) return std::nullopt;
    const core::VenueNames::Unit& unit = venue.units[u];
    std::string name = unit.name.pick(language);
    if (name.empty()) name = unit.alt_name.pick(language);
    if (auto w = connector_word(unit.category); w && (name.empty() || generic_connector_name(name)))
      return from_word(*w, fr);
    if (name.empty()) return std::nullopt;
    return from_name(name, fr);
  }
  std::optional<Phrase> amenity(std::uint32_t a) const {
    if (a >= venue.amenities.size()) return std::nullopt;
    if (auto w = amenity_word(venue.amenities[a].category)) return from_word(*w, fr);
    const std::string& name = venue.amenities[a].name.pick(language);
    if (name.empty()) return std::nullopt;
    return from_name(name, fr);
  }
  std::optional<Phrase> landmark(const Step& s) const {
    if (auto p = amenity(s.landmark_amenity)) return p;
    return unit(s.landmark_unit);
  }
  Phrase level(std::uint32_t l) const {
    if (l >= venue.levels.size()) return {fr ? "niveau" : "the level", Article::None};
    const core::VenueNames::Level& level = venue.levels[l];
    std::string name = level.name.pick(language);
    if (name.empty()) name = level.short_name.pick(language);
    if (name.empty()) {
      std::string n = std::to_string(level.ordinal);
      return fr ? Phrase{"niveau " + n, Article::Le} : Phrase{"level " + n, Article::None};
    }
    return from_name(name, fr);
  }

  std::string start(const Step& s) const {
    if (auto lm = landmark(s)) return fr ? "Dirigez-vous vers " + plain(*lm) : "Head towards " + lm->text;
    std::string here = fr ? "Vous êtes ici" : "You are here";
    if (s.unit < venue.units.size() && !venue.units[s.unit].name.empty())
      return here + (fr ? std::string(kNbsp) : "") + ": " + venue.units[s.unit].name.pick(language);
    return here;
  }

  std::string turn(const Step& s) const {
    static constexpr std::array<std::string_view, 8> kEn = {
        "go straight on", "bear left", "turn left", "turn sharp left", "bear right", "turn right", "turn sharp right", "turn back"};
    static constexpr std::array<std::string_view, 8> kFr = {
        "continuez tout droit", "tournez légèrement à gauche", "tournez à gauche", "tournez franchement à gauche",
        "tournez légèrement à droite", "tournez à droite", "tournez franchement à droite", "faites demi-tour"};
    auto index = static_cast<std::size_t>(s.turn);
    std::string verb(fr ? kFr[index] : kEn[index]);
    std::optional<Phrase> lm = landmark(s);
    bool door = s.opening != kNone;
    // Leaving a named room (or the lift) says which; any other door is just "the door".
    std::optional<Phrase> left = door && !s.door_after ? unit(s.unit) : std::nullopt;
    if (s.turn == Turn::Straight) {
      if (left) return fr ? "Sortez " + french_de(*left) + " et continuez tout droit" : "Leave " + left->text + " and go straight on";
      if (door) return fr ? "Continuez tout droit et passez la porte" : "Go straight on through the door";
      if (!lm) return with_first_letter(verb, true);
      return fr ? "Continuez tout droit en passant devant " + plain(*lm) : "Go straight on past " + lm->text;
    }
    std::string where;
    if (lm) {
      switch (s.landmark_at) {
        case Relation::After: where = fr ? " après " + plain(*lm) : " after " + lm->text; break;
        case Relation::Before: where = fr ? " avant " + plain(*lm) : " before " + lm->text; break;
        case Relation::At: where = fr ? " au niveau " + french_de(*lm) : " at " + lm->text; break;
        case Relation::Facing: where = fr ? " face " + french_a(*lm) : " opposite " + lm->text; break;
      }
    }
    if (left) return (fr ? "Sortez " + french_de(*left) + ", puis " : "Leave " + left->text + ", then ") + verb + where;
    if (door && !s.door_after)
      return (fr ? "Passez la porte, puis " : "Go through the door, then ") + verb + where;
    if (door) return with_first_letter(verb, true) + (fr ? where + " et passez la porte" : " through the door" + where);
    return with_first_letter(verb + where, true);
  }

  std::string level_change(const Step& s) const {
    Phrase to = level(s.to_level);
    int dir = 0;  // +1 up, -1 down
    if (s.level < venue.levels.size() && s.to_level < venue.levels.size())
      dir = (venue.levels[s.to_level].ordinal > venue.levels[s.level].ordinal) -
            (venue.levels[s.to_level].ordinal < venue.levels[s.level].ordinal);
    const Word& generic = s.via == Connector::Elevator ? kLift
                          : s.via == Connector::Escalator ? kEscalator
                          : s.via == Connector::Ramp    ? kRamp
                                                        : kStairs;
    Phrase by = from_word(generic, fr);
    if (auto named = unit(s.landmark_unit); named && s.landmark_unit < venue.units.size() &&
                                            connector_word(venue.units[s.landmark_unit].category))
      by = *named;
    if (fr) {
      std::string until = " jusqu’" + french_a(to);
      if (s.via == Connector::Elevator || dir == 0) return "Prenez " + plain(by) + until;
      return (dir > 0 ? "Montez par " : "Descendez par ") + plain(by) + until;
    }
    std::string to_text = to.text;
    if (s.via == Connector::Elevator || dir == 0) return with_first_letter("take " + by.text + " to " + to_text, true);
    return with_first_letter("take " + by.text + (dir > 0 ? " up to " : " down to ") + to_text, true);
  }

  std::string arrive(const Step& s) const {
    Phrase dest = unit(s.unit).value_or(fr ? Phrase{"votre destination", Article::None}
                                           : Phrase{"your destination", Article::None});
    if (s.already_there) return fr ? "Vous y êtes" + std::string(kNbsp) + ": " + plain(dest) : "You are there: " + dest.text;
    std::string subject = with_first_letter(fr ? plain(dest) : dest.text, true);
    std::string verb = fr ? (dest.article == Article::Les ? " sont " : " est ") : (dest.plural ? " are " : " is ");
    if (s.side == Side::Ahead) return subject + verb + (fr ? "en face" : "straight ahead");
    std::string side = s.side == Side::Left ? (fr ? "gauche" : "left") : (fr ? "droite" : "right");
    if (s.door_number > 0) {
      static constexpr std::array<std::string_view, 5> kEn = {"1st", "2nd", "3rd", "4th", "5th"};
      static constexpr std::array<std::string_view, 5> kFr = {"1re", "2e", "3e", "4e", "5e"};
      std::size_t n = std::min<std::size_t>(s.door_number, 5) - 1;
      return fr ? subject + verb + "la " + std::string(kFr[n]) + " porte sur votre " + side
                : subject + verb + "the " + std::string(kEn[n]) + " door on your " + side;
    }
    return subject + verb + (fr ? "sur votre " : "on your ") + side;
  }
};

}  // namespace

bool is_landmark_amenity_category(std::string_view category) { return amenity_word(category).has_value(); }

std::string describe(const Step& step, const core::Venue& venue, std::string_view language) {
  return describe(step, core::VenueNames::of(venue), language);
}

std::string describe(const Step& step, const core::VenueNames& venue, std::string_view language) {
  Text text{venue, language, is_french(language)};
  switch (step.kind) {
    case Step::Kind::Start: return text.start(step);
    case Step::Kind::Turn: return text.turn(step);
    case Step::Kind::LevelChange: return text.level_change(step);
    case Step::Kind::Arrive: return text.arrive(step);
  }
  return {};
}

std::string describe_totals(const Route& route, std::string_view language) {
  bool fr = is_french(language);
  std::string space = fr ? kNbsp : " ";
  float d = std::max(0.f, route.distance_m);
  std::string distance;
  if (d >= 1000) {  // one decimal, with the decimal comma in French
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", std::round(d / 100) / 10);
    distance = buf;
    if (fr) std::replace(distance.begin(), distance.end(), '.', ',');
    distance += space + "km";
  } else {
    // Metres to the metre near by; to 5 m further, where more would be false precision.
    long m = d < 100 ? std::lround(d) : 5 * std::lround(d / 5);
    distance = std::to_string(m) + space + "m";
  }
  std::string time;
  if (route.time_s < 60) {
    time = "<" + space + "1" + space + "min";
  } else {
    long minutes = static_cast<long>(std::ceil(route.time_s / 60.f - 1e-4f));  // float noise is not a minute
    time = std::to_string(minutes) + space + "min";
  }
  return distance + " · " + time;
}

std::string describe(const RouteResult& failure, std::string_view language) {
  if (failure.route) return {};
  bool fr = is_french(language);
  switch (failure.reason) {
    case NoRouteReason::UnknownDestination:
      return fr ? "Ce lieu n’est pas sur le plan." : "This place is not on the map.";
    case NoRouteReason::NoKiosk:
      return fr ? "Ce panneau n’est pas placé sur le plan\u00A0: aucun itinéraire ne peut partir d’ici."
                : "This panel is not placed on the map, so no route can start here.";
    case NoRouteReason::NoDoors:
      return fr ? "Le plan n’indique pas encore les portes : aucun itinéraire possible."
                : "The map does not show the doors yet, so no route can be drawn.";
    case NoRouteReason::Unreachable:
      return fr ? "Aucun chemin ne mène là d’ici. Renseignez-vous à l’accueil."
                : "There is no way there from here. Please ask at reception.";
    case NoRouteReason::NoStepFreeWay:
      return fr ? "Aucun chemin sans marches ne mène là\u00A0: il faut passer par un escalier."
                : "There is no step-free way there: the route needs stairs or an escalator.";
  }
  return fr ? "Aucun itinéraire." : "No route.";
}

}  // namespace kiosk::wayfinding
