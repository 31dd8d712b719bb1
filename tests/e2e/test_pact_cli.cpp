// serve --pact: a Pact v3 file served by the real cxone-mock on an OS-chosen port; requests that
// differ in values the pact's matching rules allow are answered, requests that break them get
// the near-miss 404 naming the Pact mismatch, and a pact can be posted to the admin API.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <httplib.h>

#include "e2e_support.hpp"
#include "process.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

const std::string kPact = std::string(HARNESS_SOURCE_DIR) + "/tests/data/pact/cognigy-bot-cxone.v3.pact.json";

struct ServedPact {
  e2e::Child child;
  std::string url;
  explicit ServedPact(std::vector<std::string> args)
      : child([&] {
          std::vector<std::string> argv = {kMock, "serve", "--port", "0"};
          argv.insert(argv.end(), args.begin(), args.end());
          return argv;
        }()) {
    auto line = child.wait_for_line("listening on ", std::chrono::seconds(10));
    if (line) url = line->substr(std::string("listening on ").size());
  }
};

const std::string kTransfer = "/api/v2/conversations/voice/3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47/transfer?notify=true";

TEST(ServePact, MatchingRulesDecideWhatIsAnswered) {
  ServedPact mock({"--pact", kPact});
  ASSERT_FALSE(mock.url.empty()) << mock.child.drain_stderr();
  httplib::Client cli(mock.url);
  // Another queue ID, as the path rule allows: the pact's answer.
  auto queue = cli.Get("/api/v2/routing/queues/00000000-1111-4222-8333-444444444444", {{"Accept", "application/json"}});
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->status, 200);
  EXPECT_EQ(util::Json::parse(queue->body)["name"], "Billing Support");
  // Other values of the same types and shapes: a consult transfer, another intent, another confidence.
  std::string body =
      R"({"transferTo":{"type":"queue","id":"0a7c3e55-5b2d-4f7e-9c1a-8e6d4b2f1a90"},"transferType":"consult",)"
      R"("contextData":{"intent":"refund","confidence":0.5}})";
  auto ok = cli.Post(kTransfer, body, "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 202) << ok->body;
  EXPECT_EQ(util::Json::parse(ok->body)["status"], "accepted");
  // The pact's Uuid generator: a fresh transfer ID per answer, never the example's.
  auto again = cli.Post(kTransfer, body, "application/json");
  ASSERT_TRUE(again);
  const std::string id1 = util::Json::parse(ok->body)["transferId"], id2 = util::Json::parse(again->body)["transferId"];
  EXPECT_NE(id1, "c0ffee00-0000-4000-8000-000000000001");
  EXPECT_NE(id1, id2);
  EXPECT_EQ(id1.size(), 36u);
  // A display name where the rule wants a UUID: not answered; the near miss says where and why.
  std::string bad = R"({"transferTo":{"type":"queue","id":"Billing Support"},"transferType":"blind",)"
                    R"("contextData":{"intent":"refund","confidence":0.5}})";
  auto miss = cli.Post(kTransfer, bad, "application/json");
  ASSERT_TRUE(miss);
  EXPECT_EQ(miss->status, 404);
  EXPECT_NE(miss->body.find("$.transferTo.id"), std::string::npos) << miss->body;
  // An extra key in a request body is a mismatch in Pact (only responses may carry more).
  std::string extra =
      R"({"transferTo":{"type":"queue","id":"0a7c3e55-5b2d-4f7e-9c1a-8e6d4b2f1a90"},"transferType":"blind",)"
      R"("contextData":{"intent":"refund","confidence":0.5},"priority":3})";
  auto unexpected = cli.Post(kTransfer, extra, "application/json");
  ASSERT_TRUE(unexpected);
  EXPECT_EQ(unexpected->status, 404);
  EXPECT_NE(unexpected->body.find("priority"), std::string::npos) << unexpected->body;
  // Without the pact's query parameter: not answered either.
  auto no_query =
      cli.Post("/api/v2/conversations/voice/3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47/transfer", body, "application/json");
  ASSERT_TRUE(no_query);
  EXPECT_EQ(no_query->status, 404);
  const int code = mock.child.stop(SIGTERM);
  const std::string err = mock.child.drain_stderr();
  EXPECT_EQ(code, 0) << err;
  EXPECT_EQ(err.find("generator"), std::string::npos);  // applied, so nothing to say
}

TEST(ServePact, APactPostedToTheAdminApiIsServed) {
  ServedPact mock({"--pact", kPact});
  ASSERT_FALSE(mock.url.empty());
  httplib::Client cli(mock.url);
  std::string v2 =
      R"({"consumer":{"name":"bot"},"provider":{"name":"api"},"metadata":{"pactSpecification":{"version":"2.0.0"}},
    "interactions":[{"description":"health","request":{"method":"GET","path":"/health","query":"deep=true"},
    "response":{"status":200,"body":"ok","headers":{"Content-Type":"text/plain"}}}]})";
  auto posted = cli.Post("/__admin/fixtures", v2, "application/json");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 201) << posted->body;
  auto health = cli.Get("/health?deep=true");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok");
  EXPECT_EQ(mock.child.stop(SIGTERM), 0) << mock.child.drain_stderr();
}

TEST(ServePact, ABadPactIsOneLineAndExitTwo) {
  TempDir dir;
  fs::path bad = dir.path / "bad.pact.json";
  std::ofstream(bad) << R"({"consumer":{"name":"a"},"provider":{"name":"b"},"interactions":[{"description":"x",
    "request":{"method":"GET","path":"/x","matchingRules":{"body":{"$.a":{"matchers":[{"match":"telepathy"}]}}}},
    "response":{"status":200}}],"metadata":{"pactSpecification":{"version":"3.0.0"}}})";
  auto r = run({kMock, "serve", "--port", "0", "--pact", bad.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("interaction 0 request"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown matcher \"telepathy\""), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

const std::string kStatesPact = std::string(HARNESS_SOURCE_DIR) + "/tests/data/pact/queue-states.v3.pact.json";
const std::string kQueue = "/api/v2/routing/queues/7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13";

TEST(ServePact, ProviderStatesChooseTheAnswer) {
  ServedPact mock({"--pact", kStatesPact});
  ASSERT_FALSE(mock.url.empty()) << mock.child.drain_stderr();
  httplib::Client cli(mock.url);
  // Nothing set up: every interaction serves, the first of two alike answers (as Pact's mock).
  auto first = cli.Get(kQueue);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  // A request may choose its state with a header, as with pact-stub-server.
  auto chosen = cli.Get(kQueue, {{"X-Pact-Provider-State", "queue Billing Support was deleted"}});
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->status, 404);
  EXPECT_EQ(util::Json::parse(chosen->body)["code"], "not.found") << chosen->body;
  // The body a Pact verifier posts to a provider's state-change URL sets the state up.
  auto setup = cli.Post("/__admin/provider-states",
                        R"({"state": "queue Billing Support was deleted", "params": {"deletedBy": "admin"},
                            "action": "setup"})",
                        "application/json");
  ASSERT_TRUE(setup);
  EXPECT_EQ(setup->status, 200) << setup->body;
  EXPECT_EQ(util::Json::parse(setup->body)["active"], util::Json::array({"queue Billing Support was deleted"}));
  auto deleted = cli.Get(kQueue);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 404);
  EXPECT_EQ(util::Json::parse(deleted->body)["message"], "queue not found");
  // An interaction that names no state serves whatever is set up; its XML body as the pact has it.
  auto health = cli.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, R"(<health status="up"/>)");
  // What is set up, and what the loaded interactions know.
  auto states = cli.Get("/__admin/provider-states");
  ASSERT_TRUE(states);
  auto listed = util::Json::parse(states->body);
  EXPECT_EQ(listed["known"].size(), 2u) << states->body;
  // A state no interaction names is refused, as a provider without its handler would.
  auto unknown = cli.Post("/__admin/provider-states", R"({"state": "queue Sales exists"})", "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_NE(util::Json::parse(unknown->body)["message"].get<std::string>().find(
                "no interaction names the provider state \"queue Sales exists\""),
            std::string::npos)
      << unknown->body;
  // Another state's interaction is a near miss that says which state it is for.
  auto teardown =
      cli.Post("/__admin/provider-states", R"({"state": "queue Billing Support was deleted", "action": "teardown"})",
               "application/json");
  ASSERT_TRUE(teardown);
  EXPECT_EQ(util::Json::parse(teardown->body)["active"], util::Json::array());
  auto active =
      cli.Post("/__admin/provider-states", R"({"state": "queue Billing Support is active"})", "application/json");
  ASSERT_TRUE(active);
  auto miss = cli.Get(kQueue, {{"X-Pact-Provider-State", "queue Sales exists"}});
  ASSERT_TRUE(miss);
  EXPECT_EQ(miss->status, 404);
  EXPECT_NE(miss->body.find("providerState"), std::string::npos) << miss->body;
  // Reset: back to what the mock started with (nothing set up).
  ASSERT_TRUE(cli.Post("/__admin/reset", "", "application/json"));
  auto again = cli.Get(kQueue);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  const int code = mock.child.stop(SIGTERM);
  const std::string err = mock.child.drain_stderr();
  EXPECT_EQ(code, 0) << err;
  EXPECT_NE(err.find("provider state parameters are not used"), std::string::npos);
}

TEST(ServePact, TheProviderStateFlagSetsUpAStateFromTheStart) {
  {
    ServedPact mock({"--pact", kStatesPact, "--provider-state", "queue Billing Support was deleted"});
    ASSERT_FALSE(mock.url.empty()) << mock.child.drain_stderr();
    httplib::Client cli(mock.url);
    auto r = cli.Get(kQueue);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(mock.child.stop(SIGTERM), 0) << mock.child.drain_stderr();
  }
  auto bad = run({kMock, "serve", "--port", "0", "--pact", kStatesPact, "--provider-state", "queue Sales exists"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "cxone-mock: --provider-state: no interaction names the provider state \"queue Sales exists\"\n");
}

}  // namespace
