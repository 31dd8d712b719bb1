// diagnose with the HTTP transport mocked (GoogleMock) and a fake clock: no sockets, no sleeping.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "client/diagnose.hpp"
#include "client/report.hpp"
#include "fakes.hpp"
#include "util/strings.hpp"

using ::testing::_;
using ::testing::AllOf;
using ::testing::AnyNumber;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Return;

namespace {

using client_fakes::answer;
using client_fakes::FakeClock;
using client_fakes::network;

class MockTransport : public client::Transport {
 public:
  MOCK_METHOD(client::TransportResult, send, (const client::OutgoingRequest&), (override));
};

const std::string kBase = "http://cxone.test";
const std::string kConv = "3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47";
const std::string kQueue = "7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13";
const std::string kWrap = "9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e";
const std::string kSecret = "unit-secret-0042";
const std::string kToken = "tok-abcdef-123456";

auto url_has(const std::string& part) { return Field(&client::OutgoingRequest::url, HasSubstr(part)); }
auto method_is(const std::string& m) { return Field(&client::OutgoingRequest::method, m); }

const std::string kTokenBody = R"({"access_token":")" + kToken + R"(","token_type":"bearer","expires_in":86399,
  "scope":"conversations:read conversations:modify routing:read"})";
const std::string kConvBody =
    R"({"id":"c","state":"active","legs":[{"participants":[{"purpose":"bot","address":{"name":"Bot"}},
  {"purpose":"customer","address":{"name":"Jane Customer"}}]}]})";
const std::string kQueueBody =
    R"({"id":"q","name":"Billing Support","state":"active","memberCount":3,"joinedMemberCount":1})";
const std::string kWrapBody = R"({"entities":[{"id":")" + kWrap + R"(","name":"Resolved"}],"pageCount":1})";

class DiagnoseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalogue_ = std::make_unique<contracts::Catalogue>(util::value_or_throw(contracts::Catalogue::builtin()));
    profile_ = std::make_unique<client::Profile>(util::value_or_throw(client::load_profile("v2")));
    contracts_.push_back(util::value_or_throw(contracts::load_contract("transfer")));
    cfg_.client_id = "client";
    cfg_.client_secret = kSecret;
    cfg_.base_url = kBase;
    cfg_.conversation_id = kConv;
    cfg_.queue_id = kQueue;
    cfg_.wrapup_id = kWrap;
  }

  void reads_ok() {
    // Calls the test does not single out are allowed; the ones it does are checked by their own EXPECT_CALL.
    EXPECT_CALL(transport_, send(_)).Times(::testing::AnyNumber());
    ON_CALL(transport_, send(url_has("/oauth/token"))).WillByDefault(Return(answer(200, kTokenBody)));
    ON_CALL(transport_, send(url_has("/api/v2/conversations/" + kConv))).WillByDefault(Return(answer(200, kConvBody)));
    ON_CALL(transport_, send(url_has("/routing/queues/" + kQueue))).WillByDefault(Return(answer(200, kQueueBody)));
    ON_CALL(transport_, send(url_has("/wrapupcodes"))).WillByDefault(Return(answer(200, kWrapBody)));
  }

  client::DiagnoseReport run() {
    client::DiagnoseContext ctx{transport_, clock_, *catalogue_, *profile_, contracts_, options_};
    return client::run_diagnose(cfg_, ctx);
  }

  static client::DiagnoseOptions fixed_jitter(double j) {
    client::DiagnoseOptions o;
    o.jitter = [j] { return j; };
    return o;
  }

  static const client::StepResult& step(const client::DiagnoseReport& r, const std::string& name) {
    for (const auto& s : r.steps)
      if (s.name == name) return s;
    throw std::runtime_error("no step " + name);
  }

  ::testing::NiceMock<MockTransport> transport_;
  FakeClock clock_;
  std::unique_ptr<contracts::Catalogue> catalogue_;
  std::unique_ptr<client::Profile> profile_;
  std::vector<contracts::Contract> contracts_;
  client::Config cfg_;
  client::DiagnoseOptions options_ = fixed_jitter(1.0);  // full backoff: waits are exact
};

}  // namespace

TEST_F(DiagnoseTest, DryRunPassesEveryStepAndSendsNoTransfer) {
  reads_ok();
  EXPECT_CALL(transport_, send(url_has("/transfer"))).Times(0);
  auto r = run();
  EXPECT_EQ(r.classification, "OK");
  EXPECT_EQ(r.steps.size(), 7u);
  EXPECT_EQ(step(r, "transfer").evidence["dryRun"], true);
  // Without --payload the body is built the tutorial's way: customer name from the conversation.
  EXPECT_EQ(step(r, "transfer").evidence["request"]["body"]["contextData"]["customerName"], "Jane Customer");
  EXPECT_EQ(client::exit_code_for(r), 0);
}

TEST_F(DiagnoseTest, Transfer422IsWrapupCodeNotFoundAndSentOnce) {
  reads_ok();
  cfg_.execute = true;
  EXPECT_CALL(transport_, send(AllOf(method_is("POST"), url_has("/conversations/voice/" + kConv + "/transfer"))))
      .WillOnce(Return(answer(422, R"({"message":"Wrap-up Code Not Found","code":"wrapup.code.not.found"})")));
  auto r = run();
  EXPECT_EQ(r.classification, "WRAPUP_CODE_NOT_FOUND");
  EXPECT_EQ(r.failed_step, "transfer");
  EXPECT_EQ(step(r, "transfer").evidence["errorBody"]["code"], "wrapup.code.not.found");
  EXPECT_EQ(client::exit_code_for(r), 1);
}

TEST_F(DiagnoseTest, TransferPostIsNeverRetried) {
  reads_ok();
  cfg_.execute = true;
  util::Headers h;
  h.add("Retry-After", "30");
  EXPECT_CALL(transport_, send(url_has("/transfer"))).Times(1).WillOnce(Return(answer(503, "{}", h)));
  auto r = run();
  EXPECT_EQ(r.classification, "SERVER_ERROR");
  EXPECT_TRUE(clock_.slept.empty());
}

TEST_F(DiagnoseTest, Transfer429ReportsRetryAfterWithoutRetrying) {
  reads_ok();
  cfg_.execute = true;
  util::Headers h;
  h.add("Retry-After", "30");
  EXPECT_CALL(transport_, send(url_has("/transfer"))).Times(1).WillOnce(Return(answer(429, "{}", h)));
  auto r = run();
  EXPECT_EQ(r.classification, "RATE_LIMITED");
  EXPECT_EQ(step(r, "transfer").evidence["retryAfter"], "30");
}

TEST_F(DiagnoseTest, Get429HonoursRetryAfterOnTheFakeClock) {
  reads_ok();
  util::Headers h;
  h.add("Retry-After", "2");
  EXPECT_CALL(transport_, send(Field(&client::OutgoingRequest::url, ::testing::EndsWith("/routing/queues/" + kQueue))))
      .WillOnce(Return(answer(429, "{}", h)))
      .WillOnce(Return(answer(200, kQueueBody)));
  auto r = run();
  EXPECT_EQ(r.classification, "OK");
  EXPECT_EQ(clock_.slept, std::vector<double>{2000});
  EXPECT_EQ(step(r, "queue").evidence["attempts"].size(), 2u);
}

TEST_F(DiagnoseTest, PersistentServerErrorOnAGetIsRetriedThenServerError) {
  reads_ok();
  EXPECT_CALL(transport_, send(url_has("/api/v2/conversations/" + kConv)))
      .Times(3)
      .WillRepeatedly(Return(answer(503, "")));
  auto r = run();
  EXPECT_EQ(r.classification, "SERVER_ERROR");
  EXPECT_EQ(r.failed_step, "conversation");
  EXPECT_EQ(clock_.slept, (std::vector<double>{250, 500}));
}

TEST_F(DiagnoseTest, TokenRefusedIsAuthFailedAndApiStepsAreSkipped) {
  EXPECT_CALL(transport_, send(url_has("/oauth/token")))
      .WillOnce(Return(answer(401, R"({"error":"invalid_client","error_description":"bad secret"})")));
  EXPECT_CALL(transport_, send(url_has("/api/"))).Times(0);
  auto r = run();
  EXPECT_EQ(r.classification, "AUTH_FAILED");
  EXPECT_EQ(step(r, "conversation").status, client::StepStatus::skipped);
  EXPECT_EQ(step(r, "payload").status, client::StepStatus::ok) << "the offline check still runs";
  EXPECT_THAT(step(r, "auth").summary, HasSubstr("bad secret"));
}

TEST_F(DiagnoseTest, QueueNameIsCaughtBeforeAnyQueueCall) {
  reads_ok();
  cfg_.queue_id = "Billing Support";
  EXPECT_CALL(transport_, send(url_has("/routing/queues"))).Times(0);
  auto r = run();
  EXPECT_EQ(r.classification, "INVALID_TRANSFER_TARGET");
  EXPECT_EQ(r.failed_step, "queue");
  EXPECT_THAT(step(r, "queue").summary, HasSubstr("a queue name where an ID belongs"));
}

TEST_F(DiagnoseTest, PayloadIdsAreCheckedAndDifferentFlagsWarn) {
  reads_ok();
  cfg_.queue_id = "11111111-1111-4111-8111-111111111111";
  cfg_.payload_text = R"({"transferTo":{"type":"queue","id":")" + kQueue + R"("},"transferType":"blind",
    "wrapupCode":{"id":")" +
                      kWrap + R"("},"contextData":{"intent":"billing"}})";
  auto r = run();
  EXPECT_EQ(r.classification, "OK");
  EXPECT_EQ(step(r, "config").status, client::StepStatus::warning);
  EXPECT_EQ(step(r, "queue").evidence["queueId"], kQueue);
}

TEST_F(DiagnoseTest, ScopeListWarnsWhichStepWillBeRefused) {
  reads_ok();
  ON_CALL(transport_, send(url_has("/oauth/token")))
      .WillByDefault(
          Return(answer(200, R"({"access_token":"t0k3n-value","scope":"conversations:read routing:read"})")));
  auto r = run();
  EXPECT_EQ(step(r, "auth").status, client::StepStatus::warning);
  EXPECT_THAT(step(r, "auth").summary,
              HasSubstr("token lacks conversations:modify: the transfer step will be refused"));
}

TEST_F(DiagnoseTest, EndedConversationIsAlreadyWrappedUp) {
  reads_ok();
  ON_CALL(transport_, send(url_has("/api/v2/conversations/" + kConv)))
      .WillByDefault(Return(answer(200, R"({"id":"c","state":"terminated"})")));
  auto r = run();
  EXPECT_EQ(r.classification, "CONVERSATION_ALREADY_WRAPPED_UP");
  EXPECT_EQ(r.failed_step, "conversation");
  EXPECT_EQ(step(r, "transfer").status, client::StepStatus::skipped);
}

TEST_F(DiagnoseTest, BodyBreakingTheResponseContractNamesTheField) {
  reads_ok();
  ON_CALL(transport_, send(url_has("/routing/queues/" + kQueue)))
      .WillByDefault(Return(answer(200, R"({"id":"q","name":"Billing Support","status":"active"})")));
  auto r = run();
  EXPECT_EQ(r.classification, "MALFORMED_RESPONSE");
  EXPECT_EQ(r.failed_step, "queue");
  EXPECT_THAT(step(r, "queue").summary,
              HasSubstr("breaks v2-queue-response: required property \"state\" is missing at /state"));
  EXPECT_EQ(step(r, "queue").evidence["responseViolations"][0]["pointer"], "/state");
}

TEST_F(DiagnoseTest, HtmlLoginPageIsMalformedResponse) {
  reads_ok();
  util::Headers h;
  h.add("Content-Type", "text/html");
  ON_CALL(transport_, send(url_has("/api/v2/conversations/" + kConv)))
      .WillByDefault(Return(answer(200, "<html><body>Sign in</body></html>", h)));
  auto r = run();
  EXPECT_EQ(r.classification, "MALFORMED_RESPONSE");
  EXPECT_THAT(step(r, "conversation").summary, HasSubstr("HTML"));
}

TEST_F(DiagnoseTest, WrapupCodeOnASecondPageIsFound) {
  reads_ok();
  EXPECT_CALL(transport_, send(url_has("pageNumber=1")))
      .WillOnce(Return(answer(200, R"({"entities":[{"id":"x","name":"Other"}],"pageCount":2})")));
  EXPECT_CALL(transport_, send(url_has("pageNumber=2"))).WillOnce(Return(answer(200, kWrapBody)));
  auto r = run();
  EXPECT_EQ(r.classification, "OK");
  EXPECT_EQ(step(r, "wrapup").evidence["page"], 2);
}

TEST_F(DiagnoseTest, EveryNetworkErrorKindIsNetworkErrorWithItsSubKind) {
  for (auto kind :
       {client::NetworkErrorKind::dns, client::NetworkErrorKind::refused, client::NetworkErrorKind::connect_timeout,
        client::NetworkErrorKind::timeout, client::NetworkErrorKind::tls_handshake,
        client::NetworkErrorKind::certificate, client::NetworkErrorKind::reset,
        client::NetworkErrorKind::empty_response, client::NetworkErrorKind::other}) {
    ::testing::NiceMock<MockTransport> t;
    ON_CALL(t, send(_)).WillByDefault(Return(network(kind)));
    client::DiagnoseContext ctx{t, clock_, *catalogue_, *profile_, contracts_};
    auto r = client::run_diagnose(cfg_, ctx);
    EXPECT_EQ(r.classification, "NETWORK_ERROR");
    EXPECT_EQ(step(r, "auth").evidence["networkError"]["kind"], client::network_error_kind_name(kind));
    EXPECT_FALSE(step(r, "auth").evidence["remediation"].empty()) << "the failed step carries its fix";
  }
}

TEST_F(DiagnoseTest, MissingCredentialsAreConfigErrorWithoutAnyCall) {
  cfg_.client_secret.clear();
  EXPECT_CALL(transport_, send(_)).Times(0);
  auto r = run();
  EXPECT_EQ(r.classification, "CONFIG_ERROR");
  EXPECT_EQ(client::exit_code_for(r), 2);
}

TEST_F(DiagnoseTest, EveryConfigProblemIsShownWithItsOwnFix) {
  cfg_.client_id.clear();
  cfg_.base_url = "api.example.com";  // no scheme
  cfg_.conversation_id.clear();
  EXPECT_CALL(transport_, send(_)).Times(0);
  auto r = run();
  EXPECT_EQ(r.classification, "CONFIG_ERROR");
  ASSERT_EQ(r.remediation.size(), 3u);
  EXPECT_NE(r.remediation[0].find("full URL with its scheme"), std::string::npos) << r.remediation[0];
  EXPECT_NE(r.remediation[1].find("Set CXONE_CLIENT_ID"), std::string::npos) << r.remediation[1];
  EXPECT_NE(r.remediation[2].find("Set TEST_CONVERSATION_ID"), std::string::npos) << r.remediation[2];
  std::string text = client::render_text(r, {});
  EXPECT_EQ(text.find("more)"), std::string::npos) << text;
  for (const char* problem : {"1. base URL \"api.example.com\" must start with http:// or https://",
                              "2. CXONE_CLIENT_ID is not set", "3. TEST_CONVERSATION_ID is not set"})
    EXPECT_NE(text.find(problem), std::string::npos) << problem << "\n" << text;
  EXPECT_EQ(text.find("Set CXONE_CLIENT_ID and CXONE_CLIENT_SECRET"), std::string::npos)
      << "the catalogue's generic fix for a bad base URL:\n"
      << text;
  // No conversation given: the step says so instead of judging an empty ID.
  EXPECT_EQ(text.find("\"\" is not a conversation ID"), std::string::npos) << text;
  EXPECT_NE(step(r, "conversation").summary.find("no conversation ID given"), std::string::npos)
      << step(r, "conversation").summary;
}

TEST_F(DiagnoseTest, SecretsNeverAppearInRenderedReports) {
  reads_ok();
  cfg_.execute = true;
  // A hostile server echoing the credentials back in an error body.
  EXPECT_CALL(transport_, send(url_has("/transfer")))
      .WillOnce(Return(answer(400, R"({"message":"bad token )" + kToken + " secret " + kSecret + R"("})")));
  auto r = run();
  for (const auto& out : {client::render_text(r, {}), client::render_json(r)}) {
    EXPECT_EQ(out.find(kSecret), std::string::npos);
    EXPECT_EQ(out.find(kToken), std::string::npos);
    EXPECT_NE(out.find("***"), std::string::npos);
  }
}

// ---- token lifecycle ----------------------------------------------------------------------

TEST_F(DiagnoseTest, A401OnAGetRefreshesTheTokenOnceAndRetries) {
  reads_ok();
  EXPECT_CALL(transport_, send(url_has("/oauth/token")))
      .WillOnce(Return(answer(200, kTokenBody)))
      .WillOnce(Return(answer(200, R"({"access_token":"tok-second-777777","expires_in":3600})")));
  EXPECT_CALL(transport_, send(Field(&client::OutgoingRequest::url, ::testing::EndsWith("/routing/queues/" + kQueue))))
      .WillOnce(Return(answer(401, R"({"message":"token expired","code":"bad.credentials"})")))
      .WillOnce(::testing::Invoke([](const client::OutgoingRequest& req) {
        // The retried GET carries the new token.
        EXPECT_EQ(req.headers.get("Authorization"), "Bearer tok-second-777777");
        return answer(200, kQueueBody);
      }));
  auto r = run();
  EXPECT_EQ(r.classification, "OK");
  const auto& attempts = step(r, "queue").evidence["attempts"];
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0]["status"], 401);
  EXPECT_EQ(attempts[0]["then"], "refreshed the token");
  EXPECT_EQ(step(r, "queue").evidence["tokenRefresh"]["reason"], "HTTP 401 on queue");
  EXPECT_TRUE(clock_.slept.empty()) << "a refresh is not a backoff";
}

TEST_F(DiagnoseTest, A401AfterTheRefreshIsAuthFailedWithBothAttempts) {
  reads_ok();
  EXPECT_CALL(transport_, send(url_has("/oauth/token"))).Times(2).WillRepeatedly(Return(answer(200, kTokenBody)));
  EXPECT_CALL(transport_, send(url_has("/api/v2/conversations/" + kConv)))
      .Times(2)
      .WillRepeatedly(Return(answer(401, R"({"message":"Invalid token","code":"authentication.required"})")));
  auto r = run();
  EXPECT_EQ(r.classification, "AUTH_FAILED");
  EXPECT_EQ(r.failed_step, "conversation");
  const auto& s = step(r, "conversation");
  EXPECT_EQ(s.evidence["attempts"].size(), 2u);
  EXPECT_EQ(s.evidence["attempts"][1]["status"], 401);
  EXPECT_THAT(s.summary, HasSubstr("still refused after one token refresh"));
}

TEST_F(DiagnoseTest, AnExpiredTokenIsRefreshedBeforeTheCall) {
  reads_ok();
  EXPECT_CALL(transport_, send(url_has("/oauth/token")))
      .WillOnce(Return(answer(200, R"({"access_token":"short-lived-1111","expires_in":2})")))
      .WillOnce(Return(answer(200, R"({"access_token":"fresh-token-2222","expires_in":3600})")));
  util::Headers h;
  h.add("Retry-After", "5");  // the wait outlives the 2 s token
  EXPECT_CALL(transport_, send(Field(&client::OutgoingRequest::url, ::testing::EndsWith("/routing/queues/" + kQueue))))
      .WillOnce(Return(answer(429, "{}", h)))
      .WillOnce(::testing::Invoke([](const client::OutgoingRequest& req) {
        EXPECT_EQ(req.headers.get("Authorization"), "Bearer fresh-token-2222");
        return answer(200, kQueueBody);
      }));
  auto r = run();
  EXPECT_EQ(r.classification, "OK");
  EXPECT_EQ(step(r, "queue").evidence["tokenRefresh"]["reason"], "the token expired (expires_in)");
}

TEST_F(DiagnoseTest, ARefusedRefreshIsAuthFailedNamingTheRefresh) {
  reads_ok();
  EXPECT_CALL(transport_, send(url_has("/oauth/token")))
      .WillOnce(Return(answer(200, kTokenBody)))
      .WillOnce(Return(answer(401, R"({"error":"invalid_client","error_description":"client disabled"})")));
  ON_CALL(transport_, send(url_has("/api/v2/conversations/" + kConv))).WillByDefault(Return(answer(401, "{}")));
  auto r = run();
  EXPECT_EQ(r.classification, "AUTH_FAILED");
  EXPECT_EQ(r.failed_step, "conversation");
  EXPECT_THAT(step(r, "conversation").summary,
              HasSubstr("token refresh (HTTP 401 on conversation) failed: HTTP 401: client disabled"));
}

TEST_F(DiagnoseTest, ATransfer401IsNotResentEvenWithANewToken) {
  reads_ok();
  cfg_.execute = true;
  EXPECT_CALL(transport_, send(url_has("/oauth/token"))).Times(1).WillOnce(Return(answer(200, kTokenBody)));
  EXPECT_CALL(transport_, send(url_has("/transfer"))).Times(1).WillOnce(Return(answer(401, "{}")));
  auto r = run();
  EXPECT_EQ(r.classification, "AUTH_FAILED");
  EXPECT_THAT(step(r, "transfer").evidence["notRetried"].get<std::string>(), HasSubstr("never re-sent"));
}

// ---- retries ------------------------------------------------------------------------------

TEST_F(DiagnoseTest, RetryAfterAsAnHttpDateIsHonoured) {
  reads_ok();
  util::Headers h;
  // FakeClock's wall time is 1,795,000,001,000 ms = Wed, 18 Nov 2026 11:06:41 GMT; ask for 19 s later.
  h.add("Retry-After", "Wed, 18 Nov 2026 11:07:00 GMT");
  EXPECT_CALL(transport_, send(Field(&client::OutgoingRequest::url, ::testing::EndsWith("/routing/queues/" + kQueue))))
      .WillOnce(Return(answer(503, "{}", h)))
      .WillOnce(Return(answer(200, kQueueBody)));
  auto r = run();
  EXPECT_EQ(r.classification, "OK");
  ASSERT_EQ(clock_.slept.size(), 1u);
  EXPECT_NEAR(clock_.slept[0], 19000, 1);
}

TEST(RetryAfter, SecondsDatesAndGarbage) {
  util::HttpResponse r;
  r.headers.add("Retry-After", "120");
  EXPECT_EQ(client::retry_after_ms(r, 0), 120000);
  util::HttpResponse d;
  d.headers.add("Retry-After", "Thu, 01 Jan 1970 00:01:00 GMT");
  EXPECT_EQ(client::retry_after_ms(d, 30000), 30000);
  EXPECT_EQ(client::retry_after_ms(d, 90000), 0) << "a date in the past means now";
  util::HttpResponse obsolete;
  obsolete.headers.add("Retry-After", "Thursday, 01-Jan-70 00:00:10 GMT");
  EXPECT_EQ(client::retry_after_ms(obsolete, 0), 10000);
  util::HttpResponse bad;
  bad.headers.add("Retry-After", "soon");
  EXPECT_FALSE(client::retry_after_ms(bad, 0));
  EXPECT_FALSE(client::retry_after_ms(util::HttpResponse{}, 0));
}

TEST_F(DiagnoseTest, ARetryAfterBeyondTheCapIsReportedNotWaited) {
  reads_ok();
  util::Headers h;
  h.add("Retry-After", "3600");
  EXPECT_CALL(transport_, send(Field(&client::OutgoingRequest::url, ::testing::EndsWith("/routing/queues/" + kQueue))))
      .Times(1)
      .WillOnce(Return(answer(429, "{}", h)));
  auto r = run();
  EXPECT_EQ(r.classification, "RATE_LIMITED");
  EXPECT_TRUE(clock_.slept.empty());
  EXPECT_THAT(step(r, "queue").evidence["attempts"][0]["gaveUp"].get<std::string>(), HasSubstr("3600 s"));
  EXPECT_EQ(step(r, "queue").evidence["retryAfter"], "3600");
}

TEST_F(DiagnoseTest, BackoffIsCappedAndJittered) {
  reads_ok();
  options_ = fixed_jitter(0.0);  // the fixed half of each backoff
  options_.max_get_attempts = 6;
  options_.backoff_cap_ms = 1000;
  EXPECT_CALL(transport_, send(url_has("/api/v2/conversations/" + kConv)))
      .Times(6)
      .WillRepeatedly(Return(answer(502, "")));
  auto r = run();
  EXPECT_EQ(r.classification, "SERVER_ERROR");
  EXPECT_EQ(clock_.slept, (std::vector<double>{125, 250, 500, 500, 500}));
}

TEST_F(DiagnoseTest, TheRetryBudgetStopsRetrying) {
  reads_ok();
  options_.max_get_attempts = 10;
  options_.retry_budget_ms = 5000;
  util::Headers h;
  h.add("Retry-After", "2");
  EXPECT_CALL(transport_, send(url_has("/api/v2/conversations/" + kConv)))
      .Times(3)
      .WillRepeatedly(Return(answer(503, "{}", h)));
  auto r = run();
  EXPECT_EQ(r.classification, "SERVER_ERROR");
  EXPECT_EQ(clock_.slept, (std::vector<double>{2000, 2000}));
  EXPECT_THAT(step(r, "conversation").evidence["attempts"][2]["gaveUp"].get<std::string>(), HasSubstr("budget of 5 s"));
}

TEST_F(DiagnoseTest, ConnectFailuresAreRetriedButDnsErrorsAreNot) {
  reads_ok();
  EXPECT_CALL(transport_, send(url_has("/api/v2/conversations/" + kConv)))
      .WillOnce(Return(network(client::NetworkErrorKind::refused)))
      .WillOnce(Return(network(client::NetworkErrorKind::connect_timeout)))
      .WillOnce(Return(answer(200, kConvBody)));
  EXPECT_EQ(run().classification, "OK");

  ::testing::NiceMock<MockTransport> t;
  EXPECT_CALL(t, send(_)).Times(1).WillOnce(Return(network(client::NetworkErrorKind::dns)));
  client::DiagnoseContext ctx{t, clock_, *catalogue_, *profile_, contracts_, options_};
  auto r = client::run_diagnose(cfg_, ctx);
  EXPECT_EQ(r.classification, "NETWORK_ERROR");
  EXPECT_EQ(step(r, "auth").evidence["networkError"]["kind"], "dns");
}

// ---- evidence, tracing and redaction ------------------------------------------------------

TEST_F(DiagnoseTest, EveryExchangeIsRecordedAndTracedInOrder) {
  reads_ok();
  std::vector<std::string> trace;
  client::DiagnoseContext ctx{transport_, clock_, *catalogue_, *profile_, contracts_, options_};
  ctx.trace = [&](const client::Exchange& x, bool done, const util::Redactor& red) {
    trace.push_back((done ? "< " : "> ") + x.step + " " + red.text(x.request.headers.get("Authorization")));
  };
  auto r = client::run_diagnose(cfg_, ctx);
  ASSERT_EQ(r.exchanges.size(), 4u);
  EXPECT_EQ(r.exchanges[0].step, "auth");
  EXPECT_EQ(r.exchanges[3].step, "wrapup");
  ASSERT_EQ(trace.size(), 8u);
  EXPECT_EQ(trace[2], "> conversation Bearer ***") << "the token is masked by the time it is sent";
  for (const auto& line : trace) EXPECT_EQ(line.find(kToken), std::string::npos);
}

TEST_F(DiagnoseTest, RedactPointersMaskCustomerDataInEveryReport) {
  reads_ok();
  cfg_.redact_pointers = {"/legs/*/participants/*/address/name", "/contextData/customerName"};
  auto r = run();
  EXPECT_EQ(r.classification, "OK");
  for (const auto& out : {client::render_text(r, {}), client::render_json(r)}) {
    EXPECT_EQ(out.find("Jane Customer"), std::string::npos) << out;
  }
}

// ---- profile cxone ------------------------------------------------------------------------

namespace {

std::string jwt(const std::string& claims) {
  return util::base64_encode(R"({"alg":"RS256"})") + "." + util::base64_encode(claims) + ".c2lnbmF0dXJl";
}

class CxoneTest : public DiagnoseTest {
 protected:
  void SetUp() override {
    DiagnoseTest::SetUp();
    *profile_ = util::value_or_throw(client::load_profile("cxone"));
    contracts_.clear();
    contracts_.push_back(util::value_or_throw(contracts::load_contract("cxone-signal")));
    cfg_.base_url = "";  // real URLs: discovery decides
    cfg_.access_key_id = "AKID-1234567";
    cfg_.access_key_secret = "ak-secret-9876543";
    cfg_.conversation_id = "704893312";
    cfg_.queue_id = "6368531";
    cfg_.wrapup_id = "8812";
  }

  void tenant_ok() {
    EXPECT_CALL(transport_, send(_)).Times(AnyNumber());
    ON_CALL(transport_, send(url_has("/.well-known/openid-configuration")))
        .WillByDefault(Return(answer(200, R"({"issuer":"https://cxone.niceincontact.com",
          "token_endpoint":"https://cxone.niceincontact.com/auth/token"})")));
    ON_CALL(transport_, send(url_has("/auth/token")))
        .WillByDefault(
            Return(answer(200, R"({"access_token":"cx-access-31415926","token_type":"Bearer","expires_in":3600,
          "refresh_token":"cx-refresh-27182818","id_token":")" +
                                   jwt(R"({"tenantId":"11eb0358-8b12-4c0f-9a5e-000000000001"})") + "\"}")));
    ON_CALL(transport_, send(url_has("/.well-known/cxone-configuration?tenantId=11eb0358")))
        .WillByDefault(Return(answer(200, R"({"api_endpoint":"https://api-na1.niceincontact.com","area":"na1"})")));
    ON_CALL(transport_, send(url_has("/contacts/active")))
        .WillByDefault(Return(
            answer(200, R"({"activeContacts":[{"contactId":704893312,"stateName":"Active","skillId":6368531}]})")));
    ON_CALL(transport_, send(url_has("/skills/6368531")))
        .WillByDefault(
            Return(answer(200, R"({"skills":[{"skillId":6368531,"skillName":"Billing Voice","isActive":true}]})")));
    ON_CALL(transport_, send(url_has("/skills/6368531/dispositions")))
        .WillByDefault(Return(
            answer(200, R"({"totalRecords":1,"dispositions":[{"dispositionId":8812,"dispositionName":"Resolved"}]})")));
  }
};

}  // namespace

TEST_F(CxoneTest, DiscoversTheTenantAndSendsTheSignalWithP1InTheQuery) {
  tenant_ok();
  cfg_.execute = true;
  EXPECT_CALL(transport_, send(AllOf(method_is("POST"), url_has("/auth/token"))))
      .WillOnce(::testing::Invoke([](const client::OutgoingRequest& req) {
        EXPECT_EQ(req.headers.get("Authorization"), "Basic " + util::base64_encode("client:" + kSecret));
        EXPECT_THAT(req.body, HasSubstr("grant_type=password&username=AKID-1234567&password=ak-secret-9876543"));
        return answer(200, R"({"access_token":"cx-access-31415926","expires_in":3600,"id_token":")" +
                               jwt(R"({"tenantId":"11eb0358-8b12-4c0f-9a5e-000000000001"})") + "\"}");
      }));
  EXPECT_CALL(transport_,
              send(AllOf(method_is("POST"), url_has("https://api-na1.niceincontact.com/inContactAPI/services/v30.0/"
                                                    "interactions/704893312/signal?p1=Escalate"))))
      .WillOnce(::testing::Invoke([](const client::OutgoingRequest& req) {
        auto body = util::Json::parse(req.body);
        EXPECT_FALSE(body.contains("p1"));
        EXPECT_EQ(body["p2"], "6368531");
        EXPECT_EQ(util::Json::parse(body["p4"].get<std::string>())["intent"], "agent_handover");
        return answer(202, "");
      }));
  auto r = run();
  EXPECT_EQ(r.classification, "OK") << client::render_text(r, {});
  EXPECT_EQ(step(r, "auth").evidence["discovery"]["api_endpoint"], "https://api-na1.niceincontact.com");
  EXPECT_EQ(step(r, "wrapup").evidence["name"], "Resolved");
  for (const auto& out : {client::render_text(r, {}), client::render_json(r)}) {
    for (const char* secret : {"AKID-1234567", "ak-secret-9876543", "cx-access-31415926", "cx-refresh-27182818"})
      EXPECT_EQ(out.find(secret), std::string::npos) << secret;
  }
}

TEST_F(CxoneTest, AContactNoLongerListedIsAlreadyWrappedUp) {
  tenant_ok();
  ON_CALL(transport_, send(url_has("/contacts/active"))).WillByDefault(Return(answer(204, "")));
  auto r = run();
  EXPECT_EQ(r.classification, "CONVERSATION_ALREADY_WRAPPED_UP");
  EXPECT_THAT(step(r, "conversation").summary, HasSubstr("not among the 0 active contacts"));
}

TEST_F(CxoneTest, AnInactiveSkillIsAnInvalidTarget) {
  tenant_ok();
  ON_CALL(transport_, send(url_has("/skills/6368531")))
      .WillByDefault(
          Return(answer(200, R"({"skills":[{"skillId":6368531,"skillName":"Billing Voice","isActive":false}]})")));
  auto r = run();
  EXPECT_EQ(r.classification, "INVALID_TRANSFER_TARGET");
  EXPECT_THAT(step(r, "queue").summary, HasSubstr("\"Billing Voice\" is inactive"));
}

TEST_F(CxoneTest, ASkillNameInTheSignalIsCaughtBeforeAnyCall) {
  tenant_ok();
  cfg_.payload_text = R"({"p1":"Escalate","p2":"Billing Voice","p3":"8812","p4":"{\"intent\":\"billing\"}"})";
  EXPECT_CALL(transport_, send(url_has("/skills/"))).Times(0);
  auto r = run();
  EXPECT_EQ(r.classification, "INVALID_TRANSFER_TARGET");
  ASSERT_FALSE(r.violations.empty());
  EXPECT_EQ(r.violations[0].code, "QUEUE_NAME_NOT_ID");
}

TEST_F(CxoneTest, WithABaseUrlEveryDiscoveredUrlIsRebased) {
  tenant_ok();
  cfg_.base_url = "http://127.0.0.1:9";
  EXPECT_CALL(transport_, send(url_has("niceincontact.com"))).Times(0);
  auto r = run();
  EXPECT_EQ(r.classification, "OK");
  EXPECT_EQ(step(r, "auth").evidence["discovery"]["apiRoot"], "http://127.0.0.1:9/inContactAPI/services/v30.0");
}
