// MockServer: serves a MockEngine over HTTP with cpp-httplib on a loopback port (0: the OS picks).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "mockserver/engine.hpp"
#include "util/result.hpp"

namespace httplib {
class Server;
}

namespace mockserver {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  // More workers than keep-alive connections a client opens: cpp-httplib pins a worker to a
  // connection for its whole life, so a small pool starves under load.
  int threads = 64;
  std::size_t max_body = 10u << 20;
};

class MockServer {
 public:
  MockServer(std::shared_ptr<MockEngine> engine, ServerOptions options);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  // Binds and starts serving in a background thread; returns the bound port.
  util::Result<int> start();
  void stop();
  int port() const { return port_; }
  std::string base_url() const;
  MockEngine& engine() { return *engine_; }

 private:
  std::shared_ptr<MockEngine> engine_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace mockserver
