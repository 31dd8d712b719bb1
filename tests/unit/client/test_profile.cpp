#include <gtest/gtest.h>

#include "client/profile.hpp"

TEST(Profile, BuiltInV2HasEveryEndpoint) {
  auto p = client::load_profile("v2");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->auth.endpoint.path, "/oauth/token");
  EXPECT_EQ(p->transfer.endpoint.method, "POST");
  EXPECT_EQ(p->id_formats["queue"], "uuid");
  EXPECT_EQ(p->contract, "transfer");
}

TEST(Profile, UnknownProfileNamesTheBuiltIns) {
  auto p = client::load_profile("v3");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("v2"), std::string::npos);
}

TEST(Profile, ExpandTemplateEncodesValues) {
  EXPECT_EQ(client::expand_template("/q/{id}/x", {{"id", "a b/c"}}), "/q/a%20b%2Fc/x");
  EXPECT_EQ(client::expand_template("https://api.{environment}", {{"environment", "mypurecloud.de"}}, false),
            "https://api.mypurecloud.de");
  EXPECT_EQ(client::expand_template("/q/{missing}", {}), "/q/{missing}");
}

TEST(Profile, SelectPathWalksArraysWithFilters) {
  auto doc = util::Json::parse(R"({"legs":[{"participants":[{"purpose":"bot","address":{"name":"Bot"}}]},
    {"participants":[{"purpose":"customer","address":{"name":"Jane"}}]}]})");
  auto hits = client::select_path(doc, "/legs/*/participants/*[purpose=customer]/address/name");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(*hits[0], "Jane");
  EXPECT_EQ(client::select_path(doc, "/legs/1/participants/0/purpose").size(), 1u);
  EXPECT_TRUE(client::select_path(doc, "/nope/*").empty());
}

TEST(Profile, IdFormats) {
  EXPECT_TRUE(client::id_has_format("6368531", "integer"));
  EXPECT_FALSE(client::id_has_format("Billing", "integer"));
  EXPECT_TRUE(client::id_has_format("anything", "any"));
  EXPECT_FALSE(client::id_has_format("", "any"));
}
