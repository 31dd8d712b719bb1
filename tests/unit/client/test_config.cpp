#include <gtest/gtest.h>
#include <algorithm>

#include "client/config.hpp"

TEST(DotEnv, ParsesExportQuotesAndComments) {
  auto r = client::parse_dotenv("# c\nexport A=1\nB = \"two words\"\nC='x#y'\nD=val # note\n\n", ".env");
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)["A"], "1");
  EXPECT_EQ((*r)["B"], "two words");
  EXPECT_EQ((*r)["C"], "x#y");
  EXPECT_EQ((*r)["D"], "val");
}

TEST(DotEnv, BadLineNamesFileAndLine) {
  auto r = client::parse_dotenv("A=1\nthis is not a setting\n", "conf/.env");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "conf/.env:2: expected KEY=VALUE");
}

TEST(DotEnv, IgnoresAByteOrderMark) {
  auto r = client::parse_dotenv(
      "\xEF\xBB\xBF"
      "CXONE_CLIENT_ID=abc\n",
      "x.env");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)["CXONE_CLIENT_ID"], "abc");
}

TEST(DotEnv, DropsQuotesAndACommentAfterTheClosingQuote) {
  auto r = client::parse_dotenv(
      "A=\"v\"  # the comment\nB='w' #x\nC=\"a # not a comment\"\nD=\"line\\nbreak \\\"q\\\"\"\r\n", ".env");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)["A"], "v");
  EXPECT_EQ((*r)["B"], "w");
  EXPECT_EQ((*r)["C"], "a # not a comment");
  EXPECT_EQ((*r)["D"], "line\nbreak \"q\"");
}

TEST(DotEnv, RefusesAnUnterminatedQuoteOrTextAfterIt) {
  auto r = client::parse_dotenv("A=\"open\n", ".env");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, ".env:1: A: unterminated \"quoted value");
  r = client::parse_dotenv("A='v' trailing\n", ".env");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("unexpected text after the closing quote"), std::string::npos);
}

TEST(Config, CredentialsInTheBaseUrlAreRemovedRefusedAndKeptForMasking) {
  client::ConfigInputs in;
  in.env_file = "/nonexistent/.env";
  in.flags[client::kBaseUrl] = "https://bot:p%40ss@api.example.com/path?q=1";
  auto c = client::resolve_config(in);
  EXPECT_EQ(c.base_url, "https://api.example.com/path?q=1");
  ASSERT_FALSE(c.problems.empty());
  EXPECT_NE(c.problems.back().message.find("carries credentials"), std::string::npos);
  EXPECT_NE(c.problems.back().fix.find("Remove user:password@"), std::string::npos);
  EXPECT_NE(std::find(c.url_secrets.begin(), c.url_secrets.end(), "p%40ss"), c.url_secrets.end());
  EXPECT_NE(std::find(c.url_secrets.begin(), c.url_secrets.end(), "p@ss"), c.url_secrets.end());
  EXPECT_EQ(std::find(c.url_secrets.begin(), c.url_secrets.end(), "bot"), c.url_secrets.end())
      << "a user name alone is no secret";
  EXPECT_FALSE(client::split_url_credentials("https://api.example.com/a@b"));
}

TEST(Config, FlagBeatsEnvironmentBeatsDotEnv) {
  client::ConfigInputs in;
  in.env_file = "/nonexistent/.env";
  in.flags[client::kClientId] = "flag-id";
  in.getenv = [](const char* n) -> const char* {
    std::string name = n;
    if (name == "CXONE_CLIENT_ID") return "env-id";
    if (name == "CXONE_CLIENT_SECRET") return "env-secret";
    return nullptr;
  };
  auto c = client::resolve_config(in);
  EXPECT_EQ(c.client_id, "flag-id");
  EXPECT_EQ(c.client_secret, "env-secret");
  EXPECT_EQ(c.origin["CXONE_CLIENT_ID"], "flag");
  EXPECT_EQ(c.origin["CXONE_CLIENT_SECRET"], "environment");
  EXPECT_TRUE(c.problems.empty()) << "a missing default .env is fine";
  in.env_file_explicit = true;
  EXPECT_EQ(client::resolve_config(in).problems.size(), 1u);
}
