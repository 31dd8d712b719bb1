// The official JSON-Schema-Test-Suite (draft-07, Debian package json-schema-test-suite) through
// our compiled validator. Known failures are data (draft7-known-failures.txt): a new failure
// fails the test, and so does a listed case that now passes (keep the list honest).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "contracts/schema.hpp"
#include "util/file.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kSuite = "/usr/share/json-schema-test-suite/tests/draft7";
const fs::path kRemotes = "/usr/share/json-schema-test-suite/remotes";

// The suite's remote references point at http://localhost:1234/, served from its remotes/ folder.
std::optional<util::Json> load_remote(const std::string& uri) {
  const std::string prefix = "http://localhost:1234/";
  if (!uri.starts_with(prefix)) return std::nullopt;
  auto text = util::read_file(kRemotes / uri.substr(prefix.size()));
  if (!text) return std::nullopt;
  return util::Json::parse(*text);
}

std::set<std::string> known_failures() {
  std::set<std::string> out;
  std::ifstream in(std::string(HARNESS_SOURCE_DIR) + "/tests/conformance/draft7-known-failures.txt");
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out.insert(line);
  return out;
}

}  // namespace

TEST(Draft7Suite, RequiredTestsPassExceptTheKnownList) {
  ASSERT_TRUE(fs::is_directory(kSuite)) << kSuite << " missing: ci/bootstrap.sh installs json-schema-test-suite";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kSuite))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());

  int total = 0, passed = 0, false_accepts = 0;
  std::set<std::string> failures;
  for (const auto& file : files) {
    auto groups = util::Json::parse(*util::read_file(file));
    for (const auto& group : groups) {
      auto schema = contracts::Schema::compile(group["schema"], group["description"].get<std::string>(), load_remote);
      for (const auto& test : group["tests"]) {
        ++total;
        std::string id = file.stem().string() + ": " + group["description"].get<std::string>() + ": " +
                         test["description"].get<std::string>();
        bool want = test["valid"].get<bool>();
        if (!schema) {
          failures.insert(id);  // not compiled: the schema is refused, never weakened
          continue;
        }
        bool got = schema->is_valid(test["data"]);
        if (got == want) {
          ++passed;
        } else {
          failures.insert(id);
          if (got && !want) ++false_accepts;
        }
      }
    }
  }
  std::printf("draft-07 required suite: %d/%d passed (%.1f%%), %d false accepts\n", passed, total,
              100.0 * passed / total, false_accepts);
  auto known = known_failures();
  for (const auto& f : failures) EXPECT_TRUE(known.count(f)) << "new failure: " << f;
  for (const auto& k : known) EXPECT_TRUE(failures.count(k)) << "listed as known but passes now: " << k;
}
