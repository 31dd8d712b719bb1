// util/http: the header list, loopback addresses, request targets, HTTP dates, reason phrases.
#include <gtest/gtest.h>

#include "util/http.hpp"

namespace {

TEST(Headers, NamesCompareWithoutCaseAndDuplicatesKeepTheirOrder) {
  util::Headers h;
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  h.add("Content-Type", "application/json");
  ASSERT_NE(h.find("SET-COOKIE"), nullptr);
  EXPECT_EQ(*h.find("SET-COOKIE"), "a=1");  // the first of them
  EXPECT_EQ(h.size(), 3u);
  std::vector<std::string> values;
  for (const auto& [k, v] : h) values.push_back(v);
  EXPECT_EQ(values, (std::vector<std::string>{"a=1", "b=2", "application/json"}));
  EXPECT_EQ(h.get("x-missing", "fallback"), "fallback");
  EXPECT_EQ(h.find("content-typ"), nullptr);  // no prefix matches
}

TEST(Headers, SetReplacesTheFirstOrAdds) {
  util::Headers h;
  h.set("Authorization", "Bearer one");
  h.set("authorization", "Bearer two");
  EXPECT_EQ(h.size(), 1u);
  EXPECT_EQ(h.get("Authorization"), "Bearer two");
}

TEST(Http, LoopbackAddresses) {
  for (const char* yes : {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"})
    EXPECT_TRUE(util::is_loopback_address(yes)) << yes;
  for (const char* no : {"10.0.0.1", "::", "::ffff:10.0.0.1", "1270.0.0.1x", "", "localhost"})
    EXPECT_FALSE(util::is_loopback_address(no)) << no;
}

TEST(Http, ATargetSplitsIntoPathAndDecodedQuery) {
  auto [path, query] = util::split_target("/api/v2/routing/queues?name=Billing%20Support&pageSize=25");
  EXPECT_EQ(path, "/api/v2/routing/queues");
  EXPECT_EQ(query, (std::map<std::string, std::string>{{"name", "Billing Support"}, {"pageSize", "25"}}));
  auto [bare, none] = util::split_target("/oauth/token");
  EXPECT_EQ(bare, "/oauth/token");
  EXPECT_TRUE(none.empty());
}

TEST(Http, TheThreeDateFormsOfRfc9110AndNothingElse) {
  // 1994-11-06T08:49:37Z, RFC 9110's own example, in its three spellings
  for (const char* date :
       {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"}) {
    auto t = util::parse_http_date(date);
    ASSERT_TRUE(t) << date;
    EXPECT_EQ(*t, 784111777.0) << date;
  }
  for (const char* bad :
       {"", "120", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 GMT trailing", "yesterday"})
    EXPECT_FALSE(util::parse_http_date(bad)) << bad;
}

TEST(Http, ReasonPhrases) {
  EXPECT_EQ(util::reason_phrase(404), "Not Found");
  EXPECT_EQ(util::reason_phrase(422), "Unprocessable Entity");
  EXPECT_EQ(util::reason_phrase(429), "Too Many Requests");
  EXPECT_EQ(util::reason_phrase(599), "");
}

}  // namespace
