// What handover-diag flows prints: the handover nodes found, the static findings, the cases, in
// text, json, junit or sarif (SARIF locations in chart.json or the package's zip entry).
#pragma once

#include <string>
#include <vector>

#include "client/flows/cases.hpp"
#include "client/flows/handover.hpp"
#include "client/flows/project.hpp"
#include "contracts/catalogue.hpp"

namespace client::flows {

struct FlowsRun {
  const FlowProject* project = nullptr;
  std::vector<HandoverNode> handovers;
  std::vector<FlowFinding> findings;
  std::vector<CaseResult> cases;
  bool failed() const;  // an error finding or a failed case
};

std::string render_flows(const FlowsRun& run, const std::string& format, const contracts::Catalogue& catalogue);

}  // namespace client::flows
