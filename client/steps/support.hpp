// What every step does with an answer: fail, skip or warn with a summary; lift the catalogue's
// evidence out of an answer; classify a refusal through the catalogue's rules; insist on a JSON
// object that satisfies the endpoint's response contract; send a GET under the session's
// policy and hand back its body. Each takes the run and the step it reports into.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/steps/run.hpp"
#include "util/json_text.hpp"

namespace client::steps {

void fail(StepResult& s, const std::string& code, std::string summary);
void skip(StepResult& s, std::string why);
void warn(StepResult& s, const std::string& why);

using util::at_pointer;
bool contains(const std::vector<std::string>& list, const std::string& value);

// Evidence the catalogue says to keep from any answer: correlation headers, error fields.
void collect_evidence(const Run& run, StepResult& s, const util::HttpResponse& r, const util::Json* body);
// A non-success answer: classified through the catalogue's rules (as rules_step's answer).
void fail_http(const Run& run, StepResult& s, const util::HttpResponse& r, const std::string& rules_step = "",
               const std::string& prefix = "");
void fail_network(StepResult& s, const NetworkError& e, const std::string& prefix = "");
// A token that could not be had, described as its answer deserves.
void fail_token(Run& run, StepResult& s, const TokenFailure& failure);
// What a call's token refreshes leave in the step: the refresh's answer as evidence, or the
// step failed when a token could not be had (then false).
bool absorb_token_refresh(Run& run, StepResult& s, const CallOutcome& out);
// A success body as a JSON object, or nullopt after failing the step as MALFORMED_RESPONSE.
std::optional<util::Json> json_body(const Run& run, StepResult& s, const util::HttpResponse& r);
// A 2xx body must satisfy the endpoint's response contract; the first violation names the field.
bool conforms(Run& run, StepResult& s, const util::Json& body, const std::string& contract_name,
              const util::HttpResponse& r);
// Sends under policy and handles what is common to every GET; the JSON body on success. A list
// endpoint's "no entries" answer (CXone's 204) reads as an empty object.
std::optional<util::Json> fetch(Run& run, StepResult& s, const OutgoingRequest& req, CallPolicy policy,
                                const std::string& contract = "");
// The array at pointer in a list answer (empty for a "no entries" answer), or null after
// failing the step as MALFORMED_RESPONSE.
const util::Json* list_at(StepResult& s, const util::Json& body, const std::string& pointer, const char* what);

OutgoingRequest get_request(std::string url);
// The endpoint's URL under the run's API root, placeholders filled from vars.
std::string api_url(const Run& run, const Endpoint& ep, const std::map<std::string, std::string>& vars);
// A URL found by discovery. With --base-url (a mock, a proxy) every call goes to that origin:
// the discovered URL keeps its path and takes the base URL's scheme, host and port.
std::string rebase(const Run& run, const std::string& discovered);

// An ID checked against the profile's format for its kind before any call.
struct IdCheck {
  std::string kind;  // conversation, queue, wrapup: the key of the profile's id_formats
  const std::string& id;
  const char* code;      // the classification when it is malformed
  std::string what;      // "queue ID"
  std::string why = "";  // appended to the summary
};
// A malformed ID fails the step it belongs to, with that step's code.
bool id_well_formed(const Run& run, StepResult& s, const IdCheck& check);

}  // namespace client::steps
