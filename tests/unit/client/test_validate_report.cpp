// The validate reports are streamed part by part; past a threshold the parts move to a
// temporary file and are read back at the end. The document must be the same either way.
#include <gtest/gtest.h>

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
