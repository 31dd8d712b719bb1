// Lints over loaded fixtures that the loader cannot see key by key: interactions that can never
// answer because an earlier (or higher-priority) one matches everything they match, within one
// file or across files served together.
#pragma once

#include <string>
#include <vector>

#include "mockserver/fixture.hpp"

namespace mockserver {

// One message per problem, each starting with the interaction's "file:line:col".
std::vector<std::string> lint_fixture(const Fixture& fixture);

// Interactions served together from several files (serve --fixtures DIR, a fixture POSTed to the
// admin API beside loaded ones), in load order: one message per source some of whose interactions
// are never answered because an interaction of another source matches all they match and wins.
struct LintSource {
  std::string label;  // the file, or "fixture NAME"
  std::vector<const Interaction*> interactions;
};
struct Overlap {
  std::size_t shadowed = 0;            // index into the sources
  std::vector<std::size_t> shadowing;  // the sources that win over it
  std::string message;                 // one line, naming them all and one pair as evidence
};
std::vector<Overlap> lint_together(const std::vector<LintSource>& sources);

// Does pattern a match every request that pattern b matches?
bool covers(const RequestPattern& a, const RequestPattern& b);

}  // namespace mockserver
