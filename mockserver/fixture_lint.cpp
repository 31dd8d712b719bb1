// Shadowed interactions: A shadows B when every request B matches is also matched by A, and A
// always wins the selection (higher rank, or the same rank and earlier in the file), with no
// scenario state or "times" that could let B through.
#include "mockserver/fixture_lint.hpp"

namespace mockserver {

namespace {

bool same_matcher(const ValueMatcher& a, const ValueMatcher& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueMatcher::Kind::equals: return a.text == b.text;
    case ValueMatcher::Kind::matches: return a.regex.source() == b.regex.source();
    default: return true;
  }
}

// Every constraint of a is also a constraint of b.
bool constraints_within(const std::map<std::string, ValueMatcher>& a, const std::map<std::string, ValueMatcher>& b) {
  for (const auto& [name, m] : a) {
    auto it = b.find(name);
    if (it == b.end() || !same_matcher(m, it->second)) return false;
  }
  return true;
}

// Does pattern a match every request that pattern b matches?
bool covers(const RequestPattern& a, const RequestPattern& b) {
  if (!a.method.empty() && a.method != b.method) return false;
  if (a.path_regex || b.path_regex) {
    if (!(a.path_regex && b.path_regex && a.path_regex->source() == b.path_regex->source())) return false;
  } else {
    if (a.segments.size() != b.segments.size()) return false;
    for (std::size_t i = 0; i < a.segments.size(); ++i) {
      const auto& sa = a.segments[i];
      const auto& sb = b.segments[i];
      if (!sa.is_param() && (sb.is_param() || sa.literal != sb.literal)) return false;
    }
  }
  if (!constraints_within(a.query, b.query) || !constraints_within(a.headers, b.headers) ||
      !constraints_within(a.form, b.form))
    return false;
  if (a.json && (!b.json || *a.json != *b.json)) return false;
  for (const auto& [pointer, m] : a.body_fields) {
    bool found = false;
    for (const auto& [other, n] : b.body_fields) found = found || (other == pointer && same_matcher(m, n));
    if (!found) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> lint_fixture(const Fixture& fixture) {
  std::vector<std::string> out;
  const auto& xs = fixture.interactions;
  for (std::size_t b = 0; b < xs.size(); ++b) {
    for (std::size_t a = 0; a < xs.size(); ++a) {
      if (a == b) continue;
      const Interaction& A = xs[a];
      const Interaction& B = xs[b];
      if (A.times || A.scenario) continue;  // A may stop matching, so B can still answer
      int rank_a = selection_rank(A), rank_b = selection_rank(B);
      bool a_wins = rank_a > rank_b || (rank_a == rank_b && a < b);
      if (!a_wins || !covers(A.request, B.request)) continue;
      out.push_back(B.origin + ": interaction \"" + B.id + "\" can never answer: \"" + A.id + "\" (" + A.origin +
                    ") matches every request it matches and always wins; give one of them a scenario state, "
                    "\"times\" or a \"priority\", or remove it");
      break;
    }
  }
  return out;
}

}  // namespace mockserver
