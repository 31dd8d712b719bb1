// diagnose --save-fixture (client/save_fixture.*): a run's exchanges become a v1 scenario the
// mock loads, with tokens as placeholders, credentials and --redact values masked, repeated
// requests answering once, network failures as faults, and the run's outcome as `expect`.
#include <gtest/gtest.h>

#include "client/save_fixture.hpp"
#include "mockserver/fixture_loader.hpp"
#include "util/strings.hpp"

namespace {

const std::string kToken = "live-token-0123456789";
const std::string kSecret = "client-secret-0042";

client::Exchange exchange(std::string step, std::string method, std::string url, int status, std::string body) {
  client::Exchange x;
  x.step = std::move(step);
  x.request.method = std::move(method);
  x.request.url = std::move(url);
  x.result.response = util::HttpResponse{status, {}, std::move(body)};
  x.result.response->headers.add("Content-Type", "application/json");
  return x;
}

class SaveFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    profile_ = util::value_or_throw(client::load_profile("v2"));
    config_.client_id = "client-1";
    config_.client_secret = kSecret;
    config_.conversation_id = "c-1";
    config_.queue_id = "q-1";
    config_.payload_text = R"({"queue":{"id":"q-1"},"contextData":{"customerName":"Jane Customer"}})";
    report_.profile = "v2";
    report_.target = "http://cc.test";
    report_.classification = "SERVER_ERROR";
    report_.failed_step = "queue";
    auto token = exchange("auth", "POST", "http://cc.test/oauth/token", 200,
                          R"({"access_token":")" + kToken + R"(","expires_in":3600})");
    token.request.headers.add("Content-Type", "application/x-www-form-urlencoded");
    token.request.body = "grant_type=client_credentials&client_secret=" + kSecret;
    report_.exchanges.push_back(token);
    report_.exchanges.push_back(
        exchange("queue", "GET", "http://cc.test/api/v2/routing/queues/q-1?expand=x", 503, R"({"message":"busy"})"));
    report_.exchanges.push_back(
        exchange("queue", "GET", "http://cc.test/api/v2/routing/queues/q-1?expand=x", 503, R"({"message":"busy"})"));
    client::Exchange reset;
    reset.step = "queue";
    reset.request.method = "GET";
    reset.request.url = "http://cc.test/api/v2/routing/queues/q-1?expand=x";
    reset.result.error = client::NetworkError{client::NetworkErrorKind::reset, "reset"};
    report_.exchanges.push_back(reset);
    report_.redactor.add_secret(kSecret);
    report_.redactor.add_secret(kToken);
    report_.redactor.add_pointer("/contextData/customerName");
  }
  client::Profile profile_;
  client::Config config_;
  client::DiagnoseReport report_;
};

TEST_F(SaveFixture, TheScenarioHoldsTheRunAndNoSecret) {
  auto doc = client::scenario_from_run(report_, config_, profile_, "v2", "queue-busy");
  std::vector<std::string> keys;
  for (const auto& [k, _] : doc.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"fixtureVersion", "name", "description", "tags", "profile", "inputs",
                                            "interactions", "expect"}));
  EXPECT_EQ(doc["tags"], util::OrderedJson::parse(R"(["recorded","v2","server_error"])"));
  EXPECT_EQ(doc["inputs"]["clientId"], "client-1");
  EXPECT_EQ(doc["inputs"]["payload"]["contextData"]["customerName"], util::kMask);
  EXPECT_EQ(doc["expect"]["classification"], "SERVER_ERROR");
  EXPECT_EQ(doc["expect"]["failedStep"], "queue");

  const auto& xs = doc["interactions"];
  ASSERT_EQ(xs.size(), 4u);
  EXPECT_EQ(xs[0]["id"], "auth-1");
  EXPECT_EQ(xs[0]["request"]["form"], util::OrderedJson::parse(R"({"grant_type":"client_credentials"})"));
  EXPECT_EQ(xs[0]["response"]["json"]["access_token"], "recorded-access-token");
  EXPECT_EQ(xs[1]["request"]["path"], "/api/v2/routing/queues/q-1");
  EXPECT_EQ(xs[1]["request"]["query"]["expand"], "x");
  // The same request three times: every answer but the last is used once, in order.
  EXPECT_EQ(xs[1]["times"], 1);
  EXPECT_EQ(xs[2]["times"], 1);
  EXPECT_FALSE(xs[3].contains("times"));
  EXPECT_EQ(xs[3]["response"]["fault"], "connection-reset");

  std::string text = client::scenario_text(doc, report_);
  EXPECT_EQ(text.find(kToken), std::string::npos);
  EXPECT_EQ(text.find(kSecret), std::string::npos);
  EXPECT_EQ(text.find("Jane Customer"), std::string::npos);
  // And the mock loads it as it is.
  auto fixture = mockserver::parse_fixture(text, "queue-busy.json");
  ASSERT_TRUE(fixture) << fixture.error().message;
  EXPECT_EQ(fixture->interactions.size(), 4u);
}

TEST_F(SaveFixture, WhatAMockCannotAnswerIsLeftOutAndSaidSo) {
  client::Exchange dns;
  dns.step = "transfer";
  dns.request.method = "POST";
  dns.request.url = "http://other.test/x";
  dns.result.error = client::NetworkError{client::NetworkErrorKind::dns, "no such host"};
  report_.exchanges.push_back(dns);
  config_.payload_text = "not json";
  auto doc = client::scenario_from_run(report_, config_, profile_, "v2", "n");
  EXPECT_EQ(doc["interactions"].size(), 4u);
  std::string desc = doc["description"];
  EXPECT_NE(desc.find("Not reproduced: the payload (not JSON) is not included; transfer: dns"), std::string::npos)
      << desc;
  EXPECT_FALSE(doc["inputs"].contains("payload"));
}

TEST(PlaceholderTokens, TokensReplacedAndTheIdTokenKeepsOnlyTheTenant) {
  auto cxone = util::value_or_throw(client::load_profile("cxone"));
  ASSERT_FALSE(cxone.auth.id_token_pointer.empty());
  auto b64url = [](std::string s) {
    s = util::base64_encode(s);
    for (auto& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!s.empty() && s.back() == '=') s.pop_back();
    return s;
  };
  std::string claims =
      R"({")" + cxone.discovery.tenant_claim + R"(":"tenant-7","email":"agent@example.com","sub":"u-1"})";
  util::Json body = {{"access_token", "a"},
                     {"refresh_token", "r"},
                     {"id_token", b64url(R"({"alg":"RS256"})") + "." + b64url(claims) + ".c2lnbmF0dXJl"}};
  client::placeholder_tokens(body, cxone);
  EXPECT_EQ(body["access_token"], "recorded-access-token");
  EXPECT_EQ(body["refresh_token"], "recorded-refresh-token");
  auto parts = util::split(body["id_token"].get<std::string>(), '.');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2], "") << "unsigned";
  auto decoded = util::Json::parse(*util::base64_decode(parts[1]));
  EXPECT_EQ(decoded, util::Json({{cxone.discovery.tenant_claim, "tenant-7"}}));
}

}  // namespace
