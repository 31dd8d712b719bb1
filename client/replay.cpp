// Scenario replay against an embedded mock.
#include "client/replay.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "client/clock.hpp"
#include "client/report.hpp"
#include "mockserver/engine.hpp"
#include "mockserver/server.hpp"
#include "util/redact.hpp"

namespace client {

namespace {

std::string label(const std::string& code, const std::optional<std::string>& step) {
  if (!step || step->empty()) return code;
  return code + " @ " + *step;
}

util::Result<std::vector<contracts::Contract>> contracts_for(const mockserver::Fixture& f, const Profile& profile) {
  std::vector<std::string> names = util::string_list(f.inputs.value("contract", util::Json()));
  if (names.empty()) names.push_back(profile.contract);
  std::vector<contracts::Contract> out;
  for (const auto& n : names) {
    // Contract files named in a fixture are relative to the fixture's folder.
    std::string path = n;
    if (n.find('/') != std::string::npos || n.ends_with(".json")) path = (f.file.parent_path() / n).string();
    auto c = contracts::load_contract(path);
    if (!c) return c.error();
    out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace

ScenarioOutcome replay_fixture(const mockserver::Fixture& f, const contracts::Catalogue& catalogue,
                               const ReplayOptions& options) {
  auto started = std::chrono::steady_clock::now();
  ScenarioOutcome out;
  out.name = f.name;
  out.file = f.file.string();
  if (f.expect) out.expected = label(f.expect->classification, f.expect->failed_step);

  auto profile = load_profile(f.profile);
  if (!profile) {
    out.input_error = f.file.string() + ": " + profile.error().message;
    return out;
  }
  auto contract_set = contracts_for(f, *profile);
  if (!contract_set) {
    out.input_error = f.file.string() + ": " + contract_set.error().message;
    return out;
  }

  auto engine = std::make_shared<mockserver::MockEngine>();
  engine->add_fixture(f);
  mockserver::ServerOptions server_options;  // loopback, an OS-chosen port
  server_options.threads = 1;                // one event loop is plenty for one client
  mockserver::MockServer server(engine, server_options);
  auto port = server.start();
  if (!port) {
    out.input_error = "cannot start the embedded mock: " + port.error().message;
    return out;
  }

  Config cfg;
  const auto& in = f.inputs;
  cfg.client_id = in.value("clientId", "replay-client");
  cfg.client_secret = in.value("clientSecret", "replay-client-secret");
  cfg.access_key_id = in.value("accessKeyId", "replay-access-key");
  cfg.access_key_secret = in.value("accessKeySecret", "replay-access-key-secret");
  cfg.base_url = server.base_url();
  cfg.conversation_id = in.value("conversationId", "");
  cfg.queue_id = in.value("queueId", "");
  cfg.wrapup_id = in.value("wrapupCodeId", "");
  cfg.execute = in.value("execute", false);
  if (in.contains("payload")) {
    cfg.payload_text = in["payload"].dump();
    cfg.payload_source = "inputs.payload";
  } else if (in.contains("payloadText")) {
    cfg.payload_text = in["payloadText"].get<std::string>();
    cfg.payload_source = "inputs.payloadFile";
  }

  TransportOptions topts;
  topts.timeout_ms = options.timeout_ms;
  topts.connect_timeout_ms = std::min<long>(options.timeout_ms, 2000);
  auto transport = make_transport(topts);
  VirtualClock clock;  // Retry-After waits cost nothing in replay
  DiagnoseContext ctx{*transport, clock, catalogue, *profile, *contract_set};
  out.report = run_diagnose(cfg, ctx);
  // Close the client's keep-alive connection first: the server's worker then sees EOF at once
  // instead of waiting out its keep-alive timeout.
  transport.reset();
  server.stop();

  out.actual = label(out.report.classification,
                     f.expect && f.expect->failed_step ? std::optional<std::string>(out.report.failed_step) : std::nullopt);
  if (!f.expect) {
    out.differences.push_back("the fixture has no \"expect\" block: nothing to compare");
  } else {
    if (f.expect->classification != out.report.classification)
      out.differences.push_back("classification: expected " + f.expect->classification + ", got " +
                                out.report.classification);
    if (f.expect->failed_step && *f.expect->failed_step != out.report.failed_step)
      out.differences.push_back("failedStep: expected " + (f.expect->failed_step->empty() ? "none" : *f.expect->failed_step) +
                                ", got " + (out.report.failed_step.empty() ? "none" : out.report.failed_step));
    for (const auto& code : f.expect->violations) {
      bool found = std::any_of(out.report.violations.begin(), out.report.violations.end(),
                               [&](const auto& v) { return v.code == code; });
      if (!found) out.differences.push_back("violations: expected " + code + ", not reported");
    }
  }
  // A request the fixture does not answer is a broken reproduction, whatever was classified.
  for (const auto& e : engine->journal().unmatched())
    out.differences.push_back("unmatched request: " + e.method + " " + e.path + (e.query.empty() ? "" : "?" + e.query));
  for (const auto& id : engine->required_not_called())
    out.differences.push_back("required interaction never called: " + id);
  out.passed = out.differences.empty();
  out.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return out;
}

std::string render_replay_text(const std::vector<ScenarioOutcome>& outcomes, bool color) {
  auto paint = [&](const std::string& t, const char* c) { return color ? std::string(c) + t + "\033[0m" : t; };
  std::size_t width = 8, exp_width = 8;
  for (const auto& o : outcomes) {
    width = std::max(width, o.name.size());
    exp_width = std::max(exp_width, o.expected.size());
  }
  std::string out;
  int passed = 0, failed = 0;
  for (const auto& o : outcomes) {
    char time[32];
    std::snprintf(time, sizeof time, "%7.1f ms", o.duration_ms);
    std::string name = o.name + std::string(width - o.name.size(), ' ');
    if (!o.input_error.empty()) {
      ++failed;
      out += paint("ERROR", "\033[1;31m") + "  " + name + "  " + o.input_error + "\n";
      continue;
    }
    o.passed ? ++passed : ++failed;
    std::string expected = o.expected.empty() ? "(none)" : o.expected;
    expected.resize(std::max(expected.size(), exp_width), ' ');
    std::string actual = o.actual;
    actual.resize(std::max(actual.size(), exp_width), ' ');
    out += (o.passed ? paint("PASS ", "\033[32m") : paint("FAIL ", "\033[1;31m")) + "  " + name + "  expected " +
           expected + "  got " + actual + time + "\n";
    for (const auto& d : o.differences) out += "       - " + d + "\n";
  }
  out += std::to_string(passed) + " passed, " + std::to_string(failed) + " failed\n";
  return out;
}

std::string render_replay_json(const std::vector<ScenarioOutcome>& outcomes) {
  using OJson = nlohmann::ordered_json;
  OJson list = OJson::array();
  int passed = 0;
  std::vector<std::string> secrets;
  for (const auto& o : outcomes) {
    passed += o.passed ? 1 : 0;
    secrets.insert(secrets.end(), o.report.redactor.secrets().begin(), o.report.redactor.secrets().end());
    OJson j = {{"name", o.name},         {"file", o.file},         {"passed", o.passed},
                    {"expected", o.expected}, {"actual", o.actual},     {"differences", o.differences},
                    {"durationMs", o.duration_ms}};
    if (!o.input_error.empty()) j["error"] = o.input_error;
    else j["report"] = report_json(o.report);
    list.push_back(std::move(j));
  }
  OJson doc = {{"tool", "handover-diag"},
                    {"version", HARNESS_VERSION},
                    {"command", "replay"},
                    {"passed", passed},
                    {"failed", static_cast<int>(outcomes.size()) - passed},
                    {"scenarios", list}};
  return util::redact(doc.dump(2, ' ', false, OJson::error_handler_t::replace) + "\n", secrets);
}

}  // namespace client
