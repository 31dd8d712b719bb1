#include <gtest/gtest.h>

#include "util/redact.hpp"
#include "util/strings.hpp"

TEST(Strings, FormParsingDecodesPlusAndPercent) {
  auto f = util::parse_form("grant_type=client_credentials&client_secret=a%2Bb+c&empty=&flag");
  EXPECT_EQ(f["grant_type"], "client_credentials");
  EXPECT_EQ(f["client_secret"], "a+b c");
  EXPECT_EQ(f["empty"], "");
  EXPECT_EQ(f.count("flag"), 1u);
}

TEST(Strings, BuildFormRoundTrips) {
  std::string body = util::build_form({{"client_secret", "p&ss=w rd/+"}});
  EXPECT_EQ(body, "client_secret=p%26ss%3Dw%20rd%2F%2B");
  EXPECT_EQ(util::parse_form(body)["client_secret"], "p&ss=w rd/+");
}

TEST(Strings, TruncatedPercentEscapeIsKeptLiterally) { EXPECT_EQ(util::url_decode("abc%2"), "abc%2"); }

TEST(Strings, ClosestMatchFindsTyposButNotStrangers) {
  std::vector<std::string> keys = {"request", "response", "scenario"};
  EXPECT_EQ(util::closest_match("reponse", keys), "response");
  EXPECT_EQ(util::closest_match("Request", keys), "request");
  EXPECT_EQ(util::closest_match("banana", keys), "");
}

TEST(Strings, ClosestMatchNeverOffersAnotherMemberOfANumberedFamily) {
  // "required p3 is missing: did you mean p3? the payload has p1" helped nobody.
  EXPECT_EQ(util::closest_match("p3", {"p1"}), "");
  EXPECT_EQ(util::closest_match("line2", {"line1"}), "");
  EXPECT_EQ(util::closest_match("p3", {"p1", "P3"}), "P3");   // its own case twin still is
  EXPECT_EQ(util::closest_match("line2", {"lin2"}), "lin2");  // and a typo around the digit
}

TEST(Strings, DisplayNamesAndPathSegments) {
  EXPECT_TRUE(util::looks_like_display_name("Billing Support"));
  EXPECT_TRUE(util::looks_like_display_name("billing_queue"));
  EXPECT_FALSE(util::looks_like_display_name("6368531"));
  EXPECT_FALSE(util::looks_like_display_name("c2d4e6f8-1a3b-4c5d-9e7f-0a1b2c3d4e5f"));  // a UUID lost nothing
  EXPECT_EQ(util::path_segments("/a//b/{id}/"), (std::vector<std::string>{"a", "b", "{id}"}));
  EXPECT_TRUE(util::path_segments("/").empty());
}

TEST(Strings, UuidCheck) {
  EXPECT_TRUE(util::is_uuid("7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"));
  EXPECT_FALSE(util::is_uuid("Billing Support"));
  EXPECT_FALSE(util::is_uuid("7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f1"));
  EXPECT_FALSE(util::is_uuid("7d6e0c1a33b8f-4f2e-9a51-2c4b7e9d0f13"));
}

TEST(Strings, ExcerptCutsAtUtf8Boundary) {
  std::string s =
      "ab\xC3\xA9"
      "cd";  // "abécd"
  EXPECT_EQ(util::excerpt(s, 3), "ab…");
  EXPECT_EQ(util::excerpt("short", 10), "short");
}

TEST(Redact, MasksEveryOccurrenceLongestFirst) {
  std::string out = util::redact("token=abcdef123 and abcdef123456 again abcdef123", {"abcdef123", "abcdef123456"});
  EXPECT_EQ(out, "token=*** and *** again ***");
}

TEST(Redact, ShortSecretsAreNotReplacedInsideText) { EXPECT_EQ(util::redact("yes you", {"y"}), "yes you"); }

#include "util/uri.hpp"

TEST(Uri, ResolvesReferencesAsRfc3986) {
  EXPECT_EQ(util::resolve_uri("http://x/a/b.json", "c.json#/d"), "http://x/a/c.json#/d");
  EXPECT_EQ(util::resolve_uri("http://x/a/b.json#/old", "#/definitions/u"), "http://x/a/b.json#/definitions/u");
  EXPECT_EQ(util::resolve_uri("http://x/a/b.json", "../c.json"), "http://x/c.json");
  EXPECT_EQ(util::resolve_uri("http://x/a/b.json", "/root.json"), "http://x/root.json");
  EXPECT_EQ(util::resolve_uri("http://x/a/b.json", "folder/"), "http://x/a/folder/");
  EXPECT_EQ(util::resolve_uri("http://x/a/", "https://y/z.json"), "https://y/z.json");
  EXPECT_EQ(util::resolve_uri("file:///etc/s/a.json", "b.json"), "file:///etc/s/b.json");
  EXPECT_EQ(util::resolve_uri("urn:harness:t", "#foo"), "urn:harness:t#foo");
}

TEST(Strings, MarkupEscapingForHtmlAndXml) {
  EXPECT_EQ(util::escape_markup("a<b & \"c\" 'd'>", util::Markup::html), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(util::escape_markup("a<b & \"c\" 'd'>", util::Markup::xml), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  // XML 1.0 has no way to write most control characters; HTML keeps them as they are.
  EXPECT_EQ(util::escape_markup(std::string("x\x01y\tz\n", 6), util::Markup::xml), "x?y\tz\n");
  EXPECT_EQ(util::escape_markup(std::string("x\x01y", 3), util::Markup::html), std::string("x\x01y", 3));
}
