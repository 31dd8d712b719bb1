// fixtures/fixture.schema.json (for editors) and the fixture loader (cxone-mock check) must agree:
// every bundled scenario passes both; whatever the schema refuses, check refuses; and every
// structural mistake check refuses (a key, a type, a range, a combination), the schema refuses
// too. What a schema cannot express (a regex that does not compile, duplicate ids, a file outside
// the folder, a shadowed interaction) is check's alone.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <set>

#include "contracts/catalogue.hpp"
#include "contracts/schema.hpp"
#include "mockserver/fixture_loader.hpp"
#include "util/file.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kSource = HARNESS_SOURCE_DIR;

const contracts::Schema& fixture_schema() {
  static const contracts::Schema schema = [] {
    auto doc = util::Json::parse(*util::read_file(kSource / "fixtures/fixture.schema.json"));
    return util::value_or_throw(contracts::Schema::compile(doc, "fixture"));
  }();
  return schema;
}

std::string schema_problems(const util::Json& doc) {
  std::vector<contracts::Violation> out;
  fixture_schema().validate(doc, out, false);
  std::string text;
  for (const auto& v : out) text += v.pointer + ": " + v.message + "\n";
  return text;
}

// Mistakes of shape: the schema must refuse them as check does.
bool structural(const std::string& message) {
  if (message.find("invalid regular expression") != std::string::npos) return false;  // the regex engine's words
  for (const char* what :
       {"unknown key", "must be", "missing", "needs", "give either", "give at most one", "unknown fault",
        "unknown classification", "unknown violation", "unknown HTTP method", "unsupported fixtureVersion",
        "only applies with", "belongs in", "looks like a handover payload", "put query parameters",
        "a matcher has exactly one", "is not a JSON pointer", "failedStep must be"})
    if (message.find(what) != std::string::npos) return true;
  return false;
}

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("fixture-schema-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

void expect_agreement(const fs::path& file, const std::string& label) {
  auto text = util::read_file(file);
  ASSERT_TRUE(text) << label;
  util::Json doc = util::parse_json_lenient(*text);
  if (doc.is_discarded()) return;  // not JSON: check says where; nothing for a schema to judge
  auto loaded = mockserver::load_fixture(file);
  std::string problems = schema_problems(doc);
  if (!problems.empty()) {
    EXPECT_FALSE(loaded) << label << ": the schema refuses it, check accepts it:\n" << problems;
  }
  if (!loaded && structural(loaded.error().message)) {
    EXPECT_FALSE(problems.empty()) << label << ": check refuses it, the schema accepts it: " << loaded.error().message;
  }
}

}  // namespace

TEST(FixtureSchema, EveryBundledScenarioPassesTheSchemaAndCheck) {
  auto files = mockserver::fixture_files({(kSource / "fixtures").string()});
  ASSERT_TRUE(files);
  ASSERT_GE(files->size(), 20u);
  for (const auto& f : *files) {
    EXPECT_FALSE(f.filename().string().ends_with(".schema.json")) << "the schema is not a scenario";
    auto doc = util::Json::parse(*util::read_file(f));
    EXPECT_EQ(schema_problems(doc), "") << f;
    auto loaded = mockserver::load_fixture(f);
    EXPECT_TRUE(loaded) << f << ": " << (loaded ? "" : loaded.error().message);
  }
}

TEST(FixtureSchema, AgreesWithCheckOnTheBadInputTablesFixtures) {
  auto table = util::Json::parse(*util::read_file(kSource / "tests/e2e/bad-inputs.json"));
  int judged = 0;
  for (const auto& row : table["cases"]) {
    if (!row.contains("files")) continue;
    TempDir dir;
    bool plain = true;
    for (const auto& [name, content] : row["files"].items()) {
      if (!content.is_string()) plain = false;  // generated hostile content: the table covers it
      if (!plain) break;
      fs::create_directories((dir.path / name).parent_path());
      std::ofstream(dir.path / name) << content.get<std::string>();
    }
    if (!plain) continue;
    for (const auto& [name, content] : row["files"].items()) {
      const std::string& text = content.get_ref<const std::string&>();
      if (!name.ends_with(".json") ||
          (text.find("fixtureVersion") == std::string::npos && text.find("interactions") == std::string::npos))
        continue;
      expect_agreement(dir.path / name, row["name"].get<std::string>() + " " + name);
      ++judged;
    }
  }
  EXPECT_GE(judged, 10);
}

TEST(FixtureSchema, BothRefuseEveryStructuralMistake) {
  const std::string ok_interaction =
      R"({"id": "a", "request": {"method": "GET", "path": "/x"}, "response": {"status": 200}})";
  auto fixture = [&](const std::string& top, const std::string& interaction) {
    return "{\"fixtureVersion\": 1, \"name\": \"t\"" + top + ", \"interactions\": [" + interaction + "]}";
  };
  const std::vector<std::string> mistakes = {
      fixture(", \"nmae\": \"x\"", ok_interaction),
      fixture(", \"tags\": \"a\"", ok_interaction),
      fixture(", \"inputs\": {\"conversationId\": 42}", ok_interaction),
      fixture(", \"inputs\": {\"payload\": {}, \"payloadFile\": \"p.json\"}", ok_interaction),
      fixture(", \"inputs\": {\"execute\": \"yes\"}", ok_interaction),
      fixture(", \"inputs\": {\"contract\": [1]}", ok_interaction),
      fixture(", \"expect\": {\"classification\": \"WRAPUP_CODE_NOT_FOUN\"}", ok_interaction),
      fixture(", \"expect\": {\"classification\": \"OK\", \"failedStep\": \"dial\"}", ok_interaction),
      fixture(", \"expect\": {\"classification\": \"OK\", \"violations\": [\"NOPE\"]}", ok_interaction),
      fixture(", \"expect\": {\"failedStep\": null}", ok_interaction),
      fixture("", R"({"id": 7, "request": {"path": "/x"}})"),
      fixture("", R"({"request": {"path": "/x"}, "fault": "timeout"})"),
      fixture("", R"({"request": {"path": "/x"}, "reponse": {}})"),
      fixture("", R"({"response": {"status": 200}})"),
      fixture("", R"({"request": {"path": "x"}})"),
      fixture("", R"({"request": {"path": "/x?a=1"}})"),
      fixture("", R"({"request": {"path": "/x", "pathPattern": "^/x$"}})"),
      fixture("", R"({"request": {"method": "FETCH", "path": "/x"}})"),
      fixture("", R"({"request": {"path": "/x", "headers": {"a": {"equals": "1", "matches": "2"}}}})"),
      fixture("", R"({"request": {"path": "/x", "headers": {"a": ["1"]}}})"),
      fixture("", R"({"request": {"path": "/x", "bodyFields": {"contextData/intent": "x"}}})"),
      fixture("", R"({"request": {"path": "/x"}, "response": {"status": 99}})"),
      fixture("", R"({"request": {"path": "/x"}, "response": {"json": {}, "body": ""}})"),
      fixture("", R"({"request": {"path": "/x"}, "response": {"body": {}}})"),
      fixture("", R"({"request": {"path": "/x"}, "response": {"fault": "explode"}})"),
      fixture("", R"({"request": {"path": "/x"}, "response": {"drip": {"chunkBytes": 4}}})"),
      fixture("", R"({"request": {"path": "/x"}, "response": {"delayMs": {"min": 5}}})"),
      fixture("", R"({"request": {"path": "/x"}, "response": {"delayMs": 700000}})"),
      fixture("", R"({"request": {"path": "/x"}, "priority": 20000})"),
      fixture("", R"({"request": {"path": "/x"}, "times": 0})"),
      fixture("", R"({"request": {"path": "/x"}, "required": "yes"})"),
      fixture("", R"({"request": {"path": "/x"}, "scenario": {"requiredState": "A"}})"),
      fixture("", R"({"request": {"path": "/x"}, "scenario": {"name": "s", "newState": 2}})"),
      fixture("", R"({"request": {"path": "/x"}, "validatePayload": {"rejectStatus": 500}})"),
      R"({"fixtureVersion": 2, "name": "t", "interactions": []})",
      R"({"fixtureVersion": 1, "interactions": []})",
      R"({"transferTo": {"type": "queue", "id": "x"}, "contextData": {}})",
  };
  for (std::size_t i = 0; i < mistakes.size(); ++i) {
    auto loaded = mockserver::parse_fixture(mistakes[i], "m.json");
    EXPECT_FALSE(loaded) << "check accepts mistake " << i << ": " << mistakes[i];
    if (!loaded) {
      EXPECT_TRUE(structural(loaded.error().message)) << "mistake " << i << ": " << loaded.error().message;
    }
    EXPECT_NE(schema_problems(util::Json::parse(mistakes[i])), "")
        << "the schema accepts mistake " << i << ": " << mistakes[i];
  }
  // And the forms the reference documents are accepted by both.
  const std::string full = fixture(
      R"(, "description": "d", "tags": ["a"], "profile": "v2", "inputs": {"conversationId": "c", "execute": true, "contract": ["transfer"], "payload": {"a": 1}}, "expect": {"classification": "OK", "failedStep": null, "violations": ["SCHEMA_REQUIRED"]})",
      R"({"id": "a", "description": "d", "priority": 5, "times": 2, "required": true, "validatePayload": {"rejectStatus": 422},
          "scenario": {"name": "s", "requiredState": "Started", "newState": "B"},
          "request": {"method": "post", "pathPattern": "^/x/[0-9]+$", "query": {"q": {"matches": "^1$"}, "n": 3}, "headers": {"x-a": {"absent": true}},
                      "form": {"grant_type": "client_credentials"}, "json": {"a": 1}, "bodyFields": {"/a": 1, "/b": {"present": true}, "/c": {"x": 1}}},
          "response": {"status": 503, "headers": {"Retry-After": 2}, "json": {"m": 1}, "delayMs": {"min": 1, "max": 5}, "fault": "slow-drip", "drip": {"chunkBytes": 4, "intervalMs": 10}}})");
  auto loaded = mockserver::parse_fixture(full, "full.json");
  EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().message);
  EXPECT_EQ(schema_problems(util::Json::parse(full)), "");
}

TEST(FixtureSchema, ItsClassificationAndViolationCodesAreTheCatalogues) {
  auto doc = util::Json::parse(*util::read_file(kSource / "fixtures/fixture.schema.json"));
  auto catalogue = util::value_or_throw(contracts::Catalogue::builtin());
  std::set<std::string> classifications, violations;
  for (const auto& e : catalogue.entries()) {
    if (e.kind == "flow") continue;  // flows' findings (handover-diag flows), not a scenario's expect
    (e.kind == "violation" ? violations : classifications).insert(e.code);
  }
  std::set<std::string> in_schema_c, in_schema_v;
  for (const auto& c : doc["definitions"]["expect"]["properties"]["classification"]["enum"]) in_schema_c.insert(c);
  for (const auto& c : doc["definitions"]["expect"]["properties"]["violations"]["items"]["enum"]) in_schema_v.insert(c);
  EXPECT_EQ(in_schema_c, classifications);
  EXPECT_EQ(in_schema_v, violations);
}
