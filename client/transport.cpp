// make_transport: plain HTTP in-process, HTTPS through the libcurl module loaded on first use.
#include "client/transport.hpp"

#include <dlfcn.h>

#include "client/http_transport.hpp"
#include "util/file.hpp"

namespace client {

std::string_view network_error_kind_name(NetworkErrorKind kind) {
  switch (kind) {
    case NetworkErrorKind::dns:
      return "dns";
    case NetworkErrorKind::refused:
      return "connection-refused";
    case NetworkErrorKind::connect_timeout:
      return "connect-timeout";
    case NetworkErrorKind::timeout:
      return "timeout";
    case NetworkErrorKind::tls_handshake:
      return "tls-handshake";
    case NetworkErrorKind::certificate:
      return "certificate";
    case NetworkErrorKind::reset:
      return "connection-reset";
    case NetworkErrorKind::empty_response:
      return "empty-response";
    case NetworkErrorKind::other:
      return "other";
  }
  return "other";
}

namespace {

using CurlNew = Transport* (*)(const TransportOptions*);

// The module beside the running binary or in the installed modules folder (never from a search
// path the user controls).
CurlNew load_curl_module(std::string& error) {
  auto handle = util::load_module(kCurlModuleName, "HTTPS");
  if (!handle) {
    error = handle.error().message;
    return nullptr;
  }
  auto entry = reinterpret_cast<CurlNew>(::dlsym(*handle, "harness_curl_transport_new"));
  if (!entry) error = std::string(kCurlModuleName) + " lacks harness_curl_transport_new";
  return entry;
}

class SchemeTransport final : public Transport {
 public:
  explicit SchemeTransport(TransportOptions options) : options_(std::move(options)) {}

  TransportResult send(const OutgoingRequest& request) override {
    if (request.url.starts_with("https://")) {
      if (!https_) {
        std::string error;
        CurlNew make = load_curl_module(error);
        if (!make) {
          TransportResult r;
          r.error = NetworkError{NetworkErrorKind::other, error};
          return r;
        }
        https_.reset(make(&options_));
      }
      return https_->send(request);
    }
    if (!http_) http_ = make_plain_http_transport(options_);
    return http_->send(request);
  }

 private:
  TransportOptions options_;
  std::unique_ptr<Transport> http_;
  std::unique_ptr<Transport> https_;
};

}  // namespace

std::unique_ptr<Transport> make_transport(const TransportOptions& options) {
  return std::make_unique<SchemeTransport>(options);
}

}  // namespace client
