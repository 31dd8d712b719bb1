// End to end, replay at CI scale: shards, filters, parallel jobs, JUnit and HTML reports.
#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <set>

#include "e2e_support.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"
#include "xml_check.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

std::vector<std::string> scenario_names(const std::string& json_report) {
  std::vector<std::string> out;
  util::Json doc = util::Json::parse(json_report);  // kept alive for the loop
  for (const auto& s : doc["scenarios"]) out.push_back(s["name"]);
  return out;
}

std::size_t bundled_count() { return bundled_scenarios().size(); }

}  // namespace

TEST(ReplayScale, ShardsOfTheLibraryCoverEveryScenarioExactlyOnce) {
  std::multiset<std::string> seen;
  for (int i = 1; i <= 3; ++i) {
    auto r = e2e::run({kDiag, "replay", kFixtures, "--shard", std::to_string(i) + "/3", "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.out;
    for (auto& n : scenario_names(r.out)) seen.insert(n);
  }
  EXPECT_EQ(seen.size(), bundled_count());
  for (const auto& n : seen) EXPECT_EQ(seen.count(n), 1u) << n;
}

TEST(ReplayScale, ParallelJobsGiveTheSameOutcomesInTheSameOrder) {
  auto one = e2e::run({kDiag, "replay", kFixtures, "--jobs", "1", "--format", "json"});
  auto four = e2e::run({kDiag, "replay", kFixtures, "--jobs", "4", "--format", "json"});
  EXPECT_EQ(one.exit_code, 0);
  EXPECT_EQ(four.exit_code, 0);
  EXPECT_EQ(scenario_names(one.out), scenario_names(four.out));
  EXPECT_EQ(util::Json::parse(four.out)["passed"], bundled_count());
}

TEST(ReplayScale, TagAndNameFilters) {
  auto cx = e2e::run({kDiag, "replay", kFixtures, "--tag", "cxone", "--format", "json"});
  EXPECT_EQ(cx.exit_code, 0);
  for (const auto& n : scenario_names(cx.out)) EXPECT_TRUE(n.starts_with("cxone-")) << n;
  EXPECT_GE(scenario_names(cx.out).size(), 6u);
  auto named = e2e::run({kDiag, "replay", kFixtures, "--name", "transfer-4*", "--name", "auth-*", "--format", "json"});
  EXPECT_EQ(scenario_names(named.out).size(), 6u) << named.out;
  auto none = e2e::run({kDiag, "replay", kFixtures, "--tag", "no-such-tag"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no scenario matches"), std::string::npos) << none.err;
  auto bad = e2e::run({kDiag, "replay", kFixtures, "--shard", "3/2"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(ReplayScale, JunitIsWellFormedWithOneTestcasePerScenarioAndTheFailures) {
  TempDir dir;
  auto fx = util::Json::parse(*util::read_file(kFixtures + "/transfer-422-wrapup-not-found.json"));
  fx["expect"] = {{"classification", "OK"}};
  std::ofstream(dir.path / "drifted.json") << fx.dump(2);
  fs::copy_file(kFixtures + "/transfer-202-happy-path.json", dir.path / "happy.json");
  fs::path out = dir.path / "report.xml";
  auto r = e2e::run({kDiag, "replay", dir.path.string(), "--format", "junit", "--output", out.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "") << "the report went to --output";
  std::string xml = *util::read_file(out);
  EXPECT_EQ(xml_problem(xml), "") << xml;
  EXPECT_NE(xml.find("tests=\"2\" failures=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure type=\"WRAPUP_CODE_NOT_FOUND\" message=\"expected OK, got WRAPUP_CODE_NOT_FOUND\""),
            std::string::npos)
      << xml;
}

TEST(ReplayScale, HtmlIsOneSelfContainedFileWithEveryScenario) {
  TempDir dir;
  fs::path out = dir.path / "report.html";
  auto r = e2e::run({kDiag, "replay", kFixtures, "--format", "html", "--output", out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string html = *util::read_file(out);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find("</html>"), std::string::npos);
  for (const char* external : {"src=", "href=\"http", "@import", "url("})
    EXPECT_EQ(html.find(external), std::string::npos) << "external reference " << external;
  for (const auto& f : bundled_scenarios()) {
    auto name = util::Json::parse(*util::read_file(f))["name"].get<std::string>();
    EXPECT_NE(html.find(">" + name + "</h2>"), std::string::npos) << name;
  }
  EXPECT_NE(html.find("valid against transfer and the Cognigy lints"), std::string::npos) << "steps are in it";
}
