// Scenarios as a Pact v3 file (handover-diag export pact): each interaction's request with its
// matchers as Pact matching rules (a path template as a path regex, value matchers as regex
// rules), its response as the pact's; what Pact v3 cannot say is left out and noted.
#pragma once

#include <string>
#include <vector>

#include "mockserver/fixture.hpp"
#include "util/json_text.hpp"

namespace mockserver {

struct PactExport {
  util::OrderedJson pact;
  std::vector<std::string> notes;  // "FILE: interaction ID: what was left out and why"
};

PactExport pact_from_fixtures(const std::vector<Fixture>& fixtures, const std::string& consumer,
                              const std::string& provider);

}  // namespace mockserver
