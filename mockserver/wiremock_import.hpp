// WireMock stub mappings as a scenario (cxone-mock import wiremock): the request/response subset
// both formats share, mapped field by field; what does not map is a note, never dropped silently.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "util/json_text.hpp"
#include "util/result.hpp"

namespace mockserver {

struct WiremockImport {
  util::OrderedJson fixture;       // a v1 scenario document
  std::vector<std::string> notes;  // "FILE: mapping N: what did not map"
};

// path: a WireMock root (with mappings/ and __files/), its mappings/ folder, or one mapping file
// ({"request", "response"} or {"mappings": [...]}). name: the scenario's name.
util::Result<WiremockImport> import_wiremock(const std::filesystem::path& path, const std::string& name);

}  // namespace mockserver
