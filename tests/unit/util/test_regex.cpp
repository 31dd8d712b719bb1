// util::Regex: ECMA-262 patterns on RE2 — the spellings translated, what RE2 cannot run in
// linear time refused with the pattern named, and hostile inputs matched in bounded time.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "util/regex.hpp"

namespace util {
namespace {

bool test(const std::string& pattern, const std::string& text) {
  auto re = Regex::compile(pattern);
  EXPECT_TRUE(re) << pattern << ": " << re.error().message;
  return re && re->search(text);
}

TEST(Regex, SearchesAnywhereLikeEcmaTest) {
  EXPECT_TRUE(test("b", "abc"));
  EXPECT_FALSE(test("^b", "abc"));
  EXPECT_TRUE(test("^[0-9a-f-]{36}$", "3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47"));
  EXPECT_FALSE(test("^[0-9a-f-]{36}$", "3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47\n"));
  EXPECT_TRUE(test("^\\d+$", "123"));
  EXPECT_FALSE(test("^\\d+$", "12a"));
}

TEST(Regex, TranslatesEcmaSpellings) {
  EXPECT_TRUE(test("^\\u0041$", "A"));
  EXPECT_TRUE(test("^\\u{1F600}$", "\xF0\x9F\x98\x80"));
  EXPECT_TRUE(test("^a\\/b$", "a/b"));
  EXPECT_TRUE(test("^\\cJ$", "\n"));
  EXPECT_TRUE(test("^(?<word>[a-z]+)$", "abc"));
  EXPECT_FALSE(test("[]", "anything"));
  EXPECT_TRUE(test("^[^]$", "x"));
  EXPECT_TRUE(test("[\\]]", "]"));
}

TEST(Regex, IgnoreCaseOption) {
  auto re = Regex::compile("^bad credentials$", {.ignore_case = true});
  ASSERT_TRUE(re);
  EXPECT_TRUE(re->search("Bad Credentials"));
}

TEST(Regex, RefusesBackreferencesAndLookAroundNamingThePattern) {
  for (const char* p : {"(a)\\1", "(?=a)b", "(?!a)b", "(?<=a)b", "(?<!a)b", "(?<n>a)\\k<n>"}) {
    auto re = Regex::compile(p);
    ASSERT_FALSE(re) << p;
    EXPECT_NE(re.error().message.find(std::string("\"") + p + "\""), std::string::npos) << re.error().message;
    EXPECT_NE(re.error().message.find("not supported"), std::string::npos) << re.error().message;
  }
}

TEST(Regex, ReportsSyntaxErrors) {
  auto re = Regex::compile("([a-z");
  ASSERT_FALSE(re);
  EXPECT_NE(re.error().message.find("invalid regular expression \"([a-z\""), std::string::npos);
}

TEST(Regex, CapturesGroupsInOrder) {
  auto re = Regex::compile("(?:^|/)skills/([^/]+)/dispositions$");
  ASSERT_TRUE(re);
  auto m = re->captures("/inContactAPI/services/v30.0/skills/4711/dispositions");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0], "4711");
  EXPECT_FALSE(re->captures("/skills/4711"));
}

// The inputs that froze or crashed std::regex: catastrophic backtracking and a recursion per
// character. Each must finish quickly (a generous bound: this is a hang detector, not a timer).
TEST(Regex, PathologicalPatternsAndHugeInputsStayLinear) {
  auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(test("^/r/(a+)+$", "/r/" + std::string(40, 'a') + "!"));
  EXPECT_FALSE(test("^/r/(a+)+$", "/r/" + std::string(100000, 'a') + "!"));
  EXPECT_TRUE(test("^Basic [A-Za-z0-9+/]+=*$", "Basic " + std::string(1 << 20, 'Q')));
  EXPECT_TRUE(test("[0-9a-f-]+$", std::string(1 << 20, 'a')));
  EXPECT_TRUE(test("^(a|b)*$", std::string(1 << 20, 'b')));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  EXPECT_LT(ms, 5000) << "a regex ran for " << ms << " ms";
}

}  // namespace
}  // namespace util

TEST(Regex, AnchoredPrefixIsWhatEveryMatchStartsWithOrNothing) {
  auto prefix = [](const char* source) { return util::value_or_throw(util::Regex::compile(source)).anchored_prefix(); };
  EXPECT_EQ(prefix("^/p9/[a-z]+$"), "/p9/");
  EXPECT_EQ(prefix("^/api/v2/conversations/[0-9a-f-]{36}$"), "/api/v2/conversations/");
  EXPECT_EQ(prefix("/p9/[a-z]+$"), "") << "not anchored: it matches anywhere";
  EXPECT_EQ(prefix("^/a/|^/b/"), "") << "alternation";
  EXPECT_EQ(prefix("^(?:/a/x|/b/y)"), "") << "alternation inside a group";
  EXPECT_EQ(prefix("^[ab]/"), "");
  auto ci = util::value_or_throw(util::Regex::compile("^/P9/", util::Regex::Options{true}));
  EXPECT_TRUE(ci.anchored_prefix().empty() || ci.anchored_prefix() == "/") << ci.anchored_prefix();
}

TEST(Regex, APatternPastTheLengthCapIsRefusedWithAShortMessage) {
  std::string at_cap(util::Regex::kMaxPatternBytes, 'a');
  EXPECT_TRUE(util::Regex::compile(at_cap));
  auto r = util::Regex::compile(at_cap + "a");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("longer than 16384 bytes"), std::string::npos) << r.error().message;
  EXPECT_LT(r.error().message.size(), 200u);
}
