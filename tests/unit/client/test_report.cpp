// The diagnose report's renderings (client/report.*) from a report built by hand: the step table
// and the result for people, the SPEC §2 JSON document, JUnit XML, the --verbose exchange trace;
// every one masks the report's secrets.
#include <gtest/gtest.h>

#include "client/report.hpp"
#include "e2e/xml_check.hpp"
#include "util/redact.hpp"
#include "util/version.hpp"

namespace {

const std::string kSecret = "tok-secret-123456";

client::StepResult step(std::string name, client::StepStatus status, std::string summary,
                        std::optional<int> http = {}) {
  client::StepResult s;
  s.name = std::move(name);
  s.status = status;
  s.summary = std::move(summary);
  s.http_status = http;
  s.duration_ms = 12.5;
  return s;
}

client::DiagnoseReport failed_report() {
  client::DiagnoseReport r;
  r.profile = "v2";
  r.target = "http://cc.test";
  r.executed = true;
  r.classification = "WRAPUP_CODE_NOT_FOUND";
  r.failed_step = "wrapup";
  r.steps.push_back(step("auth", client::StepStatus::ok, "token for " + kSecret, 200));
  r.steps.push_back(step("queue", client::StepStatus::warning, "queue \"Billing <VIP>\" is active", 200));
  auto wrapup = step("wrapup", client::StepStatus::failed, "wrap-up code 9b2f is not in the queue's list", 200);
  wrapup.classification = "WRAPUP_CODE_NOT_FOUND";
  wrapup.evidence = {{"wrapupCodeId", "9b2f"}, {"token", kSecret}};
  r.steps.push_back(wrapup);
  r.steps.push_back(step("transfer", client::StepStatus::skipped, "not attempted: an earlier step failed"));
  r.remediation = {"Pick a wrap-up code from the queue's list", "Or add 9b2f to the queue"};
  r.warnings = {"--redact /x matched nothing"};
  r.redactor.add_secret(kSecret);
  return r;
}

TEST(ReportText, ShowsEveryStepTheResultAndTheNumberedFixes) {
  std::string text = client::render_text(failed_report(), {});
  for (const char* part :
       {"profile v2", "http://cc.test", "execute", "auth", "queue", "wrapup", "transfer", "skipped", "failed",
        "warning", "12.5 ms", "result: WRAPUP_CODE_NOT_FOUND (failed step: wrapup)", "  1. Pick a wrap-up code",
        "  2. Or add 9b2f", "handover-diag explain WRAPUP_CODE_NOT_FOUND", "warning: --redact /x matched nothing"})
    EXPECT_NE(text.find(part), std::string::npos) << part << " in:\n" << text;
  EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
  EXPECT_EQ(text.find('\033'), std::string::npos) << "no colour unless asked";
  // A skipped step shows no time.
  auto line_start = text.find("  transfer");
  auto line = text.substr(line_start, text.find('\n', line_start) - line_start);
  EXPECT_EQ(line.find("ms"), std::string::npos) << line;
}

TEST(ReportText, ColourOnlyWhenAsked) {
  std::string text = client::render_text(failed_report(), {.color = true});
  EXPECT_NE(text.find("\033[31m"), std::string::npos);
  EXPECT_NE(text.find("\033[1;31mWRAPUP_CODE_NOT_FOUND"), std::string::npos);
}

TEST(ReportText, AnOkDryRunShowsTheRequestItWouldSend) {
  client::DiagnoseReport r;
  r.profile = "v2";
  r.target = "http://cc.test";
  r.remediation = {"run again with --execute to send the transfer"};
  auto t = step("transfer", client::StepStatus::ok, "dry run: the transfer is ready");
  t.evidence = {{"dryRun", true},
                {"request",
                 {{"method", "POST"},
                  {"url", "http://cc.test/api/v2/conversations/voice/c/transfer"},
                  {"headers", {{"Authorization", "Bearer ***"}}},
                  {"body", {{"transferType", "blind"}}}}}};
  r.steps.push_back(t);
  std::string text = client::render_text(r, {});
  EXPECT_NE(text.find("request (dry run, not sent; --execute sends it):\n  POST "
                      "http://cc.test/api/v2/conversations/voice/c/transfer\n  Authorization: Bearer ***\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"transferType\": \"blind\""), std::string::npos) << text;
  EXPECT_NE(text.find("result: OK\n  run again with --execute"), std::string::npos) << text;
}

TEST(ReportJson, KeysInSpecOrderAndSecretsMasked) {
  auto doc = client::report_json(failed_report());
  std::vector<std::string> keys;
  for (const auto& [k, _] : doc.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"tool", "version", "schemaVersion", "profile", "target", "execute",
                                            "classification", "failedStep", "steps", "violations", "remediation",
                                            "warnings"}));
  EXPECT_EQ(doc["schemaVersion"], util::kReportSchemaVersion);
  EXPECT_EQ(doc["steps"][0]["httpStatus"], 200);
  EXPECT_TRUE(doc["steps"][3]["httpStatus"].is_null());
  EXPECT_TRUE(doc["steps"][0]["classification"].is_null());
  EXPECT_EQ(doc["steps"][2]["classification"], "WRAPUP_CODE_NOT_FOUND");
  std::string text = client::render_json(failed_report());
  EXPECT_EQ(text.find(kSecret), std::string::npos);
  auto reparsed = util::Json::parse(text);
  EXPECT_EQ(reparsed["steps"][2]["evidence"]["token"], util::kMask);
}

TEST(ReportJunit, OneTestcasePerStepWellFormedAndMasked) {
  std::string xml = client::render_junit(failed_report());
  EXPECT_EQ(e2e::xml_problem(xml), "") << xml;
  EXPECT_NE(xml.find("tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure type=\"WRAPUP_CODE_NOT_FOUND\""), std::string::npos);
  EXPECT_NE(xml.find("<skipped message=\"not attempted"), std::string::npos);
  EXPECT_NE(xml.find("<system-out>warning: queue &quot;Billing &lt;VIP&gt;&quot; is active</system-out>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("fix:\n  1. Pick a wrap-up code"), std::string::npos) << xml;
  EXPECT_EQ(xml.find(kSecret), std::string::npos);
}

TEST(ReportExchange, CredentialsMaskedAndLongBodiesCut) {
  client::Exchange x;
  x.step = "auth";
  x.attempt = 2;
  x.note = "after HTTP 429";
  x.request.method = "POST";
  x.request.url = "http://cc.test/oauth/token";
  x.request.headers.add("Authorization", "Basic dXNlcjpwYXNz");
  x.request.headers.add("Content-Type", "application/x-www-form-urlencoded");
  x.request.body = "grant_type=client_credentials&client_secret=s3cr3t-value";
  util::Redactor redactor;
  std::string sent = client::render_exchange(x, false, redactor);
  EXPECT_NE(sent.find("* auth, attempt 2 (after HTTP 429)\n> POST http://cc.test/oauth/token\n"), std::string::npos)
      << sent;
  EXPECT_NE(sent.find("> Authorization: Basic ***"), std::string::npos) << sent;
  EXPECT_EQ(sent.find("dXNlcjpwYXNz"), std::string::npos);
  EXPECT_EQ(sent.find("s3cr3t-value"), std::string::npos) << "a credential form field is masked by name";
  EXPECT_NE(sent.find("client_secret=***&grant_type=client_credentials"), std::string::npos) << sent;

  x.result.response =
      util::HttpResponse{200, {}, R"({"access_token":")" + kSecret + R"(","pad":")" + std::string(200, 'x') + "\"}"};
  x.result.response->headers.add("Set-Cookie", "session=abc");
  x.duration_ms = 3.25;
  redactor.add_secret(kSecret);
  std::string answered = client::render_exchange(x, true, redactor, 64);
  EXPECT_NE(answered.find("< 200 OK (3.2 ms)"), std::string::npos) << answered;
  EXPECT_NE(answered.find("< Set-Cookie: ***"), std::string::npos) << answered;
  EXPECT_EQ(answered.find(kSecret), std::string::npos) << answered;
  EXPECT_NE(answered.find("bytes)"), std::string::npos) << "a body past max_body is cut and its size given";
}

TEST(ReportExchange, ANetworkErrorIsOneLine) {
  client::Exchange x;
  x.step = "queue";
  x.result.error = client::NetworkError{client::NetworkErrorKind::refused, "connection refused"};
  std::string out = client::render_exchange(x, true, util::Redactor{});
  EXPECT_EQ(out.substr(0, 2), "! ");
  EXPECT_NE(out.find("connection refused"), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
}

}  // namespace
