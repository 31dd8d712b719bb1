// Cognigy-specific lints that a JSON Schema cannot express: unrendered CognigyScript,
// oversized bodies. They run beside the schema checks on every payload.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "contracts/violation.hpp"
#include "util/json_text.hpp"

namespace simdjson::dom {
class document;
}

namespace contracts {

struct LintSettings {
  std::size_t max_bytes = std::size_t{32} * 1024;  // whole body (domain.md, inferred limit; a contract setting)
};

void lint_payload(const util::Json& payload, std::size_t size_bytes, const LintSettings& settings,
                  std::vector<Violation>& out);
// The same over a document simdjson parsed (the payload hot path), plus DUPLICATE_KEY (only this
// DOM keeps repeated members). text: the document's JSON text.
void lint_payload_dom(const simdjson::dom::document& payload, std::string_view text, const LintSettings& settings,
                      std::vector<Violation>& out);

}  // namespace contracts
