// End to end, handover-diag diagnose against the real mock: classification, the JSON report
// shape, dry runs, network errors, configuration precedence and errors.
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
#include "util/strings.hpp"
#include "xml_check.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

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

// Profile genesys: the token from the login host (--login-url), everything else from the API
// host; the client credentials go as HTTP Basic and never show in the output.
TEST(Diagnose, GenesysTakesItsTokenFromTheLoginHostAndTransfersInTwoRequests) {
  auto doc = util::Json::parse(*util::read_file(kFixtures + "/genesys-202-happy-path.json"));
  util::Json login = doc, api = doc;
  login["interactions"] = util::Json::array({doc["interactions"][0]});
  api["interactions"].erase(0);
  TempDir login_dir, api_dir, files;
  ServedFixture login_mock(login_dir, login.dump(), {});
  ServedFixture api_mock(api_dir, api.dump(), {});
  ASSERT_FALSE(login_mock.url.empty());
  ASSERT_FALSE(api_mock.url.empty());
  fs::path payload = files.path / "payload.json";
  std::ofstream(payload) << doc["inputs"]["payload"].dump();
  const std::string secret = "genesys-s3cret-77";
  std::vector<std::string> args = {kDiag,
                                   "diagnose",
                                   "--profile",
                                   "genesys",
                                   "--base-url",
                                   api_mock.url,
                                   "--client-id",
                                   "8c1f6e2a-3d4b-4c5e-9f7a-2b6d8e0c4a1f",
                                   "--client-secret",
                                   secret,
                                   "--conversation",
                                   "5b8e2d1c-9a4f-4c3e-8b7d-1e2f3a4b5c6d",
                                   "--payload",
                                   payload.string(),
                                   "--execute",
                                   "--verbose"};
  auto without_login = e2e::run(args);
  EXPECT_EQ(without_login.exit_code, 1) << without_login.out;
  EXPECT_NE(without_login.out.find("AUTH_FAILED"), std::string::npos) << "the API host has no token endpoint";

  args.insert(args.begin() + 2, {"--login-url", login_mock.url});
  auto r = e2e::run(args);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("replacing participant 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("transfer accepted (2 requests)"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("> POST " + login_mock.url + "/oauth/token"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("> Authorization: Basic ***"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("> PATCH " + api_mock.url), std::string::npos) << r.err;
  for (const auto& s : {secret, util::base64_encode("8c1f6e2a-3d4b-4c5e-9f7a-2b6d8e0c4a1f:" + secret)}) {
    EXPECT_EQ(r.out.find(s), std::string::npos);
    EXPECT_EQ(r.err.find(s), std::string::npos);
  }
}
