// Pact matching rules: parsing (v2's flat map, v3/v4's categories), body JSONPaths, and the
// Java date patterns of the date/time/timestamp matchers as regexes.
#include <algorithm>
#include <cctype>
#include <string>

#include "mockserver/pact.hpp"
#include "util/strings.hpp"

namespace mockserver::pact {

namespace {

constexpr std::size_t kMaxRules = 4096;  // rules in one pact interaction (a bound, not a Pact limit)
constexpr std::size_t kMaxPathTokens = 256;

// One character, literal in a regex whatever it is.
std::string literal(char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto b = static_cast<unsigned char>(c);
  return {'\\', 'x', kHex[b >> 4], kHex[b & 15]};
}

// A Java SimpleDateFormat pattern (what Pact's date, time and timestamp matchers carry) as a
// regex over the whole value: each run of one letter is a field of that width; quoted text and
// other characters are literal.
std::string java_date_regex(std::string_view format) {
  std::string re;
  for (std::size_t i = 0; i < format.size();) {
    char c = format[i];
    if (c == '\'') {  // 'T' or '' (a quote)
      std::size_t end = format.find('\'', i + 1);
      if (end == std::string_view::npos) end = format.size();
      if (end == i + 1) re += "'";
      for (std::size_t k = i + 1; k < end; ++k) re += literal(format[k]);
      i = end + 1;
      continue;
    }
    std::size_t n = 1;
    while (i + n < format.size() && format[i + n] == c) ++n;
    i += n;
    const std::string width = n == 1 ? "{1,2}" : "{" + std::to_string(n) + "}";
    switch (c) {
      case 'y':
      case 'u':
        re += n == 2 ? "\\d{2}" : "\\d{4}";
        break;
      case 'M':
      case 'L':
        re += n >= 3 ? "[A-Za-z]{3,9}" : "\\d" + width;
        break;
      case 'd':
      case 'H':
      case 'h':
      case 'k':
      case 'K':
      case 'm':
      case 's':
      case 'w':
      case 'W':
        re += "\\d" + width;
        break;
      case 'D':
        re += "\\d{1,3}";
        break;
      case 'S':
        re += "\\d{" + std::to_string(n) + "}";
        break;
      case 'E':
        re += "[A-Za-z]{2,9}";
        break;
      case 'a':
        re += "(?:AM|PM|am|pm)";
        break;
      case 'z':
        re += "[A-Za-z][A-Za-z0-9/_+-]*";
        break;
      case 'Z':
        re += "[+-]\\d{4}";
        break;
      case 'X':
        re += n == 1 ? "(?:Z|[+-]\\d{2}(?:\\d{2})?)" : n == 2 ? "(?:Z|[+-]\\d{4})" : "(?:Z|[+-]\\d{2}:\\d{2})";
        break;
      default:
        for (std::size_t k = 0; k < n; ++k) re += literal(c);
    }
  }
  return re;
}

util::Result<Matcher> parse_matcher(const util::Json& m, const std::string& where) {
  if (!m.is_object()) return util::make_error(where + ": a matcher must be an object");
  Matcher out;
  // v2 spells a regex matcher {"regex": …} and a type matcher with bounds {"min": …} without "match".
  if (m.contains("match") && m["match"].is_string())
    out.kind = m["match"].get<std::string>();
  else if (m.contains("regex"))
    out.kind = "regex";
  else if (m.contains("min") || m.contains("max"))
    out.kind = "type";
  else
    return util::make_error(where + ": a matcher without \"match\"");
  auto bound = [&](const char* key, std::optional<std::size_t>& into) -> util::Status {
    if (!m.contains(key)) return {};
    if (!m[key].is_number_integer() || m[key].get<long long>() < 0)
      return util::make_error(where + ": \"" + key + "\" must be a whole number");
    into = static_cast<std::size_t>(m[key].get<long long>());
    return {};
  };
  TRY(bound("min", out.min));
  TRY(bound("max", out.max));
  std::string pattern;
  if (out.kind == "regex") {
    if (!m.contains("regex") || !m["regex"].is_string())
      return util::make_error(where + ": a regex matcher needs \"regex\"");
    pattern = "^(?:" + m["regex"].get<std::string>() + ")$";
  } else if (out.kind == "date" || out.kind == "time" || out.kind == "timestamp" || out.kind == "datetime") {
    const char* key = m.contains("format") ? "format"
                      : out.kind == "date" ? "date"
                      : out.kind == "time" ? "time"
                                           : "timestamp";
    if (m.contains(key) && m[key].is_string()) {
      out.value = m[key].get<std::string>();
      pattern = "^(?:" + java_date_regex(out.value) + ")$";
    } else {  // ISO 8601, as Pact's default formats
      pattern = out.kind == "date" ? "^\\d{4}-\\d{2}-\\d{2}$"
                : out.kind == "time"
                    ? "^\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?$"
                    : "^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?$";
    }
  } else if (out.kind == "include" || out.kind == "contentType") {
    if (!m.contains("value") || !m["value"].is_string())
      return util::make_error(where + ": a " + out.kind + " matcher needs \"value\"");
    out.value = m["value"].get<std::string>();
  } else if (out.kind == "arrayContains") {
    if (!m.contains("variants") || !m["variants"].is_array())
      return util::make_error(where + ": an arrayContains matcher needs \"variants\"");
    out.variants = m["variants"];
  } else if (out.kind == "semver") {
    pattern = "^\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$";
  } else if (out.kind != "equality" && out.kind != "type" && out.kind != "min" && out.kind != "max" &&
             out.kind != "integer" && out.kind != "decimal" && out.kind != "number" && out.kind != "boolean" &&
             out.kind != "null" && out.kind != "values" && out.kind != "notEmpty") {
    return util::make_error(where + ": unknown matcher \"" + out.kind + "\"");
  }
  if (!pattern.empty()) {
    auto re = util::Regex::compile(pattern);
    if (!re) return util::make_error(where + ": " + re.error().message);
    out.regex = std::move(*re);
  }
  return out;
}

// {"matchers": [...], "combine": "AND"|"OR"} (v3/v4), or one matcher (v2).
util::Result<Rule> parse_rule(const util::Json& j, const std::string& where) {
  Rule rule;
  if (j.is_object() && j.contains("matchers")) {
    if (!j["matchers"].is_array()) return util::make_error(where + ": \"matchers\" must be an array");
    for (std::size_t i = 0; i < j["matchers"].size(); ++i) {
      TRY_ASSIGN(auto m, parse_matcher(j["matchers"][i], where + " matcher " + std::to_string(i)));
      rule.matchers.push_back(std::move(m));
    }
    if (j.contains("combine")) {
      if (!j["combine"].is_string() || (j["combine"] != "AND" && j["combine"] != "OR"))
        return util::make_error(where + ": \"combine\" must be \"AND\" or \"OR\"");
      rule.any = j["combine"] == "OR";
    }
    return rule;
  }
  TRY_ASSIGN(auto m, parse_matcher(j, where));
  rule.matchers.push_back(std::move(m));
  return rule;
}

util::Status add_rule(Rules& rules, const std::string& category, const std::string& key, const util::Json& def,
                      const std::string& where) {
  TRY_ASSIGN(auto rule, parse_rule(def, where));
  if (category == "body") {
    TRY_ASSIGN(auto path, parse_json_path(key.empty() ? "$" : key));
    rules.body.emplace_back(std::move(path), std::move(rule));
  } else if (category == "header" || category == "headers") {
    rules.header[util::to_lower(key)] = std::move(rule);
  } else if (category == "query") {
    rules.query[key] = std::move(rule);
  } else if (category == "path") {
    rules.path = std::move(rule);
  } else if (category == "status") {
    rules.status = std::move(rule);
  }  // metadata and other categories: not HTTP
  return {};
}

}  // namespace

util::Result<std::vector<PathToken>> parse_json_path(std::string_view path) {
  std::vector<PathToken> out;
  std::size_t i = 0;
  auto fail = [&](const std::string& why) {
    return util::make_error("JSONPath \"" + std::string(path) + "\": " + why);
  };
  if (path.empty() || path[0] != '$') return fail("must start with $");
  out.push_back(PathToken{});
  for (i = 1; i < path.size();) {
    if (out.size() > kMaxPathTokens) return fail("too deep");
    if (path[i] == '.') {
      std::size_t end = i + 1;
      while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
      std::string name(path.substr(i + 1, end - i - 1));
      if (name.empty()) return fail("an empty name at " + std::to_string(i));
      out.push_back(name == "*" ? PathToken{PathToken::star, "", 0} : PathToken{PathToken::field, name, 0});
      i = end;
    } else if (path[i] == '[') {
      std::size_t end = path.find(']', i);
      if (end == std::string_view::npos) return fail("an unclosed [");
      std::string_view inner = path.substr(i + 1, end - i - 1);
      if (inner == "*") {
        out.push_back(PathToken{PathToken::star_index, "", 0});
      } else if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') &&
                 inner.back() == inner.front()) {
        out.push_back(PathToken{PathToken::field, std::string(inner.substr(1, inner.size() - 2)), 0});
      } else if (!inner.empty() && inner.size() < 10 &&
                 std::all_of(inner.begin(), inner.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        out.push_back(PathToken{PathToken::index, "", std::stoul(std::string(inner))});
      } else {
        return fail("cannot read [" + std::string(inner) + "]");
      }
      i = end + 1;
    } else {  // v2 writes "$.body.a" but some writers omit the dot after $: "$a" is not JSONPath
      return fail("unexpected '" + std::string(1, path[i]) + "' at " + std::to_string(i));
    }
  }
  return out;
}

util::Result<Rules> parse_rules(const util::Json& matching_rules, int spec_version) {
  Rules rules;
  if (matching_rules.is_null()) return rules;
  if (!matching_rules.is_object()) return util::make_error("\"matchingRules\" must be an object");
  std::size_t count = 0;
  if (spec_version < 3) {
    for (const auto& [key, def] : matching_rules.items()) {
      if (++count > kMaxRules) return util::make_error("more than " + std::to_string(kMaxRules) + " matching rules");
      std::string where = "matchingRules \"" + key + "\"";
      if (key == "$.path") {
        TRY(add_rule(rules, "path", "", def, where));
      } else if (key.rfind("$.body", 0) == 0) {
        TRY(add_rule(rules, "body", "$" + key.substr(6), def, where));
      } else if (key.rfind("$.headers.", 0) == 0 || key.rfind("$.header.", 0) == 0) {
        TRY(add_rule(rules, "header", key.substr(key.find('.', 2) + 1), def, where));
      } else if (key.rfind("$.query.", 0) == 0) {
        TRY(add_rule(rules, "query", key.substr(8), def, where));
      } else {
        return util::make_error(where + ": not a body, header, query or path rule");
      }
    }
    return rules;
  }
  for (const auto& [category, entries] : matching_rules.items()) {
    std::string where = "matchingRules." + category;
    if (category == "path" || category == "status") {
      TRY(add_rule(rules, category, "", entries, where));
      continue;
    }
    if (!entries.is_object()) return util::make_error(where + " must be an object");
    for (const auto& [key, def] : entries.items()) {
      if (++count > kMaxRules) return util::make_error("more than " + std::to_string(kMaxRules) + " matching rules");
      TRY(add_rule(rules, category, key, def, std::string(where).append(" \"").append(key).append("\"")));
    }
  }
  return rules;
}

}  // namespace mockserver::pact
