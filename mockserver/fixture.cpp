// Small behaviours of the fixture model.
#include "mockserver/fixture.hpp"

#include "util/strings.hpp"

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

std::vector<PathSegment> parse_path_template(std::string_view path) {
  std::vector<PathSegment> out;
  auto parts = util::split(path.substr(path.starts_with('/') ? 1 : 0), '/');
  for (auto& part : parts) {
    if (part.size() > 2 && part.front() == '{' && part.back() == '}')
      out.push_back({"", part.substr(1, part.size() - 2)});
    else
      out.push_back({part, ""});
  }
  return out;
}

void RequestPattern::set_path(std::string path_template) {
  segments_ = parse_path_template(path_template);
  path_ = std::move(path_template);
  path_regex_.reset();
}

void RequestPattern::set_path_pattern(std::string source, Regex regex) {
  path_ = std::move(source);
  segments_.clear();
  path_regex_ = std::move(regex);
}

int RequestPattern::specificity() const {
  int score = 0;
  for (const auto& s : segments_) score += s.is_param() ? 1 : 3;
  if (path_regex_) score += 2;  // a pattern is more than "anything", less than literal segments
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
