// The HTTP transport the diagnose steps talk through: an interface, so unit tests substitute a
// GoogleMock and the product uses libcurl (curl_transport.hpp).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "util/http.hpp"

namespace client {

struct OutgoingRequest {
  std::string method;
  std::string url;
  util::Headers headers;
  std::string body;
};

enum class NetworkErrorKind {
  dns,
  refused,
  connect_timeout,  // no connection within the connect timeout
  timeout,          // connected, but no complete answer within the total timeout
  tls_handshake,
  certificate,
  reset,
  empty_response,
  other
};

std::string_view network_error_kind_name(NetworkErrorKind kind);

struct NetworkError {
  NetworkErrorKind kind = NetworkErrorKind::other;
  std::string message;  // libcurl's words, with the host
};

// Either a response (any status) or a network error; never both.
struct TransportResult {
  std::optional<util::HttpResponse> response;
  std::optional<NetworkError> error;
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual TransportResult send(const OutgoingRequest& request) = 0;
};

struct TransportOptions {
  long timeout_ms = 10000;
  long connect_timeout_ms = 5000;
  std::string cacert;     // extra CA bundle file
  bool insecure = false;  // skip TLS verification (warned about on every run)
  std::size_t max_response_bytes = 16u << 20;
};

// The product's transport: http:// URLs through the plain-HTTP client (http_transport.hpp),
// https:// through libcurl, which lives in a module (handover-diag-curl.so beside the binaries)
// loaded on the first https request: libcurl's ~35 shared libraries cost ~13 ms of start-up,
// more than a whole diagnose run against a local mock.
std::unique_ptr<Transport> make_transport(const TransportOptions& options);

inline constexpr const char* kCurlModuleName = "handover-diag-curl.so";

}  // namespace client

extern "C" {
// The module's entry point: a libcurl transport (owned by the caller; the module stays loaded).
client::Transport* harness_curl_transport_new(const client::TransportOptions* options);
}

namespace client {}  // namespace client
