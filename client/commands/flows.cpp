// handover-diag flows: a released Cognigy project (a Cognigy-CLI clone, its flows/ folder, one
// chart.json or a package zip) read for its handover nodes, checked statically, and rendered
// for the team's cases (client/flows/).
#include "client/commands/commands.hpp"
#include "client/commands/common.hpp"

#include "client/flows/cases.hpp"
#include "client/flows/handover.hpp"
#include "client/flows/project.hpp"
#include "client/flows/report.hpp"
#include "contracts/catalogue.hpp"
#include "util/exit_codes.hpp"

namespace client::commands {

int flows(const FlowsArgs& a) {
  auto catalogue = contracts::Catalogue::builtin();
  if (!catalogue) return usage_error(catalogue.error().message);
  if (auto code = probe_reports(a.reports)) return *code;
  std::vector<client::flows::FlowCase> cases;
  if (!a.cases_file.empty()) {
    auto loaded = client::flows::load_cases(a.cases_file);
    if (!loaded) return usage_error("--cases " + loaded.error().message);
    cases = std::move(*loaded);
  }
  auto project = client::flows::load_flow_project(a.path);
  if (!project) return usage_error(project.error().message);
  client::flows::FlowsRun run;
  run.project = &*project;
  run.handovers = client::flows::find_handover_nodes(*project);
  run.findings = client::flows::static_checks(*project, run.handovers);
  run.cases = client::flows::run_cases(run.handovers, cases);
  if (auto code = write_reports(a.reports, [&](const std::string& f) { return render_flows(run, f, *catalogue); }))
    return *code;
  if (auto st = write_stdout(render_flows(run, a.format, *catalogue)); !st) return usage_error(st.error().message);
  return run.failed() ? util::kExitFailed : util::kExitOk;
}

}  // namespace client::commands
