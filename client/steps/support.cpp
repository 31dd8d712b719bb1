// Step support: verdicts, evidence and the common handling of answers (see support.hpp).
#include "client/steps/support.hpp"

#include <algorithm>

#include "contracts/codes.hpp"
#include "util/http.hpp"
#include "util/strings.hpp"

namespace client {

Run::Run(const Config& config, const DiagnoseContext& context)
    : cfg(config),
      ctx(context),
      profile(context.profile),
      session(context.transport, context.clock, context.options, context.trace, report.redactor, report.exchanges) {}

const StepResult* Run::step(const std::string& name) const {
  for (const auto& s : report.steps)
    if (s.name == name) return &s;
  return nullptr;
}

bool Run::passed(const std::string& name) const {
  const auto* s = step(name);
  return s && (s->status == StepStatus::ok || s->status == StepStatus::warning);
}

const contracts::Contract* Run::response_contract(const std::string& name) {
  if (name.empty()) return nullptr;
  auto it = response_contracts_.find(name);
  if (it == response_contracts_.end()) {
    auto c = contracts::load_contract(name);
    it = response_contracts_.emplace(name, c ? std::optional<contracts::Contract>(std::move(*c)) : std::nullopt).first;
  }
  return it->second ? &*it->second : nullptr;
}

std::string Run::basic_credentials() const { return util::base64_encode(cfg.client_id + ":" + cfg.client_secret); }

}  // namespace client

namespace client::steps {

namespace codes = contracts::codes;

namespace {

std::string path_text(const util::Json& v) { return v.is_string() ? v.get<std::string>() : util::dump_line(v); }

// scheme://host[:port] of an absolute URL, and the rest.
std::pair<std::string, std::string> split_origin(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return {"", url};
  auto path = url.find('/', scheme + 3);
  if (path == std::string::npos) return {url, ""};
  return {url.substr(0, path), url.substr(path)};
}

}  // namespace

void fail(StepResult& s, const std::string& code, std::string summary) {
  s.status = StepStatus::failed;
  s.classification = code;
  s.summary = std::move(summary);
}

void skip(StepResult& s, std::string why) {
  s.status = StepStatus::skipped;
  s.summary = std::move(why);
}

void warn(StepResult& s, const std::string& why) {
  s.status = StepStatus::warning;
  s.summary = s.summary.empty() ? why : s.summary + "; " + why;
  s.evidence["warnings"].push_back(why);
}

bool contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

void collect_evidence(const Run& run, StepResult& s, const util::HttpResponse& r, const util::Json* body) {
  s.http_status = r.status;
  util::Json headers = util::Json::object();
  for (const auto& h : run.ctx.catalogue.evidence_headers())
    if (const std::string* v = r.headers.find(h)) headers[h] = *v;
  if (!headers.empty()) s.evidence["headers"] = headers;
  if (body && body->is_object()) {
    util::Json fields = util::Json::object();
    for (const auto& ptr : run.ctx.catalogue.evidence_pointers())
      if (const auto* v = at_pointer(*body, ptr)) fields[ptr.substr(1)] = *v;
    if (!fields.empty()) s.evidence["errorBody"] = fields;
  }
}

void fail_http(const Run& run, StepResult& s, const util::HttpResponse& r, const std::string& rules_step,
               const std::string& prefix) {
  util::Json parsed = util::parse_json_lenient(r.body);
  const util::Json* body = parsed.is_discarded() ? nullptr : &parsed;
  collect_evidence(run, s, r, body);
  if (!body && !r.body.empty()) s.evidence["bodyExcerpt"] = util::excerpt(r.body, 200);
  auto match = run.ctx.catalogue.classify(rules_step.empty() ? s.name : rules_step, r.status, body, r.body);
  // The error's own words: Genesys-style "message", else OAuth's description or code.
  std::string message(util::reason_phrase(r.status));
  if (body && body->is_object()) {
    for (const char* field : {"message", "error_description", "error"}) {
      if (body->contains(field)) {
        message = path_text((*body)[field]);
        break;
      }
    }
  }
  if (match) s.evidence["rule"] = match->rule_id;
  if (const std::string* ra = r.headers.find("retry-after")) s.evidence["retryAfter"] = *ra;
  fail(s, match ? match->code : codes::kUnclassified,
       prefix + "HTTP " + std::to_string(r.status) + (message.empty() ? "" : ": " + util::excerpt(message, 120)));
}

void fail_network(StepResult& s, const NetworkError& e, const std::string& prefix) {
  s.evidence["networkError"] = {{"kind", network_error_kind_name(e.kind)}, {"message", e.message}};
  fail(s, codes::kNetworkError, prefix + std::string(network_error_kind_name(e.kind)) + ": " + e.message);
}

void fail_token(Run& run, StepResult& s, const TokenFailure& f) {
  std::string prefix = f.reason.empty() ? "" : "token refresh (" + f.reason + ") failed: ";
  const std::string& pointer = run.profile.auth.token_pointer;
  switch (f.kind) {
    case TokenFailure::Kind::network:
      return fail_network(s, *f.error, prefix);
    case TokenFailure::Kind::http:
      return fail_http(run, s, *f.response, "auth", prefix);
    case TokenFailure::Kind::not_json:
      json_body(run, s, *f.response);
      return;
    case TokenFailure::Kind::contract:
      collect_evidence(run, s, *f.response, nullptr);
      conforms(run, s, f.body, run.profile.auth.endpoint.response_contract, *f.response);
      return;
    case TokenFailure::Kind::no_token:
      collect_evidence(run, s, *f.response, nullptr);
      s.evidence["missing"] = pointer;
      return fail(s, codes::kMalformedResponse, prefix + "token response lacks " + pointer);
  }
}

bool absorb_token_refresh(Run& run, StepResult& s, const CallOutcome& out) {
  if (out.token_failure) {
    fail_token(run, s, *out.token_failure);
    return false;
  }
  if (out.token_refresh) {
    collect_evidence(run, s, *out.token_response, nullptr);
    s.evidence["tokenRefresh"] = *out.token_refresh;
  }
  return true;
}

std::optional<util::Json> json_body(const Run& run, StepResult& s, const util::HttpResponse& r) {
  collect_evidence(run, s, r, nullptr);
  util::Json parsed = util::parse_json_lenient(r.body);
  if (parsed.is_discarded() || !parsed.is_object()) {
    std::string ct = r.headers.get("content-type", "(none)");
    s.evidence["contentType"] = ct;
    s.evidence["bodyExcerpt"] = util::excerpt(r.body, 200);
    std::string trimmed(util::trim(r.body));
    std::string why = trimmed.empty()          ? "empty body"
                      : trimmed.front() == '<' ? "an HTML/XML page, not JSON (a gateway or login page?)"
                      : parsed.is_discarded()  ? "not JSON"
                                               : "JSON but not an object";
    fail(s, codes::kMalformedResponse, "HTTP " + std::to_string(r.status) + " with " + why);
    return std::nullopt;
  }
  return parsed;
}

bool conforms(Run& run, StepResult& s, const util::Json& body, const std::string& contract_name,
              const util::HttpResponse& r) {
  const auto* contract = run.response_contract(contract_name);
  if (!contract) return true;
  std::vector<contracts::Violation> vs;
  contract->schema.validate(body, vs, false);
  if (vs.empty()) return true;
  util::Json list = util::Json::array();
  for (const auto& v : vs) list.push_back({{"pointer", v.pointer}, {"message", v.message}});
  s.evidence["responseContract"] = contract->name;
  s.evidence["responseViolations"] = list;
  s.evidence["bodyExcerpt"] = util::excerpt(r.body, 200);
  fail(s, codes::kMalformedResponse,
       "HTTP " + std::to_string(r.status) + " body breaks " + contract->name + ": " + vs.front().message +
           (vs.front().pointer.empty() ? "" : " at " + vs.front().pointer));
  return false;
}

std::optional<util::Json> fetch(Run& run, StepResult& s, const OutgoingRequest& req, CallPolicy policy,
                                const std::string& contract) {
  CallOutcome out = run.session.call(s.name, req, policy);
  if (out.attempts.size() > 1 || out.refreshed || (!out.attempts.empty() && out.attempts.back().contains("gaveUp")))
    s.evidence["attempts"] = out.attempts;
  if (!absorb_token_refresh(run, s, out)) return std::nullopt;
  if (out.error) {
    fail_network(s, *out.error);
    return std::nullopt;
  }
  const auto& r = *out.response;
  if (r.status < 200 || r.status > 299) {
    fail_http(run, s, r);
    if (out.refreshed) s.summary += " (still refused after one token refresh)";
    return std::nullopt;
  }
  const auto& empty_statuses = run.profile.empty_list_statuses;
  if (util::trim(r.body).empty() &&
      std::find(empty_statuses.begin(), empty_statuses.end(), r.status) != empty_statuses.end()) {
    collect_evidence(run, s, r, nullptr);
    s.evidence["emptyList"] = true;
    return util::Json::object();
  }
  auto body = json_body(run, s, r);
  if (body && !conforms(run, s, *body, contract, r)) return std::nullopt;
  return body;
}

const util::Json* list_at(StepResult& s, const util::Json& body, const std::string& pointer, const char* what) {
  static const util::Json kEmpty = util::Json::array();
  const util::Json* list = at_pointer(body, pointer);
  if (!list && s.evidence.contains("emptyList")) return &kEmpty;
  if (list && list->is_array()) return list;
  s.evidence["missing"] = pointer;
  fail(s, codes::kMalformedResponse, std::string(what) + " lacks " + pointer);
  return nullptr;
}

OutgoingRequest get_request(std::string url) {
  OutgoingRequest r;
  r.method = "GET";
  r.url = std::move(url);
  r.headers.add("Accept", "application/json");
  return r;
}

std::string api_url(const Run& run, const Endpoint& ep, const std::map<std::string, std::string>& vars) {
  std::string u = run.api_root + expand_template(ep.path, vars);
  std::string q;
  for (const auto& [k, v] : ep.query) {
    q += q.empty() ? "?" : "&";
    q += util::url_encode(k) + "=" + util::url_encode(expand_template(v, vars, false));
  }
  return u + q;
}

std::string rebase(const Run& run, const std::string& discovered) {
  if (run.cfg.base_url.empty()) return discovered;
  // A base URL with a path is a prefix (a mock's /__scenario/NAME/): kept before the discovered path.
  auto [origin, rest] = split_origin(discovered);
  auto [base_origin, base_path] = split_origin(run.base);
  while (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
  return (base_origin.empty() ? run.base : base_origin + base_path) + rest;
}

bool id_well_formed(const Run& run, StepResult& s, const IdCheck& check) {
  auto it = run.profile.id_formats.find(check.kind);
  std::string format = it == run.profile.id_formats.end() ? "any" : it->second;
  if (id_has_format(check.id, format)) return true;
  s.evidence["expectedFormat"] = format;
  fail(s, check.code, "\"" + check.id + "\" is not a " + check.what + " (" + format + ")" + check.why);
  return false;
}

}  // namespace client::steps
