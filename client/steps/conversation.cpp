// The conversation step: the conversation exists (or is among the live contacts, for a list
// endpoint), and its state allows a transfer.
#include "client/steps/steps.hpp"
#include "client/steps/support.hpp"
#include "contracts/codes.hpp"
#include "util/strings.hpp"

namespace client::steps {

namespace {

namespace codes = contracts::codes;

// The element of the list whose match pointer holds id, or null after failing the step.
const util::Json* find_listed(Run& run, StepResult& s, const util::Json& body, const std::string& id) {
  const auto& c = run.profile.conversation;
  const util::Json* list = list_at(s, body, c.list_pointer, "the list answer");
  if (!list) return nullptr;
  const util::Json* target = nullptr;
  for (const auto& e : *list) {
    const util::Json* v = at_pointer(e, c.match_pointer);
    if (v && (v->is_string() || v->is_number()) && scalar_text(*v) == id) {
      target = &e;
      break;
    }
  }
  s.evidence["listed"] = list->size();
  if (!target)
    fail(s, c.not_listed_code,
         "contact " + id + " is not among the " + std::to_string(list->size()) +
             " active contacts: it has ended, or belongs to another tenant");
  return target;
}

}  // namespace

void conversation(Run& run, StepResult& s) {
  const std::string& id = run.cfg.conversation_id;
  if (id.empty()) return skip(s, "not attempted: no conversation ID given (--conversation, TEST_CONVERSATION_ID)");
  if (!id_well_formed(
          run, s, {.kind = "conversation", .id = id, .code = codes::kConversationNotFound, .what = "conversation ID"}))
    return;
  if (!run.passed("auth")) return skip(s, "not attempted: no token");
  const auto& c = run.profile.conversation;
  auto body = fetch(run, s, get_request(api_url(run, c.endpoint, {{"conversationId", id}})), kApiGet,
                    c.endpoint.response_contract);
  if (!body) return;
  const util::Json* target = c.list_pointer.empty() ? &*body : find_listed(run, s, *body, id);
  if (!target) return;
  const util::Json* st = at_pointer(*target, c.state_pointer);
  if (!st || !(st->is_string() || st->is_boolean() || st->is_number())) {
    s.evidence["missing"] = c.state_pointer;
    return fail(s, codes::kMalformedResponse, "conversation lacks " + c.state_pointer);
  }
  std::string state = scalar_text(*st);
  s.evidence["state"] = state;
  if (!c.customer_name_path.empty()) {
    for (const auto* v : select_path(*target, c.customer_name_path)) {
      if (v->is_string()) {
        run.customer_name = v->get<std::string>();
        s.evidence["customerName"] = run.customer_name;
        break;
      }
    }
  }
  if (contains(c.ended_states, state))
    return fail(s, codes::kConversationAlreadyWrappedUp,
                "conversation is " + state + ": a transfer needs it " + util::join(c.active_states, " or "));
  s.status = StepStatus::ok;
  s.summary = "state " + state + (run.customer_name.empty() ? "" : ", customer " + run.customer_name);
  if (!contains(c.active_states, state))
    warn(s, "state \"" + state + "\" is neither active nor ended in profile " + run.profile.name);
}

}  // namespace client::steps
