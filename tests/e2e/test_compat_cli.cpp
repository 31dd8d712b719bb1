// End to end, handover-diag compat: breaking schema changes, identical contracts, payload samples.
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

// ---- compat (SPEC §2) ----------------------------------------------------------------------

TEST(Compat, BreakingSchemaChangeExits1WithOneLinePerFinding) {
  TempDir dir;
  std::ofstream(dir.path / "next.schema.json") << R"({"$schema":"http://json-schema.org/draft-07/schema#",
    "allOf":[{"$ref":"https://contracts.handover-harness.local/transfer.schema.json"}],
    "properties":{"transferType":{"enum":["blind"]}},"required":["transferTo"]})";
  auto r = e2e::run({kDiag, "compat", "transfer", (dir.path / "next.schema.json").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto doc = util::Json::parse(r.out);
  EXPECT_EQ(doc["kind"], "schema");
  // The overlay composes the built-in contract: only the narrowed enum is a change.
  ASSERT_EQ(doc["breaking"], 1) << r.out;
  EXPECT_EQ(doc["compatible"], 0) << r.out;
  EXPECT_EQ(doc["findings"][0]["kind"], "enum-value-removed");
  EXPECT_EQ(doc["findings"][0]["pointer"], "/transferType");
}

TEST(Compat, IdenticalContractsExit0) {
  auto r = e2e::run({kDiag, "compat", "transfer", "transfer"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("0 breaking, 0 compatible changes"), std::string::npos) << r.out;
}

TEST(Compat, PayloadSamplesReportRenames) {
  auto r = e2e::run({kDiag, "compat", kPayloads + "/valid-full.json", kPayloads + "/pascal-case-key.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("BREAKING    /contextData/customerName  key \"customerName\" renamed to \"CustomerName\""),
            std::string::npos)
      << r.out;
}

TEST(Compat, SchemaAgainstSampleIsAUsageError) {
  auto r = e2e::run({kDiag, "compat", "transfer", kPayloads + "/valid-full.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("use --kind"), std::string::npos) << r.err;
}

// A schema inside an API description compares as any contract: 2018's Queue against today's
// (Genesys extracts), the same definition against itself, and a definition that is not there.
TEST(Compat, DefinitionsInsideApiDescriptionsCompare) {
  const std::string swagger =
      std::string(HARNESS_SOURCE_DIR) + "/tests/data/genesys/platform-api-2018-03-21.subset.swagger.json";
  const std::string current =
      std::string(HARNESS_SOURCE_DIR) + "/tests/data/genesys/current-definitions.python-sdk-257.1.0.json";
  auto same = e2e::run({kDiag, "compat", swagger + "#/definitions/Queue", swagger + "#/definitions/Queue"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  auto drift = e2e::run({kDiag, "compat", swagger + "#/definitions/Queue", current + "#/definitions/Queue"});
  EXPECT_EQ(drift.exit_code, 1) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("/memberGroups"), std::string::npos) << drift.out;
  auto missing = e2e::run({kDiag, "compat", swagger + "#/definitions/Nope", current + "#/definitions/Queue"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("#/definitions/Nope: no schema there"), std::string::npos) << missing.err;
}
