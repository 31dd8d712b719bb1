// Pact interactions compared as the specification's test cases define: rules chosen per place by
// their JSONPath's weight (an exact name or index outweighs a wildcard; a rule on a parent
// applies below it), equality where no rule applies, Postel for response bodies.
#include "mockserver/pact.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "util/strings.hpp"

namespace mockserver::pact {

namespace {

constexpr std::size_t kMaxDepth = 256;  // body nesting compared (a pact or a request deeper is a mismatch)

// A place in a body: the tokens of the actual path ("$", names, indices).
struct Place {
  std::vector<std::pair<std::string, bool>> tokens;  // text, is an index
  std::string pointer() const {
    std::string out = "$";
    for (std::size_t i = 1; i < tokens.size(); ++i)
      out += tokens[i].second ? "[" + tokens[i].first + "]" : "." + tokens[i].first;
    return out;
  }
};

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

const Rule* best_rule(const Rules& rules, const Place& place) {
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
  return best;
}

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

struct BodyCompare {
  const Rules& rules;
  bool allow_unexpected_keys;
  std::vector<Mismatch>& out;

  void add(const Place& place, std::string expected, std::string actual, std::string message) {
    out.push_back({MismatchKind::body, place.pointer(), std::move(expected), std::move(actual), std::move(message)});
  }

  // Whether the rule's matchers accept actual (each failure recorded when they do not).
  bool rule_accepts(const Rule& rule, const util::Json& expected, const util::Json& actual, const Place& place) {
    std::vector<std::string> why;
    for (const auto& m : rule.matchers) {
      if (m.kind == "arrayContains") {
        if (auto w = array_contains(m, actual, place)) why.push_back(*w);
      } else if (auto w = apply(m, expected, actual)) {
        why.push_back(*w);
      }
    }
    bool ok = rule.any ? why.size() < rule.matchers.size() : why.empty();
    if (!ok) add(place, shown(expected), shown(actual), util::join(why, "; "));
    return ok;
  }

  // v4's arrayContains: each variant (an element of the pact's example, with its own rules) is
  // matched by some element of actual.
  std::optional<std::string> array_contains(const Matcher& m, const util::Json& actual, const Place& place) {
    if (!actual.is_array()) return "expected an array";
    for (std::size_t v = 0; v < m.variants.size(); ++v) {
      const auto& variant = m.variants[v];
      if (!variant.is_object() || !variant.contains("index")) continue;
      const util::Json* example = variant.contains("example") ? &variant["example"] : nullptr;
      if (!example) continue;
      auto sub = parse_rules(variant.value("rules", util::Json::object()), 3);
      Rules empty;
      bool found = false;
      for (std::size_t i = 0; i < actual.size() && !found; ++i) {
        std::vector<Mismatch> scratch;
        BodyCompare inner{sub ? *sub : empty, true, scratch};
        Place p;
        p.tokens.push_back({"$", false});
        inner.compare(*example, actual[i], p);
        found = scratch.empty();
      }
      if (!found) return "no element of " + place.pointer() + " matches variant " + std::to_string(v);
    }
    return std::nullopt;
  }

  void compare(const util::Json& expected, const util::Json& actual, Place& place) {
    if (place.tokens.size() > kMaxDepth) return add(place, "", "", "nested deeper than " + std::to_string(kMaxDepth));
    const Rule* rule = best_rule(rules, place);
    if (rule && !rule_accepts(*rule, expected, actual, place)) return;
    if (!rule && !expected.is_structured()) {
      if (!(expected == actual))
        add(place, shown(expected), shown(actual), "expected " + shown(expected) + ", got " + shown(actual));
      return;
    }
    if (expected.is_object() && actual.is_object()) return compare_objects(expected, actual, place, rule);
    if (expected.is_array() && actual.is_array()) return compare_arrays(expected, actual, place, rule);
    if (!rule && jtype(expected) != jtype(actual))
      add(place, shown(expected), shown(actual), "expected " + shown(expected) + ", got " + shown(actual));
  }

  static bool has_kind(const Rule* rule, std::string_view kind) {
    return rule &&
           std::any_of(rule->matchers.begin(), rule->matchers.end(), [&](const Matcher& m) { return m.kind == kind; });
  }

  void compare_objects(const util::Json& expected, const util::Json& actual, Place& place, const Rule* rule) {
    const bool values = has_kind(rule, "values");
    if (values && !expected.empty()) {  // keys are free; every value like the example's first
      for (const auto& [key, value] : actual.items()) child(expected.begin().value(), value, place, key, false);
      return;
    }
    for (const auto& [key, value] : expected.items()) {
      auto it = actual.find(key);
      if (it == actual.end()) {
        place.tokens.push_back({key, false});
        add(place, shown(value), "", "expected key \"" + key + "\" is missing");
        place.tokens.pop_back();
        continue;
      }
      child(value, *it, place, key, false);
    }
    if (allow_unexpected_keys) return;
    for (const auto& [key, value] : actual.items())
      if (!expected.contains(key)) {
        place.tokens.push_back({key, false});
        add(place, "", shown(value), "unexpected key \"" + key + "\"");
        place.tokens.pop_back();
      }
  }

  void compare_arrays(const util::Json& expected, const util::Json& actual, Place& place, const Rule* rule) {
    // A type (or min/max) rule makes the pact's elements examples: every actual element is
    // compared with the example at its index, or the first one past the example's end.
    const bool by_example = has_kind(rule, "type") || has_kind(rule, "min") || has_kind(rule, "max") ||
                            has_kind(rule, "values") || has_kind(rule, "arrayContains");
    if (has_kind(rule, "arrayContains")) return;
    if (!by_example && expected.size() != actual.size()) {
      add(place, shown(expected), shown(actual),
          "expected " + std::to_string(expected.size()) + " elements, got " + std::to_string(actual.size()));
      if (actual.size() < expected.size()) return;
    }
    if (expected.empty()) return;
    for (std::size_t i = 0; i < actual.size(); ++i) {
      if (!by_example && i >= expected.size()) break;
      child(i < expected.size() ? expected[i] : expected[0], actual[i], place, std::to_string(i), true);
    }
  }

  void child(const util::Json& expected, const util::Json& actual, Place& place, const std::string& token,
             bool is_index) {
    place.tokens.push_back({token, is_index});
    compare(expected, actual, place);
    place.tokens.pop_back();
  }
};

bool is_json_type(const std::string& ct) {
  return ct == "application/json" || (ct.size() > 5 && ct.compare(ct.size() - 5, 5, "+json") == 0);
}

// One header value against another: a rule's matchers on the actual value; Accept and
// Content-Type as a type and parameters (parameter order and case of values free); other headers
// as comma-separated lists (whitespace after the commas free).
std::optional<std::string> header_differs(const std::string& name, const std::string& expected,
                                          const std::string& actual, const Rule* rule) {
  std::string e(util::trim(expected)), a(util::trim(actual));
  if (rule) {
    std::vector<std::string> why;
    for (const auto& m : rule->matchers)
      if (auto w = apply(m, util::Json(e), util::Json(a))) why.push_back(*w);
    bool ok = rule->any ? why.size() < rule->matchers.size() : why.empty();
    return ok ? std::nullopt : std::optional<std::string>(util::join(why, "; "));
  }
  auto split = [](const std::string& s, char sep) {
    std::vector<std::string> parts;
    for (const auto& p : util::split(s, sep)) parts.emplace_back(util::trim(p));
    return parts;
  };
  // Several values of one header are a comma-separated list (whitespace after the commas
  // free); Accept and Content-Type values are a type and parameters (their order, and the case of
  // their values, free).
  const std::string lname = util::to_lower(name);
  const bool parameterised = lname == "accept" || lname == "content-type";
  auto same_value = [&](const std::string& ev, const std::string& av) {
    if (!parameterised) return ev == av;
    auto ep = split(ev, ';'), ap = split(av, ';');
    if (ep.empty() || ap.empty() || ep[0] != ap[0]) return false;
    auto params = [](const std::vector<std::string>& parts) {
      std::map<std::string, std::string> out;
      for (std::size_t i = 1; i < parts.size(); ++i)
        if (auto eq = parts[i].find('='); eq != std::string::npos)
          out[util::to_lower(util::trim(parts[i].substr(0, eq)))] = util::to_lower(util::trim(parts[i].substr(eq + 1)));
      return out;
    };
    auto have = params(ap);
    for (const auto& [key, value] : params(ep)) {
      auto it = have.find(key);
      if (it == have.end() || it->second != value) return false;
    }
    return true;
  };
  auto ev = split(e, ','), av = split(a, ',');
  bool same = ev.size() == av.size();
  for (std::size_t i = 0; same && i < ev.size(); ++i) same = same_value(ev[i], av[i]);
  return same ? std::nullopt : std::optional<std::string>("expected \"" + e + "\"");
}

void match_headers(const Message& expected, const Rules& rules, const Message& actual, std::vector<Mismatch>& out) {
  for (const auto& header : expected.headers) {
    const std::string& name = header.first;  // (clang 14 cannot capture a structured binding)
    const std::string& value = header.second;
    auto it = std::find_if(actual.headers.begin(), actual.headers.end(),
                           [&](const auto& h) { return util::iequals(h.first, name); });
    if (it == actual.headers.end()) {
      out.push_back({MismatchKind::header, name, value, "", "expected header " + name + " is missing"});
      continue;
    }
    auto r = rules.header.find(util::to_lower(name));
    if (auto why = header_differs(name, value, it->second, r == rules.header.end() ? nullptr : &r->second))
      out.push_back({MismatchKind::header, name, value, it->second, "header " + name + ": " + *why});
  }
}

void match_body(const Message& expected, const Rules& rules, const Message& actual, bool allow_unexpected,
                std::vector<Mismatch>& out) {
  using B = Message::Body;
  if (expected.body_kind == B::absent) return;  // the pact says nothing about the body
  if (expected.body_kind == B::null) {
    if (actual.body_kind != B::absent && actual.body_kind != B::null &&
        !(actual.body_kind == B::text && actual.text.empty()))
      out.push_back({MismatchKind::body, "$", "", "", "expected no body, got one"});
    return;
  }
  if (actual.body_kind == B::absent || actual.body_kind == B::null) {
    bool empty_expected = expected.body_kind == B::text && expected.text.empty();
    if (!empty_expected) out.push_back({MismatchKind::body, "$", "a body", "", "expected a body, got none"});
    return;
  }
  Place root;
  root.tokens.push_back({"$", false});
  if (expected.body_kind == B::json && actual.body_kind == B::json) {
    BodyCompare{rules, allow_unexpected, out}.compare(expected.body, actual.body, root);
    return;
  }
  // Text (plain, XML, or JSON on one side only): the whole body, by a rule on $ or equality.
  const std::string e = expected.body_kind == B::json ? util::dump_line(expected.body) : expected.text;
  const std::string a = actual.body_kind == B::json ? util::dump_line(actual.body) : actual.text;
  if (const Rule* rule = best_rule(rules, root)) {
    BodyCompare{rules, allow_unexpected, out}.rule_accepts(*rule, util::Json(e), util::Json(a), root);
    return;
  }
  if (e != a) out.push_back({MismatchKind::body, "$", util::excerpt(e, 80), util::excerpt(a, 80), "the body differs"});
}

std::vector<Mismatch> match_query(const Message& expected, const Rules& rules, const Message& actual) {
  std::vector<Mismatch> out;
  if (!expected.query) return out;
  static const std::map<std::string, std::vector<std::string>> kNone;
  const auto& have = actual.query ? *actual.query : kNone;
  for (const auto& [name, values] : *expected.query) {
    auto it = have.find(name);
    if (it == have.end()) {
      out.push_back(
          {MismatchKind::query, name, util::join(values, ","), "", "expected query parameter " + name + " is missing"});
      continue;
    }
    auto r = rules.query.find(name);
    if (r != rules.query.end()) {
      for (std::size_t i = 0; i < it->second.size(); ++i) {
        util::Json e(values.empty() ? std::string() : values[std::min(i, values.size() - 1)]);
        std::vector<std::string> why;
        for (const auto& m : r->second.matchers)
          if (auto w = apply(m, e, util::Json(it->second[i]))) why.push_back(*w);
        if (r->second.any ? why.size() == r->second.matchers.size() : !why.empty())
          out.push_back({MismatchKind::query, name, e.get<std::string>(), it->second[i], util::join(why, "; ")});
      }
    } else if (values != it->second) {
      out.push_back({MismatchKind::query, name, util::join(values, ","), util::join(it->second, ","),
                     "query parameter " + name + " differs"});
    }
  }
  for (const auto& [name, values] : have)
    if (!expected.query->count(name))
      out.push_back({MismatchKind::query, name, "", util::join(values, ","), "unexpected query parameter " + name});
  return out;
}

bool rule_accepts_text(const Rule& rule, const std::string& expected, const std::string& actual) {
  std::size_t failed = 0;
  for (const auto& m : rule.matchers)
    if (apply(m, util::Json(expected), util::Json(actual))) ++failed;
  return rule.any ? failed < rule.matchers.size() : failed == 0;
}

}  // namespace

std::string Message::content_type() const {
  for (const auto& [name, value] : headers)
    if (util::iequals(name, "content-type")) {
      std::string v(util::trim(value.substr(0, value.find(';'))));
      return util::to_lower(v);
    }
  return "";
}

std::map<std::string, std::vector<std::string>> parse_query_string(std::string_view query) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& part : util::split(query, '&')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    std::string name = util::url_decode(part.substr(0, eq), true);
    out[name].push_back(eq == std::string::npos ? std::string() : util::url_decode(part.substr(eq + 1), true));
  }
  return out;
}

namespace {

// The body of a pact side: v4's wrapper unwrapped; JSON when the content type is JSON or unstated
// and the value is not a string; a string under a JSON content type parsed when it is JSON.
util::Status read_body(Message& m, util::Json body, int spec_version) {
  // v4 wraps a body: {"content": …, "contentType": …, "encoded": false}
  if (spec_version >= 4 && body.is_object() && body.contains("content")) {
    if (body.contains("contentType") && body["contentType"].is_string() && m.content_type().empty())
      m.headers.emplace_back("Content-Type", body["contentType"].get<std::string>());
    if (body.value("encoded", util::Json(false)) != util::Json(false))
      return util::make_error("an encoded (base64) body is not supported");
    body = util::Json(body["content"]);
  }
  const std::string ct = m.content_type();
  if (body.is_null()) {
    m.body_kind = Message::Body::null;
  } else if (body.is_string() && (body.get_ref<const std::string&>().empty() || !(ct.empty() || is_json_type(ct)))) {
    m.body_kind = Message::Body::text;
    m.text = body.get<std::string>();
  } else if (body.is_string() && is_json_type(ct)) {
    // A JSON body written as its text: parsed when it is JSON, else compared as text.
    util::Json parsed = util::Json::parse(body.get<std::string>(), nullptr, false);
    if (parsed.is_discarded() || body.get<std::string>().empty()) {
      m.body_kind = Message::Body::text;
      m.text = body.get<std::string>();
    } else {
      m.body_kind = Message::Body::json;
      m.body = std::move(parsed);
    }
  } else {
    m.body_kind = Message::Body::json;
    m.body = std::move(body);
  }
  return {};
}

}  // namespace

util::Result<Message> message_from_pact(const util::Json& side, int spec_version) {
  if (!side.is_object()) return util::make_error("a request or response must be an object");
  Message m;
  if (side.contains("method")) {
    if (!side["method"].is_string()) return util::make_error("\"method\" must be a string");
    m.method = side["method"].get<std::string>();
  }
  if (side.contains("path")) {
    if (!side["path"].is_string()) return util::make_error("\"path\" must be a string");
    m.path = side["path"].get<std::string>();
  }
  if (side.contains("status")) {
    if (!side["status"].is_number_integer()) return util::make_error("\"status\" must be a number");
    m.status = side["status"].get<int>();
  }
  if (side.contains("query") && !side["query"].is_null()) {
    const auto& q = side["query"];
    if (q.is_string()) {
      m.query = parse_query_string(q.get<std::string>());
    } else if (q.is_object()) {
      m.query.emplace();
      for (const auto& [name, values] : q.items()) {
        auto& list = (*m.query)[name];
        if (values.is_string()) {
          list.push_back(values.get<std::string>());
        } else if (values.is_array()) {
          for (const auto& v : values) {
            if (!v.is_string()) return util::make_error("query \"" + name + "\": values must be strings");
            list.push_back(v.get<std::string>());
          }
        } else {
          return util::make_error("query \"" + name + "\" must be a string or an array of strings");
        }
      }
    } else {
      return util::make_error("\"query\" must be a string or an object");
    }
  }
  if (side.contains("headers") && !side["headers"].is_null()) {
    if (!side["headers"].is_object()) return util::make_error("\"headers\" must be an object");
    for (const auto& [name, value] : side["headers"].items()) {
      if (value.is_string()) {
        m.headers.emplace_back(name, value.get<std::string>());
      } else if (value.is_array()) {  // v3/v4: several values, one header line
        std::vector<std::string> parts;
        for (const auto& v : value)
          if (v.is_string()) parts.push_back(v.get<std::string>());
        m.headers.emplace_back(name, util::join(parts, ", "));
      } else {
        return util::make_error("header \"" + name + "\" must be a string");
      }
    }
  }
  if (side.contains("body")) TRY(read_body(m, side["body"], spec_version));
  return m;
}

std::vector<Mismatch> match_request(const Message& expected, const Rules& rules, const Message& actual) {
  std::vector<Mismatch> out;
  if (!util::iequals(expected.method, actual.method))
    out.push_back({MismatchKind::method, "", expected.method, actual.method, "expected method " + expected.method});
  if (rules.path ? !rule_accepts_text(*rules.path, expected.path, actual.path) : expected.path != actual.path)
    out.push_back({MismatchKind::path, "", expected.path, actual.path, "expected path " + expected.path});
  for (auto& m : match_request_content(expected, rules, actual)) out.push_back(std::move(m));
  return out;
}

std::vector<Mismatch> match_request_content(const Message& expected, const Rules& rules, const Message& actual) {
  std::vector<Mismatch> out = match_query(expected, rules, actual);
  match_headers(expected, rules, actual, out);
  match_body(expected, rules, actual, false, out);
  return out;
}

Message message_from_http(const util::HttpRequest& request, const util::Json* parsed_body) {
  Message m;
  m.method = request.method;
  m.path = request.path;
  m.query.emplace();
  for (const auto& [name, value] : request.query) (*m.query)[name].push_back(value);
  for (const auto& [name, value] : request.headers) m.headers.emplace_back(name, value);
  if (request.body.empty()) return m;
  util::Json parsed = parsed_body ? util::Json() : util::parse_json_lenient(request.body);
  if (parsed_body || !parsed.is_discarded()) {
    m.body_kind = Message::Body::json;
    if (parsed_body)
      m.body = *parsed_body;
    else
      m.body = std::move(parsed);
  } else {
    m.body_kind = Message::Body::text;
    m.text = request.body;
  }
  return m;
}

std::vector<Mismatch> match_response(const Message& expected, const Rules& rules, const Message& actual) {
  std::vector<Mismatch> out;
  const std::string e = std::to_string(expected.status), a = std::to_string(actual.status);
  if (expected.status != 0 && (rules.status ? !rule_accepts_text(*rules.status, e, a) : e != a))
    out.push_back({MismatchKind::status, "", e, a, "expected status " + e + ", got " + a});
  match_headers(expected, rules, actual, out);
  match_body(expected, rules, actual, true, out);
  return out;
}

}  // namespace mockserver::pact
