// Fixtures against published API descriptions (see spec_check.hpp).
#include "mockserver/spec_check.hpp"

#include <algorithm>
#include <iostream>

#include "contracts/embedded.hpp"
#include "mockserver/fixture_loader.hpp"
#include "util/exit_codes.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace mockserver {

namespace {

using contracts::ApiSpec;
using contracts::SpecOperation;

// A call a built-in profile makes, with where the profile says it is documented.
struct ProfileCall {
  std::string method;
  std::vector<std::string> segments;
  std::string ref;
  std::string status;  // confirmed, inferred, tutorial
};

// Every object of the profile document with a path: each step's call, each of a transfer's
// requests, the discovery documents. The method is GET unless given; the source is the object's
// own or the nearest enclosing one's (discovery names one for both its documents).
void collect_calls(const util::Json& node, const util::Json* source, std::vector<ProfileCall>& out, int depth) {
  if (depth > 8) return;
  if (node.is_array()) {
    for (const auto& child : node) collect_calls(child, source, out, depth + 1);
    return;
  }
  if (!node.is_object()) return;
  if (node.contains("source") && node["source"].is_object()) source = &node["source"];
  if (source && node.contains("path") && node["path"].is_string()) {
    std::vector<std::string> segments = util::path_segments(node["path"].get<std::string>());
    std::string method =
        node.contains("method") && node["method"].is_string() ? node["method"].get<std::string>() : "GET";
    out.push_back({method, std::move(segments), source->value("ref", ""), source->value("status", "")});
  }
  for (const auto& [_, child] : node.items()) collect_calls(child, source, out, depth + 1);
}

std::vector<ProfileCall> profile_calls(const std::string& profile) {
  std::vector<ProfileCall> out;
  auto text = contracts::embedded_file("profiles/" + profile + ".json");
  if (!text) return out;
  collect_calls(util::parse_json_lenient(*text), nullptr, out, 0);
  return out;
}

// The profile call a fixture's request pattern is: same method, and the pattern's path ends with
// the call's segments (a base path may come before them).
const ProfileCall* profile_call_for(const std::vector<ProfileCall>& calls, const RequestPattern& request) {
  std::vector<std::string> path = util::path_segments(request.path());
  for (const auto& c : calls) {
    if (c.method != request.method || c.segments.size() > path.size()) continue;
    std::size_t off = path.size() - c.segments.size();
    bool fits = true;
    for (std::size_t i = 0; i < c.segments.size() && fits; ++i)
      fits = c.segments[i].starts_with('{') || c.segments[i] == path[off + i];
    if (fits) return &c;
  }
  return nullptr;
}

bool is_json_content_type(const std::string* type) {
  return !type || util::to_lower(*type).find("json") != std::string::npos;
}

// What one interaction is checked with, and where its findings go.
class InteractionCheck {
 public:
  InteractionCheck(const Fixture& fixture, const std::string& text, std::size_t index, const ApiSpec& spec,
                   const SpecOperation& op, SpecCheck& out)
      : fixture_(fixture),
        text_(text),
        index_(index),
        spec_(spec),
        op_(op),
        out_(out),
        x_(fixture.interactions[index]) {}

  void run() {
    request_parameters();
    request_body();
    response();
  }

 private:
  std::string at(std::string_view pointer) const {
    std::string full = "/interactions/" + std::to_string(index_) + std::string(pointer);
    std::string w = util::where(fixture_.file.string(), text_, full);
    return w == fixture_.file.string() ? x_.origin : w;
  }
  void fail(std::string_view pointer, const std::string& message) {
    out_.findings.push_back({true, at(pointer), "interaction \"" + x_.id + "\", " + op_.label() + ": " + message});
  }

  void request_parameters() {
    // What the operation requires and the fixture leaves open: it answers requests the API refuses.
    for (const auto& p : op_.parameters) {
      const auto* matchers = p.in == "query" ? &x_.request.query : p.in == "header" ? &x_.request.headers : nullptr;
      if (!p.required || !matchers) continue;
      bool named = std::any_of(matchers->begin(), matchers->end(),
                               [&](const auto& m) { return util::iequals(m.first, p.name); });
      if (!named)
        out_.findings.push_back({false, x_.origin,
                                 "interaction \"" + x_.id + "\", " + op_.label() + ": the operation requires " + p.in +
                                     " parameter \"" + p.name + "\"; the fixture answers requests without it too"});
    }
    struct Place {
      std::string_view pointer, in;
      const std::map<std::string, ValueMatcher>* matchers;
    };
    for (const Place& place :
         {Place{"/request/query", "query", &x_.request.query}, Place{"/request/headers", "header", &x_.request.headers},
          Place{"/request/form", "formData", &x_.request.form}})
      for (const auto& entry : *place.matchers) parameter(place.pointer, place.in, entry.first, entry.second);
  }

  // One query, header or form matcher against the operation's parameter of that name.
  void parameter(std::string_view where, std::string_view in, const std::string& name, const ValueMatcher& m) {
    auto p = std::find_if(op_.parameters.begin(), op_.parameters.end(),
                          [&](const auto& q) { return q.in == in && util::iequals(q.name, name); });
    std::string pointer = util::pointer_append(where, name);
    std::string what = std::string(in) + " parameter \"" + name + "\"";
    if (p == op_.parameters.end()) {
      // Headers the description leaves to HTTP (Authorization, Content-Type, ...) are not parameters.
      if (in == "query") fail(pointer, what + " is not declared by the operation");
      return;
    }
    if (m.kind == ValueMatcher::Kind::absent && p->required)
      fail(pointer, what + " is required by the operation, the fixture wants it absent");
    if (m.kind == ValueMatcher::Kind::equals)
      if (auto why = contracts::check_parameter_value(*p, m.text); !why.empty()) fail(pointer, what + ": " + why);
  }

  void request_body() {
    if (!x_.request.json) return;
    if (op_.request_schema_pointer.empty()) {
      fail("/request/json", "the operation declares no JSON request body");
      return;
    }
    auto violations = spec_.validate(op_.request_schema_pointer, *x_.request.json);
    if (!violations) {
      fail("/request/json", violations.error().message);
      return;
    }
    // The fixture's "json" is a subset the body must contain: a member it leaves out is not missing.
    for (const auto& v : *violations)
      if (v.code != "SCHEMA_REQUIRED")
        fail("/request/json" + v.pointer, "request body " + (v.pointer.empty() ? "/" : v.pointer) + ": " + v.message);
  }

  void response() {
    const ResponseSpec& r = x_.response;
    if (r.fault != Fault::none && r.fault != Fault::slow_drip) {
      out_.findings.push_back({false, x_.origin,
                               "interaction \"" + x_.id + "\" answers with fault " + std::string(fault_name(r.fault)) +
                                   ": no answer to check"});
      return;
    }
    const auto* declared = ApiSpec::response_for(op_, r.status);
    if (!declared) {
      fail("/response/status",
           "answers " + std::to_string(r.status) +
               ", which the operation does not declare (declared: " + ApiSpec::declared_statuses(op_) + ")");
      return;
    }
    std::string status = std::to_string(r.status);
    if (declared->schema_pointer.empty()) {
      if (!r.body.empty())
        fail("/response", "the operation declares no body for " + status + ", the fixture answers " +
                              std::to_string(r.body.size()) + " bytes");
      return;
    }
    if (!is_json_content_type(r.headers.find("content-type"))) {
      fail("/response/headers",
           "answers " + status + " as " + *r.headers.find("content-type") + "; the operation declares a JSON body");
      return;
    }
    util::Json body;
    if (r.body.empty() || util::parse_json_into(r.body, body)) {
      fail("/response", "answers " + status + (r.body.empty() ? " with no body" : " with a body that is not JSON") +
                            "; the operation declares one (" + declared->schema_pointer + ")");
      return;
    }
    auto violations = spec_.validate(declared->schema_pointer, body);
    if (!violations) {
      fail("/response", violations.error().message);
      return;
    }
    for (const auto& v : *violations)
      fail("/response/json" + v.pointer,
           "response " + status + " body " + (v.pointer.empty() ? "/" : v.pointer) + ": " + v.code + ": " + v.message);
  }

  const Fixture& fixture_;
  const std::string& text_;
  std::size_t index_;
  const ApiSpec& spec_;
  const SpecOperation& op_;
  SpecCheck& out_;
  const Interaction& x_;
};

// An interaction no description has: a note when the fixture's profile documents the call
// elsewhere (or is the tutorial's), else a failure naming the nearest operation.
void outside_specs(const Fixture& fixture, const Interaction& x, const std::vector<ApiSpec>& specs,
                   const std::vector<ProfileCall>& calls, SpecCheck& out) {
  std::string call = x.request.method + " " + x.request.path();
  if (const auto* c = profile_call_for(calls, x.request)) {
    out.findings.push_back({false, x.origin,
                            "interaction \"" + x.id + "\": " + call + " is in no description given; profile " +
                                fixture.profile + " makes it from " + c->ref + " (" + c->status + ")"});
    return;
  }
  std::string message = "interaction \"" + x.id + "\": no operation for " + call;
  for (const auto& spec : specs) {
    if (auto methods = spec.methods_at(x.request.path()); !methods.empty()) {
      message += " (" + spec.source() + " has that path for " + methods + ")";
      break;
    }
    if (auto nearest = spec.nearest(x.request.method, x.request.path()); !nearest.empty()) {
      message += "; nearest: " + nearest + " in " + spec.source();
      break;
    }
  }
  out.findings.push_back({true, x.origin, message});
}

}  // namespace

bool SpecCheck::failed() const {
  return std::any_of(findings.begin(), findings.end(), [](const auto& f) { return f.failure; });
}

SpecCheck check_fixture_against_specs(const Fixture& fixture, const std::string& text,
                                      const std::vector<ApiSpec>& specs) {
  SpecCheck out;
  out.interactions = static_cast<int>(fixture.interactions.size());
  if (fixture.profile == "v2") {
    out.findings.push_back({false, fixture.file.string(),
                            "profile v2 is the tutorial's API, which no vendor publishes: its " +
                                std::to_string(out.interactions) +
                                " interaction(s) are not checked against a description"});
    return out;
  }
  auto calls = profile_calls(fixture.profile);
  for (std::size_t i = 0; i < fixture.interactions.size(); ++i) {
    const auto& x = fixture.interactions[i];
    if (x.request.path_regex() || x.request.method.empty()) {
      out.findings.push_back({false, x.origin,
                              "interaction \"" + x.id + "\" matches " +
                                  (x.request.method.empty() ? "any method" : "a path pattern") +
                                  ": not one operation, not checked"});
      continue;
    }
    const contracts::SpecOperation* op = nullptr;
    const ApiSpec* in = nullptr;
    for (const auto& spec : specs)
      if ((op = spec.find(x.request.method, x.request.path()))) {
        in = &spec;
        break;
      }
    if (!op) {
      outside_specs(fixture, x, specs, calls, out);
      continue;
    }
    ++out.in_spec;
    InteractionCheck(fixture, text, i, *in, *op, out).run();
  }
  return out;
}

int check_spec_command(const std::vector<std::string>& spec_files, const std::vector<std::string>& paths) {
  std::vector<ApiSpec> specs;
  for (const auto& f : spec_files) {
    auto spec = ApiSpec::load(f);
    if (!spec) {
      std::cerr << "cxone-mock: " << spec.error().message << "\n";
      return util::kExitUsage;
    }
    specs.push_back(std::move(*spec));
  }
  auto files = fixture_files(paths);
  if (!files) {
    std::cerr << "cxone-mock: " << files.error().message << "\n";
    return util::kExitUsage;
  }
  int passed = 0, failed = 0, interactions = 0, in_spec = 0;
  for (const auto& file : *files) {
    auto text = util::read_file(file);
    auto fixture = text ? load_fixture(file) : util::Result<Fixture>(util::make_error(text.error().message));
    if (!fixture) {
      ++failed;
      std::cout << fixture.error().message << "\n";
      continue;
    }
    auto result = check_fixture_against_specs(*fixture, *text, specs);
    for (const auto& f : result.findings)
      std::cout << (f.failure ? "" : "note: ") << f.where << ": " << f.message << "\n";
    ++(result.failed() ? failed : passed);
    interactions += result.interactions;
    in_spec += result.in_spec;
  }
  std::cout << passed << " passed, " << failed << " failed (" << interactions << " interactions, " << in_spec
            << " matched an operation of " << util::join(spec_files, ", ") << ")\n";
  return failed ? util::kExitFailed : util::kExitOk;
}

}  // namespace mockserver
