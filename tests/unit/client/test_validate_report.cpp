// The validate reports are streamed part by part; past a threshold the parts move to a
// temporary file and are read back at the end. The document must be the same either way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>

#include "client/validate.hpp"
#include "util/json_text.hpp"

namespace {

std::vector<client::PayloadResult> sample_results(int n) {
  auto text = std::make_shared<const std::string>(R"({"contextData": {"intent": ""}})");
  std::vector<client::PayloadResult> out;
  for (int i = 0; i < n; ++i) {
    client::PayloadResult r;
    r.item = client::PayloadItem{"batch.jsonl", static_cast<std::size_t>(i + 1), text, *text};
    if (i % 3 == 0)
      r.violations.push_back({"EMPTY_VALUE", "/contextData/intent", "required property \"intent\" is empty",
                              "check the flow fills it", "transfer"});
    out.push_back(std::move(r));
  }
  return out;
}

std::string report(const std::string& format, std::size_t spill_at, const std::vector<client::PayloadResult>& results) {
  auto catalogue = contracts::Catalogue::builtin();
  client::ValidateReport rep(format, {"transfer"}, &*catalogue, false, nullptr, spill_at);
  client::ValidateTotals totals;
  for (const auto& r : results) {
    EXPECT_TRUE(rep.add(r));
    ++totals.payloads;
    totals.invalid += r.violations.empty() ? 0 : 1;
    totals.violations += r.violations.size();
  }
  std::string out;
  EXPECT_TRUE(rep.finish(totals, [&](std::string_view t) -> util::Status {
    out.append(t);
    return {};
  }));
  return out;
}

}  // namespace

TEST(ValidateReport, SpilledPartsComeBackInOrder) {
  auto results = sample_results(500);
  for (const char* format : {"json", "sarif", "junit", "text"}) {
    std::string in_memory = report(format, std::size_t{1} << 30, results);
    std::string spilled = report(format, 1000, results);  // to the temporary file every ~1 KB
    EXPECT_EQ(spilled, in_memory) << format;
    EXPECT_GT(in_memory.size(), 20000u) << format;
  }
  auto doc = util::Json::parse(report("json", 1000, results));
  EXPECT_EQ(doc["payloads"], 500);
  EXPECT_EQ(doc["invalid"], 167);
  EXPECT_EQ(doc["results"].size(), 500u);
  EXPECT_EQ(doc["results"][499]["line"], 500);
}

// The reader's blocks: carved from 2 MB slabs, four to a slab, given out again once handed back
// (reading touches no fresh memory after the first batches); a block for a longer line is its own
// allocation and is freed.
TEST(BlockPool, CarvesSlabsAndGivesBlocksOutAgain) {
  constexpr std::size_t kCap = client::BlockPool::kCapacity;
  client::BlockPool pool;
  std::vector<client::BlockPool::Block> taken;
  for (int i = 0; i < 5; ++i) taken.push_back(pool.take(kCap / 2));
  std::vector<char*> starts;
  for (auto& b : taken) {
    EXPECT_EQ(b.capacity, kCap);
    EXPECT_EQ(b.owned, nullptr);
    b.bytes[0] = 'a';
    b.bytes[kCap - 1] = 'z';  // the whole capacity is the block's own
    starts.push_back(b.bytes);
  }
  std::sort(starts.begin(), starts.end());
  for (std::size_t i = 1; i < starts.size(); ++i)
    EXPECT_GE(starts[i] - starts[i - 1], static_cast<std::ptrdiff_t>(kCap));
  char* first = taken[0].bytes;
  for (auto& b : taken) pool.give_back(std::move(b));
  bool reused = false;
  for (int i = 0; i < 5; ++i) reused = reused || pool.take(kCap).bytes == first;
  EXPECT_TRUE(reused);
  auto large = pool.take(kCap + 1);
  EXPECT_GE(large.capacity, kCap + 1);
  ASSERT_NE(large.owned, nullptr);
  EXPECT_EQ(large.bytes, large.owned.get());
  pool.give_back(std::move(large));  // freed (LeakSanitizer would say otherwise)
}
