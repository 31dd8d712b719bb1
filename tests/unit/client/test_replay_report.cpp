// Replay reports (client/replay_report.*) from outcomes built by hand: the text lines and totals,
// the JSON document, JUnit XML and the HTML page; each scenario masked with its own secrets;
// markup escaped; the streamed report equal to the whole-list one.
#include <gtest/gtest.h>

#include "client/replay_report.hpp"
#include "e2e/xml_check.hpp"

namespace {

client::ScenarioOutcome outcome(std::string name, bool passed, std::string expected, std::string actual) {
  client::ScenarioOutcome o;
  o.name = std::move(name);
  o.file = "fixtures/" + o.name + ".json";
  o.passed = passed;
  o.expected = std::move(expected);
  o.actual = std::move(actual);
  o.duration_ms = 4.0;
  o.report.profile = "v2";
  o.report.classification = o.actual;
  client::StepResult s;
  s.name = "auth";
  s.status = client::StepStatus::ok;
  s.summary = "token obtained";
  o.report.steps.push_back(s);
  return o;
}

std::vector<client::ScenarioOutcome> outcomes() {
  std::vector<client::ScenarioOutcome> v;
  v.push_back(outcome("auth-ok", true, "OK", "OK"));
  auto failed = outcome("queue-<paused>", false, "QUEUE_PAUSED@queue", "OK");
  failed.differences = {"classification: expected QUEUE_PAUSED, got OK & nothing failed"};
  failed.report.steps[0].summary = "token secret-token-77 obtained";
  failed.report.redactor.add_secret("secret-token-77");
  v.push_back(failed);
  auto broken = outcome("bad-profile", false, "OK", "");
  broken.input_error = "profile \"nope\": neither a built-in profile nor a file";
  v.push_back(broken);
  return v;
}

TEST(ReplayReportText, OneLinePerScenarioAndTheTotals) {
  std::string text = client::render_replay_text(outcomes(), false);
  EXPECT_NE(text.find("auth-ok"), std::string::npos) << text;
  EXPECT_NE(text.find("queue-<paused>"), std::string::npos) << text;
  EXPECT_NE(text.find("QUEUE_PAUSED@queue"), std::string::npos) << text;
  EXPECT_NE(text.find("1 passed, 2 failed\n"), std::string::npos) << text;
  EXPECT_EQ(text.find('\033'), std::string::npos);
  EXPECT_NE(client::render_replay_text(outcomes(), true).find('\033'), std::string::npos);
}

TEST(ReplayReportJson, ADocumentWithEveryScenarioMasked) {
  std::string text = client::render_replay_json(outcomes());
  EXPECT_EQ(text.find("secret-token-77"), std::string::npos);
  auto doc = util::Json::parse(text);
  EXPECT_EQ(doc["command"], "replay");
  EXPECT_EQ(doc["passed"], 1);
  EXPECT_EQ(doc["failed"], 2);
  ASSERT_EQ(doc["scenarios"].size(), 3u);
  EXPECT_EQ(doc["scenarios"][1]["report"]["steps"][0]["summary"], "token *** obtained");
  EXPECT_EQ(doc["scenarios"][2]["error"], "profile \"nope\": neither a built-in profile nor a file");
  EXPECT_FALSE(doc["scenarios"][2].contains("report"));
  // No scenario at all is still one JSON document.
  auto empty = util::Json::parse(client::render_replay_json({}));
  EXPECT_TRUE(empty["scenarios"].empty());
}

TEST(ReplayReportJunit, WellFormedWithFailuresAndErrorsApart) {
  std::string xml = client::render_replay_junit(outcomes());
  EXPECT_EQ(e2e::xml_problem(xml), "") << xml;
  EXPECT_NE(xml.find("tests=\"3\" failures=\"1\" errors=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"queue-&lt;paused&gt;\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("got OK &amp; nothing failed"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<error message=\"profile &quot;nope&quot;"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("secret-token-77"), std::string::npos);
}

TEST(ReplayReportHtml, FailuresFirstEscapedAndMasked) {
  std::string html = client::render_replay_html(outcomes());
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find("<title>handover-diag replay: 1 passed, 2 failed</title>"), std::string::npos);
  EXPECT_EQ(html.find("queue-<paused>"), std::string::npos) << "a scenario name is escaped";
  EXPECT_NE(html.find("queue-&lt;paused&gt;"), std::string::npos);
  EXPECT_EQ(html.find("secret-token-77"), std::string::npos);
  // The index lists failures before passes.
  auto index_end = html.find("</tbody>");
  auto failed_row = html.find("queue-&lt;paused&gt;");
  auto passed_row = html.find("auth-ok");
  ASSERT_LT(failed_row, index_end);
  EXPECT_LT(failed_row, passed_row);
}

TEST(ReplayReportStream, WrittenPartByPartItEqualsTheWholeListRendering) {
  for (const char* format : {"text", "json", "junit"}) {
    auto list = outcomes();
    client::ReplayReport report(format, false, 14, 18);
    std::string streamed;
    auto sink = [&](std::string_view t) -> util::Status {
      streamed.append(t);
      return {};
    };
    for (const auto& o : list) ASSERT_TRUE(report.add(o));
    ASSERT_TRUE(report.finish(sink));
    std::string whole = std::string(format) == "json"    ? client::render_replay_json(list)
                        : std::string(format) == "junit" ? client::render_replay_junit(list)
                                                         : client::render_replay_text(list, false);
    EXPECT_EQ(streamed, whole) << format;
  }
}

TEST(ReplayReportStream, AFailedWriteIsReturned) {
  client::ReplayReport report("junit", false, 8, 8);
  ASSERT_TRUE(report.add(outcomes()[0]));
  auto st = report.finish([](std::string_view) -> util::Status { return util::make_error("disk full"); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "disk full");
}

}  // namespace
