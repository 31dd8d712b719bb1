// The HTTP side of a diagnose run, apart from what the answers mean: every exchange logged (and
// traced) in order, GETs retried with backoff inside a time budget, the bearer token requested,
// kept until it expires and refreshed once when an answer refuses it. It knows no step and no
// classification: each call returns a typed outcome, and the steps (client/steps/) turn it into
// a verdict with evidence.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/clock.hpp"
#include "client/transport.hpp"
#include "contracts/contract.hpp"
#include "util/json_text.hpp"
#include "util/redact.hpp"

namespace client {

// One HTTP exchange of a run, in order: what --verbose prints and --save-fixture writes.
struct Exchange {
  std::string step;
  int attempt = 1;
  std::string note;  // why it was sent again: "after HTTP 429", "with a refreshed token"
  OutgoingRequest request;
  TransportResult result;  // empty while the request is in flight
  double duration_ms = 0;
};

struct DiagnoseOptions {
  int max_get_attempts = 3;          // GETs only; the transfer POST is sent once
  double max_retry_wait_ms = 30000;  // a longer Retry-After is reported, not waited for
  double backoff_base_ms = 250;      // exponential backoff without Retry-After: base * 2^(n-1) ...
  double backoff_cap_ms = 8000;      // ... capped, then "equal jitter": half fixed, half random
  double retry_budget_ms = 60000;    // most time one call may spend on waits and retries
  std::function<double()> jitter;    // uniform in [0, 1); default a random generator
};

// Called before each request is sent (done false) and when its result is in (done true),
// with the run's redactor: --verbose prints the exchange from here.
using TraceFn = std::function<void(const Exchange&, bool done, const util::Redactor&)>;

// How one request may be repeated: GETs are retried, only API calls carry the bearer token.
struct CallPolicy {
  bool retry = false;
  bool bearer = false;
};
inline constexpr CallPolicy kApiGet{.retry = true, .bearer = true};
inline constexpr CallPolicy kApiPost{.retry = false, .bearer = true};   // a POST is never re-sent
inline constexpr CallPolicy kPlainGet{.retry = true, .bearer = false};  // discovery documents
inline constexpr CallPolicy kTokenPost{.retry = false, .bearer = false};

// Why no token could be had. The steps describe it from the answer, as for any other call.
struct TokenFailure {
  enum class Kind {
    network,   // error set
    http,      // response set: a non-2xx answer
    not_json,  // response set: a 2xx answer that is not a JSON object
    contract,  // response and body set: the answer breaks the token endpoint's response contract
    no_token,  // response and body set: nothing (or "") at the token pointer
  };
  Kind kind = Kind::network;
  std::string reason;  // empty for the first token; why it was refreshed otherwise
  std::optional<NetworkError> error;
  std::optional<util::HttpResponse> response;
  util::Json body;
};

struct CallOutcome {
  std::optional<util::HttpResponse> response;
  std::optional<NetworkError> error;
  util::Json attempts = util::Json::array();         // one entry per attempt: status or error, wait, why it stopped
  bool refreshed = false;                            // the token was refreshed after a refusal and the GET sent again
  std::optional<util::Json> token_refresh;           // {reason, status} of a refresh that succeeded
  std::optional<util::HttpResponse> token_response;  // that refresh's answer
  std::optional<TokenFailure> token_failure;         // a token needed on the way could not be had
};

// Where and how the token is asked for, and where the answer keeps what the run needs.
struct TokenRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> form;
  std::string authorization;  // "Basic ..." or empty
  std::string token_pointer, expires_in_pointer;
  const contracts::Contract* contract = nullptr;  // the answer must satisfy it (null: none)
  std::vector<int> refresh_on = {401};            // API statuses answered by one refresh and one retry
};

// Milliseconds a Retry-After header asks to wait (seconds or an HTTP date, relative to
// now_epoch_ms); nullopt without a usable header.
std::optional<double> retry_after_ms(const util::HttpResponse& response, double now_epoch_ms);

class Session {
 public:
  // Exchanges are appended to log; secrets found in answers (tokens, values at the redactor's
  // pointers) are taught to redactor before trace sees the answer.
  Session(Transport& transport, Clock& clock, const DiagnoseOptions& options, TraceFn trace, util::Redactor& redactor,
          std::vector<Exchange>& log);

  void set_token_request(TokenRequest request) { token_request_ = std::move(request); }
  // Pointers into a token answer whose strings are secrets (access, refresh and id tokens).
  void set_secret_pointers(std::vector<std::string> pointers) { secret_pointers_ = std::move(pointers); }

  // One exchange, logged and traced.
  TransportResult send(const std::string& step, const OutgoingRequest& request, int attempt, const std::string& note);
  // The request under policy: the bearer token set (obtained again when expired), retries after
  // 429/502/503/504 and connection failures with Retry-After or backoff, one token refresh after
  // a refusing status.
  CallOutcome call(const std::string& step, OutgoingRequest request, CallPolicy policy);
  // Asks for a token (reason: why a refresh; empty for the first). nullopt on success.
  std::optional<TokenFailure> obtain_token(const std::string& step, const std::string& reason = "");

  const std::string& token() const { return token_; }
  const util::Json& token_body() const { return token_body_; }
  // The answer of the last token request that got one.
  const std::optional<util::HttpResponse>& last_token_response() const { return last_token_response_; }

 private:
  bool token_expired() const { return expires_at_ms_ && clock_.now_ms() >= *expires_at_ms_; }
  void learn(const TransportResult& result);
  // Milliseconds to wait before attempt + 1, or nullopt after writing into log why not.
  std::optional<double> wait_before_retry(const util::HttpResponse* response, int attempt, double started,
                                          util::Json& log);

  Transport& transport_;
  Clock& clock_;
  const DiagnoseOptions& options_;
  TraceFn trace_;
  std::function<double()> jitter_;  // when the options give none
  util::Redactor& redactor_;
  std::vector<Exchange>& log_;
  TokenRequest token_request_;
  std::vector<std::string> secret_pointers_;
  std::string token_;
  util::Json token_body_ = util::Json::object();
  std::optional<double> expires_at_ms_;
  std::optional<util::HttpResponse> last_token_response_;
};

}  // namespace client
