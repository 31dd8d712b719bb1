// The CI templates cannot rot: the plain gate script (ci/templates/handover-gate.sh) runs here on
// a Cognigy-repository layout, passes, then fails for a broken payload and a breaking overlay.
// The YAML templates call that same script.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

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
        std::ofstream(dir.path / "handover/payloads" / (std::string(name) + ".json"))
            << doc["inputs"]["payload"].dump(2);
    }
    // The team's overlay: the released contract plus a language the Studio script needs.
    overlay(R"({"required": ["contextData"], "properties": {"contextData": {"required": ["intent"]}}})");
  }
  void overlay(const std::string& extra, const std::string& base = "transfer") {
    auto doc = util::Json::parse(extra);
    doc["$schema"] = "http://json-schema.org/draft-07/schema#";
    doc["allOf"] = {{{"$ref", "https://contracts.handover-harness.local/" + base + ".schema.json"}}};
    std::ofstream(dir.path / "handover/contract.schema.json") << doc.dump(2);
  }
  e2e::RunResult gate(std::map<std::string, std::string> env = {}) const {
    env.emplace("HANDOVER_DIAG", kDiag);
    env.emplace("HARNESS_DIR", HARNESS_SOURCE_DIR);
    return e2e::run({"/bin/bash", kGate}, env, std::chrono::seconds(60), dir.path.string());
  }
  // Only this bundled scenario in handover/scenarios, and its payload as handover/payloads/NAME;
  // the scenario's document, for more payloads built from it.
  util::Json only_scenario(const std::string& fixture, const std::string& payload_name) {
    fs::remove_all(dir.path / "handover/payloads");
    fs::remove_all(dir.path / "handover/scenarios");
    fs::create_directories(dir.path / "handover/payloads");
    fs::create_directories(dir.path / "handover/scenarios");
    auto doc = util::Json::parse(*util::read_file(kFixtures + "/" + fixture + ".json"));
    std::ofstream(dir.path / "handover/scenarios/happy.json") << doc.dump(2);
    std::ofstream(dir.path / "handover/payloads" / payload_name) << doc["inputs"]["payload"].dump(2);
    return doc;
  }
  bool has_report(const std::string& name) const { return fs::exists(dir.path / "reports/handover" / name); }
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

TEST(CiTemplates, TheCxoneProfileChecksPayloadsAndTheOverlayAgainstTheCxoneContract) {
  CognigyRepo repo;
  repo.only_scenario("cxone-signal-202-happy-path", "signal.json");
  repo.overlay(R"({"required": ["p1"]})", "cxone-signal");  // already required: compatible
  auto r = repo.gate({{"PROFILE", "cxone"}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("transferTo"), std::string::npos) << "validated against the v2 contract:\n" << r.out;
  for (const char* step : {"validate passed", "compat passed", "replay passed"})
    EXPECT_NE(r.out.find(std::string("handover-gate: ") + step), std::string::npos) << step << "\n" << r.out;
  EXPECT_EQ(util::Json::parse(repo.report("compat.json"))["old"], "cxone-signal");
}

TEST(CiTemplates, TheGenesysProfileChecksPayloadsAgainstTheGenesysContract) {
  CognigyRepo repo;
  auto payload = repo.only_scenario("genesys-202-happy-path", "transfer.json")["inputs"]["payload"];
  payload["contextData"]["confidence"] = 0.87;  // Genesys attributes are strings
  std::ofstream(repo.dir.path / "handover/payloads/number.json") << payload.dump(2);
  repo.overlay(R"({"required": ["transferTo"]})", "genesys-transfer");
  auto r = repo.gate({{"PROFILE", "genesys"}});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("ATTRIBUTE_NOT_STRING"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("handover-gate: validate FAILED"), std::string::npos) << r.out;
  for (const char* step : {"compat passed", "replay passed"})
    EXPECT_NE(r.out.find(std::string("handover-gate: ") + step), std::string::npos) << step << "\n" << r.out;
  EXPECT_EQ(util::Json::parse(repo.report("compat.json"))["old"], "genesys-transfer");
}

TEST(CiTemplates, TheGateChecksTheReleasedCognigyFlowsWithTheTeamsCases) {
  CognigyRepo repo;
  fs::remove_all(repo.dir.path / "handover/payloads");  // a team that releases flows, not samples
  const std::string data = std::string(HARNESS_SOURCE_DIR) + "/tests/data/cognigy";
  fs::copy(data + "/clone", repo.dir.path / "handover/cognigy", fs::copy_options::recursive);
  fs::copy_file(data + "/cases.json", repo.dir.path / "handover/cognigy-cases.json");
  auto r = repo.gate();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // the test project carries deliberate errors
  EXPECT_NE(r.out.find("handover-gate: validate skipped (no handover/payloads; the Cognigy flows are checked instead)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("FLOW_INVALID_ACTION"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cases: 7 passed, 0 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("handover-gate: flows FAILED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("handover-gate: replay passed"), std::string::npos) << r.out;
  EXPECT_EQ(xml_problem(repo.report("flows.junit.xml")), "");
  EXPECT_EQ(util::Json::parse(repo.report("flows.sarif"))["version"], "2.1.0");
}

TEST(CiTemplates, WithoutPayloadsTheGateSaysSoOnceAndLeavesNoEmptyReports) {
  CognigyRepo repo;
  fs::remove_all(repo.dir.path / "handover/payloads");
  auto r = repo.gate();
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  std::string what = "handover/payloads";
  std::size_t count = 0;
  for (auto at = r.err.find(what); at != std::string::npos; at = r.err.find(what, at + 1)) ++count;
  EXPECT_EQ(count, 1u) << r.err;
  EXPECT_FALSE(repo.has_report("validate.sarif"));
  EXPECT_FALSE(repo.has_report("validate.junit.xml"));
  EXPECT_NE(r.out.find("handover-gate: replay passed"), std::string::npos) << "later steps still run\n" << r.out;
}

TEST(CiTemplates, EachCommandRunsOnceForAllItsReports) {
  CognigyRepo repo;
  fs::path log = repo.dir.path / "calls.log", wrapper = repo.dir.path / "diag.sh";
  std::ofstream(wrapper) << "#!/bin/sh\necho \"$1\" >> '" << log.string() << "'\nexec '" << kDiag << "' \"$@\"\n";
  fs::permissions(wrapper, fs::perms::owner_all);
  auto r = repo.gate({{"HANDOVER_DIAG", wrapper.string()}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string calls = *util::read_file(log);
  for (const char* command : {"validate", "compat", "replay"}) {
    std::size_t count = 0;
    for (auto at = calls.find(std::string(command) + "\n"); at != std::string::npos;
         at = calls.find(std::string(command) + "\n", at + 1))
      ++count;
    EXPECT_EQ(count, 1u) << command << " ran " << count << " times:\n" << calls;
  }
  EXPECT_TRUE(repo.has_report("validate.sarif") && repo.has_report("validate.junit.xml") &&
              repo.has_report("compat.json") && repo.has_report("replay.junit.xml") && repo.has_report("replay.html"));
}

TEST(CiTemplates, WithAnOverlayABaseViolationIsAnnotatedOnce) {
  CognigyRepo repo;
  std::ofstream(repo.dir.path / "handover/payloads/broken.json")
      << R"({"transferTo":{"type":"queue","id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},"transferType":"blind",
            "wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},"contextData":{"intent":"billing","confidence":7}})";
  auto r = repo.gate();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  auto sarif = util::Json::parse(repo.report("validate.sarif"));
  std::size_t at_confidence = 0;
  for (const auto& result : sarif["runs"][0]["results"])
    if (result.dump().find("/contextData/confidence") != std::string::npos) ++at_confidence;
  EXPECT_EQ(at_confidence, 1u) << sarif["runs"][0]["results"].dump(2);
}

TEST(CiTemplates, CopiedIntoARepositoryWithoutTheHarnessItSaysWhatToSet) {
  CognigyRepo repo;
  fs::create_directories(repo.dir.path / "ci");
  fs::copy_file(kGate, repo.dir.path / "ci/handover-gate.sh");
  auto r = e2e::run({"/bin/bash", (repo.dir.path / "ci/handover-gate.sh").string()}, {{"PATH", "/usr/bin:/bin"}},
                    std::chrono::seconds(30), repo.dir.path.string());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("the harness is not found: set HARNESS_DIR"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(repo.dir.path.string() + "/ci/build.sh"), std::string::npos) << r.err;
}

TEST(CiTemplates, TheYamlTemplatesCallTheGateScript) {
  for (const char* file : {"github-actions.yml", "gitlab-ci.yml"}) {
    std::string text = *util::read_file(std::string(HARNESS_SOURCE_DIR) + "/ci/templates/" + file);
    EXPECT_NE(text.find("ci/templates/handover-gate.sh"), std::string::npos) << file;
    EXPECT_NE(text.find("ci/build.sh"), std::string::npos) << file << ": the apt install and build step";
    EXPECT_NE(text.find("reports/"), std::string::npos) << file << ": the artefact upload";
  }
}

// With a released .deb the templates skip the build: the gate installs it (the install itself is
// tested by tests/package/gate_deb_test.sh and, with apt-get on a pristine root, deb_test.sh).
TEST(CiTemplates, TheYamlTemplatesBuildOnlyWithoutAReleasedDeb) {
  std::string gh = *util::read_file(std::string(HARNESS_SOURCE_DIR) + "/ci/templates/github-actions.yml");
  EXPECT_NE(gh.find("if: vars.HARNESS_DEB == ''\n        run: bash .handover-harness/ci/build.sh"), std::string::npos)
      << gh;
  EXPECT_NE(gh.find("HARNESS_DEB: ${{ vars.HARNESS_DEB }}"), std::string::npos) << gh;
  std::string gl = *util::read_file(std::string(HARNESS_SOURCE_DIR) + "/ci/templates/gitlab-ci.yml");
  EXPECT_NE(gl.find(R"(if [ -z "$HARNESS_DEB" ]; then bash "$HARNESS_DIR/ci/build.sh")"), std::string::npos) << gl;
}

// The release workflow builds, tests and packages with the project's own scripts and attaches
// the file ci/package.sh writes; its release notes are the tag's CHANGELOG.md section.
TEST(CiTemplates, TheReleaseWorkflowAttachesThePackageToTheTag) {
  std::string text = *util::read_file(std::string(HARNESS_SOURCE_DIR) + "/ci/templates/release.yml");
  for (const char* part : {"tags: [\"v*\"]", "run: bash ci/test.sh", "run: bash ci/package.sh --test",
                           "files: build/package/*.deb", "body_path: release-notes.md", "--privileged"})
    EXPECT_NE(text.find(part), std::string::npos) << part;
  // Its notes command, run on CHANGELOG.md for the released 0.1.0: that section and no other.
  auto start = text.find("awk -v v=");
  ASSERT_NE(start, std::string::npos);
  std::string awk = text.substr(start, text.find(" > release-notes.md", start) - start);
  auto r = e2e::run({"/bin/bash", "-c", "v=0.1.0; " + awk}, {}, std::chrono::seconds(10), HARNESS_SOURCE_DIR);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.find("## ["), std::string::npos) << r.out;
  std::string changelog = *util::read_file(std::string(HARNESS_SOURCE_DIR) + "/CHANGELOG.md");
  EXPECT_EQ(changelog.find(r.out), changelog.find("## [0.1.0]") + std::string("## [0.1.0]\n").size()) << r.out;
}
