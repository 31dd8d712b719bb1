// End to end, cxone-mock check --spec: the bundled genesys fixtures against Genesys' published
// extracts (tests/data/genesys), a drifted fixture, the tutorial's profile, unknown calls; and
// serve --spec: requests judged against the description, strict answers, examples.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include <httplib.h>

#include "contracts/api_spec.hpp"

#include "e2e_support.hpp"
#include "process.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

const std::string kCurrent = std::string(HARNESS_SOURCE_DIR) + "/tests/data/genesys/current.openapi.json";
const std::string kSwagger2018 =
    std::string(HARNESS_SOURCE_DIR) + "/tests/data/genesys/platform-api-2018-03-21.subset.swagger.json";

std::vector<std::string> genesys_fixtures() {
  std::vector<std::string> out;
  for (const auto& f : bundled_scenarios())
    if (f.filename().string().starts_with("genesys-")) out.push_back(f.string());
  return out;
}

// The happy path with one change made by edit, written to dir/drift.json.
std::string drifted(const TempDir& dir, const std::function<void(util::Json&)>& edit) {
  auto doc = util::Json::parse(*util::read_file(kFixtures + "/genesys-202-happy-path.json"));
  edit(doc);
  std::string path = (dir.path / "drift.json").string();
  std::ofstream(path) << util::dump_pretty(doc);
  return path;
}

util::Json& interaction(util::Json& doc, const std::string& id) {
  for (auto& x : doc["interactions"])
    if (x["id"] == id) return x;
  throw std::runtime_error("no interaction " + id);
}

}  // namespace

TEST(CheckSpec, EveryBundledGenesysFixturePassesThePublishedExtracts) {
  auto files = genesys_fixtures();
  ASSERT_GE(files.size(), 12u);
  std::vector<std::string> argv = {kMock, "check", "--spec", kCurrent, "--spec", kSwagger2018};
  argv.insert(argv.end(), files.begin(), files.end());
  auto r = run(argv);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(std::to_string(files.size()) + " passed, 0 failed"), std::string::npos) << r.out;
  // The token call (login host) and the attributes PATCH are in neither extract: noted with the
  // profile's source, not failed.
  EXPECT_NE(r.out.find("note: " + kFixtures +
                       "/genesys-202-happy-path.json:37:5: interaction \"oauth-token\": "
                       "POST /oauth/token is in no description given; profile genesys makes it from"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("interaction \"patch-attributes\""), std::string::npos);
}

TEST(CheckSpec, ADriftedFixtureFailsWithFileLineOperationAndPointer) {
  TempDir dir;
  auto file = drifted(
      dir, [](util::Json& d) { interaction(d, "get-queue")["response"]["json"]["joinedMemberCount"] = "three"; });
  auto r = run({kMock, "check", "--spec", kCurrent, file});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto line = util::where(file, *util::read_file(file), "/interactions/2/response/json/joinedMemberCount");
  EXPECT_NE(r.out.find(line + ": interaction \"get-queue\", GET /api/v2/routing/queues/{queueId}: response 200 body "
                              "/joinedMemberCount: SCHEMA_TYPE: expected integer, got string"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("0 passed, 1 failed"), std::string::npos) << r.out;
}

TEST(CheckSpec, AnUndeclaredStatusARequestBodyAndAQueryParameterFail) {
  TempDir dir;
  auto file = drifted(dir, [](util::Json& d) {
    interaction(d, "replace-queue")["response"]["status"] = 409;
    interaction(d, "replace-queue")["request"]["json"]["queueId"] = 42;
    interaction(d, "get-wrapupcodes-p1")["request"]["query"]["pageSize"] = "lots";
  });
  auto r = run({kMock, "check", "--spec", kCurrent, file});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("answers 409, which the operation does not declare (declared: 202, 400, 401, 403, 404, 415, "
                       "429, 500, 503, 504)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("request body /queueId: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("query parameter \"pageSize\": \"lots\" is not an integer"), std::string::npos) << r.out;
}

TEST(CheckSpec, TheFirstDescriptionThatHasTheOperationIsUsed) {
  // The 2018 document declares no pagination on the wrap-up codes list; today's does.
  auto file = kFixtures + "/genesys-wrapup-on-page-3.json";
  auto old_first = run({kMock, "check", "--spec", kSwagger2018, "--spec", kCurrent, file});
  EXPECT_EQ(old_first.exit_code, 1) << old_first.out;
  EXPECT_NE(old_first.out.find("query parameter \"pageNumber\" is not declared by the operation"), std::string::npos);
  auto current_first = run({kMock, "check", "--spec", kCurrent, "--spec", kSwagger2018, file});
  EXPECT_EQ(current_first.exit_code, 0) << current_first.out;
}

TEST(CheckSpec, RequiredParametersTheFixtureLeavesOpenAreNotedAndOnesItRefusesFail) {
  TempDir dir;
  std::ofstream(dir.path / "spec.json") << R"({"swagger": "2.0", "basePath": "/api", "paths": {"/things": {"get": {
    "parameters": [{"name": "pageSize", "in": "query", "required": true, "type": "integer"},
                   {"name": "X-Tenant", "in": "header", "required": true, "type": "string"}],
    "responses": {"200": {"description": "ok"}}}}}})";
  std::ofstream(dir.path / "f.json")
      << R"({"fixtureVersion": 1, "name": "things", "profile": "genesys", "interactions": [
    {"id": "open", "request": {"method": "GET", "path": "/api/things"}, "response": {"status": 200}},
    {"id": "refuses", "request": {"method": "GET", "path": "/api/things", "query": {"pageSize": {"absent": true}},
     "headers": {"X-Tenant": "t1"}}, "response": {"status": 200}}]})";
  auto r = run({kMock, "check", "--spec", (dir.path / "spec.json").string(), (dir.path / "f.json").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("note: " + (dir.path / "f.json").string() +
                       ":2:5: interaction \"open\", GET /things: the "
                       "operation requires query parameter \"pageSize\"; the fixture answers requests without it too"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("interaction \"open\", GET /things: the operation requires header parameter \"X-Tenant\""),
            std::string::npos);
  EXPECT_NE(r.out.find("interaction \"refuses\", GET /things: query parameter \"pageSize\" is required by the "
                       "operation, the fixture wants it absent"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("interaction \"refuses\", GET /things: the operation requires header"), std::string::npos);
}

TEST(CheckSpec, TheTutorialsProfileIsNotedNotFailed) {
  auto r = run({kMock, "check", "--spec", kCurrent, kFixtures + "/transfer-202-happy-path.json"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("profile v2 is the tutorial's API, which no vendor publishes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 passed, 0 failed"), std::string::npos);
}

TEST(CheckSpec, ACallNeitherTheSpecNorTheProfileKnowsFailsNamingTheNearest) {
  TempDir dir;
  auto file = drifted(dir, [](util::Json& d) {
    interaction(d, "get-queue")["request"]["path"] = "/api/v2/routing/queue/c2d4e6f8-1a3b-4c5d-9e7f-0a1b2c3d4e5f";
  });
  auto r = run({kMock, "check", "--spec", kCurrent, file});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("interaction \"get-queue\": no operation for GET /api/v2/routing/queue/c2d4e6f8-1a3b-4c5d-9e7f-"
                       "0a1b2c3d4e5f; nearest: GET /api/v2/routing/queues/{queueId}"),
            std::string::npos)
      << r.out;
}

TEST(CheckSpec, AFileThatIsNotADescriptionIsAUsageError) {
  auto r = run({kMock, "check", "--spec", kFixtures + "/genesys-202-happy-path.json", kFixtures});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "cxone-mock: " + kFixtures +
                       "/genesys-202-happy-path.json: not an API description (no \"swagger\": "
                       "\"2.0\" or \"openapi\": \"3.x\" at the top)\n");
  EXPECT_EQ(r.out, "");
}

// ---- serve --spec --------------------------------------------------------------------------

namespace {

// cxone-mock serve --spec kCurrent on an OS-chosen port, with extra flags.
struct SpecMock {
  Child child;
  int port = 0;
  explicit SpecMock(std::vector<std::string> extra)
      : child([&] {
          std::vector<std::string> argv = {kMock, "serve", "--spec", kCurrent, "--port", "0"};
          argv.insert(argv.end(), extra.begin(), extra.end());
          return argv;
        }()) {
    if (auto line = child.wait_for_line("listening on ", std::chrono::seconds(10)))
      port = std::stoi(line->substr(line->rfind(':') + 1));
  }
};

const std::string kReplace = "/api/v2/conversations/c-1/participants/p-1/replace/queue";

util::Json last_journal_entry(httplib::Client& cli) {
  auto r = cli.Get("/__admin/requests");
  return util::Json::parse(r->body)["requests"].back();
}

}  // namespace

TEST(ServeSpec, ARequestThatBreaksItsOperationIsJournalled) {
  SpecMock mock({});
  ASSERT_GT(mock.port, 0);
  httplib::Client cli("127.0.0.1", mock.port);
  auto r = cli.Post(kReplace, R"({"queueId": 5})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);  // no fixture answers, no --spec-examples: the usual miss
  auto entry = last_journal_entry(cli);
  EXPECT_EQ(entry["spec"]["operation"],
            "POST /api/v2/conversations/{conversationId}/participants/{participantId}/replace/queue");
  ASSERT_EQ(entry["spec"]["violations"].size(), 1u) << entry;
  EXPECT_EQ(entry["spec"]["violations"][0]["pointer"], "/body/queueId");
  EXPECT_EQ(entry["spec"]["violations"][0]["code"], "SCHEMA_TYPE");
  // A query parameter of the wrong type is one too.
  cli.Get("/api/v2/routing/queues/q-1/wrapupcodes?pageSize=all");
  entry = last_journal_entry(cli);
  EXPECT_EQ(entry["spec"]["violations"][0]["pointer"], "/query/pageSize");
  EXPECT_EQ(entry["spec"]["violations"][0]["message"], "query parameter \"pageSize\": \"all\" is not an integer");
}

TEST(ServeSpec, StrictAnswers400WithTheViolations) {
  SpecMock mock({"--spec-strict", "--spec-examples"});
  httplib::Client cli("127.0.0.1", mock.port);
  // TransferToQueueRequest requires nothing, but transferType is an enum.
  auto bad = cli.Post(kReplace, R"({"queueId": "q-1", "transferType": "blind"})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto body = util::Json::parse(bad->body);
  EXPECT_EQ(body["code"], "mock.spec.request_invalid");
  EXPECT_EQ(body["violations"][0]["code"], "SCHEMA_ENUM") << body;
  EXPECT_EQ(body["violations"][0]["pointer"], "/body/transferType") << body;
  auto no_body = cli.Post(kReplace, "", "application/json");  // the operation requires one
  ASSERT_TRUE(no_body);
  EXPECT_EQ(no_body->status, 400);
  EXPECT_EQ(util::Json::parse(no_body->body)["violations"][0]["code"], "SPEC_BODY_REQUIRED");
  auto good = cli.Post(kReplace, R"({"queueId": "c2d4e6f8-1a3b-4c5d-9e7f-0a1b2c3d4e5f"})", "application/json");
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 202);
  EXPECT_EQ(good->body, "");
}

TEST(ServeSpec, AnOperationTheDescriptionLacksIsA404NamingTheNearest) {
  SpecMock mock({"--spec-examples"});
  httplib::Client cli("127.0.0.1", mock.port);
  auto r = cli.Get("/api/v2/routing/queue/q-1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  auto body = util::Json::parse(r->body);
  EXPECT_EQ(body["code"], "mock.spec.no_operation");
  EXPECT_EQ(body["nearest"], "GET /api/v2/routing/queues/{queueId}");
}

TEST(ServeSpec, ExamplesAnswerWhatNoFixtureDoesAndPassTheirOwnSchema) {
  SpecMock mock({"--spec-examples"});
  httplib::Client cli("127.0.0.1", mock.port);
  auto r = cli.Get("/api/v2/routing/queues/q-1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("X-Mock-Spec-Example"), "GET /api/v2/routing/queues/{queueId}");
  auto body = util::Json::parse(r->body);
  auto spec = contracts::ApiSpec::load(kCurrent);
  ASSERT_TRUE(spec);
  const auto* op = spec->find("GET", "/api/v2/routing/queues/q-1");
  auto v = spec->validate(contracts::ApiSpec::response_for(*op, 200)->schema_pointer, body);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->empty()) << r->body;
  EXPECT_TRUE(body["joinedMemberCount"].is_number_integer());
  // Answered from the description, so not an unexpected request.
  EXPECT_EQ(last_journal_entry(cli)["interaction"], "spec-example");
}

TEST(ServeSpec, FixturesAnswerFirstAndCallsOutsideTheDescriptionStillReachThem) {
  RunningMock mock(kFixtures + "/genesys-202-happy-path.json", {"--spec", kCurrent, "--spec-strict"});
  ASSERT_FALSE(mock.url().empty());
  httplib::Client cli(mock.url());
  // The token call is on the login host, in no description: the fixture answers it.
  auto token = cli.Post("/oauth/token", {{"Authorization", "Basic YTpi"}}, "grant_type=client_credentials",
                        "application/x-www-form-urlencoded");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->status, 200);
  EXPECT_EQ(last_journal_entry(cli)["spec"]["operation"], nullptr);
  auto conv = cli.Get("/api/v2/conversations/5b8e2d1c-9a4f-4c3e-8b7d-1e2f3a4b5c6d",
                      {{"Authorization", "Bearer genesys-mock-access-token-7f3a9c1e5b2d"}});
  ASSERT_TRUE(conv);
  EXPECT_EQ(conv->status, 200);
  EXPECT_EQ(util::Json::parse(conv->body)["participants"].size(), 3u);
}

TEST(ServeSpec, SpecFlagsWithoutASpecAreAUsageError) {
  auto r = run({kMock, "serve", "--fixtures", kFixtures + "/genesys-202-happy-path.json", "--spec-strict"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "cxone-mock: --spec-strict needs --spec FILE\n");
  auto none = run({kMock, "serve"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err, "cxone-mock: serve needs --fixtures, --pact, --spec or --proxy-unmatched\n");
}

// ---- YAML descriptions -----------------------------------------------------------------------

TEST(YamlSpec, ServeCheckAndContractsReadAYamlDescription) {
  const std::string yaml = std::string(HARNESS_SOURCE_DIR) + "/tests/data/openapi/queues.yaml";
  Child child({kMock, "serve", "--spec", yaml, "--spec-examples", "--port", "0"});
  auto line = child.wait_for_line("listening on ", std::chrono::seconds(10));
  ASSERT_TRUE(line);
  httplib::Client cli("127.0.0.1", std::stoi(line->substr(line->rfind(':') + 1)));
  auto r = cli.Get("/api/v2/routing/queues/q-1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(util::Json::parse(r->body)["name"], "Billing Support");  // the YAML's example
  EXPECT_EQ(cli.Get("/routing/queues/q-1")->status, 404);            // not under the server's /api/v2

  TempDir dir;
  std::ofstream(dir.path / "queue.json") << R"({"id": "q-1", "memberCount": "twelve"})";
  auto v =
      run({kDiag, "validate", (dir.path / "queue.json").string(), "--contract", yaml + "#/components/schemas/Queue"});
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.out.find("/memberCount"), std::string::npos) << v.out;
}
