// Pact matchers the specification's test cases do not exercise (they use type and regex only):
// each kind accepts what it names and refuses what it does not, combine OR, v2's flat rules,
// JSONPath reading, and the loader's errors.
#include <gtest/gtest.h>

#include "mockserver/pact.hpp"
#include "mockserver/pact_file.hpp"
#include "mockserver/pact_xml.hpp"

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

// The differences between two XML bodies (a request's rules: no unexpected attribute or child).
std::vector<mockserver::Mismatch> xml_diff(const std::string& expected, const std::string& actual,
                                           const Json& body_rules = Json::object(), bool response = false) {
  auto rules = mockserver::pact::parse_rules({{"body", body_rules}}, 3);
  EXPECT_TRUE(rules.has_value());
  std::vector<mockserver::Mismatch> out;
  mockserver::pact::match_xml(expected, actual, *rules, response, out);
  return out;
}

TEST(PactXml, EachDifferenceIsReportedWhereItIs) {
  auto d = xml_diff(R"(<a x="1"><b>red</b><b>blue</b></a>)", R"(<a x="2" y="3"><b>red</b><b>taupe</b><c/></a>)");
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].location, "$.a.@x");
  EXPECT_EQ(d[0].message, "expected \"1\", got \"2\"");
  EXPECT_EQ(d[1].location, "$.a.@y");
  EXPECT_EQ(d[2].location, "$.a.b.#text");
  EXPECT_EQ(d[2].actual, "taupe");
  EXPECT_EQ(d[3].location, "$.a.c");
  EXPECT_EQ(d[3].message, "unexpected element <c>");
  // A response may carry more attributes and children; one element fewer is still a difference.
  EXPECT_TRUE(xml_diff(R"(<a><b/></a>)", R"(<a z="1"><b/><c/></a>)", Json::object(), true).empty());
  d = xml_diff(R"(<a><b/><b/></a>)", R"(<a><b/></a>)", Json::object(), true);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "expected 2 <b> elements, got 1");
}

TEST(PactXml, NamesAreComparedByNamespaceNotByPrefix) {
  EXPECT_TRUE(
      xml_diff(R"(<p:a xmlns:p="urn:x" xmlns:q="urn:y" q:id="1"/>)", R"(<a xmlns="urn:x" xmlns:r="urn:y" r:id="1"/>)")
          .empty());
  auto d = xml_diff(R"(<a xmlns="urn:x"/>)", R"(<a xmlns="urn:z"/>)");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "expected element <urn:x:a>, got <urn:z:a>");
  // An unprefixed attribute is in no namespace, whatever the default namespace is.
  EXPECT_FALSE(xml_diff(R"(<a xmlns:p="urn:x" p:id="1"/>)", R"(<a xmlns="urn:x" id="1"/>)").empty());
}

TEST(PactXml, RulesNameElementsAttributesAndText) {
  const Json rules = {{"$.a", one({{"match", "type"}, {"min", 2}})},
                      {"$.a.b['@n']", one({{"match", "integer"}})},
                      {"$.a.b['#text']", one({{"match", "regex"}, {"regex", "[a-z]+"}})}};
  for (const auto& m : xml_diff(R"(<a><b n="1">x</b></a>)", R"(<a><b n="7">abc</b><b n="8">de</b></a>)", rules))
    ADD_FAILURE() << m.location << ": " << m.message;
  auto d = xml_diff(R"(<a><b n="1">x</b></a>)", R"(<a><b n="7">abc</b></a>)", rules);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].location, "$.a");
  EXPECT_EQ(d[0].message, "expected at least 2 child elements, got 1");
  d = xml_diff(R"(<a><b n="1">x</b></a>)", R"(<a><b n="seven">abc</b><b n="8">DE</b></a>)", rules);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].location, "$.a.b.@n");
  EXPECT_EQ(d[1].location, "$.a.b.#text");
}

TEST(PactXml, HostileBodiesAreOneMismatchNeverACrashOrAnExpansion) {
  auto d = xml_diff("<a><b></a>", "<a/>");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].location, "$");
  EXPECT_NE(d[0].message.find("the expected body is not XML: "), std::string::npos) << d[0].message;
  EXPECT_NE(d[0].message.find("at offset"), std::string::npos) << d[0].message;
  d = xml_diff("<a/>", "");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "the body is not XML: No document element found at offset 0");
  // Nesting deeper than the comparison's bound is a mismatch (the parser itself does not recurse).
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<e>";
  for (int i = 0; i < 100000; ++i) deep += "</e>";
  d = xml_diff(deep, deep);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].message.find("nested deeper than 256"), std::string::npos);
  // Entities a DOCTYPE declares are not expanded (no billion laughs, no file or network read).
  const std::string laughs =
      R"(<?xml version="1.0"?><!DOCTYPE a [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;">]><a>&l2;</a>)";
  d = xml_diff(laughs, R"(<a>lollollollollollollollollollol</a>)");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].location, "$.a.#text");
}

}  // namespace
