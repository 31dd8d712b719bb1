// libcurl transport (the https:// half of make_transport), built as the module
// handover-diag-curl.so: one easy handle reused per run (keep-alive), errors mapped to sub-kinds.
#include <curl/curl.h>

#include <mutex>

#include "client/transport.hpp"
#include "util/strings.hpp"

namespace client {

namespace {

struct Sink {
  std::string body;
  util::Headers headers;
  std::size_t limit = 0;
  bool overflow = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->body.size() + size * n > sink->limit) {
    sink->overflow = true;
    return 0;  // aborts the transfer
  }
  sink->body.append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    sink->headers = util::Headers();  // a new response (after 100-continue or a redirect)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    sink->headers.add(std::string(util::trim(line.substr(0, colon))), std::string(util::trim(line.substr(colon + 1))));
  }
  return size * n;
}

NetworkErrorKind kind_of(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return NetworkErrorKind::dns;
    case CURLE_COULDNT_CONNECT:
      return NetworkErrorKind::refused;
    case CURLE_OPERATION_TIMEDOUT:
      return NetworkErrorKind::timeout;
    case CURLE_SSL_CONNECT_ERROR:
      return NetworkErrorKind::tls_handshake;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return NetworkErrorKind::certificate;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return NetworkErrorKind::reset;
    case CURLE_GOT_NOTHING:
      return NetworkErrorKind::empty_response;
    default:
      return NetworkErrorKind::other;
  }
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(TransportOptions options) : options_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    handle_ = curl_easy_init();
  }
  ~CurlTransport() override { curl_easy_cleanup(handle_); }

  TransportResult send(const OutgoingRequest& request) override {
    TransportResult result;
    if (!handle_) {
      result.error = NetworkError{NetworkErrorKind::other, "libcurl could not be initialised"};
      return result;
    }
    CURL* h = handle_;
    curl_easy_reset(h);  // keeps the connection cache
    Sink sink;
    sink.limit = options_.max_response_bytes;
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    if (!options_.cacert.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.cacert.c_str());
    if (options_.insecure) {
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (request.method == "GET") {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    curl_slist* headers = nullptr;
    for (const auto& [k, v] : request.headers)
      headers = curl_slist_append(headers, std::string(k).append(": ").append(v).c_str());
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

    CURLcode code = curl_easy_perform(h);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
      if (sink.overflow) {
        result.error = NetworkError{NetworkErrorKind::other,
                                    "response larger than " + std::to_string(options_.max_response_bytes) + " bytes"};
      } else {
        std::string msg = errbuf[0] ? errbuf : curl_easy_strerror(code);
        NetworkErrorKind kind = kind_of(code);
        if (kind == NetworkErrorKind::timeout) {
          // No connection yet means the connect timeout fired: safe to retry a GET.
          curl_off_t connected = 0;
          curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected);
          if (connected == 0) kind = NetworkErrorKind::connect_timeout;
        }
        result.error = NetworkError{kind, msg};
      }
      return result;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    util::HttpResponse response;
    response.status = static_cast<int>(status);
    response.headers = std::move(sink.headers);
    response.body = std::move(sink.body);
    result.response = std::move(response);
    return result;
  }

 private:
  TransportOptions options_;
  CURL* handle_ = nullptr;
};

}  // namespace
}  // namespace client

extern "C" client::Transport* harness_curl_transport_new(const client::TransportOptions* options) {
  return new client::CurlTransport(*options);
}
