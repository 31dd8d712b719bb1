// End to end, handover-diag validate: files, folders, .jsonl (streamed, stdin), the report
// formats with positions, overlay contracts, no false positives on the bundled payloads.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <httplib.h>

#include "e2e_support.hpp"
#include "process.hpp"
#include "support/tls_cert.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"
#include "xml_check.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

// ---- validate (SPEC §2) --------------------------------------------------------------------

TEST(Validate, ValidPayloadExits0) {
  auto r = e2e::run({kDiag, "validate", kPayloads + "/valid-full.json"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("1 passed, 0 failed"), std::string::npos);
}

// How many sample payloads are valid and invalid, from the table of their expected codes.
std::pair<std::size_t, std::size_t> sample_counts() {
  auto table = util::Json::parse(*util::read_file(std::string(HARNESS_SOURCE_DIR) + "/tests/data/payload-codes.json"));
  std::size_t valid = 0, invalid = 0;
  for (const auto& [_, codes] : table.items()) (codes.empty() ? valid : invalid) += 1;
  return {valid, invalid};
}

TEST(Validate, DirectoryReportsEveryViolationGroupedPerFile) {
  auto r = e2e::run({kDiag, "validate", kPayloads, "--jobs", "2"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAIL  " + kPayloads + "/queue-display-name.json\n      QUEUE_NAME_NOT_ID"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("/transferTo/id (" + kPayloads + "/queue-display-name.json:4:5)"), std::string::npos) << r.out;
  auto [valid, invalid] = sample_counts();
  ASSERT_GE(invalid, 20u);
  EXPECT_NE(r.out.find(std::to_string(valid) + " passed, " + std::to_string(invalid) + " failed"), std::string::npos)
      << r.out;
}

TEST(Validate, JsonReportGivesEachViolationTheLineAndColumnTextAndSarifShow) {
  const std::string file = kPayloads + "/queue-display-name.json";
  auto json = e2e::run({kDiag, "validate", file, "--format", "json"});
  auto text = e2e::run({kDiag, "validate", file});
  auto doc = util::Json::parse(json.out);
  const auto& v = doc["results"][0]["violations"][0];
  EXPECT_EQ(v["code"], "QUEUE_NAME_NOT_ID");
  EXPECT_EQ(v["line"], 4);
  EXPECT_EQ(v["column"], 5);
  EXPECT_NE(text.out.find("(" + file + ":4:5)"), std::string::npos) << text.out;
}

TEST(Validate, JsonlReportsTheLineOfEachPayload) {
  TempDir dir;
  auto good = *util::read_file(kPayloads + "/valid-minimal.json");
  auto bad = *util::read_file(kPayloads + "/missing-intent.json");
  auto flat = [](const std::string& t) { return util::Json::parse(t).dump(); };
  std::ofstream(dir.path / "batch.jsonl") << flat(good) << "\n"
                                          << flat(bad) << "\n\n"
                                          << "{oops\n";
  auto r = e2e::run({kDiag, "validate", (dir.path / "batch.jsonl").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1);
  auto doc = util::Json::parse(r.out);
  ASSERT_EQ(doc["results"].size(), 3u);
  EXPECT_EQ(doc["results"][0]["line"], 1);
  EXPECT_EQ(doc["results"][0]["valid"], true);
  EXPECT_EQ(doc["results"][1]["line"], 2);
  EXPECT_EQ(doc["results"][1]["violations"][0]["code"], "SCHEMA_REQUIRED");
  EXPECT_EQ(doc["results"][2]["line"], 4);
  EXPECT_EQ(doc["results"][2]["violations"][0]["code"], "INVALID_JSON");
}

TEST(Validate, ALargeJsonlIsStreamedInBlocksWithEveryLineNumberAndTotalRight) {
  // About 24 MB of JSON Lines: read in blocks of whole lines (lines cross the 2 MB blocks, which
  // the reader reuses once their payloads are done),
  // validated batch by batch, the reports streamed (the spill to a temporary file is covered by
  // the unit test ValidateReport.SpilledPartsComeBackInOrder). Every planted bad line must be reported at its own line,
  // blank lines skipped but counted, the last line read without a trailing newline, totals right, and the report files
  // the same documents as standard output.
  TempDir dir;
  auto good = util::Json::parse(*util::read_file(kPayloads + "/valid-minimal.json"));
  std::mt19937 rng(3);
  std::set<std::size_t> bad_lines;
  std::size_t payloads = 0, line = 0, bytes = 0;
  {
    std::ofstream out(dir.path / "big.jsonl");
    while (bytes < (24u << 20)) {
      ++line;
      std::string row;
      if (rng() % 50 == 0) {
        row = "";  // blank: skipped, still a line
      } else if (rng() % 40 == 0) {
        row = "{\"transferTo\": oops";
        bad_lines.insert(line);
      } else {
        auto p = good;
        p["contextData"]["note"] = std::string(rng() % 1200, 'x');
        row = p.dump();
      }
      if (!row.empty()) ++payloads;
      bytes += row.size() + 1;
      out << row << "\n";
    }
    ++line;
    ++payloads;
    bad_lines.insert(line);
    out << "{\"last\": \"line, no newline\"";
  }
  auto r = e2e::run({kDiag, "validate", (dir.path / "big.jsonl").string(), "--format", "json", "--jobs", "2", "--junit",
                     (dir.path / "r.xml").string(), "--json", (dir.path / "r.json").string()});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["payloads"], payloads);
  EXPECT_EQ(doc["invalid"], bad_lines.size());
  std::set<std::size_t> reported;
  std::size_t previous = 0;
  for (const auto& res : doc["results"]) {
    std::size_t at = res["line"];
    EXPECT_GT(at, previous) << "results in file order";
    previous = at;
    if (!res["valid"].get<bool>()) reported.insert(at);
  }
  EXPECT_EQ(reported, bad_lines);
  EXPECT_EQ(*util::read_file(dir.path / "r.json"), r.out);
  EXPECT_EQ(nlohmann::ordered_json::parse(r.out).dump(2) + "\n", r.out);
  auto junit = *util::read_file(dir.path / "r.xml");
  EXPECT_NE(
      junit.find("tests=\"" + std::to_string(payloads) + "\" failures=\"" + std::to_string(bad_lines.size()) + "\""),
      std::string::npos);
}

TEST(Validate, StreamedReportsAreExactlyTheDocumentsAJsonLibraryWrites) {
  // The JSON and SARIF reports are written piece by piece; parsing and dumping them again with
  // nlohmann (keys in their order, two-space indent) must give back the same bytes, for every
  // sample payload (control characters, broken UTF-8, templates, stringified JSON...).
  for (const char* format : {"json", "sarif"}) {
    auto r = e2e::run({kDiag, "validate", kPayloads, "--format", format});
    ASSERT_EQ(r.exit_code, 1) << r.err;
    auto doc = nlohmann::ordered_json::parse(r.out);
    EXPECT_EQ(doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n", r.out) << format;
  }
}

TEST(Validate, JsonlOnStdinIsStreamedToo) {
  TempDir dir;
  auto good = util::Json::parse(*util::read_file(kPayloads + "/valid-minimal.json")).dump();
  {
    std::ofstream out(dir.path / "in.jsonl");
    for (int i = 0; i < 3000; ++i) out << (i == 2999 ? "{bad" : good) << "\n";
  }
  auto r = e2e::run({"/bin/sh", "-c", kDiag + " validate - --jsonl < " + (dir.path / "in.jsonl").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAIL  -:3000\n      INVALID_JSON"), std::string::npos) << r.out.substr(r.out.size() - 500);
  EXPECT_NE(r.out.find("2999 passed, 1 failed"), std::string::npos);
}

TEST(Validate, StdinIsRead) {
  TempDir dir;
  // The process helper gives the child /dev/null as stdin; use a shell redirect instead.
  auto r = e2e::run({"/bin/sh", "-c", kDiag + " validate - < " + kPayloads + "/template-left-in.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("UNRESOLVED_TEMPLATE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL  -"), std::string::npos);
}

TEST(Validate, OverlayContractsAllHoldAndSayWhichFailed) {
  TempDir dir;
  std::ofstream(dir.path / "my-ivr.schema.json") << R"({"$schema":"http://json-schema.org/draft-07/schema#",
    "properties":{"contextData":{"required":["transferReason","customerId"]}}})";
  auto r = e2e::run({kDiag, "validate", kPayloads + "/valid-full.json", "--contract", "transfer", "--contract",
                     (dir.path / "my-ivr.schema.json").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["contracts"], util::Json::array({"transfer", "my-ivr"}));
  const auto& vs = doc["results"][0]["violations"];
  ASSERT_EQ(vs.size(), 2u);
  for (const auto& v : vs) EXPECT_EQ(v["contract"], "my-ivr");
  EXPECT_EQ(vs[0]["pointer"], "/contextData/transferReason");
  EXPECT_EQ(vs[1]["pointer"], "/contextData/customerId");
}

TEST(Validate, OverlayMayRefTheBuiltInContractByUri) {
  TempDir dir;
  std::ofstream(dir.path / "strict.schema.json") << R"({"allOf":[
    {"$ref":"https://contracts.handover-harness.local/transfer.schema.json"},
    {"properties":{"contextData":{"required":["customerName"]}}}]})";
  auto r = e2e::run({kDiag, "validate", kPayloads + "/valid-minimal.json", "--contract",
                     (dir.path / "strict.schema.json").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["results"][0]["violations"][0]["pointer"], "/contextData/customerName");
}

TEST(Validate, JunitIsWellFormedXml) {
  auto r = e2e::run({kDiag, "validate", kPayloads, "--format", "junit"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(e2e::xml_problem(r.out), "") << r.out;
  auto [valid, invalid] = sample_counts();
  EXPECT_NE(
      r.out.find("tests=\"" + std::to_string(valid + invalid) + "\" failures=\"" + std::to_string(invalid) + "\""),
      std::string::npos);
  EXPECT_NE(r.out.find("<failure type=\"INVALID_JSON\""), std::string::npos);
}

TEST(Validate, SarifLocatesEachViolationInItsFile) {
  auto r = e2e::run({kDiag, "validate", kPayloads + "/queue-display-name.json", kPayloads + "/trailing-comma.json",
                     "--format", "sarif"});
  EXPECT_EQ(r.exit_code, 1);
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["version"], "2.1.0");
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "handover-diag");
  bool has_rule = false;
  for (const auto& rule : run["tool"]["driver"]["rules"]) has_rule = has_rule || rule["id"] == "QUEUE_NAME_NOT_ID";
  EXPECT_TRUE(has_rule);
  ASSERT_EQ(run["results"].size(), 2u);
  const auto& first = run["results"][0];
  EXPECT_EQ(first["ruleId"], "QUEUE_NAME_NOT_ID");
  const auto& loc = first["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], kPayloads + "/queue-display-name.json");
  EXPECT_EQ(loc["region"]["startLine"], 4);
  EXPECT_EQ(run["results"][1]["ruleId"], "INVALID_JSON");
  EXPECT_EQ(run["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
}

TEST(Validate, MissingFileOrContractIsExit2) {
  auto r = e2e::run({kDiag, "validate", "/nonexistent/p.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/p.json: no such file or directory"), std::string::npos) << r.err;
  auto c = e2e::run({kDiag, "validate", kPayloads + "/valid-full.json", "--contract", "transfre"});
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("neither a built-in contract"), std::string::npos) << c.err;
}

// No false positives: every payload in the bundled scenarios that is not meant to be wrong is valid.
TEST(Validate, NoFalsePositivesOnTheFixturesValidPayloads) {
  int checked = 0;
  for (const auto& f : bundled_scenarios()) {
    auto doc = util::Json::parse(*util::read_file(f));
    if (!doc["inputs"].contains("payload")) continue;
    if (doc["expect"].contains("violations")) continue;  // deliberately broken payloads
    TempDir dir;
    std::ofstream(dir.path / "p.json") << doc["inputs"]["payload"].dump(2);
    // Each payload against its profile's contract (v2: transfer, cxone: cxone-signal).
    std::string profile = doc.value("profile", "v2");
    auto r = e2e::run({kDiag, "validate", "--profile", profile, (dir.path / "p.json").string()});
    EXPECT_EQ(r.exit_code, 0) << f << "\n" << r.out;
    ++checked;
  }
  EXPECT_GE(checked, 10);
}
