// Turning a diagnose run into a scenario file.
#include "client/save_fixture.hpp"

#include <optional>
#include <set>

#include "util/http.hpp"
#include "util/strings.hpp"

namespace client {

namespace {

using OJson = util::OrderedJson;

OJson ordered(const util::Json& j) { return OJson::parse(util::dump_line(j)); }

// path and decoded query of an absolute URL.
std::pair<std::string, std::map<std::string, std::string>> target_of(const std::string& url) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return util::split_target(slash == std::string::npos ? "/" : std::string_view(url).substr(slash));
}

// Headers worth keeping in a replay: what the client reads or reports.
bool kept_header(const std::string& name) {
  static const std::set<std::string> kept = {"content-type",        "retry-after",  "x-correlation-id",
                                             "inin-correlation-id", "x-request-id", "location"};
  return kept.count(util::to_lower(name)) > 0;
}

std::string unsigned_jwt(const util::Json& claims) {
  auto b64url = [](std::string s) {
    s = util::base64_encode(s);
    for (auto& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!s.empty() && s.back() == '=') s.pop_back();
    return s;
  };
  return b64url(R"({"alg":"none","typ":"JWT"})") + "." + b64url(util::dump_line(claims)) + ".";
}

}  // namespace

void placeholder_tokens(util::Json& body, const Profile& p) {
  auto set_if = [&](const std::string& ptr, const util::Json& v) {
    if (ptr.empty()) return;
    util::Json::json_pointer jp(ptr);
    if (body.contains(jp) && body[jp].is_string()) body[jp] = v;
  };
  set_if(p.auth.token_pointer, "recorded-access-token");
  set_if(p.auth.refresh_token_pointer, "recorded-refresh-token");
  if (!p.auth.id_token_pointer.empty()) {
    util::Json::json_pointer jp(p.auth.id_token_pointer);
    if (body.contains(jp) && body[jp].is_string()) {
      // Keep the tenant claim (not a secret; discovery needs it), drop everything else.
      util::Json claims = util::Json::object();
      auto parts = util::split(body[jp].get<std::string>(), '.');
      if (parts.size() == 3) {
        if (auto text = util::base64_decode(parts[1])) {
          util::Json original = util::parse_json_lenient(*text);
          if (original.is_object() && original.contains(p.discovery.tenant_claim))
            claims[p.discovery.tenant_claim] = original[p.discovery.tenant_claim];
        }
      }
      body[jp] = unsigned_jwt(claims);
    }
  }
}

namespace {

std::optional<std::string> fault_for(NetworkErrorKind kind) {
  switch (kind) {
    case NetworkErrorKind::timeout:
      return "timeout";
    case NetworkErrorKind::reset:
      return "connection-reset";
    case NetworkErrorKind::empty_response:
      return "empty-response";
    default:
      return std::nullopt;  // DNS, refused, TLS: not something a mock at the base URL can answer
  }
}

}  // namespace

namespace {

// The run's inputs as the scenario's: IDs, the payload (redacted), execute.
OJson inputs_of(const DiagnoseReport& r, const Config& cfg, const Profile& p, std::vector<std::string>& lost) {
  OJson inputs = OJson::object();
  if (!cfg.client_id.empty() && p.auth.style == "client-credentials-form") inputs["clientId"] = cfg.client_id;
  inputs["conversationId"] = cfg.conversation_id;
  if (!cfg.queue_id.empty()) inputs["queueId"] = cfg.queue_id;
  if (!cfg.wrapup_id.empty()) inputs["wrapupCodeId"] = cfg.wrapup_id;
  if (cfg.payload_text) {
    util::Json payload = util::parse_json_lenient(*cfg.payload_text);
    if (!payload.is_discarded()) {
      r.redactor.json_const(payload);
      inputs["payload"] = ordered(payload);
    } else {
      lost.push_back("the payload (not JSON) is not included");
    }
  }
  inputs["execute"] = cfg.execute;
  return inputs;
}

// An exchange's answer as the interaction's response (redacted; tokens as placeholders), or
// nullopt when a mock cannot reproduce it (said in lost).
std::optional<OJson> response_of(const DiagnoseReport& r, const Exchange& x, const Profile& p,
                                 std::vector<std::string>& lost) {
  OJson response;
  if (x.result.error) {
    auto fault = fault_for(x.result.error->kind);
    if (!fault) {
      lost.push_back(x.step + ": " + std::string(network_error_kind_name(x.result.error->kind)) +
                     " is not reproducible by a mock");
      return std::nullopt;
    }
    response = {{"status", 200}, {"fault", *fault}};
  } else if (x.result.response) {
    const auto& resp = *x.result.response;
    response["status"] = resp.status;
    OJson headers = OJson::object();
    for (const auto& [k, v] : resp.headers)
      if (kept_header(k)) headers[k] = r.redactor.text(v);
    if (!headers.empty()) response["headers"] = headers;
    util::Json body = util::parse_json_lenient(resp.body);
    if (!resp.body.empty() && !body.is_discarded() && (body.is_object() || body.is_array())) {
      if (x.step == "auth" && body.is_object()) placeholder_tokens(body, p);
      r.redactor.json_const(body);
      response["json"] = ordered(body);
    } else if (!resp.body.empty()) {
      response["body"] = r.redactor.text(resp.body);
    }
  } else {
    return std::nullopt;
  }
  return response;
}

// An exchange's request as the interaction's matcher: method, path, query, a form's grant type.
OJson request_of(const DiagnoseReport& r, const Exchange& x) {
  auto [path, query] = target_of(x.request.url);
  OJson request = {{"method", x.request.method}, {"path", path}};
  if (!query.empty()) {
    OJson q = OJson::object();
    for (const auto& [k, v] : query) q[k] = r.redactor.text(v);
    request["query"] = q;
  }
  if (util::iequals(x.request.headers.get("content-type"), "application/x-www-form-urlencoded")) {
    // Only the grant type: credentials differ between the customer and whoever replays.
    auto form = util::parse_form(x.request.body);
    if (form.count("grant_type")) request["form"] = {{"grant_type", form["grant_type"]}};
  }
  return request;
}

OJson expect_of(const DiagnoseReport& r) {
  OJson expect = {{"classification", r.classification},
                  {"failedStep", r.failed_step.empty() ? OJson(nullptr) : OJson(r.failed_step)}};
  OJson codes = OJson::array();
  std::set<std::string> seen;
  for (const auto& v : r.violations)
    if (seen.insert(v.code).second) codes.push_back(v.code);
  if (!codes.empty()) expect["violations"] = codes;
  return expect;
}

}  // namespace

OJson scenario_from_run(const DiagnoseReport& r, const Config& cfg, const Profile& p, const std::string& profile_ref,
                        const std::string& name) {
  OJson doc;
  doc["fixtureVersion"] = 1;
  doc["name"] = name;
  std::string desc = "Recorded by handover-diag diagnose against " + r.target + " (profile " + r.profile +
                     "): " + r.classification + (r.failed_step.empty() ? "" : " at the " + r.failed_step + " step") +
                     ".";
  std::vector<std::string> lost;
  OJson tags = OJson::array({"recorded", r.profile});
  if (r.classification != "OK") tags.push_back(util::to_lower(r.classification));
  doc["tags"] = tags;
  doc["profile"] = profile_ref;
  doc["inputs"] = inputs_of(r, cfg, p, lost);

  // The same request later again (a retry, a refresh): this answer is used once, so the
  // sequence replays in order.
  auto key = [](const Exchange& x) { return x.request.method + " " + x.request.url; };
  OJson interactions = OJson::array();
  std::map<std::string, int> per_step;
  for (std::size_t i = 0; i < r.exchanges.size(); ++i) {
    const Exchange& x = r.exchanges[i];
    auto response = response_of(r, x, p, lost);
    if (!response) continue;
    OJson interaction = {{"id", x.step + "-" + std::to_string(++per_step[x.step])},
                         {"request", request_of(r, x)},
                         {"response", *response}};
    for (std::size_t j = i + 1; j < r.exchanges.size(); ++j) {
      if (key(r.exchanges[j]) == key(x)) {
        interaction["times"] = 1;
        break;
      }
    }
    interactions.push_back(std::move(interaction));
  }
  if (!lost.empty()) desc += " Not reproduced: " + util::join(lost, "; ") + ".";
  doc["description"] = desc;
  doc["interactions"] = interactions;
  doc["expect"] = expect_of(r);
  // Keys in SPEC order.
  OJson out;
  for (const char* k : {"fixtureVersion", "name", "description", "tags", "profile", "inputs", "interactions", "expect"})
    out[k] = doc[k];
  return out;
}

std::string scenario_text(const OJson& scenario, const DiagnoseReport& report) {
  return report.redactor.text(util::dump_pretty(scenario) + "\n");
}

}  // namespace client
