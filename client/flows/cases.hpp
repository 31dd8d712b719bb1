// The "payload before release" check on what is released: each handover node rendered for each
// case ({name, node?, input, context, profile, expect?}) with Cognigy's semantics (cognigy_script.hpp),
// the exact request it would send built for its profile, and that request's payload validated with
// the profile's contract and the Cognigy lints. A case that states the codes it expects passes when
// the codes are exactly those, as a scenario's expect.violations does; otherwise when there are none.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client/flows/cognigy_script.hpp"
#include "client/flows/handover.hpp"
#include "contracts/violation.hpp"
#include "util/result.hpp"

namespace client::flows {

struct FlowCase {
  std::string name;
  CognigyObjects objects;
  std::optional<std::vector<std::string>> expect;  // violation codes, sorted
  std::string node;   // "node": the label or _id of the one node the case is for; empty: every node
  std::string where;  // file:line:col of the case
};

// A cases file: a JSON array of {name, input?, context?, profile?, expect?}; errors say where.
util::Result<std::vector<FlowCase>> load_cases(const std::string& file);

struct CaseResult {
  const HandoverNode* handover = nullptr;
  const FlowCase* flow_case = nullptr;
  util::Json request;    // {method, url, query, body}: what the node would send
  util::Json payload;    // what the contract checked (body and query merged where the profile says)
  std::string contract;  // empty: no contract for this call (reported, not failed)
  std::vector<contracts::Violation> violations;
  int not_evaluated = 0;  // expressions this renderer does not evaluate (rendered as undefined)
  bool passed = true;
  std::string verdict;  // why it failed, or what it checked
};

// Every enabled handover node with a call (the built-in handover node has none) for every case.
std::vector<CaseResult> run_cases(const std::vector<HandoverNode>& handovers, const std::vector<FlowCase>& cases);

}  // namespace client::flows
