// diagnose: the seven handover checks of SPEC §2 (config, auth, conversation, queue, wrapup,
// payload, transfer), each with status, HTTP status, duration and evidence; the first failed
// step gives the classification, the catalogue gives the fix.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client/clock.hpp"
#include "client/config.hpp"
#include "client/profile.hpp"
#include "client/transport.hpp"
#include "contracts/catalogue.hpp"
#include "contracts/contract.hpp"
#include "contracts/violation.hpp"
#include "util/json_text.hpp"

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
  // Values every renderer masks (client secret, tokens). Never serialized.
  std::vector<std::string> secrets;
};

struct DiagnoseOptions {
  int max_get_attempts = 3;             // GETs only; the transfer POST is sent once
  double max_retry_wait_ms = 30000;     // cap on one Retry-After wait
  double backoff_base_ms = 250;
};

struct DiagnoseContext {
  Transport& transport;
  Clock& clock;
  const contracts::Catalogue& catalogue;
  const Profile& profile;
  const std::vector<contracts::Contract>& contracts;
  DiagnoseOptions options = {};
};

DiagnoseReport run_diagnose(const Config& config, const DiagnoseContext& context);

// SPEC exit codes: 0 OK, 2 CONFIG_ERROR, 1 any other classification.
int exit_code_for(const DiagnoseReport& report);

}  // namespace client
