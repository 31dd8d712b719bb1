// handover-diag export pact: bundled scenarios written as Pact v3 files, served again (by
// cxone-mock serve --pact here; by Pact's own mock server in pact_core_export.py), and a diagnose
// run with the scenario's inputs must end as the scenario's expect says.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "e2e_support.hpp"
#include "process.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

std::vector<std::string> diagnose_args(const util::Json& fx, const TempDir& dir, const std::string& url) {
  const auto& in = fx["inputs"];
  std::vector<std::string> a = {kDiag,
                                "diagnose",
                                "--env-file",
                                "/dev/null",
                                "--base-url",
                                url,
                                "--format",
                                "json",
                                "--client-id",
                                in.value("clientId", "c"),
                                "--client-secret",
                                "s",
                                "--conversation",
                                in.value("conversationId", "")};
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

class ExportPact : public ::testing::TestWithParam<std::string> {};

TEST_P(ExportPact, TheExportedPactReproducesTheScenario) {
  TempDir dir;
  const std::string scenario = kFixtures + "/" + GetParam();
  fs::path pact = dir.path / "exported.pact.json";
  auto exported = run({kDiag, "export", "pact", scenario, "--out", pact.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  e2e::Child mock({kMock, "serve", "--port", "0", "--pact", pact.string()});
  auto line = mock.wait_for_line("listening on ", std::chrono::seconds(10));
  ASSERT_TRUE(line) << mock.drain_stderr();
  auto fx = util::Json::parse(*util::read_file(scenario));
  auto r = run(diagnose_args(fx, dir, line->substr(std::string("listening on ").size())));
  auto report = util::Json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out << r.err;
  EXPECT_EQ(report["classification"], fx["expect"]["classification"]) << r.out;
  EXPECT_EQ(mock.stop(SIGTERM), 0) << mock.drain_stderr();
}

INSTANTIATE_TEST_SUITE_P(Bundled, ExportPact,
                         ::testing::Values("transfer-202-happy-path.json", "queue-inactive.json",
                                           "transfer-409-already-wrapped-up.json", "conversation-404-not-found.json",
                                           "wrapup-not-in-queue-list.json", "transfer-422-wrapup-not-found.json"),
                         [](const auto& info) {
                           std::string name;
                           for (char c : info.param.substr(0, info.param.size() - 5))
                             if (std::isalnum(static_cast<unsigned char>(c))) name += c;
                           return name;
                         });

TEST(ExportPactFile, RulesNotesAndTheFileAreAsDocumented) {
  TempDir dir;
  fs::path pact = dir.path / "p.json";
  auto r = run({kDiag, "export", "pact", kFixtures + "/transfer-202-happy-path.json", "--consumer", "billing-bot",
                "--provider", "cxone", "--out", pact.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("form fields: Pact v3 has no rules for a form body"), std::string::npos) << r.err;
  auto doc = util::Json::parse(*util::read_file(pact));
  EXPECT_EQ(doc["consumer"]["name"], "billing-bot");
  EXPECT_EQ(doc["provider"]["name"], "cxone");
  EXPECT_EQ(doc["metadata"]["pactSpecification"]["version"], "3.0.0");
  EXPECT_EQ(doc["interactions"].size(), 5u);
  // The transfer's body is the payload the run sends (Pact refuses unexpected request keys).
  EXPECT_EQ(doc["interactions"][4]["request"]["body"]["contextData"]["intent"], "billing_dispute");
  auto bad = run({kDiag, "export", "pact", dir.path.string()});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
