// handover-diag verify: drift detection (provider verification) — each scenario's requests sent
// to a live tenant (or any target) with the run's own token, and each answer compared with the
// scenario's: the status, and the JSON shape (types, required keys, array elements like the
// first recorded one; values only with --strict-values). What changed on the tenant shows as
// drift per interaction, with Pact-style locations, before a customer meets it.
#pragma once

#include <string>
#include <vector>

#include "client/diagnose.hpp"
#include "mockserver/fixture.hpp"
#include "mockserver/matcher.hpp"

namespace client {

struct VerifyOptions {
  bool execute = false;                   // also send POST/PUT/PATCH/DELETE (never the transfer unless named)
  bool strict_values = false;             // compare values, not only types
  std::vector<std::string> interactions;  // --interaction ID: the only ones a transfer call may be sent for
  // --provider-states-setup-url: before an interaction that names provider states, each is set up
  // there with the body a Pact verifier sends ({"state", "states", "params", "action": "setup"});
  // cxone-mock answers it at /__admin/provider-states.
  std::string provider_states_setup_url;
};

struct InteractionVerdict {
  enum class Status { ok, drift, skipped, error };
  std::string fixture, id, method, path;
  Status status = Status::skipped;
  int expected_status = 0, actual_status = 0;
  std::string note;  // why skipped, or what went wrong
  std::vector<mockserver::Mismatch> drift;
};
std::string_view verdict_name(InteractionVerdict::Status status);

struct VerifyReport {
  std::string target, profile;
  std::vector<StepResult> setup;  // config and auth, as diagnose reports them
  bool setup_failed = false;
  std::vector<InteractionVerdict> results;
  util::Redactor redactor;  // every output passes through it
  std::size_t count(InteractionVerdict::Status status) const;
  // 0 nothing drifted, 1 drift or a failed setup or exchange.
  int exit_code() const;
};

// Runs the config and auth steps (the token), then each interaction of each fixture in order.
VerifyReport verify_fixtures(const Config& config, const DiagnoseContext& context,
                             const std::vector<mockserver::Fixture>& fixtures, const VerifyOptions& options);

std::string render_verify_text(const VerifyReport& report);
std::string render_verify_json(const VerifyReport& report);
std::string render_verify_junit(const VerifyReport& report);

}  // namespace client
