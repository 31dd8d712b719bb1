// End to end, diagnose in depth: both profiles against the real mock, HTTPS with a CA the test
// makes, --verbose, --format junit, --save-fixture replayed, and the canary secret test.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <csignal>

#include <httplib.h>

#include "e2e_support.hpp"
#include "support/tls_cert.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"
#include "xml_check.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

// Canaries: each credential has a distinctive value that must never be printed or written.
const std::string kCanarySecret = "CANARY-client-secret-5e1f";
const std::string kCanaryAccessSecret = "CANARY-access-key-secret-7a2b";
const std::string kCanaryClientId = "CANARY-cx-client-id-3c4d";
const std::string kCxAccessKeyId = "AKIA4CXONE7HANDOVER01";  // the bundled cxone fixtures' access key

util::Json load(const std::string& file) { return util::Json::parse(*util::read_file(file)); }

// diagnose arguments that reproduce a fixture's inputs against url, with canary credentials.
std::vector<std::string> args_for(const util::Json& fx, const TempDir& dir, const std::string& url) {
  const auto& in = fx["inputs"];
  std::string profile = fx.value("profile", "v2");
  std::vector<std::string> a = {kDiag,
                                "diagnose",
                                "--profile",
                                profile,
                                "--base-url",
                                url,
                                "--conversation",
                                in.value("conversationId", ""),
                                "--client-secret",
                                kCanarySecret};
  if (profile == "cxone") {
    a.insert(a.end(), {"--client-id", kCanaryClientId, "--access-key-id", kCxAccessKeyId, "--access-key-secret",
                       kCanaryAccessSecret});
  } else {
    a.insert(a.end(), {"--client-id", in.value("clientId", kClient)});
  }
  if (in.contains("queueId")) a.insert(a.end(), {"--queue", in["queueId"].get<std::string>()});
  if (in.contains("wrapupCodeId")) a.insert(a.end(), {"--wrapup", in["wrapupCodeId"].get<std::string>()});
  if (in.contains("payload")) {
    fs::path p = dir.path / "payload.json";
    std::ofstream(p) << in["payload"].dump(2);
    a.insert(a.end(), {"--payload", p.string()});
  }
  if (in.value("execute", false)) a.push_back("--execute");
  return a;
}

// include_key_id: the access key ID counts as a canary too (not where the fixture itself names it).
void expect_no_canary(const std::string& text, const std::string& where, bool include_key_id = true) {
  for (const auto& c :
       {kCanarySecret, kCanaryAccessSecret, kCanaryClientId, include_key_id ? kCxAccessKeyId : kCanarySecret})
    EXPECT_EQ(text.find(c), std::string::npos) << c << " leaked in " << where << ":\n" << text;
}

std::string json_classification(const std::string& out) {
  auto doc = util::Json::parse(out, nullptr, false);
  return doc.is_object() ? doc.value("classification", "") : "(not JSON)";
}

}  // namespace

// ---- profiles against the real mock -------------------------------------------------------

TEST(DiagnoseCxone, HappyPathAgainstTheMockIsOk) {
  TempDir dir;
  std::string f = kFixtures + "/cxone-signal-202-happy-path.json";
  RunningMock mock(f);
  auto args = args_for(load(f), dir, mock.url());
  args.insert(args.end(), {"--format", "json"});
  auto r = e2e::run(args);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["profile"], "cxone");
  EXPECT_EQ(doc["steps"][1]["evidence"]["discovery"]["api_endpoint"], "https://api-na1.niceincontact.com");
  EXPECT_EQ(doc["steps"][6]["summary"], "transfer accepted (HTTP 202)");
}

TEST(DiagnoseCxone, MissingAccessKeyIsConfigErrorNamingIt) {
  auto r =
      e2e::run({kDiag, "diagnose", "--profile", "cxone", "--client-id", "c", "--client-secret", "s", "--conversation",
                "704893312", "--queue", "6368531", "--wrapup", "8812", "--env-file", "/dev/null"});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("CXONE_ACCESS_KEY_ID is not set"), std::string::npos) << r.out;
}

// ---- HTTPS ------------------------------------------------------------------------------------

class DiagnoseHttps : public ::testing::Test {
 protected:
  void SetUp() override {
    tls_ = testsupport::make_self_signed(dir_.path);
    std::string fixture = kFixtures + "/transfer-202-happy-path.json";
    mock_ = std::make_unique<RunningMock>(fixture,
                                          std::vector<std::string>{"--tls-cert", tls_.cert, "--tls-key", tls_.key});
    ASSERT_TRUE(mock_->url().starts_with("https://")) << mock_->url();
    args_ = args_for(load(fixture), dir_, mock_->url());
    args_.insert(args_.end(), {"--format", "json"});
  }
  TempDir dir_;
  testsupport::TlsFiles tls_;
  std::unique_ptr<RunningMock> mock_;
  std::vector<std::string> args_;
};

TEST_F(DiagnoseHttps, VerifiesTheServerWithCacert) {
  args_.insert(args_.end(), {"--cacert", tls_.cert});
  auto r = e2e::run(args_);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(json_classification(r.out), "OK");
}

TEST_F(DiagnoseHttps, AnUnknownCaIsANetworkErrorOfKindCertificate) {
  auto r = e2e::run(args_);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["classification"], "NETWORK_ERROR");
  EXPECT_EQ(doc["steps"][1]["evidence"]["networkError"]["kind"], "certificate") << r.out;
}

TEST_F(DiagnoseHttps, InsecureWorksButWarnsOnEveryRun) {
  args_.push_back("--insecure");
  for (int run = 0; run < 2; ++run) {
    auto r = e2e::run(args_);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("warning: --insecure"), std::string::npos) << r.err;
    auto doc = util::Json::parse(r.out);
    EXPECT_EQ(doc["steps"][0]["status"], "warning");
  }
}

// ---- reports and traces ---------------------------------------------------------------------

TEST(DiagnoseReports, JunitHasOneTestcasePerStepAndTheFailure) {
  TempDir dir;
  std::string f = kFixtures + "/transfer-422-wrapup-not-found.json";
  RunningMock mock(f);
  auto args = args_for(load(f), dir, mock.url());
  args.insert(args.end(), {"--format", "junit"});
  auto r = e2e::run(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(xml_problem(r.out), "") << r.out;
  std::size_t cases = 0;
  for (auto at = r.out.find("<testcase "); at != std::string::npos; at = r.out.find("<testcase ", at + 1)) ++cases;
  EXPECT_EQ(cases, 7u);
  EXPECT_NE(r.out.find("<failure type=\"WRAPUP_CODE_NOT_FOUND\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("name=\"transfer\""), std::string::npos);
}

TEST(DiagnoseReports, VerboseTracesEveryExchangeOnStderrRedacted) {
  TempDir dir;
  std::string f = kFixtures + "/queue-429-retry-after-then-ok.json";
  RunningMock mock(f);
  auto args = args_for(load(f), dir, mock.url());
  args.push_back("--verbose");
  auto r = e2e::run(args);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("> POST " + mock.url() + "/oauth/token"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("< 429 Too Many Requests"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("* queue, attempt 2 (after HTTP 429)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("> Authorization: Bearer ***"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("client_secret=***"), std::string::npos) << r.err;
  expect_no_canary(r.err, "--verbose");
  EXPECT_EQ(r.out.find("> POST"), std::string::npos) << "the trace goes to stderr only";
}

// ---- --save-fixture: a customer's run, replayed ----------------------------------------------

class SaveFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(SaveFixture, TheSavedRunPassesCheckAndReplaysToTheSameClassification) {
  TempDir dir;
  std::string f = kFixtures + "/" + GetParam() + ".json";
  auto fx = load(f);
  RunningMock mock(f);
  fs::path saved = dir.path / "customer-run.json";
  auto args = args_for(fx, dir, mock.url());
  args.insert(args.end(), {"--format", "json", "--save-fixture", saved.string()});
  auto r = e2e::run(args);
  std::string classification = json_classification(r.out);
  EXPECT_EQ(classification, fx["expect"]["classification"]) << r.out;
  ASSERT_TRUE(fs::exists(saved)) << r.err;
  std::string text = *util::read_file(saved);
  expect_no_canary(text, "the saved fixture");

  auto check = e2e::run({kMock, "check", saved.string()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err << text;
  auto replay = e2e::run({kDiag, "replay", saved.string(), "--format", "json"});
  EXPECT_EQ(replay.exit_code, 0) << replay.out << text;
  auto doc = util::Json::parse(replay.out);
  EXPECT_EQ(doc["scenarios"][0]["actual"].get<std::string>().substr(0, classification.size()), classification);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, SaveFixture,
                         ::testing::Values("transfer-202-happy-path", "queue-429-retry-after-then-ok",
                                           "transfer-422-wrapup-not-found", "conversation-401-after-token-refresh",
                                           "payload-unrendered-template", "cxone-signal-202-happy-path",
                                           "cxone-token-expired-refresh", "cxone-contact-ended"));

TEST(SaveFixture, AnUnwritableTargetIsExit2AndLeavesNothing) {
  TempDir dir;
  std::string f = kFixtures + "/transfer-202-happy-path.json";
  RunningMock mock(f);
  auto args = args_for(load(f), dir, mock.url());
  args.insert(args.end(), {"--save-fixture", (dir.path / "no-such-folder" / "x.json").string()});
  auto r = e2e::run(args);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("--save-fixture"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path / "no-such-folder"));
}

// ---- the canary: no command prints or writes a credential -----------------------------------

TEST(Canary, NoCredentialAppearsInAnyOutputOfAnyCommand) {
  TempDir dir;
  int outputs = 0;
  auto scan = [&](const e2e::RunResult& r, const std::string& what) {
    expect_no_canary(r.out, what + " stdout");
    expect_no_canary(r.err, what + " stderr");
    outputs += 2;
  };
  // diagnose: every format, the trace and the saved fixture, on passing and failing runs of both
  // profiles (a refused token, a refresh, a 403, discovery).
  for (const char* name :
       {"transfer-202-happy-path", "auth-401-invalid-client", "transfer-403-missing-conversations-modify",
        "conversation-401-after-token-refresh", "cxone-signal-202-happy-path", "cxone-token-expired-refresh"}) {
    std::string f = kFixtures + "/" + name + ".json";
    RunningMock mock(f);
    for (const char* format : {"text", "json", "junit"}) {
      auto args = args_for(load(f), dir, mock.url());
      fs::path saved = dir.path / (std::string(name) + "-" + format + ".json");
      args.insert(args.end(), {"--format", format, "--verbose", "--save-fixture", saved.string()});
      scan(e2e::run(args), std::string("diagnose ") + name + " " + format);
      expect_no_canary(*util::read_file(saved), saved.string());
      ++outputs;
    }
  }
  // diagnose failing before and without the network: config error, closed port.
  scan(e2e::run({kDiag, "diagnose", "--client-secret", kCanarySecret, "--env-file", "/dev/null", "--verbose"}),
       "config error");
  scan(e2e::run({kDiag,
                 "diagnose",
                 "--profile",
                 "cxone",
                 "--client-id",
                 kCanaryClientId,
                 "--client-secret",
                 kCanarySecret,
                 "--access-key-id",
                 kCxAccessKeyId,
                 "--access-key-secret",
                 kCanaryAccessSecret,
                 "--conversation",
                 "1",
                 "--queue",
                 "2",
                 "--wrapup",
                 "3",
                 "--base-url",
                 "http://127.0.0.1:" + std::to_string(closed_port()),
                 "--verbose",
                 "--format",
                 "json"}),
       "network error");
  // The same secrets through the environment and a .env file.
  std::ofstream(dir.path / ".env") << "CXONE_CLIENT_SECRET=" << kCanarySecret
                                   << "\nCXONE_ACCESS_KEY_SECRET=" << kCanaryAccessSecret << "\n";
  scan(e2e::run(
           {kDiag, "diagnose", "--profile", "cxone", "--env-file", (dir.path / ".env").string(), "--format", "json"},
           {{"CXONE_CLIENT_ID", kCanaryClientId}, {"CXONE_ACCESS_KEY_ID", kCxAccessKeyId}}),
       "diagnose from .env (cxone: every credential is masked, the IDs too)");
  // replay: a scenario carrying the credentials in its inputs, in both formats.
  auto fx = load(kFixtures + "/transfer-403-missing-conversations-modify.json");
  fx["inputs"]["clientSecret"] = kCanarySecret;
  std::ofstream(dir.path / "scenario.json") << fx.dump(2);
  for (const char* format : {"text", "json"})
    scan(e2e::run({kDiag, "replay", (dir.path / "scenario.json").string(), "--format", format}),
         std::string("replay ") + format);
  EXPECT_GE(outputs, 50);
}

TEST(Canary, TheMockNeverRecordsACredentialItReceived) {
  TempDir dir;
  std::string f = kFixtures + "/cxone-token-expired-refresh.json";
  fs::path journal = dir.path / "journal.json";
  RunningMock mock(f, {"--journal", journal.string()});
  auto args = args_for(load(f), dir, mock.url());
  EXPECT_EQ(e2e::run(args).exit_code, 0);
  // A request that matches nothing, carrying credentials in its form and headers.
  httplib::Client cli(mock.url());
  httplib::Headers auth = {{"Authorization", "Bearer " + kCanarySecret}};
  cli.Post("/auth/token?x=1", auth, "grant_type=password&username=u&password=" + kCanaryAccessSecret,
           "application/x-www-form-urlencoded");
  for (const char* admin : {"/__admin/requests", "/__admin/unmatched", "/__admin/verify", "/__admin/interactions"}) {
    auto res = cli.Get(admin);
    ASSERT_TRUE(res) << admin;
    // The fixture's own expected access key ID may show in a near miss; what arrived may not.
    expect_no_canary(res->body, admin, false);
  }
  const int code = mock.child().stop(SIGTERM);
  const std::string err = mock.child().drain_stderr();
  EXPECT_EQ(code, 0) << err;
  expect_no_canary(err, "the mock's stderr", false);
  expect_no_canary(*util::read_file(journal), "the mock's journal file", false);
}
