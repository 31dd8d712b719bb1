#include <gtest/gtest.h>

#include "mockserver/fixture_loader.hpp"
#include "mockserver/matcher.hpp"

namespace {

mockserver::RequestPattern pattern(const std::string& method, const std::string& path) {
  mockserver::RequestPattern p;
  p.method = method;
  p.set_path(path);
  return p;
}

util::HttpRequest request(const std::string& method, const std::string& path, const std::string& body = "",
                          const std::string& content_type = "") {
  util::HttpRequest r;
  r.method = method;
  r.path = path;
  r.body = body;
  if (!content_type.empty()) r.headers.add("Content-Type", content_type);
  return r;
}

mockserver::MatchResult match(const mockserver::RequestPattern& p, const util::HttpRequest& r) {
  mockserver::IncomingRequest in(r);
  return mockserver::match_request(p, in);
}

}  // namespace

TEST(Matcher, PathTemplateMatchesAnySegmentValue) {
  auto p = pattern("GET", "/api/v2/conversations/{conversationId}");
  EXPECT_TRUE(match(p, request("GET", "/api/v2/conversations/abc")).matched());
  EXPECT_FALSE(match(p, request("GET", "/api/v2/conversations/abc/extra")).matched());
  EXPECT_FALSE(match(p, request("GET", "/api/v2/conversations/")).matched());
}

TEST(Matcher, HeadersMatchCaseInsensitivelyByName) {
  auto p = pattern("GET", "/x");
  p.headers["authorization"] = mockserver::ValueMatcher::equal_to("Bearer t");
  auto r = request("GET", "/x");
  r.headers.add("AUTHORIZATION", "Bearer t");
  EXPECT_TRUE(match(p, r).matched());
}

TEST(Matcher, SensitiveHeaderValuesAreNeverEchoed) {
  auto p = pattern("GET", "/x");
  p.headers["authorization"] = mockserver::ValueMatcher::equal_to("Bearer expected");
  auto r = request("GET", "/x");
  r.headers.add("Authorization", "Bearer real-secret-token");
  auto m = match(p, r);
  ASSERT_EQ(m.mismatches.size(), 1u);
  EXPECT_EQ(m.mismatches[0].actual, "(other value)");
}

TEST(Matcher, QueryAndFormFieldsEachReportAMismatch) {
  auto p = pattern("POST", "/oauth/token");
  p.query["a"] = mockserver::ValueMatcher::equal_to("1");
  p.form["grant_type"] = mockserver::ValueMatcher::equal_to("client_credentials");
  p.form["client_id"] = mockserver::ValueMatcher::equal_to("abc");
  auto r =
      request("POST", "/oauth/token", "grant_type=password&client_secret=zzz", "application/x-www-form-urlencoded");
  r.query["a"] = "2";
  auto m = match(p, r);
  ASSERT_EQ(m.mismatches.size(), 3u);
  EXPECT_EQ(m.mismatches[0].kind, mockserver::MismatchKind::query);
  EXPECT_EQ(m.mismatches[1].kind, mockserver::MismatchKind::form);
  EXPECT_EQ(m.mismatches[1].location, "client_id");
  EXPECT_EQ(m.mismatches[1].actual, "(absent)");
  EXPECT_EQ(m.mismatches[2].location, "grant_type");
  EXPECT_EQ(m.mismatches[2].actual, "(other value)") << "form values may be secrets";
}

TEST(Matcher, JsonBodyIsASubsetMatch) {
  auto p = pattern("POST", "/t");
  p.json = util::Json::parse(R"({"transferTo":{"id":"q1"},"n":1})");
  EXPECT_TRUE(
      match(p, request("POST", "/t", R"({"transferTo":{"id":"q1","type":"queue"},"n":1.0,"extra":true})")).matched());
  auto m = match(p, request("POST", "/t", R"({"transferTo":{"id":"q2"}})"));
  ASSERT_EQ(m.mismatches.size(), 2u);
  EXPECT_EQ(m.mismatches[0].location, "/n");
  EXPECT_EQ(m.mismatches[1].location, "/transferTo/id");
  EXPECT_EQ(m.mismatches[1].expected, "\"q1\"");
  EXPECT_EQ(m.mismatches[1].actual, "\"q2\"");
  EXPECT_FALSE(match(p, request("POST", "/t", "not json")).matched());
}

TEST(Matcher, PathDistanceOutweighsMethod) {
  auto transfer = pattern("POST", "/api/v2/conversations/voice/{id}/transfer");
  auto token = pattern("POST", "/oauth/token");
  auto r = request("POST", "/api/v3/conversations/voice/abc/transfer");
  EXPECT_LT(match(transfer, r).distance, match(token, r).distance);
}

TEST(Matcher, SpecificityPrefersLiteralSegments) {
  EXPECT_GT(pattern("GET", "/a/b").specificity(), pattern("GET", "/a/{x}").specificity());
  auto with_query = pattern("GET", "/a/{x}");
  with_query.query["q"] = mockserver::ValueMatcher::equal_to("1");
  EXPECT_GT(with_query.specificity(), pattern("GET", "/a/{x}").specificity());
}

TEST(RequestPattern, ThePathAndWhatIsMatchedAreSetTogether) {
  mockserver::RequestPattern p;
  p.set_path("/skills/{queueId}/dispositions");
  ASSERT_EQ(p.segments().size(), 3u);
  EXPECT_TRUE(p.segments()[1].is_param());
  EXPECT_EQ(p.segments()[1].param, "queueId");
  p.set_path_pattern("^/skills/[0-9]+$", util::value_or_throw(util::Regex::compile("^/skills/[0-9]+$")));
  EXPECT_EQ(p.path(), "^/skills/[0-9]+$");
  EXPECT_TRUE(p.segments().empty());
  ASSERT_TRUE(p.path_regex());
  p.set_path("/x");
  EXPECT_FALSE(p.path_regex());
  EXPECT_EQ(p.segments().size(), 1u);
}
