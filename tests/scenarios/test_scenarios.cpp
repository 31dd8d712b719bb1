// SPEC §4: every file in fixtures/ is a test. Each is replayed against its own embedded mock
// and must match its `expect`; adding a case is adding a file.
#include <gtest/gtest.h>

#include <filesystem>

#include "client/replay.hpp"
#include "mockserver/fixture_loader.hpp"
#include "util/file.hpp"

namespace {

std::vector<std::string> fixture_paths() {
  auto files = mockserver::fixture_files({std::string(HARNESS_SOURCE_DIR) + "/fixtures"});
  std::vector<std::string> out;
  if (files)
    for (const auto& f : *files) out.push_back(f.string());
  return out;
}

const contracts::Catalogue& catalogue() {
  static const contracts::Catalogue c = util::value_or_throw(contracts::Catalogue::builtin());
  return c;
}

class Scenario : public ::testing::TestWithParam<std::string> {};

TEST_P(Scenario, ReplayMatchesExpect) {
  auto fixture = mockserver::load_fixture(GetParam());
  ASSERT_TRUE(fixture) << fixture.error().message;
  ASSERT_TRUE(fixture->expect) << GetParam() << " has no expect block";
  auto outcome = client::replay_fixture(*fixture, catalogue(), client::ReplayOptions{});
  ASSERT_TRUE(outcome.input_error.empty()) << outcome.input_error;
  std::string diffs;
  for (const auto& d : outcome.differences) diffs += "\n  " + d;
  EXPECT_TRUE(outcome.passed) << GetParam() << diffs;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string stem = std::filesystem::path(info.param).stem().string();
  for (auto& c : stem)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return stem;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Scenario, ::testing::ValuesIn(fixture_paths()), test_name);

TEST(ScenarioSuite, FindsTheBundledFixtures) { EXPECT_GE(fixture_paths().size(), 13u); }

// The suite must be able to fail: the same scenario with a wrong expectation does not pass.
TEST(ScenarioSuite, WrongExpectationFails) {
  std::string path = std::string(HARNESS_SOURCE_DIR) + "/fixtures/transfer-422-wrapup-not-found.json";
  auto text = util::read_file(path);
  ASSERT_TRUE(text);
  std::string edited = *text;
  auto at = edited.find("\"classification\": \"WRAPUP_CODE_NOT_FOUND\"");
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, std::string("\"classification\": \"WRAPUP_CODE_NOT_FOUND\"").size(),
                 "\"classification\": \"INVALID_TRANSFER_TARGET\"");
  auto fixture = mockserver::parse_fixture(edited, path);
  ASSERT_TRUE(fixture) << fixture.error().message;
  auto outcome = client::replay_fixture(*fixture, catalogue(), client::ReplayOptions{});
  EXPECT_FALSE(outcome.passed);
  ASSERT_FALSE(outcome.differences.empty());
  EXPECT_NE(outcome.differences[0].find("expected INVALID_TRANSFER_TARGET, got WRAPUP_CODE_NOT_FOUND"),
            std::string::npos);
}

// A request the fixture does not answer makes the scenario fail even if the code matches.
TEST(ScenarioSuite, UnmatchedRequestFailsTheScenario) {
  std::string path = std::string(HARNESS_SOURCE_DIR) + "/fixtures/transfer-422-wrapup-not-found.json";
  auto fixture = mockserver::load_fixture(path);
  ASSERT_TRUE(fixture);
  // Drop the queue look-up: the client's GET now misses.
  auto& xs = fixture->interactions;
  xs.erase(std::remove_if(xs.begin(), xs.end(), [](const auto& i) { return i.id == "get-queue"; }), xs.end());
  auto outcome = client::replay_fixture(*fixture, catalogue(), client::ReplayOptions{});
  EXPECT_FALSE(outcome.passed);
  bool named = false;
  for (const auto& d : outcome.differences)
    named = named || d.find("unmatched request: GET /api/v2/routing/queues/") == 0;
  EXPECT_TRUE(named);
}

}  // namespace
