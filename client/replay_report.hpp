// Replay reports: the text lines, the JSON document, JUnit XML (one testcase per scenario) and
// one self-contained HTML file (summary, then per scenario its steps, evidence, violations and
// expected vs actual). Every renderer masks the runs' secrets.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "client/replay.hpp"
#include "util/file.hpp"
#include "util/result.hpp"

namespace client {

// One replay report, streamed: each outcome's part rendered (masked with its own scenario's
// secrets) as it comes and kept in a util::Spill, the totals written at the end, so a run of any
// size holds one outcome at a time. text is written straight through `direct` when given.
// name_width/expected_width: the text columns (the longest name and expected label of the run).
class ReplayReport {
 public:
  ReplayReport(std::string format, bool color, std::size_t name_width, std::size_t expected_width,
               std::function<util::Status(std::string_view)> direct = nullptr);
  util::Status add(const ScenarioOutcome& outcome);
  util::Status finish(const std::function<util::Status(std::string_view)>& write);

 private:
  util::Status text_part(const ScenarioOutcome& o);
  util::Status html_part(const ScenarioOutcome& o);
  std::string format_;
  bool color_;
  std::size_t name_width_, expected_width_;
  std::function<util::Status(std::string_view)> direct_;
  std::size_t count_ = 0, passed_ = 0, failures_ = 0, errors_ = 0;
  double total_ms_ = 0;
  // Up to 4 MB each in memory (HTML keeps four), the rest in temporary files.
  static constexpr std::size_t kInMemory = 4u << 20;
  util::Spill parts_{kInMemory};
  util::Spill passed_rows_{kInMemory}, passed_sections_{kInMemory};  // html: failures first, then these
  util::Spill failed_sections_{kInMemory};
};

// The same for a whole list at once.
std::string render_replay_text(const std::vector<ScenarioOutcome>& outcomes, bool color);
std::string render_replay_json(const std::vector<ScenarioOutcome>& outcomes);
std::string render_replay_junit(const std::vector<ScenarioOutcome>& outcomes);
std::string render_replay_html(const std::vector<ScenarioOutcome>& outcomes);

}  // namespace client
