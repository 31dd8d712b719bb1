// cpp-httplib glue: every method on every path goes to the engine; delays and faults applied here.
#include "mockserver/server.hpp"

#include <httplib.h>

#include <chrono>
#include <sys/socket.h>

#include "util/strings.hpp"

namespace mockserver {

MockServer::MockServer(std::shared_ptr<MockEngine> engine, ServerOptions options)
    : engine_(std::move(engine)), options_(std::move(options)), server_(std::make_unique<httplib::Server>()) {}

MockServer::~MockServer() { stop(); }

std::string MockServer::base_url() const {
  std::string host = options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host;
  return "http://" + host + ":" + std::to_string(port_);
}

util::Result<int> MockServer::start() {
  auto& svr = *server_;
  int threads = options_.threads > 0 ? options_.threads : 1;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  svr.set_tcp_nodelay(true);
  // cpp-httplib's default also sets SO_REUSEPORT, which lets a second mock bind the same port
  // and silently take half the traffic; a port in use must be an error instead.
  svr.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  svr.set_payload_max_length(options_.max_body);
  svr.set_keep_alive_max_count(100000);
  std::shared_ptr<MockEngine> engine = engine_;
  auto handler = [engine](const httplib::Request& req, httplib::Response& res) {
    util::HttpRequest in;
    in.method = req.method;
    in.path = req.path;
    for (const auto& [k, v] : req.params) in.query[k] = v;
    for (const auto& [k, v] : req.headers) in.headers.add(k, v);
    in.body = req.body;
    Reply reply = engine->handle(in);
    engine->pause(reply.delay_ms);
    res.status = reply.response.status;
    std::string content_type = "application/octet-stream";
    for (const auto& [k, v] : reply.response.headers) {
      if (util::iequals(k, "Content-Type")) content_type = v;
      else res.set_header(k, v);
    }
    if (reply.response.body.empty() && !reply.response.headers.find("content-type")) {
      res.body.clear();
    } else {
      res.set_content(std::move(reply.response.body), content_type);
    }
  };
  const std::string all = R"(.*)";
  svr.Get(all, handler).Post(all, handler).Put(all, handler).Patch(all, handler).Delete(all, handler).Options(all, handler);

  int port = options_.port;
  if (port == 0) {
    port = svr.bind_to_any_port(options_.host);
    if (port < 0) return util::make_error("cannot listen on " + options_.host + ":0");
  } else if (!svr.bind_to_port(options_.host, port)) {
    return util::make_error("cannot listen on " + options_.host + ":" + std::to_string(port) +
                            " (in use, or not an address of this machine)");
  }
  port_ = port;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // cpp-httplib 0.11's stop() does nothing until the listen thread has marked itself running,
  // so a stop right after start would leave accept() blocked forever: wait for that mark.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_->is_running()) {
    if (std::chrono::steady_clock::now() > deadline) return util::make_error("the HTTP server did not start within 10 s");
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  return port_;
}

void MockServer::stop() {
  if (!thread_.joinable()) return;
  engine_->shutdown();
  server_->stop();
  thread_.join();
}

}  // namespace mockserver
