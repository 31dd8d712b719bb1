// End to end, handover-diag replay and explain: the bundled scenarios, errored files, wrong
// expectations, report formats, the code catalogue, unknown flags.
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
