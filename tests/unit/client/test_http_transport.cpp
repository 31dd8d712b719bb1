// The plain-HTTP transport against the real mock server (in-process, OS-chosen port) for every
// fault the mock injects, and against a raw socket for what the mock never sends (chunked
// bodies, 1xx, a close-delimited body, a stale kept-alive connection).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <thread>

#include "client/http_transport.hpp"
#include "mockserver/engine.hpp"
#include "mockserver/fixture_loader.hpp"
#include "mockserver/server.hpp"

namespace {

struct Mock {
  std::shared_ptr<mockserver::MockEngine> engine = std::make_shared<mockserver::MockEngine>();
  mockserver::MockServer server{engine, {}};
  std::string base;
  Mock() {
    engine->add_fixture(util::value_or_throw(mockserver::parse_fixture(
        R"({"fixtureVersion": 1, "name": "transport", "interactions": [
          {"id": "ok", "request": {"method": "GET", "path": "/ok"},
           "response": {"status": 200, "headers": {"x-correlation-id": "c-1"}, "json": {"state": "active"}}},
          {"id": "post", "request": {"method": "POST", "path": "/echo", "json": {"a": 1}}, "response": {"status": 202}},
          {"id": "reset", "request": {"path": "/reset"}, "response": {"status": 200, "fault": "connection-reset"}},
          {"id": "empty", "request": {"path": "/empty"}, "response": {"status": 200, "fault": "empty-response"}},
          {"id": "hold", "request": {"path": "/hold"}, "response": {"status": 200, "fault": "timeout"}},
          {"id": "cut", "request": {"path": "/cut"}, "response": {"status": 200, "json": {"state": "active", "id": "abc"},
                                                                  "fault": "malformed-body"}},
          {"id": "drip", "request": {"path": "/drip"},
           "response": {"status": 200, "body": "0123456789abcdef", "fault": "slow-drip",
                        "drip": {"chunkBytes": 4, "intervalMs": 20}}},
          {"id": "big", "request": {"path": "/big"}, "response": {"status": 200, "body": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}]})",
        "transport.json")));
    base = "http://127.0.0.1:" + std::to_string(util::value_or_throw(server.start()));
  }
};

client::OutgoingRequest get(const std::string& url) {
  client::OutgoingRequest r;
  r.method = "GET";
  r.url = url;
  return r;
}

client::TransportOptions quick() {
  client::TransportOptions o;
  o.timeout_ms = 400;
  o.connect_timeout_ms = 200;
  return o;
}

// One-shot raw server: accepts one connection per entry and writes that answer.
struct RawServer {
  int fd = -1;
  int port = 0;
  std::thread thread;
  explicit RawServer(std::vector<std::string> answers) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd, 8);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    thread = std::thread([this, answers] {
      for (const auto& answer : answers) {
        int c = ::accept(fd, nullptr, nullptr);
        if (c < 0) return;
        char buf[4096];
        (void)::recv(c, buf, sizeof buf, 0);
        (void)::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
        ::close(c);
      }
    });
  }
  ~RawServer() {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    thread.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
};

}  // namespace

TEST(PlainHttp, AnswersWithStatusHeadersAndBodyAndKeepsTheConnection) {
  Mock mock;
  auto t = client::make_plain_http_transport(quick());
  for (int i = 0; i < 3; ++i) {
    auto r = t->send(get(mock.base + "/ok"));
    ASSERT_TRUE(r.response) << r.error->message;
    EXPECT_EQ(r.response->status, 200);
    EXPECT_EQ(r.response->headers.get("x-correlation-id"), "c-1");
    EXPECT_EQ(r.response->body, R"({"state":"active"})");
  }
  client::OutgoingRequest post;
  post.method = "POST";
  post.url = mock.base + "/echo";
  post.headers.add("Content-Type", "application/json");
  post.body = R"({"a":1,"b":2})";
  auto r = t->send(post);
  ASSERT_TRUE(r.response);
  EXPECT_EQ(r.response->status, 202);
  EXPECT_EQ(mock.engine->journal().total(), 4u);
}

TEST(PlainHttp, EveryMockFaultHasItsKind) {
  Mock mock;
  auto t = client::make_plain_http_transport(quick());
  auto kind_of = [&](const std::string& path) {
    auto r = t->send(get(mock.base + path));
    return r.error ? std::string(client::network_error_kind_name(r.error->kind))
                   : "HTTP " + std::to_string(r.response->status);
  };
  EXPECT_EQ(kind_of("/reset"), "connection-reset");
  EXPECT_EQ(kind_of("/empty"), "empty-response");
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(kind_of("/hold"), "timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2)) << "the deadline holds";
  auto cut = t->send(get(mock.base + "/cut"));
  ASSERT_TRUE(cut.response) << "a cut body is a complete answer with a broken JSON document";
  EXPECT_TRUE(util::Json::parse(cut.response->body, nullptr, false).is_discarded()) << cut.response->body;
  auto drip = t->send(get(mock.base + "/drip"));
  ASSERT_TRUE(drip.response);
  EXPECT_EQ(drip.response->body, "0123456789abcdef");
  EXPECT_EQ(kind_of("/ok"), "HTTP 200") << "the transport recovers after every fault";
}

TEST(PlainHttp, RefusedAndOversizedAndNotHttp) {
  RawServer none({});
  int port = none.port;
  ::shutdown(none.fd, SHUT_RDWR);
  auto t = client::make_plain_http_transport(quick());
  auto refused = t->send(get("http://127.0.0.1:" + std::to_string(port) + "/x"));
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->kind, client::NetworkErrorKind::refused) << refused.error->message;

  Mock mock;
  auto opts = quick();
  opts.max_response_bytes = 16;
  auto small = client::make_plain_http_transport(opts);
  auto big = small->send(get(mock.base + "/big"));
  ASSERT_TRUE(big.error);
  EXPECT_NE(big.error->message.find("larger than 16 bytes"), std::string::npos);
  EXPECT_TRUE(t->send(get("ftp://example.com/")).error);
}

TEST(PlainHttp, ChunkedInterimAndCloseDelimitedBodies) {
  RawServer raw(
      {"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
       "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n",
       "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end"});
  auto t = client::make_plain_http_transport(quick());
  auto chunked = t->send(get(raw.url("/a")));
  ASSERT_TRUE(chunked.response) << chunked.error->message;
  EXPECT_EQ(chunked.response->status, 200);
  EXPECT_EQ(chunked.response->body, "hello, world");
  auto closed = t->send(get(raw.url("/b")));
  ASSERT_TRUE(closed.response) << closed.error->message;
  EXPECT_EQ(closed.response->body, "until the end");
}

TEST(PlainHttp, AStaleKeptAliveConnectionIsReplacedOnce) {
  // The first connection answers with keep-alive, then the server closes it; the second request
  // goes out on a new connection instead of failing.
  RawServer raw(
      {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain"});
  auto t = client::make_plain_http_transport(quick());
  ASSERT_TRUE(t->send(get(raw.url("/1"))).response);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the server has closed its end
  auto second = t->send(get(raw.url("/2")));
  ASSERT_TRUE(second.response) << second.error->message;
  EXPECT_EQ(second.response->body, "again");
}

TEST(PlainHttp, MalformedStatusLineIsNamed) {
  RawServer raw({"SSH-2.0-OpenSSH_9.2\r\n\r\n"});
  auto t = client::make_plain_http_transport(quick());
  auto r = t->send(get(raw.url("/")));
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("malformed HTTP status line"), std::string::npos) << r.error->message;
}
