// API profiles as data (contracts/profiles/*.json): paths, methods, where each field the steps
// need lives in the responses (JSON pointers), state names, scopes. A new tenant layout is a
// new file, not a rebuild.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/json_text.hpp"
#include "util/result.hpp"

namespace client {

struct Endpoint {
  std::string method;
  std::string path;                          // with {conversationId}, {queueId} placeholders
  std::map<std::string, std::string> query;  // values may hold placeholders too ({page})
  std::vector<std::string> scopes;
  std::string response_contract;  // contract a 2xx body must satisfy (empty: none)
};

struct Profile {
  std::string name;
  std::string description;
  std::string base_url;  // pattern with {environment}: the issuer / token host
  // The token host when it is not the base URL (genesys: https://login.{environment}); used
  // only when the base URL comes from the environment (a mock serves both on one URL).
  std::string login_url;
  std::string default_environment;
  std::string contract;  // default payload contract
  // Where the API endpoints live: a pattern with {baseUrl} or, after discovery, {apiEndpoint}.
  std::string api_root = "{baseUrl}";
  std::map<std::string, std::string> id_formats;  // conversation|queue|wrapup -> uuid|integer|any

  // OpenID and tenant discovery before and after the token (profile cxone); empty paths: none.
  struct {
    std::string openid_path, token_endpoint_pointer;
    std::string api_path, api_endpoint_pointer;
    std::map<std::string, std::string> api_query;  // may hold {tenantId}
    std::string tenant_claim;                      // claim of the id_token (or access token) JWT
  } discovery;

  struct {
    Endpoint endpoint;
    // "client-credentials-form": client_id/client_secret in the form (v2).
    // "password-basic": Basic client_id:client_secret, grant_type=password with the access key (cxone).
    // "client-credentials-basic": Basic client_id:client_secret, grant_type=client_credentials (genesys).
    std::string style = "client-credentials-form";
    std::string token_pointer, expires_in_pointer, scope_pointer, id_token_pointer, refresh_token_pointer;
    std::vector<int> refresh_on = {401};  // API statuses answered by one token refresh and one retry
  } auth;
  struct {
    Endpoint endpoint;
    // A list endpoint (contacts/active): the element whose match pointer equals the ID is the
    // conversation; state and customer paths are then relative to it. Empty: the body is it.
    std::string list_pointer, match_pointer;
    std::string not_listed_code = "CONVERSATION_NOT_FOUND";
    std::string state_pointer;
    // Instead of state_pointer: the last value at a select_path (genesys: the customer's call
    // state, /participants/*[purpose=customer]/calls/*/state).
    std::string state_path;
    std::vector<std::string> active_states, ended_states;
    std::string customer_name_path;
    // The participant a transfer replaces (genesys): the last element of the list whose purpose
    // is one of purposes and whose last state (state_path, relative) is not an ended one.
    // Empty list_pointer: the profile transfers the conversation, not a participant.
    struct {
      std::string list_pointer, id_pointer = "/id", purpose_pointer = "/purpose", state_path;
      std::vector<std::string> purposes, ended_states;
    } participant;
  } conversation;
  struct {
    Endpoint endpoint;
    std::string state_pointer, name_pointer;
    bool state_required = true;              // false: an answer without a state is an existing queue
    std::vector<std::string> active_states;  // a boolean state reads "true"/"false"
    std::string joined_agents_pointer;       // 0 there: a warning (the call will wait)
    std::vector<std::string> evidence_pointers;
  } queue;
  struct {
    Endpoint endpoint;
    std::string entities_pointer, id_pointer, name_pointer, page_count_pointer, total_pointer;
    int page_size = 100;  // {offset} = (page - 1) * page_size
    int max_pages = 50;
  } wrapup;
  struct {
    Endpoint endpoint;
    std::vector<int> success_statuses;
    std::vector<std::string> query_from_payload;  // payload members sent as query parameters (p1)
    // Instead of sending the payload to endpoint: these requests in order (genesys: the
    // attributes PATCH, then replace/queue), each body a template (build_request_body).
    struct Request {
      std::string name;
      Endpoint endpoint;
      util::Json body;
      std::vector<int> success_statuses;
    };
    std::vector<Request> requests;
  } transfer;
  std::string payload_queue_pointer, payload_wrapup_pointer;
  // The body diagnose builds without --payload: strings may hold {queueId}, {wrapupId},
  // {customerName} (a member whose value is only an empty placeholder is dropped), and
  // {"$json": X} becomes the JSON text of X (a Signal parameter).
  util::Json payload_template;
  // Statuses a list endpoint answers with no body for "no entries" (CXone: 204).
  std::vector<int> empty_list_statuses;
};

// The payload template filled in (see Profile::payload_template).
util::Json build_payload(const util::Json& tmpl, const std::map<std::string, std::string>& vars);

// A transfer request's body from its template: strings may hold {queueId}, {wrapupId},
// {participantId}, {conversationId}; {"$payload": "/pointer"} is the payload's value there (a
// member whose value is missing is dropped).
util::Json build_request_body(const util::Json& tmpl, const util::Json& payload,
                              const std::map<std::string, std::string>& vars);

// A scalar as text: strings as they are, numbers and booleans as JSON ("6368531", "true").
std::string scalar_text(const util::Json& v);

// A built-in name ("v2") or a path to a profile file.
util::Result<Profile> load_profile(std::string_view name_or_path);
// The contract a profile names, without the rest (validate's default contract): a built-in
// profile's member read directly (the built-in profiles are checked whole by the test suite),
// a profile file loaded and checked in full, with load_profile's errors.
util::Result<std::string> profile_contract(std::string_view name_or_path);
// The document is checked against contracts/meta/profile.schema.json first (an unknown or
// misspelt key is an error naming the nearest known key); text, when given, places it.
util::Result<Profile> parse_profile(const util::Json& doc, std::string_view source, std::string_view text = {});

// Replaces {name} placeholders (URL-encoding each value when encode is set); unknown names stay.
std::string expand_template(std::string_view pattern, const std::map<std::string, std::string>& values,
                            bool encode = true);

// Values at a path of JSON-pointer segments where "*" walks every array element and
// "*[key=value]" keeps the elements whose member key equals value.
std::vector<const util::Json*> select_path(const util::Json& root, std::string_view path);

// Whether id has the profile's format for kind (uuid, integer, any).
bool id_has_format(std::string_view id, std::string_view format);

}  // namespace client
