// Lints: walk the payload once and report Cognigy-side mistakes with a pointer and a fix.
#include "contracts/lints.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "contracts/json_adapters.hpp"
#include "util/strings.hpp"

namespace contracts {

namespace {

constexpr const char* kLintSet = "cognigy-lints";

// "{{ input.data.x }}" or "{{context.y}}" left in a value: the expression did not render.
bool has_unrendered_template(std::string_view s, std::string_view& expr) {
  auto open = s.find("{{");
  if (open == std::string_view::npos) return false;
  auto close = s.find("}}", open + 2);
  if (close == std::string_view::npos) return false;
  expr = s.substr(open, close + 2 - open);
  return true;
}

template <class A>
void walk(typename A::Value v, const Path& path, std::vector<Violation>& out) {
  unsigned bit = A::type_bit(v);
  if (bit == kString) {
    std::string_view expr;
    if (has_unrendered_template(A::str(v), expr))
      out.push_back({"UNRESOLVED_TEMPLATE", path.pointer(),
                     "CognigyScript expression " + util::excerpt(expr, 80) + " was sent unrendered",
                     "the flow sent the template text: check the variable exists at this point of the flow "
                     "(e.g. input.data vs context) or add a fallback",
                     kLintSet});
  } else if (bit == kObject) {
    A::members(v, [&](std::string_view key, typename A::Value child) { walk<A>(child, Path{&path, key}, out); });
  } else if (bit == kArray) {
    A::items(v, [&](std::size_t i, typename A::Value child) { walk<A>(child, Path{&path, {}, i}, out); });
  }
}

// An object naming a key twice is legal JSON text, but receivers disagree on which value wins
// (most keep the last, some the first, strict ones refuse): never what the flow meant.
template <class A>
void duplicate_keys(typename A::Value v, const Path& path, std::vector<Violation>& out) {
  unsigned bit = A::type_bit(v);
  if (bit == kObject) {
    // Keys so far: on the stack for the usual small object, on the heap past 16.
    std::array<std::string_view, 16> small;
    std::vector<std::string_view> more;
    std::size_t n = 0;
    A::members(v, [&](std::string_view key, typename A::Value child) {
      std::size_t times = std::count(small.begin(), small.begin() + std::min(n, small.size()), key) +
                          std::count(more.begin(), more.end(), key);
      if (times == 1)  // once per key, however often it repeats
        out.push_back({"DUPLICATE_KEY", Path{&path, key}.pointer(),
                       "key \"" + util::excerpt(key, 60) + "\" appears more than once in this object",
                       "keep one: the receiver uses only one of the values, and which one depends on its parser",
                       kLintSet});
      if (n < small.size()) small[n] = key;
      else more.push_back(key);
      ++n;
      duplicate_keys<A>(child, Path{&path, key}, out);
    });
  } else if (bit == kArray) {
    A::items(v, [&](std::size_t i, typename A::Value child) { duplicate_keys<A>(child, Path{&path, {}, i}, out); });
  }
}

void size_check(std::size_t size_bytes, const LintSettings& settings, std::vector<Violation>& out) {
  if (size_bytes > settings.max_bytes)
    out.push_back({"PAYLOAD_TOO_LARGE", "",
                   "payload is " + std::to_string(size_bytes) + " bytes, the limit is " + std::to_string(settings.max_bytes),
                   "shorten botSummary or move large data out of contextData", kLintSet});
}

}  // namespace

void lint_payload(const util::Json& payload, std::size_t size_bytes, const LintSettings& settings,
                  std::vector<Violation>& out) {
  size_check(size_bytes, settings, out);
  walk<NlohmannAdapter>(&payload, Path{}, out);
}

void lint_payload_dom(const simdjson::dom::element& payload, std::size_t size_bytes, const LintSettings& settings,
                      std::vector<Violation>& out, bool walk_values) {
  size_check(size_bytes, settings, out);
  if (walk_values) walk<DomAdapter>(payload, Path{}, out);
  // simdjson's DOM keeps every member as written (nlohmann's keeps the last: its path cannot
  // see duplicates, and only takes text the fast path refused).
  duplicate_keys<DomAdapter>(payload, Path{}, out);
}

}  // namespace contracts
