// The scenario file model (SPEC §4, fixture version 1): interactions made of a RequestPattern
// and a ResponseSpec, optional scenario state, and what the client run should conclude.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mockserver/templating.hpp"
#include "util/http.hpp"
#include "util/json_text.hpp"
#include "util/regex.hpp"

namespace mockserver {

namespace pact {
struct Expectation;  // mockserver/pact.hpp
}

struct PathSegment {
  std::string literal;  // empty when param
  std::string param;    // name inside {...}
  bool is_param() const { return !param.empty(); }
};

// A compiled regular expression with its source (for messages): RE2, linear in the input.
using Regex = util::Regex;

// How one value (a query parameter, header, form field, or JSON body field) must look.
struct ValueMatcher {
  enum class Kind { equals, matches, absent, present };
  Kind kind = Kind::equals;
  std::string text;  // equals: the expected text (headers, query, form)
  util::Json value;  // equals on a body field: the expected JSON value
  Regex regex;       // matches
  // The expectation as shown in a near-miss: the text, "~ /re/", "(absent)", "(present)".
  std::string describe() const;
  static ValueMatcher equal_to(std::string text) {
    ValueMatcher m;
    m.text = std::move(text);
    return m;
  }
};

// The path segments of a template ("/a/{id}": literal a, parameter id).
std::vector<PathSegment> parse_path_template(std::string_view path);

struct RequestPattern {
  // The path as written (a template such as /api/v2/conversations/{id}, or a pathPattern's
  // source) and what is matched: the template's segments, or the regex. Set together only.
  void set_path(std::string path_template);
  void set_path_pattern(std::string source, Regex regex);
  const std::string& path() const { return path_; }
  const std::vector<PathSegment>& segments() const { return segments_; }  // empty with a regex
  const std::optional<Regex>& path_regex() const { return path_regex_; }

  std::string method;  // upper case; empty: any
  std::map<std::string, ValueMatcher> query;
  std::map<std::string, ValueMatcher> headers;  // names lower-cased
  std::map<std::string, ValueMatcher> form;
  std::optional<util::Json> json;                                 // subset the body must contain
  std::vector<std::pair<std::string, ValueMatcher>> body_fields;  // JSON pointer -> matcher
  // An interaction from a pact (serve --pact): its query, headers and body are compared as Pact
  // does, with the pact's matching rules (method and path are the pattern's own, above).
  std::shared_ptr<const pact::Expectation> pact;

  // Higher is more specific: literal path segments, then every further constraint.
  int specificity() const;

 private:
  std::string path_;
  std::vector<PathSegment> segments_;
  std::optional<Regex> path_regex_;
};

// How a response misbehaves. malformed-body: the body cut in half; connection-reset: a TCP RST
// instead of an answer; empty-response: the connection closed with no byte sent; timeout: the
// connection held open without an answer until the client gives up; slow-drip: the answer
// sent a few bytes at a time.
enum class Fault { none, malformed_body, connection_reset, empty_response, timeout, slow_drip };

struct Drip {
  std::size_t chunk_bytes = 16;
  int interval_ms = 100;
};

struct Generator;  // generators.hpp

struct ResponseSpec {
  int status = 200;
  util::Headers headers;
  std::string body;      // precomputed bytes (json serialized at load time)
  int delay_ms = 0;      // fixed delay, or the low end of a random range
  int delay_max_ms = 0;  // above delay_ms: a delay drawn uniformly from [delay_ms, delay_max_ms]
  Fault fault = Fault::none;
  Drip drip;  // for slow-drip
  // Fresh values per answer (generators.hpp); null when none. generators_source: as written, for
  // export pact.
  std::shared_ptr<const std::vector<Generator>> generators;
  util::Json generators_source;
  // "template": true: the body's and headers' {{...}} expressions, compiled (templating.hpp).
  std::shared_ptr<const ResponseTemplates> templates;
};

struct ScenarioStep {
  std::string name;
  std::string required_state;  // empty: any state
  std::string new_state;       // empty: unchanged
};

struct Interaction {
  std::string id;
  RequestPattern request;
  ResponseSpec response;
  std::optional<ScenarioStep> scenario;
  // Pact provider states the interaction is for (provider_states.hpp): once a state is set up,
  // it answers only while one of these is. Empty: whatever is set up.
  std::vector<std::string> provider_states;
  bool required = false;
  int priority = 0;  // higher wins before any specificity (-10000..10000)
  // "validatePayload": the request body is checked with the contracts given to the mock
  // (--validate-payloads), else the fixture profile's contract; violations are journalled, and with reject_status the
  // mock answers that status with them instead of the response, like a strict server.
  bool validate_payload = false;
  int reject_status = 0;
  std::optional<std::uint64_t> times;  // answers at most this many times, then no longer matches
  std::string origin;                  // "file:line:col" of the interaction, for messages
};

struct Expectation {
  std::string classification;
  std::optional<std::string> failed_step;
  std::vector<std::string> violations;
};

struct Fixture {
  std::filesystem::path file;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::string profile = "v2";
  util::Json inputs = util::Json::object();  // payloadFile already resolved into "payload"
  std::vector<Interaction> interactions;
  std::optional<Expectation> expect;
};

std::string_view fault_name(Fault f);

// How an interaction ranks when several match: priority first, then specificity, and an
// interaction bound to a scenario state is one more specific than a free one (higher wins; ties
// go to file order). The engine's selection and check's shadow lint both use this one rank.
inline int selection_rank(const Interaction& x) {
  bool state_bound = x.scenario && !x.scenario->required_state.empty();
  return x.priority * 100000 + x.request.specificity() + (state_bound ? 1 : 0);
}
// Whether a beats b in the selection (a earlier in file order than b when a_first).
inline bool wins_over(int rank_a, int rank_b, bool a_first) { return rank_a > rank_b || (rank_a == rank_b && a_first); }

}  // namespace mockserver
