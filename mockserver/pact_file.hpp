// A Pact file (specification v2, v3 or v4 JSON) as a scenario the mock serves (serve --pact):
// every HTTP interaction becomes an interaction of ours whose request is matched as Pact matches
// it (mockserver/pact) and whose response is the pact's.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "mockserver/fixture.hpp"
#include "util/json_text.hpp"
#include "util/result.hpp"

namespace mockserver {

// The pact document read from file (path named in every error, "FILE: interaction N …").
// warnings: what is read but not honoured (v4 interactions that are not HTTP, response
// generators: the example values are answered), said by the caller.
util::Result<Fixture> fixture_from_pact(const std::filesystem::path& file, std::vector<std::string>& warnings);
util::Result<Fixture> fixture_from_pact_document(const util::Json& doc, const std::string& origin,
                                                 std::vector<std::string>& warnings);
// Whether a JSON document is a pact (it has interactions and a consumer or provider).
bool looks_like_pact(const util::Json& doc);

}  // namespace mockserver
