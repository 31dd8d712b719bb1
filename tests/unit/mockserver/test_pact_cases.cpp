// The Pact specification's own test cases (tests/data/pact-testcases: v2 and v3, request and
// response, MIT, copied as published): each case's expected and actual sides are read as a pact
// states them and compared, and the verdict must equal the case's "match". Cases we do not pass
// yet are listed in known-failures.json with the reason; the list is enforced both ways (a new
// failure fails, and so does a listed case that now passes, so the list cannot go stale).
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <set>

#include "mockserver/pact.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace {

namespace fs = std::filesystem;
using mockserver::pact::Message;

const fs::path kRoot = fs::path(HARNESS_SOURCE_DIR) / "tests/data/pact-testcases";

std::set<std::string> known_failures() {
  auto text = util::read_file((kRoot / "known-failures.json").string());
  std::set<std::string> out;
  if (!text) return out;
  const auto doc = util::Json::parse(*text);
  for (const auto& entry : doc["cases"]) out.insert(entry["case"].get<std::string>());
  return out;
}

// The differences found in one case file, or an error when the case cannot be read as a pact.
util::Result<std::vector<mockserver::Mismatch>> verdict(const fs::path& file, int version, bool request) {
  TRY_ASSIGN(auto text, util::read_file(file.string()));
  auto doc = util::Json::parse(text, nullptr, false);
  if (doc.is_discarded()) return util::make_error("not JSON");
  TRY_ASSIGN(auto rules, mockserver::pact::parse_rules(doc["expected"].value("matchingRules", util::Json()), version));
  TRY_ASSIGN(Message expected, mockserver::pact::message_from_pact(doc["expected"], version));
  TRY_ASSIGN(Message actual, mockserver::pact::message_from_pact(doc["actual"], version));
  // The cases' actual side states its body the way the expected side does; when only the
  // expected side names a content type, the actual body is read under it.
  if (actual.content_type().empty() && !expected.content_type().empty()) {
    auto side = doc["actual"];
    side["headers"] = util::Json::object();
    side["headers"]["Content-Type"] = expected.content_type();
    TRY_ASSIGN(Message reread, mockserver::pact::message_from_pact(side, version));
    actual.body_kind = reread.body_kind;
    actual.body = reread.body;
    actual.text = reread.text;
  }
  return request ? mockserver::pact::match_request(expected, rules, actual)
                 : mockserver::pact::match_response(expected, rules, actual);
}

void run_cases(const std::string& version_dir, const std::string& side) {
  const int version = version_dir == "v2" ? 2 : 3;
  const auto known = known_failures();
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(kRoot / version_dir / side))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 50u) << "the test cases are missing";
  std::size_t passed = 0, listed = 0;
  for (const auto& file : files) {
    const std::string name = fs::relative(file, kRoot).generic_string();
    auto text = util::read_file(file.string());
    ASSERT_TRUE(text.has_value()) << name;
    const bool want = util::Json::parse(*text)["match"].get<bool>();
    auto got = verdict(file, version, side == "request");
    const bool pass = got.has_value() && got->empty() == want;
    if (known.count(name)) {
      ++listed;
      EXPECT_FALSE(pass) << name << " now passes: remove it from known-failures.json";
      continue;
    }
    std::string why = got.has_value() ? (want ? "should match" : "should not match") : got.error().message;
    if (got.has_value())
      for (const auto& m : *got) why += "; " + m.location + ": " + m.message;
    EXPECT_TRUE(pass) << name << ": " << why;
    passed += pass ? 1 : 0;
  }
  std::cout << "Pact " << version_dir << " " << side << " cases: " << passed << " of " << files.size() << " pass ("
            << listed << " known failures)\n";
}

TEST(PactCases, V2Requests) { run_cases("v2", "request"); }
TEST(PactCases, V2Responses) { run_cases("v2", "response"); }
TEST(PactCases, V3Requests) { run_cases("v3", "request"); }
TEST(PactCases, V3Responses) { run_cases("v3", "response"); }

}  // namespace
