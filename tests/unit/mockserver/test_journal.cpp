// The journal: a bounded ring with a sequence over every request, the unmatched ones on demand,
// safe to write from every event loop at once, and its JSON form (the admin API and --journal).
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "mockserver/journal.hpp"

namespace {

mockserver::JournalEntry request(std::string path, std::string interaction = "") {
  return mockserver::JournalEntry{.method = "GET",
                                  .path = std::move(path),
                                  .status = interaction.empty() ? 404 : 200,
                                  .interaction_id = std::move(interaction)};
}

TEST(Journal, KeepsTheNewestUpToItsLimitAndNumbersEveryRequest) {
  mockserver::Journal journal(3);
  for (int i = 1; i <= 5; ++i) journal.record(request("/r" + std::to_string(i), "x"));
  auto kept = journal.snapshot();
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept.front().path, "/r3");
  EXPECT_EQ(kept.front().seq, 3u);
  EXPECT_EQ(kept.back().seq, 5u);
  EXPECT_EQ(journal.total(), 5u);
  journal.clear();
  EXPECT_TRUE(journal.snapshot().empty());
  EXPECT_EQ(journal.total(), 5u);  // the count goes on
  journal.record(request("/r6"));
  EXPECT_EQ(journal.snapshot().front().seq, 6u);
}

TEST(Journal, UnmatchedListsOnlyTheRequestsNoInteractionAnswered) {
  mockserver::Journal journal;
  journal.record(request("/a", "conversation-1"));
  journal.record(request("/b"));
  journal.record(request("/c", "queue-1"));
  auto unmatched = journal.unmatched();
  ASSERT_EQ(unmatched.size(), 1u);
  EXPECT_EQ(unmatched[0].path, "/b");
}

TEST(Journal, ConcurrentWritersGetDistinctSequenceNumbers) {
  mockserver::Journal journal(100000);
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) journal.record(request("/x", "i"));
    });
  for (auto& w : writers) w.join();
  EXPECT_EQ(journal.total(), 20000u);
  std::set<std::uint64_t> seqs;
  for (const auto& e : journal.snapshot()) seqs.insert(e.seq);
  EXPECT_EQ(seqs.size(), 20000u);
  EXPECT_EQ(*seqs.begin(), 1u);
  EXPECT_EQ(*seqs.rbegin(), 20000u);
}

TEST(Journal, JsonSaysWhatAnsweredOrWhatCameClose) {
  auto matched = request("/api/v2/conversations/c1", "conversation-1");
  matched.fixture = "fixtures/happy.json";
  matched.query = "expand=participants";
  util::Json m = mockserver::to_json(matched);
  EXPECT_EQ(m["matched"], true);
  EXPECT_EQ(m["interaction"], "conversation-1");
  EXPECT_EQ(m["fixture"], "fixtures/happy.json");
  EXPECT_EQ(m["query"], "expand=participants");
  EXPECT_FALSE(m.contains("closest"));

  auto missed = request("/api/v2/conversations/c2");
  missed.closest = util::Json::array({{{"interaction", "conversation-1"}}});
  util::Json u = mockserver::to_json(missed);
  EXPECT_EQ(u["matched"], false);
  EXPECT_EQ(u["status"], 404);
  EXPECT_FALSE(u.contains("interaction"));
  EXPECT_FALSE(u.contains("query"));
  EXPECT_EQ(u["closest"][0]["interaction"], "conversation-1");
}

}  // namespace

// What a request's entry keeps: time, headers, query and body, with every credential masked:
// credential headers by name, credential fields of a form, a JSON body (any depth) and the query
// by name, and a bearer token's value wherever else it appears in the body.
TEST(Journal, CaptureKeepsTheRequestWithCredentialsMasked) {
  util::HttpRequest r;
  r.method = "POST";
  r.path = "/oauth/token";
  r.headers.add("Authorization", "Bearer tok-3f9a8b7c6d");
  r.headers.add("X-Request-Id", "abc-123");
  r.query = {{"client_secret", "q-secret-55"}, {"page", "2"}};
  r.body =
      R"({"grant": "client_credentials", "nested": {"client_secret": "s3cr3t-value-9"}, "echo": "tok-3f9a8b7c6d"})";
  mockserver::JournalEntry e;
  mockserver::capture_request(e, r);
  EXPECT_EQ(e.headers.get("authorization"), "***");
  EXPECT_EQ(e.headers.get("x-request-id"), "abc-123");
  EXPECT_EQ(e.query_params["client_secret"], "***");
  EXPECT_EQ(e.query_params["page"], "2");
  EXPECT_EQ(e.body.find("s3cr3t-value-9"), std::string::npos) << e.body;
  EXPECT_EQ(e.body.find("tok-3f9a8b7c6d"), std::string::npos) << e.body;
  EXPECT_NE(e.body.find("client_credentials"), std::string::npos) << e.body;
  auto j = mockserver::to_json(e);
  EXPECT_TRUE(j["time"].get<std::string>().ends_with("Z")) << j;
  EXPECT_EQ(j.dump().find("q-secret-55"), std::string::npos);

  util::HttpRequest form;
  form.method = "POST";
  form.path = "/token";
  form.body = "grant_type=password&username=agent%40acme&password=hunter2hunter2&scope=x";
  mockserver::JournalEntry f;
  mockserver::capture_request(f, form);
  EXPECT_EQ(f.body.find("hunter2hunter2"), std::string::npos) << f.body;
  EXPECT_EQ(f.body.find("agent%40acme"), std::string::npos) << f.body;
  EXPECT_NE(f.body.find("grant_type=password"), std::string::npos) << f.body;
}

TEST(Journal, BodiesAreBoundedAndTheJournalByBytes) {
  util::HttpRequest r;
  r.method = "POST";
  r.path = "/big";
  r.body = std::string(100000, 'x');
  mockserver::JournalEntry e;
  mockserver::capture_request(e, r);
  EXPECT_EQ(e.body.size(), mockserver::kJournalBodyMax);
  EXPECT_TRUE(e.body_truncated);
  EXPECT_EQ(mockserver::to_json(e)["bodyTruncated"], true);

  mockserver::Journal journal(1000, 64 * 1024);  // room for ~7 such entries, not 1000
  for (int i = 0; i < 50; ++i) {
    mockserver::JournalEntry big = e;
    journal.record(std::move(big));
  }
  EXPECT_LE(journal.bytes(), 64u * 1024);
  EXPECT_GE(journal.snapshot().size(), 5u);
  EXPECT_LE(journal.snapshot().size(), 8u);
  EXPECT_EQ(journal.total(), 50u);
  EXPECT_EQ(journal.snapshot().back().seq, 50u);
}
