// One cxone-mock serving every bundled scenario, each picked per request: replay --mock runs the
// whole library through that one process; interactions replaced through the admin API under load
// take effect whole, never half.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <thread>

#include "e2e_support.hpp"
#include "util/json_text.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

struct ServedLibrary {
  Child child;
  std::string url;
  explicit ServedLibrary(std::vector<std::string> extra = {})
      : child([&] {
          std::vector<std::string> argv = {kMock, "serve", "--fixtures", kFixtures, "--port", "0"};
          argv.insert(argv.end(), extra.begin(), extra.end());
          return argv;
        }()) {
    if (auto line = child.wait_for_line("listening on ", std::chrono::seconds(10)))
      url = line->substr(std::string("listening on ").size());
  }
  int port() const { return std::stoi(url.substr(url.rfind(':') + 1)); }
};

}  // namespace

TEST(OneMock, ReplaysEveryBundledScenarioThroughOneProcess) {
  ServedLibrary mock;
  ASSERT_FALSE(mock.url.empty()) << mock.child.drain_stderr();
  auto r = run({kDiag, "replay", kFixtures, "--mock", mock.url, "--format", "json"}, {}, std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 0) << r.out.substr(0, 4000) << r.err;
  auto report = util::Json::parse(r.out);
  EXPECT_EQ(report["passed"], bundled_scenarios().size()) << report["failed"];
  // Through one process with no scenario named, the merged pool answers the first file's token.
  httplib::Client cli("127.0.0.1", mock.port());
  auto merged = cli.Post("/oauth/token", "grant_type=client_credentials", "application/x-www-form-urlencoded");
  auto named = cli.Post("/__scenario/transfer-202-happy-path/oauth/token",
                        "grant_type=client_credentials&client_id=" + kClient, "application/x-www-form-urlencoded");
  ASSERT_TRUE(merged && named);
  EXPECT_EQ(named->status, 200) << named->body;
  EXPECT_EQ(mock.child.stop(SIGTERM), 0) << mock.child.drain_stderr();
}

TEST(OneMock, ReplayOnAMockWithoutTheScenarioOrWithoutTheTokenSaysWhy) {
  TempDir dir;
  fs::copy_file(kFixtures + "/queue-inactive.json", dir.path / "queue-inactive.json");
  ServedLibrary mock;  // serves the bundled files, not the renamed copy below
  ASSERT_FALSE(mock.url.empty());
  std::string text = *util::read_file(dir.path / "queue-inactive.json");
  text.replace(text.find("\"queue-inactive\""), 16, "\"not-served-here\"");
  std::ofstream(dir.path / "queue-inactive.json") << text;
  auto r = run({kDiag, "replay", dir.path.string(), "--mock", mock.url});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE((r.out + r.err).find("no scenario named \"not-served-here\""), std::string::npos) << r.out << r.err;
  EXPECT_EQ(mock.child.stop(SIGTERM), 0) << mock.child.drain_stderr();

  const std::string token = "one-mock-admin-token-5e1";
  ServedLibrary guarded({"--admin-token", token});
  ASSERT_FALSE(guarded.url.empty());
  auto refused = run({kDiag, "replay", kFixtures + "/queue-inactive.json", "--mock", guarded.url});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE((refused.out + refused.err).find("401 the admin API needs the admin token"), std::string::npos)
      << refused.out << refused.err;
  auto allowed = run({kDiag, "replay", kFixtures + "/queue-inactive.json", "--mock", guarded.url},
                     {{"CXONE_MOCK_ADMIN_TOKEN", token}});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.out << allowed.err;
  EXPECT_EQ((allowed.out + allowed.err).find(token), std::string::npos);
  EXPECT_EQ(guarded.child.stop(SIGTERM), 0) << guarded.child.drain_stderr();
}

// Four clients call an interaction while a fifth replaces it, again and again, with answers whose
// status and body belong together: every answer is one version whole (never a 404, never one
// version's status with the other's body).
TEST(OneMock, AnInteractionReplacedUnderLoadIsNeverHalfApplied) {
  ServedLibrary mock;
  ASSERT_FALSE(mock.url.empty());
  const std::string path = "/__scenario/queue-inactive/api/v2/routing/queues/7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13";
  auto version = [](int v) {
    return R"({"request": {"method": "GET", "path": "/api/v2/routing/queues/{id}"},
               "response": {"status": )" +
           std::to_string(200 + v) + R"(, "json": {"version": )" + std::to_string(v) + "}}}";
  };
  httplib::Client admin("127.0.0.1", mock.port());
  auto first = admin.Put("/__admin/interactions/queue-inactive/get-queue", version(0), "application/json");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;

  std::atomic<bool> stop{false};
  std::atomic<int> answers{0}, wrong{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c)
    clients.emplace_back([&] {
      httplib::Client cli("127.0.0.1", mock.port());
      while (!stop) {
        auto r = cli.Get(path);
        if (!r) continue;
        auto body = util::parse_json_lenient(r->body);
        bool whole =
            r->status >= 200 && r->status <= 202 && body.is_object() && body.value("version", -1) == r->status - 200;
        if (!whole) ++wrong;
        ++answers;
      }
    });
  int replaced = 0;
  for (int round = 1; round <= 60; ++round) {
    auto r = admin.Put("/__admin/interactions/queue-inactive/get-queue", version(round % 3), "application/json");
    if (r && r->status == 200) ++replaced;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(replaced, 60);
  EXPECT_GT(answers.load(), 200);
  EXPECT_EQ(wrong.load(), 0) << "of " << answers.load() << " answers";
  EXPECT_EQ(mock.child.stop(SIGTERM), 0) << mock.child.drain_stderr();
}
