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

// Fidelity: every call a built-in profile makes names where it is published and whether that
// confirms it; the tutorial's profile says it is the tutorial's.
TEST(Profile, EveryCallOfABuiltInProfileNamesItsSource) {
  int profiles = 0;
  for (const auto& f : contracts::embedded_files()) {
    if (!f.path.starts_with("profiles/")) continue;
    ++profiles;
    auto doc = util::Json::parse(f.content);
    std::vector<std::pair<std::string, util::Json>> calls;
    for (const char* k : {"auth", "conversation", "queue", "wrapup"}) calls.emplace_back(k, doc[k]);
    if (doc.contains("discovery")) calls.emplace_back("discovery", doc["discovery"]);
    if (doc["transfer"].contains("requests"))
      for (const auto& r : doc["transfer"]["requests"]) calls.emplace_back("transfer " + r.value("name", "?"), r);
    else
      calls.emplace_back("transfer", doc["transfer"]);
    for (const auto& [name, call] : calls) {
      SCOPED_TRACE(std::string(f.path) + " " + name);
      ASSERT_TRUE(call.contains("source"));
      EXPECT_FALSE(call["source"].value("ref", "").empty());
      std::string status = call["source"].value("status", "");
      if (doc["name"] == "v2")
        EXPECT_EQ(status, "tutorial");
      else
        EXPECT_TRUE(status == "confirmed" || status == "inferred") << status;
    }
  }
  EXPECT_GE(profiles, 3);
}

TEST(Profile, GenesysHasItsLoginHostParticipantAndTwoRequests) {
  auto p = client::load_profile("genesys");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->login_url, "https://login.{environment}");
  EXPECT_EQ(p->auth.style, "client-credentials-basic");
  EXPECT_EQ(p->conversation.state_path, "/participants/*[purpose=customer]/calls/*/state");
  EXPECT_EQ(p->conversation.participant.purposes, (std::vector<std::string>{"ivr", "acd", "agent", "workflow"}));
  EXPECT_FALSE(p->queue.state_required);
  ASSERT_EQ(p->transfer.requests.size(), 2u);
  EXPECT_EQ(p->transfer.requests[0].endpoint.method, "PATCH");
  EXPECT_EQ(p->transfer.requests[1].name, "replace/queue");
  EXPECT_EQ(p->transfer.requests[1].success_statuses, std::vector<int>{202});
  EXPECT_EQ(p->contract, "genesys-transfer");
}

TEST(Profile, ARequestBodyTakesPlaceholdersAndPayloadValues) {
  auto payload = util::Json::parse(R"({"contextData":{"intent":"billing","n":"3"}})");
  auto tmpl = util::Json::parse(
      R"({"attributes":{"$payload":"/contextData"},"queueId":"{queueId}","gone":{"$payload":"/missing"},"keep":[1]})");
  auto body = client::build_request_body(tmpl, payload, {{"queueId", "q-1"}});
  EXPECT_EQ(body, util::Json::parse(R"({"attributes":{"intent":"billing","n":"3"},"queueId":"q-1","keep":[1]})"));
}

TEST(Profile, AnUnknownAuthStyleNamesTheKnownOnes) {
  auto doc = util::Json::parse(*contracts::embedded_file("profiles/genesys.json"));
  doc["auth"]["style"] = "client-credentials-query";
  auto p = client::parse_profile(doc, "x.json");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("client-credentials-basic"), std::string::npos) << p.error().message;
}
