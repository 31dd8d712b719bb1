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

// The state: at the profile's pointer, or the last value at its path (genesys: the customer's
// call); null when there is none.
const util::Json* state_of(const Profile& p, const util::Json& target) {
  const auto& c = p.conversation;
  if (c.state_path.empty()) return at_pointer(target, c.state_pointer);
  auto found = select_path(target, c.state_path);
  return found.empty() ? nullptr : found.back();
}

// The participant a transfer replaces (profile genesys): --participant, which must be listed,
// else the last listed participant of a transferable purpose whose last state has not ended.
// False after failing the step.
bool pick_participant(Run& run, StepResult& s, const util::Json& target) {
  const auto& t = run.profile.conversation.participant;
  if (t.list_pointer.empty()) return true;
  const util::Json* list = list_at(s, target, t.list_pointer, "the conversation's participants");
  if (!list) return false;
  const std::string& wanted = run.cfg.participant_id;
  util::Json considered = util::Json::array();
  for (const auto& e : *list) {
    const util::Json* id = at_pointer(e, t.id_pointer);
    const util::Json* purpose = at_pointer(e, t.purpose_pointer);
    if (!id || !(id->is_string() || id->is_number())) continue;
    std::string pid = scalar_text(*id), why = purpose && purpose->is_string() ? purpose->get<std::string>() : "";
    auto states = t.state_path.empty() ? std::vector<const util::Json*>{} : select_path(e, t.state_path);
    std::string state = states.empty() || !states.back()->is_string() ? "" : states.back()->get<std::string>();
    considered.push_back({{"id", pid}, {"purpose", why}, {"state", state}});
    bool live = !contains(t.ended_states, state);
    if (!wanted.empty() ? pid == wanted : (contains(t.purposes, why) && live)) {
      run.participant_id = pid;
      if (!wanted.empty() && !live) {
        run.participant_id.clear();
        s.evidence["participants"] = considered;
        std::string what = "participant ";
        what.append(pid).append(" (").append(why).append(") is ").append(state);
        fail(s, codes::kParticipantNotTransferable, what + ": a transfer replaces a connected participant");
        return false;
      }
    }
  }
  s.evidence["participants"] = considered;
  if (run.participant_id.empty()) {
    fail(s, codes::kParticipantNotTransferable,
         wanted.empty()
             ? "no connected participant with purpose " + util::join(t.purposes, ", ") + " to replace with the queue"
             : "participant " + wanted + " is not in the conversation");
    return false;
  }
  s.evidence["participantId"] = run.participant_id;
  return true;
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
  const util::Json* st = state_of(run.profile, *target);
  if (!st || !(st->is_string() || st->is_boolean() || st->is_number())) {
    const std::string& where = c.state_path.empty() ? c.state_pointer : c.state_path;
    s.evidence["missing"] = where;
    return fail(s, codes::kMalformedResponse, "conversation lacks " + where);
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
  if (!pick_participant(run, s, *target)) return;
  s.status = StepStatus::ok;
  s.summary = "state " + state + (run.customer_name.empty() ? "" : ", customer " + run.customer_name) +
              (run.participant_id.empty() ? "" : ", replacing participant " + run.participant_id);
  if (!contains(c.active_states, state))
    warn(s, "state \"" + state + "\" is neither active nor ended in profile " + run.profile.name);
}

}  // namespace client::steps
