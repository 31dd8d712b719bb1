#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "mockserver/engine.hpp"
#include "mockserver/fixture_lint.hpp"
#include "mockserver/fixture_loader.hpp"

namespace {

util::Result<mockserver::Fixture> parse(const std::string& text) {
  return mockserver::parse_fixture(text, "fx/t.json");
}

std::string wrap(const std::string& interaction, const std::string& extra = "") {
  return "{\n\"fixtureVersion\": 1,\n\"name\": \"t\",\n\"interactions\": [\n" + interaction + "\n]" + extra + "\n}";
}

}  // namespace

TEST(FixtureLoader, UnknownKeyNamesFileLineColumnAndSuggestion) {
  auto r = parse(wrap(R"({"request": {"path": "/x"},
  "reponse": {"status": 200}})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "fx/t.json:6:3: unknown key \"reponse\" in an interaction (did you mean \"response\"?)");
}

TEST(FixtureLoader, UnknownTopLevelKeyIsAnError) {
  auto r = parse(wrap(R"({"request": {"path": "/x"}})", ",\n\"expectations\": {}"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("unknown key \"expectations\""), std::string::npos) << r.error().message;
}

TEST(FixtureLoader, RejectsWrongVersionStatusAndMethod) {
  EXPECT_FALSE(parse(R"({"fixtureVersion": 2, "name": "t", "interactions": []})"));
  EXPECT_FALSE(parse(wrap(R"({"request": {"path": "/x"}, "response": {"status": 99}})")));
  EXPECT_FALSE(parse(wrap(R"({"request": {"method": "FETCH", "path": "/x"}})")));
  EXPECT_FALSE(parse(wrap(R"({"request": {"path": "no-slash"}})")));
  EXPECT_FALSE(parse(wrap(R"({"request": {"path": "/x?a=1"}})")));
  EXPECT_FALSE(parse(wrap(R"({"request": {"path": "/x"}, "response": {"json": {}, "body": "x"}})")));
  // Priorities stay in a range whose rank cannot overflow; times is positive.
  EXPECT_FALSE(parse(wrap(R"({"priority": 20000, "request": {"path": "/x"}})")));
  EXPECT_TRUE(parse(wrap(R"({"priority": -10000, "request": {"path": "/x"}})")));
  EXPECT_FALSE(parse(wrap(R"({"times": 0, "request": {"path": "/x"}})")));
}

TEST(FixtureLoader, DuplicateIdsAreRejected) {
  auto r = parse(wrap(R"({"id": "a", "request": {"path": "/x"}}, {"id": "a", "request": {"path": "/y"}})"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("duplicate interaction id \"a\""), std::string::npos);
}

TEST(FixtureLoader, UnknownExpectCodesAreRejected) {
  auto r = parse(wrap(R"({"request": {"path": "/x"}})", ",\n\"expect\": {\"classification\": \"WRAPUP_NOT_FOUND\"}"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("unknown classification code"), std::string::npos);
  EXPECT_FALSE(parse(wrap(R"({"request": {"path": "/x"}})",
                          ",\n\"expect\": {\"classification\": \"OK\", \"violations\": [\"SCHEMA_NOPE\"]}")));
  EXPECT_FALSE(parse(wrap(R"({"request": {"path": "/x"}})",
                          ",\n\"expect\": {\"classification\": \"OK\", \"failedStep\": \"transferr\"}")));
}

TEST(FixtureLoader, JsonResponsesArePrecomputedWithContentType) {
  auto r = parse(
      wrap(R"({"request": {"method": "get", "path": "/a/{id}"}, "response": {"status": 202, "json": {"x": 1}}})"));
  ASSERT_TRUE(r) << r.error().message;
  const auto& i = r->interactions[0];
  EXPECT_EQ(i.request.method, "GET");
  EXPECT_EQ(i.response.body, R"({"x":1})");
  EXPECT_EQ(i.response.headers.get("content-type"), "application/json");
  ASSERT_EQ(i.request.segments().size(), 2u);
  EXPECT_TRUE(i.request.segments()[1].is_param());
  EXPECT_EQ(i.origin, "fx/t.json:5:1");
}

TEST(FixtureLoader, BodyFileMayNotLeaveTheFixtureFolder) {
  auto dir = std::filesystem::temp_directory_path() / "harness-loader-test";
  std::filesystem::create_directories(dir / "fx" / "bodies");
  std::ofstream(dir / "fx" / "bodies" / "ok.json") << R"({"ok":true})";
  std::ofstream(dir / "secret.txt") << "s3cret";
  auto good = mockserver::parse_fixture(
      wrap(R"({"request": {"path": "/x"}, "response": {"bodyFile": "bodies/ok.json"}})"), dir / "fx" / "t.json");
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->interactions[0].response.body, R"({"ok":true})");
  auto bad = mockserver::parse_fixture(
      wrap(R"({"request": {"path": "/x"}, "response": {"bodyFile": "../secret.txt"}})"), dir / "fx" / "t.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("leaves the fixture's folder"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(FixtureLoader, EveryBundledFixtureLoads) {
  auto files = mockserver::fixture_files({std::string(HARNESS_SOURCE_DIR) + "/fixtures"});
  ASSERT_TRUE(files);
  ASSERT_FALSE(files->empty());
  for (const auto& f : *files) {
    auto r = mockserver::load_fixture(f);
    EXPECT_TRUE(r) << r.error().message;
  }
}

TEST(FixtureLoader, FaultsDelaysAndDripsAreChecked) {
  auto typo = parse(wrap(R"({"request": {"path": "/x"}, "response": {"fault": "connection-rest"}})"));
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find(
                "fx/t.json:5:42: unknown fault \"connection-rest\" (did you mean \"connection-reset\"?)"),
            std::string::npos)
      << typo.error().message;
  auto range = parse(wrap(R"({"request": {"path": "/x"}, "response": {"delayMs": {"min": 90, "max": 10}}})"));
  ASSERT_FALSE(range);
  EXPECT_NE(range.error().message.find("\"max\" is below \"min\""), std::string::npos) << range.error().message;
  EXPECT_FALSE(parse(wrap(R"({"request": {"path": "/x"}, "response": {"delayMs": {"min": 10}}})")));
  EXPECT_FALSE(parse(wrap(R"({"request": {"path": "/x"}, "response": {"delayMs": -1}})")));
  auto stray = parse(wrap(R"({"request": {"path": "/x"}, "response": {"drip": {"chunkBytes": 4}}})"));
  ASSERT_FALSE(stray);
  EXPECT_NE(stray.error().message.find("only applies with \"fault\": \"slow-drip\""), std::string::npos);
  EXPECT_FALSE(
      parse(wrap(R"({"request": {"path": "/x"}, "response": {"fault": "slow-drip", "drip": {"chunkBytes": 0}}})")));

  auto ok =
      parse(wrap(R"({"request": {"path": "/x"}, "response": {"delayMs": {"min": 5, "max": 9}, "fault": "slow-drip",
                           "drip": {"chunkBytes": 4, "intervalMs": 20}}})"));
  ASSERT_TRUE(ok) << ok.error().message;
  const auto& r = ok->interactions[0].response;
  EXPECT_EQ(r.fault, mockserver::Fault::slow_drip);
  EXPECT_EQ(r.delay_ms, 5);
  EXPECT_EQ(r.delay_max_ms, 9);
  EXPECT_EQ(r.drip.chunk_bytes, 4u);
  EXPECT_EQ(r.drip.interval_ms, 20);
}

TEST(FixtureLint, AnInteractionThatCanNeverAnswerIsReported) {
  auto f = parse(wrap(R"({"id": "first", "request": {"method": "GET", "path": "/q/{id}"}, "response": {"status": 200}},
{"id": "second", "request": {"method": "GET", "path": "/q/{id}"}, "response": {"status": 429}},
{"id": "narrower", "request": {"method": "GET", "path": "/q/7"}, "response": {"status": 201}},
{"id": "outage", "priority": 5, "request": {"path": "/z"}, "response": {"status": 503}},
{"id": "z-exact", "request": {"method": "GET", "path": "/z", "headers": {"x-a": "1"}}, "response": {"status": 200}})"));
  ASSERT_TRUE(f) << f.error().message;
  auto problems = mockserver::lint_fixture(*f);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].substr(0, 15), "fx/t.json:6:1: ") << problems[0];
  EXPECT_NE(problems[0].find("\"second\" can never answer: \"first\""), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("\"z-exact\" can never answer: \"outage\""), std::string::npos) << problems[1];
  // A sequence (times) or a scenario state is not shadowing: the later one answers in turn.
  auto seq = parse(wrap(R"({"id": "first", "times": 1, "request": {"path": "/q"}, "response": {"status": 429}},
{"id": "then", "request": {"path": "/q"}, "response": {"status": 200}})"));
  ASSERT_TRUE(seq);
  EXPECT_TRUE(mockserver::lint_fixture(*seq).empty());
}

TEST(FixtureLint, AStateBoundInteractionIsNotShadowedAndTheEngineAgrees) {
  // check used to call "b" unreachable while serve answered with it: one rank for both now.
  auto f = parse(wrap(R"({"id": "a", "request": {"method": "GET", "path": "/x"}, "response": {"status": 200}},
{"id": "b", "request": {"method": "GET", "path": "/x"}, "scenario": {"name": "s", "requiredState": "Started"}, "response": {"status": 201}})"));
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_TRUE(mockserver::lint_fixture(*f).empty()) << mockserver::lint_fixture(*f)[0];
  mockserver::MockEngine engine;
  engine.add_fixture(*f);
  util::HttpRequest r;
  r.method = "GET";
  r.path = "/x";
  EXPECT_EQ(engine.handle(r).interaction_id, "b");
}

// The indexed lint against the obvious pairwise one, on random fixtures over a small alphabet
// (so that shadowing is common): the same reports, in the same order.
TEST(FixtureLint, IndexedLintAgreesWithEveryPairCompared) {
  std::mt19937 rng(20261201);
  auto pick = [&](std::initializer_list<const char*> xs) { return std::string(*(xs.begin() + rng() % xs.size())); };
  for (int round = 0; round < 200; ++round) {
    std::string items;
    int n = 2 + static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
      std::string req = "{";
      if (rng() % 4) req += "\"method\": \"" + pick({"GET", "POST"}) + "\", ";
      if (rng() % 6 == 0)
        req += "\"pathPattern\": \"" + pick({"^/a/.*$", "^/b$"}) + "\"";
      else
        req += "\"path\": \"" + pick({"/a/{id}", "/a/1", "/a/2", "/b", "/{x}/1", "/a/{id}/c"}) + "\"";
      if (rng() % 3 == 0) req += ", \"headers\": {\"x-k\": \"" + pick({"1", "2"}) + "\"}";
      if (rng() % 4 == 0) req += ", \"query\": {\"q\": {\"matches\": \"" + pick({"^1$", "^2$"}) + "\"}}";
      req += "}";
      std::string x = "{\"id\": \"i" + std::to_string(i) + "\", \"request\": " + req;
      if (rng() % 5 == 0) x += ", \"priority\": " + pick({"1", "-1"});
      if (rng() % 7 == 0) x += ", \"times\": 1";
      if (rng() % 7 == 0)
        x += ", \"scenario\": {\"name\": \"s\", \"requiredState\": \"" + pick({"Started", "Next"}) + "\"}";
      x += ", \"response\": {\"status\": 200}}";
      items += (i ? ",\n" : "") + x;
    }
    auto f = parse(wrap(items));
    ASSERT_TRUE(f) << f.error().message << "\n" << items;
    std::vector<std::string> expected;
    const auto& xs = f->interactions;
    for (std::size_t b = 0; b < xs.size(); ++b) {
      for (std::size_t a = 0; a < xs.size(); ++a) {
        if (a == b || xs[a].times || xs[a].scenario) continue;
        if (!mockserver::wins_over(mockserver::selection_rank(xs[a]), mockserver::selection_rank(xs[b]), a < b))
          continue;
        if (!mockserver::covers(xs[a].request, xs[b].request)) continue;
        expected.push_back(xs[b].id + " by " + xs[a].id);
        break;
      }
    }
    std::vector<std::string> got;
    for (const auto& p : mockserver::lint_fixture(*f)) {
      auto q1 = p.find("interaction \"") + 13, q2 = p.find('"', q1);
      auto q3 = p.find("answer: \"") + 9, q4 = p.find('"', q3);
      got.push_back(p.substr(q1, q2 - q1) + " by " + p.substr(q3, q4 - q3));
    }
    EXPECT_EQ(got, expected) << items;
  }
}

TEST(FixtureLint, BundledFixturesHaveNoShadowedInteractions) {
  auto files = mockserver::fixture_files({std::string(HARNESS_SOURCE_DIR) + "/fixtures"});
  ASSERT_TRUE(files);
  for (const auto& file : *files) {
    auto f = mockserver::load_fixture(file);
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_EQ(mockserver::lint_fixture(*f), std::vector<std::string>{}) << file;
  }
}

TEST(FixtureLint, FilesServedTogetherWarnWhenOneHidesAnothersInteractionsNamingBoth) {
  auto file = [](const std::string& name, const std::string& status, const std::string& path) {
    return mockserver::parse_fixture(
        "{\"fixtureVersion\": 1, \"name\": \"" + name + "\", \"interactions\": [" +
            R"({"id": "token", "request": {"method": "POST", "path": "/oauth/token"}, "response": {"status": )" +
            status + R"(}}, {"id": "other", "request": {"method": "GET", "path": ")" + path +
            R"("}, "response": {"status": 200}}]})",
        "fx/" + name + ".json");
  };
  auto refused = file("auth-401", "401", "/a");
  auto happy = file("happy", "200", "/b");
  ASSERT_TRUE(refused && happy);
  auto source = [](const mockserver::Fixture& f) {
    mockserver::LintSource s{f.file.string(), {}};
    for (const auto& x : f.interactions) s.interactions.push_back(&x);
    return s;
  };
  auto overlaps = mockserver::lint_together({source(*refused), source(*happy)});
  ASSERT_EQ(overlaps.size(), 1u);
  EXPECT_EQ(overlaps[0].shadowed, 1u);
  EXPECT_EQ(overlaps[0].shadowing, std::vector<std::size_t>{0});
  const std::string& m = overlaps[0].message;
  EXPECT_TRUE(
      m.starts_with("fx/happy.json: 1 of its 2 interactions never answer when served with fx/auth-401.json (1)"))
      << m;
  EXPECT_NE(m.find("\"token\" (fx/auth-401.json:1:"), std::string::npos) << m;
  // Each file alone is fine, and so are files whose requests differ.
  EXPECT_TRUE(mockserver::lint_fixture(*happy).empty());
  auto elsewhere = file("elsewhere", "200", "/c");
  ASSERT_TRUE(elsewhere);
  elsewhere->interactions.erase(elsewhere->interactions.begin());
  EXPECT_TRUE(mockserver::lint_together({source(*refused), source(*elsewhere)}).empty());
}
