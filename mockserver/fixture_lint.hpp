// Lints over a loaded fixture that its loader cannot see key by key: interactions that can
// never answer because an earlier (or higher-priority) one matches everything they match.
#pragma once

#include <string>
#include <vector>

#include "mockserver/fixture.hpp"

namespace mockserver {

// One message per problem, each starting with the interaction's "file:line:col".
std::vector<std::string> lint_fixture(const Fixture& fixture);

// Does pattern a match every request that pattern b matches?
bool covers(const RequestPattern& a, const RequestPattern& b);

}  // namespace mockserver
