// handover-diag: argument parsing only; each command is client/commands/.
#include <CLI/CLI.hpp>

#include <initializer_list>
#include <iostream>
#include <map>
#include <string>
#include <utility>

#include "client/commands/commands.hpp"
#include "client/config.hpp"
#include "util/cli.hpp"
#include "util/cli_docs.hpp"
#include "util/version.hpp"

namespace {

namespace commands = client::commands;

// --json FILE, --junit FILE ...: a report file per format, beside what stdout shows.
void add_report_options(CLI::App* cmd, commands::ReportFiles& files,
                        std::initializer_list<std::pair<const char*, const char*>> formats) {
  for (const auto& [format, help] : formats) {
    std::string f = format;
    cmd->add_option_function<std::string>(
        "--" + f, [&files, f](const std::string& path) { files[f] = path; }, help);
  }
}

// The configuration flags diagnose and verify share (each also read from its variable).
void add_config_flags(CLI::App* cmd, std::map<std::string, std::string>& flags) {
  auto flag = [&](const char* name, const char* env, const char* help) {
    cmd->add_option_function<std::string>(
        name, [&flags, env](const std::string& v) { flags[env] = v; }, help);
  };
  flag("--client-id", client::kClientId, "OAuth client ID (CXONE_CLIENT_ID)");
  flag("--client-secret", client::kClientSecret, "OAuth client secret (CXONE_CLIENT_SECRET)");
  flag("--environment", client::kEnvironment, "CXone environment, e.g. mypurecloud.com (CXONE_ENVIRONMENT)");
  flag("--base-url", client::kBaseUrl, "API base URL, overrides the environment (CXONE_BASE_URL)");
  flag("--conversation", client::kConversation, "conversation ID (TEST_CONVERSATION_ID)");
  flag("--queue", client::kQueue, "target queue ID (TARGET_QUEUE_ID)");
  flag("--wrapup", client::kWrapup, "wrap-up code ID (WRAPUP_CODE_ID)");
  flag("--login-url", client::kLoginUrl,
       "token host, profile genesys (default https://login.{environment}; with --base-url: the base URL) (LOGIN_URL)");
  flag("--participant", client::kParticipant,
       "participant to replace, profile genesys (default: the bot's leg the conversation shows) (TEST_PARTICIPANT_ID)");
  flag("--access-key-id", client::kAccessKeyId, "CXone access key ID, profile cxone (CXONE_ACCESS_KEY_ID)");
  flag("--access-key-secret", client::kAccessKeySecret,
       "CXone access key secret, profile cxone (CXONE_ACCESS_KEY_SECRET)");
}

CLI::App* add_diagnose(CLI::App& app, commands::DiagnoseArgs& d) {
  auto* dg = app.add_subcommand("diagnose", "run the handover checks against CXone or a mock");
  add_config_flags(dg, d.flags);
  dg->add_option("--env-file", d.env_file, "the .env file (default ./.env)");
  dg->add_option("--payload", d.payload_file, "handover body to check and send (- for stdin)");
  dg->add_option("--contract", d.contracts, "contract name or schema file (repeatable)")->allow_extra_args(false);
  dg->add_option("--profile", d.profile, "API profile name or file (default v2)");
  dg->add_flag("--execute", d.execute, "send the transfer (default: dry run)");
  dg->add_option("--format", d.format, "text, json or junit")->check(CLI::IsMember({"text", "json", "junit"}));
  dg->add_option("--timeout-ms", d.timeout_ms, "total timeout of each HTTP exchange (default 10000)")
      ->check(CLI::Range(1L, 600000L));
  dg->add_option("--connect-timeout-ms", d.connect_timeout_ms, "connect timeout of each HTTP exchange (default 5000)")
      ->check(CLI::Range(1L, 600000L));
  dg->add_option("--cacert", d.cacert, "CA bundle (PEM) to verify the server with, e.g. a proxy's CA")
      ->check(CLI::ExistingFile);
  dg->add_flag("--insecure", d.insecure, "do not verify TLS certificates (warned about on every run)");
  dg->add_flag("--verbose,-v", d.verbose, "print every HTTP exchange (redacted) to stderr");
  dg->add_option("--redact", d.redact,
                 "JSON pointer whose value is masked in every output (repeatable; * for any element)")
      ->allow_extra_args(false);
  dg->add_option("--save-fixture", d.save_fixture,
                 "write this run's exchanges as a replayable scenario file (redacted)");
  return dg;
}

CLI::App* add_replay(CLI::App& app, commands::ReplayArgs& ra) {
  auto* rp = app.add_subcommand("replay", "replay scenario files against an embedded mock and compare with expect");
  rp->add_option("paths", ra.paths, "scenario files or directories")->required()->expected(1, -1);
  rp->add_option("--format", ra.format, "text, json, junit or html")
      ->check(CLI::IsMember({"text", "json", "junit", "html"}));
  rp->add_option("--output,-o", ra.output, "write the report to this file (atomically) instead of stdout");
  add_report_options(rp, ra.reports,
                     {{"json", "also write the JSON report to this file"},
                      {"junit", "also write the JUnit XML report to this file"},
                      {"html", "also write the HTML report to this file"}});
  rp->add_option("--timeout-ms", ra.timeout_ms, "timeout of each HTTP exchange")->check(CLI::Range(1L, 600000L));
  rp->add_option("--jobs,-j", ra.jobs, "scenarios run in parallel, each on its own mock (default: one per core)")
      ->check(CLI::Range(1u, 256u));
  rp->add_option("--shard", ra.shard,
                 "run the i-th of N shards, e.g. 2/4 (a CI job matrix covers every scenario once)");
  rp->add_option("--tag", ra.tags, "only scenarios with this tag (repeatable: any of them)")->allow_extra_args(false);
  rp->add_option("--name", ra.names, "only scenarios whose name or file matches this glob (repeatable)")
      ->allow_extra_args(false);
  rp->add_option("--mock", ra.mock_url,
                 "replay against this running cxone-mock serving the same scenarios (one process for all: each "
                 "scenario reset and run through URL/__scenario/NAME/; admin token from CXONE_MOCK_ADMIN_TOKEN)");
  return rp;
}

CLI::App* add_verify(CLI::App& app, commands::VerifyArgs& v) {
  auto* vf = app.add_subcommand(
      "verify", "send each scenario's requests to a live tenant (or any target) and report where its answers drifted");
  vf->add_option("fixtures", v.paths, "scenario files or directories")->required()->expected(1, -1);
  vf->add_option("--target", v.target,
                 "the tenant's API base URL (else --base-url, CXONE_BASE_URL or the environment)");
  add_config_flags(vf, v.common.flags);
  vf->add_option("--env-file", v.common.env_file, "the .env file (default ./.env)");
  vf->add_option("--profile", v.common.profile, "API profile name or file (default: the first scenario's)");
  vf->add_flag("--execute", v.common.execute,
               "also send POST, PUT, PATCH and DELETE requests (never the transfer unless "
               "named with --interaction)");
  vf->add_option("--interaction", v.interactions, "an interaction ID whose transfer call may be sent (repeatable)")
      ->allow_extra_args(false);
  vf->add_flag("--strict-values", v.strict_values, "compare values too, not only types and keys");
  vf->add_option("--provider-states-setup-url", v.provider_states_setup_url,
                 "set up each interaction's Pact provider states here first (POST {state, states, params, action}, "
                 "as a Pact verifier does; cxone-mock: BASE/__admin/provider-states)");
  vf->add_option("--format", v.common.format, "text, json or junit")->check(CLI::IsMember({"text", "json", "junit"}));
  vf->add_option("--output,-o", v.output, "write the report to this file (atomically) instead of stdout");
  vf->add_option("--timeout-ms", v.common.timeout_ms, "total timeout of each HTTP exchange (default 10000)")
      ->check(CLI::Range(1L, 600000L));
  vf->add_option("--cacert", v.common.cacert, "CA bundle (PEM) to verify the server with")->check(CLI::ExistingFile);
  vf->add_flag("--insecure", v.common.insecure, "do not verify TLS certificates (warned about on every run)");
  vf->add_flag("--verbose,-v", v.common.verbose, "print every HTTP exchange (redacted) to stderr");
  return vf;
}

CLI::App* add_export(CLI::App& app, commands::ExportArgs& e) {
  auto* ex = app.add_subcommand("export", "write scenarios in another tool's format");
  ex->require_subcommand(1);
  auto* pact = ex->add_subcommand("pact", "scenarios as one Pact v3 file (matchers as matching rules)");
  pact->add_option("fixtures", e.paths, "scenario files or directories")->required()->expected(1, -1);
  pact->add_option("--consumer", e.consumer, "the pact's consumer name (default cognigy-bot)");
  pact->add_option("--provider", e.provider, "the pact's provider name (default contact-centre-api)");
  pact->add_option("--out,-o", e.out, "write the pact to this file (atomically; default stdout)");
  return ex;
}

CLI::App* add_validate(CLI::App& app, commands::ValidateArgs& v) {
  auto* va =
      app.add_subcommand("validate", "check handover payloads against contracts and the Cognigy lints (offline)");
  va->add_option("payloads", v.inputs, "payload files, directories (*.json, *.jsonl), or - for stdin")
      ->required()
      ->expected(1, -1);
  va->add_option("--contract", v.contracts, "contract name or schema file (repeatable: all must hold)")
      ->allow_extra_args(false);
  va->add_option("--profile", v.profile, "API profile whose contract is the default (default v2)");
  va->add_option("--format", v.format, "text, json, junit or sarif")
      ->check(CLI::IsMember({"text", "json", "junit", "sarif"}));
  va->add_option("--jobs", v.jobs, "parallel workers (default: one per core)")->check(CLI::Range(1u, 256u));
  va->add_flag("--jsonl", v.jsonl, "read stdin as JSON Lines (one payload per line)");
  add_report_options(va, v.reports,
                     {{"json", "also write the JSON report to this file"},
                      {"junit", "also write the JUnit XML report to this file"},
                      {"sarif", "also write the SARIF 2.1.0 report to this file"}});
  return va;
}

CLI::App* add_flows(CLI::App& app, commands::FlowsArgs& f) {
  auto* fl = app.add_subcommand(
      "flows", "find and check the handover nodes of a released Cognigy project (CLI clone or package zip)");
  fl->add_option("path", f.path, "a Cognigy-CLI agent folder, its flows/ folder, one chart.json, or a package .zip")
      ->required();
  fl->add_option("--cases", f.cases_file,
                 "render every handover node for each case of this JSON file ([{name, input, context, profile, "
                 "expect}]) and check what it would send");
  fl->add_option("--format", f.format, "text, json, junit or sarif")
      ->check(CLI::IsMember({"text", "json", "junit", "sarif"}));
  add_report_options(fl, f.reports,
                     {{"json", "also write the JSON report to this file"},
                      {"junit", "also write the JUnit XML report to this file"},
                      {"sarif", "also write the SARIF 2.1.0 report to this file"}});
  return fl;
}

CLI::App* add_compat(CLI::App& app, commands::CompatArgs& ca) {
  auto* cp = app.add_subcommand("compat", "breaking-change check between two contracts or two payload samples");
  cp->add_option("old", ca.old_path, "the released contract (name or file) or payload sample")->required();
  cp->add_option("new", ca.new_path, "the changed one")->required();
  cp->add_option("--kind", ca.kind, "auto, schema or payload")->check(CLI::IsMember({"auto", "schema", "payload"}));
  cp->add_option("--format", ca.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  add_report_options(cp, ca.reports, {{"json", "also write the JSON report to this file"}});
  return cp;
}

}  // namespace
int main(int argc, char** argv) {
  CLI::App app{"handover-diag: diagnose and contract-test the Cognigy -> CXone live handover"};
  app.set_version_flag("--version", util::version_text("handover-diag"));
  app.require_subcommand(1);
  commands::DiagnoseArgs d;
  auto* dg = add_diagnose(app, d);
  commands::ReplayArgs ra;
  auto* rp = add_replay(app, ra);
  commands::ValidateArgs v;
  auto* va = add_validate(app, v);
  commands::CompatArgs ca;
  auto* cp = add_compat(app, ca);
  commands::FlowsArgs fa;
  auto* fl = add_flows(app, fa);
  commands::VerifyArgs vfa;
  auto* vf = add_verify(app, vfa);
  commands::ExportArgs exa;
  auto* xp = add_export(app, exa);
  std::string code;
  bool explain_list = false;
  auto* ex = app.add_subcommand("explain", "cause, evidence and fix for a classification or violation code");
  ex->add_option("code", code, "the code, e.g. WRAPUP_CODE_NOT_FOUND");
  ex->add_flag("--list", explain_list, "every code with its one-line meaning");

  std::string action, contract_name;
  auto* ct = app.add_subcommand("contracts", "built-in contracts: list | show NAME | profile PROFILE");
  ct->add_option("action", action, "list, show or profile")
      ->required()
      ->check(CLI::IsMember({"list", "show", "profile"}));
  ct->add_option("name", contract_name, "contract name (for show) or profile (for profile: prints its contract)");

  if (util::generate_docs(argc, argv, app,
                          {"handover-diag", "diagnose and contract-test the Cognigy to contact-centre live handover",
                           util::release_version(), "cxone-mock(1)",
                           ".TP\n0\nthe handover works (or every check passed)\n.TP\n1\na check failed: a "
                           "classification, a violation, a drift\n.TP\n2\nusage or input error\n.TP\n3\ninternal "
                           "error"}))
    return 0;
  if (auto code = util::parse_command_line(app, argc, argv, "handover-diag")) return *code;
  int exit_code = util::kExitUsage;
  try {
    d.env_file_explicit = dg->count("--env-file") > 0;
    vfa.common.env_file_explicit = vf->count("--env-file") > 0;
    vfa.profile_given = vf->count("--profile") > 0;
    if (*dg)
      exit_code = commands::diagnose(d);
    else if (*rp)
      exit_code = commands::replay(ra);
    else if (*va)
      exit_code = commands::validate(v);
    else if (*cp)
      exit_code = commands::compat(ca);
    else if (*fl)
      exit_code = commands::flows(fa);
    else if (*vf)
      exit_code = commands::verify(vfa);
    else if (*xp)
      exit_code = commands::export_pact(exa);
    else if (*ex)
      exit_code = commands::explain(code, explain_list);
    else if (*ct)
      exit_code = commands::contracts(action, contract_name);
  } catch (const std::exception& e) {
    std::cerr << "handover-diag: internal error: " << e.what() << "\n";
    return util::kExitInternal;
  }
  return util::finish_stdout("handover-diag", exit_code);
}
