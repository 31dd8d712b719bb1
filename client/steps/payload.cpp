// The payload step: the body the transfer would send (--payload, or built from the profile's
// template and the inputs) against the contracts and the Cognigy lints.
#include "client/steps/steps.hpp"
#include "client/steps/support.hpp"
#include "contracts/codes.hpp"
#include "util/strings.hpp"

namespace client::steps {

void payload(Run& run, StepResult& s) {
  std::vector<std::string> names;
  for (const auto& c : run.ctx.contracts) names.push_back(c.name);
  s.evidence["contracts"] = names;
  if (run.cfg.payload_text) {
    run.payload_text = *run.cfg.payload_text;
    s.evidence["source"] = run.cfg.payload_source;
  } else {
    const Profile& p = run.profile;
    if (run.queue_id.empty() || run.wrapup_id.empty()) return skip(s, "no payload and no IDs to build one");
    if (p.payload_template.is_null()) return skip(s, "no payload, and profile " + p.name + " has no payload template");
    util::Json built =
        build_payload(p.payload_template,
                      {{"queueId", run.queue_id}, {"wrapupId", run.wrapup_id}, {"customerName", run.customer_name}});
    run.payload = built;
    run.payload_text = util::dump_line(built);
    s.evidence["source"] = "built from the inputs (no --payload)";
  }
  auto violations = contracts::check_payload_text(run.ctx.contracts, run.payload_text);
  s.evidence["bytes"] = run.payload_text.size();
  s.evidence["violationCount"] = violations.size();
  run.report.violations = violations;
  if (!violations.empty()) {
    const auto& v = violations.front();
    return fail(s, contracts::codes::kPayloadSchemaMismatch,
                std::to_string(violations.size()) + " violation" + (violations.size() == 1 ? "" : "s") + ": " + v.code +
                    (v.pointer.empty() ? "" : " at " + v.pointer));
  }
  s.status = StepStatus::ok;
  s.summary = "valid against " + util::join(names, " + ") + " and the Cognigy lints";
}

}  // namespace client::steps
