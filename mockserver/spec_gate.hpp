// serve --spec: requests judged against API descriptions, as Prism does. A request is matched to
// its operation (method and path under the description's base path); its body, query and header
// parameters are checked against the operation, and what is wrong goes to the journal (with
// --spec-strict the mock answers 400 with it instead). A request no fixture answers gets a 404
// naming the nearest operation when the descriptions have none for it, or, with
// --spec-examples, the operation's example answer (or one generated from its schema).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contracts/api_spec.hpp"
#include "mockserver/matcher.hpp"
#include "util/http.hpp"
#include "util/json_text.hpp"

namespace mockserver {

struct SpecOptions {
  std::shared_ptr<const std::vector<contracts::ApiSpec>> specs;  // null: serve --spec not given
  bool strict = false;    // --spec-strict: a request that breaks its operation is answered 400
  bool examples = false;  // --spec-examples: requests no fixture answers get the operation's example
};

// What the descriptions say of one request.
struct SpecVerdict {
  const contracts::ApiSpec* spec = nullptr;
  const contracts::SpecOperation* operation = nullptr;  // null: no description has it
  util::Json violations = util::Json::array();          // {code, pointer, message} per problem
  std::string nearest;                                  // without an operation: the closest one
  // For the journal: {"operation", "violations"} or {"operation": null, "nearest"}.
  util::Json to_json() const;
};

SpecVerdict judge_request(const std::vector<contracts::ApiSpec>& specs, const IncomingRequest& request);

// 404 for a request no description has, naming the nearest operation.
util::HttpResponse spec_unknown_response(const util::HttpRequest& request, const SpecVerdict& verdict);
// --spec-strict: 400 with every violation.
util::HttpResponse spec_invalid_response(const SpecVerdict& verdict);
// --spec-examples: the operation's first success answer (2xx, else default) with its example
// body, marked "X-Mock-Spec-Example: <operation>"; nullopt when the operation declares none.
std::optional<util::HttpResponse> spec_example_response(const SpecVerdict& verdict);

}  // namespace mockserver
