#include <gtest/gtest.h>

#include <random>

#include "util/json_text.hpp"

TEST(JsonText, ParseErrorNamesLineAndColumn) {
  auto r = util::parse_json("{\n  \"a\": 1,\n  \"b\": tru\n}", "f.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("f.json:3:", 0), 0u) << r.error().message;
  EXPECT_NE(r.error().message.find("invalid JSON"), std::string::npos);
}

TEST(JsonText, DeepNestingIsRefusedNotOverflowed) {
  std::string deep(100000, '[');
  auto r = util::parse_json(deep, "deep.json");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("nested deeper than 512"), std::string::npos);
}

TEST(JsonText, BracketsInsideStringsDoNotCountAsNesting) {
  std::string s = "{\"a\": \"" + std::string(1000, '[') + "\"}";
  EXPECT_TRUE(util::parse_json(s, "s.json"));
}

TEST(JsonText, LocatesKeysAndArrayElements) {
  std::string text = "{\n  \"interactions\": [\n    {\"id\": \"a\"},\n    {\n      \"reponse\": 1\n    }\n  ]\n}";
  auto key = util::locate_pointer(text, "/interactions/1/reponse");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->line, 5u);
  EXPECT_EQ(key->column, 7u);
  auto elem = util::locate_pointer(text, "/interactions/1");
  ASSERT_TRUE(elem);
  EXPECT_EQ(elem->line, 4u);
  EXPECT_FALSE(util::locate_pointer(text, "/nope"));
}

TEST(JsonText, PointerTokensAreEscaped) {
  EXPECT_EQ(util::pointer_append("/a", "b/c~d"), "/a/b~1c~0d");
  std::string text = "{\"b/c\": {\"x\": 1}}";
  EXPECT_TRUE(util::locate_pointer(text, "/b~1c/x"));
}

TEST(JsonText, LocatesEveryArrayElementInOnePass) {
  std::string text = "{\"a\": 1,\n \"list\": [ {\"x\": \"]\"},\n  [1, [2]], \"s\" ,3\n]}";
  auto at = util::locate_elements(text, "/list");
  ASSERT_EQ(at.size(), 4u);
  EXPECT_EQ(at[0].line, 2u);
  EXPECT_EQ(at[0].column, 12u);
  EXPECT_EQ(at[1].line, 3u);
  EXPECT_EQ(at[1].column, 3u);
  EXPECT_EQ(at[2].column, 13u);
  EXPECT_EQ(at[3].column, 18u);
  // The same positions locate_pointer gives one by one.
  for (std::size_t i = 0; i < at.size(); ++i) {
    auto one = util::locate_pointer(text, "/list/" + std::to_string(i));
    ASSERT_TRUE(one);
    EXPECT_EQ(one->line, at[i].line);
    EXPECT_EQ(one->column, at[i].column);
  }
  EXPECT_TRUE(util::locate_elements(text, "/a").empty());
  EXPECT_TRUE(util::locate_elements(text, "/none").empty());
}

TEST(JsonText, LenientParseDiscardsTooDeepOrInvalidText) {
  EXPECT_TRUE(util::parse_json_lenient(std::string(100000, '[') + std::string(100000, ']')).is_discarded());
  EXPECT_TRUE(util::parse_json_lenient("{\"a\":").is_discarded());
  EXPECT_EQ(util::parse_json_lenient("{\"a\": [1]}")["a"][0], 1);
}

TEST(JsonText, AppendJsonStringWritesWhatNlohmannDumpsForAnyBytes) {
  // Reports written piece by piece must be byte for byte the documents nlohmann would dump:
  // random strings of every byte value (control characters, quotes, backslashes, valid and
  // broken UTF-8), plus the plain ASCII the fast path copies.
  std::mt19937 rng(5);
  const std::vector<std::string> fixed = {"",
                                          "plain text",
                                          "quote \" back \\ slash",
                                          "\x01\x1f\x7f",
                                          "tab\tnl\n",
                                          "caf\xc3\xa9",
                                          "bad \xc3( utf8",
                                          "\xff\xfe",
                                          "emoji \xf0\x9f\x98\x80"};
  std::vector<std::string> cases = fixed;
  for (int i = 0; i < 3000; ++i) {
    std::string s(rng() % 24, ' ');
    for (auto& c : s) c = static_cast<char>(i % 3 == 0 ? rng() % 256 : 0x20 + rng() % 0x60);
    cases.push_back(s);
  }
  for (const auto& s : cases) {
    std::string got = "x";
    util::append_json_string(got, s);
    std::string want = "x";
    want.append(util::dump_line(util::Json(s)));
    EXPECT_EQ(got, want) << util::Json(s).dump(-1, ' ', true, util::kInvalidUtf8Replaced);
  }
}
