// replay: every scenario file is served by its own in-process mock on an OS-chosen loopback
// port, diagnose runs with the scenario's inputs, and the result is compared with `expect`.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "client/diagnose.hpp"
#include "contracts/catalogue.hpp"
#include "mockserver/fixture.hpp"

namespace client {

struct ReplayOptions {
  long timeout_ms = 5000;  // per HTTP exchange with the embedded mock
  // replay --mock URL: a running cxone-mock serving the scenarios instead of an embedded one;
  // each scenario is reset, run through URL/__scenario/NAME/ and checked through the admin API
  // (with admin_token, when the mock wants one).
  std::string mock_url;
  std::string admin_token;
};

struct ScenarioOutcome {
  std::string name;
  std::string file;
  bool passed = false;
  std::string input_error;  // the scenario could not be run (bad profile or contract name)
  std::string expected;     // "CODE" or "CODE@step"
  std::string actual;
  std::vector<std::string> differences;
  DiagnoseReport report;
  double duration_ms = 0;
};

ScenarioOutcome replay_fixture(const mockserver::Fixture& fixture, const contracts::Catalogue& catalogue,
                               const ReplayOptions& options);

// Which scenarios a run takes: --tag (any of them), --name (shell globs on the scenario name or
// file name, any of them), then --shard i/N (round robin over what is left, in file order, so the
// N shards of a CI matrix cover every selected scenario exactly once).
struct ReplaySelection {
  std::vector<std::string> tags;
  std::vector<std::string> names;
  int shard_index = 1;  // 1-based
  int shard_count = 1;
};
std::vector<const mockserver::Fixture*> select_scenarios(const std::vector<mockserver::Fixture>& fixtures,
                                                         const ReplaySelection& selection);
// "2/4" -> {2, 4}; an error names what is wrong.
util::Result<std::pair<int, int>> parse_shard(const std::string& text);

// What a run needs to know of its scenario files before running them: each file loaded once
// (on `jobs` threads), keeping only name, file, tags and expect (for selection and the reports'
// columns); a file that does not load becomes an errored outcome at its place (file index).
struct ScenarioList {
  std::vector<mockserver::Fixture> scenarios;
  std::vector<std::pair<std::size_t, ScenarioOutcome>> unloadable;
};
ScenarioList list_scenarios(const std::vector<std::filesystem::path>& files, unsigned jobs);

// Runs the scenarios on `jobs` threads (each on its own mock), streamed: each scenario's file is
// loaded (again) when its turn comes and dropped once its outcome is handed to `done`, which is
// called in input order (from whichever thread finished the outcome that was next, never two at
// once); at most `window` outcomes wait for an earlier one, so memory does not grow with the
// number of scenarios. A file that no longer loads
// gives an outcome with its input_error.
void replay_stream(const std::vector<const mockserver::Fixture*>& scenarios, const contracts::Catalogue& catalogue,
                   const ReplayOptions& options, unsigned jobs,
                   const std::function<void(std::size_t index, ScenarioOutcome&& outcome)>& done,
                   const std::function<void(std::size_t, std::size_t, std::size_t)>& progress = {},
                   std::size_t window = 64);

// replay_stream over a ScenarioList's picked scenarios, with the outcomes of the files that did
// not load handed on where they stand: `consume` sees every outcome in file order (files: the
// list the ScenarioList was made from).
void replay_in_file_order(const std::vector<std::filesystem::path>& files,
                          const std::vector<const mockserver::Fixture*>& picked,
                          std::vector<std::pair<std::size_t, ScenarioOutcome>> unloadable,
                          const contracts::Catalogue& catalogue, const ReplayOptions& options, unsigned jobs,
                          const std::function<void(ScenarioOutcome&&)>& consume,
                          const std::function<void(std::size_t, std::size_t, std::size_t)>& progress = {});

// The text report's columns: the widest scenario name and expected label of the run.
struct ReplayColumns {
  std::size_t name = 8, expected = 8;
};
ReplayColumns replay_columns(const std::vector<const mockserver::Fixture*>& picked,
                             const std::vector<std::pair<std::size_t, ScenarioOutcome>>& unloadable);

}  // namespace client
