// cxone-mock health (see health.hpp): one request through libevent's HTTP client.
#include "mockserver/health.hpp"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <sys/time.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>

#include "util/exit_codes.hpp"
#include "util/json_text.hpp"

namespace mockserver {

namespace {

struct Probe {
  event_base* base = nullptr;
  int status = 0;
  std::string body;
  std::string failure;
};

constexpr std::size_t kMaxHealthBody = std::size_t{64} * 1024;

void on_answer(evhttp_request* request, void* arg) {
  auto* probe = static_cast<Probe*>(arg);
  if (request != nullptr && evhttp_request_get_response_code(request) != 0) {
    probe->status = evhttp_request_get_response_code(request);
    evbuffer* in = evhttp_request_get_input_buffer(request);
    std::size_t n = std::min(evbuffer_get_length(in), kMaxHealthBody);
    probe->body.resize(n);
    evbuffer_copyout(in, probe->body.data(), n);
  }
  event_base_loopbreak(probe->base);
}

void on_error(evhttp_request_error error, void* arg) {
  auto* probe = static_cast<Probe*>(arg);
  switch (error) {
    case EVREQ_HTTP_TIMEOUT:
      probe->failure = "no answer in time";
      break;
    case EVREQ_HTTP_EOF:
      probe->failure = "connection refused or closed";
      break;
    case EVREQ_HTTP_INVALID_HEADER:
      probe->failure = "not an HTTP answer";
      break;
    case EVREQ_HTTP_DATA_TOO_LONG:
      probe->failure = "answer too large";
      break;
    default:
      probe->failure = "no answer";
      break;
  }
}

int unhealthy(const std::string& url, const std::string& why) {
  std::cerr << "cxone-mock health: " << url << ": " << why << "\n";
  return util::kExitFailed;
}

// What a 200's body says: "ok (N interactions, up Ts)", or why it is not healthy.
int judge(const std::string& url, const Probe& probe) {
  if (probe.status == 0) return unhealthy(url, probe.failure);
  const util::Json doc = util::parse_json_lenient(probe.body, 16);
  if (probe.status != 200) {
    std::string said = doc.is_object() && doc.contains("message") && doc["message"].is_string()
                           ? doc["message"].get<std::string>()
                           : std::string("no health answer");
    return unhealthy(url, std::to_string(probe.status) + ": " + said);
  }
  if (const auto status = doc.find("status"); !doc.is_object() || status == doc.end() || *status != "ok")
    return unhealthy(url, "200, but the body is not the mock's health answer");
  const auto count = [&doc](const char* key) {
    const auto it = doc.find(key);
    return it != doc.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
  };
  std::cout << "cxone-mock health: ok: " << url << " (" << count("interactions") << " interactions, up "
            << count("uptimeMs") / 1000 << " s)\n";
  return util::kExitOk;
}

}  // namespace

int health_command(const HealthArgs& args) {
  std::unique_ptr<evhttp_uri, decltype(&evhttp_uri_free)> uri(evhttp_uri_parse(args.url.c_str()), evhttp_uri_free);
  const char* scheme = uri ? evhttp_uri_get_scheme(uri.get()) : nullptr;
  const char* host = uri ? evhttp_uri_get_host(uri.get()) : nullptr;
  if (scheme == nullptr || std::string(scheme) != "http" || host == nullptr || *host == '\0') {
    std::cerr << "cxone-mock health: --url " << args.url
              << ": expected http://HOST[:PORT] (the probe speaks plain HTTP; probe a TLS mock's loopback port "
                 "without --tls-cert)\n";
    return util::kExitUsage;
  }
  int port = evhttp_uri_get_port(uri.get());
  if (port < 0) port = 80;
  std::unique_ptr<event_base, decltype(&event_base_free)> base(event_base_new(), event_base_free);
  std::unique_ptr<evhttp_connection, decltype(&evhttp_connection_free)> conn(
      evhttp_connection_base_new(base.get(), nullptr, host, static_cast<unsigned short>(port)), evhttp_connection_free);
  if (!base || !conn) return unhealthy(args.url, "cannot set up a connection");
  timeval limit{args.timeout_ms / 1000, static_cast<suseconds_t>(args.timeout_ms % 1000) * 1000};
  evhttp_connection_set_timeout_tv(conn.get(), &limit);
  evhttp_connection_set_retries(conn.get(), 0);
  Probe probe;
  probe.base = base.get();
  evhttp_request* request = evhttp_request_new(on_answer, &probe);  // owned by conn once made
  evhttp_request_set_error_cb(request, on_error);
  evkeyvalq* headers = evhttp_request_get_output_headers(request);
  evhttp_add_header(headers, "Host", host);
  evhttp_add_header(headers, "Connection", "close");
  if (!args.admin_token.empty())
    evhttp_add_header(headers, "Authorization", std::string("Bearer ").append(args.admin_token).c_str());
  if (evhttp_make_request(conn.get(), request, EVHTTP_REQ_GET, "/__admin/health") != 0)
    return unhealthy(args.url, "cannot send the request");
  const auto start = std::chrono::steady_clock::now();
  event_base_dispatch(base.get());
  // A connection that never opens reaches the answer callback with no status and no error kind.
  if (probe.status == 0 && probe.failure.empty())
    probe.failure = std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(args.timeout_ms)
                        ? "no connection within " + std::to_string(args.timeout_ms) + " ms"
                        : std::string("connection refused");
  return judge(args.url, probe);
}

}  // namespace mockserver
