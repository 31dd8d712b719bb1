// The diagnose steps of SPEC §2, one function each over the run's explicit state (run.hpp).
// A step reads what earlier steps left in the Run, reports into its own StepResult and never
// calls another step; a profile that needs a different step replaces that entry of the list.
#pragma once

#include <vector>

#include "client/steps/run.hpp"

namespace client::steps {

using StepFn = void (*)(Run&, StepResult&);
struct Step {
  const char* name;
  StepFn run;
};

void config(Run& run, StepResult& s);        // steps/config.cpp: base URL, credentials, IDs, payload IDs
void auth(Run& run, StepResult& s);          // steps/auth.cpp: discovery, token, scopes
void conversation(Run& run, StepResult& s);  // steps/conversation.cpp: the conversation exists and is live
void queue(Run& run, StepResult& s);         // steps/queue.cpp: the target queue exists and is active
void wrapup(Run& run, StepResult& s);        // steps/wrapup.cpp: the code is in the queue's (paged) list
void payload(Run& run, StepResult& s);       // steps/payload.cpp: the body against the contracts and lints
void transfer(Run& run, StepResult& s);      // steps/transfer.cpp: the transfer itself (dry run by default)

// config, auth, conversation, queue, wrapup, payload, transfer.
const std::vector<Step>& standard_steps();

}  // namespace client::steps
