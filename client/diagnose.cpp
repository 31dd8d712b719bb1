// The diagnose run: one Runner per run holds the token, the resolved IDs and the steps.
#include "client/diagnose.hpp"

#include <algorithm>
#include <cmath>
#include <set>

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
};

// Seconds ("120") or an HTTP date; returns milliseconds to wait, or nullopt.
std::optional<double> retry_after_ms(const util::HttpResponse& r) {
  const std::string* v = r.headers.find("retry-after");
  if (!v) return std::nullopt;
  std::string_view s = util::trim(*v);
  if (!s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) && s.size() < 9)
    return std::stod(std::string(s)) * 1000.0;
  return std::nullopt;  // HTTP-date form: handled in the client-depth work (issue 6)
}

bool retryable_status(int status) { return status == 429 || status == 502 || status == 503 || status == 504; }

bool retryable_error(const NetworkError& e) {
  return e.kind == NetworkErrorKind::refused || e.kind == NetworkErrorKind::reset ||
         e.kind == NetworkErrorKind::empty_response;
}

std::string path_text(const util::Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

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

class Runner {
 public:
  Runner(const Config& config, const DiagnoseContext& ctx) : cfg_(config), ctx_(ctx), p_(ctx.profile) {}

  DiagnoseReport run() {
    report_.profile = p_.name;
    report_.executed = cfg_.execute;
    if (!cfg_.client_secret.empty()) report_.secrets.push_back(cfg_.client_secret);

    timed("config", [&](StepResult& s) { step_config(s); });
    timed("auth", [&](StepResult& s) { step_auth(s); });
    timed("conversation", [&](StepResult& s) { step_conversation(s); });
    timed("queue", [&](StepResult& s) { step_queue(s); });
    timed("wrapup", [&](StepResult& s) { step_wrapup(s); });
    timed("payload", [&](StepResult& s) { step_payload(s); });
    timed("transfer", [&](StepResult& s) { step_transfer(s); });

    for (const auto& s : report_.steps) {
      if (s.status == StepStatus::failed) {
        report_.classification = s.classification;
        report_.failed_step = s.name;
        break;
      }
    }
    if (const auto* entry = ctx_.catalogue.find(report_.classification)) report_.remediation = entry->fix;
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

  // ---- HTTP ---------------------------------------------------------------------------------

  std::string url(const Endpoint& ep, const std::map<std::string, std::string>& vars) const {
    std::string u = base_ + expand_template(ep.path, vars);
    std::string q;
    for (const auto& [k, v] : ep.query) {
      q += q.empty() ? "?" : "&";
      q += util::url_encode(k) + "=" + util::url_encode(expand_template(v, vars, false));
    }
    return u + q;
  }

  OutgoingRequest api_request(const Endpoint& ep, const std::map<std::string, std::string>& vars) const {
    OutgoingRequest r;
    r.method = ep.method;
    r.url = url(ep, vars);
    r.headers.add("Authorization", "Bearer " + token_);
    r.headers.add("Accept", "application/json");
    return r;
  }

  CallOutcome call(const OutgoingRequest& req, bool retry) {
    CallOutcome out;
    int max = retry ? std::max(1, ctx_.options.max_get_attempts) : 1;
    for (int attempt = 1; attempt <= max; ++attempt) {
      TransportResult r = ctx_.transport.send(req);
      out.response = r.response;
      out.error = r.error;
      util::Json log = {{"attempt", attempt}};
      if (r.response) log["status"] = r.response->status;
      if (r.error) log["error"] = std::string(network_error_kind_name(r.error->kind));
      bool again = attempt < max && ((r.response && retryable_status(r.response->status)) ||
                                     (r.error && retryable_error(*r.error)));
      if (again) {
        double wait = ctx_.options.backoff_base_ms * std::pow(2.0, attempt - 1);
        if (r.response) {
          if (auto ra = retry_after_ms(*r.response)) wait = *ra;
        }
        wait = std::min(wait, ctx_.options.max_retry_wait_ms);
        log["waitedMs"] = wait;
        out.attempts.push_back(log);
        ctx_.clock.sleep_ms(wait);
        continue;
      }
      out.attempts.push_back(log);
      break;
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

  // A non-success answer: classify it through the catalogue's rules.
  void fail_http(StepResult& s, const util::HttpResponse& r) {
    util::Json parsed = util::Json::parse(r.body, nullptr, false);
    const util::Json* body = parsed.is_discarded() ? nullptr : &parsed;
    collect_evidence(s, r, body);
    if (!body && !r.body.empty()) s.evidence["bodyExcerpt"] = util::excerpt(r.body, 200);
    auto match = ctx_.catalogue.classify(s.name, r.status, body, r.body);
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
    if (r.status == 429) {
      if (const std::string* ra = r.headers.find("retry-after")) s.evidence["retryAfter"] = *ra;
    }
    fail(s, match ? match->code : "UNCLASSIFIED",
         "HTTP " + std::to_string(r.status) + (message.empty() ? "" : ": " + util::excerpt(message, 120)));
  }

  void fail_network(StepResult& s, const NetworkError& e) {
    s.evidence["networkError"] = {{"kind", network_error_kind_name(e.kind)}, {"message", e.message}};
    fail(s, "NETWORK_ERROR", std::string(network_error_kind_name(e.kind)) + ": " + e.message);
  }

  // Parses a success body as a JSON object, or fails the step as MALFORMED_RESPONSE.
  std::optional<util::Json> json_body(StepResult& s, const util::HttpResponse& r) {
    collect_evidence(s, r, nullptr);
    util::Json parsed = util::Json::parse(r.body, nullptr, false);
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
  bool conforms(StepResult& s, const util::Json& body, const Endpoint& ep, const util::HttpResponse& r) {
    const auto* contract = response_contract(ep.response_contract);
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

  // Sends and handles the outcome common to every API step; returns the JSON body on success.
  std::optional<util::Json> fetch(StepResult& s, const OutgoingRequest& req, bool retry, const Endpoint& ep) {
    CallOutcome out = call(req, retry);
    if (out.attempts.size() > 1) s.evidence["attempts"] = out.attempts;
    if (out.error) {
      fail_network(s, *out.error);
      return std::nullopt;
    }
    const auto& r = *out.response;
    if (r.status < 200 || r.status > 299) {
      fail_http(s, r);
      return std::nullopt;
    }
    auto body = json_body(s, r);
    if (body && !conforms(s, *body, ep, r)) return std::nullopt;
    return body;
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
    std::vector<std::string> problems = cfg_.problems;
    base_ = cfg_.base_url;
    if (base_.empty()) {
      std::string env = cfg_.environment.empty() ? p_.default_environment : cfg_.environment;
      base_ = expand_template(p_.base_url, {{"environment", env}}, false);
    }
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
    report_.target = base_;
    if (!base_.starts_with("http://") && !base_.starts_with("https://"))
      problems.push_back("base URL \"" + base_ + "\" must start with http:// or https://");
    if (cfg_.client_id.empty()) problems.push_back("CXONE_CLIENT_ID is not set (--client-id, environment or .env)");
    if (cfg_.client_secret.empty())
      problems.push_back("CXONE_CLIENT_SECRET is not set (--client-secret, environment or .env)");
    if (cfg_.conversation_id.empty())
      problems.push_back("TEST_CONVERSATION_ID is not set (--conversation, environment or .env)");

    queue_id_ = cfg_.queue_id;
    wrapup_id_ = cfg_.wrapup_id;
    if (cfg_.payload_text) {
      util::Json parsed = util::Json::parse(*cfg_.payload_text, nullptr, false);
      if (!parsed.is_discarded()) {
        payload_ = parsed;
        // The IDs inside the payload are what the transfer would use, so they are what we check.
        auto take = [&](const std::string& ptr, std::string& slot, const char* what) {
          const util::Json* v = at_pointer(parsed, ptr);
          if (!v || !v->is_string()) return;
          std::string in_payload = v->get<std::string>();
          if (!slot.empty() && slot != in_payload)
            warn(s, std::string(what) + " given as \"" + slot + "\" but the payload has \"" + in_payload +
                        "\": checking the payload's");
          slot = in_payload;
        };
        take(p_.payload_queue_pointer, queue_id_, "queue");
        take(p_.payload_wrapup_pointer, wrapup_id_, "wrap-up code");
      }
    } else {
      if (queue_id_.empty()) problems.push_back("TARGET_QUEUE_ID is not set (--queue, environment or .env), and no --payload");
      if (wrapup_id_.empty()) problems.push_back("WRAPUP_CODE_ID is not set (--wrapup, environment or .env), and no --payload");
    }

    s.evidence["baseUrl"] = base_;
    s.evidence["profile"] = p_.name;
    s.evidence["clientId"] = cfg_.client_id;
    s.evidence["clientSecret"] = cfg_.client_secret.empty() ? "(not set)" : kMasked;
    s.evidence["conversationId"] = cfg_.conversation_id;
    s.evidence["queueId"] = queue_id_;
    s.evidence["wrapupCodeId"] = wrapup_id_;
    if (cfg_.payload_text) s.evidence["payload"] = cfg_.payload_source;
    if (!cfg_.origin.empty()) s.evidence["origin"] = cfg_.origin;
    if (!problems.empty()) {
      s.evidence["problems"] = problems;
      fail(s, "CONFIG_ERROR", problems.front() + (problems.size() > 1 ? " (+" + std::to_string(problems.size() - 1) + " more)" : ""));
      return;
    }
    if (s.status != StepStatus::warning) s.status = StepStatus::ok;
    std::string summary = "profile " + p_.name + ", " + base_;
    s.summary = s.summary.empty() ? summary : summary + "; " + s.summary;
  }

  void step_auth(StepResult& s) {
    if (!passed("config")) return skip(s, "not attempted: configuration incomplete");
    OutgoingRequest req;
    req.method = p_.auth.endpoint.method;
    req.url = base_ + p_.auth.endpoint.path;
    req.headers.add("Content-Type", "application/x-www-form-urlencoded");
    req.headers.add("Accept", "application/json");
    req.body = util::build_form({{"grant_type", "client_credentials"},
                                 {"client_id", cfg_.client_id},
                                 {"client_secret", cfg_.client_secret}});
    s.evidence["request"] = req.method + " " + req.url;
    auto body = fetch(s, req, false, p_.auth.endpoint);
    if (!body) return;
    const util::Json* tok = at_pointer(*body, p_.auth.token_pointer);
    if (!tok || !tok->is_string() || tok->get<std::string>().empty()) {
      s.evidence["missing"] = p_.auth.token_pointer;
      return fail(s, "MALFORMED_RESPONSE", "token response lacks " + p_.auth.token_pointer);
    }
    token_ = tok->get<std::string>();
    report_.secrets.push_back(token_);
    if (const auto* e = at_pointer(*body, p_.auth.expires_in_pointer)) s.evidence["expiresIn"] = *e;
    s.status = StepStatus::ok;
    s.summary = "token obtained";
    if (const auto* sc = at_pointer(*body, p_.auth.scope_pointer); sc && sc->is_string()) {
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
    if (!passed("auth")) return skip(s, "not attempted: no token");
    auto body = fetch(s, api_request(p_.conversation.endpoint, {{"conversationId", cfg_.conversation_id}}), true,
                      p_.conversation.endpoint);
    if (!body) return;
    const util::Json* st = at_pointer(*body, p_.conversation.state_pointer);
    if (!st || !st->is_string()) {
      s.evidence["missing"] = p_.conversation.state_pointer;
      return fail(s, "MALFORMED_RESPONSE", "conversation lacks " + p_.conversation.state_pointer);
    }
    std::string state = st->get<std::string>();
    s.evidence["state"] = state;
    if (!p_.conversation.customer_name_path.empty()) {
      for (const auto* v : select_path(*body, p_.conversation.customer_name_path)) {
        if (v->is_string()) {
          customer_name_ = v->get<std::string>();
          s.evidence["customerName"] = customer_name_;
          break;
        }
      }
    }
    if (contains(p_.conversation.ended_states, state))
      return fail(s, "CONVERSATION_ALREADY_WRAPPED_UP",
                  "conversation is " + state + ": a transfer needs it " + util::join(p_.conversation.active_states, " or "));
    s.status = StepStatus::ok;
    s.summary = "state " + state + (customer_name_.empty() ? "" : ", customer " + customer_name_);
    if (!contains(p_.conversation.active_states, state))
      warn(s, "state \"" + state + "\" is neither active nor ended in profile " + p_.name);
  }

  void step_queue(StepResult& s) {
    if (queue_id_.empty()) return skip(s, "no queue ID (the payload lacks " + p_.payload_queue_pointer + ")");
    s.evidence["queueId"] = queue_id_;
    if (!id_well_formed(s, "queue", queue_id_, "INVALID_TRANSFER_TARGET", "queue ID", ": a queue name where an ID belongs"))
      return;
    if (!passed("auth")) return skip(s, "not attempted: no token");
    auto body = fetch(s, api_request(p_.queue.endpoint, {{"queueId", queue_id_}}), true, p_.queue.endpoint);
    if (!body) return;
    const util::Json* st = at_pointer(*body, p_.queue.state_pointer);
    if (!st || !st->is_string()) {
      s.evidence["missing"] = p_.queue.state_pointer;
      return fail(s, "MALFORMED_RESPONSE", "queue lacks " + p_.queue.state_pointer);
    }
    std::string name;
    if (const auto* n = at_pointer(*body, p_.queue.name_pointer); n && n->is_string()) name = n->get<std::string>();
    s.evidence["name"] = name;
    s.evidence["state"] = *st;
    for (const char* k : {"memberCount", "joinedMemberCount"})
      if (body->contains(k)) s.evidence[k] = (*body)[k];
    std::string label = name.empty() ? queue_id_ : "\"" + name + "\"";
    if (!contains(p_.queue.active_states, st->get<std::string>()))
      return fail(s, "INVALID_TRANSFER_TARGET", "queue " + label + " is " + st->get<std::string>() + ", not active");
    s.status = StepStatus::ok;
    s.summary = "queue " + label + " is " + st->get<std::string>();
    if (body->contains("joinedMemberCount") && (*body)["joinedMemberCount"] == 0)
      warn(s, "no agent has joined the queue: the call will wait");
  }

  void step_wrapup(StepResult& s) {
    if (wrapup_id_.empty()) return skip(s, "no wrap-up code ID (the payload lacks " + p_.payload_wrapup_pointer + ")");
    s.evidence["wrapupCodeId"] = wrapup_id_;
    if (!id_well_formed(s, "wrapup", wrapup_id_, "WRAPUP_CODE_NOT_FOUND", "wrap-up code ID", "")) return;
    if (!passed("queue")) return skip(s, "not attempted: the queue step did not pass");
    int checked = 0;
    int pages = 0;
    int page_count = 1;
    util::Json seen = util::Json::array();
    for (int page = 1; page <= page_count && page <= p_.wrapup.max_pages; ++page) {
      auto body = fetch(s, api_request(p_.wrapup.endpoint, {{"queueId", queue_id_}, {"page", std::to_string(page)}}),
                        true, p_.wrapup.endpoint);
      if (!body) return;
      ++pages;
      const util::Json* entities = at_pointer(*body, p_.wrapup.entities_pointer);
      if (!entities || !entities->is_array()) {
        s.evidence["missing"] = p_.wrapup.entities_pointer;
        return fail(s, "MALFORMED_RESPONSE", "wrap-up list lacks " + p_.wrapup.entities_pointer);
      }
      for (const auto& e : *entities) {
        ++checked;
        const util::Json* id = at_pointer(e, p_.wrapup.id_pointer);
        const util::Json* name = at_pointer(e, p_.wrapup.name_pointer);
        if (seen.size() < 10 && name && name->is_string()) seen.push_back(*name);
        if (id && id->is_string() && id->get<std::string>() == wrapup_id_) {
          std::string n = name && name->is_string() ? name->get<std::string>() : "";
          s.evidence["name"] = n;
          s.evidence["page"] = page;
          s.status = StepStatus::ok;
          s.summary = "code " + (n.empty() ? wrapup_id_ : "\"" + n + "\"") + " is in the queue's list (page " +
                      std::to_string(page) + ")";
          return;
        }
      }
      if (!p_.wrapup.page_count_pointer.empty())
        if (const auto* pc = at_pointer(*body, p_.wrapup.page_count_pointer); pc && pc->is_number_integer())
          page_count = pc->get<int>();
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
      util::Json built = {{"transferTo", {{"type", "queue"}, {"id", queue_id_}}},
                          {"transferType", "blind"},
                          {"wrapupCode", {{"id", wrapup_id_}}},
                          {"contextData", {{"intent", "agent_handover"}, {"source", "handover-diag"}}}};
      if (!customer_name_.empty()) built["contextData"]["customerName"] = customer_name_;
      payload_ = built;
      payload_text_ = built.dump();
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
    OutgoingRequest req;
    req.method = p_.transfer.endpoint.method;
    req.url = url(p_.transfer.endpoint, {{"conversationId", cfg_.conversation_id}});
    req.headers.add("Authorization", "Bearer " + token_);
    req.headers.add("Content-Type", "application/json");
    req.headers.add("Accept", "application/json");
    req.body = payload_text_;
    util::Json shown = {{"method", req.method},
                        {"url", req.url},
                        {"headers", {{"Authorization", std::string("Bearer ") + kMasked}, {"Content-Type", "application/json"}}}};
    shown["body"] = payload_ ? *payload_ : util::Json(payload_text_);
    s.evidence["request"] = shown;
    if (!cfg_.execute) {
      s.status = StepStatus::ok;
      s.evidence["dryRun"] = true;
      s.summary = "dry run: would " + req.method + " " + req.url + " (--execute sends it)";
      return;
    }
    CallOutcome out = call(req, false);  // a transfer is never retried automatically
    if (out.error) return fail_network(s, *out.error);
    const auto& r = *out.response;
    if (std::find(p_.transfer.success_statuses.begin(), p_.transfer.success_statuses.end(), r.status) ==
        p_.transfer.success_statuses.end())
      return fail_http(s, r);
    collect_evidence(s, r, nullptr);
    util::Json parsed = util::Json::parse(r.body, nullptr, false);
    if (!parsed.is_discarded()) s.evidence["response"] = parsed;
    s.status = StepStatus::ok;
    s.summary = "transfer accepted (HTTP " + std::to_string(r.status) + ")";
  }

  const Config& cfg_;
  const DiagnoseContext& ctx_;
  const Profile& p_;
  DiagnoseReport report_;
  std::string base_;
  std::string token_;
  std::string queue_id_, wrapup_id_;
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
