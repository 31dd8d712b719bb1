// The state of one diagnose run that its steps share, named: what the config step resolved,
// what auth found, the IDs being checked, the payload, the session and the report being
// written. A step reads what earlier steps left here and adds its own; nothing else is shared.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/diagnose.hpp"
#include "client/session.hpp"

namespace client {

struct Run {
  Run(const Config& config, const DiagnoseContext& context);

  const Config& cfg;
  const DiagnoseContext& ctx;
  const Profile& profile;
  DiagnoseReport report;
  Session session;  // logs into report.exchanges, teaches secrets to report.redactor

  std::string base;                       // config: the base URL (no trailing '/')
  std::string login;                      // config: the token host (the base URL unless the profile has one)
  std::string api_root;                   // auth: where the API endpoints live (after discovery, if any)
  std::string participant_id;             // conversation: the participant a transfer replaces (genesys)
  std::string queue_id, wrapup_id;        // config: the flags', or the payload's when one is given
  std::vector<std::string> config_fixes;  // config: one per problem (the report's remediation)
  std::string customer_name;              // conversation: for a payload built from the inputs
  std::optional<util::Json> payload;      // config or payload: the body the transfer sends
  std::string payload_text;               // payload: its exact bytes

  const StepResult* step(const std::string& name) const;
  // ok or warning
  bool passed(const std::string& name) const;
  // The response contract named by the profile, compiled once per run (null: none or unloadable).
  const contracts::Contract* response_contract(const std::string& name);
  // CXone's password grant with Basic client credentials (else the client-credentials form).
  bool basic_auth() const { return profile.auth.style == "password-basic"; }
  // Genesys' client-credentials grant with the client's credentials as Basic.
  bool basic_client_credentials() const { return profile.auth.style == "client-credentials-basic"; }
  std::string basic_credentials() const;

 private:
  std::map<std::string, std::optional<contracts::Contract>> response_contracts_;
};

// Credentials and --redact pointers taught to the run's redactor before anything is sent
// (diagnose.cpp; verify runs the same first steps).
void teach_redactor(Run& run);

}  // namespace client
