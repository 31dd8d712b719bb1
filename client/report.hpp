// Rendering a diagnose report: the step table for people, the SPEC §2 JSON document for tools.
// Every renderer masks the report's secrets.
#pragma once

#include <string>

#include "client/diagnose.hpp"
#include "util/json_text.hpp"

namespace client {

struct TextStyle {
  bool color = false;  // only on a TTY, never with NO_COLOR
};

std::string render_text(const DiagnoseReport& report, const TextStyle& style);
// Keys in the SPEC §2 order (tool, version, profile, classification, ...).
util::OrderedJson report_json(const DiagnoseReport& report);
std::string render_json(const DiagnoseReport& report);
// One testcase per step (failed: a <failure> with the summary, evidence and the fix; skipped:
// <skipped>), for CI test tabs.
std::string render_junit(const DiagnoseReport& report);

// --verbose: one exchange as curl -v would show it, redacted, bodies cut at max_body bytes.
// done false renders the request (before it is sent), done true the answer.
std::string render_exchange(const Exchange& exchange, bool done, const util::Redactor& redactor,
                            std::size_t max_body = 4096);

}  // namespace client
