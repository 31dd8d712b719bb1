// The client against every fault the mock can inject, at each kind of step (the token POST,
// a look-up GET with its retries, the transfer POST): always a classification, within the
// time its timeout and retry policy allow, never a hang. Real binaries, OS-chosen ports.
#include <gtest/gtest.h>

#include <chrono>

#include "e2e_support.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace e2e {
namespace {

struct FaultCase {
  std::string fault;                         // the mock's fault name
  std::string interaction;                   // which answer of the happy path it replaces
  std::string step;                          // the step that must fail
  std::vector<std::string> classifications;  // any of these
  std::string kind;                          // the NETWORK_ERROR sub-kind in the evidence ("" when not one)
  int exit = 1;
};

void PrintTo(const FaultCase& c, std::ostream* os) { *os << c.fault << " at " << c.interaction; }

std::string name_of(const ::testing::TestParamInfo<FaultCase>& info) {
  std::string n = info.param.fault + "_at_" + info.param.interaction;
  for (auto& c : n)
    if (c == '-') c = '_';
  return n;
}

constexpr int kTimeoutMs = 800;
// Worst case of the call policy with that timeout: 3 GET attempts, backoff 250 ms then 500 ms
// (equal jitter: at most the full step), plus start-up and the other steps.
constexpr int kBoundMs = 3 * kTimeoutMs + 250 + 500 + 1500;

class ClientUnderFault : public ::testing::TestWithParam<FaultCase> {};

TEST_P(ClientUnderFault, IsClassifiedWithinItsTimeout) {
  const auto& c = GetParam();
  TempDir dir;
  auto text = util::read_file(kFixtures + "/transfer-202-happy-path.json");
  ASSERT_TRUE(text);
  auto doc = util::Json::parse(*text);
  bool found = false;
  for (auto& x : doc["interactions"]) {
    if (x["id"] != c.interaction) continue;
    found = true;
    x["response"]["fault"] = c.fault;
    if (c.fault == "slow-drip") x["response"]["drip"] = {{"chunkBytes", 1}, {"intervalMs", 400}};
  }
  ASSERT_TRUE(found) << c.interaction;
  doc.erase("expect");
  fs::path fixture = dir.path / "fault.json";
  ASSERT_TRUE(util::write_file_atomic(fixture, doc.dump(2)));
  RunningMock mock(fixture.string());
  ASSERT_FALSE(mock.url().empty());

  auto started = std::chrono::steady_clock::now();
  auto r = run({kDiag, "diagnose", "--client-id", kClient, "--client-secret", kSecret, "--conversation", kConv,
                "--queue", kQueue, "--wrapup", kWrap, "--base-url", mock.url(), "--execute", "--timeout-ms",
                std::to_string(kTimeoutMs), "--format", "json"},
               {}, std::chrono::milliseconds(kBoundMs * 3));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  ASSERT_NE(r.exit_code, -1) << "hung";
  EXPECT_LT(ms, kBoundMs) << "took " << ms << " ms";
  EXPECT_EQ(r.exit_code, c.exit) << r.out << r.err;
  auto report = util::Json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out << r.err;
  auto got = report["classification"].get<std::string>();
  EXPECT_NE(std::find(c.classifications.begin(), c.classifications.end(), got), c.classifications.end()) << got;
  if (c.step.empty()) {
    EXPECT_TRUE(report["failedStep"].is_null()) << r.out;
  } else {
    EXPECT_EQ(report["failedStep"], c.step);
  }
  if (!c.kind.empty()) {
    EXPECT_NE(r.out.find("\"" + c.kind + "\""), std::string::npos) << r.out;
  }
  EXPECT_EQ(r.out.find(kSecret), std::string::npos);
  EXPECT_EQ(mock.child().stop(SIGTERM), 0) << "the mock survives every fault it injects";
}

const std::vector<std::string> kNet = {"NETWORK_ERROR"};
const std::vector<std::string> kMalformed = {"MALFORMED_RESPONSE"};

INSTANTIATE_TEST_SUITE_P(
    EveryFault, ClientUnderFault,
    ::testing::Values(FaultCase{"connection-reset", "oauth-token", "auth", kNet, "connection-reset"},
                      FaultCase{"empty-response", "oauth-token", "auth", kNet, "empty-response"},
                      FaultCase{"malformed-body", "oauth-token", "auth", kMalformed, ""},
                      FaultCase{"timeout", "oauth-token", "auth", kNet, "timeout"},
                      FaultCase{"slow-drip", "oauth-token", "auth", kNet, "timeout"},
                      FaultCase{"connection-reset", "get-conversation", "conversation", kNet, "connection-reset"},
                      FaultCase{"empty-response", "get-conversation", "conversation", kNet, "empty-response"},
                      FaultCase{"malformed-body", "get-conversation", "conversation", kMalformed, ""},
                      FaultCase{"timeout", "get-conversation", "conversation", kNet, "timeout"},
                      FaultCase{"slow-drip", "get-conversation", "conversation", kNet, "timeout"},
                      FaultCase{"connection-reset", "post-transfer", "transfer", kNet, "connection-reset"},
                      FaultCase{"empty-response", "post-transfer", "transfer", kNet, "empty-response"},
                      // A 202 accepts the transfer whatever its body: the body of a 202 is not needed.
                      FaultCase{"malformed-body", "post-transfer", "", {"OK"}, "", 0},
                      FaultCase{"timeout", "post-transfer", "transfer", kNet, "timeout"},
                      FaultCase{"slow-drip", "post-transfer", "transfer", kNet, "timeout"}),
    name_of);

// A TLS failure: HTTPS spoken to a plain port (an untrusted certificate: the bad-input table).
TEST(ClientUnderTlsFault, HttpsToAPlainPortIsATlsHandshakeFailureFast) {
  RunningMock plain(kFixtures + "/transfer-202-happy-path.json");
  std::string https = "https://" + plain.url().substr(std::string("http://").size());
  auto started = std::chrono::steady_clock::now();
  auto r = run({kDiag, "diagnose", "--client-id", kClient, "--client-secret", kSecret, "--conversation", kConv,
                "--queue", kQueue, "--wrapup", kWrap, "--base-url", https, "--timeout-ms", std::to_string(kTimeoutMs),
                "--format", "json"});
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("\"NETWORK_ERROR\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"tls-handshake\""), std::string::npos) << r.out;
  EXPECT_LT(ms, kBoundMs);
}

}  // namespace
}  // namespace e2e
