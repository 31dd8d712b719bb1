// Scenario selection for replay at CI scale: tags, name globs, shards.
#include <gtest/gtest.h>

#include <set>

#include "client/replay.hpp"
#include "client/replay_report.hpp"
#include "mockserver/fixture_loader.hpp"

namespace {

std::vector<mockserver::Fixture> library(int n) {
  std::vector<mockserver::Fixture> out;
  for (int i = 0; i < n; ++i) {
    mockserver::Fixture f;
    f.name = "scenario-" + std::to_string(i);
    f.file = "fixtures/" + f.name + ".json";
    f.tags = {i % 2 ? "odd" : "even", i % 5 == 0 ? "five" : "other"};
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<std::string> names(const std::vector<const mockserver::Fixture*>& picked) {
  std::vector<std::string> out;
  for (const auto* f : picked) out.push_back(f->name);
  return out;
}

}  // namespace

TEST(ReplaySelection, ShardsCoverEverySelectedScenarioExactlyOnce) {
  auto lib = library(103);
  for (int n : {1, 2, 3, 7, 103, 150}) {
    std::multiset<std::string> seen;
    std::size_t largest = 0, smallest = 1000;
    for (int i = 1; i <= n; ++i) {
      client::ReplaySelection sel;
      sel.shard_index = i;
      sel.shard_count = n;
      auto picked = names(client::select_scenarios(lib, sel));
      largest = std::max(largest, picked.size());
      smallest = std::min(smallest, picked.size());
      seen.insert(picked.begin(), picked.end());
    }
    EXPECT_EQ(seen.size(), lib.size()) << n << " shards";
    for (const auto& f : lib) EXPECT_EQ(seen.count(f.name), 1u) << f.name << " with " << n << " shards";
    EXPECT_LE(largest - smallest, 1u) << "shards are balanced";
  }
}

TEST(ReplaySelection, TagsAndNamesFilterBeforeSharding) {
  auto lib = library(20);
  client::ReplaySelection sel;
  sel.tags = {"five"};
  EXPECT_EQ(names(client::select_scenarios(lib, sel)),
            (std::vector<std::string>{"scenario-0", "scenario-5", "scenario-10", "scenario-15"}));
  sel.tags = {"five", "odd"};  // any of them
  EXPECT_EQ(client::select_scenarios(lib, sel).size(), 12u);
  sel.tags.clear();
  sel.names = {"scenario-1?"};
  EXPECT_EQ(client::select_scenarios(lib, sel).size(), 10u);
  sel.names = {"scenario-3.json"};  // the file name works too
  EXPECT_EQ(names(client::select_scenarios(lib, sel)), std::vector<std::string>{"scenario-3"});
  sel.names = {"scenario-1*"};
  sel.shard_index = 2;
  sel.shard_count = 2;
  EXPECT_EQ(names(client::select_scenarios(lib, sel)),
            (std::vector<std::string>{"scenario-10", "scenario-12", "scenario-14", "scenario-16", "scenario-18"}));
}

TEST(ReplaySelection, ShardSyntax) {
  EXPECT_EQ(*client::parse_shard("2/4"), (std::pair<int, int>{2, 4}));
  EXPECT_EQ(*client::parse_shard("1/1"), (std::pair<int, int>{1, 1}));
  for (const char* bad : {"0/4", "5/4", "2", "a/b", "/", "2/", "-1/3", "1/0", "99999999/3"}) {
    auto r = client::parse_shard(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("expected i/N"), std::string::npos);
  }
}

TEST(ReplayReports, EveryFormatMasksEachScenariosSecretsInItsOwnPart) {
  // Each scenario's part of a report is masked with its own run's secrets (linear in the number
  // of scenarios, where masking the whole report with all of them was quadratic).
  std::vector<client::ScenarioOutcome> outcomes(3);
  for (int i = 0; i < 3; ++i) {
    auto& o = outcomes[i];
    o.name = "scenario-" + std::to_string(i);
    o.file = o.name + ".json";
    o.expected = "OK";
    std::string secret = "s3cret-value-of-scenario-" + std::to_string(i);
    o.report.redactor.add_secret(secret);
    o.actual = "UNCLASSIFIED";  // failed, so the differences and the failure body are in every format
    o.differences = {"the tenant echoed " + secret};
    o.report.remediation = {"rotate " + secret};
    o.report.classification = "UNCLASSIFIED";
  }
  for (const auto& report : {client::render_replay_json(outcomes), client::render_replay_junit(outcomes),
                             client::render_replay_html(outcomes)}) {
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(report.find("s3cret-value-of-scenario-" + std::to_string(i)), std::string::npos) << report;
      EXPECT_NE(report.find("scenario-" + std::to_string(i)), std::string::npos);
    }
  }
  auto doc = util::Json::parse(client::render_replay_json(outcomes));
  EXPECT_EQ(doc["scenarios"].size(), 3u);
  EXPECT_EQ(doc["failed"], 3);
  EXPECT_EQ(util::Json::parse(client::render_replay_json({}))["scenarios"].size(), 0u);
}

TEST(ReplayStream, OutcomesComeInInputOrderWithinTheWindowAndAVanishedFileIsAnError) {
  // Scenarios are loaded again when they run: a file gone since the first load is an errored
  // outcome in its place; outcomes reach the caller in input order, whatever finished first.
  auto files = mockserver::fixture_files({std::string(HARNESS_SOURCE_DIR) + "/fixtures"});
  ASSERT_TRUE(files);
  std::vector<mockserver::Fixture> metas;
  for (const auto& f : *files) {
    mockserver::Fixture meta;
    meta.file = f;
    meta.name = f.stem().string();
    metas.push_back(std::move(meta));
  }
  mockserver::Fixture gone;
  gone.file = "/nonexistent/gone.json";
  gone.name = "gone";
  metas.insert(metas.begin() + 3, gone);
  std::vector<const mockserver::Fixture*> picked;
  for (const auto& m : metas) picked.push_back(&m);
  auto catalogue = util::value_or_throw(contracts::Catalogue::builtin());
  for (std::size_t window : {1u, 4u, 64u}) {
    std::vector<std::size_t> seen;
    std::vector<std::string> names;
    client::replay_stream(
        picked, catalogue, client::ReplayOptions{}, 2,
        [&](std::size_t i, client::ScenarioOutcome&& o) {
          seen.push_back(i);
          names.push_back(o.name);
          if (i == 3)
            EXPECT_NE(o.input_error.find("gone.json"), std::string::npos) << o.input_error;
          else
            EXPECT_TRUE(o.input_error.empty()) << o.name << ": " << o.input_error;
        },
        {}, window);
    ASSERT_EQ(seen.size(), picked.size()) << "window " << window;
    for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i) << "window " << window;
    EXPECT_EQ(names[3], "gone");
  }
}
