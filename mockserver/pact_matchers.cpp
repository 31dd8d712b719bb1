// Pact matchers: which rule applies at a place in a body, and what one matcher accepts.
#include <algorithm>
#include <cmath>
#include <string>

#include "mockserver/pact_detail.hpp"
#include "util/strings.hpp"

namespace mockserver::pact::detail {

std::string Place::pointer() const {
  std::string out = "$";
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    if (tokens[i].second) {
      out += "[" + tokens[i].first + "]";
    } else {
      out += ".";
      out += tokens[i].first;
    }
  }
  return out;
}

namespace {

// The weight of a rule's path at a place: 0 when it does not apply (a token differs, or the rule
// is deeper than the place); else the product of 2 per exact token and 1 per wildcard.
std::size_t weight(const std::vector<PathToken>& rule, const Place& place) {
  if (rule.size() > place.tokens.size()) return 0;
  std::size_t w = 1;
  for (std::size_t i = 0; i < rule.size(); ++i) {
    const auto& [text, is_index] = place.tokens[i];
    switch (rule[i].kind) {
      case PathToken::root:
        w *= i == 0 ? 2 : 0;
        break;
      case PathToken::field:
        w *= (!is_index && rule[i].name == text) ? 2 : 0;
        break;
      case PathToken::index:
        w *= (is_index && std::to_string(rule[i].at) == text) ? 2 : 0;
        break;
      case PathToken::star:
        w *= i == 0 ? 0 : 1;
        break;
      case PathToken::star_index:
        w *= is_index ? 1 : 0;
        break;
    }
    if (w == 0) return 0;
  }
  return w;
}

}  // namespace

const Rule* best_rule(const Rules& rules, const Place& place, bool* own) {
  const Rule* best = nullptr;
  std::size_t best_w = 0, best_len = 0;
  for (const auto& [path, rule] : rules.body) {
    std::size_t w = weight(path, place);
    if (w > best_w || (w > 0 && w == best_w && path.size() > best_len)) {
      best = &rule;
      best_w = w;
      best_len = path.size();
    }
  }
  if (own) *own = best && best_len == place.tokens.size();
  return best;
}

namespace {

enum class JType { null, boolean, number, string, array, object };
JType jtype(const util::Json& v) {
  if (v.is_null()) return JType::null;
  if (v.is_boolean()) return JType::boolean;
  if (v.is_number()) return JType::number;
  if (v.is_string()) return JType::string;
  if (v.is_array()) return JType::array;
  return JType::object;
}

// A scalar as the text a regex or include sees.
std::optional<std::string> scalar_text(const util::Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  if (v.is_null()) return std::string();
  return std::nullopt;
}

}  // namespace

bool same_type(const util::Json& a, const util::Json& b) { return jtype(a) == jtype(b); }

std::string shown(const util::Json& v) { return util::excerpt(util::dump_line(v), 80); }

// Whether one matcher accepts actual (expected: the pact's example); why not, otherwise.
std::optional<std::string> apply(const Matcher& m, const util::Json& expected, const util::Json& actual) {
  auto size_ok = [&]() -> std::optional<std::string> {
    if (!actual.is_array() && !actual.is_object()) return std::nullopt;
    if (m.min && actual.size() < *m.min)
      return "expected at least " + std::to_string(*m.min) + " elements, got " + std::to_string(actual.size());
    if (m.max && actual.size() > *m.max)
      return "expected at most " + std::to_string(*m.max) + " elements, got " + std::to_string(actual.size());
    return std::nullopt;
  };
  const std::string& k = m.kind;
  if (k == "equality")
    return expected == actual ? std::nullopt : std::optional<std::string>("expected " + shown(expected));
  if (k == "type" || k == "min" || k == "max") {
    if (jtype(expected) != jtype(actual)) return "expected a value of the type of " + shown(expected);
    return size_ok();
  }
  if (m.regex && k != "include") {
    auto text = scalar_text(actual);
    if (!text || !m.regex->search(*text))
      return k == "regex" ? "expected a value matching " + m.regex->source().substr(4, m.regex->source().size() - 6)
                          : "expected a " + k + (m.value.empty() ? "" : " in the format " + m.value);
    return std::nullopt;
  }
  if (k == "include") {
    auto text = scalar_text(actual);
    if (!text || text->find(m.value) == std::string::npos) return "expected a value including \"" + m.value + "\"";
    return std::nullopt;
  }
  if (k == "integer")
    return actual.is_number_integer() || actual.is_number_unsigned() ||
                   (actual.is_number_float() && std::floor(actual.get<double>()) == actual.get<double>() &&
                    std::isfinite(actual.get<double>()))
               ? std::nullopt
               : std::optional<std::string>("expected an integer");
  if (k == "decimal") return actual.is_number() ? std::nullopt : std::optional<std::string>("expected a decimal");
  if (k == "number") return actual.is_number() ? std::nullopt : std::optional<std::string>("expected a number");
  if (k == "boolean") return actual.is_boolean() ? std::nullopt : std::optional<std::string>("expected a boolean");
  if (k == "null") return actual.is_null() ? std::nullopt : std::optional<std::string>("expected null");
  if (k == "notEmpty")
    return (actual.is_null() || ((actual.is_string() || actual.is_array() || actual.is_object()) && actual.empty()))
               ? std::optional<std::string>("expected a value that is not empty")
               : std::nullopt;
  if (k == "values")
    return jtype(expected) == jtype(actual)
               ? std::nullopt
               : std::optional<std::string>("expected a value of the type of " + shown(expected));
  return std::nullopt;  // contentType (the body's type is compared as a whole), arrayContains (in compare)
}

bool rule_accepts_text(const Rule& rule, const std::string& expected, const std::string& actual) {
  std::size_t failed = 0;
  for (const auto& m : rule.matchers)
    if (apply(m, util::Json(expected), util::Json(actual))) ++failed;
  return combined_accepts(rule, failed);
}

bool has_kind(const Rule* rule, std::string_view kind) {
  return rule &&
         std::any_of(rule->matchers.begin(), rule->matchers.end(), [&](const Matcher& m) { return m.kind == kind; });
}

}  // namespace mockserver::pact::detail
