// The journal through the admin API: filtered listing, search and count with a request pattern
// in the scenario format, clearing; the entries carry the request as it arrived.
#include <gtest/gtest.h>

#include "mockserver/engine.hpp"
#include "mockserver/fixture_loader.hpp"

namespace {

util::HttpRequest req(const std::string& method, const std::string& path, const std::string& body = "",
                      const std::string& scenario = "") {
  util::HttpRequest r;
  r.method = method;
  r.path = path;
  r.body = body;
  r.peer = "127.0.0.1";
  if (!scenario.empty()) r.headers.add("X-Mock-Scenario", scenario);
  if (!body.empty()) r.headers.add("Content-Type", "application/json");
  return r;
}

struct Served {
  mockserver::MockEngine e;
  Served() {
    e.add_fixture(util::value_or_throw(mockserver::parse_fixture(R"({"fixtureVersion": 1, "name": "a", "interactions": [
      {"id": "queue", "request": {"method": "GET", "path": "/q/{id}"}, "response": {"status": 200}},
      {"id": "transfer", "request": {"method": "POST", "path": "/t"}, "response": {"status": 202}}]})",
                                                                 "a.json")));
    e.add_fixture(util::value_or_throw(mockserver::parse_fixture(
        R"({"fixtureVersion": 1, "name": "b", "interactions": [
      {"id": "queue", "request": {"method": "GET", "path": "/q/{id}"}, "response": {"status": 404}}]})",
        "b.json")));
    e.handle(req("GET", "/q/1"));
    e.handle(req("GET", "/q/2", "", "b"));
    e.handle(req("POST", "/t", R"({"transferTo": {"id": "Q-7"}, "contextData": {"intent": "billing"}})"));
    e.handle(req("POST", "/t", R"({"transferTo": {"id": "Q-9"}})"));
    e.handle(req("DELETE", "/nothing"));
  }
  util::Json admin(const std::string& method, const std::string& what, const std::string& body = "", int expect = 200) {
    util::HttpRequest r = req(method, "/__admin/" + what, body);
    if (auto q = what.find('?'); q != std::string::npos) {
      r.path = "/__admin/" + what.substr(0, q);
      r.query = util::split_target(what.substr(q)).second;
    }
    auto reply = e.handle(r);
    EXPECT_EQ(reply.response.status, expect) << what << ": " << reply.response.body;
    return util::Json::parse(reply.response.body);
  }
};

}  // namespace

TEST(EngineJournal, EntriesCarryTheRequestAsItArrived) {
  Served s;
  auto all = s.admin("GET", "requests");
  ASSERT_EQ(all["requests"].size(), 5u);
  const auto& transfer = all["requests"][2];
  EXPECT_EQ(transfer["body"], R"({"transferTo": {"id": "Q-7"}, "contextData": {"intent": "billing"}})");
  EXPECT_EQ(transfer["headers"]["Content-Type"], "application/json");
  EXPECT_TRUE(transfer.contains("time"));
  EXPECT_GE(transfer["latencyMs"].get<double>(), 0.0);
  EXPECT_EQ(all["requests"][1]["scenario"], "b");
}

TEST(EngineJournal, ListingFiltersByMethodPathScenarioAndMatchAndLimits) {
  Served s;
  EXPECT_EQ(s.admin("GET", "requests?method=post")["count"], 2);
  EXPECT_EQ(s.admin("GET", "requests?path=/q/*")["count"], 2);
  EXPECT_EQ(s.admin("GET", "requests?scenario=b")["count"], 1);
  auto unmatched = s.admin("GET", "requests?unmatched=true");
  ASSERT_EQ(unmatched["count"], 1);
  EXPECT_EQ(unmatched["requests"][0]["path"], "/nothing");
  auto last_two = s.admin("GET", "requests?limit=2");
  ASSERT_EQ(last_two["count"], 2);
  EXPECT_EQ(last_two["requests"][1]["path"], "/nothing");  // the newest, oldest first
  s.admin("GET", "requests?limt=2", "", 400);
  s.admin("GET", "requests?unmatched=yes", "", 400);
  s.admin("GET", "requests?limit=-1", "", 400);
}

TEST(EngineJournal, FindAndCountTakeARequestPatternInTheScenarioFormat) {
  Served s;
  EXPECT_EQ(s.admin("POST", "requests/count", R"({"method": "POST", "path": "/t"})")["count"], 2);
  auto found = s.admin("POST", "requests/find",
                       R"({"method": "POST", "path": "/t", "bodyFields": {"/transferTo/id": {"matches": "^Q-7$"}}})");
  ASSERT_EQ(found["count"], 1);
  EXPECT_NE(found["requests"][0]["body"].get<std::string>().find("billing"), std::string::npos);
  EXPECT_EQ(s.admin("POST", "requests/count", R"({"path": "/q/{id}"})")["count"], 2);
  s.admin("POST", "requests/find", R"({"mehtod": "POST"})", 400);
  s.admin("POST", "requests/find", "not json", 400);
  s.admin("DELETE", "requests");
  EXPECT_EQ(s.admin("GET", "requests")["count"], 0);
}
