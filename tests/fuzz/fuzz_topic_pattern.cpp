// The binding matcher: TopicPattern::parse, then match() against libmosquitto's own matcher (the
// broker's rules are the reference). Input: the pattern, a newline, the topic; without a newline the
// input is both.
#include <mosquitto.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.hpp"
#include "ingest/topic_pattern.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using kiosk::ingest::TopicPattern;
  const std::string_view input = kiosk::fuzz::as_text(data, size);
  const std::size_t newline = input.find('\n');
  const std::string_view pattern_text = input.substr(0, newline);
  const std::string_view topic = newline == std::string_view::npos ? input : input.substr(newline + 1);

  std::string error;
  const auto pattern = TopicPattern::parse(pattern_text, &error);
  KIOSK_FUZZ_CHECK(pattern.has_value() == TopicPattern::parse(pattern_text, nullptr).has_value());
  if (!pattern) {
    KIOSK_FUZZ_CHECK(!error.empty());
    return 0;
  }
  KIOSK_FUZZ_CHECK(pattern->pattern() == pattern_text);
  const std::string& filter = pattern->filter();
  KIOSK_FUZZ_CHECK(mosquitto_sub_topic_check(filter.c_str()) == MOSQ_ERR_SUCCESS);
  const auto& captures = pattern->captures();
  for (std::size_t i = 0; i < captures.size(); ++i)
    KIOSK_FUZZ_CHECK(pattern->capture_index(captures[i]) == static_cast<int>(i));

  std::vector<std::string_view> values{"stale"};  // match() must clear it
  const bool matched = pattern->match(topic, values);
  if (matched) {
    KIOSK_FUZZ_CHECK(values.size() == captures.size());
    for (std::string_view v : values) {
      KIOSK_FUZZ_CHECK(v.find('/') == std::string_view::npos);
      KIOSK_FUZZ_CHECK(v.data() >= topic.data() && v.data() + v.size() <= topic.data() + topic.size());
    }
  }
  // mosquitto needs a C string and a valid publish topic (no wildcards, 1 to 65535 bytes).
  const std::string topic_c(topic);
  if (!topic.empty() && topic_c.find('\0') == std::string::npos &&
      mosquitto_pub_topic_check(topic_c.c_str()) == MOSQ_ERR_SUCCESS) {
    bool reference = false;
    KIOSK_FUZZ_CHECK(mosquitto_topic_matches_sub(filter.c_str(), topic_c.c_str(), &reference) == MOSQ_ERR_SUCCESS);
    KIOSK_FUZZ_CHECK(matched == reference);
  }
  return 0;
}
