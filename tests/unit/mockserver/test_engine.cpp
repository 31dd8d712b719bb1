#include <gtest/gtest.h>

#include "mockserver/engine.hpp"
#include "mockserver/fixture_loader.hpp"

namespace {

mockserver::Fixture fixture(const std::string& interactions) {
  std::string text = R"({"fixtureVersion": 1, "name": "f", "interactions": [)" + interactions + "]}";
  return util::value_or_throw(mockserver::parse_fixture(text, "f.json"));
}

util::HttpRequest req(const std::string& method, const std::string& path) {
  util::HttpRequest r;
  r.method = method;
  r.path = path;
  return r;
}

}  // namespace

TEST(Engine, MostSpecificMatchWinsThenFileOrder) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"(
    {"id": "any", "request": {"path": "/q/{id}"}, "response": {"status": 200}},
    {"id": "exact", "request": {"method": "GET", "path": "/q/7"}, "response": {"status": 201}},
    {"id": "exact-later", "request": {"method": "GET", "path": "/q/7"}, "response": {"status": 202}})"));
  EXPECT_EQ(e.handle(req("GET", "/q/7")).interaction_id, "exact");
  EXPECT_EQ(e.handle(req("GET", "/q/8")).interaction_id, "any");
}

TEST(Engine, ScenarioStatesGiveA429ThenA200) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"(
    {"id": "throttled", "request": {"path": "/q"}, "response": {"status": 429, "headers": {"Retry-After": "2"}},
     "scenario": {"name": "s", "requiredState": "Started", "newState": "ok"}},
    {"id": "fine", "request": {"path": "/q"}, "response": {"status": 200},
     "scenario": {"name": "s", "requiredState": "ok"}})"));
  auto first = e.handle(req("GET", "/q"));
  EXPECT_EQ(first.response.status, 429);
  EXPECT_EQ(first.response.headers.get("retry-after"), "2");
  EXPECT_EQ(e.handle(req("GET", "/q")).response.status, 200);
  EXPECT_EQ(e.handle(req("GET", "/q")).response.status, 200);
  e.reset();
  EXPECT_EQ(e.handle(req("GET", "/q")).response.status, 429);
}

TEST(Engine, MissIsA404WithTheClosestInteractionFirst) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"(
    {"id": "token", "request": {"method": "POST", "path": "/oauth/token"}},
    {"id": "conversation", "request": {"method": "GET", "path": "/api/v2/conversations/{id}"}},
    {"id": "transfer", "request": {"method": "POST", "path": "/api/v2/conversations/voice/{id}/transfer"}})"));
  auto r = e.handle(req("POST", "/api/v3/conversations/voice/abc/transfer"));
  EXPECT_EQ(r.response.status, 404);
  EXPECT_EQ(r.response.headers.get("x-mock-miss"), "true");
  auto body = util::Json::parse(r.response.body);
  ASSERT_GE(body["closest"].size(), 2u);
  EXPECT_EQ(body["closest"][0]["id"], "transfer");
  EXPECT_EQ(body["closest"][0]["mismatches"][0]["kind"], "path");
  EXPECT_TRUE(body["closest"][0]["origin"].get<std::string>().starts_with("f.json:4:"));
}

TEST(Engine, JournalRecordsWhichInteractionAnswered) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"({"id": "a", "request": {"path": "/a"}, "required": true},
                           {"id": "b", "request": {"path": "/b"}, "required": true})"));
  e.handle(req("GET", "/a"));
  e.handle(req("GET", "/nope"));
  auto entries = e.journal().snapshot();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].interaction_id, "a");
  EXPECT_EQ(entries[1].interaction_id, "");
  EXPECT_EQ(entries[1].status, 404);
  EXPECT_EQ(e.required_not_called(), std::vector<std::string>{"f/b"});
}

TEST(Engine, AdminHealthRequestsAndVerify) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"({"id": "a", "request": {"path": "/a"}, "required": true})"));
  auto health = util::Json::parse(e.handle(req("GET", "/__admin/health")).response.body);
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["interactions"], 1);
  e.handle(req("GET", "/x"));
  auto verify = util::Json::parse(e.handle(req("GET", "/__admin/verify")).response.body);
  EXPECT_EQ(verify["ok"], false);
  EXPECT_EQ(verify["requiredNotCalled"][0], "f/a");
  EXPECT_EQ(verify["unexpected"][0]["path"], "/x");
  e.handle(req("GET", "/a"));
  auto requests = util::Json::parse(e.handle(req("GET", "/__admin/requests")).response.body);
  EXPECT_EQ(requests["requests"].back()["interaction"], "a");
  EXPECT_EQ(e.handle(req("GET", "/__admin/nope")).response.status, 404);
}

TEST(Engine, MalformedBodyFaultCutsTheBody) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"({"request": {"path": "/a"}, "response": {"json": {"state": "active", "id": "x"}, "fault": "malformed-body"}})"));
  auto r = e.handle(req("GET", "/a"));
  EXPECT_TRUE(util::Json::parse(r.response.body, nullptr, false).is_discarded());
}
