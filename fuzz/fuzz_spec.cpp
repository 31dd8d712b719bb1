// Target: API descriptions (cxone-mock check --spec / serve --spec) — the YAML reader when the
// input does not start with '{', then the operations read from the document, a request path
// matched to each, its request body checked and every response's example built.
// Seeds: fuzz/seeds/spec.
#include "contracts/api_spec.hpp"
#include "contracts/document.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz::as_text(data, size);
  auto doc = !text.empty() && text.front() == '{' ? util::parse_json(text, "fuzz.json")
                                                  : contracts::parse_yaml(text, "fuzz.yaml");
  if (!doc) return 0;
  auto spec = contracts::ApiSpec::from_document(std::move(*doc), "fuzz");
  if (!spec) return 0;
  std::size_t checked = 0;
  for (const auto& op : spec->operations()) {
    if (++checked > 16) break;
    std::string path = spec->base_paths().front();
    for (const auto& seg : op.segments) path += "/" + (seg.find('{') == std::string::npos ? seg : std::string("x"));
    (void)spec->find(op.method, path);
    (void)spec->nearest(op.method, path + "/y");
    if (!op.request_schema_pointer.empty()) (void)spec->validate(op.request_schema_pointer, util::Json::object());
    for (const auto& r : op.responses) (void)spec->example_body(r);
  }
  return 0;
}
