// End to end, handover-diag flows: the test Cognigy project as a CLI clone and as its package zip
// (tests/data/cognigy), static findings with codes and locations, cases rendered with Cognigy's
// semantics and checked against the profile's contract, every report format, bad inputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

#include "e2e_support.hpp"
#include "process.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

const std::string kCognigy = std::string(HARNESS_SOURCE_DIR) + "/tests/data/cognigy";
const std::string kClone = kCognigy + "/clone";
const std::string kZip = kCognigy + "/billing-bot.package.zip";
const std::string kCases = kCognigy + "/cases.json";

util::Json flows_json(const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {kDiag, "flows"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.insert(argv.end(), {"--format", "json"});
  auto r = run(argv);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  return util::Json::parse(r.out);
}

using NodeKey = std::tuple<std::string, std::string, std::string, std::string, bool>;

std::set<NodeKey> handover_keys(const util::Json& doc) {
  std::set<NodeKey> out;
  for (const auto& h : doc["handovers"])
    out.insert({h["flow"].get<std::string>(), h["locale"].get<std::string>(), h["id"].get<std::string>(),
                h["kind"].get<std::string>(), h["disabled"].get<bool>()});
  return out;
}

std::multiset<std::tuple<std::string, std::string, std::string>> finding_keys(const util::Json& doc) {
  std::multiset<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& f : doc["findings"])
    out.insert({f["code"].get<std::string>(), f["severity"].get<std::string>(), f["node"]["id"].get<std::string>()});
  return out;
}

const util::Json* finding(const util::Json& doc, const std::string& code, const std::string& locale) {
  for (const auto& f : doc["findings"])
    if (f["code"] == code && f["node"]["locale"] == locale) return &f;
  return nullptr;
}

}  // namespace

TEST(Flows, FindsEveryHandoverNodeOfTheCloneAndItsZipTwin) {
  auto clone = flows_json({kClone});
  auto zip = flows_json({kZip});
  EXPECT_EQ(clone["kind"], "clone");
  EXPECT_EQ(zip["kind"], "package");
  auto keys = handover_keys(clone);
  EXPECT_EQ(keys.size(), 12u);  // 6 per locale: 2 exit, 1 signal, 2 HTTP (CXone, Genesys), 1 built-in
  EXPECT_EQ(keys, handover_keys(zip));
  EXPECT_EQ(finding_keys(clone), finding_keys(zip));  // the same findings from either artefact
  std::map<std::string, int> kinds;
  int disabled = 0;
  for (const auto& h : clone["handovers"]) {
    ++kinds[h["kind"].get<std::string>()];
    disabled += h["disabled"].get<bool>();
  }
  EXPECT_EQ(kinds["cxone-exit-interaction"], 4);
  EXPECT_EQ(kinds["cxone-signal-interaction"], 2);
  EXPECT_EQ(kinds["http-request"], 4);  // the weather call is no handover
  EXPECT_EQ(kinds["handover-to-agent"], 2);
  EXPECT_EQ(disabled, 2);
  for (const auto& h : clone["handovers"])
    if (h["label"] == "Genesys replace/queue") {
      EXPECT_EQ(h["profile"], "genesys");
    }
  // One chart.json alone, and the flows/ folder, are read too.
  EXPECT_EQ(flows_json({kClone + "/flows/Signals/en-US/chart.json"})["handovers"].size(), 4u);
  EXPECT_EQ(handover_keys(flows_json({kClone + "/flows"})), keys);
}

TEST(Flows, StaticFindingsHaveTheirCodeAndTheLineOfTheField) {
  auto doc = flows_json({kClone});
  std::string de_billing = kClone + "/flows/Billing/de-DE/chart.json";
  const auto* action = finding(doc, "FLOW_INVALID_ACTION", "de-DE");
  ASSERT_NE(action, nullptr) << doc.dump(2);
  EXPECT_EQ((*action)["where"],
            util::where(de_billing, *util::read_file(de_billing), "/nodes/3/config/action"));  // the field's own line
  EXPECT_EQ(finding(doc, "FLOW_INVALID_ACTION", "en-US"), nullptr);                            // "Escalate" in en-US
  for (const char* code : {"FLOW_TEMPLATE_SYNTAX", "FLOW_UNSET_VARIABLE", "FLOW_TOO_MANY_SIGNAL_PARAMS",
                           "FLOW_PARAMS_NOT_ARRAY", "FLOW_NAME_NOT_ID", "FLOW_HARDCODED_CONTACT_ID"})
    EXPECT_NE(finding(doc, code, "en-US"), nullptr) << code;
  // The disabled node's problem is said, as a warning: it is not what the bot runs.
  const auto* off = finding(doc, "FLOW_PARAMS_NOT_ARRAY", "en-US");
  EXPECT_EQ((*off)["severity"], "warning");
  EXPECT_TRUE((*off)["node"]["disabled"].get<bool>());
  // Written paths are not reported: context.contactId (Code node, bracket form), context.skillId;
  // an unwritten one is, once per field that reads it.
  for (const auto& f : doc["findings"]) {
    std::string m = f["message"];
    EXPECT_EQ(m.find("context.contactId is read"), std::string::npos) << m;
    EXPECT_EQ(m.find("context.skillId is read"), std::string::npos) << m;
  }
  EXPECT_NE(doc.dump().find("context.loyalty.tier is read"), std::string::npos);
}

TEST(Flows, CasesRenderTheWayCognigyDoesAndAreCheckedAgainstTheContract) {
  auto doc = flows_json({kClone, "--cases", kCases});
  int seen = 0;
  for (const auto& c : doc["cases"]) {
    EXPECT_TRUE(c["passed"].get<bool>()) << c.dump(2);
    if (c["case"] != "billing dispute") continue;
    ++seen;
    // p1 in the query, the optional parameters as one JSON string in p2; context.loyalty.tier
    // does not resolve, so its key is dropped, not sent empty.
    EXPECT_EQ(c["request"]["query"]["p1"], "Escalate");
    auto p2 = util::Json::parse(c["request"]["body"]["p2"].get<std::string>());
    EXPECT_EQ(p2, util::Json::parse(
                      R"([{"intent": "billing_dispute", "customerName": "Jane Customer", "skill": "6368531"}])"));
    EXPECT_EQ(c["request"]["url"], "…/interactions/704893313/signal?p1=Escalate");  // the spawned contact
  }
  EXPECT_EQ(seen, 1);  // the node is labelled "Eskalieren" in de-DE
  EXPECT_EQ(doc["cases"].size(), 7u);
}

TEST(Flows, ACaseWhosePayloadBreaksTheContractFails) {
  TempDir dir;
  std::ofstream(dir.path / "cases.json") << R"([{"name": "release candidate", "node": "Signal via HTTP",
    "context": {"handover": {"intent": ""}, "contactId": "704893312"}}])";
  auto r = run({kDiag, "flows", kClone, "--cases", (dir.path / "cases.json").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAIL  case \"release candidate\" Signals/en-US \"Signal via HTTP\" (c0000004): "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("QUEUE_NAME_NOT_ID"), std::string::npos);
  // A text field renders an undefined path as "": the token header goes out as "Bearer ".
  auto doc = flows_json({kClone, "--cases", (dir.path / "cases.json").string()});
  EXPECT_EQ(doc["cases"][0]["request"]["headers"]["Authorization"], "Bearer ");
  // A token the case fills in is masked in every report.
  std::ofstream(dir.path / "token.json") << R"([{"name": "t", "node": "Signal via HTTP",
    "context": {"cxoneToken": "canary-token-4f1e", "contactId": "1"}}])";
  auto masked = run({kDiag, "flows", kClone, "--cases", (dir.path / "token.json").string(), "--format", "json"});
  EXPECT_EQ(masked.out.find("canary-token-4f1e"), std::string::npos);
  EXPECT_NE(masked.out.find("\"Authorization\": \"Bearer ***\""), std::string::npos) << masked.out;
  EXPECT_EQ(doc["cases"][0]["request"]["body"]["p4"], R"({"intent":""})");
  EXPECT_FALSE(doc["ok"].get<bool>());
}

TEST(Flows, ReportsInJunitAndSarifPointAtTheChartOrTheZipEntry) {
  TempDir dir;
  auto r = run({kDiag, "flows", kZip, "--cases", kCases, "--junit", (dir.path / "flows.xml").string(), "--sarif",
                (dir.path / "flows.sarif").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // the project carries deliberate errors
  auto sarif = util::Json::parse(*util::read_file(dir.path / "flows.sarif"));
  bool zip_entry = false;
  for (const auto& res : sarif["runs"][0]["results"]) {
    std::string uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    if (res["ruleId"] == "FLOW_INVALID_ACTION") {
      EXPECT_EQ(uri, kZip + "!nodeData/b0000004.json");
      EXPECT_GT(res["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>(), 1);
      zip_entry = true;
    }
  }
  EXPECT_TRUE(zip_entry) << sarif.dump(2);
  std::string junit = *util::read_file(dir.path / "flows.xml");
  // 12 nodes, and 8 cases: a package labels a node once for every locale, so "billing dispute"
  // finds it in both.
  EXPECT_NE(junit.find("<testsuite name=\"flows\" tests=\"20\" failures=\"5\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("FLOW_TOO_MANY_SIGNAL_PARAMS"), std::string::npos);
}

TEST(Flows, TheTextReportAsPrinted) {
  auto r = run({kDiag, "flows", kClone + "/flows/Billing/en-US/chart.json"});
  EXPECT_EQ(r.exit_code, 0) << r.out;  // warnings, no error
  std::string chart = kClone + "/flows/Billing/en-US/chart.json";
  EXPECT_NE(r.out.find("handover-diag flows " + chart + " (chart: 1 flow(s), 4 node(s) across locales)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  FLOW     LOCALE  NODE                 ID        KIND                    PROFILE  WHERE\n"
                       "  Billing  en-US   Escalate to billing  b0000004  cxone-exit-interaction  cxone    " +
                       chart + ":45:9\n"),
            std::string::npos)
      << r.out;
  // context.loyalty.tier, and input.data.spawnedContactId (it must come with the channel).
  EXPECT_NE(r.out.find("1 handover node(s) (0 disabled), 0 error(s), 2 warning(s)\n"), std::string::npos) << r.out;
}

TEST(Flows, WhatIsNotAProjectIsAUsageErrorOnOneLine) {
  TempDir dir;
  auto none = run({kDiag, "flows", dir.path.string()});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err, "handover-diag: " + dir.path.string() +
                          ": no flows/<Flow>/<locale>/chart.json (a Cognigy-CLI clone: cognigy clone)\n");
  std::ofstream(dir.path / "broken.zip") << "PK not really";
  auto zip = run({kDiag, "flows", (dir.path / "broken.zip").string()});
  EXPECT_EQ(zip.exit_code, 2);
  EXPECT_NE(zip.err.find("broken.zip: not a readable package zip"), std::string::npos) << zip.err;
  std::ofstream(dir.path / "cases.json") << "[{\"name\": \"a\", \"contxt\": {}}]";
  auto cases = run({kDiag, "flows", kClone, "--cases", (dir.path / "cases.json").string()});
  EXPECT_EQ(cases.exit_code, 2);
  EXPECT_EQ(cases.err,
            "handover-diag: --cases " + (dir.path / "cases.json").string() + ":1:16: unknown key \"contxt\"\n");
}
