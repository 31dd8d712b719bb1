// Data-driven: tests/data/payload-codes.json maps each sample payload (realistic Cognigy
// mistakes) to exactly the set of codes the built-in transfer contract and lints must report.
#include <gtest/gtest.h>

#include <set>

#include "contracts/contract.hpp"
#include "util/file.hpp"

namespace {

const std::string kDir = std::string(HARNESS_SOURCE_DIR) + "/tests/data/payloads/";

std::vector<std::pair<std::string, std::set<std::string>>> table() {
  std::vector<std::pair<std::string, std::set<std::string>>> out;
  auto doc = util::Json::parse(*util::read_file(std::string(HARNESS_SOURCE_DIR) + "/tests/data/payload-codes.json"));
  for (const auto& [file, codes] : doc.items())
    out.emplace_back(file, std::set<std::string>(codes.begin(), codes.end()));
  return out;
}

class PayloadTable : public ::testing::TestWithParam<std::pair<std::string, std::set<std::string>>> {};

TEST_P(PayloadTable, ReportsExactlyTheExpectedCodes) {
  static const std::vector<contracts::Contract> contract = [] {
    std::vector<contracts::Contract> c;
    c.push_back(util::value_or_throw(contracts::load_contract("transfer")));
    return c;
  }();
  const auto& [file, expected] = GetParam();
  auto text = util::read_file(kDir + file);
  ASSERT_TRUE(text) << text.error().message;
  std::set<std::string> got;
  std::string detail;
  for (const auto& v : contracts::check_payload_text(contract, *text)) {
    got.insert(v.code);
    detail += "\n  " + v.code + " " + v.pointer + " " + v.message;
  }
  EXPECT_EQ(got, expected) << file << detail;
}

std::string name(const ::testing::TestParamInfo<std::pair<std::string, std::set<std::string>>>& info) {
  std::string n = info.param.first.substr(0, info.param.first.size() - 5);
  for (auto& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Samples, PayloadTable, ::testing::ValuesIn(table()), name);

}  // namespace

namespace {

// The fast path (simdjson DOM) and the nlohmann path must report the very same violations,
// but DUPLICATE_KEY: nlohmann's DOM keeps one member per key, so only the text path sees it.
TEST(PayloadPaths, FastAndNlohmannPathsAgreeOnEverySample) {
  std::vector<contracts::Contract> contract;
  contract.push_back(util::value_or_throw(contracts::load_contract("transfer")));
  auto doc = util::Json::parse(*util::read_file(std::string(HARNESS_SOURCE_DIR) + "/tests/data/payload-codes.json"));
  int compared = 0;
  for (const auto& [file, _] : doc.items()) {
    auto text = *util::read_file(kDir + file);
    auto parsed = util::Json::parse(text, nullptr, false);
    if (parsed.is_discarded()) continue;
    auto fast = contracts::check_payload_text(contract, text);
    std::erase_if(fast, [](const contracts::Violation& v) { return v.code == "DUPLICATE_KEY"; });
    auto slow = contracts::check_payload(contract, parsed, text.size());
    ASSERT_EQ(fast.size(), slow.size()) << file;
    for (std::size_t i = 0; i < fast.size(); ++i) {
      EXPECT_EQ(fast[i].code, slow[i].code) << file;
      EXPECT_EQ(fast[i].pointer, slow[i].pointer) << file;
      EXPECT_EQ(fast[i].message, slow[i].message) << file;
      EXPECT_EQ(fast[i].hint, slow[i].hint) << file;
    }
    ++compared;
  }
  EXPECT_GE(compared, 20);
}

TEST(PayloadPaths, DeepNestingIsRefusedOnBothPaths) {
  std::vector<contracts::Contract> contract;
  contract.push_back(util::value_or_throw(contracts::load_contract("transfer")));
  auto vs = contracts::check_payload_text(contract, std::string(100000, '['));
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].code, "INVALID_JSON");
  EXPECT_NE(vs[0].message.find("nested deeper than 512"), std::string::npos) << vs[0].message;
}

}  // namespace
