// Scenarios isolated per request (X-Mock-Scenario, /__scenario/NAME/, --default-scenario), each
// with its own state; the admin API's scenario and interaction control.
#include <gtest/gtest.h>

#include "mockserver/engine.hpp"
#include "mockserver/fixture_loader.hpp"

namespace {

mockserver::Fixture named(const std::string& name, const std::string& interactions) {
  std::string text = R"({"fixtureVersion": 1, "name": ")" + name + R"(", "interactions": [)" + interactions + "]}";
  return util::value_or_throw(mockserver::parse_fixture(text, name + ".json"));
}

util::HttpRequest req(const std::string& method, const std::string& path, const std::string& scenario = "",
                      const std::string& body = "") {
  util::HttpRequest r;
  r.method = method;
  r.path = path;
  r.body = body;
  if (!scenario.empty()) r.headers.add("X-Mock-Scenario", scenario);
  return r;
}

// Two files answering the same call differently, the first with a 429-then-200 state machine.
void load_two(mockserver::MockEngine& e) {
  e.add_fixture(named("throttled", R"(
    {"id": "slow", "request": {"path": "/q"}, "response": {"status": 429},
     "scenario": {"name": "rate", "requiredState": "Started", "newState": "ok"}},
    {"id": "fine", "request": {"path": "/q"}, "response": {"status": 200},
     "scenario": {"name": "rate", "requiredState": "ok"}},
    {"id": "token", "required": true, "request": {"method": "POST", "path": "/oauth/token"}, "response": {"status": 200}})"));
  e.add_fixture(named("denied", R"(
    {"id": "token", "request": {"method": "POST", "path": "/oauth/token"}, "response": {"status": 401}},
    {"id": "other", "request": {"path": "/q"}, "response": {"status": 403}})"));
}

util::Json body_of(const mockserver::Reply& r) { return util::Json::parse(r.response.body); }

util::Json admin(mockserver::MockEngine& e, const std::string& method, const std::string& what,
                 const std::string& body = "", int expect = 200) {
  auto r = e.handle(req(method, "/__admin/" + what, "", body));
  EXPECT_EQ(r.response.status, expect) << method << " " << what << ": " << r.response.body;
  return body_of(r);
}

}  // namespace

TEST(EngineScenarios, TheHeaderAndThePathPrefixPickTheFileThatAnswers) {
  mockserver::MockEngine e;
  load_two(e);
  EXPECT_EQ(e.handle(req("POST", "/oauth/token")).response.status, 200);  // merged: the first file
  EXPECT_EQ(e.handle(req("POST", "/oauth/token", "denied")).response.status, 401);
  EXPECT_EQ(e.handle(req("POST", "/__scenario/denied/oauth/token")).response.status, 401);
  EXPECT_EQ(e.handle(req("POST", "/__scenario/throttled/oauth/token")).response.status, 200);
  EXPECT_EQ(e.handle(req("GET", "/__scenario/denied/q")).interaction_id, "other");
  // The journal names the scenario, and the path as it was matched (prefix stripped).
  auto last = e.journal().snapshot().back();
  EXPECT_EQ(last.scenario, "denied");
  EXPECT_EQ(last.path, "/q");
  EXPECT_EQ(last.fixture, "denied");
}

TEST(EngineScenarios, EachFileKeepsItsOwnState) {
  mockserver::MockEngine e;
  load_two(e);
  e.add_fixture(named("throttled-too", R"(
    {"id": "slow", "request": {"path": "/q"}, "response": {"status": 429},
     "scenario": {"name": "rate", "requiredState": "Started", "newState": "ok"}},
    {"id": "fine", "request": {"path": "/q"}, "response": {"status": 200},
     "scenario": {"name": "rate", "requiredState": "ok"}})"));
  EXPECT_EQ(e.handle(req("GET", "/q", "throttled")).response.status, 429);
  EXPECT_EQ(e.handle(req("GET", "/q", "throttled")).response.status, 200);
  // Same machine name in another file: still at its start.
  EXPECT_EQ(e.handle(req("GET", "/q", "throttled-too")).response.status, 429);
}

TEST(EngineScenarios, AMissSearchesOnlyTheNamedScenarioAndSaysSo) {
  mockserver::MockEngine e;
  load_two(e);
  auto r = e.handle(req("GET", "/nothing", "denied"));
  EXPECT_EQ(r.response.status, 404);
  auto body = body_of(r);
  EXPECT_EQ(body["scenario"], "denied");
  EXPECT_NE(body["message"].get<std::string>().find("in scenario \"denied\""), std::string::npos) << body;
  for (const auto& c : body["closest"]) EXPECT_EQ(c["fixture"], "denied") << body;
  auto unknown = e.handle(req("GET", "/q", "nosuch"));
  EXPECT_EQ(unknown.response.status, 404);
  EXPECT_EQ(body_of(unknown)["code"], "mock.scenario.unknown");
  EXPECT_EQ(body_of(unknown)["scenarios"], util::Json({"throttled", "denied"}));
}

TEST(EngineScenarios, TheDefaultScenarioAnswersRequestsThatNameNone) {
  mockserver::EngineOptions options;
  options.default_scenario = "denied";
  mockserver::MockEngine e(options);
  load_two(e);
  EXPECT_EQ(e.handle(req("POST", "/oauth/token")).response.status, 401);
  EXPECT_EQ(e.handle(req("POST", "/oauth/token", "throttled")).response.status, 200);
}

TEST(EngineScenarios, AdminListsSetsAndResetsStates) {
  mockserver::MockEngine e;
  load_two(e);
  auto list = admin(e, "GET", "scenarios");
  ASSERT_EQ(list["scenarios"].size(), 2u);
  EXPECT_EQ(list["scenarios"][0]["name"], "throttled");
  EXPECT_EQ(list["scenarios"][0]["states"]["rate"], "Started");
  EXPECT_EQ(list["scenarios"][0]["possibleStates"]["rate"], util::Json({"Started", "ok"}));
  EXPECT_EQ(list["scenarios"][0]["requiredNotCalled"], util::Json({"token"}));

  auto set = admin(e, "PUT", "scenarios/throttled/state", R"({"state": "ok"})");
  EXPECT_EQ(set["states"]["rate"], "ok");
  EXPECT_EQ(e.handle(req("GET", "/q", "throttled")).response.status, 200);
  admin(e, "PUT", "scenarios/throttled/state", R"({"state": "never"})", 400);
  admin(e, "PUT", "scenarios/throttled/state", R"({"scenario": "other", "state": "ok"})", 400);
  admin(e, "PUT", "scenarios/denied/state", R"({"state": "ok"})", 400);  // no state machine
  admin(e, "PUT", "scenarios/nosuch/state", R"({"state": "ok"})", 404);
  // The list by any other method is an unknown endpoint (the fuzzer found it threw instead).
  EXPECT_EQ(admin(e, "POST", "scenarios", "", 404)["code"], "mock.admin.unknown");
  admin(e, "DELETE", "scenarios", "", 404);

  admin(e, "POST", "scenarios/reset");
  EXPECT_EQ(e.handle(req("GET", "/q", "throttled")).response.status, 429);
  // One scenario's reset: its state, its counters and the journal entries that named it.
  e.handle(req("GET", "/missing", "throttled"));
  EXPECT_EQ(admin(e, "GET", "scenarios/throttled")["unmatched"].size(), 1u);
  auto one = admin(e, "POST", "scenarios/throttled/reset");
  EXPECT_EQ(one["states"]["rate"], "Started");
  EXPECT_EQ(one["calls"], 0);
  EXPECT_EQ(admin(e, "GET", "scenarios/throttled")["unmatched"].size(), 0u);
}

TEST(EngineScenarios, AdminReadsReplacesAddsAndDeletesOneInteraction) {
  mockserver::MockEngine e;
  load_two(e);
  auto ambiguous = admin(e, "GET", "interactions/token", "", 409);
  EXPECT_EQ(ambiguous["candidates"], util::Json({"throttled/token", "denied/token"}));
  auto got = admin(e, "GET", "interactions/denied/token");
  EXPECT_EQ(got["status"], 401);
  EXPECT_EQ(got["scenario"], "denied");
  EXPECT_EQ(got["method"], "POST");

  admin(e, "PUT", "interactions/denied/token",
        R"({"request": {"method": "POST", "path": "/oauth/token"}, "response": {"status": 503}})");
  EXPECT_EQ(e.handle(req("POST", "/oauth/token", "denied")).response.status, 503);
  EXPECT_EQ(e.interaction_count(), 5u);

  auto added = admin(e, "PUT", "interactions/denied/extra",
                     R"({"request": {"method": "GET", "path": "/extra"}, "response": {"status": 204}})", 201);
  EXPECT_EQ(added["id"], "extra");
  EXPECT_EQ(e.handle(req("GET", "/extra", "denied")).response.status, 204);
  EXPECT_EQ(e.handle(req("GET", "/extra", "throttled")).response.status, 404);

  admin(e, "PUT", "interactions/denied/token", R"({"id": "other-id", "request": {"path": "/x"}})", 400);
  admin(e, "PUT", "interactions/denied/token", R"({"request": {"path": "/x"}, "respons": {}})", 400);
  admin(e, "PUT", "interactions/nosuch/x", R"({"request": {"path": "/x"}})", 404);

  EXPECT_EQ(admin(e, "DELETE", "interactions/denied/extra")["removed"], "denied/extra");
  EXPECT_EQ(e.handle(req("GET", "/extra", "denied")).response.status, 404);
  admin(e, "DELETE", "interactions/denied/extra", "", 404);
}

// The console page: served like the admin API (loopback, or the token); with a token, one visit
// with ?token= turns it into a cookie the page's own calls carry, and the address loses it.
TEST(EngineConsole, ThePageAndItsTokenCookie) {
  mockserver::MockEngine open;
  auto page = open.handle(req("GET", "/__admin/ui"));
  EXPECT_EQ(page.response.status, 200);
  EXPECT_EQ(page.response.headers.get("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.response.headers.get("content-security-policy").find("default-src 'none'"), std::string::npos);
  EXPECT_TRUE(page.response.body.starts_with("<!DOCTYPE html>"));
  EXPECT_EQ(page.response.body.find("://"), std::string::npos) << "the page names an outside address";

  mockserver::EngineOptions options;
  options.admin_token = "console-token-0123456789";
  mockserver::MockEngine guarded(options);
  EXPECT_EQ(guarded.handle(req("GET", "/__admin/ui")).response.status, 401);
  auto wrong = req("GET", "/__admin/ui");
  wrong.query = {{"token", "console-token-wrong-6789"}};
  EXPECT_EQ(guarded.handle(wrong).response.status, 401);
  auto login = req("GET", "/__admin/ui");
  login.query = {{"token", options.admin_token}};
  auto sent_on = guarded.handle(login);
  EXPECT_EQ(sent_on.response.status, 303);
  EXPECT_EQ(sent_on.response.headers.get("location"), "/__admin/ui");
  std::string cookie = sent_on.response.headers.get("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  auto with_cookie = req("GET", "/__admin/scenarios");
  with_cookie.headers.add("Cookie", "other=1; " + cookie.substr(0, cookie.find(';')));
  EXPECT_EQ(guarded.handle(with_cookie).response.status, 200);
  auto bad_cookie = req("GET", "/__admin/scenarios");
  bad_cookie.headers.add("Cookie", "cxone_mock_admin=console-token-wrong-6789");
  EXPECT_EQ(guarded.handle(bad_cookie).response.status, 401);
}

// Proxy fall-through: what no interaction answers is handed to the upstream (handle says so, the
// server calls forward), without the mock's own scenario prefix and header, and journaled.
namespace {

class RecordingUpstream : public mockserver::Upstream {
 public:
  std::string base_url() const override { return "https://tenant.example"; }
  util::HttpResponse forward(const util::HttpRequest& request) override {
    seen.push_back(request);
    util::HttpResponse r;
    r.status = 418;
    r.body = R"({"from": "tenant"})";
    return r;
  }
  util::Result<std::string> finish() override { return std::string(); }
  std::vector<util::HttpRequest> seen;
};

}  // namespace

TEST(EngineUpstream, WhatNoInteractionAnswersGoesUpstreamAndIsJournaledAsProxied) {
  auto upstream = std::make_shared<RecordingUpstream>();
  mockserver::EngineOptions options;
  options.upstream = upstream;
  mockserver::MockEngine e(options);
  load_two(e);
  auto matched = e.handle(req("GET", "/q", "denied"));
  EXPECT_EQ(matched.response.status, 403);
  EXPECT_FALSE(matched.to_upstream);
  auto request = req("GET", "/__scenario/denied/elsewhere", "denied");
  request.headers.add("Authorization", "Bearer secret-token-value");
  auto miss = e.handle(request);
  EXPECT_TRUE(miss.to_upstream);
  EXPECT_TRUE(upstream->seen.empty()) << "handle never blocks on the upstream";
  auto answered = e.forward(request);
  EXPECT_EQ(answered.response.status, 418);
  ASSERT_EQ(upstream->seen.size(), 1u);
  EXPECT_EQ(upstream->seen[0].path, "/elsewhere");
  EXPECT_EQ(upstream->seen[0].headers.find("X-Mock-Scenario"), nullptr);
  EXPECT_EQ(upstream->seen[0].headers.get("Authorization"), "Bearer secret-token-value") << "the tenant needs it";
  auto listing = req("GET", "/__admin/requests");
  listing.query["unmatched"] = "true";
  auto journal = body_of(e.handle(listing))["requests"];
  ASSERT_EQ(journal.size(), 1u) << journal;
  EXPECT_EQ(journal[0]["proxied"], "https://tenant.example");
  EXPECT_EQ(journal[0]["status"], 418);
  EXPECT_EQ(journal[0]["scenario"], "denied");
  EXPECT_EQ(journal[0]["headers"]["Authorization"], "***");
  auto verify = admin(e, "GET", "verify");
  EXPECT_EQ(verify["proxied"], 1);
  EXPECT_TRUE(verify["unexpected"].empty()) << verify;
  // An unknown scenario is still the mock's own 404, never sent on.
  auto unknown = e.handle(req("GET", "/elsewhere", "nobody"));
  EXPECT_FALSE(unknown.to_upstream);
  EXPECT_EQ(unknown.response.status, 404);
}
