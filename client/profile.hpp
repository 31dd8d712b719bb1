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
  std::string base_url;             // pattern with {environment}
  std::string default_environment;
  std::string contract;             // default payload contract
  std::map<std::string, std::string> id_formats;  // conversation|queue|wrapup -> uuid|integer|any

  struct {
    Endpoint endpoint;
    std::string token_pointer, expires_in_pointer, scope_pointer;
  } auth;
  struct {
    Endpoint endpoint;
    std::string state_pointer;
    std::vector<std::string> active_states, ended_states;
    std::string customer_name_path;
  } conversation;
  struct {
    Endpoint endpoint;
    std::string state_pointer, name_pointer;
    std::vector<std::string> active_states;
  } queue;
  struct {
    Endpoint endpoint;
    std::string entities_pointer, id_pointer, name_pointer, page_count_pointer;
    int max_pages = 50;
  } wrapup;
  struct {
    Endpoint endpoint;
    std::vector<int> success_statuses;
  } transfer;
  std::string payload_queue_pointer, payload_wrapup_pointer;
};

// A built-in name ("v2") or a path to a profile file.
util::Result<Profile> load_profile(std::string_view name_or_path);
util::Result<Profile> parse_profile(const util::Json& doc, std::string_view source);

// Replaces {name} placeholders (URL-encoding each value when encode is set); unknown names stay.
std::string expand_template(std::string_view pattern, const std::map<std::string, std::string>& values,
                            bool encode = true);

// Values at a path of JSON-pointer segments where "*" walks every array element and
// "*[key=value]" keeps the elements whose member key equals value.
std::vector<const util::Json*> select_path(const util::Json& root, std::string_view path);

// Whether id has the profile's format for kind (uuid, integer, any).
bool id_has_format(std::string_view id, std::string_view format);

}  // namespace client
