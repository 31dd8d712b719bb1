// Fixtures against a vendor's published API description (cxone-mock check --spec): each
// interaction is matched to the description's operation by method and path template (under its
// base path), and what the fixture expects of the request and answers must be what the operation
// declares. Calls the description does not have are reported as such: a fixture of profile v2
// (the tutorial's API, which no vendor publishes) is noted, not failed, and so is a call a
// built-in profile makes from another documented source (its "source" says which).
#pragma once

#include <string>
#include <vector>

#include "contracts/api_spec.hpp"
#include "mockserver/fixture.hpp"

namespace mockserver {

struct SpecFinding {
  bool failure = true;  // false: a note (nothing to fix)
  std::string where;    // file:line:col of the value concerned, else of the interaction
  std::string message;
};

struct SpecCheck {
  std::vector<SpecFinding> findings;
  int interactions = 0;
  int in_spec = 0;  // matched an operation of a description
  bool failed() const;
};

// Checks one fixture (text: the file as read, to place findings) against the descriptions.
SpecCheck check_fixture_against_specs(const Fixture& fixture, const std::string& text,
                                      const std::vector<contracts::ApiSpec>& specs);

// cxone-mock check --spec FILE... PATHS...: one line per finding, notes prefixed "note: ", then
// the totals; exit 1 when a fixture fails, 2 when a description or fixture cannot be read.
int check_spec_command(const std::vector<std::string>& spec_files, const std::vector<std::string>& paths);

}  // namespace mockserver
