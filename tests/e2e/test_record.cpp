// End to end, the recorder: a cxone-mock plays the tenant, `cxone-mock record` sits between it
// and handover-diag, and the recorded file is checked, replayed, and served again in the VCR
// modes. Canary credentials from the client never land in the file.
#include <gtest/gtest.h>
#include <httplib.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "e2e_support.hpp"
#include "support/tls_cert.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

const std::string kCanary = "CANARY-recorded-secret-4d2e";
const std::string kCanaryKey = "CANARY-access-key-secret-8b1f";

util::Json load(const std::string& file) { return util::Json::parse(*util::read_file(file)); }

// cxone-mock COMMAND --port 0 FLAGS... (record, serve) until stopped; url is its base URL once
// it listens.
struct Listening {
  e2e::Child child;
  std::string url;
  Listening(const std::string& command, const std::vector<std::string>& flags)
      : child([&] {
          std::vector<std::string> argv = {kMock, command, "--port", "0"};
          argv.insert(argv.end(), flags.begin(), flags.end());
          return argv;
        }()) {
    if (auto line = child.wait_for_line("listening on ", std::chrono::seconds(10)))
      url = line->substr(std::string("listening on ").size());
  }
};

// cxone-mock record with the given flags; url is the proxy's base URL.
struct Recording : Listening {
  explicit Recording(const std::vector<std::string>& flags) : Listening("record", flags) {}
  int stop() { return child.stop(SIGTERM); }
};

// diagnose with a fixture's inputs against url, canary credentials, JSON report.
e2e::RunResult diagnose(const util::Json& fx, const TempDir& dir, const std::string& url) {
  const auto& in = fx["inputs"];
  std::string profile = fx.value("profile", "v2");
  fs::path payload = dir.path / "payload.json";
  std::ofstream(payload) << in["payload"].dump();
  std::vector<std::string> a = {kDiag,
                                "diagnose",
                                "--profile",
                                profile,
                                "--base-url",
                                url,
                                "--conversation",
                                in["conversationId"].get<std::string>(),
                                "--client-id",
                                in.value("clientId", "client-7"),
                                "--client-secret",
                                kCanary,
                                "--payload",
                                payload.string(),
                                "--format",
                                "json",
                                "--env-file",
                                "/dev/null"};
  if (profile == "cxone")
    a.insert(a.end(), {"--access-key-id", in["accessKeyId"].get<std::string>(), "--access-key-secret", kCanaryKey});
  if (in.value("execute", false)) a.push_back("--execute");
  return e2e::run(a);
}

std::string verdict(const e2e::RunResult& r) {
  auto doc = util::Json::parse(r.out, nullptr, false);
  if (!doc.is_object()) return "(no report) " + r.out + r.err;
  return doc["classification"].get<std::string>() + " @ " +
         (doc["failedStep"].is_string() ? doc["failedStep"].get<std::string>() : "-");
}

std::string replay_verdict(const fs::path& file) {
  auto r = e2e::run({kDiag, "replay", file.string(), "--format", "json"});
  auto doc = util::Json::parse(r.out, nullptr, false);
  if (!doc.is_object()) return "(replay failed) " + r.err;
  const auto& report = doc["scenarios"][0]["report"];
  return report["classification"].get<std::string>() + " @ " +
         (report["failedStep"].is_string() ? report["failedStep"].get<std::string>() : "-") +
         (doc["scenarios"][0]["passed"].get<bool>()
              ? ""
              : " (did not pass: " + doc["scenarios"][0]["differences"].dump() + ")");
}

}  // namespace

class RecordThenReplay : public ::testing::TestWithParam<std::string> {};

TEST_P(RecordThenReplay, TheRecordingChecksReplaysToTheLiveResultAndHoldsNoSecret) {
  TempDir dir;
  std::string fixture = kFixtures + "/" + GetParam() + ".json";
  auto fx = load(fixture);
  RunningMock tenant(fixture);
  fs::path out = dir.path / "customer-case.json";
  // The customer's name: in the v2 payload and conversation, and inside the JSON string p4 (cxone).
  Recording rec({"--target", tenant.url(), "--out", out.string(), "--mode", "all", "--profile",
                 fx.value("profile", "v2"), "--redact", "/contextData/customerName", "--redact",
                 "/legs/*/participants/*/address/name", "--redact", "/p4/customerName"});
  ASSERT_FALSE(rec.url.empty());
  auto live = diagnose(fx, dir, rec.url);
  EXPECT_EQ(verdict(live),
            fx["expect"]["classification"].get<std::string>() + " @ " +
                (fx["expect"]["failedStep"].is_string() ? fx["expect"]["failedStep"].get<std::string>() : "-"));
  EXPECT_EQ(rec.stop(), 0);
  std::string err = rec.child.drain_stderr();
  EXPECT_NE(err.find("it replays to"), std::string::npos) << err;

  std::string text = *util::read_file(out);
  for (const auto& secret : {kCanary, kCanaryKey, std::string("Jane Customer")})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " is in the recording:\n" << text;
  // The upstream's own secrets: the tokens its token endpoint issued.
  for (const auto& interaction : fx["interactions"]) {
    const auto& json = interaction["response"].value("json", util::Json::object());
    for (const char* field : {"access_token", "refresh_token", "id_token"}) {
      if (!json.contains(field)) continue;
      EXPECT_EQ(text.find(json[field].get<std::string>()), std::string::npos)
          << "the upstream's " << field << " leaked";
    }
  }
  auto check = e2e::run({kMock, "check", out.string()});
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_EQ(replay_verdict(out), verdict(live)) << text;
}

INSTANTIATE_TEST_SUITE_P(Tenants, RecordThenReplay,
                         ::testing::Values("transfer-422-wrapup-not-found", "transfer-202-happy-path",
                                           "queue-429-retry-after-then-ok", "cxone-signal-202-happy-path",
                                           "cxone-token-expired-refresh"));

TEST(RecordModes, AnHttpsUpstreamIsVerifiedWithCacert) {
  TempDir dir;
  auto tls = testsupport::make_self_signed(dir.path);
  std::string fixture = kFixtures + "/transfer-422-wrapup-not-found.json";
  auto fx = load(fixture);
  RunningMock tenant(fixture, {"--tls-cert", tls.cert, "--tls-key", tls.key});
  ASSERT_TRUE(tenant.url().starts_with("https://"));
  fs::path out = dir.path / "case.json";
  {
    Recording unverified({"--target", tenant.url(), "--out", out.string(), "--mode", "all"});
    auto r = diagnose(fx, dir, unverified.url);
    EXPECT_NE(r.out.find("the upstream failed (certificate)"), std::string::npos) << r.out;
    EXPECT_EQ(unverified.stop(), 0);
  }
  Recording rec({"--target", tenant.url(), "--out", out.string(), "--mode", "all", "--cacert", tls.cert});
  auto live = diagnose(fx, dir, rec.url);
  EXPECT_EQ(verdict(live), "WRAPUP_CODE_NOT_FOUND @ transfer") << live.out;
  EXPECT_EQ(rec.stop(), 0);
  EXPECT_EQ(replay_verdict(out), verdict(live));
}

TEST(RecordModes, NoneAndOnceServeTheRecordingWithoutTheTenant) {
  TempDir dir;
  std::string fixture = kFixtures + "/transfer-409-already-wrapped-up.json";
  auto fx = load(fixture);
  fs::path out = dir.path / "case.json";
  std::string live;
  {
    RunningMock tenant(fixture);
    Recording rec({"--target", tenant.url(), "--out", out.string()});  // once, no file yet: records
    live = verdict(diagnose(fx, dir, rec.url));
    EXPECT_EQ(rec.stop(), 0);
  }
  ASSERT_TRUE(fs::exists(out));
  auto before = *util::read_file(out);
  for (const char* mode : {"none", "once"}) {
    Recording rec({"--out", out.string(), "--mode", mode});  // no tenant, no target
    ASSERT_FALSE(rec.url.empty()) << mode << rec.child.drain_stderr();
    EXPECT_EQ(verdict(diagnose(fx, dir, rec.url)), live) << mode;
    EXPECT_EQ(rec.stop(), 0);
    EXPECT_EQ(*util::read_file(out), before) << mode << " leaves the file as it was";
  }
}

TEST(RecordModes, NewEpisodesKeepsTheFileAndAddsWhatItLacked) {
  TempDir dir;
  std::string fixture = kFixtures + "/transfer-202-happy-path.json";
  auto fx = load(fixture);
  fs::path out = dir.path / "case.json";
  // A cassette that only knows the token.
  auto partial = fx;
  util::Json token = partial["interactions"][0];
  token["id"] = "kept-token";
  partial["interactions"] = util::Json::array({token});
  partial.erase("expect");
  std::ofstream(out) << partial.dump(2);
  RunningMock tenant(fixture);
  Recording rec({"--target", tenant.url(), "--out", out.string(), "--mode", "new_episodes"});
  EXPECT_EQ(verdict(diagnose(fx, dir, rec.url)), "OK @ -");
  EXPECT_EQ(rec.stop(), 0);
  auto doc = load(out.string());
  ASSERT_GE(doc["interactions"].size(), 5u);
  EXPECT_EQ(doc["interactions"][0]["id"], "kept-token");
  for (std::size_t i = 1; i < doc["interactions"].size(); ++i)
    EXPECT_NE(doc["interactions"][i]["request"]["path"], "/oauth/token") << "the token came from the file";
  EXPECT_EQ(replay_verdict(out), "OK @ -");
}

TEST(RecordModes, NewEpisodesSendsTheTenantARealTokenNotTheFilesPlaceholder) {
  TempDir dir;
  auto fx = load(kFixtures + "/transfer-202-happy-path.json");
  // The tenant: the happy path, but a request carrying the file's placeholder token is refused,
  // as a real tenant refuses a token it never issued.
  auto tenant_doc = fx;
  tenant_doc["interactions"].push_back(util::Json::parse(R"({"id": "placeholder-token-refused", "priority": 10,
      "request": {"method": "POST", "pathPattern": "^/api/", "headers": {"Authorization": "Bearer recorded-access-token"}},
      "response": {"status": 401, "json": {"message": "Invalid token", "code": "bad.credentials", "status": 401}}})"));
  tenant_doc["interactions"].push_back(util::Json::parse(R"({"id": "placeholder-token-refused-get", "priority": 10,
      "request": {"method": "GET", "pathPattern": "^/api/", "headers": {"Authorization": "Bearer recorded-access-token"}},
      "response": {"status": 401, "json": {"message": "Invalid token", "code": "bad.credentials", "status": 401}}})"));
  fs::path tenant_file = dir.path / "tenant.json";
  std::ofstream(tenant_file) << tenant_doc.dump(2);
  // A cassette recorded earlier: the token (as the recorder writes it: a placeholder) and the
  // conversation; the queue, wrap-up and transfer are the new episode.
  auto partial = fx;
  util::Json token = partial["interactions"][0];
  token["id"] = "kept-token";
  token["response"]["json"]["access_token"] = "recorded-access-token";
  util::Json conversation = fx["interactions"][1];
  conversation["request"].erase("headers");  // recorded interactions do not match on the token
  partial["interactions"] = util::Json::array({token, conversation});
  partial.erase("expect");
  fs::path out = dir.path / "case.json";
  std::ofstream(out) << partial.dump(2);
  RunningMock tenant(tenant_file.string());
  Recording rec({"--target", tenant.url(), "--out", out.string(), "--mode", "new_episodes"});
  EXPECT_EQ(verdict(diagnose(fx, dir, rec.url)), "OK @ -");
  EXPECT_EQ(rec.stop(), 0);
  auto doc = load(out.string());
  for (std::size_t n = 1; n < doc["interactions"].size(); ++n) {
    const auto& i = doc["interactions"][n];
    EXPECT_NE(i["response"]["status"], 401) << "a refusal of the placeholder token was recorded: " << i.dump();
    EXPECT_NE(i["request"]["path"], "/oauth/token") << "the token is in the file once: " << i.dump();
  }
  EXPECT_GT(doc["interactions"].size(), 2u) << "the new episode was recorded";
  EXPECT_EQ(doc["interactions"][0]["id"], "kept-token");
  EXPECT_EQ(doc["expect"]["classification"], "OK") << doc.dump(2);
}

TEST(RecordModes, BadInvocationsAreExit2WithTheReason) {
  TempDir dir;
  auto none = e2e::run({kMock, "record", "--out", (dir.path / "missing.json").string(), "--mode", "none"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("does not exist"), std::string::npos) << none.err;
  auto no_target = e2e::run({kMock, "record", "--out", (dir.path / "x.json").string(), "--mode", "all"});
  EXPECT_EQ(no_target.exit_code, 2);
  EXPECT_NE(no_target.err.find("--target is required"), std::string::npos) << no_target.err;
  auto route = e2e::run({kMock, "record", "--target", "http://127.0.0.1:9", "--out", (dir.path / "x.json").string(),
                         "--route", "inContactAPI"});
  EXPECT_EQ(route.exit_code, 2);
  EXPECT_NE(route.err.find("expected /PATH-PREFIX=http(s)://HOST"), std::string::npos) << route.err;
  auto mode = e2e::run({kMock, "record", "--target", "http://127.0.0.1:9", "--out", "x.json", "--mode", "sometimes"});
  EXPECT_EQ(mode.exit_code, 2);
}

TEST(RecordModes, AnUnreachableUpstreamIs502AndNothingIsRecorded) {
  TempDir dir;
  fs::path out = dir.path / "case.json";
  Recording rec(
      {"--target", "http://127.0.0.1:" + std::to_string(closed_port()), "--out", out.string(), "--mode", "all"});
  auto fx = load(kFixtures + "/transfer-202-happy-path.json");
  auto r = diagnose(fx, dir, rec.url);
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["steps"][1]["httpStatus"], 502) << r.out;
  EXPECT_NE(doc["steps"][1]["summary"].get<std::string>().find("the upstream failed (connection-refused)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(rec.stop(), 0);
  EXPECT_FALSE(fs::exists(out));
}

// cxone-mock record runs cxone-mock-record from beside itself, else from the PATH; neither: one
// line that says what is missing.
TEST(RecordProgram, FoundBesideTheMockElseOnThePath) {
  TempDir dir;
  fs::path lone = dir.path / "cxone-mock";
  fs::copy_file(kMock, lone);
  fs::permissions(lone, fs::perms::owner_all);
  std::string beside = fs::path(kMock).parent_path().string();
  auto found = e2e::run({lone.string(), "record", "--help"}, {{"PATH", beside + ":/usr/bin:/bin"}});
  EXPECT_EQ(found.exit_code, 0) << found.err;
  EXPECT_NE(found.out.find("--target"), std::string::npos) << found.out;
  auto missing = e2e::run({lone.string(), "record", "--help"}, {{"PATH", "/usr/bin:/bin"}});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("cxone-mock: record: cannot run"), std::string::npos) << missing.err;
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
}

// serve --proxy-unmatched: what the served scenario lacks goes to the tenant (through the client's
// transport), is journaled as proxied, and with --record-unmatched grows a scenario that then
// answers without the tenant.
namespace {

// A scenario answering one call of its own, nothing of the handover.
const std::string kLocalOnly = R"({"fixtureVersion": 1, "name": "local", "interactions": [
  {"id": "ping", "request": {"method": "GET", "path": "/local/ping"}, "response": {"status": 200, "json": {"from": "local"}}}]})";

struct ProxyingMock : Listening {
  explicit ProxyingMock(const std::vector<std::string>& flags) : Listening("serve", flags) {}
  util::Json get(const std::string& path) { return util::Json::parse(fetch(url, path), nullptr, false); }
  // The answer's body to a POST of a form (headers: extra request headers).
  static std::string post(const std::string& base, const std::string& path, const std::string& form,
                          const httplib::Headers& headers = {}) {
    httplib::Client cli(base);
    auto r = cli.Post(path, headers, form, "application/x-www-form-urlencoded");
    return r ? r->body : "(no answer: " + httplib::to_string(r.error()) + ")";
  }
  static std::string fetch(const std::string& base, const std::string& path) {
    httplib::Client cli(base);
    auto r = cli.Get(path);
    return r ? r->body : "(no answer: " + httplib::to_string(r.error()) + ")";
  }
};

}  // namespace

TEST(ProxyUnmatched, TheTenantAnswersWhatTheScenarioLacksAndTheRecordingThenAnswersAlone) {
  TempDir dir;
  std::ofstream(dir.path / "local.json") << kLocalOnly;
  std::string fixture = kFixtures + "/transfer-422-wrapup-not-found.json";
  auto fx = load(fixture);
  fs::path grown = dir.path / "grown.json";
  std::string live;
  {
    RunningMock tenant(fixture);
    ProxyingMock mock({"--fixtures", (dir.path / "local.json").string(), "--proxy-unmatched", tenant.url(),
                       "--record-unmatched", grown.string()});
    ASSERT_FALSE(mock.url.empty()) << mock.child.drain_stderr();
    EXPECT_EQ(mock.get("/local/ping")["from"], "local");
    live = verdict(diagnose(fx, dir, mock.url));
    EXPECT_EQ(live, "WRAPUP_CODE_NOT_FOUND @ transfer");
    // The journal: the proxied requests with the tenant's status, the credentials masked.
    auto journal = mock.get("/__admin/requests?unmatched=true");
    ASSERT_TRUE(journal.is_object()) << journal;
    std::size_t proxied = 0;
    for (const auto& e : journal["requests"]) {
      EXPECT_EQ(e.value("proxied", ""), tenant.url()) << e;
      proxied += e.value("proxied", "") == tenant.url();
      if (e["path"] == "/oauth/token") {
        EXPECT_EQ(e["status"], 200) << e;
      }
    }
    EXPECT_GE(proxied, 4u) << journal.dump(1);
    EXPECT_EQ(journal.dump().find(kCanary), std::string::npos);
    auto verify = mock.get("/__admin/verify");
    EXPECT_EQ(verify["ok"], true) << verify;
    EXPECT_EQ(verify["proxied"], proxied) << verify;
    const int code = mock.child.stop(SIGTERM);
    std::string err = mock.child.drain_stderr();
    EXPECT_EQ(code, 0) << err;
    EXPECT_NE(err.find("requests no interaction answers go to " + tenant.url()), std::string::npos) << err;
    EXPECT_NE(err.find("recorded " + std::to_string(proxied) + " exchange(s) into " + grown.string()),
              std::string::npos)
        << err;
  }
  std::string text = *util::read_file(grown);
  EXPECT_EQ(text.find(kCanary), std::string::npos) << text;
  EXPECT_EQ(e2e::run({kMock, "check", grown.string()}).exit_code, 0);
  EXPECT_EQ(replay_verdict(grown), live) << text;
  // The tenant gone, the grown scenario beside the local one answers the handover alone.
  ProxyingMock alone({"--fixtures", (dir.path / "local.json").string(), grown.string()});
  ASSERT_FALSE(alone.url.empty()) << alone.child.drain_stderr();
  EXPECT_EQ(verdict(diagnose(fx, dir, alone.url)), live);
  EXPECT_EQ(alone.child.stop(SIGTERM), 0) << alone.child.drain_stderr();
}

TEST(ProxyUnmatched, TheScenarioPrefixAndHeaderStayWithTheMock) {
  TempDir dir;
  std::ofstream(dir.path / "local.json") << kLocalOnly;
  RunningMock tenant(kFixtures + "/transfer-202-happy-path.json");
  ProxyingMock mock({"--fixtures", (dir.path / "local.json").string(), "--proxy-unmatched", tenant.url() + "/"});
  ASSERT_FALSE(mock.url.empty()) << mock.child.drain_stderr();
  auto token = ProxyingMock::post(mock.url, "/__scenario/local/oauth/token",
                                  "grant_type=client_credentials&client_id=" + kClient + "&client_secret=s",
                                  {{"X-Mock-Scenario", "local"}});
  EXPECT_NE(token.find("access_token"), std::string::npos) << token;
  auto seen = util::Json::parse(ProxyingMock::fetch(tenant.url(), "/__admin/requests"));
  ASSERT_EQ(seen["requests"].size(), 1u) << seen;
  EXPECT_EQ(seen["requests"][0]["path"], "/oauth/token");
  EXPECT_FALSE(seen["requests"][0]["headers"].contains("X-Mock-Scenario")) << seen;
  auto journal = mock.get("/__admin/requests");
  EXPECT_EQ(journal["requests"][0]["scenario"], "local") << journal;
  EXPECT_EQ(journal["requests"][0]["path"], "/oauth/token") << journal;
  // Without an upstream answer: a 502 that says why, journaled.
  EXPECT_EQ(mock.child.stop(SIGTERM), 0) << mock.child.drain_stderr();
  ProxyingMock closed({"--fixtures", (dir.path / "local.json").string(), "--proxy-unmatched",
                       "http://127.0.0.1:" + std::to_string(closed_port())});
  auto refused = closed.get("/oauth/token");
  EXPECT_EQ(refused["code"], "mock.proxy.failed") << refused;
  EXPECT_NE(refused.value("message", "").find("the upstream failed (connection-refused)"), std::string::npos)
      << refused;
  EXPECT_EQ(closed.child.stop(SIGTERM), 0) << closed.child.drain_stderr();
}

TEST(ProxyUnmatched, AnHttpsTenantIsVerified) {
  TempDir dir;
  auto tls = testsupport::make_self_signed(dir.path);
  RunningMock tenant(kFixtures + "/transfer-202-happy-path.json", {"--tls-cert", tls.cert, "--tls-key", tls.key});
  ASSERT_TRUE(tenant.url().starts_with("https://"));
  std::ofstream(dir.path / "local.json") << kLocalOnly;
  const std::string local = (dir.path / "local.json").string();
  const std::string form = "grant_type=client_credentials&client_id=" + kClient + "&client_secret=s";
  ProxyingMock unverified({"--fixtures", local, "--proxy-unmatched", tenant.url()});
  auto refused = ProxyingMock::post(unverified.url, "/oauth/token", form);
  EXPECT_NE(refused.find("the upstream failed (certificate)"), std::string::npos) << refused;
  EXPECT_EQ(unverified.child.stop(SIGTERM), 0) << unverified.child.drain_stderr();
  ProxyingMock verified({"--fixtures", local, "--proxy-unmatched", tenant.url(), "--proxy-cacert", tls.cert});
  auto token = ProxyingMock::post(verified.url, "/oauth/token", form);
  EXPECT_NE(token.find("access_token"), std::string::npos) << token;
  EXPECT_EQ(verified.child.stop(SIGTERM), 0) << verified.child.drain_stderr();
}
