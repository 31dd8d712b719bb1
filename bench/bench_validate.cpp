// Google Benchmark: the payload check on a typical valid payload and a typical defective one.
#include <benchmark/benchmark.h>

#include "contracts/contract.hpp"

namespace {

const std::vector<contracts::Contract>& contract() {
  static const std::vector<contracts::Contract> c = [] {
    std::vector<contracts::Contract> v;
    v.push_back(util::value_or_throw(contracts::load_contract("transfer")));
    return v;
  }();
  return c;
}

const char* kValid =
    R"({"transferTo":{"type":"queue","id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},"transferType":"blind",
"wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},"contextData":{"intent":"billing_dispute",
"customerName":"Jane Customer","botSummary":"Customer disputes a duplicate charge of $42.10 on the May invoice.",
"transferReason":"customer_requested_agent","language":"en-US","confidence":0.87,"timestamp":"2026-11-20T14:04:52Z",
"botId":"cognigy-billing-bot","source":"cognigy","accountNumber":"ACC-0042","vip":true}})";

const char* kDefective = R"({"transferTo":{"type":"queue","id":"Billing Support"},"transferType":"attended",
"wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},"contextData":{"intent":"",
"customer_name":"{{context.customer.name}}","confidence":87,"customer":{"name":"Jane"}}})";

void BM_CheckValidPayload(benchmark::State& state) {
  std::string text = kValid;
  for (auto _ : state) benchmark::DoNotOptimize(contracts::check_payload_text(contract(), text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_CheckValidPayload);

void BM_CheckDefectivePayload(benchmark::State& state) {
  std::string text = kDefective;
  for (auto _ : state) benchmark::DoNotOptimize(contracts::check_payload_text(contract(), text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_CheckDefectivePayload);

void BM_ParseOnly(benchmark::State& state) {
  std::string text = kValid;
  for (auto _ : state) benchmark::DoNotOptimize(util::Json::parse(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseOnly);

}  // namespace
