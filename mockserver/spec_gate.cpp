// serve --spec (see spec_gate.hpp).
#include "mockserver/spec_gate.hpp"

#include <algorithm>
#include <cctype>

#include "mockserver/engine.hpp"
#include "util/strings.hpp"

namespace mockserver {

namespace {

using contracts::ApiSpec;
using contracts::SpecOperation;

void add(util::Json& out, std::string code, std::string pointer, std::string message) {
  out.push_back({{"code", std::move(code)}, {"pointer", std::move(pointer)}, {"message", std::move(message)}});
}

// Query and header parameters: required ones present, values of the declared type and enum.
void check_parameters(const SpecOperation& op, const util::HttpRequest& http, util::Json& out) {
  for (const auto& p : op.parameters) {
    const std::string* value = nullptr;
    if (p.in == "query") {
      auto it = http.query.find(p.name);
      if (it != http.query.end()) value = &it->second;
    } else if (p.in == "header") {
      value = http.headers.find(p.name);
    } else {
      continue;  // path parameters matched already; form and cookie ones are left alone
    }
    std::string where = "/" + p.in + "/" + util::escape_pointer_token(p.name);
    if (!value) {
      if (p.required) add(out, "SPEC_PARAMETER_REQUIRED", where, p.in + " parameter \"" + p.name + "\" is required");
      continue;
    }
    if (auto why = contracts::check_parameter_value(p, *value); !why.empty())
      add(out, "SPEC_PARAMETER_INVALID", where, p.in + " parameter \"" + p.name + "\": " + why);
  }
}

void check_body(const ApiSpec& spec, const SpecOperation& op, const IncomingRequest& in, util::Json& out) {
  if (op.request_schema_pointer.empty()) return;
  if (in.http.body.empty()) {
    if (op.request_body_required) add(out, "SPEC_BODY_REQUIRED", "/body", "the operation requires a JSON body");
    return;
  }
  if (!in.json) {
    add(out, "SPEC_BODY_NOT_JSON", "/body", "the operation takes a JSON body; this one does not parse");
    return;
  }
  auto violations = spec.validate(op.request_schema_pointer, *in.json);
  if (!violations) {
    add(out, "SPEC_SCHEMA_UNUSABLE", "/body", violations.error().message);
    return;
  }
  for (const auto& v : *violations) add(out, v.code, "/body" + v.pointer, v.message);
}

}  // namespace

util::Json SpecVerdict::to_json() const {
  if (!operation) return {{"operation", nullptr}, {"nearest", nearest}};
  return {{"operation", operation->label()}, {"source", spec->source()}, {"violations", violations}};
}

SpecVerdict judge_request(const std::vector<ApiSpec>& specs, const IncomingRequest& request) {
  SpecVerdict verdict;
  for (const auto& spec : specs)
    if (const auto* op = spec.find(request.http.method == "HEAD" ? "GET" : request.http.method, request.http.path)) {
      verdict.spec = &spec;
      verdict.operation = op;
      break;
    }
  if (!verdict.operation) {
    for (const auto& spec : specs)
      if (verdict.nearest = spec.nearest(request.http.method, request.http.path); !verdict.nearest.empty()) break;
    return verdict;
  }
  check_parameters(*verdict.operation, request.http, verdict.violations);
  check_body(*verdict.spec, *verdict.operation, request, verdict.violations);
  return verdict;
}

util::HttpResponse spec_unknown_response(const util::HttpRequest& request, const SpecVerdict& verdict) {
  std::string message = "No operation in the API description for " + request.method + " " + request.path;
  if (!verdict.nearest.empty()) message += "; nearest: " + verdict.nearest;
  auto r = error_response(404, message, "mock.spec.no_operation", {{"nearest", verdict.nearest}});
  r.headers.add("X-Mock-Miss", "true");
  return r;
}

util::HttpResponse spec_invalid_response(const SpecVerdict& verdict) {
  return error_response(400,
                        "request breaks " + verdict.operation->label() + ": " +
                            std::to_string(verdict.violations.size()) + " violation(s)",
                        "mock.spec.request_invalid", {{"violations", verdict.violations}});
}

std::optional<util::HttpResponse> spec_example_response(const SpecVerdict& verdict) {
  const auto& responses = verdict.operation->responses;
  auto success =
      std::find_if(responses.begin(), responses.end(), [](const auto& r) { return r.status.starts_with('2'); });
  if (success == responses.end())
    success = std::find_if(responses.begin(), responses.end(), [](const auto& r) { return r.status == "default"; });
  if (success == responses.end()) return std::nullopt;
  util::HttpResponse out;
  out.status = success->status == "default" || success->status.size() != 3 || !std::isdigit(success->status[1])
                   ? 200
                   : std::stoi(success->status);
  if (auto body = verdict.spec->example_body(*success)) {
    out.body = util::dump_line(*body);
    out.headers.add("Content-Type", "application/json");
  }
  out.headers.add("X-Mock-Spec-Example", verdict.operation->label());
  return out;
}

}  // namespace mockserver
