// Small behaviours of the fixture model.
#include "mockserver/fixture.hpp"

namespace mockserver {

namespace {
int leaf_count(const util::Json& j) {
  if (j.is_object() || j.is_array()) {
    int n = 0;
    for (const auto& e : j) n += leaf_count(e);
    return n;
  }
  return 1;
}
}  // namespace

int RequestPattern::specificity() const {
  int score = 0;
  for (const auto& s : segments) score += s.is_param() ? 1 : 3;
  if (path_regex) score += 2;  // a pattern is more than "anything", less than literal segments
  if (!method.empty()) score += 2;
  score += 2 * static_cast<int>(query.size() + headers.size() + form.size() + body_fields.size());
  if (json) score += 2 * leaf_count(*json);
  return score;
}

std::string ValueMatcher::describe() const {
  switch (kind) {
    case Kind::equals:
      return text;
    case Kind::matches:
      return "~ /" + regex.source() + "/";
    case Kind::absent:
      return "(absent)";
    case Kind::present:
      return "(present)";
  }
  return text;
}

std::string_view fault_name(Fault f) {
  switch (f) {
    case Fault::none:
      return "none";
    case Fault::malformed_body:
      return "malformed-body";
    case Fault::timeout:
      return "timeout";
    case Fault::connection_reset:
      return "connection-reset";
    case Fault::empty_response:
      return "empty-response";
    case Fault::slow_drip:
      return "slow-drip";
  }
  return "none";
}

}  // namespace mockserver
