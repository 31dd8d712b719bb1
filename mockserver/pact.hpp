// Pact: the contract-testing standard's interactions (specification v2, v3 and v4) and their
// matching rules, compared the way the Pact specification's own test cases define
// (tests/data/pact-testcases): a request against what a pact expects (the mock's side), a
// provider's response against the pact's (verify's side). Differences are Mismatch values, the
// matcher's own type, so a near-miss answer or a drift report reads the same for either.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mockserver/matcher.hpp"
#include "util/http.hpp"
#include "util/json_text.hpp"
#include "util/regex.hpp"
#include "util/result.hpp"

namespace mockserver::pact {

// One matcher of a rule: its kind as a pact spells it ("match") and what it needs.
struct Matcher {
  std::string kind;                  // equality regex type min max include integer decimal number boolean null values
                                     // contentType date time timestamp arrayContains semver notEmpty
  std::optional<util::Regex> regex;  // regex (whole value); date/time/timestamp formats, translated
  std::optional<std::size_t> min, max;
  std::string value;    // include's text, contentType's type, the date format as written
  util::Json variants;  // arrayContains (v4)
};

// The matchers at one place, with v3's "combine" (AND unless OR).
struct Rule {
  std::vector<Matcher> matchers;
  bool any = false;
};

// A body rule's JSONPath ("$.animals[*].name", "$['a b']") as tokens.
struct PathToken {
  enum Kind { root, field, index, star, star_index } kind = root;
  std::string name;    // field
  std::size_t at = 0;  // index
};

struct Rules {
  std::vector<std::pair<std::vector<PathToken>, Rule>> body;
  std::map<std::string, Rule> header;  // by lower-case name
  std::map<std::string, Rule> query;
  std::optional<Rule> path, status;
  bool empty() const { return body.empty() && header.empty() && query.empty() && !path && !status; }
};

// A pact's "matchingRules" (v2: one flat map keyed "$.body…", "$.headers.X", "$.query.X",
// "$.path"; v3/v4: by category, each entry {"matchers": […], "combine"}). Errors name the rule.
util::Result<Rules> parse_rules(const util::Json& matching_rules, int spec_version);
util::Result<std::vector<PathToken>> parse_json_path(std::string_view path);

// One side of an interaction (a request or a response) as a pact states it, or as it was seen.
struct Message {
  std::string method, path;
  std::optional<std::map<std::string, std::vector<std::string>>> query;  // nullopt: not stated
  std::vector<std::pair<std::string, std::string>> headers;
  int status = 0;
  enum class Body { absent, null, json, text } body_kind = Body::absent;
  util::Json body;   // json
  std::string text;  // text (and XML, compared as text)
  // The content type the headers name ("" when none), lower case, without parameters.
  std::string content_type() const;
};

// A pact's request or response object ("method", "path", "query", "headers", "status", "body");
// v2's query string is parsed into the v3 form. A body is JSON when the content type is JSON or
// unstated and the value is not a string; a string under a JSON content type is parsed.
util::Result<Message> message_from_pact(const util::Json& side, int spec_version);
// A query string into names and their values, in order (v2 pacts, and requests).
std::map<std::string, std::vector<std::string>> parse_query_string(std::string_view query);

// What a pact expects of a request: the request as it states it, and its matching rules.
struct Expectation {
  Message request;
  Rules rules;
};

// A request the mock received, as a Message (one value per query parameter: the mock's request
// keeps one; the body JSON when it parses, else text). parsed_body: the body already parsed.
Message message_from_http(const util::HttpRequest& request, const util::Json* parsed_body = nullptr);

// Every difference, in a stable order (method, path, query, headers, body; status first for a
// response). A request may not carry unexpected body keys or query parameters; a response may
// carry unexpected body keys (Postel).
std::vector<Mismatch> match_request(const Message& expected, const Rules& rules, const Message& actual);
// The same without method and path (the mock's pattern matches those itself).
std::vector<Mismatch> match_request_content(const Message& expected, const Rules& rules, const Message& actual);
std::vector<Mismatch> match_response(const Message& expected, const Rules& rules, const Message& actual);

}  // namespace mockserver::pact
