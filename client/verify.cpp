// Drift detection: the config and auth steps as diagnose runs them, then each interaction's
// request sent as recorded (GETs; others only with --execute, the transfer only when named)
// and its answer compared by status and JSON shape with Pact's response comparison.
#include "client/verify.hpp"

#include <algorithm>
#include <cstdio>

#include "client/steps/run.hpp"
#include "client/steps/steps.hpp"
#include "mockserver/pact.hpp"
#include "mockserver/pact_xml.hpp"
#include "util/strings.hpp"

namespace client {

namespace {

using Status = InteractionVerdict::Status;
namespace pact = mockserver::pact;

// Whether two path templates name the same call: the same segments, a {param} fitting any.
bool same_call(const std::string& a, const std::string& b) {
  auto sa = util::path_segments(a), sb = util::path_segments(b);
  if (sa.size() != sb.size()) return false;
  for (std::size_t i = 0; i < sa.size(); ++i) {
    bool param = (!sa[i].empty() && sa[i].front() == '{') || (!sb[i].empty() && sb[i].front() == '{');
    if (!param && sa[i] != sb[i]) return false;
  }
  return true;
}

bool is_transfer(const Profile& profile, const mockserver::RequestPattern& request) {
  if (!profile.transfer.endpoint.path.empty() && same_call(profile.transfer.endpoint.path, request.path())) return true;
  return std::any_of(profile.transfer.requests.begin(), profile.transfer.requests.end(),
                     [&](const auto& r) { return same_call(r.endpoint.path, request.path()); });
}

// The recorded path with its {param}s from the scenario's inputs; why not, when one has none.
util::Result<std::string> concrete_path(const mockserver::RequestPattern& request, const util::Json& inputs) {
  if (request.path_regex()) return util::make_error("a path pattern names no one URL");
  std::string out;
  for (const auto& seg : request.segments()) {
    out += "/";
    if (!seg.is_param()) {
      out += seg.literal;
      continue;
    }
    if (!inputs.contains(seg.param) || !inputs[seg.param].is_string())
      return util::make_error("no value for {" + seg.param + "} in the scenario's inputs");
    out += util::url_encode(inputs[seg.param].get<std::string>());
  }
  return out.empty() ? std::string("/") : out;
}

// Why an interaction is not sent (empty: it is).
std::string skip_reason(const mockserver::Interaction& x, const Profile& profile, const VerifyOptions& options) {
  if (x.response.fault != mockserver::Fault::none) return "a fault is not an answer to compare";
  if (const auto& ptr = profile.auth.token_pointer; !ptr.empty()) {
    util::Json body = util::parse_json_lenient(x.response.body);
    if (!body.is_discarded() && util::at_pointer(body, ptr) != nullptr) return "the token call is the run's own (auth)";
  }
  const std::string& m = x.request.method;
  const bool named =
      std::find(options.interactions.begin(), options.interactions.end(), x.id) != options.interactions.end();
  if (is_transfer(profile, x.request) && !named)
    return "the transfer is never sent unless named (--interaction " + x.id + " --execute)";
  if (!m.empty() && m != "GET" && m != "HEAD" && !options.execute) return "a " + m + " is sent only with --execute";
  return "";
}

// A type rule on "$": every value below compared by its type, not its value.
pact::Rule shape_rule() {
  pact::Rule rule;
  rule.matchers.push_back(pact::Matcher{"type", std::nullopt, std::nullopt, std::nullopt, "", util::Json()});
  return rule;
}

// The answer against the recorded one: status, then the body's shape (Postel: more keys are fine).
void compare(const mockserver::Interaction& x, const util::HttpResponse& got, bool strict, InteractionVerdict& v) {
  v.expected_status = x.response.status;
  v.actual_status = got.status;
  if (got.status != x.response.status) {
    // Another status is another kind of answer: its body is not compared with this one's.
    v.drift.push_back(
        {mockserver::MismatchKind::status, "", std::to_string(x.response.status), std::to_string(got.status),
         "status " + std::to_string(got.status) + " where the scenario has " + std::to_string(x.response.status)});
    return;
  }
  if (x.response.body.empty()) return;
  util::Json want = util::parse_json_lenient(x.response.body);
  if (want.is_discarded()) {  // XML compared as Pact compares it; other text is the tenant's own words
    const std::string* type = x.response.headers.find("content-type");
    if (type && pact::is_xml_type(util::to_lower(util::trim(type->substr(0, type->find(';')))))) {
      pact::Rules rules;
      if (!strict) rules.body.push_back({{pact::PathToken{}}, shape_rule()});
      pact::match_xml(x.response.body, got.body, rules, true, v.drift);
    }
    return;
  }
  util::Json have = util::parse_json_lenient(got.body);
  if (have.is_discarded()) {
    v.drift.push_back({mockserver::MismatchKind::body, "$", "a JSON body", util::excerpt(got.body, 80),
                       got.body.empty() ? "no body where the scenario has JSON" : "the answer is not JSON"});
    return;
  }
  pact::Message e, a;
  e.body_kind = a.body_kind = pact::Message::Body::json;
  e.body = std::move(want);
  a.body = std::move(have);
  pact::Rules rules;
  if (!strict) rules.body.push_back({{pact::PathToken{}}, shape_rule()});  // "$": every value by its type
  for (auto& m : pact::match_response(e, rules, a)) v.drift.push_back(std::move(m));
}

// Sets up the interaction's provider states at the setup URL, one call per state as a Pact
// verifier does; why not, when one is refused.
std::optional<std::string> set_up_states(Run& run, const mockserver::Interaction& x, const std::string& url) {
  util::Json all = util::Json::array();
  for (const auto& s : x.provider_states) all.push_back({{"name", s}, {"params", util::Json::object()}});
  for (const auto& s : x.provider_states) {
    OutgoingRequest req;
    req.method = "POST";
    req.url = url;
    req.headers.add("Content-Type", "application/json");
    req.body = util::dump_line(
        util::Json{{"state", s}, {"states", all}, {"params", util::Json::object()}, {"action", "setup"}});
    CallOutcome out = run.session.call("provider-state", req, kTokenPost);
    if (!out.response)
      return "provider state \"" + s + "\" not set up: " + (out.error ? out.error->message : "no answer");
    if (out.response->status < 200 || out.response->status > 299)
      return "provider state \"" + s + "\" not set up: HTTP " + std::to_string(out.response->status) + " " +
             util::excerpt(out.response->body, 120);
  }
  return std::nullopt;
}

InteractionVerdict verify_one(Run& run, const mockserver::Fixture& f, const mockserver::Interaction& x,
                              const VerifyOptions& options) {
  InteractionVerdict v;
  v.fixture = f.file.string();
  v.id = x.id;
  v.method = x.request.method.empty() ? "GET" : x.request.method;
  v.path = x.request.path();
  v.expected_status = x.response.status;
  if (auto why = skip_reason(x, run.profile, options); !why.empty()) {
    v.note = why;
    return v;
  }
  auto path = concrete_path(x.request, f.inputs);
  if (!path) {
    v.note = path.error().message;
    return v;
  }
  OutgoingRequest req;
  req.method = v.method;
  req.url = run.base + *path;
  std::string query;
  for (const auto& [name, m] : x.request.query)
    if (m.kind == mockserver::ValueMatcher::Kind::equals)
      query += (query.empty() ? "?" : "&") + util::url_encode(name) + "=" + util::url_encode(m.text);
  req.url += query;
  req.headers.add("Accept", "application/json");
  if (x.request.json) {
    req.body = x.request.json->dump();
    req.headers.add("Content-Type", "application/json");
  }
  if (!x.provider_states.empty() && !options.provider_states_setup_url.empty())
    if (auto why = set_up_states(run, x, options.provider_states_setup_url)) {
      v.status = Status::error;
      v.note = *why;
      return v;
    }
  const bool get = v.method == "GET" || v.method == "HEAD";
  CallOutcome out = run.session.call("verify", req, get ? kApiGet : kApiPost);
  if (!out.response) {
    v.status = Status::error;
    v.note = out.error ? out.error->message : "no answer";
    return v;
  }
  compare(x, *out.response, options.strict_values, v);
  v.status = v.drift.empty() ? Status::ok : Status::drift;
  return v;
}

}  // namespace

std::string_view verdict_name(InteractionVerdict::Status status) {
  switch (status) {
    case Status::ok:
      return "ok";
    case Status::drift:
      return "drift";
    case Status::error:
      return "error";
    case Status::skipped:
      break;
  }
  return "skipped";
}

std::size_t VerifyReport::count(InteractionVerdict::Status status) const {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [&](const auto& r) { return r.status == status; }));
}

int VerifyReport::exit_code() const {
  return setup_failed || count(Status::drift) > 0 || count(Status::error) > 0 ? 1 : 0;
}

VerifyReport verify_fixtures(const Config& config, const DiagnoseContext& context,
                             const std::vector<mockserver::Fixture>& fixtures, const VerifyOptions& options) {
  Run run(config, context);
  teach_redactor(run);
  VerifyReport report;
  report.profile = run.profile.name;
  for (auto step : {steps::config, steps::auth}) {
    StepResult s;
    s.name = step == steps::config ? "config" : "auth";
    step(run, s);
    // auth reads config's verdict from the run's report, as in diagnose
    report.setup_failed = s.status == StepStatus::failed || s.status == StepStatus::skipped;
    run.report.steps.push_back(s);
    report.setup.push_back(std::move(s));
    if (report.setup_failed) break;
  }
  report.target = run.base;
  if (!report.setup_failed)
    for (const auto& f : fixtures) {
      for (const auto& x : f.interactions) {
        if (f.profile != run.profile.name) {
          InteractionVerdict v;
          v.fixture = f.file.string();
          v.id = x.id;
          v.method = x.request.method;
          v.path = x.request.path();
          v.note = "profile " + f.profile + ", not " + run.profile.name + " (give --profile " + f.profile + ")";
          report.results.push_back(std::move(v));
          continue;
        }
        report.results.push_back(verify_one(run, f, x, options));
      }
    }
  report.redactor = std::move(run.report.redactor);
  return report;
}

}  // namespace client
