#include <gtest/gtest.h>

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
