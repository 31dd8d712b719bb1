// Session alone: retries, backoff inside the budget, Retry-After, the bearer token and its one
// refresh, expiry, and the typed token failures, over a scripted transport and a fake clock.
#include <gtest/gtest.h>

#include <deque>

#include "client/session.hpp"
#include "fakes.hpp"

namespace {

using client::CallOutcome;
using client::TokenFailure;
using client_fakes::answer;
using client_fakes::FakeClock;
using client_fakes::network;

class ScriptedTransport : public client::Transport {
 public:
  client::TransportResult send(const client::OutgoingRequest& request) override {
    sent.push_back(request);
    if (script.empty()) ADD_FAILURE() << "unexpected request " << request.method << " " << request.url;
    if (script.empty()) return {};
    auto r = script.front();
    script.pop_front();
    return r;
  }
  std::deque<client::TransportResult> script;
  std::vector<client::OutgoingRequest> sent;
};

client::TransportResult refused() { return network(client::NetworkErrorKind::refused); }

std::string token_body(const std::string& token, int expires_in = 3600) {
  return R"({"access_token":")" + token + R"(","expires_in":)" + std::to_string(expires_in) + "}";
}

class SessionTest : public ::testing::Test {
 protected:
  SessionTest() : session_(transport_, clock_, options_, {}, redactor_, log_) {
    options_.jitter = [] { return 0.5; };
    client::TokenRequest t;
    t.url = "http://api.test/oauth/token";
    t.form = {{"grant_type", "client_credentials"}};
    t.token_pointer = "/access_token";
    t.expires_in_pointer = "/expires_in";
    session_.set_token_request(t);
    session_.set_secret_pointers({"/access_token"});
  }
  client::OutgoingRequest get() {
    client::OutgoingRequest r;
    r.method = "GET";
    r.url = "http://api.test/queues/1";
    return r;
  }
  void have_token(const std::string& token, int expires_in = 3600) {
    transport_.script.push_back(answer(200, token_body(token, expires_in)));
    ASSERT_FALSE(session_.obtain_token("auth"));
  }

  ScriptedTransport transport_;
  FakeClock clock_;
  client::DiagnoseOptions options_;
  util::Redactor redactor_;
  std::vector<client::Exchange> log_;
  client::Session session_;
};

TEST_F(SessionTest, AGetIsRetriedAfter503WithBackoffAndEachAttemptIsLogged) {
  transport_.script = {answer(503, ""), refused(), answer(200, "{}")};
  CallOutcome out = session_.call("queue", get(), client::kPlainGet);
  ASSERT_TRUE(out.response);
  EXPECT_EQ(out.response->status, 200);
  // base 250 ms, then 500: half fixed, half jitter (0.5 here)
  EXPECT_EQ(clock_.slept, (std::vector<double>{187.5, 375}));
  ASSERT_EQ(out.attempts.size(), 3u);
  EXPECT_EQ(out.attempts[0]["status"], 503);
  EXPECT_EQ(out.attempts[1]["error"], "connection-refused");
  EXPECT_EQ(log_.size(), 3u);
  EXPECT_EQ(log_[2].note, "after connection-refused");
  EXPECT_EQ(log_[2].attempt, 3);
}

TEST_F(SessionTest, GivesUpAfterMaxAttemptsAndSaysSo) {
  transport_.script = {answer(503, ""), answer(503, ""), answer(503, "")};
  CallOutcome out = session_.call("queue", get(), client::kPlainGet);
  EXPECT_EQ(out.response->status, 503);
  EXPECT_EQ(out.attempts.back()["gaveUp"], "after 3 attempts");
}

TEST_F(SessionTest, ARetryAfterLongerThanTheRunWaitsIsReportedNotWaitedFor) {
  util::Headers h;
  h.add("Retry-After", "120");
  transport_.script = {answer(429, "", h)};
  CallOutcome out = session_.call("queue", get(), client::kPlainGet);
  EXPECT_TRUE(clock_.slept.empty());
  EXPECT_EQ(out.attempts.back()["gaveUp"], "Retry-After asks for 120 s, more than the 30 s this run waits");
}

TEST_F(SessionTest, TheRetryBudgetBoundsTheWaits) {
  options_.retry_budget_ms = 300;
  transport_.script = {answer(503, ""), answer(503, "")};
  CallOutcome out = session_.call("queue", get(), client::kPlainGet);
  EXPECT_EQ(clock_.slept, std::vector<double>{187.5});
  EXPECT_EQ(out.attempts.back()["gaveUp"], "the retry budget of 0.3 s is spent");
}

TEST_F(SessionTest, APostIsNeverSentTwice) {
  have_token("token-one-1111");
  transport_.script = {answer(503, "")};
  auto post = get();
  post.method = "POST";
  CallOutcome out = session_.call("transfer", post, client::kApiPost);
  EXPECT_EQ(out.attempts.back()["notRetried"], "a POST is never re-sent automatically");
  transport_.script = {answer(401, "")};
  out = session_.call("transfer", post, client::kApiPost);
  EXPECT_FALSE(out.token_refresh);
  EXPECT_EQ(transport_.sent.size(), 3u);  // the token, and each POST once
}

TEST_F(SessionTest, A401RefreshesTheTokenOnceAndSendsTheGetAgainWithTheNewOne) {
  have_token("token-one-1111");
  transport_.script = {answer(401, ""), answer(200, token_body("token-two-2222")), answer(401, "")};
  CallOutcome out = session_.call("queue", get(), client::kApiGet);
  EXPECT_TRUE(out.refreshed);
  ASSERT_TRUE(out.token_refresh);
  EXPECT_EQ((*out.token_refresh)["reason"], "HTTP 401 on queue");
  EXPECT_EQ(out.response->status, 401);  // still refused: no second refresh
  ASSERT_EQ(transport_.sent.size(), 4u);
  EXPECT_EQ(*transport_.sent[1].headers.find("authorization"), "Bearer token-one-1111");
  EXPECT_EQ(*transport_.sent[3].headers.find("authorization"), "Bearer token-two-2222");
  EXPECT_EQ(session_.token(), "token-two-2222");
  EXPECT_EQ(redactor_.text("token-one-1111 token-two-2222"), "*** ***");  // both tokens are secrets
}

TEST_F(SessionTest, AnExpiredTokenIsRenewedBeforeTheRequest) {
  have_token("token-one-1111", 60);  // refreshed 6 s early
  clock_.advance(54'000);
  transport_.script = {answer(200, token_body("token-two-2222")), answer(200, "{}")};
  CallOutcome out = session_.call("queue", get(), client::kApiGet);
  ASSERT_TRUE(out.token_refresh);
  EXPECT_EQ((*out.token_refresh)["reason"], "the token expired (expires_in)");
  EXPECT_EQ(*transport_.sent.back().headers.find("authorization"), "Bearer token-two-2222");
}

TEST_F(SessionTest, TokenFailuresSayWhatWasWrongWithTheAnswer) {
  transport_.script = {refused()};
  auto f = session_.obtain_token("auth");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, TokenFailure::Kind::network);
  transport_.script = {answer(401, R"({"error":"invalid_client"})")};
  EXPECT_EQ(session_.obtain_token("auth")->kind, TokenFailure::Kind::http);
  transport_.script = {answer(200, "<html>login</html>")};
  EXPECT_EQ(session_.obtain_token("auth")->kind, TokenFailure::Kind::not_json);
  transport_.script = {answer(200, R"({"access_token":""})")};
  EXPECT_EQ(session_.obtain_token("auth")->kind, TokenFailure::Kind::no_token);
  EXPECT_TRUE(session_.token().empty());
}

TEST_F(SessionTest, AFailedRefreshEndsTheCallWithTheFailure) {
  have_token("token-one-1111");
  transport_.script = {answer(401, ""), answer(500, "")};
  CallOutcome out = session_.call("queue", get(), client::kApiGet);
  ASSERT_TRUE(out.token_failure);
  EXPECT_EQ(out.token_failure->kind, TokenFailure::Kind::http);
  EXPECT_EQ(out.token_failure->reason, "HTTP 401 on queue");
}

}  // namespace
