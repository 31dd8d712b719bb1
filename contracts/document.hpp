// API descriptions and schemas as files: JSON, or YAML (.yaml/.yml, read with yaml-cpp) turned
// into the same JSON value, so every reader after this one sees JSON only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/json_text.hpp"
#include "util/result.hpp"

namespace contracts {

// A YAML document as JSON: mappings become objects (keys as text: `200:` is "200"), plain
// scalars are read as YAML 1.2's core schema reads them (null, true/false, integers, floats,
// else strings), quoted scalars stay strings. Bounded: nesting deeper than max_depth, or more
// than max_nodes values once aliases are expanded (the "billion laughs"), is an error; so is a
// syntax error, given as "source:line:col: reason".
util::Result<util::Json> parse_yaml(std::string_view text, std::string_view source, std::size_t max_depth = 512,
                                    std::size_t max_nodes = 4'000'000);

// The document in file (at most 64 MB): YAML when its name ends in .yaml or .yml, else JSON.
util::Result<util::Json> load_document(const std::string& file);

}  // namespace contracts
