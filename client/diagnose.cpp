// The diagnose run: the steps in order over one Run (client/steps/), then the classification
// and the fixes from the first failed step.
#include "client/diagnose.hpp"

#include <cmath>

#include "client/steps/run.hpp"
#include "client/steps/steps.hpp"
#include "contracts/codes.hpp"

namespace client {

namespace codes = contracts::codes;

std::string_view step_status_name(StepStatus status) {
  switch (status) {
    case StepStatus::ok:
      return "ok";
    case StepStatus::warning:
      return "warning";
    case StepStatus::failed:
      return "failed";
    case StepStatus::skipped:
      return "skipped";
  }
  return "skipped";
}

int exit_code_for(const DiagnoseReport& report) {
  if (report.classification == codes::kOk) return 0;
  if (report.classification == codes::kConfigError) return 2;
  return 1;
}

namespace steps {

const std::vector<Step>& standard_steps() {
  static const std::vector<Step> list = {{"config", config},    {"auth", auth},     {"conversation", conversation},
                                         {"queue", queue},      {"wrapup", wrapup}, {"payload", payload},
                                         {"transfer", transfer}};
  return list;
}

}  // namespace steps

// Credentials and --redact pointers become known to the run's redactor before anything is sent.
void teach_redactor(Run& run) {
  const Config& cfg = run.cfg;
  auto& red = run.report.redactor;
  red.add_secret(cfg.client_secret);
  red.add_secret(cfg.access_key_secret);
  for (const auto& secret : cfg.url_secrets) red.add_secret(secret);
  if (run.basic_auth()) {
    // CXone: the client ID and the access key ID are credentials too.
    red.add_secret(cfg.client_id);
    red.add_secret(cfg.access_key_id);
    red.add_secret(run.basic_credentials());
  }
  if (run.basic_client_credentials()) red.add_secret(run.basic_credentials());
  for (const auto& ptr : cfg.redact_pointers) red.add_pointer(ptr);
  const auto& a = run.profile.auth;
  run.session.set_secret_pointers({a.token_pointer, a.refresh_token_pointer, a.id_token_pointer});
}

namespace {

// Every failed step carries its own fix (later failures are reported too); the first one
// classifies the run.
void classify(Run& run) {
  DiagnoseReport& report = run.report;
  const auto& catalogue = run.ctx.catalogue;
  for (auto& s : report.steps) {
    if (s.status != StepStatus::failed) continue;
    if (s.name == "config" && !run.config_fixes.empty())
      s.evidence["remediation"] = run.config_fixes;
    else if (const auto* entry = catalogue.find(s.classification))
      s.evidence["remediation"] = entry->fix;
    if (report.failed_step.empty()) {
      report.classification = s.classification;
      report.failed_step = s.name;
    }
  }
  if (report.failed_step == "config" && !run.config_fixes.empty())
    report.remediation = run.config_fixes;
  else if (const auto* entry = catalogue.find(report.classification))
    report.remediation = entry->fix;
  // A --redact pointer that matched nothing: a typo leaves the value it was meant to hide in
  // every output, so it is said in the report itself, not only on stderr.
  for (const auto& ptr : run.cfg.redact_pointers)
    if (!report.redactor.matched(ptr))
      report.warnings.push_back(
          "--redact " + ptr +
          " matched nothing in this run: if it was meant to hide a value, that value is not masked");
}

}  // namespace

DiagnoseReport run_diagnose(const Config& config, const DiagnoseContext& context) {
  Run run(config, context);
  run.report.profile = run.profile.name;
  run.report.executed = config.execute;
  teach_redactor(run);
  for (const auto& step : steps::standard_steps()) {
    StepResult s;
    s.name = step.name;
    double start = context.clock.now_ms();
    step.run(run, s);
    s.duration_ms = std::round((context.clock.now_ms() - start) * 100.0) / 100.0;
    run.report.steps.push_back(std::move(s));
  }
  classify(run);
  return std::move(run.report);
}

}  // namespace client
