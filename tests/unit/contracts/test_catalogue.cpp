#include <gtest/gtest.h>

#include "contracts/catalogue.hpp"
#include "contracts/codes.hpp"

#include <set>
#include <string>

namespace {

const contracts::Catalogue& cat() {
  static const contracts::Catalogue c = util::value_or_throw(contracts::Catalogue::builtin());
  return c;
}

std::string classify(const std::string& step, int status, const std::string& body) {
  util::Json parsed = util::Json::parse(body, nullptr, false);
  auto m = cat().classify(step, status, parsed.is_discarded() ? nullptr : &parsed, body);
  return m ? m->code : "UNCLASSIFIED";
}

}  // namespace

TEST(Classifier, Transfer422IsWrapupCodeNotFound) {
  EXPECT_EQ(classify("transfer", 422, R"({"message":"Wrap-up Code Not Found","status":422})"), "WRAPUP_CODE_NOT_FOUND");
}

TEST(Classifier, Transfer422NamingContextDataIsPayloadMismatch) {
  EXPECT_EQ(classify("transfer", 422, R"({"message":"contextData.intent must not be empty"})"),
            "PAYLOAD_SCHEMA_MISMATCH");
}

TEST(Classifier, TheTutorialsFourDocumentedErrors) {
  EXPECT_EQ(classify("transfer", 400, R"({"message":"Invalid Transfer Target"})"), "INVALID_TRANSFER_TARGET");
  EXPECT_EQ(classify("transfer", 403, R"({"message":"Insufficient Permissions"})"), "INSUFFICIENT_PERMISSIONS");
  EXPECT_EQ(classify("transfer", 409, R"({"message":"Conversation Already Wrapped Up"})"),
            "CONVERSATION_ALREADY_WRAPPED_UP");
  EXPECT_EQ(classify("transfer", 422, R"({"message":"Wrap-up Code Not Found"})"), "WRAPUP_CODE_NOT_FOUND");
}

TEST(Classifier, StatusRulesApplyToEveryStep) {
  EXPECT_EQ(classify("auth", 401, R"({"error":"invalid_client"})"), "AUTH_FAILED");
  EXPECT_EQ(classify("queue", 403, "Forbidden"), "INSUFFICIENT_PERMISSIONS");
  EXPECT_EQ(classify("conversation", 429, "{}"), "RATE_LIMITED");
  EXPECT_EQ(classify("wrapup", 503, "<html>down</html>"), "SERVER_ERROR");
  EXPECT_EQ(classify("conversation", 404, "{}"), "CONVERSATION_NOT_FOUND");
  EXPECT_EQ(classify("queue", 404, "{}"), "INVALID_TRANSFER_TARGET");
}

TEST(Classifier, UnknownShapeIsUnclassified) { EXPECT_EQ(classify("transfer", 418, "teapot"), "UNCLASSIFIED"); }

TEST(Catalogue, EveryCodeHasCauseAndFix) {
  for (const char* code : {"OK",
                           "CONFIG_ERROR",
                           "AUTH_FAILED",
                           "INSUFFICIENT_PERMISSIONS",
                           "CONVERSATION_NOT_FOUND",
                           "CONVERSATION_ALREADY_WRAPPED_UP",
                           "INVALID_TRANSFER_TARGET",
                           "WRAPUP_CODE_NOT_FOUND",
                           "PAYLOAD_SCHEMA_MISMATCH",
                           "RATE_LIMITED",
                           "SERVER_ERROR",
                           "NETWORK_ERROR",
                           "MALFORMED_RESPONSE",
                           "UNCLASSIFIED",
                           "SCHEMA_REQUIRED",
                           "SCHEMA_TYPE",
                           "SCHEMA_ENUM",
                           "SCHEMA_FORMAT",
                           "SCHEMA_PATTERN",
                           "SCHEMA_LENGTH",
                           "SCHEMA_ADDITIONAL_PROPERTY",
                           "SCHEMA_OTHER",
                           "UNRESOLVED_TEMPLATE",
                           "STRINGIFIED_JSON",
                           "QUEUE_NAME_NOT_ID",
                           "KEY_CASE_MISMATCH",
                           "EMPTY_VALUE",
                           "PAYLOAD_TOO_LARGE",
                           "INVALID_JSON"}) {
    const auto* e = cat().find(code);
    ASSERT_NE(e, nullptr) << code;
    EXPECT_FALSE(e->cause.empty()) << code;
    EXPECT_FALSE(e->fix.empty()) << code;
  }
}

TEST(Catalogue, RuleWithUnknownCodeIsRejected) {
  auto c = contracts::Catalogue::parse(
      R"({"codes":{"OK":{"cause":"c","fix":["f"]}},"rules":[{"status":[400],"code":"NOPE"}]})", "c.json");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("/rules/0/code: unknown code \"NOPE\""), std::string::npos) << c.error().message;
}

TEST(Catalogue, ANewErrorShapeIsADataChange) {
  auto c = contracts::Catalogue::parse(
      R"({"codes":{"RATE_LIMITED":{"cause":"c","fix":["f"]}},"rules":[{"step":["transfer"],"status":["4xx"],
          "body":[{"pointer":"/code","matches":"^throttle"}],"code":"RATE_LIMITED"}]})",
      "c.json");
  ASSERT_TRUE(c) << c.error().message;
  util::Json body = {{"code", "throttle.exceeded"}};
  auto m = c->classify("transfer", 400, &body, body.dump());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->code, "RATE_LIMITED");
  EXPECT_FALSE(c->classify("queue", 400, &body, body.dump()));
}

TEST(Catalogue, TheNamedClassificationConstantsAreExactlyTheCataloguesClassifications) {
  // Code sets classifications through contracts::codes; a constant the catalogue lacks (or a
  // classification without a constant) would be a code no fix is found for.
  std::set<std::string> named(std::begin(contracts::codes::kClassifications),
                              std::end(contracts::codes::kClassifications));
  std::set<std::string> listed;
  for (const auto& e : cat().entries())
    if (e.kind == "classification") listed.insert(e.code);
  EXPECT_EQ(named, listed);
  for (const auto& code : named) {
    const auto* entry = cat().find(code);
    ASSERT_NE(entry, nullptr) << code;
    EXPECT_EQ(entry->kind, "classification") << code;
  }
}
