// Response templating: each expression, JSON-safe insertion of hostile values, header values kept
// on one line, and the load errors `check` reports for templates that can never resolve.
#include <gtest/gtest.h>

#include <regex>

#include "mockserver/engine.hpp"
#include "mockserver/fixture_loader.hpp"
#include "util/strings.hpp"

namespace {

mockserver::Fixture templated(const std::string& response, const std::string& path = "/c/{conversationId}/t") {
  std::string text = R"({"fixtureVersion": 1, "name": "t", "interactions": [{"id": "x", "request": {"path": ")" + path +
                     R"("}, "response": )" + response + "}]}";
  return util::value_or_throw(mockserver::parse_fixture(text, "t.json"));
}

std::string load_error(const std::string& response, const std::string& path = "/c/{conversationId}/t") {
  std::string text = R"({"fixtureVersion": 1, "name": "t", "interactions": [{"id": "x", "request": {"path": ")" + path +
                     R"("}, "response": )" + response + "}]}";
  auto f = mockserver::parse_fixture(text, "t.json");
  return f ? "" : f.error().message;
}

util::HttpRequest post(const std::string& path, const std::string& body, const std::string& content_type) {
  util::HttpRequest r;
  r.method = "POST";
  r.path = path;
  r.body = body;
  r.headers.add("Content-Type", content_type);
  return r;
}

}  // namespace

TEST(Templating, EveryRequestValueAndHelper) {
  mockserver::MockEngine e;
  e.add_fixture(
      templated(R"({"status": 202, "template": true, "headers": {"Location": "/c/{{request.path.conversationId}}"},
    "json": {"id": "{{request.path.conversationId}}", "seg": "{{request.pathSegments.0}}", "page": "{{request.query.page}}",
             "rid": "{{request.header.x-request-id}}", "queue": "{{request.json '/transferTo/id'}}",
             "ctx": "{{request.json '/contextData'}}", "missing": "{{request.query.none}}", "m": "{{request.method}}",
             "url": "{{request.url}}", "uuid": "{{uuid}}", "n": "{{randomInt 5 7}}", "s": "{{randomString 12}}",
             "count": "{{counter}}", "day": "{{now format='%Y' offset='-400d'}}", "now": "{{now}}"}})"));
  auto r =
      post("/c/abc-1/t", R"({"transferTo": {"id": "Q-7"}, "contextData": {"intent": "billing"}})", "application/json");
  r.query = {{"page", "3"}};
  r.headers.add("X-Request-Id", "rid-9");
  auto reply = e.handle(r);
  ASSERT_EQ(reply.response.status, 202) << reply.response.body;
  EXPECT_EQ(reply.response.headers.get("location"), "/c/abc-1");
  auto j = util::Json::parse(reply.response.body);
  EXPECT_EQ(j["id"], "abc-1");
  EXPECT_EQ(j["seg"], "c");
  EXPECT_EQ(j["page"], "3");
  EXPECT_EQ(j["rid"], "rid-9");
  EXPECT_EQ(j["queue"], "Q-7");
  EXPECT_EQ(util::Json::parse(j["ctx"].get<std::string>()), util::Json({{"intent", "billing"}}));
  EXPECT_EQ(j["missing"], "");
  EXPECT_EQ(j["m"], "POST");
  EXPECT_EQ(j["url"], "/c/abc-1/t?page=3");
  EXPECT_TRUE(std::regex_match(j["uuid"].get<std::string>(),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << j["uuid"];
  int n = std::stoi(j["n"].get<std::string>());
  EXPECT_TRUE(n >= 5 && n <= 7) << n;
  EXPECT_TRUE(std::regex_match(j["s"].get<std::string>(), std::regex("[A-Za-z0-9]{12}")));
  EXPECT_EQ(j["count"], "1");
  EXPECT_TRUE(std::regex_match(j["now"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  EXPECT_EQ(std::stoi(j["day"].get<std::string>()), std::stoi(j["now"].get<std::string>().substr(0, 4)) - 1);
  EXPECT_EQ(util::Json::parse(e.handle(r).response.body)["count"], "2");
}

// Quotes, backslashes, control characters and invalid UTF-8 from the request: the body is valid
// JSON and says what was sent; a header value stays on one line.
TEST(Templating, HostileValuesKeepTheBodyValidJson) {
  mockserver::MockEngine e;
  e.add_fixture(templated(R"({"status": 200, "template": true, "headers": {"X-Echo": "{{request.form.v}}"},
    "json": {"form": "{{request.form.v}}", "id": "{{request.path.conversationId}}"}})"));
  std::string hostile = "a\"b\\c\x01\n\r\t\xff\xfe</script>";
  auto r = post("/c/%22%5C%FF/t", "v=" + util::url_encode(hostile), "application/x-www-form-urlencoded");
  auto reply = e.handle(r);
  util::Json j;
  ASSERT_NO_THROW(j = util::Json::parse(reply.response.body)) << reply.response.body;
  std::string form = j["form"];
  EXPECT_TRUE(form.starts_with("a\"b\\c\x01\n\r\t")) << form;
  EXPECT_NE(form.find("\xEF\xBF\xBD"), std::string::npos) << "invalid UTF-8 becomes U+FFFD";
  EXPECT_TRUE(j["id"].get<std::string>().starts_with("\"\\")) << j["id"];
  std::string echo = reply.response.headers.get("x-echo");
  EXPECT_EQ(echo.find_first_of("\r\n"), std::string::npos) << echo;
}

TEST(Templating, WithoutTheFlagBracesAreText) {
  mockserver::MockEngine e;
  e.add_fixture(templated(R"({"status": 200, "json": {"raw": "{{request.path.conversationId}}"}})"));
  EXPECT_EQ(util::Json::parse(e.handle(post("/c/1/t", "", "text/plain")).response.body)["raw"],
            "{{request.path.conversationId}}");
}

TEST(Templating, TemplatesThatCanNeverResolveAreLoadErrorsAtTheirPlace) {
  std::string unknown_param = load_error(R"({"template": true, "json": {"a": "{{request.path.queueId}}"}})");
  EXPECT_TRUE(unknown_param.starts_with("t.json:1:")) << unknown_param;
  EXPECT_NE(unknown_param.find(": {{request.path.queueId}}: the interaction's path has no parameter \"queueId\" (it "
                               "has: conversationId)"),
            std::string::npos)
      << unknown_param;
  for (const char* bad :
       {R"({"template": true, "body": "{{nosuch}}"})", R"({"template": true, "body": "{{randomInt 9 1}}"})",
        R"({"template": true, "body": "{{now format=''}}"})", R"({"template": true, "body": "{{now offset='+1y'}}"})",
        R"({"template": true, "body": "{{request.json 'no-slash'}}"})", R"({"template": true, "body": "{{uuid"})",
        R"({"template": true, "body": "{{randomString 0}}"})",
        R"({"template": true, "headers": {"X": "{{counter 1}}"}})", R"({"template": "yes", "body": "{{uuid}}"})",
        R"({"template": true, "body": "plain"})"})
    EXPECT_NE(load_error(bad), "") << bad;
  EXPECT_NE(load_error(R"({"template": true, "body": "{{request.path.id}}"})", "/x").find("it has none"),
            std::string::npos);
}
