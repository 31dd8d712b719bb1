// Shadowed interactions: A shadows B when every request B matches is also matched by A, and A
// always wins the selection (higher rank, or the same rank and earlier in the file), with no
// scenario state or "times" that could let B through.
#include "mockserver/fixture_lint.hpp"

#include <optional>
#include <unordered_map>

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


// The constraints of a pattern as atoms: a covers b exactly when every atom of a is an atom of b
// (the method when given, the path regex, or the segment count and each literal segment, each
// query/header/form matcher, the JSON subset, each body field matcher).
std::vector<std::string> atoms(const RequestPattern& p) {
  std::vector<std::string> out;
  auto matcher = [](const ValueMatcher& m) {
    switch (m.kind) {
      case ValueMatcher::Kind::equals: return "=" + m.text;
      case ValueMatcher::Kind::matches: return "~" + m.regex.source();
      case ValueMatcher::Kind::absent: return std::string("!");
      case ValueMatcher::Kind::present: return std::string("?");
    }
    return std::string();
  };
  if (!p.method.empty()) out.push_back("m\x1f" + p.method);
  if (p.path_regex) {
    out.push_back("r\x1f" + p.path_regex->source());
  } else {
    std::string count = std::to_string(p.segments.size());
    out.push_back("n\x1f" + count);
    for (std::size_t i = 0; i < p.segments.size(); ++i)
      if (!p.segments[i].is_param()) out.push_back("s\x1f" + count + "\x1f" + std::to_string(i) + "\x1f" + p.segments[i].literal);
  }
  for (const auto& [name, m] : p.query) out.push_back("q\x1f" + name + "\x1f" + matcher(m));
  for (const auto& [name, m] : p.headers) out.push_back("h\x1f" + name + "\x1f" + matcher(m));
  for (const auto& [name, m] : p.form) out.push_back("f\x1f" + name + "\x1f" + matcher(m));
  if (p.json) out.push_back("j\x1f" + p.json->dump(-1, ' ', false, util::kInvalidUtf8Replaced));
  for (const auto& [pointer, m] : p.body_fields) out.push_back("b\x1f" + pointer + "\x1f" + matcher(m));
  return out;
}

}  // namespace

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

std::vector<std::string> lint_fixture(const Fixture& fixture) {
  // A can shadow B only if all of A's atoms are B's. Each possible shadower is filed under its
  // rarest atom, and B looks only under its own atoms: linear in practice (50,000 distinct
  // interactions check in milliseconds), instead of comparing every pair.
  const auto& xs = fixture.interactions;
  std::vector<std::vector<std::string>> atom_lists(xs.size());
  std::unordered_map<std::string, std::size_t> frequency;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    atom_lists[i] = atoms(xs[i].request);
    for (const auto& a : atom_lists[i]) ++frequency[a];
  }
  std::unordered_map<std::string, std::vector<std::size_t>> shadowers;  // rarest atom -> candidates
  for (std::size_t a = 0; a < xs.size(); ++a) {
    if (xs[a].times || xs[a].scenario) continue;  // A may stop matching, so B can still answer
    const std::string* rarest = &atom_lists[a].front();
    for (const auto& atom : atom_lists[a])
      if (frequency[atom] < frequency[*rarest]) rarest = &atom;
    shadowers[*rarest].push_back(a);
  }
  std::vector<std::string> out;
  for (std::size_t b = 0; b < xs.size(); ++b) {
    const Interaction& B = xs[b];
    int rank_b = selection_rank(B);
    std::optional<std::size_t> first;  // the earliest shadower in file order, as one pass over all would find
    for (const auto& atom : atom_lists[b]) {
      auto it = shadowers.find(atom);
      if (it == shadowers.end()) continue;
      for (std::size_t a : it->second) {  // ascending: past the best found, nothing earlier follows
        if (first && a >= *first) break;
        if (a == b) continue;
        if (!wins_over(selection_rank(xs[a]), rank_b, a < b) || !covers(xs[a].request, B.request)) continue;
        first = a;
      }
    }
    if (!first) continue;
    const Interaction& A = xs[*first];
    out.push_back(B.origin + ": interaction \"" + B.id + "\" can never answer: \"" + A.id + "\" (" + A.origin +
                  ") matches every request it matches and always wins; give one of them a scenario state, "
                  "\"times\" or a \"priority\", or remove it");
  }
  return out;
}

}  // namespace mockserver
