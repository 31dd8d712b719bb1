// Target: the fixture loader and `cxone-mock check`'s lints over any file content.
// Seeds: fixtures/*.json.
#include "fuzz/fuzz_support.hpp"
#include "mockserver/fixture_lint.hpp"
#include "mockserver/fixture_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Beside the bundled fixtures, so payloadFile/bodyFile references resolve as in the tree.
  auto fixture =
      mockserver::parse_fixture(fuzz::as_text(data, size), fuzz::source_dir() / "fixtures" / "fuzz-input.json");
  if (fixture) (void)mockserver::lint_fixture(*fixture);
  return 0;
}
