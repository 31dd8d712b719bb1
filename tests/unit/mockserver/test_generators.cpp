// Response generators: each supported type makes a value of its kind at the places its path
// names; unsupported types are said, malformed ones refused with where; Java date patterns write
// a known instant as Java would.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "mockserver/fixture_loader.hpp"
#include "mockserver/generators.hpp"
#include "mockserver/pact_file.hpp"

namespace {

using mockserver::Generator;
using util::Json;

std::vector<Generator> read(const Json& g, std::vector<std::string>* unsupported_out = nullptr) {
  std::vector<std::string> unsupported;
  auto out = mockserver::parse_generators(g, unsupported);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().message);
  if (unsupported_out) *unsupported_out = unsupported;
  return out ? *out : std::vector<Generator>{};
}

util::HttpResponse answer(const std::vector<Generator>& gens, const Json& body, const std::string& host = "") {
  util::HttpResponse r;
  r.status = 200;
  r.body = body.dump();
  util::HttpRequest req;
  if (!host.empty()) req.headers.add("Host", host);
  mockserver::apply_generators(gens, r, req, "http");
  return r;
}

bool full_match(const std::string& text, const std::string& re) { return std::regex_match(text, std::regex(re)); }

TEST(Generators, EachTypeMakesAValueOfItsKindWhereItsPathPoints) {
  auto gens = read({{"body",
                     {{"$.id", {{"type", "Uuid"}}},
                      {"$.items[*].n", {{"type", "RandomInt"}, {"min", 5}, {"max", 7}}},
                      {"$.d", {{"type", "RandomDecimal"}, {"digits", 6}}},
                      {"$.hex", {{"type", "RandomHexadecimal"}, {"digits", 12}}},
                      {"$.s", {{"type", "RandomString"}, {"size", 9}}},
                      {"$.b", {{"type", "RandomBoolean"}}},
                      {"$.day", {{"type", "Date"}}},
                      {"$.at", {{"type", "DateTime"}, {"format", "yyyy-MM-dd'T'HH:mm:ss.SSSX"}}},
                      {"$.missing", {{"type", "Uuid"}}}}},
                    {"header", {{"X-Request-Id", {{"type", "Uuid"}, {"format", "upper-case-hyphenated"}}}}},
                    {"status", {{"type", "RandomInt"}, {"min", 201}, {"max", 202}}}});
  ASSERT_EQ(gens.size(), 11u);
  const Json example = {
      {"id", "x"}, {"items", {{{"n", 0}}, {{"n", 0}}}}, {"d", 0}, {"hex", ""}, {"s", ""}, {"b", "x"}, {"day", ""},
      {"at", ""}};
  auto r = answer(gens, example);
  auto body = Json::parse(r.body);
  EXPECT_TRUE(full_match(body["id"], "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")) << body;
  for (const auto& item : body["items"]) {  // each element its own value, in range
    ASSERT_TRUE(item["n"].is_number_integer());
    EXPECT_GE(item["n"].get<int>(), 5);
    EXPECT_LE(item["n"].get<int>(), 7);
  }
  ASSERT_TRUE(body["d"].is_number_float());
  EXPECT_TRUE(full_match(body["hex"], "[0-9a-f]{12}"));
  EXPECT_TRUE(full_match(body["s"], "[A-Za-z0-9]{9}"));
  EXPECT_TRUE(body["b"].is_boolean());
  EXPECT_TRUE(full_match(body["day"], R"(\d{4}-\d{2}-\d{2})"));
  EXPECT_TRUE(full_match(body["at"], R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")) << body["at"];
  EXPECT_FALSE(body.contains("missing"));  // a path that names nothing adds nothing
  EXPECT_TRUE(full_match(*r.headers.find("x-request-id"), "[0-9A-F-]{36}"));
  EXPECT_TRUE(r.status == 201 || r.status == 202);
  // Fresh per answer.
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.insert(Json::parse(answer(gens, example).body)["id"].get<std::string>());
  EXPECT_EQ(ids.size(), 20u);
}

TEST(Generators, MockServerUrlPutsTheMocksOwnAddressInFrontOfTheExamplesPath) {
  auto gens = read({{"header",
                     {{"Location",
                       {{"type", "MockServerURL"},
                        {"regex", R"(.*(/transfers/\d+)$)"},
                        {"example", "http://localhost:1234/transfers/42"}}}}}});
  auto r = answer(gens, Json::object(), "127.0.0.1:8089");
  EXPECT_EQ(*r.headers.find("location"), "http://127.0.0.1:8089/transfers/42");
  // Without a Host to say where the mock is, the example stays.
  EXPECT_EQ(*answer(gens, Json::object()).headers.find("location"), "http://localhost:1234/transfers/42");
}

TEST(Generators, UnsupportedTypesAreSaidAndMalformedOnesRefused) {
  std::vector<std::string> unsupported;
  auto gens = read({{"body",
                     {{"$.a", {{"type", "Regex"}, {"regex", "\\d+"}}},
                      {"$.b", {{"type", "ProviderState"}, {"expression", "${id}"}}},
                      {"$.c", {{"type", "Date"}, {"expression", "+1 day"}}}}}},
                   &unsupported);
  EXPECT_TRUE(gens.empty());
  ASSERT_EQ(unsupported.size(), 3u);
  EXPECT_EQ(unsupported[0], "body $.a: Regex generators are not supported: the example is answered");
  EXPECT_EQ(unsupported[2], "body $.c: a Date \"expression\" is not supported: the example is answered");
  auto refused = [](const Json& g) {
    std::vector<std::string> u;
    auto r = mockserver::parse_generators(g, u);
    return r ? std::string("accepted") : r.error().message;
  };
  EXPECT_EQ(refused({{"body", {{"$.a", {{"type", "RandomInt"}, {"min", 9}, {"max", 1}}}}}}),
            "body $.a: \"min\" is above \"max\"");
  EXPECT_EQ(refused({{"status", {{"type", "RandomInt"}, {"min", 1}, {"max", 2}}}}),
            "status: a status is from 100 to 599");
  EXPECT_EQ(refused({{"status", {{"type", "Uuid"}}}}), "status: a status is generated with RandomInt only");
  EXPECT_EQ(refused({{"body", {{"$.a", {{"type", "RandomString"}, {"size", 100000000}}}}}}),
            "body $.a: \"size\" must be an integer from 1 to 65536");
  EXPECT_EQ(refused({{"body", {{"$.a", {{"type", "Date"}, {"format", "yyyy-QQ"}}}}}}),
            "body $.a: \"format\": the pattern letter 'Q' in \"yyyy-QQ\" is not supported");
  EXPECT_EQ(refused({{"body", {{"$.a[", {{"type", "Uuid"}}}}}}).rfind("body $.a[: ", 0), 0u);
  EXPECT_EQ(refused({{"body", {{"$.a", "Uuid"}}}}), "body $.a: a generator is an object with a \"type\"");
}

TEST(Generators, JavaDatePatternsWriteAKnownInstant) {
  const std::int64_t t = 1700000000123;  // 2023-11-14T22:13:20.123Z, a Tuesday
  auto f = [&](const char* p) { return *mockserver::format_java_date(p, t); };
  EXPECT_EQ(f("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(f("dd/MM/yy"), "14/11/23");
  EXPECT_EQ(f("EEE, d MMM yyyy hh:mm a z"), "Tue, 14 Nov 2023 10:13 PM UTC");
  EXPECT_EQ(f("EEEE MMMM D"), "Tuesday November 318");
  EXPECT_EQ(f("HHmmssZ"), "221320+0000");
  EXPECT_EQ(f("'o''clock' h"), "o'clock 10");
  EXPECT_FALSE(mockserver::format_java_date("yyyy 'open", t).has_value());
}

TEST(Generators, AScenarioRefusesWhatAPactOnlyWarnsAbout) {
  const Json response = {{"status", 200},
                         {"json", {{"id", "x"}}},
                         {"generators", {{"body", {{"$.id", {{"type", "Regex"}, {"regex", "[a-z]+"}}}}}}}};
  const Json scenario = {
      {"fixtureVersion", 1},
      {"name", "g"},
      {"interactions", {{{"request", {{"method", "GET"}, {"path", "/g"}}}, {"response", response}}}}};
  auto f = mockserver::parse_fixture(scenario.dump(), "g.json", mockserver::SupportFiles::none);
  ASSERT_FALSE(f.has_value());
  EXPECT_NE(f.error().message.find("g.json:1:"), std::string::npos) << f.error().message;
  EXPECT_NE(f.error().message.find("body $.id: Regex generators are not supported in a scenario (supported: Uuid, "),
            std::string::npos)
      << f.error().message;
  // A pact is someone else's file: it loads, the example answers, and the warning says so.
  const Json pact = {{"consumer", {{"name", "c"}}},
                     {"provider", {{"name", "p"}}},
                     {"metadata", {{"pactSpecification", {{"version", "3.0.0"}}}}},
                     {"interactions",
                      {{{"description", "g"},
                        {"request", {{"method", "GET"}, {"path", "/g"}}},
                        {"response",
                         {{"status", 200},
                          {"body", {{"id", "x"}}},
                          {"generators", {{"body", {{"$.id", {{"type", "Regex"}, {"regex", "[a-z]+"}}}}}}}}}}}}};
  std::vector<std::string> warnings;
  auto loaded = mockserver::fixture_from_pact_document(pact, "p.json", warnings);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "p.json: interaction 0: response generator body $.id: Regex generators are not supported: the example is "
            "answered");
  EXPECT_EQ(loaded->interactions[0].response.generators, nullptr);
}

}  // namespace
