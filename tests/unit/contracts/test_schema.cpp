#include <gtest/gtest.h>

#include "contracts/contract.hpp"
#include "contracts/schema.hpp"

namespace {

std::vector<contracts::Violation> check(const char* schema, const char* instance) {
  auto s = contracts::Schema::compile(util::Json::parse(schema), "t");
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  std::vector<contracts::Violation> out;
  if (s) s->validate(util::Json::parse(instance), out);
  return out;
}

std::vector<std::string> codes(const std::vector<contracts::Violation>& vs) {
  std::vector<std::string> out;
  for (const auto& v : vs) out.push_back(v.code + " " + v.pointer);
  return out;
}


}  // namespace

TEST(Schema, ReportsEveryViolationNotOnlyTheFirst) {
  auto vs = check(R"({"type":"object","required":["a","b"],"properties":{"c":{"type":"string"}}})", R"({"c": 1})");
  EXPECT_EQ(codes(vs), (std::vector<std::string>{"SCHEMA_REQUIRED /a", "SCHEMA_REQUIRED /b", "SCHEMA_TYPE /c"}));
}

TEST(Schema, MapsKeywordsToSpecCodes) {
  EXPECT_EQ(check(R"({"enum":["blind","consult"]})", R"("attended")")[0].code, "SCHEMA_ENUM");
  EXPECT_EQ(check(R"({"const":"queue"})", R"("user")")[0].code, "SCHEMA_ENUM");
  EXPECT_EQ(check(R"({"format":"uuid"})", R"("Billing Support")")[0].code, "SCHEMA_FORMAT");
  EXPECT_EQ(check(R"({"pattern":"^[a-z]{2}$"})", R"("english")")[0].code, "SCHEMA_PATTERN");
  EXPECT_EQ(check(R"({"maxLength":3})", R"("abcd")")[0].code, "SCHEMA_LENGTH");
  EXPECT_EQ(check(R"({"minItems":1})", R"([])")[0].code, "SCHEMA_LENGTH");
  EXPECT_EQ(check(R"({"additionalProperties":false,"properties":{"a":{}}})", R"({"b":1})")[0].code,
            "SCHEMA_ADDITIONAL_PROPERTY");
  EXPECT_EQ(check(R"({"minimum":0,"maximum":1})", R"(1.5)")[0].code, "SCHEMA_OTHER");
}

TEST(Schema, StringLengthCountsCodePoints) {
  EXPECT_TRUE(check(R"({"maxLength":2})", "\"\xC3\xA9\xC3\xA9\"").empty());
}

TEST(Schema, IntegerAcceptsWholeFloats) {
  EXPECT_TRUE(check(R"({"type":"integer"})", "1.0").empty());
  EXPECT_FALSE(check(R"({"type":"integer"})", "1.5").empty());
}

TEST(Schema, LocalRefsResolveIncludingRecursion) {
  const char* s = R"({"definitions":{"node":{"type":"object","properties":{"next":{"$ref":"#/definitions/node"},
                     "v":{"type":"integer"}}}},"$ref":"#/definitions/node"})";
  auto vs = check(s, R"({"v":1,"next":{"v":2,"next":{"v":"x"}}})");
  EXPECT_EQ(codes(vs), (std::vector<std::string>{"SCHEMA_TYPE /next/next/v"}));
}

TEST(Schema, UnresolvableRefIsACompileError) {
  auto s = contracts::Schema::compile(util::Json::parse(R"({"$ref":"#/definitions/missing"})"), "t");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("points at nothing"), std::string::npos);
  auto remote = contracts::Schema::compile(util::Json::parse(R"({"$ref":"http://example.com/s.json"})"), "t");
  ASSERT_FALSE(remote);
  EXPECT_NE(remote.error().message.find("not a local reference"), std::string::npos);
}

TEST(Schema, InvalidRegexIsACompileError) {
  auto s = contracts::Schema::compile(util::Json::parse(R"({"pattern":"(unclosed"})"), "t");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("invalid regular expression"), std::string::npos);
}

TEST(Schema, CombinatorsAndConditionals) {
  EXPECT_FALSE(check(R"({"anyOf":[{"type":"string"},{"type":"integer"}]})", "true").empty());
  EXPECT_TRUE(check(R"({"anyOf":[{"type":"string"},{"type":"integer"}]})", "3").empty());
  EXPECT_FALSE(check(R"({"oneOf":[{"minimum":0},{"maximum":10}]})", "5").empty());
  EXPECT_FALSE(check(R"({"not":{"type":"null"}})", "null").empty());
  const char* cond = R"({"if":{"properties":{"type":{"const":"user"}}},"then":{"required":["userId"]}})";
  EXPECT_FALSE(check(cond, R"({"type":"user"})").empty());
  EXPECT_TRUE(check(cond, R"({"type":"queue"})").empty());
}

TEST(Schema, StringifiedObjectGetsAHint) {
  auto vs = check(R"({"properties":{"contextData":{"type":"object"}}})", R"({"contextData":"{\"intent\":\"x\"}"})");
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_NE(vs[0].hint.find("JSON sent as a string"), std::string::npos);
}

TEST(Schema, MissingKeyWithNearMissSaysDidYouMean) {
  auto vs = check(R"({"required":["customerName"]})", R"({"customer_name":"Jane"})");
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_NE(vs[0].hint.find("did you mean \"customerName\""), std::string::npos) << vs[0].hint;
}

TEST(Schema, EmptyRequiredValueIsEmptyValue) {
  auto vs = check(R"({"required":["intent"],"properties":{"intent":{"type":"string","minLength":1}}})",
                  R"({"intent":""})");
  std::vector<std::string> got = codes(vs);
  EXPECT_NE(std::find(got.begin(), got.end(), "EMPTY_VALUE /intent"), got.end());
  EXPECT_NE(std::find(got.begin(), got.end(), "SCHEMA_LENGTH /intent"), got.end());
}
