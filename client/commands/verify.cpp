// handover-diag verify: the scenarios loaded, the run against --target, its report on stdout
// (or --output); exit 1 when an answer drifted or the token could not be had.
#include <cstdlib>
#include <iostream>

#include "client/commands/commands.hpp"
#include "client/commands/common.hpp"
#include "client/config.hpp"
#include "client/report.hpp"
#include "client/verify.hpp"
#include "contracts/catalogue.hpp"
#include "mockserver/fixture_loader.hpp"
#include "util/exit_codes.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace client::commands {

int verify(const VerifyArgs& a) {
  auto loaded = load_scenarios(a.paths);
  if (!loaded) return usage_error(loaded.error().message);
  const std::vector<mockserver::Fixture>& fixtures = *loaded;
  if (!a.output.empty())
    if (auto st = util::probe_writable(a.output); !st) return usage_error("--output " + st.error().message);
  auto catalogue = contracts::Catalogue::builtin();
  if (!catalogue) return usage_error(catalogue.error().message);
  auto profile = client::load_profile(a.profile_given ? a.common.profile : fixtures.front().profile);
  if (!profile) return usage_error(profile.error().message);
  auto contract_set = contracts::load_contracts({profile->contract});
  if (!contract_set) return usage_error(contract_set.error().message);
  client::ConfigInputs inputs;
  inputs.flags = a.common.flags;
  if (!a.target.empty()) inputs.flags[client::kBaseUrl] = a.target;
  inputs.getenv = [](const char* n) { return std::getenv(n); };
  inputs.env_file = a.common.env_file;
  inputs.env_file_explicit = a.common.env_file_explicit;
  client::Config cfg = client::resolve_config(inputs);
  cfg.execute = a.common.execute;
  cfg.insecure = a.common.insecure;
  // What the configuration leaves open comes from the first scenario's inputs: verify needs the
  // target and credentials; the IDs are in each recorded request already.
  const auto& in = fixtures.front().inputs;
  auto fill = [&](std::string& value, const char* key) {
    if (value.empty() && in.contains(key) && in[key].is_string()) value = in[key].get<std::string>();
  };
  fill(cfg.conversation_id, "conversationId");
  fill(cfg.queue_id, "queueId");
  fill(cfg.wrapup_id, "wrapupCodeId");
  fill(cfg.participant_id, "participantId");
  if (!cfg.payload_text && in.contains("payload")) {
    cfg.payload_text = util::dump_line(in["payload"]);
    cfg.payload_source = "the scenario's inputs.payload";
  }
  if (a.common.insecure)
    std::cerr << "handover-diag: warning: --insecure: TLS certificates are not verified; credentials can be read by "
                 "anyone on the path\n";
  client::TransportOptions topts;
  topts.timeout_ms = a.common.timeout_ms;
  topts.connect_timeout_ms = std::min(a.common.timeout_ms, a.common.connect_timeout_ms);
  topts.cacert = a.common.cacert;
  topts.insecure = a.common.insecure;
  auto transport = client::make_transport(topts);
  client::SystemClock clock;
  client::DiagnoseContext ctx{*transport, clock, *catalogue, *profile, *contract_set};
  if (a.common.verbose)
    ctx.trace = [](const client::Exchange& x, bool done, const util::Redactor& redactor) {
      std::cerr << client::render_exchange(x, done, redactor) << (done ? "\n" : "") << std::flush;
    };
  client::VerifyOptions options{a.common.execute, a.strict_values, a.interactions, a.provider_states_setup_url};
  client::VerifyReport report = client::verify_fixtures(cfg, ctx, fixtures, options);
  const std::string& f = a.common.format;
  std::string text = f == "json"    ? client::render_verify_json(report)
                     : f == "junit" ? client::render_verify_junit(report)
                                    : client::render_verify_text(report);
  if (!a.output.empty()) {
    if (auto st = util::write_file_atomic(a.output, text); !st) return usage_error("--output " + st.error().message);
  } else {
    std::cout << text;
  }
  return report.exit_code() == 0 ? util::kExitOk : util::kExitFailed;
}

}  // namespace client::commands
