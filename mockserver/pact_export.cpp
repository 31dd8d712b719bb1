// Scenarios into a Pact v3 document: paths, query, headers and bodies with their rules.
#include "mockserver/pact_export.hpp"

#include <set>

#include "mockserver/matcher.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"

namespace mockserver {

namespace {

// A JSON pointer (/a/0/b) as the JSONPath Pact's rules use ($.a[0].b or $['a b']).
std::string json_path(const std::string& pointer) {
  std::string out = "$";
  for (const auto& token : util::path_segments(pointer)) {
    bool index = !token.empty() && token.find_first_not_of("0123456789") == std::string::npos;
    bool plain = !token.empty() && token.find_first_of(".[]'* ") == std::string::npos;
    out += index ? "[" + token + "]" : plain ? "." + token : "['" + token + "']";
  }
  return out;
}

util::OrderedJson regex_rule(const std::string& regex) {
  return {{"matchers", util::OrderedJson::array({{{"match", "regex"}, {"regex", regex}}})}};
}

// The path: a template's parameters filled from the scenario's inputs (else "1"), and a regex
// rule for the template; a path pattern has no example, so no export.
bool export_path(const Fixture& f, const RequestPattern& p, util::OrderedJson& req, util::OrderedJson& rules) {
  if (p.path_regex()) return false;
  std::string path, regex;
  bool templated = false;
  for (const auto& seg : p.segments()) {
    path += "/";
    regex += "\\/";
    if (seg.is_param()) {
      templated = true;
      path += f.inputs.contains(seg.param) && f.inputs[seg.param].is_string() ? f.inputs[seg.param].get<std::string>()
                                                                              : std::string("1");
      regex += "[^\\/]+";
    } else {
      path += seg.literal;
      regex += util::regex_literal(seg.literal);
    }
  }
  req["path"] = path.empty() ? "/" : path;
  if (templated) rules["path"] = regex_rule(regex);
  return true;
}

// Query and header matchers: equals as the example; matches as a regex rule (its example: the
// scenario's own value when the regex accepts it is unknown, so the pattern's source is noted);
// present as "any value"; absent is Pact's default for a query and not expressible for a header.
void export_values(const std::map<std::string, ValueMatcher>& matchers, bool query, util::OrderedJson& out,
                   util::OrderedJson& rules, std::vector<std::string>& left_out) {
  for (const auto& [name, m] : matchers) {
    util::OrderedJson example = std::string();
    switch (m.kind) {
      case ValueMatcher::Kind::equals:
        example = m.text;
        break;
      case ValueMatcher::Kind::matches:
        rules[name] = regex_rule(m.regex.source());
        left_out.push_back((query ? "query " : "header ") + name + ": a regex with no example value (\"\" written)");
        break;
      case ValueMatcher::Kind::present:
        rules[name] = regex_rule(".*");
        break;
      case ValueMatcher::Kind::absent:
        if (!query) left_out.push_back("header " + name + " must be absent: Pact cannot say so");
        continue;
    }
    out[name] = query ? util::OrderedJson::array({example}) : example;
  }
}

util::OrderedJson to_ordered(const util::Json& j) { return util::OrderedJson::parse(j.dump()); }

void export_body(const Fixture& f, const RequestPattern& p, util::OrderedJson& req, util::OrderedJson& body_rules,
                 std::vector<std::string>& left_out) {
  if (!p.json && p.body_fields.empty()) {
    if (!p.form.empty()) left_out.push_back("form fields: Pact v3 has no rules for a form body (no body written)");
    return;
  }
  // Pact refuses unexpected keys in a request body, where a scenario's "json" is a subset: the
  // body the run sends (the scenario's payload) is written when it holds the subset.
  util::Json body = p.json ? *p.json : util::Json::object();
  if (p.json && f.inputs.contains("payload")) {
    std::vector<Mismatch> differences;
    json_subset(*p.json, f.inputs["payload"], "", differences);
    if (differences.empty()) body = f.inputs["payload"];
  }
  for (const auto& [pointer, m] : p.body_fields) {
    util::Json::json_pointer jp(pointer);
    if (m.kind == ValueMatcher::Kind::equals) {
      body[jp] = m.value;
    } else if (m.kind == ValueMatcher::Kind::matches) {
      body_rules[json_path(pointer)] = regex_rule(m.regex.source());
      if (!body.contains(jp)) left_out.push_back("body " + pointer + ": a regex with no example value");
    } else {
      left_out.push_back("body " + pointer +
                         (m.kind == ValueMatcher::Kind::absent ? " must be absent" : " must be present") +
                         ": Pact cannot say so");
    }
  }
  req["headers"]["Content-Type"] = req["headers"].value("Content-Type", std::string("application/json"));
  req["body"] = to_ordered(body);
}

util::OrderedJson export_response(const ResponseSpec& r) {
  util::OrderedJson out = {{"status", r.status}};
  util::OrderedJson headers = util::OrderedJson::object();
  for (const auto& [name, value] : r.headers) headers[name] = value;
  if (!headers.empty()) out["headers"] = headers;
  if (!r.body.empty()) {
    util::Json parsed = util::parse_json_lenient(r.body);
    out["body"] = parsed.is_discarded() ? util::OrderedJson(r.body) : to_ordered(parsed);
  }
  if (!r.generators_source.is_null()) out["generators"] = to_ordered(r.generators_source);
  return out;
}

}  // namespace

PactExport pact_from_fixtures(const std::vector<Fixture>& fixtures, const std::string& consumer,
                              const std::string& provider) {
  PactExport out;
  util::OrderedJson interactions = util::OrderedJson::array();
  std::set<std::string> descriptions;
  for (const auto& f : fixtures) {
    for (const auto& x : f.interactions) {
      const std::string where = f.file.string() + ": interaction " + x.id;
      if (x.response.fault != Fault::none) {
        out.notes.push_back(where + ": a fault (" + std::string(fault_name(x.response.fault)) +
                            ") is not a Pact answer: left out");
        continue;
      }
      util::OrderedJson req = {{"method", x.request.method.empty() ? std::string("GET") : x.request.method}};
      util::OrderedJson rules = util::OrderedJson::object();
      if (!export_path(f, x.request, req, rules)) {
        out.notes.push_back(where + ": a path pattern has no example path: left out");
        continue;
      }
      std::vector<std::string> left_out;
      util::OrderedJson query = util::OrderedJson::object(), headers = util::OrderedJson::object();
      util::OrderedJson query_rules = util::OrderedJson::object(), header_rules = util::OrderedJson::object();
      export_values(x.request.query, true, query, query_rules, left_out);
      export_values(x.request.headers, false, headers, header_rules, left_out);
      if (!query.empty()) req["query"] = query;
      req["headers"] = headers;
      util::OrderedJson body_rules = util::OrderedJson::object();
      export_body(f, x.request, req, body_rules, left_out);
      if (req["headers"].empty()) req.erase("headers");
      if (!query_rules.empty()) rules["query"] = query_rules;
      if (!header_rules.empty()) rules["header"] = header_rules;
      if (!body_rules.empty()) rules["body"] = body_rules;
      if (!rules.empty()) req["matchingRules"] = rules;
      std::string description = f.name + ": " + x.id;
      for (int n = 2; descriptions.count(description); ++n)
        description = f.name + ": " + x.id + " #" + std::to_string(n);
      descriptions.insert(description);
      util::OrderedJson interaction = {{"description", description}};
      // Provider states: the interaction's own, and a scenario state it needs (a state the
      // provider must be in for this answer).
      util::OrderedJson states = util::OrderedJson::array();
      for (const auto& s : x.provider_states) states.push_back({{"name", s}});
      if (x.scenario && !x.scenario->required_state.empty() &&
          std::find(x.provider_states.begin(), x.provider_states.end(), x.scenario->required_state) ==
              x.provider_states.end())
        states.push_back({{"name", x.scenario->required_state}});
      if (!states.empty()) interaction["providerStates"] = states;
      interaction["request"] = req;
      interaction["response"] = export_response(x.response);
      interactions.push_back(interaction);
      for (const auto& l : left_out) out.notes.push_back(std::string(where).append(": ").append(l));
    }
  }
  out.pact = {{"consumer", {{"name", consumer}}},
              {"provider", {{"name", provider}}},
              {"interactions", interactions},
              {"metadata",
               {{"pactSpecification", {{"version", "3.0.0"}}}, {"handover-harness", {{"version", HARNESS_VERSION}}}}}};
  return out;
}

}  // namespace mockserver
