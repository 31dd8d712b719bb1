// diagnose: the seven handover checks of SPEC §2 (config, auth, conversation, queue, wrapup,
// payload, transfer), each with status, HTTP status, duration and evidence; the first failed
// step gives the classification, the catalogue gives the fix.
#pragma once

#include <functional>
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

// One HTTP exchange of a run, in order: what --verbose prints and --save-fixture writes.
struct Exchange {
  std::string step;
  int attempt = 1;
  std::string note;  // why it was sent again: "after HTTP 429", "with a refreshed token"
  OutgoingRequest request;
  TransportResult result;  // empty while the request is in flight
  double duration_ms = 0;
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

struct DiagnoseOptions {
  int max_get_attempts = 3;          // GETs only; the transfer POST is sent once
  double max_retry_wait_ms = 30000;  // a longer Retry-After is reported, not waited for
  double backoff_base_ms = 250;      // exponential backoff without Retry-After: base * 2^(n-1) ...
  double backoff_cap_ms = 8000;      // ... capped, then "equal jitter": half fixed, half random
  double retry_budget_ms = 60000;    // most time one call may spend on waits and retries
  std::function<double()> jitter;    // uniform in [0, 1); default a random generator
};

// Called before each request is sent (done false) and when its result is in (done true),
// with the run's redactor: --verbose prints the exchange from here.
using TraceFn = std::function<void(const Exchange&, bool done, const util::Redactor&)>;

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

// Milliseconds a Retry-After header asks to wait (seconds or an HTTP date, relative to
// now_epoch_ms); nullopt without a usable header.
std::optional<double> retry_after_ms(const util::HttpResponse& response, double now_epoch_ms);

// SPEC exit codes: 0 OK, 2 CONFIG_ERROR, 1 any other classification.
int exit_code_for(const DiagnoseReport& report);

}  // namespace client
