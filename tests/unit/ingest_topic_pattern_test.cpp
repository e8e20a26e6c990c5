#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ingest/topic_pattern.hpp"

using kiosk::ingest::TopicPattern;

namespace {

TopicPattern must_parse(std::string_view text) {
  std::string error;
  auto p = TopicPattern::parse(text, &error);
  INFO(error);
  REQUIRE(p.has_value());
  return *p;
}

std::string parse_error(std::string_view text) {
  std::string error;
  auto p = TopicPattern::parse(text, &error);
  CHECK_FALSE(p.has_value());
  return error;
}

}  // namespace

TEST_CASE("topic pattern: filter and captures") {
  const auto p = must_parse("campus/{floor}/{space}/occupancy");
  CHECK(p.filter() == "campus/+/+/occupancy");
  CHECK(p.captures() == std::vector<std::string>{"floor", "space"});
  CHECK(p.capture_index("space") == 1);
  CHECK(p.capture_index("room") == -1);

  CHECK(must_parse("a/+/{x}/#").filter() == "a/+/+/#");
  CHECK(must_parse("#").filter() == "#");
  CHECK(must_parse("+").filter() == "+");
  CHECK(must_parse("a//b").filter() == "a//b");
  CHECK(must_parse("/a").filter() == "/a");
  CHECK(must_parse("$SYS/broker/{what}").filter() == "$SYS/broker/+");
  CHECK(must_parse("zigbee2mqtt/{space_id-2}").captures() == std::vector<std::string>{"space_id-2"});
}

TEST_CASE("topic pattern: parse errors") {
  CHECK(parse_error("") == "empty topic pattern");
  CHECK(parse_error("a/#/b").find("last level") != std::string::npos);
  CHECK(parse_error("a/b#").find("whole level") != std::string::npos);
  CHECK(parse_error("a/+b").find("whole level") != std::string::npos);
  CHECK(parse_error("a/salle-{room}").find("{name}") != std::string::npos);
  CHECK(parse_error("a/{room}x").find("{name}") != std::string::npos);
  CHECK(parse_error("a/{}").find("{name}") != std::string::npos);
  CHECK(parse_error("a/{ro om}").find("letters") != std::string::npos);
  CHECK(parse_error("{x}/{x}").find("twice") != std::string::npos);
  CHECK(parse_error(std::string("a\0b", 3)).find("NUL") != std::string::npos);
  CHECK_FALSE(TopicPattern::parse("a/{", nullptr).has_value());  // null error pointer is fine
}

TEST_CASE("topic pattern: literal and '+' matching with captures") {
  const auto p = must_parse("campus/{floor}/{space}/occupancy");
  std::vector<std::string_view> v;
  REQUIRE(p.match("campus/1/garonne/occupancy", v));
  CHECK(v == std::vector<std::string_view>{"1", "garonne"});
  CHECK_FALSE(p.match("campus/1/garonne", v));
  CHECK_FALSE(p.match("campus/1/garonne/occupancy/x", v));
  CHECK_FALSE(p.match("campus/1/garonne/occupancyx", v));
  CHECK_FALSE(p.match("Campus/1/garonne/occupancy", v));  // case-sensitive, as MQTT
  CHECK_FALSE(p.match("", v));
  // Empty levels are levels.
  REQUIRE(p.match("campus//garonne/occupancy", v));
  CHECK(v == std::vector<std::string_view>{"", "garonne"});
  REQUIRE(p.match("campus///occupancy", v));
  CHECK(v == std::vector<std::string_view>{"", ""});
  // Captures are views into the topic.
  const std::string topic = "campus/2/salle-œuvre/occupancy";
  REQUIRE(p.match(topic, v));
  CHECK(v[1].data() == topic.data() + 9);
  CHECK(v[1] == "salle-œuvre");

  const auto plus = must_parse("a/+");
  CHECK(plus.match("a/b", v));
  CHECK(plus.match("a/", v));
  CHECK_FALSE(plus.match("a", v));
  CHECK_FALSE(plus.match("a/b/c", v));
  const auto lead = must_parse("+/b");
  CHECK(lead.match("/b", v));
  CHECK(lead.match("x/b", v));
}

TEST_CASE("topic pattern: '#' matches the parent and any depth") {
  std::vector<std::string_view> v;
  const auto p = must_parse("sensors/{site}/#");
  REQUIRE(p.match("sensors/paris/a/b/c", v));
  CHECK(v == std::vector<std::string_view>{"paris"});
  CHECK(p.match("sensors/paris", v));  // the parent level
  CHECK(p.match("sensors/paris/", v));
  CHECK_FALSE(p.match("sensors", v));
  CHECK_FALSE(p.match("other/paris/x", v));
  const auto all = must_parse("#");
  CHECK(all.match("a", v));
  CHECK(all.match("/", v));
  CHECK(all.match("a/b/c", v));
}

TEST_CASE("topic pattern: '$' topics never match a wildcard first level") {
  std::vector<std::string_view> v;
  CHECK_FALSE(must_parse("#").match("$SYS/broker/uptime", v));
  CHECK_FALSE(must_parse("+/broker/uptime").match("$SYS/broker/uptime", v));
  CHECK_FALSE(must_parse("{x}/broker/uptime").match("$SYS/broker/uptime", v));
  CHECK(must_parse("$SYS/#").match("$SYS/broker/uptime", v));
  const auto p = must_parse("$SYS/broker/{what}");
  REQUIRE(p.match("$SYS/broker/uptime", v));
  CHECK(v == std::vector<std::string_view>{"uptime"});
  // '$' deeper than the first level is an ordinary character.
  CHECK(must_parse("a/+").match("a/$x", v));
}
