// Validates every payload of a JSON Lines corpus (parse + schema + lints, every violation),
// single-threaded, several passes; prints payloads/s and MB/s, and writes the schema verdict of
// each payload (1 valid, 0 invalid) to --verdicts so the peers' verdicts can be compared.
//   validate_throughput CORPUS.jsonl [--contract NAME] [--passes N] [--verdicts FILE]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/contract.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: validate_throughput CORPUS.jsonl [--contract NAME] [--passes N] [--verdicts FILE]\n";
    return 2;
  }
  std::string contract_name = "transfer", verdicts_path;
  int passes = 3;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--contract")
      contract_name = argv[i + 1];
    else if (flag == "--passes")
      passes = std::stoi(argv[i + 1]);
    else if (flag == "--verdicts")
      verdicts_path = argv[i + 1];
  }
  auto text = util::read_file(argv[1], 1u << 30);
  if (!text) {
    std::cerr << text.error().message << "\n";
    return 2;
  }
  // The payloads lie back to back in one buffer, each followed by its newline and the next one,
  // as validate's reader holds them (lines read into large blocks, never copied one by one): the
  // kPayloadPadding bytes after each are readable. (One heap string per payload made the same
  // parse 30 % slower: each payload's first bytes a cache miss the prefetcher cannot foresee.)
  text->append(contracts::kPayloadPadding, '\n');
  const std::string& all = *text;
  std::vector<std::string_view> payloads;
  for (std::size_t at = 0, end = all.size() - contracts::kPayloadPadding; at < end;) {
    std::size_t nl = all.find('\n', at);
    if (nl == std::string::npos || nl > end) nl = end;
    if (nl > at) payloads.emplace_back(all.data() + at, nl - at);
    at = nl + 1;
  }
  std::size_t bytes = 0;
  for (const auto& p : payloads) bytes += p.size();
  std::vector<contracts::Contract> contract;
  contract.push_back(util::value_or_throw(contracts::load_contract(contract_name)));

  double best = 1e300;
  std::size_t violations = 0;
  for (int pass = 0; pass < passes; ++pass) {
    auto t0 = std::chrono::steady_clock::now();
    violations = 0;
    for (const auto& p : payloads) violations += contracts::check_payload_text(contract, p, true).size();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  if (!verdicts_path.empty()) {
    std::ofstream out(verdicts_path);
    for (const auto& p : payloads) {
      auto doc = util::Json::parse(p, nullptr, false);
      out << (!doc.is_discarded() && contract[0].schema.is_valid(doc) ? 1 : 0) << "\n";
    }
  }
  std::printf("ours: %zu payloads, %.1f MB, best of %d passes: %.3f s, %.0f payloads/s, %.1f MB/s, %zu violations\n",
              payloads.size(), bytes / 1e6, passes, best, payloads.size() / best, bytes / 1e6 / best, violations);
  return 0;
}
