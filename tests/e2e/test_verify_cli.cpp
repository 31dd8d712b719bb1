// handover-diag verify: a scenario's requests sent to a second, real cxone-mock playing the
// tenant; nothing is reported against an identical tenant, and a drifted one (a type changed,
// a key gone, an array element reshaped, a status changed) is reported per interaction with its
// location, in text, JSON and JUnit; writes are sent only as the flags allow.
#include <gtest/gtest.h>

#include <fstream>

#include "e2e_support.hpp"
#include "process.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

const std::string kScenario = kFixtures + "/transfer-202-happy-path.json";

std::vector<std::string> verify_args(const std::string& url, std::vector<std::string> extra) {
  auto doc = util::Json::parse(*util::read_file(kScenario));
  std::vector<std::string> argv = {kDiag,
                                   "verify",
                                   kScenario,
                                   "--target",
                                   url,
                                   "--env-file",
                                   "/dev/null",
                                   "--client-id",
                                   doc["inputs"]["clientId"].get<std::string>(),
                                   "--client-secret",
                                   "verify-secret-canary"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// The scenario with the tenant's answers changed as a tenant's API drifts.
std::string drifted() {
  auto doc = util::Json::parse(*util::read_file(kScenario));
  for (auto& x : doc["interactions"]) {
    auto& body = x["response"]["json"];
    if (x["id"] == "get-queue") body["joinedMemberCount"] = "three";
    if (x["id"] == "get-conversation") body.erase("state");
    if (x["id"] == "get-wrapupcodes-p1") body["entities"][0]["id"] = 42;
  }
  return doc.dump(2);
}

TEST(Verify, AnIdenticalTenantHasNoDrift) {
  RunningMock tenant(kScenario);
  ASSERT_FALSE(tenant.url().empty());
  auto r = run(verify_args(tenant.url(), {}));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("3 compared, 0 drifted, 2 skipped"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the transfer is never sent unless named"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("verify-secret-canary"), std::string::npos);
}

TEST(Verify, ADriftedTenantIsReportedWithEachLocation) {
  TempDir dir;
  ServedFixture tenant(dir, drifted(), {});
  ASSERT_FALSE(tenant.url.empty());
  auto r = run(verify_args(tenant.url, {}));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("$.joinedMemberCount: expected a value of the type of"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("$.state: expected key \"state\" is missing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("$.entities[0].id"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 compared, 3 drifted"), std::string::npos) << r.out;

  auto json = run(verify_args(tenant.url, {"--format", "json"}));
  EXPECT_EQ(json.exit_code, 1);
  auto doc = util::Json::parse(json.out);
  EXPECT_EQ(doc["summary"]["drifted"], 3);
  bool found = false;
  for (const auto& x : doc["interactions"])
    for (const auto& d : x["drift"])
      if (x["id"] == "get-queue" && d["location"] == "$.joinedMemberCount" && d["actual"] == "\"three\"") found = true;
  EXPECT_TRUE(found) << json.out;

  fs::path junit = dir.path / "verify.xml";
  auto xml = run(verify_args(tenant.url, {"--format", "junit", "--output", junit.string()}));
  EXPECT_EQ(xml.exit_code, 1);
  auto text = util::read_file(junit);
  ASSERT_TRUE(text.has_value());
  EXPECT_NE(text->find("failures=\"3\""), std::string::npos) << *text;
  EXPECT_NE(text->find("<skipped message=\"the token call"), std::string::npos) << *text;
}

TEST(Verify, StrictValuesCompareValuesAndANamedTransferIsSentWithExecute) {
  // The same shapes with other values: types agree, values do not.
  auto doc = util::Json::parse(*util::read_file(kScenario));
  for (auto& x : doc["interactions"])
    if (x["id"] == "get-queue") x["response"]["json"]["name"] = "Billing Support (EU)";
  TempDir dir;
  ServedFixture tenant(dir, doc.dump(2), {});
  EXPECT_EQ(run(verify_args(tenant.url, {})).exit_code, 0);
  auto strict = run(verify_args(tenant.url, {"--strict-values"}));
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.out.find("$.name"), std::string::npos) << strict.out;
  auto sent = run(verify_args(tenant.url, {"--execute", "--interaction", "post-transfer"}));
  EXPECT_EQ(sent.exit_code, 0) << sent.out;
  EXPECT_NE(sent.out.find("4 compared, 0 drifted"), std::string::npos) << sent.out;
}

TEST(Verify, ATenantThatRefusesTheTokenComparesNothing) {
  TempDir dir;
  auto doc = util::Json::parse(*util::read_file(kScenario));
  doc["interactions"][0]["response"] = {{"status", 401}, {"json", {{"error", "invalid_client"}}}};
  ServedFixture tenant(dir, doc.dump(2), {});
  auto r = run(verify_args(tenant.url, {}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAILED auth"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("setup failed: nothing was compared"), std::string::npos) << r.out;
}

// The scenario with two answers to the queue look-up, each for a Pact provider state.
std::string with_provider_states() {
  auto doc = util::Json::parse(*util::read_file(kScenario));
  auto& xs = doc["interactions"];
  for (std::size_t i = 0; i < xs.size(); ++i)
    if (xs[i]["id"] == "get-queue") {
      xs[i]["providerStates"] = {"queue is active"};
      auto deleted = xs[i];
      deleted["id"] = "get-queue-deleted";
      deleted["providerStates"] = {"queue was deleted"};
      deleted["response"] = {{"status", 404}, {"json", {{"code", "not.found"}, {"status", 404}}}};
      xs.insert(xs.begin() + static_cast<std::ptrdiff_t>(i) + 1, deleted);
      break;
    }
  return doc.dump(2);
}

TEST(Verify, ProviderStatesAreSetUpBeforeTheirInteractions) {
  TempDir dir;
  ServedFixture tenant(dir, with_provider_states(), {});
  ASSERT_FALSE(tenant.url.empty());
  auto args = [&](std::vector<std::string> extra) {
    auto argv = verify_args(tenant.url, std::move(extra));
    argv[2] = (dir.path / "fixture.json").string();
    return argv;
  };
  // Without setting the states up, the tenant answers the deleted queue's request as the active one.
  auto plain = run(args({}));
  EXPECT_EQ(plain.exit_code, 1) << plain.out << plain.err;
  EXPECT_NE(plain.out.find("status 200 where the scenario has 404"), std::string::npos) << plain.out;
  // With the tenant's state-change URL, each interaction gets its state first: nothing drifts.
  auto set_up = run(args({"--provider-states-setup-url", tenant.url + "/__admin/provider-states"}));
  EXPECT_EQ(set_up.exit_code, 0) << set_up.out << set_up.err;
  EXPECT_NE(set_up.out.find("4 compared, 0 drifted"), std::string::npos) << set_up.out;
  // A setup URL that refuses is an error for that interaction, with the answer's words.
  auto refused = run(args({"--provider-states-setup-url", tenant.url + "/no-such-hook"}));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("provider state \"queue is active\" not set up: HTTP 404"), std::string::npos)
      << refused.out;
}

// The scenario with one XML answer more (a health document), as recorded or as the tenant now has it.
std::string with_xml(const std::string& xml) {
  auto doc = util::Json::parse(*util::read_file(kScenario));
  doc["interactions"].push_back(
      {{"id", "get-health"},
       {"request", {{"method", "GET"}, {"path", "/api/v2/health"}}},
       {"response",
        {{"status", 200}, {"headers", {{"Content-Type", "application/xml; charset=utf-8"}}}, {"body", xml}}}});
  return doc.dump(2);
}

TEST(Verify, XmlAnswersAreComparedByTheirShape) {
  TempDir recorded_dir, tenant_dir;
  const std::string recorded = R"(<health status="up"><db>ok</db></health>)";
  fs::path scenario = recorded_dir.path / "xml.json";
  std::ofstream(scenario) << with_xml(recorded);
  auto args = [&](const std::string& url) {
    auto argv = verify_args(url, {});
    argv[2] = scenario.string();
    return argv;
  };
  {
    // Other values and one element more: the same shape (Postel), no drift.
    ServedFixture tenant(tenant_dir, with_xml(R"(<health status="degraded"><db>slow</db><cache>ok</cache></health>)"),
                         {});
    auto r = run(args(tenant.url));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("4 compared, 0 drifted"), std::string::npos) << r.out;
  }
  ServedFixture tenant(tenant_dir, with_xml(R"(<health><database>ok</database></health>)"), {});
  auto r = run(args(tenant.url));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("$.health.@status: expected attribute status is missing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("$.health.db"), std::string::npos) << r.out;
}

}  // namespace
