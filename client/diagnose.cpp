// The diagnose run: one Runner per run holds the token, the resolved IDs and the steps.
#include "client/diagnose.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>

#include "util/http.hpp"
#include "util/strings.hpp"

namespace client {

std::string_view step_status_name(StepStatus status) {
  switch (status) {
    case StepStatus::ok: return "ok";
    case StepStatus::warning: return "warning";
    case StepStatus::failed: return "failed";
    case StepStatus::skipped: return "skipped";
  }
  return "skipped";
}

int exit_code_for(const DiagnoseReport& report) {
  if (report.classification == "OK") return 0;
  if (report.classification == "CONFIG_ERROR") return 2;
  return 1;
}

namespace {

constexpr const char* kMasked = "***";

struct CallOutcome {
  std::optional<util::HttpResponse> response;
  std::optional<NetworkError> error;
  util::Json attempts = util::Json::array();
  bool refreshed = false;       // the token was refreshed after a refusal and the GET sent again
  bool refresh_failed = false;  // the refresh itself failed: the step is already failed
};

// How one request may be repeated: GETs are retried, only API calls carry the bearer token.
struct CallPolicy {
  bool retry = false;
  bool bearer = false;
};

bool retryable_status(int status) { return status == 429 || status == 502 || status == 503 || status == 504; }

// Failures where the request cannot have reached the application: safe to send a GET again.
bool retryable_error(const NetworkError& e) {
  return e.kind == NetworkErrorKind::refused || e.kind == NetworkErrorKind::connect_timeout ||
         e.kind == NetworkErrorKind::reset || e.kind == NetworkErrorKind::empty_response;
}

std::string path_text(const util::Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, util::kInvalidUtf8Replaced); }

const util::Json* at_pointer(const util::Json& doc, const std::string& pointer) {
  if (pointer.empty()) return &doc;
  try {
    return &doc.at(util::Json::json_pointer(pointer));
  } catch (const std::exception&) {
    return nullptr;
  }
}

bool contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// The claims of a JWT (the middle segment), or null when token is not one.
util::Json jwt_claims(const std::string& token) {
  auto parts = util::split(token, '.');
  if (parts.size() != 3) return nullptr;
  auto json = util::base64_decode(parts[1]);
  if (!json) return nullptr;
  util::Json claims = util::parse_json_lenient(*json);
  return claims.is_object() ? claims : util::Json(nullptr);
}

// scheme://host[:port] of an absolute URL, and the rest.
std::pair<std::string, std::string> split_origin(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return {"", url};
  auto path = url.find('/', scheme + 3);
  if (path == std::string::npos) return {url, ""};
  return {url.substr(0, path), url.substr(path)};
}

std::string seconds_text(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", std::round(ms / 100.0) / 10.0);
  return buf;
}

}  // namespace

// Seconds ("120") or an HTTP date; milliseconds to wait from now_epoch_ms, or nullopt.
std::optional<double> retry_after_ms(const util::HttpResponse& r, double now_epoch_ms) {
  const std::string* v = r.headers.find("retry-after");
  if (!v) return std::nullopt;
  std::string_view s = util::trim(*v);
  if (!s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::stod(std::string(s)) * 1000.0;
  if (auto date = util::parse_http_date(s)) return std::max(0.0, *date * 1000.0 - now_epoch_ms);
  return std::nullopt;
}

namespace {

class Runner {
 public:
  Runner(const Config& config, const DiagnoseContext& ctx) : cfg_(config), ctx_(ctx), p_(ctx.profile) {
    if (ctx_.options.jitter) {
      jitter_ = ctx_.options.jitter;
    } else {
      jitter_ = [rng = std::mt19937_64(std::random_device{}())]() mutable {
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
      };
    }
  }

  DiagnoseReport run() {
    report_.profile = p_.name;
    report_.executed = cfg_.execute;
    auto& red = report_.redactor;
    red.add_secret(cfg_.client_secret);
    red.add_secret(cfg_.access_key_secret);
    for (const auto& secret : cfg_.url_secrets) red.add_secret(secret);
    if (basic_auth()) {
      // CXone: the client ID and the access key ID are credentials too.
      red.add_secret(cfg_.client_id);
      red.add_secret(cfg_.access_key_id);
      red.add_secret(basic_credentials());
    }
    for (const auto& ptr : cfg_.redact_pointers) red.add_pointer(ptr);

    timed("config", [&](StepResult& s) { step_config(s); });
    timed("auth", [&](StepResult& s) { step_auth(s); });
    timed("conversation", [&](StepResult& s) { step_conversation(s); });
    timed("queue", [&](StepResult& s) { step_queue(s); });
    timed("wrapup", [&](StepResult& s) { step_wrapup(s); });
    timed("payload", [&](StepResult& s) { step_payload(s); });
    timed("transfer", [&](StepResult& s) { step_transfer(s); });

    for (auto& s : report_.steps) {
      if (s.status != StepStatus::failed) continue;
      // Every failed step carries its own fix (later failures are reported too, not only the first).
      if (s.name == "config" && !config_fixes_.empty()) s.evidence["remediation"] = config_fixes_;
      else if (const auto* entry = ctx_.catalogue.find(s.classification)) s.evidence["remediation"] = entry->fix;
      if (report_.failed_step.empty()) {
        report_.classification = s.classification;
        report_.failed_step = s.name;
      }
    }
    if (report_.failed_step == "config" && !config_fixes_.empty()) report_.remediation = config_fixes_;
    else if (const auto* entry = ctx_.catalogue.find(report_.classification)) report_.remediation = entry->fix;
    // A --redact pointer that matched nothing: a typo leaves the value it was meant to hide in
    // every output, so it is said in the report itself, not only on stderr.
    for (const auto& ptr : cfg_.redact_pointers)
      if (!red.matched(ptr))
        report_.warnings.push_back("--redact " + ptr +
                                   " matched nothing in this run: if it was meant to hide a value, that value is not masked");
    return std::move(report_);
  }

 private:
  template <class F>
  void timed(const char* name, F&& body) {
    StepResult s;
    s.name = name;
    double start = ctx_.clock.now_ms();
    body(s);
    s.duration_ms = std::round((ctx_.clock.now_ms() - start) * 100.0) / 100.0;
    report_.steps.push_back(std::move(s));
  }

  const StepResult* step(const std::string& name) const {
    for (const auto& s : report_.steps)
      if (s.name == name) return &s;
    return nullptr;
  }
  bool passed(const std::string& name) const {
    const auto* s = step(name);
    return s && (s->status == StepStatus::ok || s->status == StepStatus::warning);
  }

  static void fail(StepResult& s, const std::string& code, std::string summary) {
    s.status = StepStatus::failed;
    s.classification = code;
    s.summary = std::move(summary);
  }
  static void skip(StepResult& s, std::string why) {
    s.status = StepStatus::skipped;
    s.summary = std::move(why);
  }
  static void warn(StepResult& s, const std::string& why) {
    s.status = StepStatus::warning;
    s.summary = s.summary.empty() ? why : s.summary + "; " + why;
    s.evidence["warnings"].push_back(why);
  }

  bool basic_auth() const { return p_.auth.style == "password-basic"; }
  std::string basic_credentials() const { return util::base64_encode(cfg_.client_id + ":" + cfg_.client_secret); }

  // ---- HTTP ---------------------------------------------------------------------------------

  std::string api_url(const Endpoint& ep, const std::map<std::string, std::string>& vars) const {
    std::string u = api_root_ + expand_template(ep.path, vars);
    std::string q;
    for (const auto& [k, v] : ep.query) {
      q += q.empty() ? "?" : "&";
      q += util::url_encode(k) + "=" + util::url_encode(expand_template(v, vars, false));
    }
    return u + q;
  }

  OutgoingRequest get_request(std::string url) const {
    OutgoingRequest r;
    r.method = "GET";
    r.url = std::move(url);
    r.headers.add("Accept", "application/json");
    return r;
  }

  // A URL found by discovery. With --base-url (a mock, a proxy) every call goes to that origin:
  // the discovered URL keeps its path and takes the base URL's scheme, host and port.
  std::string rebase(const std::string& discovered) const {
    if (cfg_.base_url.empty()) return discovered;
    auto [origin, rest] = split_origin(discovered);
    std::string base_origin = split_origin(base_).first;
    return (base_origin.empty() ? base_ : base_origin) + rest;
  }

  // Secrets inside an answer (tokens) and values at the --redact pointers become known to the
  // redactor before anything prints the answer.
  void learn(const TransportResult& r) {
    if (!r.response) return;
    const std::string& body = r.response->body;
    bool tokens = body.find("token") != std::string::npos;
    if (!tokens && report_.redactor.pointers().empty()) return;
    util::Json doc = util::parse_json_lenient(body);
    if (doc.is_discarded()) return;
    if (tokens && doc.is_object()) {
      for (const auto* ptr : {&p_.auth.token_pointer, &p_.auth.refresh_token_pointer, &p_.auth.id_token_pointer})
        if (const auto* v = at_pointer(doc, *ptr); v && v->is_string() && !ptr->empty()) report_.redactor.add_secret(v->get<std::string>());
    }
    report_.redactor.json(doc);
  }

  TransportResult send(const StepResult& s, const OutgoingRequest& req, int attempt, const std::string& note) {
    Exchange x;
    x.step = s.name;
    x.attempt = attempt;
    x.note = note;
    x.request = req;
    if (ctx_.trace) ctx_.trace(x, false, report_.redactor);
    double t0 = ctx_.clock.now_ms();
    x.result = ctx_.transport.send(req);
    x.duration_ms = ctx_.clock.now_ms() - t0;
    learn(x.result);
    if (ctx_.trace) ctx_.trace(x, true, report_.redactor);
    TransportResult copy = x.result;
    report_.exchanges.push_back(std::move(x));
    return copy;
  }

  bool token_expired() const { return expires_at_ms_ && ctx_.clock.now_ms() >= *expires_at_ms_; }

  CallOutcome call(StepResult& s, OutgoingRequest req, CallPolicy policy) {
    CallOutcome out;
    double started = ctx_.clock.now_ms();
    int max = policy.retry ? std::max(1, ctx_.options.max_get_attempts) : 1;
    std::string note;
    for (int attempt = 1;; ++attempt) {
      if (policy.bearer) {
        if (token_expired()) {
          if (!obtain_token(s, "the token expired (expires_in)")) {
            out.refresh_failed = true;
            return out;
          }
        }
        req.headers.set("Authorization", "Bearer " + token_);
      }
      TransportResult r = send(s, req, attempt, note);
      out.response = r.response;
      out.error = r.error;
      util::Json log = {{"attempt", attempt}};
      if (r.response) log["status"] = r.response->status;
      if (r.error) log["error"] = std::string(network_error_kind_name(r.error->kind));

      // A refused token: refresh once and send the GET again; a POST is reported, not re-sent.
      if (policy.bearer && r.response && !out.refreshed &&
          std::find(p_.auth.refresh_on.begin(), p_.auth.refresh_on.end(), r.response->status) != p_.auth.refresh_on.end()) {
        if (!policy.retry) {
          log["notRetried"] = "a " + req.method + " is never re-sent automatically, not even with a new token";
          out.attempts.push_back(log);
          break;
        }
        out.refreshed = true;
        log["then"] = "refreshed the token";
        out.attempts.push_back(log);
        if (!obtain_token(s, "HTTP " + std::to_string(r.response->status) + " on " + s.name)) {
          out.refresh_failed = true;
          return out;
        }
        note = "again with a refreshed token";
        ++max;  // the refresh does not use up a retry
        continue;
      }

      bool retryable = (r.response && retryable_status(r.response->status)) || (r.error && retryable_error(*r.error));
      if (!retryable) {
        out.attempts.push_back(log);
        break;
      }
      if (!policy.retry) {
        log["notRetried"] = "a " + req.method + " is never re-sent automatically";
        out.attempts.push_back(log);
        break;
      }
      if (attempt >= max) {
        log["gaveUp"] = "after " + std::to_string(attempt) + " attempts";
        out.attempts.push_back(log);
        break;
      }
      double wait;
      auto ra = r.response ? retry_after_ms(*r.response, ctx_.clock.epoch_ms()) : std::nullopt;
      if (ra) {
        wait = *ra;
        if (wait > ctx_.options.max_retry_wait_ms) {
          log["gaveUp"] = "Retry-After asks for " + seconds_text(wait) + ", more than the " +
                          seconds_text(ctx_.options.max_retry_wait_ms) + " this run waits";
          out.attempts.push_back(log);
          break;
        }
      } else {
        double backoff = std::min(ctx_.options.backoff_cap_ms, ctx_.options.backoff_base_ms * std::pow(2.0, attempt - 1));
        wait = backoff / 2 + jitter_() * backoff / 2;
      }
      if (ctx_.clock.now_ms() - started + wait > ctx_.options.retry_budget_ms) {
        log["gaveUp"] = "the retry budget of " + seconds_text(ctx_.options.retry_budget_ms) + " is spent";
        out.attempts.push_back(log);
        break;
      }
      log["waitedMs"] = std::round(wait);
      if (ra) log["retryAfter"] = *r.response->headers.find("retry-after");
      out.attempts.push_back(log);
      ctx_.clock.sleep_ms(wait);
      note = "after " + (r.response ? "HTTP " + std::to_string(r.response->status)
                                    : std::string(network_error_kind_name(r.error->kind)));
    }
    return out;
  }

  // Evidence the catalogue says to keep from any answer: correlation headers, error fields.
  void collect_evidence(StepResult& s, const util::HttpResponse& r, const util::Json* body) {
    s.http_status = r.status;
    util::Json headers = util::Json::object();
    for (const auto& h : ctx_.catalogue.evidence_headers())
      if (const std::string* v = r.headers.find(h)) headers[h] = *v;
    if (!headers.empty()) s.evidence["headers"] = headers;
    if (body && body->is_object()) {
      util::Json fields = util::Json::object();
      for (const auto& ptr : ctx_.catalogue.evidence_pointers())
        if (const auto* v = at_pointer(*body, ptr)) fields[ptr.substr(1)] = *v;
      if (!fields.empty()) s.evidence["errorBody"] = fields;
    }
  }

  // A non-success answer: classify it through the catalogue's rules (as rules_step's answer).
  void fail_http(StepResult& s, const util::HttpResponse& r, const std::string& rules_step = "", const std::string& prefix = "") {
    util::Json parsed = util::parse_json_lenient(r.body);
    const util::Json* body = parsed.is_discarded() ? nullptr : &parsed;
    collect_evidence(s, r, body);
    if (!body && !r.body.empty()) s.evidence["bodyExcerpt"] = util::excerpt(r.body, 200);
    auto match = ctx_.catalogue.classify(rules_step.empty() ? s.name : rules_step, r.status, body, r.body);
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
    fail(s, match ? match->code : "UNCLASSIFIED",
         prefix + "HTTP " + std::to_string(r.status) + (message.empty() ? "" : ": " + util::excerpt(message, 120)));
  }

  void fail_network(StepResult& s, const NetworkError& e, const std::string& prefix = "") {
    s.evidence["networkError"] = {{"kind", network_error_kind_name(e.kind)}, {"message", e.message}};
    fail(s, "NETWORK_ERROR", prefix + std::string(network_error_kind_name(e.kind)) + ": " + e.message);
  }

  // Parses a success body as a JSON object, or fails the step as MALFORMED_RESPONSE.
  std::optional<util::Json> json_body(StepResult& s, const util::HttpResponse& r) {
    collect_evidence(s, r, nullptr);
    util::Json parsed = util::parse_json_lenient(r.body);
    if (parsed.is_discarded() || !parsed.is_object()) {
      std::string ct = r.headers.get("content-type", "(none)");
      s.evidence["contentType"] = ct;
      s.evidence["bodyExcerpt"] = util::excerpt(r.body, 200);
      std::string trimmed(util::trim(r.body));
      std::string why = trimmed.empty()            ? "empty body"
                        : trimmed.front() == '<'   ? "an HTML/XML page, not JSON (a gateway or login page?)"
                        : parsed.is_discarded()    ? "not JSON"
                                                   : "JSON but not an object";
      fail(s, "MALFORMED_RESPONSE", "HTTP " + std::to_string(r.status) + " with " + why);
      return std::nullopt;
    }
    return parsed;
  }

  // The response contract named by the profile, compiled once per run.
  const contracts::Contract* response_contract(const std::string& name) {
    if (name.empty()) return nullptr;
    auto it = response_contracts_.find(name);
    if (it == response_contracts_.end()) {
      auto c = contracts::load_contract(name);
      it = response_contracts_.emplace(name, c ? std::optional<contracts::Contract>(std::move(*c)) : std::nullopt).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  // A 2xx body must satisfy the endpoint's response contract; the first violation names the field.
  bool conforms(StepResult& s, const util::Json& body, const std::string& contract_name, const util::HttpResponse& r) {
    const auto* contract = response_contract(contract_name);
    if (!contract) return true;
    std::vector<contracts::Violation> vs;
    contract->schema.validate(body, vs, false);
    if (vs.empty()) return true;
    util::Json list = util::Json::array();
    for (const auto& v : vs) list.push_back({{"pointer", v.pointer}, {"message", v.message}});
    s.evidence["responseContract"] = contract->name;
    s.evidence["responseViolations"] = list;
    s.evidence["bodyExcerpt"] = util::excerpt(r.body, 200);
    fail(s, "MALFORMED_RESPONSE", "HTTP " + std::to_string(r.status) + " body breaks " + contract->name + ": " +
                                      vs.front().message + (vs.front().pointer.empty() ? "" : " at " + vs.front().pointer));
    return false;
  }

  // Sends and handles the outcome common to every GET; returns the JSON body on success. A
  // list endpoint's "no entries" answer (CXone's 204) reads as an empty object.
  std::optional<util::Json> fetch(StepResult& s, const OutgoingRequest& req, CallPolicy policy,
                                  const std::string& contract = "") {
    CallOutcome out = call(s, req, policy);
    if (out.attempts.size() > 1 || out.refreshed || (!out.attempts.empty() && out.attempts.back().contains("gaveUp")))
      s.evidence["attempts"] = out.attempts;
    if (out.refresh_failed) return std::nullopt;
    if (out.error) {
      fail_network(s, *out.error);
      return std::nullopt;
    }
    const auto& r = *out.response;
    if (r.status < 200 || r.status > 299) {
      fail_http(s, r);
      if (out.refreshed) s.summary += " (still refused after one token refresh)";
      return std::nullopt;
    }
    if (util::trim(r.body).empty() &&
        std::find(p_.empty_list_statuses.begin(), p_.empty_list_statuses.end(), r.status) != p_.empty_list_statuses.end()) {
      collect_evidence(s, r, nullptr);
      s.evidence["emptyList"] = true;
      return util::Json::object();
    }
    auto body = json_body(s, r);
    if (body && !conforms(s, *body, contract, r)) return std::nullopt;
    return body;
  }

  // The array at pointer in a list answer (empty for a "no entries" answer), or null after
  // failing the step as MALFORMED_RESPONSE.
  const util::Json* list_at(StepResult& s, const util::Json& body, const std::string& pointer, const char* what) {
    static const util::Json kEmpty = util::Json::array();
    const util::Json* list = at_pointer(body, pointer);
    if (!list && s.evidence.contains("emptyList")) return &kEmpty;
    if (list && list->is_array()) return list;
    s.evidence["missing"] = pointer;
    fail(s, "MALFORMED_RESPONSE", std::string(what) + " lacks " + pointer);
    return nullptr;
  }

  // ---- token --------------------------------------------------------------------------------

  // Requests a token (the first one, or a refresh with reason set). On failure the step fails
  // with the token endpoint's classification.
  bool obtain_token(StepResult& s, const std::string& reason = "") {
    OutgoingRequest req;
    req.method = p_.auth.endpoint.method;
    req.url = token_url_;
    req.headers.add("Content-Type", "application/x-www-form-urlencoded");
    req.headers.add("Accept", "application/json");
    if (basic_auth()) {
      req.headers.add("Authorization", "Basic " + basic_credentials());
      req.body = util::build_form(
          {{"grant_type", "password"}, {"username", cfg_.access_key_id}, {"password", cfg_.access_key_secret}});
    } else {
      req.body = util::build_form({{"grant_type", "client_credentials"},
                                   {"client_id", cfg_.client_id},
                                   {"client_secret", cfg_.client_secret}});
    }
    std::string prefix = reason.empty() ? "" : "token refresh (" + reason + ") failed: ";
    util::Json refresh = {{"reason", reason}};
    CallOutcome out = call(s, req, CallPolicy{false, false});
    if (out.error) {
      fail_network(s, *out.error, prefix);
      return false;
    }
    const auto& r = *out.response;
    if (r.status < 200 || r.status > 299) {
      fail_http(s, r, "auth", prefix);
      return false;
    }
    auto body = json_body(s, r);
    if (!body || !conforms(s, *body, p_.auth.endpoint.response_contract, r)) return false;
    const util::Json* tok = at_pointer(*body, p_.auth.token_pointer);
    if (!tok || !tok->is_string() || tok->get<std::string>().empty()) {
      s.evidence["missing"] = p_.auth.token_pointer;
      fail(s, "MALFORMED_RESPONSE", prefix + "token response lacks " + p_.auth.token_pointer);
      return false;
    }
    token_ = tok->get<std::string>();
    report_.redactor.add_secret(token_);
    token_body_ = *body;
    expires_at_ms_.reset();
    if (const auto* e = at_pointer(*body, p_.auth.expires_in_pointer); e && e->is_number() && e->get<double>() > 0) {
      // Refresh a little early: a token that expires in flight is refused.
      double life = e->get<double>() * 1000.0;
      expires_at_ms_ = ctx_.clock.now_ms() + life - std::min(30000.0, life / 10);
    }
    ++tokens_obtained_;
    if (!reason.empty()) {
      refresh["status"] = r.status;
      s.evidence["tokenRefresh"] = refresh;
    }
    return true;
  }

  // ---- steps --------------------------------------------------------------------------------

  // A malformed ID fails the step it belongs to, with that step's code, before any call.
  bool id_well_formed(StepResult& s, const std::string& kind, const std::string& id, const char* code,
                      const std::string& what, const std::string& why) {
    auto it = p_.id_formats.find(kind);
    std::string format = it == p_.id_formats.end() ? "any" : it->second;
    if (id_has_format(id, format)) return true;
    s.evidence["expectedFormat"] = format;
    fail(s, code, "\"" + id + "\" is not a " + what + " (" + format + ")" + why);
    return false;
  }

  void step_config(StepResult& s) {
    std::vector<ConfigProblem> problems = cfg_.problems;
    base_ = cfg_.base_url;
    if (base_.empty()) {
      std::string env = cfg_.environment.empty() ? p_.default_environment : cfg_.environment;
      base_ = expand_template(p_.base_url, {{"environment", env}}, false);
    }
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
    report_.target = base_;
    if (!base_.starts_with("http://") && !base_.starts_with("https://"))
      problems.push_back({"base URL \"" + base_ + "\" must start with http:// or https://",
                          "Give the full URL with its scheme, e.g. --base-url https://api." +
                              (p_.default_environment.empty() ? std::string("example.com") : p_.default_environment) +
                              " (CXONE_BASE_URL), or only the environment (--environment, CXONE_ENVIRONMENT)."});
    auto unset = [&](const char* var, const char* flag, const std::string& what) {
      problems.push_back({std::string(var) + " is not set (" + flag + ", environment or .env)",
                          "Set " + std::string(var) + " to " + what + ": " + flag + " VALUE, export " + var + "=VALUE, or a " + var +
                              "=VALUE line in .env."});
    };
    if (cfg_.client_id.empty()) unset(kClientId, "--client-id", "the OAuth client's ID (admin: Integrations > OAuth)");
    if (cfg_.client_secret.empty()) unset(kClientSecret, "--client-secret", "the OAuth client's secret");
    if (basic_auth()) {
      if (cfg_.access_key_id.empty()) unset(kAccessKeyId, "--access-key-id", "the access key ID of the CXone user (profile " + p_.name + ")");
      if (cfg_.access_key_secret.empty())
        unset(kAccessKeySecret, "--access-key-secret", "the access key secret of the CXone user (profile " + p_.name + ")");
    }
    if (cfg_.conversation_id.empty())
      unset(kConversation, "--conversation", "the ID of a live conversation to hand over (a test call)");

    queue_id_ = cfg_.queue_id;
    wrapup_id_ = cfg_.wrapup_id;
    if (cfg_.payload_text) {
      util::Json parsed = util::parse_json_lenient(*cfg_.payload_text);
      if (!parsed.is_discarded()) {
        report_.redactor.json(parsed);  // learns the values at --redact pointers; the copy is dropped
        parsed = util::parse_json_lenient(*cfg_.payload_text);
        payload_ = parsed;
        // The IDs inside the payload are what the transfer would use, so they are what we check.
        auto take = [&](const std::string& ptr, std::string& slot, const char* what) {
          const util::Json* v = at_pointer(parsed, ptr);
          if (!v || !(v->is_string() || v->is_number_integer())) return;
          std::string in_payload = scalar_text(*v);
          if (!slot.empty() && slot != in_payload)
            warn(s, std::string(what) + " given as \"" + slot + "\" but the payload has \"" + in_payload +
                        "\": checking the payload's");
          slot = in_payload;
        };
        take(p_.payload_queue_pointer, queue_id_, "queue");
        take(p_.payload_wrapup_pointer, wrapup_id_, "wrap-up code");
      }
    } else {
      if (queue_id_.empty())
        problems.push_back({std::string(kQueue) + " is not set (--queue, environment or .env), and no --payload",
                            "Set " + std::string(kQueue) + " to the target queue's ID (--queue), or pass --payload with the "
                            "body the bot sends (its queue is taken from it)."});
      if (wrapup_id_.empty())
        problems.push_back({std::string(kWrapup) + " is not set (--wrapup, environment or .env), and no --payload",
                            "Set " + std::string(kWrapup) + " to the wrap-up code's ID (--wrapup), or pass --payload with "
                            "the body the bot sends (its wrap-up code is taken from it)."});
    }
    if (cfg_.insecure) warn(s, "TLS certificate verification is off (--insecure): anyone on the path can read the credentials");

    s.evidence["baseUrl"] = base_;
    s.evidence["profile"] = p_.name;
    s.evidence["clientId"] = basic_auth() ? (cfg_.client_id.empty() ? "(not set)" : kMasked) : cfg_.client_id;
    s.evidence["clientSecret"] = cfg_.client_secret.empty() ? "(not set)" : kMasked;
    if (basic_auth()) {
      s.evidence["accessKeyId"] = cfg_.access_key_id.empty() ? "(not set)" : kMasked;
      s.evidence["accessKeySecret"] = cfg_.access_key_secret.empty() ? "(not set)" : kMasked;
    }
    s.evidence["conversationId"] = cfg_.conversation_id;
    s.evidence["queueId"] = queue_id_;
    s.evidence["wrapupCodeId"] = wrapup_id_;
    if (cfg_.payload_text) s.evidence["payload"] = cfg_.payload_source;
    if (!cfg_.origin.empty()) s.evidence["origin"] = cfg_.origin;
    if (!problems.empty()) {
      // Every problem, each with its own fix: the report's remediation is this list, not the
      // catalogue's generic one.
      util::Json list = util::Json::array();
      for (const auto& p : problems) {
        list.push_back({{"problem", p.message}, {"fix", p.fix}});
        config_fixes_.push_back(p.fix);
      }
      s.evidence["problems"] = list;
      fail(s, "CONFIG_ERROR",
           problems.size() == 1 ? problems.front().message : std::to_string(problems.size()) + " configuration problems (below)");
      return;
    }
    if (s.status != StepStatus::warning) s.status = StepStatus::ok;
    std::string summary = "profile " + p_.name + ", " + base_;
    s.summary = s.summary.empty() ? summary : summary + "; " + s.summary;
  }

  // A URL read from a discovery document at pointer, rebased; empty after failing the step.
  std::string discover(StepResult& s, const std::string& url, const std::string& pointer, const char* what,
                       util::Json& evidence) {
    auto body = fetch(s, get_request(url), CallPolicy{true, false});
    if (!body) {
      s.summary = what + std::string(" discovery: ") + s.summary;
      return "";
    }
    const util::Json* v = at_pointer(*body, pointer);
    if (!v || !v->is_string() || !(v->get<std::string>().starts_with("http://") || v->get<std::string>().starts_with("https://"))) {
      s.evidence["missing"] = pointer;
      fail(s, "MALFORMED_RESPONSE", std::string(what) + " discovery: " + url + " lacks an absolute URL at " + pointer);
      return "";
    }
    std::string found = v->get<std::string>();
    evidence[what] = found;
    return rebase(found);
  }

  void step_auth(StepResult& s) {
    if (!passed("config")) return skip(s, "not attempted: configuration incomplete");
    util::Json discovery = util::Json::object();
    token_url_ = base_ + p_.auth.endpoint.path;
    if (!p_.discovery.openid_path.empty()) {
      token_url_ = discover(s, base_ + p_.discovery.openid_path, p_.discovery.token_endpoint_pointer, "token_endpoint", discovery);
      if (token_url_.empty()) return;
    }
    s.evidence["request"] = p_.auth.endpoint.method + " " + token_url_;
    if (!obtain_token(s)) return;
    if (const auto* e = at_pointer(token_body_, p_.auth.expires_in_pointer)) s.evidence["expiresIn"] = *e;

    api_root_ = expand_template(p_.api_root, {{"baseUrl", base_}}, false);
    if (!p_.discovery.api_path.empty()) {
      // The tenant comes from the id_token's claims (else the access token's, when it is a JWT).
      std::string tenant;
      for (const auto* ptr : {&p_.auth.id_token_pointer, &p_.auth.token_pointer}) {
        const auto* t = at_pointer(token_body_, *ptr);
        if (!t || !t->is_string()) continue;
        util::Json claims = jwt_claims(t->get<std::string>());
        if (claims.is_object() && claims.contains(p_.discovery.tenant_claim)) {
          tenant = scalar_text(claims[p_.discovery.tenant_claim]);
          break;
        }
      }
      if (tenant.empty()) {
        s.evidence["missing"] = p_.auth.id_token_pointer;
        return fail(s, "MALFORMED_RESPONSE", "the token response has no id_token with a " + p_.discovery.tenant_claim +
                                                 " claim: cannot discover the tenant's API host");
      }
      discovery["tenantId"] = tenant;
      std::string url = base_ + p_.discovery.api_path;
      std::string q;
      for (const auto& [k, v] : p_.discovery.api_query)
        q += (q.empty() ? "?" : "&") + util::url_encode(k) + "=" + util::url_encode(expand_template(v, {{"tenantId", tenant}}, false));
      std::string api = discover(s, url + q, p_.discovery.api_endpoint_pointer, "api_endpoint", discovery);
      if (api.empty()) return;
      while (!api.empty() && api.back() == '/') api.pop_back();
      api_root_ = expand_template(p_.api_root, {{"baseUrl", base_}, {"apiEndpoint", api}}, false);
    }
    if (!discovery.empty()) {
      discovery["apiRoot"] = api_root_;
      if (!cfg_.base_url.empty()) discovery["rebasedTo"] = base_;
      s.evidence["discovery"] = discovery;
    }
    s.status = StepStatus::ok;
    s.summary = "token obtained" + std::string(discovery.empty() ? "" : ", API at " + api_root_);
    if (const auto* sc = at_pointer(token_body_, p_.auth.scope_pointer); sc && sc->is_string()) {
      auto granted = util::split(sc->get<std::string>(), ' ');
      granted.erase(std::remove(granted.begin(), granted.end(), ""), granted.end());
      s.evidence["scopes"] = granted;
      s.summary += " (" + std::to_string(granted.size()) + " scopes)";
      // 403s masquerade as data errors in the bot: say now which step will fail and why.
      std::set<std::string> have(granted.begin(), granted.end());
      for (const auto& [step_name, ep] : {std::pair{"conversation", &p_.conversation.endpoint},
                                          std::pair{"queue", &p_.queue.endpoint},
                                          std::pair{"wrapup", &p_.wrapup.endpoint},
                                          std::pair{"transfer", &p_.transfer.endpoint}}) {
        for (const auto& need : ep->scopes)
          if (!have.count(need)) warn(s, std::string("token lacks ") + need + ": the " + step_name + " step will be refused (403)");
      }
    }
  }

  void step_conversation(StepResult& s) {
    const std::string& id = cfg_.conversation_id;
    if (id.empty()) return skip(s, "not attempted: no conversation ID given (--conversation, TEST_CONVERSATION_ID)");
    if (!id_well_formed(s, "conversation", id, "CONVERSATION_NOT_FOUND", "conversation ID", "")) return;
    if (!passed("auth")) return skip(s, "not attempted: no token");
    const auto& c = p_.conversation;
    auto body = fetch(s, get_request(api_url(c.endpoint, {{"conversationId", id}})), CallPolicy{true, true},
                      c.endpoint.response_contract);
    if (!body) return;
    const util::Json* target = &*body;
    if (!c.list_pointer.empty()) {
      // A list of live contacts: the conversation is the element with our ID, if still listed.
      const util::Json* list = list_at(s, *body, c.list_pointer, "the list answer");
      if (!list) return;
      target = nullptr;
      for (const auto& e : *list) {
        const util::Json* v = at_pointer(e, c.match_pointer);
        if (v && (v->is_string() || v->is_number()) && scalar_text(*v) == id) {
          target = &e;
          break;
        }
      }
      s.evidence["listed"] = list->size();
      if (!target)
        return fail(s, c.not_listed_code, "contact " + id + " is not among the " + std::to_string(list->size()) +
                                              " active contacts: it has ended, or belongs to another tenant");
    }
    const util::Json* st = at_pointer(*target, c.state_pointer);
    if (!st || !(st->is_string() || st->is_boolean() || st->is_number())) {
      s.evidence["missing"] = c.state_pointer;
      return fail(s, "MALFORMED_RESPONSE", "conversation lacks " + c.state_pointer);
    }
    std::string state = scalar_text(*st);
    s.evidence["state"] = state;
    if (!c.customer_name_path.empty()) {
      for (const auto* v : select_path(*target, c.customer_name_path)) {
        if (v->is_string()) {
          customer_name_ = v->get<std::string>();
          s.evidence["customerName"] = customer_name_;
          break;
        }
      }
    }
    if (contains(c.ended_states, state))
      return fail(s, "CONVERSATION_ALREADY_WRAPPED_UP",
                  "conversation is " + state + ": a transfer needs it " + util::join(c.active_states, " or "));
    s.status = StepStatus::ok;
    s.summary = "state " + state + (customer_name_.empty() ? "" : ", customer " + customer_name_);
    if (!contains(c.active_states, state))
      warn(s, "state \"" + state + "\" is neither active nor ended in profile " + p_.name);
  }

  void step_queue(StepResult& s) {
    if (queue_id_.empty()) return skip(s, "no queue ID (the payload lacks " + p_.payload_queue_pointer + ")");
    s.evidence["queueId"] = queue_id_;
    if (!id_well_formed(s, "queue", queue_id_, "INVALID_TRANSFER_TARGET", "queue ID", ": a queue name where an ID belongs"))
      return;
    if (!passed("auth")) return skip(s, "not attempted: no token");
    const auto& q = p_.queue;
    auto body = fetch(s, get_request(api_url(q.endpoint, {{"queueId", queue_id_}})), CallPolicy{true, true},
                      q.endpoint.response_contract);
    if (!body) return;
    const util::Json* st = at_pointer(*body, q.state_pointer);
    if (!st || !(st->is_string() || st->is_boolean())) {
      s.evidence["missing"] = q.state_pointer;
      return fail(s, "MALFORMED_RESPONSE", "queue lacks " + q.state_pointer);
    }
    std::string state = scalar_text(*st);
    std::string state_label = st->is_boolean() ? (st->get<bool>() ? "active" : "inactive") : state;
    std::string name;
    if (const auto* n = at_pointer(*body, q.name_pointer); n && n->is_string()) name = n->get<std::string>();
    s.evidence["name"] = name;
    s.evidence["state"] = *st;
    for (const char* k : {"memberCount", "joinedMemberCount"})
      if (body->contains(k)) s.evidence[k] = (*body)[k];
    std::string label = name.empty() ? queue_id_ : "\"" + name + "\"";
    if (!contains(q.active_states, state))
      return fail(s, "INVALID_TRANSFER_TARGET", "queue " + label + " is " + state_label + ", not active");
    s.status = StepStatus::ok;
    s.summary = "queue " + label + " is " + state_label;
    if (body->contains("joinedMemberCount") && (*body)["joinedMemberCount"] == 0)
      warn(s, "no agent has joined the queue: the call will wait");
  }

  void step_wrapup(StepResult& s) {
    if (wrapup_id_.empty()) return skip(s, "no wrap-up code ID (the payload lacks " + p_.payload_wrapup_pointer + ")");
    s.evidence["wrapupCodeId"] = wrapup_id_;
    if (!id_well_formed(s, "wrapup", wrapup_id_, "WRAPUP_CODE_NOT_FOUND", "wrap-up code ID", "")) return;
    if (!passed("queue")) return skip(s, "not attempted: the queue step did not pass");
    const auto& w = p_.wrapup;
    int checked = 0;
    int pages = 0;
    int page_count = 1;
    util::Json seen = util::Json::array();
    for (int page = 1; page <= page_count && page <= w.max_pages; ++page) {
      std::map<std::string, std::string> vars = {{"queueId", queue_id_},
                                                 {"page", std::to_string(page)},
                                                 {"offset", std::to_string((page - 1) * w.page_size)}};
      auto body = fetch(s, get_request(api_url(w.endpoint, vars)), CallPolicy{true, true}, w.endpoint.response_contract);
      if (!body) return;
      ++pages;
      const util::Json* entities = list_at(s, *body, w.entities_pointer, "wrap-up list");
      if (!entities) return;
      for (const auto& e : *entities) {
        ++checked;
        const util::Json* id = at_pointer(e, w.id_pointer);
        const util::Json* name = at_pointer(e, w.name_pointer);
        if (seen.size() < 10 && name && name->is_string()) seen.push_back(*name);
        if (id && (id->is_string() || id->is_number_integer()) && scalar_text(*id) == wrapup_id_) {
          std::string n = name && name->is_string() ? name->get<std::string>() : "";
          s.evidence["name"] = n;
          s.evidence["page"] = page;
          s.status = StepStatus::ok;
          s.summary = "code " + (n.empty() ? wrapup_id_ : "\"" + n + "\"") + " is in the queue's list (page " +
                      std::to_string(page) + ")";
          return;
        }
      }
      const util::Json* pc = w.page_count_pointer.empty() ? nullptr : at_pointer(*body, w.page_count_pointer);
      const util::Json* total = w.total_pointer.empty() ? nullptr : at_pointer(*body, w.total_pointer);
      if (pc && pc->is_number_integer()) page_count = pc->get<int>();
      else if (total && total->is_number_integer()) page_count = static_cast<int>((total->get<long>() + w.page_size - 1) / w.page_size);
      else page_count = static_cast<int>(entities->size()) >= w.page_size ? page + 1 : page;
    }
    s.evidence["codesChecked"] = checked;
    s.evidence["pages"] = pages;
    s.evidence["available"] = seen;
    fail(s, "WRAPUP_CODE_NOT_FOUND", "code " + wrapup_id_ + " is not among the queue's " + std::to_string(checked) +
                                         " wrap-up codes (" + std::to_string(pages) + " page" + (pages == 1 ? "" : "s") + ")");
  }

  void step_payload(StepResult& s) {
    std::vector<std::string> names;
    for (const auto& c : ctx_.contracts) names.push_back(c.name);
    s.evidence["contracts"] = names;
    if (cfg_.payload_text) {
      payload_text_ = *cfg_.payload_text;
      s.evidence["source"] = cfg_.payload_source;
    } else {
      if (queue_id_.empty() || wrapup_id_.empty()) return skip(s, "no payload and no IDs to build one");
      if (p_.payload_template.is_null()) return skip(s, "no payload, and profile " + p_.name + " has no payload template");
      util::Json built = build_payload(p_.payload_template,
                                       {{"queueId", queue_id_}, {"wrapupId", wrapup_id_}, {"customerName", customer_name_}});
      payload_ = built;
      payload_text_ = built.dump(-1, ' ', false, util::kInvalidUtf8Replaced);
      s.evidence["source"] = "built from the inputs (no --payload)";
    }
    auto violations = contracts::check_payload_text(ctx_.contracts, payload_text_);
    s.evidence["bytes"] = payload_text_.size();
    s.evidence["violationCount"] = violations.size();
    report_.violations = violations;
    if (!violations.empty()) {
      const auto& v = violations.front();
      return fail(s, "PAYLOAD_SCHEMA_MISMATCH",
                  std::to_string(violations.size()) + " violation" + (violations.size() == 1 ? "" : "s") + ": " + v.code +
                      (v.pointer.empty() ? "" : " at " + v.pointer));
    }
    s.status = StepStatus::ok;
    s.summary = "valid against " + util::join(names, " + ") + " and the Cognigy lints";
  }

  void step_transfer(StepResult& s) {
    for (const auto& prior : report_.steps) {
      if (prior.status == StepStatus::failed) return skip(s, "not attempted: the " + prior.name + " step failed");
    }
    if (token_.empty() || payload_text_.empty()) return skip(s, "not attempted: no token or no payload");
    const auto& t = p_.transfer;
    OutgoingRequest req;
    req.method = t.endpoint.method;
    req.url = api_url(t.endpoint, {{"conversationId", cfg_.conversation_id}});
    req.headers.add("Content-Type", "application/json");
    req.headers.add("Accept", "application/json");
    req.body = payload_text_;  // exactly what the bot would send
    std::optional<util::Json> body_doc = payload_;
    if (!t.query_from_payload.empty() && payload_ && payload_->is_object()) {
      // Signal API: p1 travels in the query string, the other parameters in the JSON body.
      util::Json rest = *payload_;
      std::string q;
      for (const auto& k : t.query_from_payload) {
        if (!rest.contains(k)) continue;
        q += (q.empty() ? (req.url.find('?') == std::string::npos ? "?" : "&") : "&") + util::url_encode(k) + "=" +
             util::url_encode(scalar_text(rest[k]));
        rest.erase(k);
      }
      req.url += q;
      req.body = rest.dump(-1, ' ', false, util::kInvalidUtf8Replaced);
      body_doc = rest;
    }
    util::Json shown = {{"method", req.method},
                        {"url", req.url},
                        {"headers", {{"Authorization", std::string("Bearer ") + kMasked},
                                     {"Content-Type", "application/json"},
                                     {"Accept", "application/json"}}}};
    shown["body"] = body_doc ? *body_doc : util::Json(req.body);
    report_.redactor.json_const(shown["body"]);
    shown["bodyText"] = req.body;  // the bytes as sent (the values at --redact pointers are masked on output)
    s.evidence["request"] = shown;
    if (!cfg_.execute) {
      s.status = StepStatus::ok;
      s.evidence["dryRun"] = true;
      s.summary = "dry run: would " + req.method + " " + req.url + " (--execute sends it)";
      return;
    }
    CallOutcome out = call(s, req, CallPolicy{false, true});  // a transfer is never retried automatically
    if (!out.attempts.empty() && out.attempts.back().contains("notRetried")) s.evidence["notRetried"] = out.attempts.back()["notRetried"];
    if (out.refresh_failed) return;
    if (out.error) return fail_network(s, *out.error);
    const auto& r = *out.response;
    if (std::find(t.success_statuses.begin(), t.success_statuses.end(), r.status) == t.success_statuses.end())
      return fail_http(s, r);
    collect_evidence(s, r, nullptr);
    util::Json parsed = util::parse_json_lenient(r.body);
    if (!parsed.is_discarded()) s.evidence["response"] = parsed;
    s.status = StepStatus::ok;
    s.summary = "transfer accepted (HTTP " + std::to_string(r.status) + ")";
  }

  const Config& cfg_;
  const DiagnoseContext& ctx_;
  const Profile& p_;
  std::function<double()> jitter_;
  DiagnoseReport report_;
  std::string base_;
  std::string token_url_;
  std::string api_root_;
  std::string token_;
  util::Json token_body_ = util::Json::object();
  std::optional<double> expires_at_ms_;
  int tokens_obtained_ = 0;
  std::string queue_id_, wrapup_id_;
  std::vector<std::string> config_fixes_;  // one per configuration problem
  std::string customer_name_;
  std::optional<util::Json> payload_;
  std::string payload_text_;
  std::map<std::string, std::optional<contracts::Contract>> response_contracts_;
};

}  // namespace

DiagnoseReport run_diagnose(const Config& config, const DiagnoseContext& context) {
  return Runner(config, context).run();
}

}  // namespace client
