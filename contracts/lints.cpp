// Lints: walk the payload once and report Cognigy-side mistakes with a pointer and a fix.
#include "contracts/lints.hpp"

#include <string>

#include "util/strings.hpp"

namespace contracts {

namespace {

constexpr const char* kLintSet = "cognigy-lints";

// "{{ input.data.x }}" or "{{context.y}}" left in a value: the expression did not render.
bool has_unrendered_template(const std::string& s, std::string& expr) {
  auto open = s.find("{{");
  if (open == std::string::npos) return false;
  auto close = s.find("}}", open + 2);
  if (close == std::string::npos) return false;
  expr = s.substr(open, close + 2 - open);
  return true;
}

void walk(const util::Json& v, const std::string& ptr, std::vector<Violation>& out) {
  if (v.is_string()) {
    std::string expr;
    if (has_unrendered_template(v.get_ref<const std::string&>(), expr))
      out.push_back({"UNRESOLVED_TEMPLATE", ptr, "CognigyScript expression " + util::excerpt(expr, 80) + " was sent unrendered",
                     "the flow sent the template text: check the variable exists at this point of the flow "
                     "(e.g. input.data vs context) or add a fallback",
                     kLintSet});
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) walk(*it, util::pointer_append(ptr, it.key()), out);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) walk(v[i], util::pointer_append(ptr, i), out);
  }
}

}  // namespace

void lint_payload(const util::Json& payload, std::size_t size_bytes, const LintSettings& settings,
                  std::vector<Violation>& out) {
  if (size_bytes > settings.max_bytes)
    out.push_back({"PAYLOAD_TOO_LARGE", "",
                   "payload is " + std::to_string(size_bytes) + " bytes, the limit is " + std::to_string(settings.max_bytes),
                   "shorten botSummary or move large data out of contextData", kLintSet});
  walk(payload, "", out);
}

}  // namespace contracts
