#include <gtest/gtest.h>

#include <map>

#include "contracts/contract.hpp"
#include "contracts/schema.hpp"
#include "contracts/schema_impl.hpp"

namespace {

// Schema validation alone (lints=false) unless a test asks for the lints.
std::vector<contracts::Violation> check(const char* schema, const char* instance, bool lints = false) {
  auto s = contracts::Schema::compile(util::Json::parse(schema), "t");
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  std::vector<contracts::Violation> out;
  if (s) s->validate(util::Json::parse(instance), out, lints);
  return out;
}

std::vector<contracts::Violation> lint(const char* schema, const char* instance) {
  return check(schema, instance, true);
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
  EXPECT_EQ(check(R"({"minimum":0,"maximum":1})", R"(1.5)")[0].code, "SCHEMA_RANGE");
  EXPECT_EQ(check(R"({"exclusiveMinimum":0})", R"(0)")[0].code, "SCHEMA_RANGE");
  EXPECT_EQ(check(R"({"multipleOf":2})", R"(3)")[0].code, "SCHEMA_RANGE");
  EXPECT_EQ(check(R"({"not":{}})", R"(3)")[0].code, "SCHEMA_OTHER");
}

TEST(Schema, AWrapUpCodesDisplayNameIsItsOwnCodeNotAQueueName) {
  const char* transfer_like = R"({"properties":{"wrapupCode":{"properties":{"id":{"format":"uuid"}}},
                                                "transferTo":{"properties":{"id":{"format":"uuid"}}}}})";
  auto v = lint(transfer_like, R"({"wrapupCode":{"id":"Billing - Resolved"},"transferTo":{"id":"Billing Support"}})");
  ASSERT_EQ(v.size(), 2u);
  std::map<std::string, std::string> by_pointer;
  for (const auto& x : v) by_pointer[x.pointer] = x.code;
  EXPECT_EQ(by_pointer["/wrapupCode/id"], "WRAPUP_NAME_NOT_ID");
  EXPECT_EQ(by_pointer["/transferTo/id"], "QUEUE_NAME_NOT_ID");
  // The schema may say what an ID names where the place does not (CXone's p3 is a disposition).
  auto p3 = lint(R"({"properties":{"p3":{"format":"integer-id","x-id-of":"wrapup"}}})", R"({"p3":"Resolved"})");
  ASSERT_EQ(p3.size(), 1u);
  EXPECT_EQ(p3[0].code, "WRAPUP_NAME_NOT_ID");
}

TEST(Schema, StringLengthCountsCodePoints) { EXPECT_TRUE(check(R"({"maxLength":2})", "\"\xC3\xA9\xC3\xA9\"").empty()); }

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
  EXPECT_NE(remote.error().message.find("cannot be resolved"), std::string::npos) << remote.error().message;
}

TEST(Schema, RemoteRefsGoThroughTheLoaderWithIdScoping) {
  contracts::SchemaLoader loader = [](const std::string& uri) -> std::optional<util::Json> {
    if (uri == "https://c.example/defs/ids.json")
      return util::Json::parse(R"({"definitions":{"uuid":{"format":"uuid"}}})");
    return std::nullopt;
  };
  const char* schema = R"({"$id":"https://c.example/overlay.json","properties":{
      "a":{"$ref":"defs/ids.json#/definitions/uuid"},
      "b":{"$id":"defs/","properties":{"c":{"$ref":"ids.json#/definitions/uuid"}}},
      "d":{"$ref":"#named"}},
    "definitions":{"n":{"$id":"#named","type":"integer"}}})";
  auto s = contracts::Schema::compile(util::Json::parse(schema), "t", loader);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(s->is_valid(util::Json::parse(
      R"({"a":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13","b":{"c":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},"d":3})")));
  EXPECT_FALSE(s->is_valid(util::Json::parse(R"({"a":"x"})")));
  EXPECT_FALSE(s->is_valid(util::Json::parse(R"({"b":{"c":"x"}})")));
  EXPECT_FALSE(s->is_valid(util::Json::parse(R"({"d":"x"})")));
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

TEST(Schema, ATypeErrorsHintNamesTheTypeWithItsArticle) {
  auto integer = check(R"({"type":"integer"})", R"("12")");
  ASSERT_EQ(integer.size(), 1u);
  EXPECT_EQ(integer[0].hint, "send an integer");
  auto object = check(R"({"type":"object"})", "[]");
  ASSERT_EQ(object.size(), 1u);
  EXPECT_EQ(object[0].hint, "send an object");
  auto either = check(R"({"type":["string","null"]})", "3");
  ASSERT_EQ(either.size(), 1u);
  EXPECT_EQ(either[0].hint, "send a null or string");
}

TEST(Lint, StringifiedObjectIsStringifiedJson) {
  const char* schema = R"({"properties":{"contextData":{"type":"object"}}})";
  auto vs = lint(schema, R"({"contextData":"{\"intent\":\"x\"}"})");
  EXPECT_EQ(codes(vs), std::vector<std::string>{"STRINGIFIED_JSON /contextData"});
  EXPECT_NE(vs[0].hint.find("JSON.stringify()"), std::string::npos);
  // Without the lints it is the plain type error; a string that is not JSON stays a type error.
  EXPECT_EQ(codes(check(schema, R"({"contextData":"{\"intent\":\"x\"}"})")),
            std::vector<std::string>{"SCHEMA_TYPE /contextData"});
  EXPECT_EQ(codes(lint(schema, R"({"contextData":"{intent: x"})")),
            std::vector<std::string>{"SCHEMA_TYPE /contextData"});
  // A JSON string where the contract wants a string (the cxone signal parameters) is fine.
  EXPECT_TRUE(lint(R"({"properties":{"p2":{"type":"string"}}})", R"({"p2":"{\"intent\":\"x\"}"})").empty());
}

TEST(Lint, DisplayNameWhereAUuidBelongsIsQueueNameNotId) {
  const char* schema = R"({"properties":{"id":{"type":"string","format":"uuid"}}})";
  EXPECT_EQ(codes(lint(schema, R"({"id":"Billing Support"})")), std::vector<std::string>{"QUEUE_NAME_NOT_ID /id"});
  EXPECT_EQ(codes(lint(schema, R"({"id":"billing_tier_1"})")), std::vector<std::string>{"QUEUE_NAME_NOT_ID /id"});
  // A truncated UUID is a format error, not a name.
  EXPECT_EQ(codes(lint(schema, R"({"id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f1"})")),
            std::vector<std::string>{"SCHEMA_FORMAT /id"});
  EXPECT_TRUE(lint(schema, R"({"id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"})").empty());
}

TEST(Lint, KeyCaseMismatchSaysDidYouMean) {
  const char* open = R"({"properties":{"customerName":{"type":"string"}}})";
  for (const char* payload : {R"({"customer_name":"Jane"})", R"({"CustomerName":"Jane"})",
                              R"({"customer-name":"Jane"})", R"({"_customerName":"Jane"})"}) {
    auto vs = lint(open, payload);
    ASSERT_EQ(vs.size(), 1u) << payload;
    EXPECT_EQ(vs[0].code, "KEY_CASE_MISMATCH");
    EXPECT_NE(vs[0].hint.find("did you mean \"customerName\""), std::string::npos);
  }
  EXPECT_TRUE(lint(open, R"({"customerName":"Jane","customerId":"42"})").empty());
  // With additionalProperties false the lint replaces the generic code at that key.
  auto closed = lint(R"({"additionalProperties":false,"properties":{"customerName":{}}})", R"({"customer_name":"J"})");
  EXPECT_EQ(codes(closed), std::vector<std::string>{"KEY_CASE_MISMATCH /customer_name"});
  EXPECT_FALSE(
      check(R"({"additionalProperties":false,"properties":{"customerName":{}}})", R"({"customer_name":"J"})").empty());
}

TEST(Lint, LintsNeverChangeValidity) {
  auto s =
      contracts::Schema::compile(util::Json::parse(R"({"required":["intent"],"properties":{"customerName":{}}})"), "t");
  ASSERT_TRUE(s);
  auto doc = util::Json::parse(R"({"intent":null,"customer_name":"x"})");
  EXPECT_TRUE(s->is_valid(doc));
  std::vector<contracts::Violation> vs;
  s->validate(doc, vs, true);
  EXPECT_EQ(codes(vs), (std::vector<std::string>{"EMPTY_VALUE /intent", "KEY_CASE_MISMATCH /customer_name"}));
}

TEST(Schema, MissingKeyWithNearMissSaysDidYouMean) {
  auto vs = check(R"({"required":["customerName"]})", R"({"customer_name":"Jane"})");
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_NE(vs[0].hint.find("did you mean \"customerName\""), std::string::npos) << vs[0].hint;
}

TEST(Lint, EmptyRequiredValueIsEmptyValue) {
  auto vs =
      lint(R"({"required":["intent"],"properties":{"intent":{"type":"string","minLength":1}}})", R"({"intent":""})");
  std::vector<std::string> got = codes(vs);
  EXPECT_NE(std::find(got.begin(), got.end(), "EMPTY_VALUE /intent"), got.end());
  EXPECT_NE(std::find(got.begin(), got.end(), "SCHEMA_LENGTH /intent"), got.end());
}

TEST(Schema, TheWordAtATimeFoldTestAgreesWithFoldingForEveryByteAtEveryPosition) {
  // has_fold_characters decides whether a key can skip folding; it reads eight bytes at a time, so
  // every byte value is tried at every position of keys from 1 to 19 bytes (both sides of each
  // word boundary), in a key of plain lower-case letters otherwise.
  for (std::size_t size = 1; size <= 19; ++size)
    for (std::size_t at = 0; at < size; ++at)
      for (int c = 0; c < 256; ++c) {
        std::string key(size, 'k');
        key[at] = static_cast<char>(c);
        ASSERT_EQ(contracts::has_fold_characters(key), contracts::fold_key(key) != key)
            << size << " " << at << " " << c;
      }
  EXPECT_FALSE(contracts::has_fold_characters(""));
}

// A contract may name its own code for a value of the wrong type (Genesys participant
// attributes are strings): that code and hint, on both validation paths.
TEST(Schema, XTypeViolationReportsTheContractsOwnCode) {
  const char* schema = R"({"type":"object","additionalProperties":{"type":"string",
    "x-type-violation":{"code":"ATTRIBUTE_NOT_STRING","hint":"send it as a string"}}})";
  auto vs = check(schema, R"({"a":"x","n":3,"o":{"k":1}})");
  EXPECT_EQ(codes(vs), (std::vector<std::string>{"ATTRIBUTE_NOT_STRING /n", "ATTRIBUTE_NOT_STRING /o"}));
  ASSERT_FALSE(vs.empty());
  EXPECT_EQ(vs[0].hint, "send it as a string");
  auto linted = lint(schema, R"({"n":true})");
  ASSERT_EQ(linted.size(), 1u);
  EXPECT_EQ(linted[0].code, "ATTRIBUTE_NOT_STRING");
  // Without the extension the same value is a plain type error.
  EXPECT_EQ(check(R"({"additionalProperties":{"type":"string"}})", R"({"n":3})")[0].code, "SCHEMA_TYPE");
}
