// replay: every scenario file is served by its own in-process mock on an OS-chosen loopback
// port, diagnose runs with the scenario's inputs, and the result is compared with `expect`.
#pragma once

#include <string>
#include <vector>

#include "client/diagnose.hpp"
#include "contracts/catalogue.hpp"
#include "mockserver/fixture.hpp"

namespace client {

struct ReplayOptions {
  long timeout_ms = 5000;  // per HTTP exchange with the embedded mock
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

// Text lines (one per scenario, then "N passed, M failed") and the JSON document.
std::string render_replay_text(const std::vector<ScenarioOutcome>& outcomes, bool color);
std::string render_replay_json(const std::vector<ScenarioOutcome>& outcomes);

}  // namespace client
