// handover-diag validate: payloads streamed through the contracts and lints, reports written
// as they go (client/validate).
#include "client/commands/commands.hpp"
#include "client/commands/common.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>

#include "client/profile.hpp"
#include "client/validate.hpp"
#include "contracts/catalogue.hpp"
#include "util/exit_codes.hpp"
#include "util/strings.hpp"

namespace client::commands {

using util::kExitFailed, util::kExitOk, util::kExitUsage;

namespace {

// Whether the inputs are known to hold less than a megabyte: regular files only (stdin and
// folders are not looked into here). Below that one thread is faster than a pool, whose
// threads cost ~1 ms to start and stop while the whole run validates in ~2 ms.
bool small_input(const std::vector<std::string>& inputs) {
  std::uintmax_t bytes = 0;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (input == "-" || !std::filesystem::is_regular_file(input, ec)) return false;
    auto size = std::filesystem::file_size(input, ec);
    if (ec) return false;
    bytes += size;
  }
  return bytes < (std::uintmax_t{1} << 20);
}

}  // namespace

int validate(const ValidateArgs& a) {
  unsigned jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::optional<client::WorkerPool> pool;                          // first: its threads start while the contracts load
  if (jobs > 1 && !small_input(a.inputs)) pool.emplace(jobs - 1);  // and this thread
  // The catalogue names the SARIF report's rules: read only when one is asked for.
  bool sarif = a.format == "sarif";
  for (const auto& [format, path] : a.reports) sarif = sarif || format == "sarif";
  std::optional<util::Result<contracts::Catalogue>> catalogue;
  if (sarif) {
    catalogue.emplace(contracts::Catalogue::builtin());
    if (!*catalogue) return usage_error((*catalogue).error().message);
  }
  const contracts::Catalogue* rules = catalogue ? &**catalogue : nullptr;
  std::vector<std::string> names = a.contracts;
  if (names.empty()) {
    auto contract = client::profile_contract(a.profile);
    if (!contract) return usage_error(contract.error().message);
    names.push_back(*contract);
  }
  auto loaded = contracts::load_contracts(names);
  if (!loaded) return usage_error(loaded.error().message);
  const std::vector<contracts::Contract>& contract_set = *loaded;
  if (auto code = probe_reports(a.reports)) return *code;
  auto reader = client::PayloadReader::open(a.inputs, a.jsonl);
  if (!reader) return usage_error(reader.error().message);
  std::vector<std::string> contract_names;
  contract_names.reserve(contract_set.size());
  for (const auto& c : contract_set) contract_names.push_back(c.name);
  std::vector<client::ValidateReport> reports;
  reports.emplace_back(a.format, contract_names, rules, color_stdout(), write_stdout);
  for (const auto& [format, path] : a.reports) reports.emplace_back(format, contract_names, rules, false);
  auto run = client::validate_stream(*reader, contract_set, pool ? &*pool : nullptr, reports);
  if (!run) return usage_error(run.error().message);
  const client::ValidateTotals& totals = *run;
  if (totals.payloads == 0) return usage_error("no payloads (*.json, *.jsonl) in " + util::join(a.inputs, ", "));
  std::size_t i = 1;
  for (const auto& [format, path] : a.reports) {
    auto& report = reports[i++];
    if (auto code = finish_file("--" + format, path, [&](const Writer& w) { return report.finish(totals, w); }))
      return *code;
  }
  if (auto st = reports[0].finish(totals, write_stdout); !st) return usage_error(st.error().message);
  return totals.invalid ? kExitFailed : kExitOk;
}

}  // namespace client::commands
