// JSON and YAML documents: YAML read into the same JSON values, with its bounds and positions.
#include "contracts/document.hpp"

#include <gtest/gtest.h>

#include <string>

#include "contracts/api_spec.hpp"

namespace {

using contracts::parse_yaml;

TEST(Yaml, ScalarsAreReadAsYaml12CoreSchemaReadsThem) {
  auto doc = parse_yaml(R"(
a: ~
b: true
c: False
d: 42
e: -0x1F
f: 2.5
g: '42'
h: "true"
i: 1.0.3
j: .inf
k:
200: status
list: [1, two, null]
)",
                        "t.yaml");
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ((*doc)["a"], nullptr);
  EXPECT_EQ((*doc)["b"], true);
  EXPECT_EQ((*doc)["c"], false);
  EXPECT_EQ((*doc)["d"], 42);
  EXPECT_EQ((*doc)["e"], -31);
  EXPECT_EQ((*doc)["f"], 2.5);
  EXPECT_EQ((*doc)["g"], "42");    // quoted: a string
  EXPECT_EQ((*doc)["h"], "true");  // quoted: a string
  EXPECT_EQ((*doc)["i"], "1.0.3");
  EXPECT_TRUE((*doc)["j"].is_number_float());
  EXPECT_EQ((*doc)["k"], nullptr);
  EXPECT_EQ((*doc)["200"], "status");  // keys are text
  EXPECT_EQ((*doc)["list"], util::Json::parse(R"([1, "two", null])"));
}

TEST(Yaml, ASyntaxErrorSaysWhere) {
  auto doc = parse_yaml("a: [1, 2\nb: c\n", "bad.yaml");
  ASSERT_FALSE(doc);
  EXPECT_TRUE(doc.error().message.starts_with("bad.yaml:")) << doc.error().message;
  EXPECT_NE(doc.error().message.find("end of sequence"), std::string::npos) << doc.error().message;
}

TEST(Yaml, AnErrorQuotingTheFileStaysPrintable) {
  // yaml-cpp quotes the character after a backslash it does not know: here ESC.
  auto doc = parse_yaml("a: \"x\\\x1b[2J\"\n", "esc.yaml");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message.find('\x1b'), std::string::npos) << doc.error().message;
  EXPECT_NE(doc.error().message.find("\\x1B"), std::string::npos) << doc.error().message;
}

TEST(Yaml, AliasesThatExpandWithoutEndAreRefused) {
  // Nine levels of nine aliases: 387 million values once expanded.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
            ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  }
  auto doc = parse_yaml(bomb, "bomb.yaml", 512, /*max_nodes=*/100000);
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("more than 100000 values once aliases are expanded"), std::string::npos)
      << doc.error().message;
  // A few aliases are fine.
  auto small = parse_yaml("base: &b {x: 1}\nuse: *b\n", "ok.yaml");
  ASSERT_TRUE(small);
  EXPECT_EQ((*small)["use"]["x"], 1);
}

TEST(Yaml, NestingIsBounded) {
  std::string deep = std::string(100, '[') + std::string(100, ']');
  ASSERT_TRUE(parse_yaml(deep, "deep.yaml"));
  auto doc = parse_yaml(deep, "deep.yaml", /*max_depth=*/50);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "deep.yaml:1:52: nested deeper than 50 levels");
  // yaml-cpp's own parser refuses a few hundred levels before any conversion (its message is
  // terse, the position is given).
  auto deeper = parse_yaml(std::string(5000, '[') + std::string(5000, ']'), "deeper.yaml");
  ASSERT_FALSE(deeper);
  EXPECT_TRUE(deeper.error().message.starts_with("deeper.yaml:1:")) << deeper.error().message;
}

TEST(Yaml, AYamlDescriptionReadsLikeItsJson) {
  auto spec = contracts::ApiSpec::load(std::string(HARNESS_SOURCE_DIR) + "/tests/data/openapi/queues.yaml");
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->base_paths(), std::vector<std::string>{"/api/v2"});
  const auto* op = spec->find("GET", "/api/v2/routing/queues/q-1");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->operation_id, "getRoutingQueue");
  auto example = spec->example_body(*contracts::ApiSpec::response_for(*op, 200));
  ASSERT_TRUE(example);
  EXPECT_EQ((*example)["joinedMemberCount"], 3);
  // 404 is written unquoted in the YAML: a key all the same.
  EXPECT_EQ(contracts::ApiSpec::response_for(*op, 404)->schema_pointer,
            "/components/responses/Error/content/application~1json/schema");
  auto v = spec->validate(contracts::ApiSpec::response_for(*op, 200)->schema_pointer,
                          util::Json::parse(R"({"id": "q", "description": null, "memberCount": "12"})"));
  ASSERT_TRUE(v);
  ASSERT_EQ(v->size(), 1u);
  EXPECT_EQ((*v)[0].pointer, "/memberCount");
}

TEST(Document, JsonOrYamlByTheFileName) {
  auto json = contracts::load_document(std::string(HARNESS_SOURCE_DIR) + "/tests/data/genesys/current.openapi.json");
  ASSERT_TRUE(json) << json.error().message;
  EXPECT_EQ((*json)["openapi"], "3.0.3");
  auto yaml = contracts::load_document(std::string(HARNESS_SOURCE_DIR) + "/tests/data/openapi/queues.yaml");
  ASSERT_TRUE(yaml) << yaml.error().message;
  EXPECT_EQ((*yaml)["info"]["version"], "1.0");
  EXPECT_FALSE(contracts::load_document("/nonexistent.yaml"));
}

}  // namespace
