// Target: CognigyScript templates as handover-diag flows reads them — the template scanner and
// its syntax errors, the paths read and assigned, text and JSON rendering. Input: a template, then
// "\n---\n" and the objects as JSON ({"input": …, "context": …, "profile": …}). Seeds:
// fuzz/seeds/cognigy.
#include "client/flows/cognigy_script.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto [tmpl, objects_text] = fuzz::cut(fuzz::as_text(data, size), "\n---\n");
  client::flows::CognigyObjects objects;
  util::Json doc = util::parse_json_lenient(objects_text, 64);
  if (doc.is_object()) {
    if (doc.contains("input")) objects.input = doc["input"];
    if (doc.contains("context")) objects.context = doc["context"];
    if (doc.contains("profile")) objects.profile = doc["profile"];
  }
  std::vector<client::flows::TemplateError> errors;
  for (const auto& e : client::flows::find_expressions(tmpl, &errors)) {
    (void)client::flows::paths_read(e.code);
    (void)client::flows::evaluate(e.code, objects);
  }
  (void)client::flows::paths_assigned(tmpl);
  int unsupported = 0;
  (void)client::flows::render_text(tmpl, objects, &unsupported);
  util::Json as_json = util::parse_json_lenient(tmpl, 64);
  if (!as_json.is_discarded()) (void)client::flows::render_json(as_json, objects, &unsupported);
  return 0;
}
