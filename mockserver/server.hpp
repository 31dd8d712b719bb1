// MockServer: serves a MockEngine over HTTP/1.1 with libevent's evhttp: a few event loops share
// one listening socket, so thousands of keep-alive or slow connections cost no thread each.
// Delays, faults and slow drips are timers in the loop, never a sleeping thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mockserver/engine.hpp"
#include "util/result.hpp"

namespace mockserver {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                              // 0: the OS picks one
  int threads = 0;                           // event loops; 0: cores - 1, 1 to 8
  std::size_t max_body = 10u << 20;          // larger request bodies get 413
  std::size_t max_header_bytes = 64u << 10;  // request line + headers, beyond: refused
  std::size_t max_headers = 100;             // more header fields: 431
  int read_timeout_s = 30;                   // a connection idle or trickling this long is closed
  int drain_ms = 5000;                       // on stop, how long answers in flight may still finish
  // Open connections at most (all loops); at the cap the least recently active idle one is
  // closed for a new one. 0: the file-descriptor limit (RLIMIT_NOFILE) less a reserve.
  std::size_t max_connections = 0;
  std::string tls_cert, tls_key;  // PEM files: serve HTTPS instead of HTTP
};

// Requests proxied to the upstream at once (serve --proxy-unmatched), at most; beyond, 503.
inline constexpr int kMaxForwarding = 64;

// What answers a request: the engine, or another handler (the recorder's proxy). Called on the
// event-loop threads, possibly at once from several.
using RequestHandler = std::function<Reply(const util::HttpRequest&)>;

class MockServer {
 public:
  MockServer(std::shared_ptr<MockEngine> engine, ServerOptions options);
  MockServer(RequestHandler handler, ServerOptions options);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  // Binds and starts serving in background threads; returns the bound port.
  util::Result<int> start();
  // Stops accepting, lets answers in flight finish (up to drain_ms; held "timeout" connections
  // are closed at once), then stops the loops.
  void stop();
  int port() const { return port_; }
  std::string base_url() const;
  MockEngine& engine() { return *engine_; }  // only for a server made with an engine
  // Requests answered or being answered later (delays, drips), for drain and tests.
  int in_flight() const { return in_flight_.load(); }
  // Connections open now (all loops), for tests and the health answer.
  std::size_t open_connections() const { return open_connections_.load(); }
  // The connection cap in force (max_connections, or the one derived from RLIMIT_NOFILE).
  std::size_t connection_cap() const { return connection_cap_; }

  struct Loop;  // one event loop (private to server.cpp)

 private:
  // --tls-cert/--tls-key: the TLS module loaded and its server context made (the first step of start).
  util::Status start_tls();
  std::shared_ptr<MockEngine> engine_;
  RequestHandler handler_;
  ServerOptions options_;
  std::vector<std::unique_ptr<Loop>> loops_;
  int port_ = 0;
  std::atomic<int> in_flight_{0};
  std::atomic<std::size_t> open_connections_{0};
  // Requests being proxied (--proxy-unmatched), up to kMaxForwarding; shared with the workers,
  // which may finish after the server is gone.
  std::shared_ptr<std::atomic<int>> forwarding_ = std::make_shared<std::atomic<int>>(0);
  std::size_t connection_cap_ = 0;
  struct TlsContext;  // OpenSSL server context (server.cpp)
  std::shared_ptr<TlsContext> tls_;
  friend struct Loop;
};

}  // namespace mockserver
