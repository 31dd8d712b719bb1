// handover-diag diagnose: the configuration resolved, the run, its report on stdout, the
// saved scenario (--save-fixture).
#include "client/commands/commands.hpp"
#include "client/commands/common.hpp"

#include <filesystem>
#include <iostream>
#include <iterator>

#include "client/config.hpp"
#include "client/diagnose.hpp"
#include "client/report.hpp"
#include "client/save_fixture.hpp"
#include "contracts/catalogue.hpp"
#include "util/exit_codes.hpp"
#include "util/redact.hpp"

namespace client::commands {

using util::kExitFailed, util::kExitOk, util::kExitUsage;

int diagnose(const DiagnoseArgs& a) {
  auto catalogue = contracts::Catalogue::builtin();
  if (!catalogue) return usage_error(catalogue.error().message);
  auto profile = client::load_profile(a.profile);
  if (!profile) return usage_error(profile.error().message);
  auto loaded =
      contracts::load_contracts(a.contracts.empty() ? std::vector<std::string>{profile->contract} : a.contracts);
  if (!loaded) return usage_error(loaded.error().message);
  const std::vector<contracts::Contract>& contract_set = *loaded;
  for (const auto& p : a.redact)
    if (!util::is_json_pointer(p) || p.empty())
      return usage_error("--redact \"" + p +
                         "\": not a JSON pointer (RFC 6901: /contextData/customerName, not contextData.customerName)");
  // Every output path is checked before the first request: with --execute the transfer is sent
  // once, and a run whose reproduction cannot be written is lost.
  if (!a.save_fixture.empty())
    if (auto st = util::probe_writable(a.save_fixture); !st) return usage_error("--save-fixture " + st.error().message);
  client::ConfigInputs inputs;
  inputs.flags = a.flags;
  inputs.getenv = [](const char* n) { return std::getenv(n); };
  inputs.env_file = a.env_file;
  inputs.env_file_explicit = a.env_file_explicit;
  client::Config cfg = client::resolve_config(inputs);
  cfg.execute = a.execute;
  cfg.insecure = a.insecure;
  cfg.redact_pointers = a.redact;
  if (!a.payload_file.empty()) {
    auto text = a.payload_file == "-"
                    ? util::Result<std::string>(std::string(std::istreambuf_iterator<char>(std::cin), {}))
                    : util::read_file(a.payload_file, 16u << 20);
    if (!text) return usage_error("--payload " + text.error().message);
    cfg.payload_text = std::move(*text);
    cfg.payload_source = a.payload_file == "-" ? "stdin" : a.payload_file;
  }
  if (a.insecure)
    std::cerr << "handover-diag: warning: --insecure: TLS certificates are not verified; credentials can be read by "
                 "anyone on the path\n";
  client::TransportOptions topts;
  topts.timeout_ms = a.timeout_ms;
  topts.connect_timeout_ms = std::min(a.timeout_ms, a.connect_timeout_ms);
  topts.cacert = a.cacert;
  topts.insecure = a.insecure;
  auto transport = client::make_transport(topts);
  client::SystemClock clock;
  client::DiagnoseContext ctx{*transport, clock, *catalogue, *profile, contract_set};
  if (a.verbose) {
    ctx.trace = [](const client::Exchange& x, bool done, const util::Redactor& redactor) {
      std::cerr << client::render_exchange(x, done, redactor) << (done ? "\n" : "") << std::flush;
    };
  }
  client::DiagnoseReport report = client::run_diagnose(cfg, ctx);
  // The result of what was sent is printed whatever happens to the saved copy.
  if (a.format == "json")
    std::cout << client::render_json(report);
  else if (a.format == "junit")
    std::cout << client::render_junit(report);
  else
    std::cout << client::render_text(report, client::TextStyle{color_stdout()});
  std::cout.flush();
  for (const auto& w : report.warnings) std::cerr << "handover-diag: warning: " << w << "\n";
  if (!a.save_fixture.empty()) {
    std::string name = std::filesystem::path(a.save_fixture).stem().string();
    auto scenario = client::scenario_from_run(report, cfg, *profile, a.profile, name.empty() ? "recorded" : name);
    if (auto st = util::write_file_atomic(a.save_fixture, client::scenario_text(scenario, report)); !st)
      return usage_error("--save-fixture " + st.error().message);
    std::cerr << "handover-diag: saved the run as " << a.save_fixture << " (" << report.exchanges.size()
              << " exchanges; replay it with: handover-diag replay " << a.save_fixture << ")\n";
  }
  return client::exit_code_for(report);
}

}  // namespace client::commands
