#include <gtest/gtest.h>

#include <algorithm>
#include <random>

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

util::HttpRequest from(const std::string& peer, const std::string& method, const std::string& path) {
  auto r = req(method, path);
  r.peer = peer;
  return r;
}

TEST(EngineAdmin, LoopbackOnlyWithoutAToken) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"({"id": "a", "request": {"path": "/a"}})"));
  for (const char* peer : {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"})
    EXPECT_EQ(e.handle(from(peer, "GET", "/__admin/health")).response.status, 200) << peer;
  for (const char* peer : {"10.0.0.5", "192.168.1.20", "::ffff:10.0.0.5", "fe80::1", "128.0.0.1"}) {
    auto r = e.handle(from(peer, "POST", "/__admin/reset")).response;
    EXPECT_EQ(r.status, 403) << peer;
    EXPECT_NE(r.body.find("--admin-token"), std::string::npos) << r.body;
  }
  // A refused admin call changes nothing, and the API itself still answers anyone.
  EXPECT_EQ(e.handle(from("10.0.0.5", "DELETE", "/__admin/fixtures")).response.status, 403);
  EXPECT_EQ(e.interaction_count(), 1u);
  EXPECT_EQ(e.handle(from("10.0.0.5", "GET", "/a")).response.status, 200);
}

TEST(EngineAdmin, WithATokenEveryCallerMustSendIt) {
  mockserver::EngineOptions options;
  options.admin_token = "adm1n-t0ken-for-the-test";
  mockserver::MockEngine e(options);
  e.add_fixture(fixture(R"({"id": "a", "request": {"path": "/a"}})"));
  auto missing = e.handle(from("127.0.0.1", "GET", "/__admin/health")).response;
  EXPECT_EQ(missing.status, 401) << "a token applies to loopback callers too";
  EXPECT_EQ(missing.headers.get("WWW-Authenticate"), "Bearer realm=\"cxone-mock admin\"");
  auto bearer = from("10.0.0.5", "GET", "/__admin/health");
  bearer.headers.add("Authorization", "Bearer adm1n-t0ken-for-the-test");
  EXPECT_EQ(e.handle(bearer).response.status, 200);
  auto header = from("10.0.0.5", "GET", "/__admin/health");
  header.headers.add("x-admin-token", "adm1n-t0ken-for-the-test");
  EXPECT_EQ(e.handle(header).response.status, 200);
  for (const char* wrong : {"adm1n-t0ken-for-the-tesT", "adm1n-t0ken-for-the-tes", "", "Bearer"}) {
    auto r = from("127.0.0.1", "DELETE", "/__admin/fixtures");
    r.headers.add("Authorization", std::string("Bearer ") + wrong);
    EXPECT_EQ(e.handle(r).response.status, 401) << wrong;
  }
  EXPECT_EQ(e.interaction_count(), 1u);
  // Admin calls never enter the journal, so the token is not kept anywhere.
  auto journal = e.handle(bearer).response.body;
  EXPECT_EQ(journal.find("adm1n"), std::string::npos);
  EXPECT_EQ(e.journal().total(), 0u);
}

TEST(Engine, MalformedBodyFaultCutsTheBody) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(
      R"({"request": {"path": "/a"}, "response": {"json": {"state": "active", "id": "x"}, "fault": "malformed-body"}})"));
  auto r = e.handle(req("GET", "/a"));
  EXPECT_TRUE(util::Json::parse(r.response.body, nullptr, false).is_discarded());
}

namespace {

util::HttpRequest json_req(const std::string& method, const std::string& path, const std::string& body) {
  util::HttpRequest r = req(method, path);
  r.headers.add("Content-Type", "application/json");
  r.body = body;
  return r;
}

}  // namespace

TEST(Engine, PriorityBeatsSpecificity) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"(
    {"id": "exact", "request": {"method": "GET", "path": "/q/7"}, "response": {"status": 200}},
    {"id": "outage", "priority": 10, "request": {"path": "/q/{id}"}, "response": {"status": 503}})"));
  EXPECT_EQ(e.handle(req("GET", "/q/7")).interaction_id, "outage");
}

TEST(Engine, TimesGivesATokenValidForTwoCallsThenA401) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"(
    {"id": "ok", "times": 2, "request": {"path": "/api/v2/queues/{id}"}, "response": {"status": 200}},
    {"id": "expired", "request": {"path": "/api/v2/queues/{id}"}, "response": {"status": 401}})"));
  EXPECT_EQ(e.handle(req("GET", "/api/v2/queues/1")).response.status, 200);
  EXPECT_EQ(e.handle(req("GET", "/api/v2/queues/1")).response.status, 200);
  EXPECT_EQ(e.handle(req("GET", "/api/v2/queues/1")).response.status, 401);
  EXPECT_EQ(e.handle(req("GET", "/api/v2/queues/1")).response.status, 401);
  auto counts = e.interactions_report()["interactions"];
  EXPECT_EQ(counts[0]["calls"], 2);
  EXPECT_EQ(counts[1]["calls"], 2);
  e.reset();  // counters start again
  EXPECT_EQ(e.handle(req("GET", "/api/v2/queues/1")).response.status, 200);
}

TEST(Engine, PathPatternMatchesByRegex) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"(
    {"id": "uuid", "request": {"pathPattern": "^/api/v2/conversations/[0-9a-f-]{36}$"}, "response": {"status": 200}})"));
  EXPECT_EQ(e.handle(req("GET", "/api/v2/conversations/3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47")).response.status, 200);
  auto miss = e.handle(req("GET", "/api/v2/conversations/not-a-uuid"));
  EXPECT_EQ(miss.response.status, 404);
  EXPECT_NE(miss.response.body.find("path does not match the pattern"), std::string::npos);
}

TEST(Engine, ValueMatchersOnHeadersQueryAndBodyFields) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"(
    {"id": "t", "request": {"method": "POST", "path": "/transfer",
       "headers": {"authorization": {"matches": "^Bearer [A-Za-z0-9._-]+$"}, "x-debug": {"absent": true}},
       "query": {"dryRun": {"absent": true}},
       "bodyFields": {"/transferTo/type": "queue", "/transferTo/id": {"matches": "^[0-9a-f-]{36}$"},
                      "/contextData/intent": {"present": true}, "/contextData/ssn": {"absent": true}}},
     "response": {"status": 202}})"));
  const std::string good =
      R"({"transferTo":{"type":"queue","id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},"contextData":{"intent":"refund"}})";
  auto ok = json_req("POST", "/transfer", good);
  ok.headers.add("Authorization", "Bearer abc.def");
  EXPECT_EQ(e.handle(ok).response.status, 202);

  auto bad = json_req("POST", "/transfer",
                      R"({"transferTo":{"type":"queue","id":"Billing"},"contextData":{"intent":"x","ssn":"1"}})");
  bad.headers.add("Authorization", "Bearer abc.def");
  bad.headers.add("X-Debug", "1");
  auto miss = e.handle(bad);
  ASSERT_EQ(miss.response.status, 404);
  auto mismatches = util::Json::parse(miss.response.body)["closest"][0]["mismatches"];
  std::vector<std::string> where;
  for (const auto& m : mismatches)
    where.push_back(m["kind"].get<std::string>() + " " + m["location"].get<std::string>());
  // Body fields are checked in pointer order.
  EXPECT_EQ(where, (std::vector<std::string>{"header x-debug", "body /contextData/ssn", "body /transferTo/id"}));
  EXPECT_EQ(mismatches[1]["expected"], "(absent)");
  EXPECT_EQ(mismatches[2]["expected"], "~ /^[0-9a-f-]{36}$/");
}

TEST(Engine, ValidatePayloadJournalsViolationsAndStrictModeRejects) {
  mockserver::EngineOptions options;
  auto contracts = std::make_shared<std::vector<contracts::Contract>>();
  contracts->push_back(util::value_or_throw(contracts::load_contract("transfer")));
  options.payload_contracts = contracts;
  mockserver::MockEngine e(options);
  e.add_fixture(fixture(R"(
    {"id": "lenient", "validatePayload": true, "request": {"method": "POST", "path": "/lenient"}, "response": {"status": 202}},
    {"id": "strict", "validatePayload": {"rejectStatus": 422}, "request": {"method": "POST", "path": "/strict"},
     "response": {"status": 202}})"));
  const std::string body = R"({"transferTo":{"type":"queue","id":"Billing Support"},"transferType":"blind",
                              "wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},"contextData":{"intent":"x"}})";
  EXPECT_EQ(e.handle(json_req("POST", "/lenient", body)).response.status, 202);
  auto strict = e.handle(json_req("POST", "/strict", body));
  EXPECT_EQ(strict.response.status, 422);
  auto answer = util::Json::parse(strict.response.body);
  EXPECT_EQ(answer["violations"][0]["code"], "QUEUE_NAME_NOT_ID");
  EXPECT_EQ(answer["violations"][0]["pointer"], "/transferTo/id");
  auto journal = e.journal().snapshot();
  ASSERT_EQ(journal.size(), 2u);
  EXPECT_EQ(journal[0].violations[0]["code"], "QUEUE_NAME_NOT_ID");
  EXPECT_EQ(journal[1].status, 422);
}

TEST(Engine, FixturesLoadAndUnloadAtRunTime) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"({"id": "a", "request": {"path": "/a"}, "response": {"status": 200}})"));
  util::HttpRequest post = json_req("POST", "/__admin/fixtures",
                                    R"({"fixtureVersion": 1, "name": "late", "interactions": [
                                        {"id": "b", "request": {"path": "/b"}, "response": {"status": 201}}]})");
  EXPECT_EQ(e.handle(post).response.status, 201);
  EXPECT_EQ(e.handle(req("GET", "/b")).response.status, 201);
  EXPECT_EQ(e.handle(post).response.status, 201);  // same name: replaced, not doubled
  EXPECT_EQ(e.interaction_count(), 2u);
  auto bad =
      e.handle(json_req("POST", "/__admin/fixtures", R"({"fixtureVersion": 1, "name": "x", "interaction": []})"));
  EXPECT_EQ(bad.response.status, 400);
  EXPECT_NE(bad.response.body.find("did you mean"), std::string::npos);
  auto del = req("DELETE", "/__admin/fixtures");
  del.query["name"] = "late";
  EXPECT_EQ(e.handle(del).response.status, 200);
  EXPECT_EQ(e.handle(req("GET", "/b")).response.status, 404);
  EXPECT_EQ(e.handle(del).response.status, 404);  // already gone
  EXPECT_EQ(e.handle(req("DELETE", "/__admin/fixtures")).response.status, 200);
  EXPECT_EQ(e.interaction_count(), 0u);
}

// A posted fixture has no folder: it may not make the mock read a file of its working folder
// (it used to: "bodyFile": "x.txt" was read relative to the process's current directory).
TEST(Engine, PostedFixturesCannotReadFiles) {
  mockserver::MockEngine e;
  for (const char* body :
       {R"({"fixtureVersion": 1, "name": "p", "interactions": [{"id": "a", "request": {"path": "/z"},
            "response": {"status": 200, "bodyFile": "CMakeCache.txt"}}]})",
        R"({"fixtureVersion": 1, "name": "p", "inputs": {"payloadFile": "CMakeCache.txt"}, "interactions": []})"}) {
    auto r = e.handle(json_req("POST", "/__admin/fixtures", body)).response;
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("cannot name files"), std::string::npos) << r.body;
  }
  EXPECT_EQ(e.interaction_count(), 0u);
}

TEST(Engine, JournalIsABoundedRingWhileCountersKeepCounting) {
  mockserver::EngineOptions options;
  options.journal_limit = 3;
  mockserver::MockEngine e(options);
  e.add_fixture(fixture(R"({"id": "q", "request": {"path": "/q"}, "response": {"status": 200}})"));
  for (int i = 0; i < 5; ++i) e.handle(req("GET", "/q"));
  e.handle(req("GET", "/nope"));
  auto kept = e.journal().snapshot();
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept.front().seq, 4u);  // the oldest ones fell out
  EXPECT_EQ(kept.back().path, "/nope");
  EXPECT_EQ(e.journal().total(), 6u);
  EXPECT_EQ(e.interactions_report()["interactions"][0]["calls"], 5);
  EXPECT_FALSE(e.verify_report()["ok"].get<bool>());  // the unmatched request is unexpected
}

TEST(EngineAdmin, DeleteFixturesRemovesEverythingOnlyWithoutAParameter) {
  mockserver::MockEngine e;
  e.add_fixture(fixture(R"({"id": "a", "request": {"path": "/a"}, "response": {"status": 200}})"));
  auto del = [&](std::map<std::string, std::string> query) {
    util::HttpRequest r = req("DELETE", "/__admin/fixtures");
    r.query = std::move(query);
    return e.handle(r).response;
  };
  auto empty = del({{"name", ""}});
  EXPECT_EQ(empty.status, 400) << empty.body;
  auto typo = del({{"nam", "f"}});
  EXPECT_EQ(typo.status, 400) << typo.body;
  EXPECT_NE(typo.body.find("unknown parameter \\\"nam\\\""), std::string::npos) << typo.body;
  EXPECT_EQ(e.interaction_count(), 1u) << "a refused delete removed interactions";
  EXPECT_EQ(del({{"name", "other"}}).status, 404);
  EXPECT_EQ(del({{"name", "f"}}).status, 200);
  EXPECT_EQ(e.interaction_count(), 0u);
}

TEST(Engine, APostedFixtureThatOverlapsALoadedOneComesBackWithAWarningNamingBoth) {
  mockserver::MockEngine e;
  auto loaded = mockserver::parse_fixture(
      R"({"fixtureVersion": 1, "name": "auth-401", "interactions": [{"id": "token-refused", "request": {"method": "POST", "path": "/oauth/token"}, "response": {"status": 401}}]})",
      "auth.json");
  ASSERT_TRUE(loaded);
  e.add_fixture(*loaded);
  auto r = e.handle(json_req(
      "POST", "/__admin/fixtures",
      R"({"fixtureVersion": 1, "name": "happy", "interactions": [{"id": "token", "request": {"method": "POST", "path": "/oauth/token"}, "response": {"status": 200}}]})"));
  ASSERT_EQ(r.response.status, 201) << r.response.body;
  auto body = util::Json::parse(r.response.body);
  ASSERT_TRUE(body.contains("warnings")) << r.response.body;
  std::string w = body["warnings"][0];
  EXPECT_NE(w.find("fixture \"happy\""), std::string::npos) << w;
  EXPECT_NE(w.find("fixture \"auth-401\""), std::string::npos) << w;
  // Replacing a fixture is no overlap with its old self; the new one goes after "happy" now.
  auto again = e.handle(json_req(
      "POST", "/__admin/fixtures",
      R"({"fixtureVersion": 1, "name": "auth-401", "interactions": [{"id": "token-refused", "request": {"method": "POST", "path": "/oauth/token"}, "response": {"status": 401}}]})"));
  ASSERT_EQ(again.response.status, 201);
  auto body2 = util::Json::parse(again.response.body);
  ASSERT_TRUE(body2.contains("warnings")) << again.response.body;
  ASSERT_EQ(body2["warnings"].size(), 1u);
  EXPECT_TRUE(body2["warnings"][0].get<std::string>().starts_with(
      "fixture \"auth-401\": 1 of its 1 interactions never answer when served with fixture \"happy\""))
      << body2["warnings"][0];
  EXPECT_EQ(e.handle(json_req("POST", "/oauth/token", "")).interaction_id, "token") << "and the engine agrees";
}

TEST(Engine, ValidatePayloadChecksWithTheFixtureProfilesContractWhenNoneIsGiven) {
  // No --validate-payloads: the v2 profile's "transfer" contract judges the body (it used to be
  // skipped silently and the invalid body answered 202).
  mockserver::MockEngine e;
  auto f = mockserver::parse_fixture(
      R"({"fixtureVersion": 1, "name": "strict", "profile": "v2", "interactions": [{"id": "transfer", "validatePayload": {"rejectStatus": 422},
          "request": {"method": "POST", "path": "/transfer"}, "response": {"status": 202}}]})",
      "strict.json");
  ASSERT_TRUE(f) << f.error().message;
  e.add_fixture(*f);
  auto bad = e.handle(json_req("POST", "/transfer", R"({"transferTo": {"type": "queue"}})"));
  EXPECT_EQ(bad.response.status, 422) << bad.response.body;
  EXPECT_NE(bad.response.body.find("SCHEMA_REQUIRED"), std::string::npos) << bad.response.body;
  auto good = e.handle(
      json_req("POST", "/transfer", R"({"transferTo": {"type": "queue", "id": "7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},
      "transferType": "blind", "wrapupCode": {"id": "9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"}, "contextData": {"intent": "billing"}})"));
  EXPECT_EQ(good.response.status, 202) << good.response.body;
  // A cxone fixture is judged by the CXone signal contract instead.
  mockserver::MockEngine c;
  auto cx = mockserver::parse_fixture(
      R"({"fixtureVersion": 1, "name": "cx", "profile": "cxone", "interactions": [{"id": "signal", "validatePayload": {"rejectStatus": 400},
          "request": {"method": "POST", "path": "/signal"}, "response": {"status": 202}}]})",
      "cx.json");
  ASSERT_TRUE(cx) << cx.error().message;
  c.add_fixture(*cx);
  EXPECT_EQ(c.handle(json_req("POST", "/signal", R"({"transferTo": {"type": "queue"}})")).response.status, 400);
}

TEST(Engine, ValidatePayloadWithAProfileThatNamesNoContractIsRefusedAtLoad) {
  auto f = mockserver::parse_fixture(
      R"({"fixtureVersion": 1, "name": "x", "profile": "no-such-profile", "interactions": [{"id": "t", "validatePayload": true,
          "request": {"method": "POST", "path": "/t"}}]})",
      "x.json");
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message.find("validatePayload"), std::string::npos) << f.error().message;
  EXPECT_NE(f.error().message.find("no-such-profile"), std::string::npos) << f.error().message;
}

TEST(Engine, APostedFixtureWithPayloadFileIsToldToUsePayload) {
  mockserver::MockEngine e;
  auto r = e.handle(
      json_req("POST", "/__admin/fixtures",
               R"({"fixtureVersion": 1, "name": "p", "inputs": {"payloadFile": "payload.json"}, "interactions": []})"));
  EXPECT_EQ(r.response.status, 400);
  EXPECT_NE(r.response.body.find("give it inline with \\\"payload\\\""), std::string::npos) << r.response.body;
  EXPECT_EQ(r.response.body.find("\\\"body\\\" or"), std::string::npos) << r.response.body;
}

TEST(Engine, IndexedSelectionAgreesWithTryingEveryInteraction) {
  // The path index must pick what trying every interaction in file order picks: random fixtures
  // over a small alphabet (templates, literals, regexes, methods, priorities), random requests.
  std::mt19937 rng(20261201);
  auto pick = [&](std::initializer_list<const char*> xs) { return std::string(*(xs.begin() + rng() % xs.size())); };
  int answered = 0;
  for (int round = 0; round < 150; ++round) {
    std::string items;
    int n = 1 + static_cast<int>(rng() % 25);
    for (int i = 0; i < n; ++i) {
      std::string req = "{";
      if (rng() % 3) req += "\"method\": \"" + pick({"GET", "POST"}) + "\", ";
      if (rng() % 7 == 0)
        req += "\"pathPattern\": \"" + pick({"^/a/", "^/b$", "1$"}) + "\"";
      else
        req += "\"path\": \"" +
               pick({"/a/{id}", "/a/1", "/a/2", "/b", "/{x}/1", "/a/{id}/c", "/{x}/{y}", "/a/1/c", "/"}) + "\"";
      if (rng() % 4 == 0) req += ", \"headers\": {\"x-k\": \"" + pick({"1", "2"}) + "\"}";
      req += "}";
      std::string priority = rng() % 5 == 0 ? ", \"priority\": " + std::to_string(rng() % 3) : "";
      items += std::string(i ? "," : "") + "{\"id\": \"i" + std::to_string(i) + "\"" + priority +
               ", \"request\": " + req + ", \"response\": {\"status\": 200}}";
    }
    auto f = mockserver::parse_fixture("{\"fixtureVersion\": 1, \"name\": \"r\", \"interactions\": [" + items + "]}",
                                       "r.json");
    ASSERT_TRUE(f) << f.error().message;
    mockserver::MockEngine e;
    e.add_fixture(*f);
    for (int q = 0; q < 20; ++q) {
      util::HttpRequest r = req(pick({"GET", "POST", "HEAD"}),
                                pick({"/a/1", "/a/2", "/a/9", "/b", "/z/1", "/a/1/c", "/a/7/c", "/a", "/", "/b/1/2"}));
      if (rng() % 2) r.headers.add("x-k", pick({"1", "2"}));
      // Every interaction tried in file order with the one rank.
      mockserver::IncomingRequest in(r);
      const mockserver::Interaction* best = nullptr;
      bool first = true;
      int best_rank = 0;
      for (const auto& x : f->interactions) {
        if (!mockserver::match_request(x.request, in).matched()) continue;
        int rank = mockserver::selection_rank(x);
        if (first || mockserver::wins_over(rank, best_rank, false)) {
          best = &x;
          best_rank = rank;
          first = false;
        }
      }
      auto reply = e.handle(r);
      std::string got = reply.interaction_id;
      EXPECT_EQ(got, best ? best->id : "") << r.method << " " << r.path << " in " << items;
      answered += best ? 1 : 0;
      if (best) continue;
      // A miss: the closest three are those of the full ranking (distance, then file order).
      std::vector<std::pair<double, std::size_t>> all;
      for (std::size_t i = 0; i < f->interactions.size(); ++i) {
        EXPECT_LE(mockserver::distance_lower_bound(f->interactions[i].request, in),
                  mockserver::match_request(f->interactions[i].request, in).distance);
        all.emplace_back(mockserver::match_request(f->interactions[i].request, in).distance, i);
      }
      std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      auto closest = util::Json::parse(reply.response.body)["closest"];
      ASSERT_EQ(closest.size(), std::min<std::size_t>(3, all.size()));
      for (std::size_t j = 0; j < closest.size(); ++j)
        EXPECT_EQ(closest[j]["id"], f->interactions[all[j].second].id) << r.method << " " << r.path << " in " << items;
    }
  }
  EXPECT_GT(answered, 500);
}
