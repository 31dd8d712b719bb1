// Target: the error classifier, (step, HTTP status, body) -> classification through the
// catalogue's rules. Input: byte 0 picks the step, bytes 1-2 the status (100-599), the rest
// is the body (parsed as JSON when it is JSON, as the client does).
#include "contracts/catalogue.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

const contracts::Catalogue* catalogue = nullptr;
constexpr const char* kSteps[] = {"config", "auth", "conversation", "queue", "wrapup", "payload", "transfer", "other"};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto c = contracts::Catalogue::builtin();
  if (!c) std::abort();
  catalogue = new contracts::Catalogue(std::move(*c));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const char* step = kSteps[data[0] % std::size(kSteps)];
  int status = 100 + (data[1] << 8 | data[2]) % 500;
  std::string_view body = fuzz::as_text(data + 3, size - 3);
  util::Json json;
  bool is_json = !util::parse_json_into(body, json).has_value();
  auto match = catalogue->classify(step, status, is_json ? &json : nullptr, body);
  if (match && !catalogue->find(match->code)) std::abort();  // every rule names a catalogued code
  return 0;
}
