#include <gtest/gtest.h>

#include <httplib.h>

#include "mockserver/fixture_loader.hpp"
#include "mockserver/server.hpp"

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
