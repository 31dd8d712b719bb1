// Where a handover's parameters travel. CXone's Signal API takes p1..p9 as query parameters
// (Admin API SignalAContact; the Cognigy extension's Signal Interaction node), while the
// extension's Exit Interaction node sends p1 in the query and the rest as a JSON body: a mock
// that validated the body alone would fail the first form and half-check the second. For a
// profile whose transfer puts parameters in the query ("queryFromPayload"), the parameters are
// gathered from both places into the one object its contract checks, and the form is said.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/http.hpp"
#include "util/json_text.hpp"

namespace mockserver {

struct GatheredPayload {
  std::string text;  // the parameters as one JSON object, for the contract
  // {"form": "query" | "query+body" | "body", "inQuery": [...], "inBody": [...],
  //  "jsonStrings": {"p2": "array", ...}}: how the request carried them, for the journal.
  util::Json form;
};

// The contract's parameters (keys) of request from its query and its JSON body (a member in both
// places: the query's value, and the form says "both"). nullopt when the body is neither empty
// nor a JSON object: it is checked as it came, and its own violations say why.
std::optional<GatheredPayload> gather_parameters(const util::HttpRequest& request,
                                                 const std::vector<std::string>& keys);

}  // namespace mockserver
