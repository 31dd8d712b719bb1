// diagnose: the seven handover checks of SPEC §2 (config, auth, conversation, queue, wrapup,
// payload, transfer), each with status, HTTP status, duration and evidence; the first failed
// step gives the classification, the catalogue gives the fix. The steps are client/steps/, the
// HTTP side (retries, token) client/session.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/clock.hpp"
#include "client/config.hpp"
#include "client/profile.hpp"
#include "client/session.hpp"
#include "client/transport.hpp"
#include "contracts/catalogue.hpp"
#include "contracts/contract.hpp"
#include "contracts/violation.hpp"
#include "util/json_text.hpp"
#include "util/redact.hpp"

namespace client {

enum class StepStatus { ok, warning, failed, skipped };
std::string_view step_status_name(StepStatus status);

struct StepResult {
  std::string name;
  StepStatus status = StepStatus::skipped;
  std::optional<int> http_status;
  double duration_ms = 0;
  util::Json evidence = util::Json::object();
  std::string classification;  // set when failed
  std::string summary;         // one line for the step table
};

struct DiagnoseReport {
  std::string profile;
  std::string target;  // base URL
  bool executed = false;
  std::string classification = "OK";
  std::string failed_step;  // empty when none failed
  std::vector<StepResult> steps;
  std::vector<contracts::Violation> violations;
  std::vector<std::string> remediation;
  std::vector<std::string> warnings;  // about the run itself (a --redact pointer that matched nothing)
  std::vector<Exchange> exchanges;
  // Credentials, tokens and --redact pointers: every renderer and writer passes its output
  // through it. Never serialized.
  util::Redactor redactor;
};

struct DiagnoseContext {
  Transport& transport;
  Clock& clock;
  const contracts::Catalogue& catalogue;
  const Profile& profile;
  const std::vector<contracts::Contract>& contracts;
  DiagnoseOptions options = {};
  TraceFn trace = {};
};

DiagnoseReport run_diagnose(const Config& config, const DiagnoseContext& context);

// SPEC exit codes: 0 OK, 2 CONFIG_ERROR, 1 any other classification.
int exit_code_for(const DiagnoseReport& report);

}  // namespace client
