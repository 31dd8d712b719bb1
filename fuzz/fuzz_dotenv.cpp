// Target: the .env parser of handover-diag's configuration. Seeds: fuzz/seeds/dotenv.
#include "client/config.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)client::parse_dotenv(fuzz::as_text(data, size), "fuzz.env");
  return 0;
}
