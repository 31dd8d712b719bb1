#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "contracts/contract.hpp"

namespace {

std::vector<contracts::Contract> transfer() {
  std::vector<contracts::Contract> out;
  out.push_back(util::value_or_throw(contracts::load_contract("transfer")));
  return out;
}

const char* kValid = R"({"transferTo":{"type":"queue","id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},
  "transferType":"blind","wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},
  "contextData":{"intent":"billing","customerName":"Jane","confidence":0.9,"timestamp":"2026-11-20T14:04:52Z",
  "language":"en-US","customKey":"kept"}})";

bool has(const std::vector<contracts::Violation>& vs, const std::string& code, const std::string& ptr) {
  for (const auto& v : vs)
    if (v.code == code && v.pointer == ptr) return true;
  return false;
}

}  // namespace

TEST(Contract, BuiltInTransferContractAcceptsAValidPayload) {
  auto vs = contracts::check_payload_text(transfer(), kValid);
  EXPECT_TRUE(vs.empty()) << vs[0].code << " " << vs[0].pointer << " " << vs[0].message;
}

TEST(Contract, QueueNameInTransferToIsQueueNameNotId) {
  auto doc = util::Json::parse(kValid);
  doc["transferTo"]["id"] = "Billing Support";
  auto vs = contracts::check_payload(transfer(), doc, 100);
  EXPECT_TRUE(has(vs, "QUEUE_NAME_NOT_ID", "/transferTo/id"));
}

TEST(Contract, NestedObjectInContextDataIsRejected) {
  auto doc = util::Json::parse(kValid);
  doc["contextData"]["customer"] = {{"name", "Jane"}};
  EXPECT_TRUE(has(contracts::check_payload(transfer(), doc, 100), "SCHEMA_TYPE", "/contextData/customer"));
}

TEST(Contract, UnrenderedTemplateIsLinted) {
  auto doc = util::Json::parse(kValid);
  doc["contextData"]["customerName"] = "{{ context.customer.name }}";
  auto vs = contracts::check_payload(transfer(), doc, 100);
  ASSERT_TRUE(has(vs, "UNRESOLVED_TEMPLATE", "/contextData/customerName"));
  // Ordinary braces are not templates.
  doc["contextData"]["customerName"] = "Jane {VIP}";
  EXPECT_FALSE(has(contracts::check_payload(transfer(), doc, 100), "UNRESOLVED_TEMPLATE", "/contextData/customerName"));
}

TEST(Contract, SizeLimitComesFromTheContract) {
  auto vs = contracts::check_payload(transfer(), util::Json::parse(kValid), 40000);
  EXPECT_TRUE(has(vs, "PAYLOAD_TOO_LARGE", ""));
  EXPECT_FALSE(has(contracts::check_payload(transfer(), util::Json::parse(kValid), 30000), "PAYLOAD_TOO_LARGE", ""));
}

TEST(Contract, InvalidJsonGivesLineAndColumn) {
  auto vs = contracts::check_payload_text(transfer(), "{\n  \"transferTo\": ,\n}");
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].code, "INVALID_JSON");
  EXPECT_EQ(vs[0].line, 2u);
  EXPECT_EQ(vs[0].column, 17u);
  EXPECT_NE(vs[0].message.find("line 2, column 17"), std::string::npos) << vs[0].message;
}

TEST(Contract, UnknownContractNameListsTheBuiltIns) {
  auto c = contracts::load_contract("transfre");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("transfer"), std::string::npos);
}

TEST(Contract, DuplicateKeysAreFoundOnceEachInSmallAndLargeObjectsAtEveryDepth) {
  // Past 16 keys the lint switches from pairwise comparison to a table per depth: both must find
  // every repeated key exactly once, wherever it is.
  auto object = [](int keys, const std::vector<int>& repeats, const std::string& nested) {
    std::string text = "{";
    auto member = [&](int k, int value) {
      if (text.size() > 1) text.append(",");
      text.append("\"k").append(std::to_string(k)).append("\":").append(std::to_string(value));
    };
    for (int i = 0; i < keys; ++i) member(i, i);
    for (int r : repeats) member(r, 0);
    if (!nested.empty()) text.append(",\"inner\":").append(nested);
    return text.append("}");
  };
  for (int keys : {3, 16, 17, 40, 1500}) {
    std::string inner = object(keys, {keys - 1, 0, keys - 1}, object(keys, {1 % keys}, ""));
    std::string text = R"({"transferTo":{"type":"queue","id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},"transferType":"blind",)"
                       R"("wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},"contextData":{"intent":"x"},"x":)" +
                       inner + "}";
    std::multiset<std::string> dups;
    for (const auto& v : contracts::check_payload_text(transfer(), text))
      if (v.code == "DUPLICATE_KEY") dups.insert(v.pointer);
    std::multiset<std::string> want = {"/x/k" + std::to_string(keys - 1), "/x/k0", "/x/inner/k" + std::to_string(1 % keys)};
    EXPECT_EQ(dups, want) << keys << " keys";
  }
}
