#include <gtest/gtest.h>

#include "client/profile.hpp"
#include "contracts/embedded.hpp"

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

TEST(Profile, AMisspeltKeyIsAnErrorWithWhereAndTheNearestKeyAsForFixtures) {
  // A misspelt "statePointer" used to run without complaint, reading the default pointer.
  auto doc = util::Json::parse(*contracts::embedded_file("profiles/v2.json"));
  doc["conversation"]["statusPointer"] = doc["conversation"]["statePointer"];
  doc["conversation"].erase("statePointer");
  std::string text = doc.dump(2);
  auto p = client::parse_profile(doc, "my-profile.json", text);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("my-profile.json:"), std::string::npos) << p.error().message;
  EXPECT_NE(p.error().message.find("property \"statusPointer\" is not allowed here (did you mean \"statePointer\"?)"),
            std::string::npos)
      << p.error().message;
  // Unknown top-level keys, wrong types and values outside the format are refused too.
  for (const char* bad : {R"({"extra": 1})", R"({"auth": {"style": "oauth-magic"}})", R"({"wrapup": {"pageSize": 0}})",
                          R"({"conversation": {"activeStates": "active"}})"}) {
    auto d = util::Json::parse(*contracts::embedded_file("profiles/v2.json"));
    d.merge_patch(util::Json::parse(bad));
    EXPECT_FALSE(client::parse_profile(d, "p.json")) << bad;
  }
}

TEST(Profile, EveryBuiltInProfilePassesTheProfileSchema) {
  for (const auto& f : contracts::embedded_files()) {
    if (!f.path.starts_with("profiles/")) continue;
    auto p = client::load_profile(f.path.substr(9, f.path.size() - 9 - 5));
    EXPECT_TRUE(p) << f.path << ": " << (p ? "" : p.error().message);
  }
}
