// Pact matchers the specification's test cases do not exercise (they use type and regex only):
// each kind accepts what it names and refuses what it does not, combine OR, v2's flat rules,
// JSONPath reading, and the loader's errors.
#include <gtest/gtest.h>

#include "mockserver/pact.hpp"
#include "mockserver/pact_file.hpp"

namespace {

using mockserver::pact::Message;
using util::Json;

// Whether actual's body matches expected's under one body rule at "$.v".
bool body_matches(const Json& rule, const Json& expected_v, const Json& actual_v) {
  auto rules = mockserver::pact::parse_rules({{"body", {{"$.v", rule}}}}, 3);
  EXPECT_TRUE(rules.has_value()) << (rules ? "" : rules.error().message);
  Message e, a;
  e.body_kind = a.body_kind = Message::Body::json;
  e.body = {{"v", expected_v}};
  a.body = {{"v", actual_v}};
  return mockserver::pact::match_response(e, *rules, a).empty();
}

Json one(const Json& matcher) { return {{"matchers", Json::array({matcher})}}; }

TEST(Pact, EachMatcherKindAcceptsWhatItNamesOnly) {
  EXPECT_TRUE(body_matches(one({{"match", "include"}, {"value", "ill"}}), "x", "billing"));
  EXPECT_FALSE(body_matches(one({{"match", "include"}, {"value", "ill"}}), "x", "refund"));
  EXPECT_TRUE(body_matches(one({{"match", "integer"}}), 1, 42));
  EXPECT_FALSE(body_matches(one({{"match", "integer"}}), 1, 4.5));
  EXPECT_TRUE(body_matches(one({{"match", "number"}}), 1, 4.5));
  EXPECT_FALSE(body_matches(one({{"match", "number"}}), 1, "4.5"));
  EXPECT_TRUE(body_matches(one({{"match", "boolean"}}), true, false));
  EXPECT_FALSE(body_matches(one({{"match", "boolean"}}), true, "false"));
  EXPECT_TRUE(body_matches(one({{"match", "null"}}), nullptr, nullptr));
  EXPECT_FALSE(body_matches(one({{"match", "null"}}), nullptr, 0));
  EXPECT_TRUE(body_matches(one({{"match", "date"}, {"format", "yyyy-MM-dd"}}), "2026-01-01", "2026-12-02"));
  EXPECT_FALSE(body_matches(one({{"match", "date"}, {"format", "yyyy-MM-dd"}}), "2026-01-01", "02/12/2026"));
  EXPECT_TRUE(body_matches(one({{"match", "timestamp"}, {"format", "yyyy-MM-dd'T'HH:mm:ssXXX"}}), "x",
                           "2026-12-02T10:15:00+01:00"));
  EXPECT_FALSE(
      body_matches(one({{"match", "timestamp"}, {"format", "yyyy-MM-dd'T'HH:mm:ssXXX"}}), "x", "2026-12-02 10:15"));
  EXPECT_TRUE(body_matches(one({{"match", "type"}, {"min", 2}}), Json::array({1}), Json::array({5, 6})));
  EXPECT_FALSE(body_matches(one({{"match", "type"}, {"min", 2}}), Json::array({1}), Json::array({5})));
  EXPECT_FALSE(body_matches(one({{"match", "type"}, {"max", 1}}), Json::array({1}), Json::array({5, 6})));
  EXPECT_FALSE(body_matches(one({{"match", "type"}}), Json::array({1}), Json::array({"5"})));  // elements too
}

TEST(Pact, CombineOrNeedsOneMatcherAndAndNeedsAll) {
  Json either = {{"combine", "OR"},
                 {"matchers", Json::array({{{"match", "regex"}, {"regex", "\\d+"}}, {{"match", "null"}}})}};
  EXPECT_TRUE(body_matches(either, "1", nullptr));
  EXPECT_TRUE(body_matches(either, "1", "42"));
  EXPECT_FALSE(body_matches(either, "1", "forty-two"));
  Json both = {
      {"matchers", Json::array({{{"match", "regex"}, {"regex", "\\d+"}}, {{"match", "include"}, {"value", "7"}}})}};
  EXPECT_TRUE(body_matches(both, "1", "172"));
  EXPECT_FALSE(body_matches(both, "1", "42"));
}

TEST(Pact, ValuesIgnoresKeysAndArrayContainsFindsEachVariant) {
  Json values = one({{"match", "values"}});
  EXPECT_TRUE(body_matches(values, {{"a", 1}}, {{"x", 2}, {"y", 3}}));
  EXPECT_FALSE(body_matches(values, {{"a", 1}}, {{"x", "2"}}));  // each value like the example's
  Json contains =
      one({{"match", "arrayContains"},
           {"variants", Json::array({{{"index", 0}, {"example", {{"kind", "queue"}}}, {"rules", Json::object()}}})}});
  EXPECT_TRUE(body_matches(contains, Json::array({{{"kind", "queue"}}}),
                           Json::array({{{"kind", "user"}}, {{"kind", "queue"}}})));
  EXPECT_FALSE(body_matches(contains, Json::array({{{"kind", "queue"}}}), Json::array({{{"kind", "user"}}})));
}

TEST(Pact, V2FlatRulesReachEachCategory) {
  Json flat = {{"$.path", {{"match", "regex"}, {"regex", "/q/\\d+"}}},
               {"$.query.page", {{"match", "regex"}, {"regex", "\\d+"}}},
               {"$.headers.X-Trace", {{"regex", "[a-f0-9]+"}}},
               {"$.body.items", {{"min", 1}}}};
  auto rules = mockserver::pact::parse_rules(flat, 2);
  ASSERT_TRUE(rules.has_value()) << rules.error().message;
  auto expected = mockserver::pact::message_from_pact(Json{{"method", "GET"},
                                                           {"path", "/q/1"},
                                                           {"query", "page=1"},
                                                           {"headers", {{"X-Trace", "ab"}}},
                                                           {"body", {{"items", Json::array({1})}}}},
                                                      2);
  ASSERT_TRUE(expected.has_value());
  auto actual = *expected;
  actual.path = "/q/77";
  (*actual.query)["page"] = {"9"};
  actual.headers = {{"x-trace", "ff00"}};
  actual.body = {{"items", Json::array({3, 4, 5})}};
  EXPECT_TRUE(mockserver::pact::match_request(*expected, *rules, actual).empty());
  actual.headers = {{"x-trace", "not hex"}};
  auto m = mockserver::pact::match_request(*expected, *rules, actual);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].kind, mockserver::MismatchKind::header);
}

TEST(Pact, JsonPathsAndBadRulesAreReadOrRefusedWithTheirPlace) {
  auto p = mockserver::pact::parse_json_path("$.animals[*].name['first name'][2]");
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->size(), 6u);
  EXPECT_EQ((*p)[2].kind, mockserver::pact::PathToken::star_index);
  EXPECT_EQ((*p)[4].name, "first name");
  EXPECT_EQ((*p)[5].at, 2u);
  EXPECT_FALSE(mockserver::pact::parse_json_path("animals").has_value());
  EXPECT_FALSE(mockserver::pact::parse_json_path("$.a[").has_value());
  auto bad = mockserver::pact::parse_rules({{"body", {{"$.a", one({{"match", "regex"}})}}}}, 3);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("needs \"regex\""), std::string::npos);
}

TEST(Pact, TheLoaderReadsVersionsAndSaysWhatItDoesNotServe) {
  Json v4 = Json::parse(R"({"consumer": {"name": "c"}, "provider": {"name": "p"},
    "metadata": {"pactSpecification": {"version": "4.0"}},
    "interactions": [
      {"type": "Asynchronous/Messages", "description": "an event"},
      {"type": "Synchronous/HTTP", "description": "ping", "request": {"method": "get", "path": "/ping"},
       "response": {"status": 200, "body": {"content": {"ok": true}, "contentType": "application/json"}}}]})");
  std::vector<std::string> warnings;
  auto f = mockserver::fixture_from_pact_document(v4, "v4.json", warnings);
  ASSERT_TRUE(f.has_value()) << f.error().message;
  ASSERT_EQ(f->interactions.size(), 1u);
  EXPECT_EQ(f->interactions[0].request.method, "GET");
  EXPECT_EQ(f->interactions[0].response.body, R"({"ok":true})");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("not HTTP"), std::string::npos);
  v4["metadata"]["pactSpecification"]["version"] = "9.1";
  EXPECT_FALSE(mockserver::fixture_from_pact_document(v4, "v4.json", warnings).has_value());
}

}  // namespace
