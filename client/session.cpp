// Session: exchanges, retries and the token of one diagnose run (see session.hpp).
#include "client/session.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "util/http.hpp"
#include "util/strings.hpp"

namespace client {

using util::at_pointer;

namespace {

bool retryable_status(int status) { return status == 429 || status == 502 || status == 503 || status == 504; }

// Failures where the request cannot have reached the application: safe to send a GET again.
bool retryable_error(const NetworkError& e) {
  return e.kind == NetworkErrorKind::refused || e.kind == NetworkErrorKind::connect_timeout ||
         e.kind == NetworkErrorKind::reset || e.kind == NetworkErrorKind::empty_response;
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

Session::Session(Transport& transport, Clock& clock, const DiagnoseOptions& options, TraceFn trace,
                 util::Redactor& redactor, std::vector<Exchange>& log)
    : transport_(transport),
      clock_(clock),
      options_(options),
      trace_(std::move(trace)),
      redactor_(redactor),
      log_(log) {
  jitter_ = [rng = std::mt19937_64(std::random_device{}())]() mutable {
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  };
}

// Secrets inside an answer (tokens) and values at the --redact pointers become known to the
// redactor before anything prints the answer.
void Session::learn(const TransportResult& r) {
  if (!r.response) return;
  const std::string& body = r.response->body;
  bool tokens = body.find("token") != std::string::npos;
  if (!tokens && redactor_.pointers().empty()) return;
  util::Json doc = util::parse_json_lenient(body);
  if (doc.is_discarded()) return;
  if (tokens && doc.is_object()) {
    for (const auto& ptr : secret_pointers_)
      if (const auto* v = at_pointer(doc, ptr); v && v->is_string() && !ptr.empty())
        redactor_.add_secret(v->get<std::string>());
  }
  redactor_.json(doc);
}

TransportResult Session::send(const std::string& step, const OutgoingRequest& req, int attempt,
                              const std::string& note) {
  Exchange x;
  x.step = step;
  x.attempt = attempt;
  x.note = note;
  x.request = req;
  if (trace_) trace_(x, false, redactor_);
  double t0 = clock_.now_ms();
  x.result = transport_.send(req);
  x.duration_ms = clock_.now_ms() - t0;
  learn(x.result);
  if (trace_) trace_(x, true, redactor_);
  TransportResult copy = x.result;
  log_.push_back(std::move(x));
  return copy;
}

std::optional<double> Session::wait_before_retry(const util::HttpResponse* response, int attempt, double started,
                                                 util::Json& log) {
  double wait;
  auto ra = response ? retry_after_ms(*response, clock_.epoch_ms()) : std::nullopt;
  if (ra) {
    wait = *ra;
    if (wait > options_.max_retry_wait_ms) {
      log["gaveUp"] = "Retry-After asks for " + seconds_text(wait) + ", more than the " +
                      seconds_text(options_.max_retry_wait_ms) + " this run waits";
      return std::nullopt;
    }
  } else {
    double backoff = std::min(options_.backoff_cap_ms, options_.backoff_base_ms * std::pow(2.0, attempt - 1));
    wait = backoff / 2 + (options_.jitter ? options_.jitter() : jitter_()) * backoff / 2;
  }
  if (clock_.now_ms() - started + wait > options_.retry_budget_ms) {
    log["gaveUp"] = "the retry budget of " + seconds_text(options_.retry_budget_ms) + " is spent";
    return std::nullopt;
  }
  log["waitedMs"] = std::round(wait);
  if (ra) log["retryAfter"] = *response->headers.find("retry-after");
  return wait;
}

CallOutcome Session::call(const std::string& step, OutgoingRequest req, CallPolicy policy) {
  CallOutcome out;
  double started = clock_.now_ms();
  int max = policy.retry ? std::max(1, options_.max_get_attempts) : 1;
  std::string note;
  auto refresh = [&](const std::string& reason) {
    if (auto failure = obtain_token(step, reason)) {
      out.token_failure = std::move(failure);
      return false;
    }
    out.token_refresh = util::Json{{"reason", reason}, {"status", last_token_response_->status}};
    out.token_response = last_token_response_;
    return true;
  };
  for (int attempt = 1;; ++attempt) {
    if (policy.bearer) {
      if (token_expired() && !refresh("the token expired (expires_in)")) return out;
      req.headers.set("Authorization", "Bearer " + token_);
    }
    TransportResult r = send(step, req, attempt, note);
    out.response = r.response;
    out.error = r.error;
    util::Json log = {{"attempt", attempt}};
    if (r.response) log["status"] = r.response->status;
    if (r.error) log["error"] = std::string(network_error_kind_name(r.error->kind));

    // A refused token: refresh once and send the GET again; a POST is reported, not re-sent.
    const auto& refusing = token_request_.refresh_on;
    if (policy.bearer && r.response && !out.refreshed &&
        std::find(refusing.begin(), refusing.end(), r.response->status) != refusing.end()) {
      if (!policy.retry) {
        log["notRetried"] = "a " + req.method + " is never re-sent automatically, not even with a new token";
        out.attempts.push_back(log);
        break;
      }
      out.refreshed = true;
      log["then"] = "refreshed the token";
      out.attempts.push_back(log);
      if (!refresh("HTTP " + std::to_string(r.response->status) + " on " + step)) return out;
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
    auto wait = wait_before_retry(r.response ? &*r.response : nullptr, attempt, started, log);
    out.attempts.push_back(log);
    if (!wait) break;
    clock_.sleep_ms(*wait);
    note = "after " + (r.response ? "HTTP " + std::to_string(r.response->status)
                                  : std::string(network_error_kind_name(r.error->kind)));
  }
  return out;
}

std::optional<TokenFailure> Session::obtain_token(const std::string& step, const std::string& reason) {
  const TokenRequest& t = token_request_;
  OutgoingRequest req;
  req.method = t.method;
  req.url = t.url;
  req.headers.add("Content-Type", "application/x-www-form-urlencoded");
  req.headers.add("Accept", "application/json");
  if (!t.authorization.empty()) req.headers.add("Authorization", t.authorization);
  req.body = util::build_form(t.form);
  CallOutcome out = call(step, req, kTokenPost);
  TokenFailure failure;
  failure.reason = reason;
  if (out.error) {
    failure.error = out.error;
    return failure;
  }
  failure.response = out.response;
  const auto& r = *out.response;
  last_token_response_ = r;
  if (r.status < 200 || r.status > 299) {
    failure.kind = TokenFailure::Kind::http;
    return failure;
  }
  util::Json body = util::parse_json_lenient(r.body);
  if (body.is_discarded() || !body.is_object()) {
    failure.kind = TokenFailure::Kind::not_json;
    return failure;
  }
  failure.body = body;
  if (t.contract) {
    std::vector<contracts::Violation> violations;
    t.contract->schema.validate(body, violations, false);
    if (!violations.empty()) {
      failure.kind = TokenFailure::Kind::contract;
      return failure;
    }
  }
  const util::Json* tok = at_pointer(body, t.token_pointer);
  if (!tok || !tok->is_string() || tok->get<std::string>().empty()) {
    failure.kind = TokenFailure::Kind::no_token;
    return failure;
  }
  token_ = tok->get<std::string>();
  redactor_.add_secret(token_);
  token_body_ = std::move(body);
  expires_at_ms_.reset();
  if (const auto* e = at_pointer(token_body_, t.expires_in_pointer); e && e->is_number() && e->get<double>() > 0) {
    // Refresh a little early: a token that expires in flight is refused.
    double life = e->get<double>() * 1000.0;
    expires_at_ms_ = clock_.now_ms() + life - std::min(30000.0, life / 10);
  }
  return std::nullopt;
}

}  // namespace client
