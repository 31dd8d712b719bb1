// End to end: the built cxone-mock on a port the OS picks, the built handover-diag against it.
#include <gtest/gtest.h>

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

namespace {

std::string payload_file(const TempDir& dir, const std::string& fixture) {
  auto text = util::read_file(kFixtures + "/" + fixture);
  auto doc = util::Json::parse(*text);
  fs::path p = dir.path / "payload.json";
  std::ofstream(p) << doc["inputs"]["payload"].dump(2);
  return p.string();
}

std::vector<std::string> diagnose_args(const std::string& url, const std::string& payload) {
  return {kDiag,       "diagnose",       "--base-url", url,       "--client-id", kClient,    "--client-secret",
          kSecret,     "--conversation", kConv,        "--queue", kQueue,        "--wrapup", kWrap,
          "--payload", payload,          "--execute"};
}

// SPEC §3: serve prints the listening line with the real port and stops cleanly on SIGTERM.
TEST(MockServe, PrintsListeningLineAndStopsOnSigterm) {
  RunningMock mock(kFixtures + "/transfer-202-happy-path.json");
  ASSERT_FALSE(mock.url().empty());
  EXPECT_TRUE(mock.url().starts_with("http://127.0.0.1:"));
  EXPECT_NE(mock.url(), "http://127.0.0.1:0");
  EXPECT_EQ(mock.child().stop(SIGTERM), 0);
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

// Issue 3's by-hand session: 422 on the transfer is WRAPUP_CODE_NOT_FOUND, exit 1.
TEST(Diagnose, TransferWrapup422AgainstMockIsClassified) {
  RunningMock mock(kFixtures + "/transfer-422-wrapup-not-found.json");
  ASSERT_FALSE(mock.url().empty());
  TempDir dir;
  auto r = e2e::run(diagnose_args(mock.url(), payload_file(dir, "transfer-422-wrapup-not-found.json")));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  for (const char* step : {"config", "auth", "conversation", "queue", "wrapup", "payload", "transfer"})
    EXPECT_NE(r.out.find(std::string("  ") + step), std::string::npos) << step;
  EXPECT_NE(r.out.find("result: WRAPUP_CODE_NOT_FOUND (failed step: transfer)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(kSecret), std::string::npos);
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "no colour when stdout is not a TTY";
}

TEST(Diagnose, JsonReportHasTheSpecShape) {
  RunningMock mock(kFixtures + "/transfer-422-wrapup-not-found.json");
  TempDir dir;
  auto args = diagnose_args(mock.url(), payload_file(dir, "transfer-422-wrapup-not-found.json"));
  args.insert(args.end(), {"--format", "json"});
  auto r = e2e::run(args);
  EXPECT_EQ(r.exit_code, 1);
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["tool"], "handover-diag");
  EXPECT_EQ(doc["profile"], "v2");
  EXPECT_EQ(doc["classification"], "WRAPUP_CODE_NOT_FOUND");
  EXPECT_EQ(doc["failedStep"], "transfer");
  ASSERT_EQ(doc["steps"].size(), 7u);
  const auto& transfer = doc["steps"][6];
  EXPECT_EQ(transfer["name"], "transfer");
  EXPECT_EQ(transfer["status"], "failed");
  EXPECT_EQ(transfer["httpStatus"], 422);
  EXPECT_EQ(transfer["classification"], "WRAPUP_CODE_NOT_FOUND");
  EXPECT_EQ(transfer["evidence"]["errorBody"]["message"], "Wrap-up Code Not Found");
  EXPECT_TRUE(transfer["evidence"]["headers"].contains("x-correlation-id"));
  EXPECT_TRUE(doc["violations"].is_array());
  EXPECT_FALSE(doc["remediation"].empty());
  EXPECT_EQ(r.out.find(kSecret), std::string::npos);
  EXPECT_EQ(r.out.find("eyJhbGciOiJSUzI1NiIs"), std::string::npos) << "the access token must be masked";
}

TEST(Diagnose, DryRunSendsNoTransfer) {
  RunningMock mock(kFixtures + "/transfer-422-wrapup-not-found.json");
  TempDir dir;
  auto args = diagnose_args(mock.url(), payload_file(dir, "transfer-422-wrapup-not-found.json"));
  args.pop_back();  // no --execute
  auto r = e2e::run(args);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("dry run: would POST"), std::string::npos);
  EXPECT_NE(r.out.find("result: OK"), std::string::npos);
}

TEST(Diagnose, DryRunTextShowsTheExactRequestWithTheTokenMasked) {
  RunningMock mock(kFixtures + "/transfer-422-wrapup-not-found.json");
  TempDir dir;
  std::string payload = payload_file(dir, "transfer-422-wrapup-not-found.json");
  // The bytes as the bot wrote them (key order, spacing), not a re-serialisation.
  std::ofstream(payload) << R"({"transferTo": {"type": "queue", "id": "7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},
 "transferType": "blind", "wrapupCode": {"id": "9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},
 "contextData": {"intent": "billing_dispute"}})";
  auto args = diagnose_args(mock.url(), payload);
  args.pop_back();  // no --execute
  auto r = e2e::run(args);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  auto block = r.out.find("request (dry run, not sent; --execute sends it):\n  POST " + mock.url() +
                          "/api/v2/conversations/voice/3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47/transfer\n");
  ASSERT_NE(block, std::string::npos) << r.out;
  std::string shown = r.out.substr(block, r.out.find("\nresult: ") - block);
  EXPECT_NE(shown.find("\n  Authorization: Bearer ***\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("\n  Content-Type: application/json\n"), std::string::npos) << shown;
  EXPECT_NE(
      shown.find("\n\n  {\"transferTo\": {\"type\": \"queue\", \"id\": \"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13\"},\n"
                 "   \"transferType\": \"blind\", \"wrapupCode\": {\"id\": \"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e\"},\n"
                 "   \"contextData\": {\"intent\": \"billing_dispute\"}}\n"),
      std::string::npos)
      << "the body as sent:\n"
      << shown;
  EXPECT_EQ(r.out.find("eyJhbGciOiJSUzI1NiIs"), std::string::npos) << "the access token must be masked";
}

// Nothing listens on the port: NETWORK_ERROR with the sub-kind, exit 1, and no hang.
TEST(Diagnose, ClosedLoopbackPortIsNetworkError) {
  std::string url = "http://127.0.0.1:" + std::to_string(e2e::closed_port());
  TempDir dir;
  auto args = diagnose_args(url, payload_file(dir, "transfer-422-wrapup-not-found.json"));
  args.insert(args.end(), {"--format", "json"});
  auto r = e2e::run(args, {}, std::chrono::seconds(20));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["classification"], "NETWORK_ERROR");
  EXPECT_EQ(doc["failedStep"], "auth");
  EXPECT_EQ(doc["steps"][1]["evidence"]["networkError"]["kind"], "connection-refused");
  // The offline payload check does not depend on the network and still ran.
  EXPECT_EQ(doc["steps"][5]["status"], "ok");
}

TEST(Diagnose, MissingCredentialsIsConfigErrorExit2) {
  TempDir dir;
  auto r = e2e::run({kDiag, "diagnose", "--base-url", "http://127.0.0.1:9", "--conversation", kConv, "--queue", kQueue,
                     "--wrapup", kWrap},
                    {}, std::chrono::seconds(20), dir.path.string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("CXONE_CLIENT_ID is not set"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("result: CONFIG_ERROR"), std::string::npos);
}

// Precedence: flag > environment > .env.
TEST(Diagnose, FlagBeatsEnvironmentBeatsDotEnv) {
  RunningMock mock(kFixtures + "/transfer-422-wrapup-not-found.json");
  TempDir dir;
  std::ofstream(dir.path / ".env") << "# test\nCXONE_CLIENT_ID=from-dotenv\nexport CXONE_CLIENT_SECRET=\"" << kSecret
                                   << "\"\nTEST_CONVERSATION_ID=" << kConv << "\nTARGET_QUEUE_ID=" << kQueue
                                   << "\nWRAPUP_CODE_ID=" << kWrap << "\n";
  auto r = e2e::run({kDiag, "diagnose", "--format", "json", "--base-url", mock.url()}, {{"CXONE_CLIENT_ID", kClient}},
                    std::chrono::seconds(20), dir.path.string());
  auto doc = util::Json::parse(r.out);
  const auto& cfg = doc["steps"][0]["evidence"];
  EXPECT_EQ(cfg["clientId"], kClient);
  EXPECT_EQ(cfg["origin"]["CXONE_CLIENT_ID"], "environment");
  EXPECT_EQ(cfg["origin"]["CXONE_CLIENT_SECRET"], ".env (.env)");
  EXPECT_EQ(cfg["origin"]["CXONE_BASE_URL"], "flag");
  EXPECT_EQ(doc["steps"][1]["status"], "ok") << "the mock's token form expects the environment's client id";
  EXPECT_EQ(r.out.find(kSecret), std::string::npos);

  auto flag = e2e::run({kDiag, "diagnose", "--format", "json", "--base-url", mock.url(), "--client-id", "from-flag"},
                       {{"CXONE_CLIENT_ID", kClient}}, std::chrono::seconds(20), dir.path.string());
  EXPECT_EQ(util::Json::parse(flag.out)["steps"][0]["evidence"]["clientId"], "from-flag");
}

TEST(Diagnose, MissingExplicitEnvFileIsConfigError) {
  auto r = e2e::run({kDiag, "diagnose", "--env-file", "/nonexistent/.env", "--base-url", "http://127.0.0.1:9"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--env-file /nonexistent/.env: no such file"), std::string::npos) << r.out;
}

TEST(Diagnose, UnreadablePayloadFileIsExit2) {
  auto r = e2e::run({kDiag, "diagnose", "--payload", "/nonexistent/payload.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/payload.json: no such file"), std::string::npos) << r.err;
}

TEST(Replay, BundledFixturesAllPass) {
  auto files = bundled_scenarios();
  auto r = e2e::run({kDiag, "replay", kFixtures});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(std::to_string(files.size()) + " passed, 0 failed"), std::string::npos) << r.out;
}

TEST(Replay, OneBadFileIsAnErroredScenarioInEveryReportAndTheOthersStillRun) {
  TempDir dir;
  fs::copy_file(kFixtures + "/transfer-202-happy-path.json", dir.path / "a-happy.json");
  std::ofstream(dir.path / "b-broken.json") << "{\"fixtureVersion\": 1, \"name\": \"b\", \"interactoins\": []}";
  fs::copy_file(kFixtures + "/payloads/missing-intent.json", dir.path / "c-payload.json");
  fs::copy_file(kFixtures + "/queue-inactive.json", dir.path / "d-queue.json");
  fs::path junit = dir.path / "out/r.xml", html = dir.path / "out/r.html", json = dir.path / "out/r.json";
  fs::create_directories(dir.path / "out");
  auto r = e2e::run({kDiag, "replay", dir.path.string(), "--junit", junit.string(), "--html", html.string(), "--json",
                     json.string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("PASS"), std::string::npos) << "the good scenarios ran:\n" << r.out;
  EXPECT_NE(r.out.find("b-broken.json:1:36: unknown key \"interactoins\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("this looks like a handover payload"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("use validate"), std::string::npos) << r.out;
  auto doc = util::Json::parse(*util::read_file(json));
  ASSERT_EQ(doc["scenarios"].size(), 4u) << doc.dump(2);
  EXPECT_FALSE(doc["scenarios"][1].value("error", "").empty()) << doc["scenarios"][1].dump();
  EXPECT_FALSE(doc["scenarios"][2].value("error", "").empty()) << doc["scenarios"][2].dump();
  EXPECT_EQ(doc["scenarios"][3]["passed"], true) << doc["scenarios"][3].dump();
  std::string xml = *util::read_file(junit);
  EXPECT_EQ(xml_problem(xml), "");
  EXPECT_NE(xml.find("<error message=\""), std::string::npos) << xml;
  EXPECT_NE(util::read_file(html)->find("ERROR"), std::string::npos);
}

TEST(Explain, ListPrintsEveryCodeWithItsOneLineMeaning) {
  auto r = e2e::run({kDiag, "explain", "--list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto catalogue = util::Json::parse(*util::read_file(std::string(HARNESS_SOURCE_DIR) + "/contracts/catalogue.json"));
  std::size_t codes = 0;
  for (const auto& [code, entry] : catalogue["codes"].items()) {
    ++codes;
    EXPECT_NE(r.out.find(code + " "), std::string::npos) << code;
    EXPECT_NE(r.out.find(entry["title"].get<std::string>()), std::string::npos) << code;
  }
  EXPECT_GT(codes, 20u);
  EXPECT_EQ(static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n')), codes);
}

TEST(Replay, WrongExpectationExits1) {
  TempDir dir;
  auto text = *util::read_file(kFixtures + "/transfer-409-already-wrapped-up.json");
  auto at = text.find("CONVERSATION_ALREADY_WRAPPED_UP\"");
  text.replace(at, 31, "OK");
  std::ofstream(dir.path / "edited.json") << text;
  auto r = e2e::run({kDiag, "replay", (dir.path / "edited.json").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("FAIL"), std::string::npos);
  EXPECT_NE(r.out.find("classification: expected OK, got CONVERSATION_ALREADY_WRAPPED_UP"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 passed, 1 failed"), std::string::npos);
}

TEST(Replay, JsonFormatListsEveryScenario) {
  auto r = e2e::run({kDiag, "replay", kFixtures, "--format", "json"});
  EXPECT_EQ(r.exit_code, 0);
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["failed"], 0);
  EXPECT_EQ(doc["scenarios"].size(), static_cast<std::size_t>(doc["passed"].get<int>()));
  EXPECT_EQ(r.out.find("replay-client-secret"), std::string::npos);
}

TEST(Explain, KnownCodePrintsCauseAndFix) {
  auto r = e2e::run({kDiag, "explain", "WRAPUP_CODE_NOT_FOUND"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("cause:"), std::string::npos);
  EXPECT_NE(r.out.find("1. Pick a code from GET /api/v2/routing/queues/{queueId}/wrapupcodes"), std::string::npos);
  EXPECT_NE(r.out.find("HTTP 422 on transfer  [rule transfer-422-wrapup]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("kept from the answer: headers x-correlation-id"), std::string::npos) << r.out;
}

TEST(Explain, UnknownCodeSuggestsTheClosest) {
  auto r = e2e::run({kDiag, "explain", "WRAPUP_CODE_NOT_FUND"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean WRAPUP_CODE_NOT_FOUND?"), std::string::npos) << r.err;
}

TEST(Cli, UnknownFlagIsExit2) {
  EXPECT_EQ(e2e::run({kDiag, "diagnose", "--no-such-flag"}).exit_code, 2);
  EXPECT_EQ(e2e::run({kMock, "serve"}).exit_code, 2);
  EXPECT_EQ(e2e::run({kDiag, "--version"}).exit_code, 0);
}

// ---- validate (SPEC §2) --------------------------------------------------------------------

const std::string kPayloads = std::string(HARNESS_SOURCE_DIR) + "/tests/data/payloads";

TEST(Validate, ValidPayloadExits0) {
  auto r = e2e::run({kDiag, "validate", kPayloads + "/valid-full.json"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("1 passed, 0 failed"), std::string::npos);
}

// How many sample payloads are valid and invalid, from the table of their expected codes.
std::pair<std::size_t, std::size_t> sample_counts() {
  auto table = util::Json::parse(*util::read_file(std::string(HARNESS_SOURCE_DIR) + "/tests/data/payload-codes.json"));
  std::size_t valid = 0, invalid = 0;
  for (const auto& [_, codes] : table.items()) (codes.empty() ? valid : invalid) += 1;
  return {valid, invalid};
}

TEST(Validate, DirectoryReportsEveryViolationGroupedPerFile) {
  auto r = e2e::run({kDiag, "validate", kPayloads, "--jobs", "2"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAIL  " + kPayloads + "/queue-display-name.json\n      QUEUE_NAME_NOT_ID"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("/transferTo/id (" + kPayloads + "/queue-display-name.json:4:5)"), std::string::npos) << r.out;
  auto [valid, invalid] = sample_counts();
  ASSERT_GE(invalid, 20u);
  EXPECT_NE(r.out.find(std::to_string(valid) + " passed, " + std::to_string(invalid) + " failed"), std::string::npos)
      << r.out;
}

TEST(Validate, JsonReportGivesEachViolationTheLineAndColumnTextAndSarifShow) {
  const std::string file = kPayloads + "/queue-display-name.json";
  auto json = e2e::run({kDiag, "validate", file, "--format", "json"});
  auto text = e2e::run({kDiag, "validate", file});
  auto doc = util::Json::parse(json.out);
  const auto& v = doc["results"][0]["violations"][0];
  EXPECT_EQ(v["code"], "QUEUE_NAME_NOT_ID");
  EXPECT_EQ(v["line"], 4);
  EXPECT_EQ(v["column"], 5);
  EXPECT_NE(text.out.find("(" + file + ":4:5)"), std::string::npos) << text.out;
}

TEST(Validate, JsonlReportsTheLineOfEachPayload) {
  TempDir dir;
  auto good = *util::read_file(kPayloads + "/valid-minimal.json");
  auto bad = *util::read_file(kPayloads + "/missing-intent.json");
  auto flat = [](const std::string& t) { return util::Json::parse(t).dump(); };
  std::ofstream(dir.path / "batch.jsonl") << flat(good) << "\n"
                                          << flat(bad) << "\n\n"
                                          << "{oops\n";
  auto r = e2e::run({kDiag, "validate", (dir.path / "batch.jsonl").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1);
  auto doc = util::Json::parse(r.out);
  ASSERT_EQ(doc["results"].size(), 3u);
  EXPECT_EQ(doc["results"][0]["line"], 1);
  EXPECT_EQ(doc["results"][0]["valid"], true);
  EXPECT_EQ(doc["results"][1]["line"], 2);
  EXPECT_EQ(doc["results"][1]["violations"][0]["code"], "SCHEMA_REQUIRED");
  EXPECT_EQ(doc["results"][2]["line"], 4);
  EXPECT_EQ(doc["results"][2]["violations"][0]["code"], "INVALID_JSON");
}

TEST(Validate, ALargeJsonlIsStreamedInBlocksWithEveryLineNumberAndTotalRight) {
  // About 24 MB of JSON Lines: read in blocks of whole lines (lines cross the 4 MB reads),
  // validated batch by batch, the reports streamed (the spill to a temporary file is covered by
  // the unit test ValidateReport.SpilledPartsComeBackInOrder). Every planted bad line must be reported at its own line,
  // blank lines skipped but counted, the last line read without a trailing newline, totals right, and the report files
  // the same documents as standard output.
  TempDir dir;
  auto good = util::Json::parse(*util::read_file(kPayloads + "/valid-minimal.json"));
  std::mt19937 rng(3);
  std::set<std::size_t> bad_lines;
  std::size_t payloads = 0, line = 0, bytes = 0;
  {
    std::ofstream out(dir.path / "big.jsonl");
    while (bytes < (24u << 20)) {
      ++line;
      std::string row;
      if (rng() % 50 == 0) {
        row = "";  // blank: skipped, still a line
      } else if (rng() % 40 == 0) {
        row = "{\"transferTo\": oops";
        bad_lines.insert(line);
      } else {
        auto p = good;
        p["contextData"]["note"] = std::string(rng() % 1200, 'x');
        row = p.dump();
      }
      if (!row.empty()) ++payloads;
      bytes += row.size() + 1;
      out << row << "\n";
    }
    ++line;
    ++payloads;
    bad_lines.insert(line);
    out << "{\"last\": \"line, no newline\"";
  }
  auto r = e2e::run({kDiag, "validate", (dir.path / "big.jsonl").string(), "--format", "json", "--jobs", "2", "--junit",
                     (dir.path / "r.xml").string(), "--json", (dir.path / "r.json").string()});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["payloads"], payloads);
  EXPECT_EQ(doc["invalid"], bad_lines.size());
  std::set<std::size_t> reported;
  std::size_t previous = 0;
  for (const auto& res : doc["results"]) {
    std::size_t at = res["line"];
    EXPECT_GT(at, previous) << "results in file order";
    previous = at;
    if (!res["valid"].get<bool>()) reported.insert(at);
  }
  EXPECT_EQ(reported, bad_lines);
  EXPECT_EQ(*util::read_file(dir.path / "r.json"), r.out);
  EXPECT_EQ(nlohmann::ordered_json::parse(r.out).dump(2) + "\n", r.out);
  auto junit = *util::read_file(dir.path / "r.xml");
  EXPECT_NE(
      junit.find("tests=\"" + std::to_string(payloads) + "\" failures=\"" + std::to_string(bad_lines.size()) + "\""),
      std::string::npos);
}

TEST(Validate, StreamedReportsAreExactlyTheDocumentsAJsonLibraryWrites) {
  // The JSON and SARIF reports are written piece by piece; parsing and dumping them again with
  // nlohmann (keys in their order, two-space indent) must give back the same bytes, for every
  // sample payload (control characters, broken UTF-8, templates, stringified JSON...).
  for (const char* format : {"json", "sarif"}) {
    auto r = e2e::run({kDiag, "validate", kPayloads, "--format", format});
    ASSERT_EQ(r.exit_code, 1) << r.err;
    auto doc = nlohmann::ordered_json::parse(r.out);
    EXPECT_EQ(doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n", r.out) << format;
  }
}

TEST(Validate, JsonlOnStdinIsStreamedToo) {
  TempDir dir;
  auto good = util::Json::parse(*util::read_file(kPayloads + "/valid-minimal.json")).dump();
  {
    std::ofstream out(dir.path / "in.jsonl");
    for (int i = 0; i < 3000; ++i) out << (i == 2999 ? "{bad" : good) << "\n";
  }
  auto r = e2e::run({"/bin/sh", "-c", kDiag + " validate - --jsonl < " + (dir.path / "in.jsonl").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAIL  -:3000\n      INVALID_JSON"), std::string::npos) << r.out.substr(r.out.size() - 500);
  EXPECT_NE(r.out.find("2999 passed, 1 failed"), std::string::npos);
}

TEST(Validate, StdinIsRead) {
  TempDir dir;
  // The process helper gives the child /dev/null as stdin; use a shell redirect instead.
  auto r = e2e::run({"/bin/sh", "-c", kDiag + " validate - < " + kPayloads + "/template-left-in.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("UNRESOLVED_TEMPLATE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL  -"), std::string::npos);
}

TEST(Validate, OverlayContractsAllHoldAndSayWhichFailed) {
  TempDir dir;
  std::ofstream(dir.path / "my-ivr.schema.json") << R"({"$schema":"http://json-schema.org/draft-07/schema#",
    "properties":{"contextData":{"required":["transferReason","customerId"]}}})";
  auto r = e2e::run({kDiag, "validate", kPayloads + "/valid-full.json", "--contract", "transfer", "--contract",
                     (dir.path / "my-ivr.schema.json").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["contracts"], util::Json::array({"transfer", "my-ivr"}));
  const auto& vs = doc["results"][0]["violations"];
  ASSERT_EQ(vs.size(), 2u);
  for (const auto& v : vs) EXPECT_EQ(v["contract"], "my-ivr");
  EXPECT_EQ(vs[0]["pointer"], "/contextData/transferReason");
  EXPECT_EQ(vs[1]["pointer"], "/contextData/customerId");
}

TEST(Validate, OverlayMayRefTheBuiltInContractByUri) {
  TempDir dir;
  std::ofstream(dir.path / "strict.schema.json") << R"({"allOf":[
    {"$ref":"https://contracts.handover-harness.local/transfer.schema.json"},
    {"properties":{"contextData":{"required":["customerName"]}}}]})";
  auto r = e2e::run({kDiag, "validate", kPayloads + "/valid-minimal.json", "--contract",
                     (dir.path / "strict.schema.json").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["results"][0]["violations"][0]["pointer"], "/contextData/customerName");
}

TEST(Validate, JunitIsWellFormedXml) {
  auto r = e2e::run({kDiag, "validate", kPayloads, "--format", "junit"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(e2e::xml_problem(r.out), "") << r.out;
  auto [valid, invalid] = sample_counts();
  EXPECT_NE(
      r.out.find("tests=\"" + std::to_string(valid + invalid) + "\" failures=\"" + std::to_string(invalid) + "\""),
      std::string::npos);
  EXPECT_NE(r.out.find("<failure type=\"INVALID_JSON\""), std::string::npos);
}

TEST(Validate, SarifLocatesEachViolationInItsFile) {
  auto r = e2e::run({kDiag, "validate", kPayloads + "/queue-display-name.json", kPayloads + "/trailing-comma.json",
                     "--format", "sarif"});
  EXPECT_EQ(r.exit_code, 1);
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["version"], "2.1.0");
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "handover-diag");
  bool has_rule = false;
  for (const auto& rule : run["tool"]["driver"]["rules"]) has_rule = has_rule || rule["id"] == "QUEUE_NAME_NOT_ID";
  EXPECT_TRUE(has_rule);
  ASSERT_EQ(run["results"].size(), 2u);
  const auto& first = run["results"][0];
  EXPECT_EQ(first["ruleId"], "QUEUE_NAME_NOT_ID");
  const auto& loc = first["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], kPayloads + "/queue-display-name.json");
  EXPECT_EQ(loc["region"]["startLine"], 4);
  EXPECT_EQ(run["results"][1]["ruleId"], "INVALID_JSON");
  EXPECT_EQ(run["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
}

TEST(Validate, MissingFileOrContractIsExit2) {
  auto r = e2e::run({kDiag, "validate", "/nonexistent/p.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/p.json: no such file or directory"), std::string::npos) << r.err;
  auto c = e2e::run({kDiag, "validate", kPayloads + "/valid-full.json", "--contract", "transfre"});
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("neither a built-in contract"), std::string::npos) << c.err;
}

// No false positives: every payload in the bundled scenarios that is not meant to be wrong is valid.
TEST(Validate, NoFalsePositivesOnTheFixturesValidPayloads) {
  int checked = 0;
  for (const auto& f : bundled_scenarios()) {
    auto doc = util::Json::parse(*util::read_file(f));
    if (!doc["inputs"].contains("payload")) continue;
    if (doc["expect"].contains("violations")) continue;  // deliberately broken payloads
    TempDir dir;
    std::ofstream(dir.path / "p.json") << doc["inputs"]["payload"].dump(2);
    // Each payload against its profile's contract (v2: transfer, cxone: cxone-signal).
    std::string profile = doc.value("profile", "v2");
    auto r = e2e::run({kDiag, "validate", "--profile", profile, (dir.path / "p.json").string()});
    EXPECT_EQ(r.exit_code, 0) << f << "\n" << r.out;
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

// ---- compat (SPEC §2) ----------------------------------------------------------------------

TEST(Compat, BreakingSchemaChangeExits1WithOneLinePerFinding) {
  TempDir dir;
  std::ofstream(dir.path / "next.schema.json") << R"({"$schema":"http://json-schema.org/draft-07/schema#",
    "allOf":[{"$ref":"https://contracts.handover-harness.local/transfer.schema.json"}],
    "properties":{"transferType":{"enum":["blind"]}},"required":["transferTo"]})";
  auto r = e2e::run({kDiag, "compat", "transfer", (dir.path / "next.schema.json").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["kind"], "schema");
  // The overlay composes the built-in contract: only the narrowed enum is a change.
  ASSERT_EQ(doc["breaking"], 1) << r.out;
  EXPECT_EQ(doc["compatible"], 0) << r.out;
  EXPECT_EQ(doc["findings"][0]["kind"], "enum-value-removed");
  EXPECT_EQ(doc["findings"][0]["pointer"], "/transferType");
}

TEST(Compat, IdenticalContractsExit0) {
  auto r = e2e::run({kDiag, "compat", "transfer", "transfer"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("0 breaking, 0 compatible changes"), std::string::npos) << r.out;
}

TEST(Compat, PayloadSamplesReportRenames) {
  auto r = e2e::run({kDiag, "compat", kPayloads + "/valid-full.json", kPayloads + "/pascal-case-key.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("BREAKING    /contextData/customerName  key \"customerName\" renamed to \"CustomerName\""),
            std::string::npos)
      << r.out;
}

TEST(Compat, SchemaAgainstSampleIsAUsageError) {
  auto r = e2e::run({kDiag, "compat", "transfer", kPayloads + "/valid-full.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("use --kind"), std::string::npos) << r.err;
}

}  // namespace

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
  EXPECT_EQ(mock.child.stop(SIGTERM), 0);
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
  EXPECT_EQ(mock.child.stop(SIGTERM), 0);
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
  EXPECT_EQ(mock.child.stop(SIGTERM), 0);
  std::string err = mock.child.drain_stderr();
  auto written = util::read_file(journal);
  ASSERT_TRUE(written);
  EXPECT_NE(written->find("/api/v2/routing/queues/7"), std::string::npos);
  EXPECT_EQ(written->find(token), std::string::npos) << *written;
  EXPECT_EQ(err.find(token), std::string::npos) << err;
}
