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
