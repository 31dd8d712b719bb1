// The CI templates cannot rot: the plain gate script (ci/templates/handover-gate.sh) runs here on
// a Cognigy-repository layout, passes, then fails for a broken payload and a breaking overlay.
// The YAML templates call that same script.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "e2e_support.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"
#include "xml_check.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

const std::string kGate = std::string(HARNESS_SOURCE_DIR) + "/ci/templates/handover-gate.sh";

// A repository as the templates expect it: handover/{payloads,scenarios,contract.schema.json}.
struct CognigyRepo {
  TempDir dir;
  CognigyRepo() {
    fs::create_directories(dir.path / "handover/payloads");
    fs::create_directories(dir.path / "handover/scenarios");
    for (const char* name : {"transfer-202-happy-path", "transfer-422-wrapup-not-found", "queue-inactive"}) {
      auto doc = util::Json::parse(*util::read_file(kFixtures + "/" + name + ".json"));
      std::ofstream(dir.path / "handover/scenarios" / (std::string(name) + ".json")) << doc.dump(2);
      if (doc["inputs"].contains("payload") && !doc["expect"].contains("violations"))
        std::ofstream(dir.path / "handover/payloads" / (std::string(name) + ".json")) << doc["inputs"]["payload"].dump(2);
    }
    // The team's overlay: the released contract plus a language the Studio script needs.
    overlay(R"({"required": ["contextData"], "properties": {"contextData": {"required": ["intent"]}}})");
  }
  void overlay(const std::string& extra) {
    auto doc = util::Json::parse(extra);
    doc["$schema"] = "http://json-schema.org/draft-07/schema#";
    doc["allOf"] = {{{"$ref", "https://contracts.handover-harness.local/transfer.schema.json"}}};
    std::ofstream(dir.path / "handover/contract.schema.json") << doc.dump(2);
  }
  e2e::RunResult gate() const {
    return e2e::run({"/bin/bash", kGate}, {{"HANDOVER_DIAG", kDiag}, {"HARNESS_DIR", HARNESS_SOURCE_DIR}}, std::chrono::seconds(60),
                    dir.path.string());
  }
  std::string report(const std::string& name) const { return *util::read_file(dir.path / "reports/handover" / name); }
};

}  // namespace

TEST(CiTemplates, TheGatePassesOnAGoodRepositoryAndWritesEveryReport) {
  CognigyRepo repo;
  auto r = repo.gate();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* step : {"validate passed", "compat passed", "replay passed"})
    EXPECT_NE(r.out.find(std::string("handover-gate: ") + step), std::string::npos) << step << "\n" << r.out;
  EXPECT_EQ(xml_problem(repo.report("validate.junit.xml")), "");
  EXPECT_EQ(xml_problem(repo.report("replay.junit.xml")), "");
  EXPECT_EQ(util::Json::parse(repo.report("validate.sarif"))["version"], "2.1.0");
  EXPECT_EQ(util::Json::parse(repo.report("compat.json"))["breaking"], 0);
  EXPECT_TRUE(repo.report("replay.html").starts_with("<!DOCTYPE html>"));
}

TEST(CiTemplates, ABrokenPayloadFailsTheGateButEveryStepStillRuns) {
  CognigyRepo repo;
  std::ofstream(repo.dir.path / "handover/payloads/broken.json")
      << R"({"transferTo":{"type":"queue","id":"Billing Support"},"transferType":"blind",
            "wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},"contextData":{"intent":"{{input.intent}}"}})";
  auto r = repo.gate();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("handover-gate: validate FAILED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("handover-gate: replay passed"), std::string::npos) << "later steps still run";
  EXPECT_NE(repo.report("validate.sarif").find("QUEUE_NAME_NOT_ID"), std::string::npos);
}

TEST(CiTemplates, ABreakingOverlayFailsCompat) {
  CognigyRepo repo;
  repo.overlay(R"({"properties": {"transferType": {"enum": ["blind"]}}})");
  auto r = repo.gate();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("handover-gate: compat FAILED"), std::string::npos) << r.out;
}

TEST(CiTemplates, TheYamlTemplatesCallTheGateScript) {
  for (const char* file : {"github-actions.yml", "gitlab-ci.yml"}) {
    std::string text = *util::read_file(std::string(HARNESS_SOURCE_DIR) + "/ci/templates/" + file);
    EXPECT_NE(text.find("ci/templates/handover-gate.sh"), std::string::npos) << file;
    EXPECT_NE(text.find("ci/build.sh"), std::string::npos) << file << ": the apt install and build step";
    EXPECT_NE(text.find("reports/"), std::string::npos) << file << ": the artefact upload";
  }
}
