// The transfer step: the request exactly as the bot would send it (a Signal profile moves some
// payload members into the query string), or the profile's sequence of requests built from the
// payload (genesys: attributes, then replace/queue); shown as evidence, sent only with
// --execute, each once.
#include <algorithm>
#include <map>
#include <vector>

#include "client/steps/steps.hpp"
#include "client/steps/support.hpp"
#include "util/strings.hpp"

namespace client::steps {

namespace {

constexpr const char* kMasked = "***";

// The transfer request, and the body as a document when it is one (for the evidence).
OutgoingRequest transfer_request(const Run& run, std::optional<util::Json>& body_doc) {
  const auto& t = run.profile.transfer;
  OutgoingRequest req;
  req.method = t.endpoint.method;
  req.url = api_url(run, t.endpoint, {{"conversationId", run.cfg.conversation_id}});
  req.headers.add("Content-Type", "application/json");
  req.headers.add("Accept", "application/json");
  req.body = run.payload_text;  // exactly what the bot would send
  body_doc = run.payload;
  if (t.query_from_payload.empty() || !run.payload || !run.payload->is_object()) return req;
  // Signal API: p1 travels in the query string, the other parameters in the JSON body.
  util::Json rest = *run.payload;
  std::string q;
  for (const auto& k : t.query_from_payload) {
    if (!rest.contains(k)) continue;
    q += q.empty() && req.url.find('?') == std::string::npos ? '?' : '&';
    q.append(util::url_encode(k)).append("=").append(util::url_encode(scalar_text(rest[k])));
    rest.erase(k);
  }
  req.url += q;
  req.body = util::dump_line(rest);
  body_doc = rest;
  return req;
}

// A request as the evidence shows it: the token masked, the body as a document when it is one.
util::Json shown_request(const Run& run, const OutgoingRequest& req, const std::optional<util::Json>& body_doc) {
  util::Json shown = {{"method", req.method},
                      {"url", req.url},
                      {"headers",
                       {{"Authorization", std::string("Bearer ") + kMasked},
                        {"Content-Type", "application/json"},
                        {"Accept", "application/json"}}}};
  shown["body"] = body_doc ? *body_doc : util::Json(req.body);
  run.report.redactor.json_const(shown["body"]);
  shown["bodyText"] = req.body;  // the bytes as sent (the values at --redact pointers are masked on output)
  return shown;
}

// The profile's transfer requests in order (genesys: the participant's attributes, then
// replace/queue), each sent once with --execute; the first refusal is the step's verdict.
void transfer_sequence(Run& run, StepResult& s) {
  const auto& list = run.profile.transfer.requests;
  std::map<std::string, std::string> vars = {{"queueId", run.queue_id},
                                             {"wrapupId", run.wrapup_id},
                                             {"participantId", run.participant_id},
                                             {"conversationId", run.cfg.conversation_id}};
  std::vector<OutgoingRequest> requests;
  util::Json shown = util::Json::array();
  std::string plan;
  for (const auto& r : list) {
    OutgoingRequest req;
    req.method = r.endpoint.method;
    req.url = api_url(run, r.endpoint, vars);
    req.headers.add("Content-Type", "application/json");
    req.headers.add("Accept", "application/json");
    std::optional<util::Json> body;
    if (!r.body.is_null()) {
      body = build_request_body(r.body, run.payload ? *run.payload : util::Json::object(), vars);
      req.body = util::dump_line(*body);
    }
    shown.push_back(shown_request(run, req, body));
    shown.back()["name"] = r.name;
    plan += (plan.empty() ? "" : ", then ") + req.method + " " + req.url;
    requests.push_back(std::move(req));
  }
  s.evidence["requests"] = shown;
  s.evidence["request"] = shown.back();
  if (!run.cfg.execute) {
    s.status = StepStatus::ok;
    s.evidence["dryRun"] = true;
    s.summary = "dry run: would " + plan + " (--execute sends them)";
    return;
  }
  for (std::size_t i = 0; i < requests.size(); ++i) {
    CallOutcome out = run.session.call(s.name, requests[i], kApiPost);  // never retried automatically
    if (!absorb_token_refresh(run, s, out)) return;
    std::string prefix = list[i].name + ": ";
    if (out.error) return fail_network(s, *out.error, prefix);
    const auto& r = *out.response;
    const auto& ok = list[i].success_statuses;
    if (std::find(ok.begin(), ok.end(), r.status) == ok.end()) return fail_http(run, s, r, "", prefix);
    collect_evidence(run, s, r, nullptr);
  }
  s.status = StepStatus::ok;
  s.summary = "transfer accepted (" + std::to_string(requests.size()) + " requests)";
}

}  // namespace

void transfer(Run& run, StepResult& s) {
  for (const auto& prior : run.report.steps)
    if (prior.status == StepStatus::failed) return skip(s, "not attempted: the " + prior.name + " step failed");
  if (run.session.token().empty() || run.payload_text.empty()) return skip(s, "not attempted: no token or no payload");
  if (!run.profile.transfer.requests.empty()) return transfer_sequence(run, s);
  std::optional<util::Json> body_doc;
  OutgoingRequest req = transfer_request(run, body_doc);
  s.evidence["request"] = shown_request(run, req, body_doc);
  if (!run.cfg.execute) {
    s.status = StepStatus::ok;
    s.evidence["dryRun"] = true;
    s.summary = "dry run: would " + req.method + " " + req.url + " (--execute sends it)";
    return;
  }
  CallOutcome out = run.session.call(s.name, req, kApiPost);  // a transfer is never retried automatically
  if (!out.attempts.empty() && out.attempts.back().contains("notRetried"))
    s.evidence["notRetried"] = out.attempts.back()["notRetried"];
  if (!absorb_token_refresh(run, s, out)) return;
  if (out.error) return fail_network(s, *out.error);
  const auto& r = *out.response;
  const auto& ok = run.profile.transfer.success_statuses;
  if (std::find(ok.begin(), ok.end(), r.status) == ok.end()) return fail_http(run, s, r);
  collect_evidence(run, s, r, nullptr);
  util::Json parsed = util::parse_json_lenient(r.body);
  if (!parsed.is_discarded()) s.evidence["response"] = parsed;
  s.status = StepStatus::ok;
  s.summary = "transfer accepted (HTTP " + std::to_string(r.status) + ")";
}

}  // namespace client::steps
