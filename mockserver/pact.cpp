// Pact interactions compared as the specification's test cases define: rules chosen per place by
// their JSONPath's weight (an exact name or index outweighs a wildcard; a rule on a parent
// applies below it), equality where no rule applies, Postel for response bodies.
#include "mockserver/pact.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "mockserver/pact_detail.hpp"
#include "mockserver/pact_xml.hpp"
#include "util/strings.hpp"

namespace mockserver::pact {

namespace {

using detail::apply;
using detail::best_rule;
using detail::has_kind;
using detail::Place;
using detail::rule_accepts_text;
using detail::same_type;
using detail::shown;

constexpr std::size_t kMaxDepth = 256;  // body nesting compared (a pact or a request deeper is a mismatch)

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
    bool ok = detail::combined_accepts(rule, why.size());
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
    if (!rule && !same_type(expected, actual))
      add(place, shown(expected), shown(actual), "expected " + shown(expected) + ", got " + shown(actual));
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
    bool ok = detail::combined_accepts(*rule, why.size());
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

// Both bodies' text when they are XML: either side's content type says so, or neither names one
// and the pact's body declares itself XML (a body with no type reads as a JSON string).
std::optional<std::pair<std::string_view, std::string_view>> xml_bodies(const Message& expected,
                                                                        const Message& actual) {
  auto text = [](const Message& m) -> const std::string* {
    if (m.body_kind == Message::Body::text) return &m.text;
    if (m.body_kind == Message::Body::json && m.body.is_string()) return &m.body.get_ref<const std::string&>();
    return nullptr;
  };
  const std::string *e = text(expected), *a = text(actual);
  if (!e || !a) return std::nullopt;
  const std::string ect = expected.content_type(), act = actual.content_type();
  if (is_xml_type(ect) || is_xml_type(act) || (ect.empty() && act.empty() && util::trim(*e).rfind("<?xml", 0) == 0))
    return std::make_pair(std::string_view(*e), std::string_view(*a));
  return std::nullopt;
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
  if (const auto xml = xml_bodies(expected, actual)) {
    match_xml(xml->first, xml->second, rules, allow_unexpected, out);
    return;
  }
  Place root;
  root.tokens.push_back({"$", false});
  if (expected.body_kind == B::json && actual.body_kind == B::json) {
    BodyCompare{rules, allow_unexpected, out}.compare(expected.body, actual.body, root);
    return;
  }
  // Text (plain, or JSON on one side only): the whole body, by a rule on $ or equality.
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
