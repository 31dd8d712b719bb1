// The queue step: the target queue's ID has the profile's format, the queue exists and is
// active (a warning when no agent has joined it).
#include "client/steps/steps.hpp"
#include "client/steps/support.hpp"
#include "contracts/codes.hpp"

namespace client::steps {

void queue(Run& run, StepResult& s) {
  namespace codes = contracts::codes;
  const std::string& id = run.queue_id;
  if (id.empty()) return skip(s, "no queue ID (the payload lacks " + run.profile.payload_queue_pointer + ")");
  s.evidence["queueId"] = id;
  if (!id_well_formed(run, s,
                      {.kind = "queue",
                       .id = id,
                       .code = codes::kInvalidTransferTarget,
                       .what = "queue ID",
                       .why = ": a queue name where an ID belongs"}))
    return;
  if (!run.passed("auth")) return skip(s, "not attempted: no token");
  const auto& q = run.profile.queue;
  auto body =
      fetch(run, s, get_request(api_url(run, q.endpoint, {{"queueId", id}})), kApiGet, q.endpoint.response_contract);
  if (!body) return;
  const util::Json* st = at_pointer(*body, q.state_pointer);
  bool has_state = st && (st->is_string() || st->is_boolean());
  if (!has_state && (q.state_required || st)) {
    s.evidence["missing"] = q.state_pointer;
    return fail(s, codes::kMalformedResponse, "queue lacks " + q.state_pointer);
  }
  std::string name;
  if (const auto* n = at_pointer(*body, q.name_pointer); n && n->is_string()) name = n->get<std::string>();
  s.evidence["name"] = name;
  if (has_state) s.evidence["state"] = *st;
  for (const auto& ptr : q.evidence_pointers)
    if (const auto* v = at_pointer(*body, ptr)) s.evidence[ptr.substr(ptr.rfind('/') + 1)] = *v;
  std::string label = name.empty() ? id : "\"" + name + "\"";
  // Today's Genesys queue has no state: that it answers is that it exists.
  std::string state = has_state ? scalar_text(*st) : "";
  std::string state_label = !has_state         ? "there (no state in the answer)"
                            : st->is_boolean() ? (st->get<bool>() ? "active" : "inactive")
                                               : state;
  if (has_state && !contains(q.active_states, state))
    return fail(s, codes::kInvalidTransferTarget, "queue " + label + " is " + state_label + ", not active");
  s.status = StepStatus::ok;
  s.summary = "queue " + label + " is " + state_label;
  if (const auto* joined = q.joined_agents_pointer.empty() ? nullptr : at_pointer(*body, q.joined_agents_pointer);
      joined && *joined == 0)
    warn(s, "no agent has joined the queue: the call will wait");
}

}  // namespace client::steps
