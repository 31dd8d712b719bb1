// cxone-mock import wiremock: the stub mappings in tests/data/wiremock turned into a scenario and
// served by the real mock, which then answers as WireMock would on each mapped request (urls,
// patterns, JSON body patterns, files, priorities, scenario states, faults); what has no
// equivalent is a note on stderr.
#include <gtest/gtest.h>

#include <csignal>

#include <httplib.h>

#include "e2e_support.hpp"
#include "process.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

const std::string kStubs = std::string(HARNESS_SOURCE_DIR) + "/tests/data/wiremock";

TEST(ImportWiremock, TheImportedScenarioAnswersAsTheStubsDo) {
  TempDir dir;
  fs::path out = dir.path / "imported.json";
  auto r = run({kMock, "import", "wiremock", kStubs, "--out", out.string(), "--name", "from-wiremock"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("doesNotMatch"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("matchesXPath"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("7 interactions written"), std::string::npos) << r.err;
  EXPECT_EQ(run({kMock, "check", out.string()}).exit_code, 0);

  RunningMock mock(out.string());
  ASSERT_FALSE(mock.url().empty());
  httplib::Client cli(mock.url());
  auto token = cli.Post("/oauth/token", "grant_type=client_credentials", "application/x-www-form-urlencoded");
  ASSERT_TRUE(token);
  EXPECT_EQ(util::Json::parse(token->body)["access_token"], "wm-token");
  auto queue =
      cli.Get("/api/v2/routing/queues/7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13", {{"Authorization", "Bearer wm-token"}});
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->status, 200);
  EXPECT_EQ(util::Json::parse(queue->body)["name"], "Billing Support");  // from __files/queue.json
  auto anonymous = cli.Get("/api/v2/routing/queues/7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 404);
  auto codes = cli.Get("/api/v2/routing/queues/q1/wrapupcodes?pageNumber=1");
  ASSERT_TRUE(codes);
  EXPECT_EQ(codes->status, 200);
  auto debug = cli.Get("/api/v2/routing/queues/q1/wrapupcodes?pageNumber=1&debug=1");
  ASSERT_TRUE(debug);
  EXPECT_EQ(debug->status, 404);  // "debug" must be absent
  const std::string transfer = "/api/v2/conversations/voice/3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47/transfer";
  const std::string body = R"({"transferType":"blind","transferTo":{"id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"}})";
  auto first = cli.Post(transfer, body, "application/json");
  auto second = cli.Post(transfer, body, "application/json");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 202);   // scenario transfer-once: Started -> transferred
  EXPECT_EQ(second->status, 409);  // then the second stub answers
  auto flaky = cli.Get("/api/v2/flaky?mode=reset");
  EXPECT_FALSE(flaky);  // CONNECTION_RESET_BY_PEER: no answer
  EXPECT_EQ(mock.child().stop(SIGTERM), 0) << mock.child().drain_stderr();
}

TEST(ImportWiremock, WhatIsNotWireMockIsOneLineAndExitTwo) {
  TempDir dir;
  auto r = run({kMock, "import", "wiremock", (dir.path / "absent").string(), "--out", (dir.path / "x.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a WireMock folder or mapping file"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path / "x.json"));
}

}  // namespace
