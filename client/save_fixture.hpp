// diagnose --save-fixture: the run's own exchanges as a v1 scenario (SPEC §4) a customer can
// send, replayable with `handover-diag replay` to the same classification. Redacted: credentials
// and tokens never reach the file (tokens become placeholders, an id_token keeps only its tenant
// claim), nor do values at the --redact pointers.
#pragma once

#include <string>

#include "client/config.hpp"
#include "client/diagnose.hpp"
#include "client/profile.hpp"
#include "util/json_text.hpp"

namespace client {

util::OrderedJson scenario_from_run(const DiagnoseReport& report, const Config& config, const Profile& profile,
                                    const std::string& profile_ref, const std::string& name);

// A recorded token answer with its tokens swapped for placeholders a client can still use:
// access and refresh tokens become fixed strings, an id_token an unsigned JWT keeping only the
// tenant claim (not a secret; discovery needs it). Pointers and claim as in the profile.
void placeholder_tokens(util::Json& body, const Profile& profile);

// The scenario as text, with the redactor's last pass over it.
std::string scenario_text(const util::OrderedJson& scenario, const DiagnoseReport& report);

}  // namespace client
