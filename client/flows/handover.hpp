// The nodes of a Cognigy project that hand a session over, and what can be said of them without
// any input: the CXone extension's Exit Interaction (handoverToCXone) and Signal Interaction
// (sendCxoneSignal) nodes (Cognigy/Extensions extensions/cxone), HTTP Request nodes whose URL is a
// built-in profile's transfer call (matched on the URL's path, templates as wildcards), and the
// built-in Handover to Agent node (found and reported; its routing is set on the contact-centre
// side). Each static finding has its own code (explain CODE).
#pragma once

#include <string>
#include <vector>

#include "client/flows/project.hpp"

namespace client::flows {

enum class HandoverKind { cxone_exit, cxone_signal, http_request, builtin };
std::string_view kind_name(HandoverKind kind);

struct HandoverNode {
  const FlowNode* node = nullptr;
  HandoverKind kind = HandoverKind::builtin;
  std::string profile;           // the profile whose call it makes (cxone for the extension's nodes); empty for builtin
  std::string call;              // "POST /interactions/{conversationId}/signal" as the profile writes it
  bool call_is_payload = false;  // the request's body (with its query) is the profile's payload
};

struct FlowFinding {
  std::string code;
  std::string severity;  // "error" or "warning"
  std::string where;     // file:line:col
  std::string message;
  std::string hint;
  const FlowNode* node = nullptr;
};

std::vector<HandoverNode> find_handover_nodes(const FlowProject& project);

// Template syntax, paths no node writes (warnings), more than 9 Signal parameters, optional
// parameters that are not an array, an action other than Escalate or End, a display name where an
// ID belongs, a hard-coded contact ID.
std::vector<FlowFinding> static_checks(const FlowProject& project, const std::vector<HandoverNode>& handovers);

// The value of a config field that holds JSON, parsed when it is JSON text (exports keep some
// JSON fields as text); the value itself otherwise.
util::Json json_field(const util::Json& config, const std::string& key);

}  // namespace client::flows
