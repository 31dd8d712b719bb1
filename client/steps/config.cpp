// The config step: the base URL, the credentials and the IDs the run will check, every problem
// with its own fix; with --payload, the IDs inside the payload win (they are what a transfer
// would send).
#include <string>
#include <vector>

#include "client/steps/steps.hpp"
#include "client/steps/support.hpp"
#include "contracts/codes.hpp"

namespace client::steps {

namespace {

constexpr const char* kMasked = "***";

void resolve_base(Run& run, std::vector<ConfigProblem>& problems) {
  const Profile& p = run.profile;
  run.base = run.cfg.base_url;
  if (run.base.empty()) {
    std::string env = run.cfg.environment.empty() ? p.default_environment : run.cfg.environment;
    run.base = expand_template(p.base_url, {{"environment", env}}, false);
  }
  while (!run.base.empty() && run.base.back() == '/') run.base.pop_back();
  run.report.target = run.base;
  // The token host: --login-url; else the profile's login host when the base URL came from the
  // environment; else the base URL (a mock, or a proxy, answers both).
  run.login = run.cfg.login_url;
  if (run.login.empty() && run.cfg.base_url.empty() && !p.login_url.empty()) {
    std::string env = run.cfg.environment.empty() ? p.default_environment : run.cfg.environment;
    run.login = expand_template(p.login_url, {{"environment", env}}, false);
  }
  while (!run.login.empty() && run.login.back() == '/') run.login.pop_back();
  if (run.login.empty()) run.login = run.base;
  if (run.login != run.base && !run.login.starts_with("http://") && !run.login.starts_with("https://"))
    problems.push_back({"login URL \"" + run.login + "\" must start with http:// or https://",
                        "Give the full URL of the token host with its scheme, e.g. --login-url https://login." +
                            (p.default_environment.empty() ? std::string("example.com") : p.default_environment) +
                            " (LOGIN_URL)."});
  if (!run.base.starts_with("http://") && !run.base.starts_with("https://"))
    problems.push_back({"base URL \"" + run.base + "\" must start with http:// or https://",
                        "Give the full URL with its scheme, e.g. --base-url https://api." +
                            (p.default_environment.empty() ? std::string("example.com") : p.default_environment) +
                            " (CXONE_BASE_URL), or only the environment (--environment, CXONE_ENVIRONMENT)."});
}

void check_credentials(const Run& run, std::vector<ConfigProblem>& problems) {
  const Config& cfg = run.cfg;
  auto unset = [&](const char* var, const char* flag, const std::string& what) {
    problems.push_back({std::string(var) + " is not set (" + flag + ", environment or .env)",
                        "Set " + std::string(var) + " to " + what + ": " + flag + " VALUE, export " + var +
                            "=VALUE, or a " + var + "=VALUE line in .env."});
  };
  if (cfg.client_id.empty()) unset(kClientId, "--client-id", "the OAuth client's ID (admin: Integrations > OAuth)");
  if (cfg.client_secret.empty()) unset(kClientSecret, "--client-secret", "the OAuth client's secret");
  if (run.basic_auth()) {
    const std::string& name = run.profile.name;
    if (cfg.access_key_id.empty())
      unset(kAccessKeyId, "--access-key-id", "the access key ID of the CXone user (profile " + name + ")");
    if (cfg.access_key_secret.empty())
      unset(kAccessKeySecret, "--access-key-secret", "the access key secret of the CXone user (profile " + name + ")");
  }
  if (cfg.conversation_id.empty())
    unset(kConversation, "--conversation", "the ID of a live conversation to hand over (a test call)");
}

// The IDs to check: the flags', replaced by the payload's when one is given (with a warning
// when they differ).
void take_ids(Run& run, StepResult& s, std::vector<ConfigProblem>& problems) {
  const Config& cfg = run.cfg;
  run.queue_id = cfg.queue_id;
  run.wrapup_id = cfg.wrapup_id;
  if (!cfg.payload_text) {
    if (run.queue_id.empty())
      problems.push_back({std::string(kQueue) + " is not set (--queue, environment or .env), and no --payload",
                          "Set " + std::string(kQueue) +
                              " to the target queue's ID (--queue), or pass --payload with the "
                              "body the bot sends (its queue is taken from it)."});
    if (run.wrapup_id.empty())
      problems.push_back({std::string(kWrapup) + " is not set (--wrapup, environment or .env), and no --payload",
                          "Set " + std::string(kWrapup) +
                              " to the wrap-up code's ID (--wrapup), or pass --payload with "
                              "the body the bot sends (its wrap-up code is taken from it)."});
    return;
  }
  util::Json parsed = util::parse_json_lenient(*cfg.payload_text);
  if (parsed.is_discarded()) return;
  run.report.redactor.json(parsed);  // learns the values at --redact pointers; the copy is dropped
  parsed = util::parse_json_lenient(*cfg.payload_text);
  run.payload = parsed;
  auto take = [&](const std::string& ptr, std::string& slot, const char* what) {
    const util::Json* v = at_pointer(parsed, ptr);
    if (!v || !(v->is_string() || v->is_number_integer())) return;
    std::string in_payload = scalar_text(*v);
    if (!slot.empty() && slot != in_payload)
      warn(s, std::string(what) + " given as \"" + slot + "\" but the payload has \"" + in_payload +
                  "\": checking the payload's");
    slot = in_payload;
  };
  take(run.profile.payload_queue_pointer, run.queue_id, "queue");
  take(run.profile.payload_wrapup_pointer, run.wrapup_id, "wrap-up code");
}

void config_evidence(const Run& run, StepResult& s) {
  const Config& cfg = run.cfg;
  bool basic = run.basic_auth();
  s.evidence["baseUrl"] = run.base;
  if (run.login != run.base) s.evidence["loginUrl"] = run.login;
  s.evidence["profile"] = run.profile.name;
  s.evidence["clientId"] = basic ? (cfg.client_id.empty() ? "(not set)" : kMasked) : cfg.client_id;
  s.evidence["clientSecret"] = cfg.client_secret.empty() ? "(not set)" : kMasked;
  if (basic) {
    s.evidence["accessKeyId"] = cfg.access_key_id.empty() ? "(not set)" : kMasked;
    s.evidence["accessKeySecret"] = cfg.access_key_secret.empty() ? "(not set)" : kMasked;
  }
  s.evidence["conversationId"] = cfg.conversation_id;
  s.evidence["queueId"] = run.queue_id;
  s.evidence["wrapupCodeId"] = run.wrapup_id;
  if (!cfg.participant_id.empty()) s.evidence["participantId"] = cfg.participant_id;
  if (cfg.payload_text) s.evidence["payload"] = cfg.payload_source;
  if (!cfg.origin.empty()) s.evidence["origin"] = cfg.origin;
}

}  // namespace

void config(Run& run, StepResult& s) {
  std::vector<ConfigProblem> problems = run.cfg.problems;
  resolve_base(run, problems);
  check_credentials(run, problems);
  take_ids(run, s, problems);
  if (run.cfg.insecure)
    warn(s, "TLS certificate verification is off (--insecure): anyone on the path can read the credentials");
  config_evidence(run, s);
  if (!problems.empty()) {
    // Every problem, each with its own fix: the report's remediation is this list, not the
    // catalogue's generic one.
    util::Json list = util::Json::array();
    for (const auto& p : problems) {
      list.push_back({{"problem", p.message}, {"fix", p.fix}});
      run.config_fixes.push_back(p.fix);
    }
    s.evidence["problems"] = list;
    return fail(s, contracts::codes::kConfigError,
                problems.size() == 1 ? problems.front().message
                                     : std::to_string(problems.size()) + " configuration problems (below)");
  }
  if (s.status != StepStatus::warning) s.status = StepStatus::ok;
  std::string summary = "profile " + run.profile.name + ", " + run.base;
  s.summary = s.summary.empty() ? summary : summary + "; " + s.summary;
}

}  // namespace client::steps
