// Replay reports: the text lines, the JSON document, JUnit XML (one testcase per scenario) and
// one self-contained HTML file (summary, then per scenario its steps, evidence, violations and
// expected vs actual). Every renderer masks the runs' secrets.
#pragma once

#include <string>
#include <vector>

#include "client/replay.hpp"

namespace client {

std::string render_replay_text(const std::vector<ScenarioOutcome>& outcomes, bool color);
std::string render_replay_json(const std::vector<ScenarioOutcome>& outcomes);
std::string render_replay_junit(const std::vector<ScenarioOutcome>& outcomes);
std::string render_replay_html(const std::vector<ScenarioOutcome>& outcomes);

}  // namespace client
