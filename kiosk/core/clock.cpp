#include "core/clock.hpp"

#include <cstdio>
#include <ctime>

namespace kiosk::core {

long long to_unix_ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint from_unix_ms(long long ms) { return TimePoint{Millis{ms}}; }

std::string format_hhmm(TimePoint t) {
  std::time_t secs = static_cast<std::time_t>(to_unix_ms(t) / 1000);
  std::tm local{};
  localtime_r(&secs, &local);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", local.tm_hour, local.tm_min);
  return buf;
}

std::string format_iso8601(TimePoint t) {
  long long ms = to_unix_ms(t);
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(((ms % 1000) + 1000) % 1000));
  return buf;
}

}  // namespace kiosk::core
