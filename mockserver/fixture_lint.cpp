// Shadowed interactions: A shadows B when every request B matches is also matched by A, and A
// always wins the selection (higher rank, or the same rank and earlier in the file), with no
// scenario state, provider state or "times" that could let B through.
#include "mockserver/fixture_lint.hpp"

#include <map>
#include <optional>
#include <unordered_map>

#include "util/strings.hpp"

namespace mockserver {

namespace {

bool same_matcher(const ValueMatcher& a, const ValueMatcher& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueMatcher::Kind::equals:
      return a.text == b.text;
    case ValueMatcher::Kind::matches:
      return a.regex.source() == b.regex.source();
    default:
      return true;
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
      case ValueMatcher::Kind::equals:
        return "=" + m.text;
      case ValueMatcher::Kind::matches:
        return "~" + m.regex.source();
      case ValueMatcher::Kind::absent:
        return std::string("!");
      case ValueMatcher::Kind::present:
        return std::string("?");
    }
    return std::string();
  };
  if (!p.method.empty()) out.push_back("m\x1f" + p.method);
  if (p.path_regex()) {
    out.push_back("r\x1f" + p.path_regex()->source());
  } else {
    std::string count = std::to_string(p.segments().size());
    out.push_back("n\x1f" + count);
    for (std::size_t i = 0; i < p.segments().size(); ++i)
      if (!p.segments()[i].is_param())
        out.push_back("s\x1f" + count + "\x1f" + std::to_string(i) + "\x1f" + p.segments()[i].literal);
  }
  for (const auto& [name, m] : p.query) out.push_back("q\x1f" + name + "\x1f" + matcher(m));
  for (const auto& [name, m] : p.headers) out.push_back("h\x1f" + name + "\x1f" + matcher(m));
  for (const auto& [name, m] : p.form) out.push_back("f\x1f" + name + "\x1f" + matcher(m));
  if (p.json) out.push_back("j\x1f" + util::dump_line(*p.json));
  for (const auto& [pointer, m] : p.body_fields) out.push_back("b\x1f" + pointer + "\x1f" + matcher(m));
  return out;
}

}  // namespace

// Does pattern a match every request that pattern b matches?
bool covers(const RequestPattern& a, const RequestPattern& b) {
  if (!a.method.empty() && a.method != b.method) return false;
  if (a.path_regex() || b.path_regex()) {
    if (!(a.path_regex() && b.path_regex() && a.path_regex()->source() == b.path_regex()->source())) return false;
  } else {
    if (a.segments().size() != b.segments().size()) return false;
    for (std::size_t i = 0; i < a.segments().size(); ++i) {
      const auto& sa = a.segments()[i];
      const auto& sb = b.segments()[i];
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

std::vector<std::optional<std::size_t>> first_shadowers(const std::vector<const Interaction*>& xs) {
  // A can shadow B only if all of A's atoms are B's. Each possible shadower is filed under its
  // rarest atom, and B looks only under its own atoms: linear in practice (50,000 distinct
  // interactions check in milliseconds), instead of comparing every pair.
  std::vector<std::vector<std::string>> atom_lists(xs.size());
  std::unordered_map<std::string, std::size_t> frequency;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    atom_lists[i] = atoms(xs[i]->request);
    for (const auto& a : atom_lists[i]) ++frequency[a];
  }
  std::unordered_map<std::string, std::vector<std::size_t>> shadowers;  // rarest atom -> candidates
  for (std::size_t a = 0; a < xs.size(); ++a) {
    if (xs[a]->times || xs[a]->scenario || !xs[a]->provider_states.empty() || atom_lists[a].empty())
      continue;  // A may stop matching (used up, another scenario or provider state), so B can still answer
    const std::string* rarest = &atom_lists[a].front();
    for (const auto& atom : atom_lists[a])
      if (frequency[atom] < frequency[*rarest]) rarest = &atom;
    shadowers[*rarest].push_back(a);
  }
  std::vector<std::optional<std::size_t>> out(xs.size());
  for (std::size_t b = 0; b < xs.size(); ++b) {
    int rank_b = selection_rank(*xs[b]);
    std::optional<std::size_t>& first = out[b];  // the earliest shadower, as one pass over all would find
    for (const auto& atom : atom_lists[b]) {
      auto it = shadowers.find(atom);
      if (it == shadowers.end()) continue;
      for (std::size_t a : it->second) {  // ascending: past the best found, nothing earlier follows
        if (first && a >= *first) break;
        if (a == b) continue;
        if (!wins_over(selection_rank(*xs[a]), rank_b, a < b) || !covers(xs[a]->request, xs[b]->request)) continue;
        first = a;
      }
    }
  }
  return out;
}

std::vector<std::string> lint_fixture(const Fixture& fixture) {
  std::vector<const Interaction*> xs;
  for (const auto& x : fixture.interactions) xs.push_back(&x);
  auto first = first_shadowers(xs);
  std::vector<std::string> out;
  for (std::size_t b = 0; b < xs.size(); ++b) {
    if (!first[b]) continue;
    const Interaction& A = *xs[*first[b]];
    const Interaction& B = *xs[b];
    out.push_back(B.origin + ": interaction \"" + B.id + "\" can never answer: \"" + A.id + "\" (" + A.origin +
                  ") matches every request it matches and always wins; give one of them a scenario state, "
                  "\"times\" or a \"priority\", or remove it");
  }
  return out;
}

std::vector<Overlap> lint_together(const std::vector<LintSource>& sources) {
  if (sources.size() < 2) return {};
  std::vector<const Interaction*> xs;
  std::vector<std::size_t> source_of;
  for (std::size_t s = 0; s < sources.size(); ++s)
    for (const auto* x : sources[s].interactions) {
      xs.push_back(x);
      source_of.push_back(s);
    }
  auto first = first_shadowers(xs);
  // One line per shadowed source: how many of its interactions, by which sources, one pair as evidence.
  struct Shadowed {
    std::size_t count = 0;
    std::size_t a = 0, b = 0;               // the first pair
    std::map<std::size_t, std::size_t> by;  // shadowing source -> interactions it hides
  };
  std::map<std::size_t, Shadowed> shadowed;
  for (std::size_t b = 0; b < xs.size(); ++b) {
    if (!first[b] || source_of[*first[b]] == source_of[b]) continue;  // within one file: lint_fixture says it
    auto& sh = shadowed[source_of[b]];
    if (sh.count++ == 0) {
      sh.a = *first[b];
      sh.b = b;
    }
    ++sh.by[source_of[*first[b]]];
  }
  std::vector<Overlap> out;
  for (const auto& [source, sh] : shadowed) {
    Overlap o{source, {}, {}};
    std::vector<std::string> names;
    for (const auto& [other, n] : sh.by) {
      o.shadowing.push_back(other);
      names.push_back(sources[other].label + " (" + std::to_string(n) + ")");
    }
    const Interaction& A = *xs[sh.a];
    const Interaction& B = *xs[sh.b];
    o.message = sources[source].label + ": " + std::to_string(sh.count) + " of its " +
                std::to_string(sources[source].interactions.size()) + " interactions never answer when served with " +
                util::join(names, ", ") + ": e.g. \"" + A.id + "\" (" + A.origin + ") matches every request \"" + B.id +
                "\" (" + B.origin + ") matches and wins; serve one scenario at a time (handover-diag replay " +
                "gives each its own mock) or make their requests differ";
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace mockserver
