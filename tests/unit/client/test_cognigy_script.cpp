// CognigyScript rendering with Cognigy's semantics: text fields render undefined as "", JSON
// fields drop the key (inline and $cs), syntax errors are found with their offsets.
#include "client/flows/cognigy_script.hpp"

#include <gtest/gtest.h>

namespace {

using namespace client::flows;  // NOLINT: the module under test

CognigyObjects objects() {
  CognigyObjects o;
  o.input = util::Json::parse(R"({"text": "agent please", "data": {"intent": "billing", "score": 0.87}})");
  o.context = util::Json::parse(R"({"customer": {"name": "Jane", "orders": [{"id": 7}]}, "skill": 6368531})");
  o.profile = util::Json::parse(R"({"firstname": "Jane"})");
  return o;
}

TEST(CognigyScript, TextFieldsRenderUndefinedAsTheEmptyString) {
  auto o = objects();
  EXPECT_EQ(render_text("Hi {{context.customer.name}}!", o), "Hi Jane!");
  EXPECT_EQ(render_text("Hi {{cc.customer.nickname}}!", o), "Hi !");  // undefined: ""
  EXPECT_EQ(render_text("{{ci.data.score}} / {{cp.firstname}}", o), "0.87 / Jane");
  EXPECT_EQ(render_text("order {{context.customer.orders[0].id}}", o), "order 7");
  EXPECT_EQ(render_text("{{context.customer['name']}}", o), "Jane");
  EXPECT_EQ(render_text("{{JSON.stringify(input.data)}}", o), R"({"intent":"billing","score":0.87})");
  int unsupported = 0;
  EXPECT_EQ(render_text("{{input.text.toUpperCase()}}", o, &unsupported), "");
  EXPECT_EQ(unsupported, 1);  // not evaluated, said so: never guessed
}

TEST(CognigyScript, JsonFieldsDropAKeyWhoseExpressionIsUndefined) {
  auto o = objects();
  auto body = render_json(util::Json::parse(R"({
    "intent": "{{input.data.intent}}",
    "nickname": "{{context.customer.nickname}}",
    "skill": "{{context.skill}}",
    "skillNumber": "{{context.skill.preserveType()}}",
    "orders": {"$cs": {"script": "context.customer.orders", "type": "object"}},
    "missing": {"$cs": {"script": "context.nothing", "type": "object"}},
    "greeting": "Hello {{context.customer.nickname}}",
    "list": ["{{context.nothing}}", "x"]})"),
                          o);
  ASSERT_TRUE(body);
  EXPECT_EQ((*body)["intent"], "billing");
  EXPECT_FALSE(body->contains("nickname"));  // dropped, not "" and not literal braces
  EXPECT_EQ((*body)["skill"], "6368531");    // a string unless preserveType()
  EXPECT_EQ((*body)["skillNumber"], 6368531);
  EXPECT_EQ((*body)["orders"], util::Json::parse(R"([{"id": 7}])"));
  EXPECT_FALSE(body->contains("missing"));
  EXPECT_EQ((*body)["greeting"], "Hello ");  // inside a longer text: the empty string
  EXPECT_EQ((*body)["list"], util::Json::parse(R"([null, "x"])"));
}

TEST(CognigyScript, SyntaxErrorsAreFoundWithTheirOffsets) {
  std::vector<TemplateError> errors;
  find_expressions("a {{context.x}} b {{input.y", &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].offset, 18u);
  EXPECT_EQ(errors[0].message, "\"{{\" is never closed by \"}}\"");
  errors.clear();
  find_expressions("{{ }} {{context.a[0}} {{'x}}", &errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].message, "an empty expression \"{{}}\"");
  EXPECT_EQ(errors[1].message, "expression \"context.a[0\": unclosed \"[\"");
  EXPECT_EQ(errors[2].message, "expression \"'x\": unterminated 'string");
  errors.clear();
  auto found = find_expressions(R"({{JSON.stringify({a: 1})}})", &errors);
  EXPECT_TRUE(errors.empty());  // a closing brace of an object literal before "}}"
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].code, "JSON.stringify({a: 1})");
}

TEST(CognigyScript, PathsReadExpandShortcutsAndSkipMethodsAndStrings) {
  EXPECT_EQ(paths_read("cc.customer.name"), std::vector<std::string>{"context.customer.name"});
  EXPECT_EQ(paths_read("input.text.toUpperCase() + ' ' + profile.firstname"),
            (std::vector<std::string>{"input.text", "profile.firstname"}));
  EXPECT_EQ(paths_read("'context.not.a.path' || ci.data"), std::vector<std::string>{"input.data"});
  EXPECT_TRUE(paths_read("context").empty());  // the whole object is no path
  EXPECT_TRUE(paths_read("mycontext.x").empty());
}

}  // namespace
