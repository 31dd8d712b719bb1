#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "mockserver/fixture_loader.hpp"
#include "mockserver/server.hpp"
#include "support/tls_cert.hpp"
#include "util/json_text.hpp"

namespace {

std::shared_ptr<mockserver::MockEngine> engine() {
  auto e = std::make_shared<mockserver::MockEngine>();
  e->add_fixture(util::value_or_throw(mockserver::parse_fixture(
      R"({"fixtureVersion": 1, "name": "s", "interactions": [
          {"id": "q", "request": {"method": "GET", "path": "/q/{id}"},
           "response": {"status": 200, "headers": {"x-correlation-id": "abc"}, "json": {"state": "active"}}},
          {"id": "slow", "request": {"path": "/slow"}, "response": {"status": 204, "delayMs": 150}}]})",
      "s.json")));
  return e;
}

}  // namespace

// Regression: a stop right after start used to leave accept() blocked forever.
TEST(Server, StopRightAfterStartNeverHangs) {
  for (int i = 0; i < 50; ++i) {
    mockserver::MockServer server(engine(), {});
    ASSERT_TRUE(server.start());
    server.stop();
  }
}

TEST(Server, ServesOnAnOsChosenLoopbackPort) {
  mockserver::MockServer server(engine(), {});
  auto port = server.start();
  ASSERT_TRUE(port);
  EXPECT_GT(*port, 0);
  httplib::Client cli("127.0.0.1", *port);
  auto res = cli.Get("/q/7");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"state":"active"})");
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(res->get_header_value("x-correlation-id"), "abc");
  auto miss = cli.Post("/nope", "{}", "application/json");
  ASSERT_TRUE(miss);
  EXPECT_EQ(miss->status, 404);
  EXPECT_EQ(miss->get_header_value("X-Mock-Miss"), "true");
}

// The admin API's loopback rule rests on the peer address the server hands the engine.
TEST(Server, HandsTheClientsAddressToTheHandler) {
  std::mutex mu;
  std::vector<std::string> peers;
  mockserver::MockServer server(
      [&](const util::HttpRequest& r) {
        std::lock_guard lock(mu);
        peers.push_back(r.peer);
        mockserver::Reply reply;
        reply.response.status = 204;
        return reply;
      },
      {});
  auto port = server.start();
  ASSERT_TRUE(port);
  httplib::Client cli("127.0.0.1", *port);
  ASSERT_TRUE(cli.Get("/x"));
  server.stop();
  std::lock_guard lock(mu);
  ASSERT_EQ(peers.size(), 1u);
  EXPECT_EQ(peers[0], "127.0.0.1");
}

TEST(Server, DelayIsApplied) {
  mockserver::MockServer server(engine(), {});
  auto port = server.start();
  ASSERT_TRUE(port);
  httplib::Client cli("127.0.0.1", *port);
  auto t0 = std::chrono::steady_clock::now();
  auto res = cli.Get("/slow");
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_GE(ms, 150);
}

TEST(Server, BodyOverTheLimitIs413) {
  mockserver::ServerOptions opts;
  opts.max_body = 1024;
  mockserver::MockServer server(engine(), opts);
  auto port = server.start();
  ASSERT_TRUE(port);
  httplib::Client cli("127.0.0.1", *port);
  auto res = cli.Post("/q/1", std::string(4096, 'x'), "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
}

TEST(Server, PortInUseIsAnErrorNotACrash) {
  mockserver::MockServer first(engine(), {});
  auto port = first.start();
  ASSERT_TRUE(port);
  mockserver::ServerOptions opts;
  opts.port = *port;
  mockserver::MockServer second(engine(), opts);
  auto r = second.start();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("cannot listen on 127.0.0.1:" + std::to_string(*port)), std::string::npos);
}

namespace {

// A server over one fixture with an interaction per fault, on an OS-chosen port.
struct FaultServer {
  std::shared_ptr<mockserver::MockEngine> engine;
  mockserver::MockServer server;
  int port = 0;

  explicit FaultServer(mockserver::EngineOptions engine_options = {}, mockserver::ServerOptions options = {})
      : engine(std::make_shared<mockserver::MockEngine>(engine_options)), server(engine, options) {
    engine->add_fixture(util::value_or_throw(mockserver::parse_fixture(
        R"({"fixtureVersion": 1, "name": "faults", "interactions": [
          {"id": "reset", "request": {"path": "/reset"}, "response": {"status": 200, "fault": "connection-reset"}},
          {"id": "empty", "request": {"path": "/empty"}, "response": {"status": 200, "fault": "empty-response"}},
          {"id": "hold", "request": {"path": "/hold"}, "response": {"status": 200, "fault": "timeout"}},
          {"id": "cut", "request": {"path": "/cut"}, "response": {"status": 200, "json": {"state": "active", "id": "abc"},
                                                                  "fault": "malformed-body"}},
          {"id": "drip", "request": {"path": "/drip"},
           "response": {"status": 200, "body": "0123456789abcdef", "fault": "slow-drip",
                        "drip": {"chunkBytes": 4, "intervalMs": 40}}},
          {"id": "jitter", "request": {"path": "/jitter"}, "response": {"status": 204, "delayMs": {"min": 60, "max": 90}}}]})",
        "faults.json")));
    port = util::value_or_throw(server.start());
  }
};

long long elapsed_ms(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}

// A GET and how long it took, in milliseconds.
std::pair<httplib::Result, long long> timed_get(httplib::Client& cli, const std::string& path) {
  auto t0 = std::chrono::steady_clock::now();
  auto res = cli.Get(path);
  return {std::move(res), elapsed_ms(t0)};
}

}  // namespace

// Sends a raw GET and reads until the server closes: what recv() reported last.
struct RawResult {
  std::string received;
  int error = 0;  // errno of the failing recv, 0 on a clean end of stream
};
RawResult raw_get(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  RawResult r;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    r.error = errno;
    ::close(fd);
    return r;
  }
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  ::send(fd, req.data(), req.size(), 0);
  char buf[4096];
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      r.received.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    r.error = n < 0 ? errno : 0;
    break;
  }
  ::close(fd);
  return r;
}

TEST(ServerFaults, ConnectionResetIsATcpResetWithNoAnswer) {
  FaultServer s;
  auto r = raw_get(s.port, "/reset");
  EXPECT_EQ(r.received, "");
  EXPECT_EQ(r.error, ECONNRESET);
  // The server goes on serving other connections.
  httplib::Client again("127.0.0.1", s.port);
  auto jitter = again.Get("/jitter");
  ASSERT_TRUE(jitter);
  EXPECT_EQ(jitter->status, 204);
}

TEST(ServerFaults, EmptyResponseClosesCleanlyWithoutAByte) {
  FaultServer s;
  auto r = raw_get(s.port, "/empty");
  EXPECT_EQ(r.received, "");
  EXPECT_EQ(r.error, 0);  // a FIN, not a reset
}

TEST(ServerFaults, TimeoutHoldsUntilTheClientGivesUp) {
  FaultServer s;
  httplib::Client cli("127.0.0.1", s.port);
  cli.set_read_timeout(0, 300000);  // 300 ms
  auto [res, ms] = timed_get(cli, "/hold");
  EXPECT_FALSE(res);
  EXPECT_GE(ms, 290);
  EXPECT_LT(ms, 5000);
  EXPECT_EQ(s.server.in_flight(), 1);  // still held after the client gave up
}

TEST(ServerFaults, StopDoesNotWaitForHeldConnections) {
  FaultServer s;
  std::thread client([&] {
    httplib::Client cli("127.0.0.1", s.port);
    cli.set_read_timeout(20, 0);
    auto res = cli.Get("/hold");
    EXPECT_FALSE(res);
  });
  while (s.server.in_flight() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto t0 = std::chrono::steady_clock::now();
  s.server.stop();
  EXPECT_LT(elapsed_ms(t0), 1000);
  client.join();
}

TEST(ServerFaults, MalformedBodyIsCutMidway) {
  FaultServer s;
  httplib::Client cli("127.0.0.1", s.port);
  auto res = cli.Get("/cut");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(util::parse_json(res->body, "body"));
  EXPECT_TRUE(std::string(R"({"id":"abc","state":"active"})").starts_with(res->body)) << res->body;
}

TEST(ServerFaults, SlowDripSendsTheWholeBodyAFewBytesAtATime) {
  FaultServer s;
  httplib::Client cli("127.0.0.1", s.port);
  auto [res, ms] = timed_get(cli, "/drip");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "0123456789abcdef");
  EXPECT_EQ(res->get_header_value("Content-Length"), "16");
  EXPECT_GE(ms, 3 * 40 - 5);  // four chunks, three waits between them
}

TEST(ServerFaults, RandomDelayStaysInItsRange) {
  FaultServer s;
  httplib::Client cli("127.0.0.1", s.port);
  for (int i = 0; i < 3; ++i) {
    auto [res, ms] = timed_get(cli, "/jitter");
    ASSERT_TRUE(res);
    EXPECT_GE(ms, 59);
    EXPECT_LT(ms, 1000);
  }
}

TEST(ServerFaults, DelayedAnswersDrainOnStop) {
  FaultServer s;
  std::optional<int> status;
  std::thread client([&] {
    httplib::Client cli("127.0.0.1", s.port);
    if (auto res = cli.Get("/jitter")) status = res->status;
  });
  while (s.server.in_flight() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  s.server.stop();  // the 60-90 ms answer still goes out
  client.join();
  EXPECT_EQ(status, 204);
}

TEST(ServerLimits, TooManyHeaderFieldsIs431) {
  mockserver::ServerOptions options;
  options.max_headers = 10;
  FaultServer s({}, options);
  httplib::Client cli("127.0.0.1", s.port);
  httplib::Headers headers;
  for (int i = 0; i < 20; ++i) headers.emplace("X-Flood-" + std::to_string(i), "1");
  auto res = cli.Get("/jitter", headers);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 431);
}

TEST(ServerLimits, OversizedHeadersAreRefusedWithoutAnswering200) {
  mockserver::ServerOptions options;
  options.max_header_bytes = 2048;
  FaultServer s({}, options);
  httplib::Client cli("127.0.0.1", s.port);
  auto res = cli.Get("/jitter", {{"X-Big", std::string(8192, 'a')}});
  // evhttp answers 400 or drops the connection: either way never the interaction's answer.
  if (res) {
    EXPECT_GE(res->status, 400);
  }
}

TEST(ServerLimits, ManySlowClientsDoNotStarveOthers) {
  FaultServer s;
  // 200 connections that send half a request line and stop: no thread is tied to any of them.
  std::vector<int> idle;
  for (int i = 0; i < 200; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(s.port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_GT(::send(fd, "GET /jit", 8, 0), 0);
    idle.push_back(fd);
  }
  httplib::Client cli("127.0.0.1", s.port);
  auto t0 = std::chrono::steady_clock::now();
  auto res = cli.Get("/jitter");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_LT(elapsed_ms(t0), 1000);
  for (int fd : idle) ::close(fd);
}

namespace {

struct TlsDir {
  std::filesystem::path path;
  testsupport::TlsFiles files;
  TlsDir() {
    char tmpl[] = "/tmp/harness-tls-XXXXXX";
    path = ::mkdtemp(tmpl);
    files = testsupport::make_self_signed(path);
  }
  ~TlsDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST(ServerTls, ServesHttpsWithTheGivenCertificate) {
  TlsDir tls;
  mockserver::ServerOptions options;
  options.tls_cert = tls.files.cert;
  options.tls_key = tls.files.key;
  mockserver::MockServer server(engine(), options);
  auto port = server.start();
  ASSERT_TRUE(port) << port.error().message;
  EXPECT_TRUE(server.base_url().starts_with("https://127.0.0.1:"));
  httplib::SSLClient cli("127.0.0.1", *port);
  cli.set_ca_cert_path(tls.files.cert.c_str());
  cli.enable_server_certificate_verification(true);
  auto res = cli.Get("/q/7");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"state":"active"})");
  // A client that does not trust the certificate fails the handshake; plain HTTP gets nothing.
  httplib::SSLClient untrusting("127.0.0.1", *port);
  untrusting.enable_server_certificate_verification(true);
  untrusting.set_ca_cert_path("/nonexistent-ca.pem");
  EXPECT_FALSE(untrusting.Get("/q/7"));
  httplib::Client plain("127.0.0.1", *port);
  plain.set_read_timeout(2, 0);
  EXPECT_FALSE(plain.Get("/q/7"));
}

TEST(ServerTls, BadCertificateOrKeyIsAClearError) {
  TlsDir tls;
  TlsDir other;
  mockserver::ServerOptions options;
  options.tls_cert = tls.files.cert;
  options.tls_key = other.files.key;
  mockserver::MockServer mismatched(engine(), options);
  auto r = mismatched.start();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("does not belong to the certificate"), std::string::npos) << r.error().message;
  options.tls_key = tls.files.key;
  options.tls_cert = "/nonexistent.pem";
  mockserver::MockServer missing(engine(), options);
  auto m = missing.start();
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("/nonexistent.pem: not a usable PEM certificate"), std::string::npos);
}
