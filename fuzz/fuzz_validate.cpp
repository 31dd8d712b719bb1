// Target: the payload check (`handover-diag validate`): parsing, every built-in contract and
// the Cognigy lints over any body. Seeds: fixtures/payloads, tests/data/payloads.
#include "contracts/contract.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

std::vector<contracts::Contract>* all_contracts = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  all_contracts = new std::vector<contracts::Contract>;
  for (const auto& name : contracts::builtin_contract_names()) {
    auto c = contracts::load_contract(name);
    if (!c) std::abort();
    all_contracts->push_back(std::move(*c));
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  (void)contracts::check_payload_text(*all_contracts, text);
  // The in-place path validate takes for files: the same text with readable padding after it.
  std::string padded;
  padded.reserve(size + contracts::kPayloadPadding);
  padded.assign(text);
  (void)contracts::check_payload_text(*all_contracts, padded, true);
  return 0;
}
