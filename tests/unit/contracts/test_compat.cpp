#include <gtest/gtest.h>

#include "contracts/compat.hpp"

namespace {

std::vector<std::string> findings(const char* old_schema, const char* new_schema) {
  auto f = contracts::compare_schemas({util::Json::parse(old_schema), "urn:t:old"}, {util::Json::parse(new_schema), "urn:t:new"});
  std::vector<std::string> out;
  for (const auto& x : f) out.push_back(std::string(x.breaking ? "B " : "C ") + x.kind + " " + x.pointer);
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST(CompatSchema, NewlyRequiredIsBreakingAndTheOppositeCompatible) {
  const char* a = R"({"properties":{"r":{}}})";
  const char* b = R"({"properties":{"r":{}},"required":["r"]})";
  EXPECT_EQ(findings(a, b), V{"B newly-required /r"});
  EXPECT_EQ(findings(b, a), V{"C no-longer-required /r"});
}

TEST(CompatSchema, RemovedPropertyIsBreakingAddedIsCompatible) {
  const char* a = R"({"properties":{"x":{},"y":{}}})";
  const char* b = R"({"properties":{"x":{}}})";
  EXPECT_EQ(findings(a, b), V{"B property-removed /y"});
  EXPECT_EQ(findings(b, a), V{"C property-added /y"});
}

TEST(CompatSchema, TypeNarrowedIsBreakingWidenedCompatible) {
  EXPECT_EQ(findings(R"({"type":"number"})", R"({"type":"integer"})"), V{"B type-narrowed /"});
  EXPECT_EQ(findings(R"({"type":"integer"})", R"({"type":"number"})"), V{"C type-widened /"});
  EXPECT_EQ(findings(R"({})", R"({"type":"string"})"), V{"B type-narrowed /"});
}

TEST(CompatSchema, EnumValueRemovedIsBreakingAddedCompatible) {
  EXPECT_EQ(findings(R"({"enum":["a","b"]})", R"({"enum":["a"]})"), V{"B enum-value-removed /"});
  EXPECT_EQ(findings(R"({"enum":["a"]})", R"({"enum":["a","b"]})"), V{"C enum-value-added /"});
  EXPECT_EQ(findings(R"({})", R"({"const":"a"})"), V{"B enum-added /"});
}

TEST(CompatSchema, UpperBoundsLoweredAndLowerBoundsRaisedAreBreaking) {
  EXPECT_EQ(findings(R"({"maxLength":10})", R"({"maxLength":5})"), V{"B maxLength-lowered /"});
  EXPECT_EQ(findings(R"({"maxLength":5})", R"({"maxLength":10})"), V{"C maxLength-raised /"});
  EXPECT_EQ(findings(R"({"maximum":1})", R"({"maximum":0.5})"), V{"B maximum-lowered /"});
  EXPECT_EQ(findings(R"({})", R"({"maxItems":3})"), V{"B maxItems-added /"});
  EXPECT_EQ(findings(R"({"minLength":1})", R"({"minLength":3})"), V{"B minLength-raised /"});
  EXPECT_EQ(findings(R"({"minLength":3})", R"({})"), V{"C minLength-removed /"});
}

TEST(CompatSchema, AdditionalPropertiesTightenedIsBreaking) {
  EXPECT_EQ(findings(R"({})", R"({"additionalProperties":false})"), V{"B additional-properties-tightened /"});
  EXPECT_EQ(findings(R"({"additionalProperties":false})", R"({})"), V{"C additional-properties-loosened /"});
  EXPECT_EQ(findings(R"({})", R"({"additionalProperties":{"type":"string"}})"), V{"B additional-properties-tightened /"});
}

TEST(CompatSchema, PatternAddedOrChangedIsBreaking) {
  EXPECT_EQ(findings(R"({})", R"({"pattern":"^a"})"), V{"B pattern-changed /"});
  EXPECT_EQ(findings(R"({"pattern":"^a"})", R"({})"), V{"C pattern-removed /"});
}

TEST(CompatSchema, FollowsRefsAndNests) {
  const char* a = R"({"properties":{"ctx":{"$ref":"#/definitions/c"}},"definitions":{"c":{"properties":{"n":{"maxLength":9}}}}})";
  const char* b = R"({"properties":{"ctx":{"properties":{"n":{"maxLength":3}}}}})";
  EXPECT_EQ(findings(a, b), V{"B maxLength-lowered /ctx/n"});
  EXPECT_TRUE(findings(a, a).empty());
}

TEST(CompatSample, RenamedKeysGetHints) {
  auto f = contracts::compare_samples(util::Json::parse(R"({"ctx":{"customerName":"J","intnt":"x","gone":1}})"),
                                      util::Json::parse(R"({"ctx":{"customer_name":"J","intent":"x","extra":true}})"));
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].pointer, "/ctx/customerName");
  EXPECT_NE(f[0].message.find("renamed to \"customer_name\""), std::string::npos);
  EXPECT_EQ(f[1].kind, "key-removed");
  EXPECT_EQ(f[2].pointer, "/ctx/intnt");
  EXPECT_NE(f[2].message.find("did it become \"intent\"?"), std::string::npos);
  EXPECT_EQ(f[3].kind, "key-added");
  EXPECT_FALSE(f[3].breaking);
}

TEST(CompatSample, TypeChangeIsBreaking) {
  auto f = contracts::compare_samples(util::Json::parse(R"({"confidence":0.9,"ctx":{}})"),
                                      util::Json::parse(R"({"confidence":"0.9","ctx":"{}"})"));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].kind, "type-changed");
  EXPECT_TRUE(f[0].breaking);
  EXPECT_TRUE(contracts::compare_samples(util::Json::parse(R"({"n":1})"), util::Json::parse(R"({"n":2.5})")).empty());
}

TEST(CompatSchema, AllOfCompositionComparesAsItsEffectiveSchema) {
  const char* base = R"({"properties":{"a":{"type":"string","maxLength":10}},"required":["a"]})";
  const char* composed = R"({"allOf":[{"$ref":"#/definitions/base"},{"properties":{"a":{"maxLength":10}}}],
    "definitions":{"base":{"properties":{"a":{"type":"string","maxLength":10}},"required":["a"]}}})";
  EXPECT_TRUE(findings(base, composed).empty());
  const char* tighter = R"({"allOf":[{"$ref":"#/definitions/base"},{"properties":{"a":{"maxLength":4}},"required":["b"]}],
    "definitions":{"base":{"properties":{"a":{"type":"string","maxLength":10}},"required":["a"]}}})";
  EXPECT_EQ(findings(base, tighter), (V{"B newly-required /b", "B maxLength-lowered /a"}));
}
