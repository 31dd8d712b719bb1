// End to end, cxone-mock serve and check: the listening line and signals, bad fixtures, the
// folder check, --verify-on-exit and the journal, --validate-payloads, HTTPS, the admin token,
// the CXone Signal parameters in every published form.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <httplib.h>

#include "e2e_support.hpp"
#include "process.hpp"
#include "support/tls_cert.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"
#include "xml_check.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

// SPEC §3: serve prints the listening line with the real port and stops cleanly on SIGTERM.
TEST(MockServe, PrintsListeningLineAndStopsOnSigterm) {
  RunningMock mock(kFixtures + "/transfer-202-happy-path.json");
  ASSERT_FALSE(mock.url().empty());
  EXPECT_TRUE(mock.url().starts_with("http://127.0.0.1:"));
  EXPECT_NE(mock.url(), "http://127.0.0.1:0");
  EXPECT_EQ(mock.child().stop(SIGTERM), 0) << mock.child().drain_stderr();
}

TEST(MockServe, StopsCleanlyOnSigint) {
  RunningMock mock(kFixtures + "/transfer-202-happy-path.json");
  ASSERT_FALSE(mock.url().empty());
  EXPECT_EQ(mock.child().stop(SIGINT), 0);
}

TEST(MockServe, BadFixtureIsExit2WithLocation) {
  TempDir dir;
  fs::path bad = dir.path / "bad.json";
  std::ofstream(bad)
      << "{\n  \"fixtureVersion\": 1,\n  \"name\": \"x\",\n  \"interactions\": [],\n  \"expekt\": {}\n}\n";
  auto r = e2e::run({kMock, "serve", "--fixtures", bad.string(), "--port", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad.string() + ":5:3: unknown key \"expekt\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean \"expect\""), std::string::npos) << r.err;
}

TEST(MockCheck, ReportsEveryBadFileAndCounts) {
  TempDir dir;
  std::ofstream(dir.path / "a.json") << "{\"fixtureVersion\": 1, \"name\": \"a\", \"interactions\": [{\"request\": "
                                        "{\"path\": \"/x\"}, \"reponse\": {}}]}";
  std::ofstream(dir.path / "b.json") << "{ not json";
  auto r = e2e::run({kMock, "check", dir.path.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("did you mean \"response\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("b.json:1:4: invalid JSON"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 passed, 2 failed"), std::string::npos) << r.out;
  auto ok = e2e::run({kMock, "check", kFixtures});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
}

TEST(MockCheck, ServingTheBundledFolderTogetherWarnsThatTheAuth401ScenarioHidesTheOthers) {
  const std::string auth = kFixtures + "/auth-401-invalid-client.json";
  const std::string happy = kFixtures + "/transfer-202-happy-path.json";
  auto check = e2e::run({kMock, "check", kFixtures});
  EXPECT_EQ(check.exit_code, 0) << "each file is fine on its own\n" << check.out;
  std::string line_start = "warning: " + happy + ": ";
  auto at = check.out.find(line_start);
  ASSERT_NE(at, std::string::npos) << check.out;
  std::string line = check.out.substr(at, check.out.find('\n', at) - at);
  EXPECT_NE(line.find("never answer when served with " + auth), std::string::npos) << line;
  EXPECT_NE(check.out.find("served together in one mock,"), std::string::npos) << check.out;
  auto single = e2e::run({kMock, "check", happy});
  EXPECT_EQ(single.out.find("warning"), std::string::npos) << single.out;

  e2e::Child serve({kMock, "serve", "--fixtures", kFixtures, "--port", "0"});
  ASSERT_TRUE(serve.wait_for_line("listening on ", std::chrono::seconds(10)));
  serve.stop(SIGTERM);
  std::string err = serve.drain_stderr();
  EXPECT_NE(err.find("cxone-mock: warning: " + happy + ": "), std::string::npos) << err;
  EXPECT_NE(err.find("served with " + auth), std::string::npos) << err;
}

namespace {

const char* kRequiredFixture = R"({"fixtureVersion": 1, "name": "pact-style", "interactions": [
  {"id": "queue", "required": true, "request": {"method": "GET", "path": "/api/v2/routing/queues/{id}"},
   "response": {"status": 200, "json": {"id": "q", "state": "active"}}},
  {"id": "transfer", "required": true, "validatePayload": {"rejectStatus": 422},
   "request": {"method": "POST", "path": "/api/v2/conversations/voice/{id}/transfer"}, "response": {"status": 202}}]})";

}  // namespace

TEST(MockServe, VerifyOnExitFailsForUncalledAndUnexpectedAndWritesTheJournal) {
  TempDir dir;
  fs::path journal = dir.path / "journal.json";
  ServedFixture mock(dir, kRequiredFixture, {"--verify-on-exit", "--journal", journal.string()});
  ASSERT_FALSE(mock.url.empty());
  httplib::Client cli("127.0.0.1", mock.port());
  ASSERT_EQ(cli.Get("/api/v2/routing/queues/7")->status, 200);
  ASSERT_EQ(cli.Get("/api/v2/nothing-here")->status, 404);
  EXPECT_EQ(mock.child.stop(SIGTERM), 1);
  std::string err = mock.child.drain_stderr();
  EXPECT_NE(err.find("required interaction never called: pact-style/transfer"), std::string::npos) << err;
  EXPECT_NE(err.find("unexpected request GET /api/v2/nothing-here"), std::string::npos) << err;
  auto doc = util::Json::parse(*util::read_file(journal));
  EXPECT_EQ(doc["total"], 2);
  EXPECT_EQ(doc["verify"]["ok"], false);
  EXPECT_EQ(doc["interactions"][0]["calls"], 1);
}

TEST(MockServe, VerifyOnExitPassesWhenEverythingWasCalled) {
  TempDir dir;
  ServedFixture mock(dir, kRequiredFixture, {"--verify-on-exit"});
  httplib::Client cli("127.0.0.1", mock.port());
  ASSERT_EQ(cli.Get("/api/v2/routing/queues/7")->status, 200);
  // validatePayload checks with the profile's contract even without --validate-payloads.
  ASSERT_EQ(cli.Post("/api/v2/conversations/voice/c1/transfer", "{}", "application/json")->status, 422);
  const char* valid =
      R"({"transferTo": {"type": "queue", "id": "7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"}, "transferType": "blind",
      "wrapupCode": {"id": "9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"}, "contextData": {"intent": "billing"}})";
  ASSERT_EQ(cli.Post("/api/v2/conversations/voice/c1/transfer", valid, "application/json")->status, 202);
  EXPECT_EQ(mock.child.stop(SIGTERM), 0) << mock.child.drain_stderr();
}

TEST(MockServe, ValidatePayloadsAnswers422WithTheViolationsLikeAStrictServer) {
  TempDir dir;
  ServedFixture mock(dir, kRequiredFixture, {"--validate-payloads", "transfer"});
  httplib::Client cli("127.0.0.1", mock.port());
  auto bad = *util::read_file(std::string(HARNESS_SOURCE_DIR) + "/tests/data/payloads/queue-display-name.json");
  auto res = cli.Post("/api/v2/conversations/voice/c1/transfer", bad, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422);
  auto answer = util::Json::parse(res->body);
  EXPECT_EQ(answer["violations"][0]["code"], "QUEUE_NAME_NOT_ID");
  auto good = *util::read_file(std::string(HARNESS_SOURCE_DIR) + "/tests/data/payloads/valid-full.json");
  EXPECT_EQ(cli.Post("/api/v2/conversations/voice/c1/transfer", good, "application/json")->status, 202);
  auto journal = util::Json::parse(cli.Get("/__admin/requests")->body);
  EXPECT_EQ(journal["requests"][0]["violations"][0]["pointer"], "/transferTo/id");
  EXPECT_EQ(journal["requests"][1]["violations"].size(), 0u);
}

TEST(MockServe, UnknownContractForValidatePayloadsIsExit2) {
  TempDir dir;
  fs::path f = dir.path / "fixture.json";
  std::ofstream(f) << kRequiredFixture;
  auto r = e2e::run({kMock, "serve", "--fixtures", f.string(), "--port", "0", "--validate-payloads", "nope"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--validate-payloads: contract \"nope\""), std::string::npos) << r.err;
}

TEST(MockServe, ServesHttpsWithAGeneratedCertificate) {
  TempDir dir;
  auto tls = testsupport::make_self_signed(dir.path);
  ServedFixture mock(dir, kRequiredFixture, {"--tls-cert", tls.cert, "--tls-key", tls.key});
  ASSERT_TRUE(mock.url.starts_with("https://127.0.0.1:")) << mock.url;
  httplib::SSLClient cli("127.0.0.1", mock.port());
  cli.set_ca_cert_path(tls.cert.c_str());
  cli.enable_server_certificate_verification(true);
  auto res = cli.Get("/api/v2/routing/queues/7");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(mock.child.stop(SIGTERM), 0) << mock.child.drain_stderr();
}

// The admin API with --admin-token: every caller (loopback too) must send it; the token never
// shows in the journal file written at stop, nor on stderr.
TEST(MockServe, AdminTokenGuardsTheAdminApiAndIsNeverWritten) {
  TempDir dir;
  const std::string token = "e2e-admin-token-4f9a1c";
  fs::path journal = dir.path / "journal.json";
  ServedFixture mock(dir, kRequiredFixture, {"--admin-token", token, "--journal", journal.string()});
  httplib::Client cli("127.0.0.1", mock.port());
  auto refused = cli.Get("/__admin/requests");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  auto allowed = cli.Get("/__admin/requests", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
  auto reset = cli.Post("/__admin/reset", {{"X-Admin-Token", token}}, "", "text/plain");
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->status, 200);
  ASSERT_TRUE(cli.Get("/api/v2/routing/queues/7", {{"X-Admin-Token", token}}));  // a normal call carrying it
  const int code = mock.child.stop(SIGTERM);
  std::string err = mock.child.drain_stderr();
  EXPECT_EQ(code, 0) << err;
  auto written = util::read_file(journal);
  ASSERT_TRUE(written);
  EXPECT_NE(written->find("/api/v2/routing/queues/7"), std::string::npos);
  EXPECT_EQ(written->find(token), std::string::npos) << *written;
  EXPECT_EQ(err.find(token), std::string::npos) << err;
}

// Beyond loopback the admin API needs a token, or the explicit --admin-loopback-only (which
// keeps today's rule: loopback clients only). A token file is read and trimmed, as a container
// secret is mounted; cxone-mock health reads the same token (tests/package/container_test.sh
// runs the image's command and health check word for word).
TEST(MockServe, ANonLoopbackHostNeedsAnAdminToken) {
  TempDir dir;
  ServedFixture open(dir, kRequiredFixture, {"--host", "0.0.0.0", "--admin-loopback-only"});
  ASSERT_FALSE(open.url.empty()) << open.child.drain_stderr();
  httplib::Client local("127.0.0.1", open.port());
  auto health = local.Get("/__admin/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(open.child.stop(SIGTERM), 0) << open.child.drain_stderr();

  fs::path empty = dir.path / "empty.txt";
  std::ofstream(empty) << " \n";
  auto refused_empty = e2e::run({kMock, "serve", "--fixtures", kFixtures, "--port", "0", "--host", "0.0.0.0"},
                                {{"CXONE_MOCK_ADMIN_TOKEN_FILE", empty.string()}});
  EXPECT_EQ(refused_empty.exit_code, 2);
  EXPECT_EQ(refused_empty.err, "cxone-mock: CXONE_MOCK_ADMIN_TOKEN_FILE: " + empty.string() + ": the file is empty\n");

  const std::string token = "container-secret-7d2e9b41";
  fs::path file = dir.path / "token.txt";
  std::ofstream(file) << token << "\n";
  ServedFixture guarded(dir, kRequiredFixture, {"--host", "0.0.0.0", "--admin-token-file", file.string()});
  ASSERT_FALSE(guarded.url.empty()) << guarded.child.drain_stderr();
  std::string url = "http://127.0.0.1:" + std::to_string(guarded.port());
  auto refused = e2e::run({kMock, "health", "--url", url});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find(url + ": 401: the admin API needs the admin token"), std::string::npos) << refused.err;
  auto ok = e2e::run({kMock, "health", "--url", url, "--admin-token-file", file.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  // The uptime is whatever it is by now (a second or more under the sanitizers): the rest exactly.
  const std::string head = "cxone-mock health: ok: " + url + " (2 interactions, up ", tail = " s)\n";
  ASSERT_GT(ok.out.size(), head.size() + tail.size()) << ok.out;
  EXPECT_EQ(ok.out.substr(0, head.size()), head);
  EXPECT_EQ(ok.out.substr(ok.out.size() - tail.size()), tail);
  const std::string uptime = ok.out.substr(head.size(), ok.out.size() - head.size() - tail.size());
  EXPECT_TRUE(std::all_of(uptime.begin(), uptime.end(), [](char c) { return c >= '0' && c <= '9'; })) << ok.out;
  auto by_env = e2e::run({kMock, "health", "--url", url}, {{"CXONE_MOCK_ADMIN_TOKEN", token}});
  EXPECT_EQ(by_env.exit_code, 0) << by_env.err;
  const int code = guarded.child.stop(SIGTERM);
  std::string err = guarded.child.drain_stderr();
  EXPECT_EQ(code, 0) << err;
  EXPECT_EQ(err.find(token), std::string::npos) << err;
}

// ---- CXone Signal: every published form of the parameters ------------------------------------

namespace {

const std::string kSignal = "/inContactAPI/services/v30.0/interactions/704893312/signal";
const std::string kContext = R"({\"intent\":\"billing_dispute\"})";

util::Json last_request(httplib::Client& cli) {
  return util::Json::parse(cli.Get("/__admin/requests")->body)["requests"].back();
}

}  // namespace

TEST(MockServe, CxoneSignalAcceptsEveryPublishedFormAndSaysWhichOneCame) {
  RunningMock mock(kFixtures + "/cxone-signal-published-forms.json");
  ASSERT_FALSE(mock.url().empty());
  httplib::Client cli(mock.url());
  // Admin API SignalAContact, the extension's Signal Interaction node: all in the query.
  auto query =
      cli.Post(kSignal + "?p1=Escalate&p2=6368531&p3=8812&p4=%7B%22intent%22%3A%22billing_dispute%22%7D", "", "");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->status, 202) << query->body;
  auto entry = last_request(cli);
  EXPECT_EQ(entry["payloadForm"]["form"], "query") << entry;
  EXPECT_EQ(entry["payloadForm"]["inQuery"], util::Json::parse(R"(["p1","p2","p3","p4"])"));
  EXPECT_EQ(entry["payloadForm"]["jsonStrings"]["p4"], "object");
  EXPECT_TRUE(entry["violations"].empty()) << entry;
  // The Exit Interaction node: p1 in the query, the rest as a JSON body.
  auto body = cli.Post(kSignal + "?p1=Escalate", R"({"p2":"6368531","p3":"8812","p4":")" + kContext + "\"}",
                       "application/json");
  ASSERT_TRUE(body);
  EXPECT_EQ(body->status, 202) << body->body;
  entry = last_request(cli);
  EXPECT_EQ(entry["payloadForm"]["form"], "query+body") << entry;
  EXPECT_EQ(entry["payloadForm"]["inBody"], util::Json::parse(R"(["p2","p3","p4"])"));
  // The same node with its optionalParamsObject array as the JSON string in p2.
  auto array = cli.Post(kSignal + "?p1=Escalate",
                        R"({"p2":"[{\"intent\":\"billing_dispute\"},{\"skill\":\"6368531\"}]"})", "application/json");
  ASSERT_TRUE(array);
  EXPECT_EQ(array->status, 202) << array->body;
  entry = last_request(cli);
  EXPECT_EQ(entry["payloadForm"]["jsonStrings"]["p2"], "array") << entry;
  // A skill name in the query is caught as surely as in the body.
  auto named = cli.Post(kSignal + "?p1=Escalate&p2=Billing%20Support&p3=8812&p4=x", "", "");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->status, 400);
  auto answer = util::Json::parse(named->body);
  std::set<std::string> codes;
  for (const auto& v : answer["violations"]) codes.insert(v["code"].get<std::string>());
  EXPECT_TRUE(codes.count("QUEUE_NAME_NOT_ID")) << named->body;
  EXPECT_EQ(last_request(cli)["payloadForm"]["form"], "query");
}
