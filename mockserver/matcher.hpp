// Request matching. Matching yields values, not booleans: every part of a RequestPattern that
// a request fails is a Mismatch (kind, location, expected, actual, message). The same values
// serve the near-miss answer, replay diffs and verify.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mockserver/fixture.hpp"
#include "util/http.hpp"

namespace mockserver {

// The part of a request a mismatch is in (its name is the near-miss answer's "kind").
enum class MismatchKind { method, path, query, header, form, body, status };
std::string_view kind_name(MismatchKind kind);

struct Mismatch {
  MismatchKind kind = MismatchKind::body;
  std::string location;  // query/header/form name, or JSON pointer into the body
  std::string expected;
  std::string actual;
  std::string message;
};

// A request with its body decoded once, shared by every pattern it is matched against.
struct IncomingRequest {
  const util::HttpRequest& http;
  std::vector<std::string_view> segments;                  // of the path, split once
  std::optional<util::Json> json;                          // when the body parses as JSON
  std::optional<std::map<std::string, std::string>> form;  // when the body is form-encoded

  explicit IncomingRequest(const util::HttpRequest& request);
};

// Does a pattern's method (empty: any) accept the request's? A GET interaction answers HEAD too.
bool method_accepts(const std::string& pattern_method, const std::string& request_method);

// Does the value (null: absent) satisfy the matcher? Text values; body fields use match_field.
bool match_text(const ValueMatcher& m, const std::string* actual);

struct MatchResult {
  std::vector<Mismatch> mismatches;
  bool matched() const { return mismatches.empty(); }
  // Near-miss ranking: path-template similarity first, then method, then the rest. Lower is closer.
  double distance = 0;
};

MatchResult match_request(const RequestPattern& pattern, const IncomingRequest& request);
// A lower bound of match_request(...).distance (path, method, query, header and form matchers;
// not the body), with no allocation: near-miss ranking evaluates the full match only where the
// bound can still win.
double distance_lower_bound(const RequestPattern& pattern, const IncomingRequest& request);

// True when actual contains expected (objects: every expected member, recursively; arrays:
// same length, element-wise; scalars: equal). Appends a Mismatch per difference.
void json_subset(const util::Json& expected, const util::Json& actual, const std::string& pointer,
                 std::vector<Mismatch>& out);

}  // namespace mockserver
