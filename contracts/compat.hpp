// compat: is NEW a breaking change for the bots that satisfy OLD? Between two contracts (a payload
// valid under OLD may be invalid under NEW) or between two payload samples (a key the CXone side
// reads disappeared, was renamed, or changed type).
#pragma once

#include <string>
#include <vector>

#include "util/json_text.hpp"

namespace contracts {

struct CompatFinding {
  bool breaking = false;
  std::string pointer;  // instance location: /contextData/transferReason, /items/* for array items
  std::string kind;     // property-removed, newly-required, type-narrowed, enum-value-removed, ...
  std::string message;
};

struct SchemaDocument {
  util::Json doc;
  std::string base_uri;  // where it lives, for its relative $refs
};

std::vector<CompatFinding> compare_schemas(const SchemaDocument& old_schema, const SchemaDocument& new_schema);
std::vector<CompatFinding> compare_samples(const util::Json& old_payload, const util::Json& new_payload);

}  // namespace contracts
