// The auth step: OpenID discovery of the token endpoint when the profile has it, the token,
// tenant discovery of the API host from the token's claims, and the granted scopes against
// what each later step will need.
#include <algorithm>
#include <set>
#include <string>

#include "client/steps/steps.hpp"
#include "client/steps/support.hpp"
#include "contracts/codes.hpp"
#include "util/strings.hpp"

namespace client::steps {

namespace {

namespace codes = contracts::codes;

// The claims of a JWT (the middle segment), or null when token is not one.
util::Json jwt_claims(const std::string& token) {
  auto parts = util::split(token, '.');
  if (parts.size() != 3) return nullptr;
  auto json = util::base64_decode(parts[1]);
  if (!json) return nullptr;
  util::Json claims = util::parse_json_lenient(*json);
  return claims.is_object() ? claims : util::Json(nullptr);
}

// A URL read from a discovery document at pointer, rebased; empty after failing the step.
std::string discover(Run& run, StepResult& s, const std::string& url, const std::string& pointer, const char* what,
                     util::Json& evidence) {
  auto body = fetch(run, s, get_request(url), kPlainGet);
  if (!body) {
    s.summary = what + std::string(" discovery: ") + s.summary;
    return "";
  }
  const util::Json* v = at_pointer(*body, pointer);
  if (!v || !v->is_string() ||
      !(v->get<std::string>().starts_with("http://") || v->get<std::string>().starts_with("https://"))) {
    s.evidence["missing"] = pointer;
    fail(s, codes::kMalformedResponse,
         std::string(what) + " discovery: " + url + " lacks an absolute URL at " + pointer);
    return "";
  }
  std::string found = v->get<std::string>();
  evidence[what] = found;
  return rebase(run, found);
}

TokenRequest token_request(Run& run, std::string url) {
  const Profile& p = run.profile;
  const Config& cfg = run.cfg;
  TokenRequest t;
  t.method = p.auth.endpoint.method;
  t.url = std::move(url);
  if (run.basic_auth()) {
    t.authorization = "Basic " + run.basic_credentials();
    t.form = {{"grant_type", "password"}, {"username", cfg.access_key_id}, {"password", cfg.access_key_secret}};
  } else if (run.basic_client_credentials()) {
    t.authorization = "Basic " + run.basic_credentials();
    t.form = {{"grant_type", "client_credentials"}};
  } else {
    t.form = {{"grant_type", "client_credentials"}, {"client_id", cfg.client_id}, {"client_secret", cfg.client_secret}};
  }
  t.token_pointer = p.auth.token_pointer;
  t.expires_in_pointer = p.auth.expires_in_pointer;
  t.contract = run.response_contract(p.auth.endpoint.response_contract);
  t.refresh_on = p.auth.refresh_on;
  return t;
}

// The tenant's API host from the token's claims (profile cxone); false after failing the step.
bool discover_api(Run& run, StepResult& s, util::Json& discovery) {
  const Profile& p = run.profile;
  const util::Json& token_body = run.session.token_body();
  // The tenant comes from the id_token's claims (else the access token's, when it is a JWT).
  std::string tenant;
  for (const auto* ptr : {&p.auth.id_token_pointer, &p.auth.token_pointer}) {
    const auto* t = at_pointer(token_body, *ptr);
    if (!t || !t->is_string()) continue;
    util::Json claims = jwt_claims(t->get<std::string>());
    if (claims.is_object() && claims.contains(p.discovery.tenant_claim)) {
      tenant = scalar_text(claims[p.discovery.tenant_claim]);
      break;
    }
  }
  if (tenant.empty()) {
    s.evidence["missing"] = p.auth.id_token_pointer;
    fail(s, codes::kMalformedResponse,
         "the token response has no id_token with a " + p.discovery.tenant_claim +
             " claim: cannot discover the tenant's API host");
    return false;
  }
  discovery["tenantId"] = tenant;
  std::string url = run.base + p.discovery.api_path;
  std::string q;
  for (const auto& [k, v] : p.discovery.api_query) {
    q += q.empty() ? '?' : '&';
    q.append(util::url_encode(k))
        .append("=")
        .append(util::url_encode(expand_template(v, {{"tenantId", tenant}}, false)));
  }
  std::string api = discover(run, s, url + q, p.discovery.api_endpoint_pointer, "api_endpoint", discovery);
  if (api.empty()) return false;
  while (!api.empty() && api.back() == '/') api.pop_back();
  run.api_root = expand_template(p.api_root, {{"baseUrl", run.base}, {"apiEndpoint", api}}, false);
  return true;
}

// 403s masquerade as data errors in the bot: say now which step will fail and why.
void check_scopes(const Run& run, StepResult& s) {
  const Profile& p = run.profile;
  const auto* sc = at_pointer(run.session.token_body(), p.auth.scope_pointer);
  if (!sc || !sc->is_string()) return;
  auto granted = util::split(sc->get<std::string>(), ' ');
  granted.erase(std::remove(granted.begin(), granted.end(), ""), granted.end());
  s.evidence["scopes"] = granted;
  s.summary += " (" + std::to_string(granted.size()) + " scopes)";
  std::set<std::string> have(granted.begin(), granted.end());
  for (const auto& [step_name, ep] :
       {std::pair{"conversation", &p.conversation.endpoint}, std::pair{"queue", &p.queue.endpoint},
        std::pair{"wrapup", &p.wrapup.endpoint}, std::pair{"transfer", &p.transfer.endpoint}}) {
    for (const auto& need : ep->scopes)
      if (!have.count(need))
        warn(s, std::string("token lacks ") + need + ": the " + step_name + " step will be refused (403)");
  }
}

}  // namespace

void auth(Run& run, StepResult& s) {
  const Profile& p = run.profile;
  if (!run.passed("config")) return skip(s, "not attempted: configuration incomplete");
  util::Json discovery = util::Json::object();
  std::string token_url = run.login + p.auth.endpoint.path;
  if (!p.discovery.openid_path.empty()) {
    token_url = discover(run, s, run.login + p.discovery.openid_path, p.discovery.token_endpoint_pointer,
                         "token_endpoint", discovery);
    if (token_url.empty()) return;
  }
  s.evidence["request"] = p.auth.endpoint.method + " " + token_url;
  run.session.set_token_request(token_request(run, token_url));
  if (auto failure = run.session.obtain_token(s.name)) return fail_token(run, s, *failure);
  collect_evidence(run, s, *run.session.last_token_response(), nullptr);
  if (const auto* e = at_pointer(run.session.token_body(), p.auth.expires_in_pointer)) s.evidence["expiresIn"] = *e;

  run.api_root = expand_template(p.api_root, {{"baseUrl", run.base}}, false);
  if (!p.discovery.api_path.empty() && !discover_api(run, s, discovery)) return;
  if (!discovery.empty()) {
    discovery["apiRoot"] = run.api_root;
    if (!run.cfg.base_url.empty()) discovery["rebasedTo"] = run.base;
    s.evidence["discovery"] = discovery;
  }
  s.status = StepStatus::ok;
  s.summary = "token obtained" + std::string(discovery.empty() ? "" : ", API at " + run.api_root);
  check_scopes(run, s);
}

}  // namespace client::steps
