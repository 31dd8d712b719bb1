// handover-diag replay: the scenarios selected, run on embedded mocks, and the outcomes
// rendered into every report as they come (client/replay, client/replay_report).
#include "client/commands/commands.hpp"
#include "client/commands/common.hpp"

#include <unistd.h>
#include <cstdlib>

#include <iostream>
#include <optional>
#include <thread>
#include <tuple>

#include "client/replay.hpp"
#include "client/replay_report.hpp"
#include "contracts/catalogue.hpp"
#include "mockserver/fixture_loader.hpp"
#include "util/exit_codes.hpp"
#include "util/strings.hpp"

namespace client::commands {

using util::kExitFailed, util::kExitOk, util::kExitUsage;

namespace {

// The selection the flags make (--tag, --name, --shard), or the usage error's exit code.
std::optional<int> selection_from(const ReplayArgs& a, ReplaySelection& selection) {
  selection.tags = a.tags;
  selection.names = a.names;
  if (!a.shard.empty()) {
    auto shard = parse_shard(a.shard);
    if (!shard) return usage_error(shard.error().message);
    std::tie(selection.shard_index, selection.shard_count) = *shard;
  }
  return std::nullopt;
}

// The main report (stdout, or --output) first, then one per report file.
std::vector<ReplayReport> open_reports(const ReplayArgs& a, const ReplayColumns& columns) {
  std::vector<ReplayReport> reports;
  reports.emplace_back(a.format, a.output.empty() && color_stdout(), columns.name, columns.expected,
                       a.output.empty() ? Writer(write_stdout) : nullptr);
  for (const auto& [format, path] : a.reports) reports.emplace_back(format, false, columns.name, columns.expected);
  return reports;
}

std::optional<int> finish_reports(const ReplayArgs& a, std::vector<ReplayReport>& reports) {
  std::size_t k = 1;
  for (const auto& [format, path] : a.reports) {
    auto& report = reports[k++];
    if (auto code = finish_file("--" + format, path, [&](const Writer& w) { return report.finish(w); })) return code;
  }
  if (!a.output.empty())
    return finish_file("--output", a.output, [&](const Writer& w) { return reports[0].finish(w); });
  if (auto st = reports[0].finish(write_stdout); !st) return usage_error(st.error().message);
  return std::nullopt;
}

}  // namespace

int replay(const ReplayArgs& a) {
  auto catalogue = contracts::Catalogue::builtin();
  if (!catalogue) return usage_error(catalogue.error().message);
  ReplaySelection selection;
  if (auto code = selection_from(a, selection)) return *code;
  if (!a.output.empty())
    if (auto st = util::probe_writable(a.output); !st) return usage_error("--output " + st.error().message);
  if (auto code = probe_reports(a.reports)) return *code;
  if (!a.mock_url.empty() && !a.mock_url.starts_with("http://") && !a.mock_url.starts_with("https://"))
    return usage_error("--mock \"" + a.mock_url + "\" must start with http:// or https://");
  auto files = mockserver::fixture_files(a.paths);
  if (!files) return usage_error(files.error().message);
  if (files->empty()) return usage_error("no scenario files (*.json) found in " + util::join(a.paths, ", "));
  // A file that cannot be loaded is an errored scenario in every report; the others still run
  // (reported by the first shard only, so a CI matrix reports it once). Only what selection and
  // the reports' columns need is kept from this first load: each scenario is loaded again when it
  // runs and dropped after, so memory does not grow with the number of scenarios.
  unsigned jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  auto [fixtures, unloadable] = list_scenarios(*files, jobs);
  for (const auto& [_, o] : unloadable) std::cerr << "handover-diag: " << o.input_error << "\n";
  if (selection.shard_index != 1) unloadable.clear();
  auto picked = select_scenarios(fixtures, selection);
  if (picked.empty() && unloadable.empty() && selection.shard_count == 1)
    return usage_error("no scenario matches the --tag/--name filters (" + std::to_string(fixtures.size()) + " loaded)");
  auto reports = open_reports(a, replay_columns(picked, unloadable));
  bool input_error = false, failed = false;
  util::Status written;
  auto consume = [&](ScenarioOutcome&& o) {
    input_error = input_error || !o.input_error.empty();
    failed = failed || !o.passed;
    for (auto& r : reports)
      if (written) written = r.add(o);
  };
  // A progress line on a terminal only (stderr), rewritten in place.
  auto progress = [](std::size_t done, std::size_t total, std::size_t failed_so_far) {
    std::cerr << "\r" << done << "/" << total << " scenarios, " << failed_so_far << " failed"
              << (done == total ? "\n" : "") << std::flush;
  };
  ReplayOptions options{.timeout_ms = a.timeout_ms, .mock_url = a.mock_url, .admin_token = {}};
  while (!options.mock_url.empty() && options.mock_url.back() == '/') options.mock_url.pop_back();
  if (const char* token = std::getenv("CXONE_MOCK_ADMIN_TOKEN"); token && !a.mock_url.empty())
    options.admin_token = token;
  replay_in_file_order(
      *files, picked, std::move(unloadable), *catalogue, options, jobs, consume,
      isatty(STDERR_FILENO) ? std::function<void(std::size_t, std::size_t, std::size_t)>(progress) : nullptr);
  if (!written) return usage_error(written.error().message);
  if (auto code = finish_reports(a, reports)) return *code;
  return input_error ? kExitUsage : failed ? kExitFailed : kExitOk;
}

}  // namespace client::commands
