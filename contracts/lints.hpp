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
// DOM keeps repeated members). text: the document's JSON text; templates: may_hold_template(text)
// (its caller has asked already). keys_seen: the schema walk has seen every object's keys and
// none twice (WalkKeys::complete): with no template possible either, nothing is left for the
// value lints to find, and the document is not walked again; with one possible, it is walked for
// templates only.
void lint_payload_dom(const simdjson::dom::document& payload, std::string_view text, const LintSettings& settings,
                      std::vector<Violation>& out, bool templates, bool keys_seen);
// Whether text may hold "{{" inside a decoded string (a template left unrendered): false is exact.
bool may_hold_template(std::string_view text);
// The same a byte at a time (may_hold_template takes the widest vector scan the CPU has): for tests.
bool may_hold_template_reference(std::string_view text);

}  // namespace contracts
