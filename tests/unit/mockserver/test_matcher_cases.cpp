// The matcher's case table (tests/data/matcher-cases.json), one test per row: the expected
// request is loaded as a scenario's request (through the fixture loader), the actual one is
// matched against it, and the verdict and every reported mismatch must be as the row says.
#include <gtest/gtest.h>

#include <cctype>

#include "mockserver/fixture_loader.hpp"
#include "mockserver/matcher.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace {

struct Case {
  std::string name;
  util::Json row;
};

std::vector<Case> cases() {
  auto text = util::read_file(std::string(HARNESS_SOURCE_DIR) + "/tests/data/matcher-cases.json");
  if (!text) return {};
  auto doc = util::Json::parse(*text);
  std::vector<Case> out;
  for (const auto& row : doc["cases"]) {
    std::string name;
    bool upper = true;
    for (char c : row["comment"].get<std::string>()) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        upper = true;
        continue;
      }
      name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
    out.push_back({name, row});
  }
  return out;
}

util::HttpRequest actual_request(const util::Json& a) {
  util::HttpRequest r;
  r.method = a.value("method", "GET");
  r.path = a.value("path", "/");
  r.query = util::parse_form(a.value("query", ""));
  if (a.contains("headers"))
    for (const auto& [k, v] : a["headers"].items()) r.headers.add(k, v.get<std::string>());
  r.body = a.value("body", "");
  return r;
}

class MatcherCase : public ::testing::TestWithParam<Case> {};

TEST_P(MatcherCase, VerdictAndMismatchesAsTheRowSays) {
  const util::Json& row = GetParam().row;
  SCOPED_TRACE(row["comment"].get<std::string>());
  util::Json fixture = {
      {"fixtureVersion", 1}, {"name", "case"}, {"interactions", {{{"id", "case"}, {"request", row["expected"]}}}}};
  auto loaded = mockserver::parse_fixture(fixture.dump(), "case.json");
  ASSERT_TRUE(loaded) << loaded.error().message;
  util::HttpRequest request = actual_request(row["actual"]);
  mockserver::IncomingRequest in(request);
  auto result = mockserver::match_request(loaded->interactions.at(0).request, in);
  EXPECT_EQ(result.matched(), row["match"].get<bool>());
  std::vector<std::string> got;
  for (const auto& m : result.mismatches) got.push_back(std::string(mockserver::kind_name(m.kind)) + ":" + m.location);
  if (row.contains("mismatches"))
    EXPECT_EQ(got, row["mismatches"].get<std::vector<std::string>>());
  else
    EXPECT_TRUE(got.empty()) << util::join(got, ", ");
}

INSTANTIATE_TEST_SUITE_P(Table, MatcherCase, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(MatcherCases, TheTableIsThere) { EXPECT_GE(cases().size(), 40u); }

}  // namespace
