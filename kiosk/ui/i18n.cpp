#include "ui/i18n.hpp"

#include <ctime>
#include <string>

namespace kiosk::ui {

Lang lang_from_code(std::string_view code) { return code.substr(0, 2) == "en" ? Lang::En : Lang::Fr; }
const char* lang_code(Lang lang) { return lang == Lang::En ? "en" : "fr"; }

namespace {
struct Pair {
  const char* fr;
  const char* en;
};
// Order follows enum Text.
constexpr Pair kTexts[] = {
    {"Libre", "Free"},
    {"Occupé", "Occupied"},
    {"Inconnu", "Unknown"},
    {"Pas encore de donnée", "No data yet"},
    {"Vu à %s", "Last seen %s"},
    {"%d places libres sur %d", "%d of %d seats free"},
    {"%d pers.", "%d people"},
    {"%d places", "%d seats"},
    {"%d à l’intérieur", "%d inside"},
    {"Complet", "Full"},
    {"%d / %d personnes", "%d / %d people"},
    {"En ligne", "Online"},
    {"Hors ligne", "Offline"},
    {"Hors ligne depuis %s", "Offline since %s"},
    {"Connexion…", "Connecting…"},
    {"Données de %s", "Data from %s"},
    {"Aucune donnée reçue", "No data received"},
    {"Dernier état connu affiché", "Showing the last known state"},
    {"Salles de réunion", "Meeting rooms"},
    {"Salles de sieste", "Nap rooms"},
    {"Sport", "Sport"},
    {"Cabines téléphoniques", "Phone booths"},
    {"Autres espaces", "Other spaces"},
    {"%d libres", "%d free"},
    {"%d libre", "%d free"},
    {"Aucun espace n’est configuré pour ce panneau", "No space is configured for this panel"},
    {"Espaces disponibles", "Available spaces"},
    {"aucune donnée reçue", "no data received"},
    {"Espaces", "Spaces"},
    {"Plan", "Map"},
    {"Annuaire", "Directory"},
    {"Vous êtes ici", "You are here"},
    {"Plan du bâtiment", "Building map"},
    {"Annuaire", "Directory"},
    {"Itinéraire", "Directions"},
    {"M’y emmener", "Take me there"},
    {"Sans marches", "Step-free"},
    {"Retour", "Back"},
    {"Légende", "Legend"},
    {"%d min", "%d min"},
    {"< 1 min", "< 1 min"},
    {"Pas d’itinéraire", "No route"},
    {"Ce panneau n’a pas de plan : vérifiez [site] map et [panel] kiosk", "This panel has no map: check [site] map and [panel] kiosk"},
    {"Entreprises", "Companies"},
    {"Salles", "Rooms"},
    {"Services", "Services"},
    {"Toutes", "All"},
    {"≥ %d pers.", "≥ %d people"},
    {"Scannez pour emporter l’itinéraire", "Scan to take the route with you"},
    {"Étapes", "Steps"},
    {"Aucun lieu à afficher", "Nothing to list"},
    {"escalier", "stairs"},
    {"ascenseur", "lift"},
    {"escalator", "escalator"},
    {"rampe", "ramp"},
    {"état non enregistré", "state not saved"},
};
static_assert(sizeof kTexts / sizeof kTexts[0] == static_cast<int>(Text::Count_));

constexpr const char* kDaysFr[] = {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"};
constexpr const char* kDaysEn[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr const char* kMonthsFr[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                     "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
constexpr const char* kMonthsEn[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};

struct Equipment {
  const char* key;
  Pair words;
};
constexpr Equipment kEquipment[] = {
    {"screen", {"Écran", "Screen"}},         {"video", {"Visio", "Video"}},
    {"whiteboard", {"Tableau", "Whiteboard"}}, {"projector", {"Projecteur", "Projector"}},
    {"phone", {"Téléphone", "Phone"}},       {"shower", {"Douche", "Shower"}},
    {"accessible", {"Accessible", "Step-free"}}, {"blackout", {"Occultation", "Blackout"}},
    {"desk", {"Bureau", "Desk"}},
};
}  // namespace

const char* tr(Lang lang, Text key) {
  const Pair& pair = kTexts[static_cast<int>(key)];
  return lang == Lang::En ? pair.en : pair.fr;
}

const char* kind_title(Lang lang, core::SpaceKind kind) {
  switch (kind) {
    case core::SpaceKind::Meeting: return tr(lang, Text::KindMeeting);
    case core::SpaceKind::Nap: return tr(lang, Text::KindNap);
    case core::SpaceKind::Sport: return tr(lang, Text::KindSport);
    case core::SpaceKind::Phone: return tr(lang, Text::KindPhone);
    case core::SpaceKind::Other: break;
  }
  return tr(lang, Text::KindOther);
}

std::string long_date(Lang lang, core::TimePoint t) {
  std::time_t secs = static_cast<std::time_t>(core::to_unix_ms(t) / 1000);
  std::tm local{};
  localtime_r(&secs, &local);
  if (lang == Lang::En)
    return std::string(kDaysEn[local.tm_wday]) + " " + std::to_string(local.tm_mday) + " " + kMonthsEn[local.tm_mon];
  return std::string(kDaysFr[local.tm_wday]) + " " + std::to_string(local.tm_mday) + " " + kMonthsFr[local.tm_mon];
}

std::string equipment_word(Lang lang, std::string_view word) {
  for (const Equipment& e : kEquipment)
    if (word == e.key) return lang == Lang::En ? e.words.en : e.words.fr;
  return std::string(word);
}

}  // namespace kiosk::ui
